#include "notify/http_sender.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <stdexcept>

#include "config/config.hpp"

namespace lagwatch::notify {
namespace {

std::string at(const NotifierConfig& c) { return "notifier " + c.name; }

util::HttpUrl url_for(const NotifierConfig& c, const KindSpec& kind) {
  std::string problem;
  auto url = util::parse_http_url(std::string(url_of(c, kind)), problem);
  if (!url) throw config::ConfigError(at(c) + ": url " + problem);
  return *url;
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

http_client::HttpClient make_client(const NotifierConfig& c) {
  http_client::ClientOptions o;
  o.ca_file = c.ca_file;
  o.insecure_skip_verify = c.insecure_skip_verify;
  o.proxies = http_client::proxy_settings_from_environment();
  try {
    return http_client::HttpClient(o);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(at(c) + ": " + e.what());
  }
}

// 408 Request Timeout, 429 Too Many Requests and 5xx may pass; other statuses will not change.
bool worth_retrying(const http_client::HttpOutcome& o) {
  return o.status == 0 || o.status == 408 || o.status == 429 || o.status >= 500;
}

}  // namespace

HttpSender::HttpSender(const NotifierConfig& config, const KindSpec& kind)
    : name_(config.name),
      url_(url_for(config, kind)),
      method_(upper(config.method)),
      headers_(config.headers.begin(), config.headers.end()),
      body_(body_template_of(config, kind), kind.escape),
      link_(link_template(config)),
      routing_key_(config.routing_key),
      timeout_(config.timeout),
      client_(make_client(config)) {
  if (config.insecure_skip_verify) {
    spdlog::warn("notifier {}: insecure_skip_verify is on: the certificate of {} is not verified (for tests only)",
                 name_, url_.where());
  }
  std::string proxy_problem;
  const auto proxy = http_client::proxy_for(url_, http_client::proxy_settings_from_environment(), proxy_problem);
  if (!proxy_problem.empty()) {
    spdlog::warn("notifier {}: {}; deliveries to {} fail until it is fixed", name_, proxy_problem, url_.where());
  } else if (proxy) {
    spdlog::info("notifier {}: sending to {} through the proxy {} ({})", name_, url_.where(), proxy->where(),
                 url_.tls ? "HTTPS_PROXY" : "HTTP_PROXY");
  }
}

Attempt HttpSender::send(const Notification& n) {
  http_client::HttpRequest request;
  request.method = method_;
  request.headers = headers_;
  request.body = body_.render(n, RenderContext{name_, render_link(link_, n, name_), routing_key_});
  const auto o = client_.send(url_, request, timeout_);
  Attempt a;
  a.cancelled = o.cancelled;
  a.delivered = o.success();
  a.retryable = !a.delivered && worth_retrying(o);
  a.outcome = o.status != 0 ? "HTTP " + std::to_string(o.status) : o.error;
  if (o.status >= 300 && o.status < 400) a.outcome += " (redirects are not followed)";
  return a;
}

}  // namespace lagwatch::notify
