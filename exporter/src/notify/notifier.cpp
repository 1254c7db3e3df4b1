#include "notify/notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "notify/backoff.hpp"
#include "notify/config/notifier_problem.hpp"

namespace lagwatch::notify {
namespace {

std::string at(const config::NotifierConfig& c) { return "notifier " + c.name; }

// The one check of a notifier's settings (the same config::validate ran), so that a Notifier
// never runs on settings that did not pass it.
const config::NotifierConfig& checked(const config::NotifierConfig& c) {
  if (auto p = notifier_problem(c)) throw config::ConfigError(at(c) + ": " + p->key + ": " + p->what);
  return c;
}

DetectionRules rules_of(const config::NotifierConfig& c) {
  DetectionRules r;
  r.min_severity = evaluate::status_from_name(c.min_severity).value_or(evaluate::Status::WARN);
  r.send_resolved = c.send_resolved;
  r.repeat_interval = c.repeat_interval;
  return r;
}

}  // namespace

Notifier::Notifier(const config::NotifierConfig& config)
    : name_(checked(config).name),
      groups_(config.group_allow, config.group_deny, at(config) + ".groups"),
      clusters_(config.cluster_allow, config.cluster_deny, at(config) + ".clusters"),
      rules_(rules_of(config)),
      max_attempts_(std::max(1, config.max_attempts)),
      backoff_initial_(config.backoff_initial),
      backoff_max_(config.backoff_max),
      queue_size_(static_cast<size_t>(std::max(1, config.queue_size))),
      sender_(make_sender(config)) {
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
  sender_->cancel();
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
  for (int attempt = 1;; ++attempt) {
    const Attempt a = sender_->send(n);
    if (a.cancelled) return;  // stopping
    if (a.delivered) {
      sent_.fetch_add(1);
      spdlog::info("notifier {}: sent {} to {} ({}{})", name_, describe(n), sender_->where(), a.outcome,
                   attempt > 1 ? ", attempt " + std::to_string(attempt) : "");
      return;
    }
    if (!a.retryable || attempt >= max_attempts_) {
      failed_.fetch_add(1);
      spdlog::error("notifier {}: gave up on {} after {} attempt{} to {}: {}{}", name_, describe(n), attempt,
                    attempt == 1 ? "" : "s", sender_->where(), a.outcome, a.retryable ? "" : " (not retried)");
      return;
    }
    const auto delay = backoff_delay(attempt, backoff_initial_, backoff_max_);
    spdlog::warn("notifier {}: attempt {}/{} of {} to {} failed: {}; retrying in {}", name_, attempt, max_attempts_,
                 describe(n), sender_->where(), a.outcome, config::format_duration(delay));
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, delay, [this] { return stopping_; })) return;
    retries_.fetch_add(1);
  }
}

}  // namespace lagwatch::notify
