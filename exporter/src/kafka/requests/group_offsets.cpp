#include "kafka/requests/group_offsets.hpp"

#include <map>

#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/offset_fetch.hpp"
#include "kafka/requests/coordinators.hpp"

namespace lagwatch::kafka {
namespace {

constexpr int16_t kFirstMultiGroupVersion = 8;
constexpr size_t kMaxGroupsPerRequest = 200;

protocol::OffsetFetchRequestGroup request_group(const GroupOffsetsRequest& g) {
  protocol::OffsetFetchRequestGroup out;
  out.group_id = g.group;
  if (g.partitions) {
    std::map<std::string, std::vector<int32_t>> by_topic;
    for (const auto& [t, p] : *g.partitions) by_topic[t].push_back(p);
    std::vector<protocol::OffsetFetchRequestTopic> topics;
    for (auto& [t, ps] : by_topic) topics.push_back({t, std::move(ps)});
    out.topics = std::move(topics);
  }
  return out;
}

}  // namespace

GroupOffsetsOutcome fetch_group_offsets(ClusterClient& client, const std::vector<GroupOffsetsRequest>& requests) {
  GroupOffsetsOutcome outcome;
  outcome.results.resize(requests.size());
  std::map<std::string, size_t> index;
  std::vector<std::string> names;
  for (size_t i = 0; i < requests.size(); ++i) {
    outcome.results[i].group = requests[i].group;
    index[requests[i].group] = i;
    names.push_back(requests[i].group);
  }
  std::vector<bool> done(requests.size(), false);
  for (const auto& [group, error] : find_coordinators(client, names)) {
    if (auto it = index.find(group); it != index.end()) outcome.results[it->second].error = error;
  }

  for (int attempt = 0; attempt < 2; ++attempt) {
    // Requests per coordinator: one multi-group request where the broker has v8+, else one per group.
    std::vector<std::vector<size_t>> batches;
    std::vector<int32_t> nodes;
    std::map<int32_t, std::vector<size_t>> by_coordinator;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (done[i]) continue;
      auto it = client.coordinators().find(requests[i].group);
      if (it == client.coordinators().end()) continue;
      by_coordinator[it->second].push_back(i);
    }
    for (auto& [node, members] : by_coordinator) {
      const auto range = client.pool().broker_versions(node, wire::ApiKey::offset_fetch);
      const auto version = range ? wire::pick_version(wire::ApiKey::offset_fetch, *range) : std::nullopt;
      const bool multi = version && *version >= kFirstMultiGroupVersion;
      const size_t chunk = multi ? kMaxGroupsPerRequest : 1;
      for (size_t i = 0; i < members.size(); i += chunk) {
        batches.emplace_back(members.begin() + i, members.begin() + std::min(members.size(), i + chunk));
        nodes.push_back(node);
      }
    }
    if (batches.empty()) break;

    std::vector<net::Call> calls;
    std::vector<std::string> moved;
    for (size_t b = 0; b < batches.size(); ++b) {
      net::Call call;
      call.node = nodes[b];
      call.key = wire::ApiKey::offset_fetch;
      const auto* batch = &batches[b];
      call.encode = [&requests, batch](int16_t version) {
        protocol::OffsetFetchRequest request;
        // A connection that negotiated below v8 after the batch was formed: only one group fits.
        const size_t n = version >= kFirstMultiGroupVersion ? batch->size() : 1;
        for (size_t k = 0; k < n; ++k) request.groups.push_back(request_group(requests[(*batch)[k]]));
        wire::Writer w;
        protocol::encode(w, request, version);
        return w.take();
      };
      call.on_answer = [&, batch](wire::Reader& r, int16_t version) {
        // Below v8 the answer does not repeat the group: it is the batch's only one.
        const auto response = protocol::decode_offset_fetch_response(r, version, requests[batch->front()].group);
        for (const auto& g : response.groups) {
          auto it = index.find(g.group_id);
          if (it == index.end()) continue;
          auto& result = outcome.results[it->second];
          if (protocol::coordinator_moved(g.error_code)) {
            moved.push_back(g.group_id);
            result.error = "OffsetFetch: " + protocol::describe_error(g.error_code);
            continue;
          }
          done[it->second] = true;
          result.offsets.clear();
          result.error.clear();
          if (g.error_code != 0) {
            result.error = protocol::describe_error(g.error_code);
            continue;
          }
          for (const auto& t : g.topics) {
            for (const auto& p : t.partitions) {
              if (p.error_code != 0 || p.committed_offset < 0) continue;
              result.offsets.push_back({t.name, p.partition_index, p.committed_offset});
            }
          }
        }
      };
      calls.push_back(std::move(call));
    }
    client.pool().run(calls);
    outcome.requests += static_cast<int>(calls.size());
    for (size_t b = 0; b < batches.size(); ++b) {
      const auto& batch = batches[b];
      if (calls[b].answered) {
        // Groups the answer left out (a v<8 connection took only the first): ask again below.
        continue;
      }
      for (size_t i : batch) {
        outcome.results[i].error = calls[b].error;
        moved.push_back(requests[i].group);
      }
    }
    bool again = false;
    for (size_t i = 0; i < requests.size(); ++i) again = again || !done[i];
    if (!again || attempt == 1) break;
    forget_coordinators(client, moved);
    for (const auto& [group, error] : find_coordinators(client, moved)) {
      if (auto it = index.find(group); it != index.end()) outcome.results[it->second].error = error;
    }
  }
  // A group the answers left out twice is a failure to read it, not a group without commits.
  for (size_t i = 0; i < requests.size(); ++i) {
    if (!done[i] && outcome.results[i].error.empty()) {
      outcome.results[i].error = "OffsetFetch: the coordinator's answer did not include the group";
    }
  }
  return outcome;
}

}  // namespace lagwatch::kafka
