#include "collect/poller.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "util/saturating.hpp"

namespace lagwatch::collect {
namespace {

double unix_seconds(model::Clock::time_point t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// One line that names every kind of failure of a poll, and its first message.
std::string describe_problem(const model::ClusterSnapshot& snap) {
  if (!snap.metadata_ok) return "unreachable: " + (snap.errors.empty() ? std::string("?") : snap.errors[0].message);
  std::set<std::string> kinds;
  std::string first;
  for (const auto& e : snap.errors) {
    kinds.insert(model::to_string(e.kind));
    if (first.empty()) first = e.message;
  }
  if (kinds.empty()) return "";
  std::string out = "partial poll (";
  for (const auto& k : kinds) out += (out.back() == '(' ? "" : ", ") + k;
  return out + "): " + first +
         (snap.errors.size() > 1 ? " (+" + std::to_string(snap.errors.size() - 1) + " more)" : "");
}

}  // namespace

Poller::Poller(const config::Config& config, const config::ClusterConfig& cluster, Publish publish)
    : collector_(cluster, config.poll, config.log_dirs),
      histories_(static_cast<size_t>(config.lag.history_points)),
      windows_(static_cast<size_t>(config.evaluation.window)),
      evaluation_(config.evaluation),
      interval_(config.poll_interval_for(cluster)),
      publish_(std::move(publish)) {
  for (const auto& [name, value] : cluster.labels) publish_options_.labels.emplace_back(name, value);
  publish_options_.partition_size_series = config.log_dirs.partition_series;
  publish_options_.partition_size_limit_bytes = config.log_dirs.partition_size_limit_bytes;
}

Poller::~Poller() { stop(); }

void Poller::start() {
  thread_ = std::thread([this] { run(); });
}

void Poller::request_stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  collector_.cancel();
  wake_.notify_all();
}

bool Poller::stop_within(std::chrono::milliseconds budget) {
  request_stop();
  if (!thread_.joinable()) return true;
  {
    std::unique_lock lock(mu_);
    if (!wake_.wait_for(lock, budget, [this] { return finished_; })) return false;
  }
  thread_.join();
  return true;
}

void Poller::stop() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void Poller::run() {
  for (;;) {
    // Saturating: an interval near the duration's limit must mean "never again", not a time
    // point in the past that would make the loop spin.
    auto next = util::saturating_add(std::chrono::steady_clock::now(), interval_);
    poll_once();
    std::unique_lock lock(mu_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) {
      finished_ = true;
      wake_.notify_all();
      return;
    }
  }
}

std::shared_ptr<const ClusterView> Poller::poll_once() {
  auto snap = std::make_shared<model::ClusterSnapshot>(collector_.poll());
  if (collector_.cancelled()) return nullptr;  // stopping: half a poll is not a picture
  histories_.record(*snap);

  stats_.polls++;
  stats_.up = snap->metadata_ok;
  stats_.last_duration_seconds = std::chrono::duration<double>(snap->finished - snap->started).count();
  for (const auto& e : snap->errors) stats_.errors_by_kind[model::to_string(e.kind)]++;
  // "Successful" means every partition and group was read, not just that Metadata answered.
  if (snap->metadata_ok && snap->errors.empty()) stats_.last_success_unix_seconds = unix_seconds(snap->finished);
  log_transitions(*snap);

  auto view = std::make_shared<ClusterView>();
  view->lag = model::compute_lag(*snap, &histories_);
  if (snap->metadata_ok) {
    const int64_t now_ms = snap->offsets_read_ms();
    auto wanted = model::lower_bound_partitions(view->lag);
    if (!wanted.empty()) model::anchor_lag_seconds(view->lag, collector_.record_timestamps(wanted), now_ms);
    windows_.record(view->lag, now_ms);
    model::annotate_retention_risk(view->lag, *snap, &histories_);
    view->evaluations = evaluate::evaluate_cluster(*snap, view->lag, windows_, histories_, evaluation_, now_ms);
  }
  view->stats = stats_;
  view->histories = histories_.size();
  view->publish = publish_options_;
  view->snapshot = std::move(snap);
  if (publish_) publish_(view);
  return view;
}

void Poller::log_transitions(const model::ClusterSnapshot& snap) {
  // A cluster that stays down must not write a line per poll: log when the problem changes,
  // and remind every 10 minutes while it lasts.
  std::string problem = describe_problem(snap);
  auto now = std::chrono::steady_clock::now();
  bool changed = problem != last_logged_problem_;
  bool remind = !problem.empty() && now - last_logged_at_ > std::chrono::minutes(10);
  if (!changed && !remind) return;
  if (problem.empty()) {
    spdlog::info("cluster {}: polled {} brokers, {} topics, {} groups; all requests answered", snap.cluster,
                 snap.brokers.size(), snap.topics.size(), snap.groups.size());
  } else if (!snap.metadata_ok) {
    spdlog::error("cluster {}: {}", snap.cluster, problem);
  } else {
    spdlog::warn("cluster {}: {}", snap.cluster, problem);
  }
  for (const auto& api : snap.unsupported_apis) {
    if (changed)
      spdlog::info("cluster {}: {} is not available on this cluster; the metrics that need it are absent", snap.cluster,
                   api);
  }
  last_logged_problem_ = std::move(problem);
  last_logged_at_ = now;
}

}  // namespace lagwatch::collect
