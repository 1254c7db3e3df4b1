#include "notify/sender.hpp"

#include "config/config.hpp"
#include "notify/config/kind.hpp"
#include "notify/http_sender.hpp"

namespace lagwatch::notify {

std::unique_ptr<Sender> make_sender(const NotifierConfig& config) {
  const KindSpec* kind = find_kind(config.kind);
  if (kind == nullptr) throw config::ConfigError("notifier " + config.name + ": unknown kind \"" + config.kind + "\"");
  switch (kind->transport) {
    case Transport::http:
      return std::make_unique<HttpSender>(config, *kind);
    case Transport::smtp:
      break;
  }
  throw config::ConfigError("notifier " + config.name + ": kind " + config.kind + " cannot be sent yet");
}

}  // namespace lagwatch::notify
