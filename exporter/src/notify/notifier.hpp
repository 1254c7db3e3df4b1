// One configured notifier: decides on each poll which groups to notify about, and delivers the
// notifications from its own background thread, so that a slow or dead receiver never holds
// up polling or scraping. How one notification is delivered (an HTTP request, a mail) is its
// kind's Sender (notify/sender.hpp).
//
//   poller thread                          notifier thread
//   observe(view)                          take the oldest queued notification
//     filter cluster, detect changes         render the body from the template
//     queue each notification                Sender::send; on failure wait backoff_delay(k), retry,
//     (queue full: drop it, count it)        up to max_attempts; count sent/failed/retries
//
// Delivery is at most once per decision and in order; a notification being retried holds up
// the ones behind it (they stay queued, up to queue_size). What is retried is the Sender's call:
// no answer, HTTP 408, 429 and 5xx, SMTP 4xx; anything else fails at once.
//
// Logs name the notifier, the receiver as host:port, the group and the status or error; never
// a header value, a routing key, a password, nor the URL's path or query (tokens live there).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "config/name_filter.hpp"
#include "core/cluster_view.hpp"
#include "notify/change_detection.hpp"
#include "notify/sender.hpp"

namespace lagwatch::notify {

// Cumulative since start-up, for lagwatch_notifications_*_total{notifier}.
struct NotifierCounters {
  std::string notifier;
  uint64_t sent = 0;     // delivered: the receiver answered 2xx
  uint64_t failed = 0;   // given up: max_attempts used up, or a status not worth retrying
  uint64_t retries = 0;  // attempts after the first (a notification sent at the 3rd try counts 2)
  uint64_t dropped = 0;  // not queued because queue_size notifications were already waiting
};

class Notifier {
 public:
  // Takes a validated config (config::validate, which runs notify/config/notifier_problem).
  // Throws ConfigError if its sender cannot be built after all (a ca_file gone since). Starts
  // the delivery thread.
  explicit Notifier(const config::NotifierConfig& config);
  ~Notifier();  // stop()s
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Called by a poller after each poll of a cluster, from that poller's thread (several
  // clusters may call at once). Only compares and queues: never waits on the network.
  void observe(const core::ClusterView& view);

  // Stops the delivery thread: a request in progress is cut short, queued notifications are
  // discarded (and logged as such). Idempotent.
  void stop();

  NotifierCounters counters() const;
  const std::string& name() const { return name_; }

 private:
  void run();
  void deliver(const Notification& n);
  std::string describe(const Notification& n) const;

  const std::string name_;
  const config::NameFilter groups_;
  const config::NameFilter clusters_;
  const DetectionRules rules_;
  const int max_attempts_;
  const std::chrono::milliseconds backoff_initial_;
  const std::chrono::milliseconds backoff_max_;
  const size_t queue_size_;

  std::mutex state_mu_;  // change detection, per cluster
  std::map<std::string, ClusterState> state_;

  mutable std::mutex mu_;  // the queue and stopping_
  std::condition_variable wake_;
  std::deque<Notification> queue_;
  bool stopping_ = false;

  std::atomic<uint64_t> sent_{0}, failed_{0}, retries_{0}, dropped_{0};
  const std::unique_ptr<Sender> sender_;
  std::thread thread_;
};

}  // namespace lagwatch::notify
