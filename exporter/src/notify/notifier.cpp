#include "notify/notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "notify/backoff.hpp"

namespace lagwatch::notify {
namespace {

std::string at(const config::NotifierConfig& c) { return "notifier " + c.name; }

HttpUrl url_of(const config::NotifierConfig& c) {
  std::string problem;
  auto url = parse_http_url(c.url, problem);
  if (!url) throw config::ConfigError(at(c) + ": url " + problem);
  return *url;
}

http_client::ClientOptions client_options(const config::NotifierConfig& c) {
  http_client::ClientOptions o;
  o.ca_file = c.ca_file;
  o.insecure_skip_verify = c.insecure_skip_verify;
  o.proxies = http_client::proxy_settings_from_environment();
  return o;
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

DetectionRules rules_of(const config::NotifierConfig& c) {
  DetectionRules r;
  auto s = evaluate::status_from_name(c.min_severity);
  if (!s || (*s != evaluate::Status::WARN && *s != evaluate::Status::ERR)) {
    throw config::ConfigError(at(c) + ": min_severity must be WARN or ERR");
  }
  r.min_severity = *s;
  r.send_resolved = c.send_resolved;
  r.repeat_interval = c.repeat_interval;
  return r;
}

BodyTemplate template_of(const config::NotifierConfig& c) {
  try {
    return BodyTemplate(c.template_text);
  } catch (const TemplateError& e) {
    throw config::ConfigError(at(c) + ": " + e.what());
  }
}

HttpClient make_client(const config::NotifierConfig& c) {
  try {
    return HttpClient(client_options(c));
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(at(c) + ": " + e.what());
  }
}

// 408 Request Timeout, 429 Too Many Requests and 5xx may pass; other statuses will not change.
bool worth_retrying(const HttpOutcome& o) {
  return o.status == 0 || o.status == 408 || o.status == 429 || o.status >= 500;
}

std::string outcome_text(const HttpOutcome& o) { return o.status != 0 ? "HTTP " + std::to_string(o.status) : o.error; }

}  // namespace

Notifier::Notifier(const config::NotifierConfig& config)
    : name_(config.name),
      url_(url_of(config)),
      method_(upper(config.method)),
      headers_(config.headers.begin(), config.headers.end()),
      template_(template_of(config)),
      groups_(config.group_allow, config.group_deny, at(config) + ".groups"),
      clusters_(config.cluster_allow, config.cluster_deny, at(config) + ".clusters"),
      rules_(rules_of(config)),
      timeout_(config.timeout),
      max_attempts_(std::max(1, config.max_attempts)),
      backoff_initial_(config.backoff_initial),
      backoff_max_(config.backoff_max),
      queue_size_(static_cast<size_t>(std::max(1, config.queue_size))),
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
  thread_ = std::thread([this] { run(); });
}

Notifier::~Notifier() { stop(); }

void Notifier::observe(const core::ClusterView& view) {
  if (!view.snapshot || !clusters_.passes(view.snapshot->cluster)) return;
  std::vector<Notification> found;
  {
    std::lock_guard lock(state_mu_);
    found = detect_changes(state_[view.snapshot->cluster], view, rules_, groups_);
  }
  if (found.empty()) return;
  size_t queued = 0;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    for (auto& n : found) {
      if (queue_.size() >= queue_size_) {
        dropped_.fetch_add(1);
        spdlog::warn("notifier {}: queue full ({} waiting), dropped {}", name_, queue_size_, describe(n));
        continue;
      }
      spdlog::debug("notifier {}: queued {}", name_, describe(n));
      queue_.push_back(std::move(n));
      ++queued;
    }
  }
  if (queued > 0) wake_.notify_one();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  client_.cancel();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    spdlog::info("notifier {}: stopping; {} queued notifications not sent", name_, queue_.size());
    queue_.clear();
  }
}

NotifierCounters Notifier::counters() const {
  return {name_, sent_.load(), failed_.load(), retries_.load(), dropped_.load()};
}

std::string Notifier::describe(const Notification& n) const {
  std::string s = std::string(n.repeat ? "repeated " : "") + event_name(n.event) + " for " + n.cluster + "/" + n.group +
                  " (" + evaluate::status_name(n.previous_status) + " -> " + evaluate::status_name(n.status) + ")";
  return s;
}

void Notifier::run() {
  for (;;) {
    Notification n;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      n = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(n);
  }
}

void Notifier::deliver(const Notification& n) {
  HttpRequest request;
  request.method = method_;
  request.headers = headers_;
  request.body = template_.render(n, name_);
  for (int attempt = 1;; ++attempt) {
    const HttpOutcome o = client_.send(url_, request, timeout_);
    if (o.cancelled) return;  // stopping
    if (o.success()) {
      sent_.fetch_add(1);
      spdlog::info("notifier {}: sent {} to {} (HTTP {}{})", name_, describe(n), url_.where(), o.status,
                   attempt > 1 ? ", attempt " + std::to_string(attempt) : "");
      return;
    }
    if (!worth_retrying(o) || attempt >= max_attempts_) {
      failed_.fetch_add(1);
      spdlog::error("notifier {}: gave up on {} after {} attempt{} to {}: {}{}", name_, describe(n), attempt,
                    attempt == 1 ? "" : "s", url_.where(), outcome_text(o),
                    worth_retrying(o)
                        ? ""
                        : (o.status >= 300 && o.status < 400 ? " (redirects are not followed)" : " (not retried)"));
      return;
    }
    const auto delay = backoff_delay(attempt, backoff_initial_, backoff_max_);
    spdlog::warn("notifier {}: attempt {}/{} of {} to {} failed: {}; retrying in {}", name_, attempt, max_attempts_,
                 describe(n), url_.where(), outcome_text(o), config::format_duration(delay));
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, delay, [this] { return stopping_; })) return;
    retries_.fetch_add(1);
  }
}

}  // namespace lagwatch::notify
