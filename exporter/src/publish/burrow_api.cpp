#include "publish/burrow_api.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "evaluate/status.hpp"

namespace lagwatch::publish {
namespace {

using json = nlohmann::ordered_json;

std::string hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "lagwatch";
  return buf;
}

http::Response reply(const http::Request& req, int status, bool error, const std::string& message, json body) {
  json out;
  out["error"] = error;
  out["message"] = message;
  for (auto& [k, v] : body.items()) out[k] = v;
  out["request"] = {{"url", req.target}, {"host", hostname()}};
  // The target is echoed as received, and its bytes need not be UTF-8 (an absolute-form
  // authority is not decoded or checked): replace those instead of throwing type_error 316.
  return {status, "application/json", out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", false, {}};
}

http::Response not_found(const http::Request& req, const std::string& message) {
  return reply(req, 404, true, message, json::object());
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

json observation(const evaluate::Observation& o) {
  json lag = o.lag ? json(*o.lag) : json(nullptr);
  return {{"offset", o.offset}, {"timestamp", o.timestamp_ms}, {"observedAt", o.timestamp_ms}, {"lag", lag}};
}

json partition_status(const evaluate::GroupEvaluation& ev, const evaluate::PartitionResult& p) {
  auto owner = ev.owners.find({p.topic, p.partition});
  json j;
  j["topic"] = p.topic;
  j["partition"] = p.partition;
  j["owner"] = owner == ev.owners.end() ? "" : owner->second.host;
  j["client_id"] = owner == ev.owners.end() ? "" : owner->second.client_id;
  j["status"] = evaluate::status_name(p.verdict.status);
  j["start"] = p.start ? observation(*p.start) : json(nullptr);
  j["end"] = p.end ? observation(*p.end) : json(nullptr);
  j["current_lag"] = p.current_lag;
  j["complete"] = p.verdict.completeness;
  return j;
}

json group_status(const std::string& cluster, const evaluate::GroupEvaluation& ev, bool all_partitions) {
  const auto& v = ev.verdict;
  json parts = json::array();
  for (const auto& p : v.partitions) {
    if (all_partitions || p.verdict.status != evaluate::Status::OK) parts.push_back(partition_status(ev, p));
  }
  json j;
  j["cluster"] = cluster;
  j["group"] = ev.group;
  j["status"] = evaluate::status_name(v.status);
  j["complete"] = v.completeness;
  j["partitions"] = parts;
  j["partition_count"] = v.partition_count;
  j["maxlag"] = v.max_lag ? partition_status(ev, *v.max_lag) : json(nullptr);
  j["totallag"] = v.total_lag;
  return j;
}

json consumer_detail(const core::ClusterView& view, const evaluate::GroupEvaluation& ev, size_t window) {
  json topics = json::object();
  const model::GroupLag* lag = nullptr;
  for (const auto& g : view.lag) {
    if (g.group == ev.group) lag = &g;
  }
  if (!lag) return topics;
  for (const auto& p : lag->partitions) {
    json& list = topics[p.topic];
    if (list.is_null()) list = json::array();
    const model::Topic* topic = view.snapshot->find_topic(p.topic);
    size_t count = topic ? topic->partitions.size() : 0;
    while (list.size() < count || list.size() <= static_cast<size_t>(p.partition)) {
      list.push_back({{"offsets", json::array()}, {"owner", ""}, {"client_id", ""}, {"current-lag", 0}});
    }
    json& entry = list[static_cast<size_t>(p.partition)];
    // Burrow's ring of `window` slots, oldest first; slots not yet filled are null.
    json offsets = json::array();
    auto w = ev.windows.find({p.topic, p.partition});
    size_t filled = w == ev.windows.end() ? 0 : w->second.size();
    for (size_t i = filled; i < window; ++i) offsets.push_back(nullptr);
    if (filled) {
      for (const auto& o : w->second) offsets.push_back(observation(o));
    }
    entry["offsets"] = offsets;
    if (auto owner = ev.owners.find({p.topic, p.partition}); owner != ev.owners.end()) {
      entry["owner"] = owner->second.host;
      entry["client_id"] = owner->second.client_id;
    }
    entry["current-lag"] = p.lag.value_or(0);
  }
  return topics;
}

}  // namespace

std::optional<http::Response> burrow_api(const http::Request& req, const Views& views, const config::Config& config,
                                         bool ready) {
  if (req.path == "/burrow/admin") return http::Response{200, "text/plain; charset=utf-8", "GOOD", false, {}};
  if (req.path == "/burrow/admin/ready") {
    if (ready) return http::Response{200, "text/plain; charset=utf-8", "READY", false, {}};
    return http::Response{503, "text/plain; charset=utf-8", "STARTING", false, {}};
  }
  auto parts = split_path(req.path);
  if (parts.size() < 2 || parts[0] != "v3" || parts[1] != "kafka") return std::nullopt;

  if (parts.size() == 2) {
    json clusters = json::array();
    for (const auto& c : config.clusters) clusters.push_back(c.name);
    return reply(req, 200, false, "cluster list returned", {{"clusters", clusters}});
  }
  const std::string& cluster = parts[2];
  const config::ClusterConfig* cc = nullptr;
  for (const auto& c : config.clusters) {
    if (c.name == cluster) cc = &c;
  }
  if (!cc) return not_found(req, "cluster not found");
  auto it = views.find(cluster);
  if (parts.size() == 3) {
    json module = {{"class-name", "kafka"},
                   {"servers", cc->bootstrap_servers},
                   {"client-profile", {{"name", "lagwatch"}, {"client-id", "lagwatch"}}},
                   {"topic-refresh", config.poll_interval_for(*cc).count() / 1000},
                   {"offset-refresh", config.poll_interval_for(*cc).count() / 1000}};
    return reply(req, 200, false, "cluster module detail returned", {{"module", module}});
  }
  // Everything below needs a first poll.
  if (it == views.end()) return not_found(req, "cluster not polled yet");
  const auto& view = *it->second;

  if (parts[3] == "topic") {
    if (parts.size() == 4) {
      json topics = json::array();
      for (const auto& t : view.snapshot->topics) topics.push_back(t.name);
      return reply(req, 200, false, "topic list returned", {{"topics", topics}});
    }
    if (parts.size() == 5) {
      const model::Topic* t = view.snapshot->find_topic(parts[4]);
      if (!t) return not_found(req, "topic not found");
      json offsets = json::array();
      for (const auto& p : t->partitions) offsets.push_back(p.log_end_offset.value_or(-1));
      return reply(req, 200, false, "topic offsets returned", {{"offsets", offsets}});
    }
  }
  if (parts[3] == "consumer") {
    if (parts.size() == 4) {
      json groups = json::array();
      for (const auto& ev : view.evaluations) groups.push_back(ev.group);
      return reply(req, 200, false, "consumer list returned", {{"consumers", groups}});
    }
    const evaluate::GroupEvaluation* ev = nullptr;
    for (const auto& e : view.evaluations) {
      if (e.group == parts[4]) ev = &e;
    }
    if (!ev) return not_found(req, "consumer group not found");
    if (parts.size() == 5) {
      return reply(req, 200, false, "consumer detail returned",
                   {{"topics", consumer_detail(view, *ev, static_cast<size_t>(config.evaluation.window))}});
    }
    if (parts.size() == 6 && (parts[5] == "status" || parts[5] == "lag")) {
      return reply(req, 200, false, "consumer status returned",
                   {{"status", group_status(cluster, *ev, parts[5] == "lag")}});
    }
  }
  return not_found(req, "no such endpoint: " + req.path);
}

}  // namespace lagwatch::publish
