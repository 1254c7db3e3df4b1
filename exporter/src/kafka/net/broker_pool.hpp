// The connections of one cluster and the rounds of requests sent on them.
//
// A round is a batch of calls, each addressed to a broker by node id (the leader of some
// partitions, a group's coordinator) or to any broker (Metadata). All of a round's calls go out
// at once, pipelined per connection and in parallel across brokers, and run() returns when
// every call has its answer or its error; a broker that never answers costs its own calls the
// request timeout and nothing else. The poller's thread drives the io_context inside run()
// only, so between rounds nothing runs and nothing needs a lock; cancel() is the one entry
// point for other threads.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kafka/net/connection.hpp"
#include "kafka/wire/reader.hpp"

namespace lagwatch::kafka::net {

inline constexpr int32_t kAnyBroker = -1;

struct BrokerAddress {
  int32_t node_id = -1;
  std::string host;
  uint16_t port = 0;
};

struct Call {
  int32_t node = kAnyBroker;
  wire::ApiKey key{};
  Encoder encode;
  // Reads the answer's body (after the response header). Throwing marks the call failed with
  // the exception's text (a DecodeError names the field and offset).
  std::function<void(wire::Reader& body, int16_t version)> on_answer;

  // Filled by run().
  bool answered = false;     // on_answer ran without throwing
  bool unsupported = false;  // the broker does not offer this API (error says so too)
  std::string error;         // why not, naming the broker
  std::string broker;        // the connection that answered or failed ("broker 2 (host:port)")
  int16_t version = -1;
};

class BrokerPool {
 public:
  // `bootstrap`: "host:port" strings, validated by the config (a malformed one throws
  // std::invalid_argument here).
  BrokerPool(const std::vector<std::string>& bootstrap, ConnectionOptions options);
  ~BrokerPool();
  BrokerPool(const BrokerPool&) = delete;
  BrokerPool& operator=(const BrokerPool&) = delete;

  // The brokers the last Metadata named. A broker whose address changed or that is gone has
  // its connection closed; a new one is connected on first use.
  void set_brokers(const std::vector<BrokerAddress>& brokers);
  bool knows(int32_t node_id) const { return brokers_.count(node_id) > 0; }
  // What broker `node_id` offers for `key`, once a connection to it has negotiated versions.
  std::optional<wire::VersionRange> broker_versions(int32_t node_id, wire::ApiKey key) const;

  // Sends every call and returns when each is answered or failed. A call to kAnyBroker that
  // fails on its connection is tried on the next broker (known brokers first, then the
  // bootstrap servers) while time remains.
  void run(std::span<Call> calls);

  // Thread-safe: the round in progress ends at once (its open calls fail with "cancelled"),
  // and every later round fails immediately.
  void cancel();
  bool cancelled() const { return cancelled_.load(); }

  // Requests written since the last take, by api key; ApiVersions and SASL included.
  RequestCounter take_request_counts();

  const ConnectionOptions& options() const { return options_; }

 private:
  struct Attempt;
  std::shared_ptr<Connection> connection_for(int32_t node_id);
  std::vector<std::shared_ptr<Connection>> any_broker_candidates();
  void start(Call& call, std::shared_ptr<Attempt> attempt);

  boost::asio::io_context io_;  // first: destroyed last, after every connection
  ConnectionOptions options_;
  RequestCounter counts_;
  std::vector<std::pair<std::string, uint16_t>> bootstrap_;
  std::map<int32_t, std::shared_ptr<Connection>> brokers_;
  std::vector<std::shared_ptr<Connection>> bootstrap_connections_;
  std::atomic<bool> cancelled_{false};
  size_t open_calls_ = 0;
};

// After run(): appends `prefix` + the error of every call that failed for another reason than
// an API the broker lacks, and returns true when there were calls and every one of them found
// the API missing (the cluster does not offer it: "unsupported", not an error).
bool record_failures(std::span<const Call> calls, const std::string& prefix, std::vector<std::string>& errors);

// "host:port" split; throws std::invalid_argument naming the address when it is malformed.
std::pair<std::string, uint16_t> split_host_port(const std::string& address);

}  // namespace lagwatch::kafka::net
