// kind: email — one mail per notification through an SMTP server (a relay, or a provider's
// submission port), as Burrow's email notifier: STARTTLS by default, or implicit TLS, with
// authentication when a username is given. The body is plain text; the subject a template too.
#include "notify/config/kind.hpp"
#include "notify/config/mail_address.hpp"
#include "notify/config/smtp_options.hpp"

namespace lagwatch::notify {
namespace {

constexpr std::string_view kEmailTemplate =
    R"({{#firing}}Consumer group {{group}} on cluster {{cluster}} is {{#repeat}}still {{/repeat}}{{status}} (it was {{previous_status}}).{{/firing}}{{#resolved}}Consumer group {{group}} on cluster {{cluster}} is {{status}} again (it was {{previous_status}}).{{/resolved}}

Total lag:          {{total_lag}} messages
Max lag in seconds: {{max_lag_seconds}} s
Partitions:         {{partition_count}}, of which {{not_ok_count}} not OK
{{#firing}}
Worst partitions:
{{#top_partitions}}  {{topic}} [{{partition}}]  {{partition_status}}  lag {{lag}}, {{lag_seconds}} s
{{/top_partitions}}{{#more_partitions}}  ... and {{more_partitions}} more
{{/more_partitions}}{{/firing}}{{#link}}
{{link}}
{{/link}}
-- 
lagwatch notifier {{notifier}}, {{timestamp}}
)";

constexpr std::string_view kEmailSubject =
    "[lagwatch] {{#firing}}{{status}}{{/firing}}{{#resolved}}RESOLVED{{/resolved}}: {{cluster}}/{{group}}";

std::optional<SettingProblem> check(const NotifierConfig& c) {
  if (c.smtp.host.empty()) {
    return SettingProblem{"smtp.host", "required: the SMTP server, e.g. smtp: {host: smtp.example.com, port: 587}"};
  }
  if (c.smtp.security != "starttls" && c.smtp.security != "tls" && c.smtp.security != "none") {
    return SettingProblem{"smtp.security", "\"" + c.smtp.security + "\" is not one of starttls, tls or none"};
  }
  if (c.smtp.port < 0 || c.smtp.port > 65535) {
    return SettingProblem{"smtp.port", std::to_string(c.smtp.port) + " is not a port; expected 1 to 65535"};
  }
  if (!c.smtp.password.empty() && c.smtp.username.empty()) {
    return SettingProblem{"smtp.username", "required with smtp.password"};
  }
  if (auto p = smtp::options_problem(smtp_options_of(c))) return SettingProblem{"smtp", *p};
  std::string problem;
  if (c.from.empty()) return SettingProblem{"from", "required: the sender, e.g. \"lagwatch <lagwatch@example.com>\""};
  if (!parse_mail_address(c.from, problem)) return SettingProblem{"from", problem};
  if (c.to.empty()) return SettingProblem{"to", "required: a list of recipients, e.g. [kafka-oncall@example.com]"};
  for (size_t i = 0; i < c.to.size(); ++i) {
    if (!parse_mail_address(c.to[i], problem)) return SettingProblem{"to[" + std::to_string(i) + "]", problem};
  }
  if (c.to.size() > 100) return SettingProblem{"to", "lists more than 100 recipients; use a mailing list"};
  if (auto p = template_problem(c.subject.empty() ? kEmailSubject : std::string_view(c.subject))) {
    return SettingProblem{"subject", *p};
  }
  return std::nullopt;
}

}  // namespace

smtp::ClientOptions smtp_options_of(const NotifierConfig& c) {
  smtp::ClientOptions o;
  o.host = c.smtp.host;
  o.security = c.smtp.security == "tls"    ? smtp::Security::tls
               : c.smtp.security == "none" ? smtp::Security::none
                                           : smtp::Security::starttls;
  const uint16_t usual = o.security == smtp::Security::tls ? 465 : o.security == smtp::Security::none ? 25 : 587;
  o.port = c.smtp.port != 0 ? static_cast<uint16_t>(c.smtp.port) : usual;
  o.username = c.smtp.username;
  o.password = c.smtp.password;
  o.ca_file = c.ca_file;
  o.insecure_skip_verify = c.insecure_skip_verify;
  return o;
}

extern const KindSpec kEmailKind = {
    .name = "email",
    .transport = Transport::smtp,
    .default_url = "",
    .default_template = kEmailTemplate,
    .escape = Escape::text,
    .default_subject = kEmailSubject,
    .check = check,
};

}  // namespace lagwatch::notify
