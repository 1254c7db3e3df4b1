#include "notify/sender.hpp"

#include "config/config.hpp"
#include "notify/config/kind.hpp"
#include "notify/email_sender.hpp"
#include "notify/http_sender.hpp"

namespace lagwatch::notify {

std::unique_ptr<Sender> make_sender(const NotifierConfig& config) {
  const KindSpec* kind = find_kind(config.kind);
  if (kind == nullptr) throw config::ConfigError("notifier " + config.name + ": unknown kind \"" + config.kind + "\"");
  switch (kind->transport) {
    case Transport::http:
      return std::make_unique<HttpSender>(config, *kind);
    case Transport::smtp:
      return std::make_unique<EmailSender>(config, *kind);
  }
  throw config::ConfigError("notifier " + config.name + ": kind " + config.kind + " has no sender");
}

std::optional<BodyTemplate> link_template(const NotifierConfig& config) {
  if (config.link.empty()) return std::nullopt;
  return BodyTemplate(config.link, Escape::url);
}

std::string render_link(const std::optional<BodyTemplate>& link, const Notification& n, const std::string& notifier) {
  return link ? link->render(n, notifier) : "";
}

}  // namespace lagwatch::notify
