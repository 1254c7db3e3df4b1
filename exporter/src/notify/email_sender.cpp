#include "notify/email_sender.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "config/config.hpp"
#include "notify/config/mail_address.hpp"
#include "notify/config/smtp_options.hpp"

namespace lagwatch::notify {
namespace {

std::string at(const NotifierConfig& c) { return "notifier " + c.name; }

MailAddress address(const NotifierConfig& c, const std::string& text, const char* key) {
  std::string problem;
  auto a = parse_mail_address(text, problem);
  if (!a) throw config::ConfigError(at(c) + ": " + key + ": " + problem);
  return *a;
}

smtp::Message envelope_of(const NotifierConfig& c) {
  smtp::Message m;
  const MailAddress from = address(c, c.from, "from");
  m.from = from.address;
  m.from_name = from.display_name;
  for (const auto& to : c.to) m.to.push_back(address(c, to, "to").address);
  return m;
}

smtp::Client make_client(const NotifierConfig& c) {
  try {
    return smtp::Client(smtp_options_of(c));
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(at(c) + ": smtp: " + e.what());
  }
}

}  // namespace

std::string one_line(std::string text) {
  for (auto& ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) ch = ' ';
  }
  return text;
}

EmailSender::EmailSender(const NotifierConfig& config, const KindSpec& kind)
    : name_(config.name),
      where_(smtp::server_address(smtp_options_of(config))),
      envelope_(envelope_of(config)),
      subject_(config.subject.empty() ? kind.default_subject : std::string_view(config.subject), Escape::text),
      body_(body_template_of(config, kind), kind.escape),
      link_(link_template(config)),
      timeout_(config.timeout),
      client_(make_client(config)) {
  if (config.insecure_skip_verify) {
    spdlog::warn("notifier {}: insecure_skip_verify is on: the certificate of {} is not verified (for tests only)",
                 name_, where_);
  }
}

Attempt EmailSender::send(const Notification& n) {
  smtp::Message m = envelope_;
  const RenderContext context{name_, render_link(link_, n, name_), ""};
  m.subject = one_line(subject_.render(n, context));
  m.text_body = body_.render(n, context);
  const smtp::Outcome o = client_.send(m, timeout_);
  Attempt a;
  a.delivered = o.ok;
  a.retryable = !o.ok && o.retryable;
  a.cancelled = o.cancelled;
  a.outcome = o.ok ? "SMTP 250" : o.error;
  // The client's errors start with the server, which the notifier's log line names already.
  if (a.outcome.rfind(where_ + ": ", 0) == 0) a.outcome.erase(0, where_.size() + 2);
  return a;
}

}  // namespace lagwatch::notify
