#include "kafka/requests/coordinators.hpp"

#include <memory>

#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/find_coordinator.hpp"

namespace lagwatch::kafka {
namespace {

constexpr int8_t kGroupKey = 0;
// Bounds one batched request; brokers have no documented limit, but a 100 000-group request
// would be a multi-megabyte frame.
constexpr size_t kMaxKeysPerRequest = 1000;
constexpr int16_t kFirstBatchedVersion = 4;

struct Lookup {
  std::vector<std::string> keys;
  bool batched = false;  // the version the connection chose took every key
};

}  // namespace

void forget_coordinators(ClusterClient& client, const std::vector<std::string>& groups) {
  for (const auto& g : groups) client.coordinators().erase(g);
}

std::map<std::string, std::string> find_coordinators(ClusterClient& client, const std::vector<std::string>& groups) {
  std::map<std::string, std::string> failures;
  std::vector<std::string> missing;
  for (const auto& g : groups) {
    if (!client.coordinators().count(g)) missing.push_back(g);
  }

  auto& cache = client.coordinators();
  // One call per chunk of keys; on a broker below v4 only the chunk's first key goes out and
  // the rest follow one per call in a second round.
  auto make_call = [&](std::shared_ptr<Lookup> lookup) {
    net::Call call;
    call.key = wire::ApiKey::find_coordinator;
    call.encode = [lookup](int16_t version) {
      protocol::FindCoordinatorRequest request;
      request.key_type = kGroupKey;
      lookup->batched = version >= kFirstBatchedVersion;
      if (lookup->batched) {
        request.coordinator_keys = lookup->keys;
      } else {
        request.coordinator_keys = {lookup->keys.front()};
      }
      wire::Writer w;
      protocol::encode(w, request, version);
      return w.take();
    };
    call.on_answer = [&cache, &failures, lookup](wire::Reader& r, int16_t version) {
      // Below v4 the answer has no key: it is the one asked for.
      const auto response = protocol::decode_find_coordinator_response(r, version, lookup->keys.front());
      for (const auto& c : response.coordinators) {
        const std::string& key = c.key;
        if (c.error_code != 0) {
          failures[key] = "FindCoordinator: " + protocol::describe_error(c.error_code) +
                          (c.error_message && !c.error_message->empty() && *c.error_message != "NONE"
                               ? " (" + *c.error_message + ")"
                               : "");
        } else {
          cache[key] = c.node_id;
          failures.erase(key);
        }
      }
    };
    return call;
  };

  std::vector<net::Call> calls;
  std::vector<std::shared_ptr<Lookup>> lookups;
  for (size_t i = 0; i < missing.size(); i += kMaxKeysPerRequest) {
    auto lookup = std::make_shared<Lookup>();
    lookup->keys.assign(missing.begin() + i, missing.begin() + std::min(missing.size(), i + kMaxKeysPerRequest));
    lookups.push_back(lookup);
    calls.push_back(make_call(lookup));
  }
  if (calls.empty()) return failures;
  client.pool().run(calls);

  std::vector<net::Call> singles;
  for (size_t i = 0; i < calls.size(); ++i) {
    const auto lookup = lookups[i];  // a copy: lookups grows below
    if (!calls[i].answered) {
      for (const auto& k : lookup->keys) failures[k] = "FindCoordinator: " + calls[i].error;
      continue;
    }
    if (lookup->batched) continue;
    for (size_t k = 1; k < lookup->keys.size(); ++k) {
      auto one = std::make_shared<Lookup>();
      one->keys = {lookup->keys[k]};
      lookups.push_back(one);
      singles.push_back(make_call(one));
    }
  }
  if (!singles.empty()) {
    const size_t first = lookups.size() - singles.size();
    client.pool().run(singles);
    for (size_t i = 0; i < singles.size(); ++i) {
      if (!singles[i].answered) failures[lookups[first + i]->keys.front()] = "FindCoordinator: " + singles[i].error;
    }
  }
  return failures;
}

}  // namespace lagwatch::kafka
