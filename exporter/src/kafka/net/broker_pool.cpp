#include "kafka/net/broker_pool.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <stdexcept>

#include "kafka/wire/frame.hpp"

namespace lagwatch::kafka::net {

std::pair<std::string, uint16_t> split_host_port(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    throw std::invalid_argument("broker address \"" + address + "\" is not host:port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  for (char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535)
      throw std::invalid_argument("broker address \"" + address + "\" has a bad port");
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) throw std::invalid_argument("broker address \"" + address + "\" has a bad port");
  return {host, static_cast<uint16_t>(port)};
}

// One call's way through the candidates of kAnyBroker, or its single broker.
struct BrokerPool::Attempt {
  std::vector<std::shared_ptr<Connection>> candidates;
  size_t next = 0;
  SteadyClock::time_point give_up;
  std::string failures;  // what each candidate said, for the error when all fail
};

BrokerPool::BrokerPool(const std::vector<std::string>& bootstrap, ConnectionOptions options)
    : options_(std::move(options)) {
  // An entry may itself be a comma-separated list, as librdkafka's bootstrap.servers is.
  for (const auto& entry : bootstrap) {
    size_t start = 0;
    while (start <= entry.size()) {
      const size_t comma = std::min(entry.find(',', start), entry.size());
      if (comma > start) bootstrap_.push_back(split_host_port(entry.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  if (bootstrap_.empty()) throw std::invalid_argument("no bootstrap servers");
}

BrokerPool::~BrokerPool() {
  for (auto& [id, c] : brokers_) c->fail_all("client closing");
  for (auto& c : bootstrap_connections_) c->fail_all("client closing");
  // Let the aborted operations' handlers run, so none outlives the connections' sockets.
  io_.restart();
  io_.poll();
  brokers_.clear();
  bootstrap_connections_.clear();
  io_.restart();
  io_.poll();
}

void BrokerPool::set_brokers(const std::vector<BrokerAddress>& brokers) {
  std::map<int32_t, std::shared_ptr<Connection>> next;
  for (const auto& b : brokers) {
    auto it = brokers_.find(b.node_id);
    if (it != brokers_.end() && it->second->host() == b.host && it->second->port() == b.port) {
      next.emplace(b.node_id, it->second);
      brokers_.erase(it);
    } else {
      next.emplace(b.node_id, std::make_shared<Connection>(io_, options_, b.host, b.port, b.node_id, &counts_));
    }
  }
  for (auto& [id, c] : brokers_) c->fail_all("broker " + std::to_string(id) + " left the cluster's metadata");
  brokers_.swap(next);
  // Bootstrap connections served their purpose once brokers are known.
  if (!brokers_.empty()) {
    for (auto& c : bootstrap_connections_) c->fail_all("bootstrap connection no longer needed");
    bootstrap_connections_.clear();
  }
  io_.restart();
  io_.poll();
}

std::optional<wire::VersionRange> BrokerPool::broker_versions(int32_t node_id, wire::ApiKey key) const {
  auto it = brokers_.find(node_id);
  if (it == brokers_.end()) return std::nullopt;
  return it->second->broker_versions(key);
}

std::shared_ptr<Connection> BrokerPool::connection_for(int32_t node_id) {
  auto it = brokers_.find(node_id);
  return it == brokers_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Connection>> BrokerPool::any_broker_candidates() {
  std::vector<std::shared_ptr<Connection>> ready, others;
  for (auto& [id, c] : brokers_) (c->ready() ? ready : others).push_back(c);
  ready.insert(ready.end(), others.begin(), others.end());
  if (bootstrap_connections_.empty()) {
    for (const auto& [host, port] : bootstrap_) {
      bootstrap_connections_.push_back(std::make_shared<Connection>(io_, options_, host, port, -1, &counts_));
    }
  }
  // The bootstrap servers last: they are the fallback when no known broker answers.
  ready.insert(ready.end(), bootstrap_connections_.begin(), bootstrap_connections_.end());
  return ready;
}

void BrokerPool::start(Call& call, std::shared_ptr<Attempt> attempt) {
  if (cancelled_) {
    call.error = "cancelled: lagwatch is stopping";
    --open_calls_;
    return;
  }
  if (attempt->next >= attempt->candidates.size() || SteadyClock::now() >= attempt->give_up) {
    call.error = attempt->failures.empty() ? "no broker to ask" : attempt->failures;
    --open_calls_;
    return;
  }
  auto connection = attempt->candidates[attempt->next++];
  const auto deadline = std::min(attempt->give_up, SteadyClock::now() + options_.request_timeout);
  connection->submit(
      call.key, call.encode,
      [this, &call, attempt, connection](Answer a) {
        call.broker = connection->describe();
        call.version = a.version;
        if (a.unsupported) {
          // Not a fault of this broker's connection: the API is missing; no other broker is asked.
          call.unsupported = true;
          call.error = a.error;
          --open_calls_;
          return;
        }
        if (!a.ok()) {
          attempt->failures += (attempt->failures.empty() ? "" : "; ") + a.error;
          // Only the answer is missing, so another broker may give it.
          return start(call, attempt);
        }
        try {
          auto body = wire::response_body(a.frame, call.key, a.version);
          call.on_answer(body, a.version);
          call.answered = true;
        } catch (const std::exception& e) {
          call.error = wire::api_name(call.key) + " v" + std::to_string(a.version) + " answer from " +
                       connection->describe() + " does not decode: " + e.what();
        }
        --open_calls_;
      },
      deadline);
}

void BrokerPool::run(std::span<Call> calls) {
  io_.restart();
  const auto now = SteadyClock::now();
  open_calls_ = calls.size();
  for (auto& call : calls) {
    call.answered = false;
    call.unsupported = false;
    call.error.clear();
    auto attempt = std::make_shared<Attempt>();
    if (call.node == kAnyBroker) {
      attempt->candidates = any_broker_candidates();
      // Time for a few brokers to refuse quickly, but not for several to hang in turn.
      attempt->give_up = now + 2 * options_.request_timeout;
    } else if (auto c = connection_for(call.node)) {
      attempt->candidates.push_back(std::move(c));
      attempt->give_up = now + options_.request_timeout;
    } else {
      call.error = "broker " + std::to_string(call.node) + " is not in the cluster's metadata";
      --open_calls_;
      continue;
    }
    start(call, std::move(attempt));
  }
  while (open_calls_ > 0) {
    if (io_.run_one() == 0) {
      // Every open call waits on a socket or a deadline timer, so this cannot happen; if it
      // ever did, fail the calls rather than spin.
      for (auto& [id, c] : brokers_) c->fail_all("internal error: request lost its handler");
      for (auto& c : bootstrap_connections_) c->fail_all("internal error: request lost its handler");
      io_.restart();
      io_.poll();
      for (auto& call : calls) {
        if (!call.answered && call.error.empty()) call.error = "internal error: request lost its handler";
      }
      open_calls_ = 0;
      break;
    }
    if (cancelled_ && open_calls_ > 0) {
      for (auto& [id, c] : brokers_) c->fail_all("cancelled: lagwatch is stopping");
      for (auto& c : bootstrap_connections_) c->fail_all("cancelled: lagwatch is stopping");
    }
  }
}

void BrokerPool::cancel() {
  cancelled_.store(true);
  // Wakes run_one() so the loop above sees the flag.
  boost::asio::post(io_, [] {});
}

RequestCounter BrokerPool::take_request_counts() {
  RequestCounter out;
  out.swap(counts_);
  return out;
}

bool record_failures(std::span<const Call> calls, const std::string& prefix, std::vector<std::string>& errors) {
  size_t unsupported = 0;
  for (const auto& c : calls) {
    if (c.answered) continue;
    if (c.unsupported) {
      ++unsupported;
    } else {
      errors.push_back(prefix + c.error);
    }
  }
  return !calls.empty() && unsupported == calls.size();
}

}  // namespace lagwatch::kafka::net
