// The background loop of one cluster: poll, record history, derive lag, evaluate the groups,
// publish a view.
// Polls start every interval (first one at start-up); a poll longer than the interval is
// followed immediately by the next. Scrapes never wait on it: they read the last view.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "collect/cluster_collector.hpp"
#include "core/cluster_view.hpp"
#include "store/group_windows.hpp"
#include "store/partition_histories.hpp"

namespace lagwatch::collect {

using core::ClusterView;
using core::PollStats;

using Publish = std::function<void(std::shared_ptr<const ClusterView>)>;

class Poller {
 public:
  Poller(const config::Config& config, const config::ClusterConfig& cluster, Publish publish);
  ~Poller();  // stops and joins
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();
  // Asks the loop to stop (never blocks): a poll in progress is abandoned at its next step and
  // not published. A Kafka call already waiting finishes or times out first.
  void request_stop();
  // request_stop(), then waits at most `budget` for the loop to end; true when it has ended
  // (and the thread is joined). False leaves the thread running a Kafka call.
  bool stop_within(std::chrono::milliseconds budget);
  // request_stop() and join, however long the Kafka call in progress takes.
  void stop();
  // Runs one poll on the caller's thread (tests; the loop uses the same function).
  std::shared_ptr<const ClusterView> poll_once();

 private:
  void run();
  void log_transitions(const model::ClusterSnapshot& snap);

  ClusterCollector collector_;
  store::PartitionHistories histories_;
  store::GroupWindows windows_;
  config::EvaluationConfig evaluation_;
  std::chrono::milliseconds interval_;
  Publish publish_;
  core::PublishOptions publish_options_;
  PollStats stats_;
  std::string last_logged_problem_ = "(no poll yet)";  // so the first poll is always logged
  std::chrono::steady_clock::time_point last_logged_at_{};

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool finished_ = false;  // the loop has returned (set by the thread, under mu_)
  std::thread thread_;
};

}  // namespace lagwatch::collect
