#include "notify/config/notifier_problem.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "evaluate/status.hpp"
#include "http_client/http_client.hpp"
#include "util/http_header.hpp"
#include "util/http_url.hpp"

namespace lagwatch::notify {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Settings that belong to one kind only: given to another, they would silently do nothing.
std::optional<SettingProblem> foreign_settings(const NotifierConfig& c, const KindSpec& kind) {
  const auto only = [&](const char* key, const char* owner) {
    return SettingProblem{
        key, std::string("applies to kind ") + owner + " only; this notifier's kind is " + std::string(kind.name)};
  };
  if (kind.name != "pagerduty" && !c.routing_key.empty()) return only("routing_key", "pagerduty");
  if (kind.name != "email") {
    if (!c.from.empty()) return only("from", "email");
    if (!c.to.empty()) return only("to", "email");
    if (!c.subject.empty()) return only("subject", "email");
    if (c.smtp != SmtpConfig{}) return only("smtp", "email");
  }
  return std::nullopt;
}

std::optional<SettingProblem> http_problem(const NotifierConfig& c, const KindSpec& kind) {
  const std::string_view url_text = url_of(c, kind);
  if (url_text.empty()) {
    return SettingProblem{"url", kind.name == "slack"
                                     ? "required: the incoming webhook, e.g. url: ${env:SLACK_WEBHOOK_URL}"
                                     : "required: the webhook, e.g. \"https://hooks.example.com/hook\""};
  }
  std::string problem;
  const auto url = util::parse_http_url(std::string(url_text), problem);
  if (!url) return SettingProblem{"url", problem};
  if (!c.ca_file.empty()) {
    if (!url->tls) return SettingProblem{"ca_file", "applies to https:// URLs only; the url is http://"};
    if (auto p = http_client::ca_file_problem(c.ca_file)) return SettingProblem{"ca_file", *p};
  }
  if (c.insecure_skip_verify && !url->tls) {
    return SettingProblem{"insecure_skip_verify", "applies to https:// URLs only; the url is http://"};
  }
  const std::string method = lower(c.method);
  if (method != "post" && method != "put" && method != "patch") {
    return SettingProblem{"method", "\"" + c.method + "\" is not supported; expected POST, PUT or PATCH"};
  }
  for (const auto& [name, value] : c.headers) {
    const std::string key = "headers." + name;
    if (!util::is_header_name(name))
      return SettingProblem{key, "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)"};
    static const std::set<std::string> owned = {"host", "content-length", "connection", "transfer-encoding"};
    if (owned.contains(lower(name))) return SettingProblem{key, "is set by lagwatch itself; remove it"};
    if (!util::is_header_value(value)) {
      return SettingProblem{key, "the value contains a line break or NUL character, which a header cannot carry"};
    }
  }
  return std::nullopt;
}

std::optional<SettingProblem> smtp_problem(const NotifierConfig& c) {
  if (!c.url.empty()) return SettingProblem{"url", "an email notifier has no url; give smtp: {host: ..., port: ...}"};
  if (!c.headers.empty()) return SettingProblem{"headers", "apply to HTTP kinds only; this notifier sends mail"};
  if (lower(c.method) != "post")
    return SettingProblem{"method", "applies to HTTP kinds only; this notifier sends mail"};
  if (c.smtp.security == "none") {
    if (!c.ca_file.empty()) return SettingProblem{"ca_file", "applies to TLS only; smtp.security is none"};
    if (c.insecure_skip_verify) {
      return SettingProblem{"insecure_skip_verify", "applies to TLS only; smtp.security is none"};
    }
  }
  if (!c.ca_file.empty()) {
    if (auto p = http_client::ca_file_problem(c.ca_file)) return SettingProblem{"ca_file", *p};
  }
  return std::nullopt;
}

}  // namespace

std::optional<SettingProblem> notifier_problem(const NotifierConfig& c) {
  const KindSpec* kind = find_kind(c.kind);
  if (kind == nullptr) {
    return SettingProblem{"kind", "\"" + c.kind + "\" is not a notifier kind; expected one of " + joined(kind_names())};
  }
  if (auto p = foreign_settings(c, *kind)) return p;
  if (auto p = kind->transport == Transport::http ? http_problem(c, *kind) : smtp_problem(c)) return p;
  if (auto p = template_problem(body_template_of(c, *kind))) {
    return SettingProblem{c.template_file ? "template_file" : "template", *p};
  }
  if (!c.link.empty()) {
    if (c.link.rfind("https://", 0) != 0 && c.link.rfind("http://", 0) != 0) {
      return SettingProblem{"link", "must start with https:// or http://, e.g. https://grafana.example.com/d/lagwatch"};
    }
    if (auto p = template_problem(c.link)) return SettingProblem{"link", *p};
  }
  const auto severity = evaluate::status_from_name(c.min_severity);
  if (!severity || (*severity != evaluate::Status::WARN && *severity != evaluate::Status::ERR)) {
    return SettingProblem{"min_severity", "\"" + c.min_severity + "\" is not a severity; expected WARN or ERR"};
  }
  if (kind->check != nullptr) {
    if (auto p = kind->check(c)) return p;
  }
  return std::nullopt;
}

}  // namespace lagwatch::notify
