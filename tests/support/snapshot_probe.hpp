// Small readers of a ClusterSnapshot for the Kafka client's integration tests: its errors and
// request counts as text for failure messages, a request count by API, a group by name.
#pragma once

#include <cstdint>
#include <string>

#include "model/snapshot.hpp"

namespace lagwatch::testing {

// One line per poll error, "kind: message".
inline std::string errors_of(const model::ClusterSnapshot& snap) {
  std::string out;
  for (const auto& e : snap.errors) out += std::string(model::to_string(e.kind)) + ": " + e.message + "\n";
  return out;
}

// "Metadata 1, ListOffsets 6, ...".
inline std::string requests_of(const model::ClusterSnapshot& snap) {
  std::string out;
  for (const auto& [api, n] : snap.requests) out += (out.empty() ? "" : ", ") + api + " " + std::to_string(n);
  return out;
}

// Requests of one API (by Kafka's name) written since the previous poll.
inline uint64_t requests(const model::ClusterSnapshot& snap, const std::string& api) {
  auto it = snap.requests.find(api);
  return it == snap.requests.end() ? 0 : it->second;
}

inline const model::Group* find_group(const model::ClusterSnapshot& snap, const std::string& name) {
  for (const auto& g : snap.groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace lagwatch::testing
