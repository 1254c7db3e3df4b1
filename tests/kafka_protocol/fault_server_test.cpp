// Tests of the fault-injecting Kafka server (tests/support/kafka_fault_server.hpp) itself, with a
// plain asio client whose every read has a deadline, so a fault that misbehaves fails a test
// instead of hanging it.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "kafka/wire/writer.hpp"
#include "kafka_fault_server.hpp"

namespace lagwatch::testing {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;

// A blocking-style Kafka client: connect, send request frames, read with a deadline.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  // Whether a connection to `port` is accepted now.
  static bool can_connect(uint16_t port) {
    boost::asio::io_context ioc;
    tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
    return !ec;
  }

  void send_raw(const std::vector<uint8_t>& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }

  // A request frame: header v1 (client id "t") and `body`.
  void send(int16_t api_key, int16_t version, int32_t correlation_id, const std::vector<uint8_t>& body = {}) {
    kafka::wire::Writer w;
    w.int16(api_key);
    w.int16(version);
    w.int32(correlation_id);
    w.string("t", false);
    w.raw(body);
    std::vector<uint8_t> frame;
    fault_detail::append32(frame, static_cast<uint32_t>(w.size()));
    frame.insert(frame.end(), w.bytes().begin(), w.bytes().end());
    send_raw(frame);
  }

  struct Read {
    std::vector<uint8_t> bytes;  // what arrived
    boost::system::error_code ec;
    bool timed_out = false;
  };

  // Reads exactly `n` bytes, or what arrives before end of stream, an error or `timeout`.
  Read read(size_t n, std::chrono::milliseconds timeout = 5s) {
    Read r;
    r.bytes.resize(n);
    size_t got = 0;
    bool finished = false;
    boost::asio::async_read(socket_, boost::asio::buffer(r.bytes), [&](const boost::system::error_code& ec, size_t k) {
      r.ec = ec;
      got = k;
      finished = true;
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!finished) {
      r.timed_out = true;
      socket_.cancel();
      ioc_.restart();
      ioc_.run();
    }
    r.bytes.resize(got);
    return r;
  }

  // The size prefix of the next frame; nullopt on timeout or end of stream.
  std::optional<uint32_t> prefix(std::chrono::milliseconds timeout = 5s) {
    const auto r = read(4, timeout);
    if (r.bytes.size() != 4) return std::nullopt;
    return fault_detail::be32(r.bytes.data());
  }

  // The next whole frame (without prefix); nullopt on timeout or end of stream.
  std::optional<std::vector<uint8_t>> frame(std::chrono::milliseconds timeout = 5s) {
    const auto size = prefix(timeout);
    if (!size) return std::nullopt;
    auto r = read(*size, timeout);
    if (r.bytes.size() != *size) return std::nullopt;
    return std::move(r.bytes);
  }

 private:
  boost::asio::io_context ioc_;
  tcp::socket socket_;
};

int32_t correlation_of(const std::vector<uint8_t>& frame) {
  return static_cast<int32_t>(fault_detail::be32(frame.data()));
}

// 40 body bytes that say who answered and to which API.
std::vector<uint8_t> answer_body(int16_t api_key, uint8_t who = 'A') {
  std::vector<uint8_t> b(40);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(who + api_key + i);
  return b;
}

// A responder answering every request with answer_body(api_key, who).
KafkaResponder echo(uint8_t who = 'A') {
  return [who](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
    return kafka_response(r.correlation_id, false, answer_body(r.api_key, who));
  };
}

std::vector<uint8_t> expected(int32_t correlation_id, int16_t api_key, uint8_t who = 'A') {
  return kafka_response(correlation_id, false, answer_body(api_key, who));
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(FaultServer, ResponderAnswersInRequestOrderAndCountsRequests) {
  KafkaFaultServer server;
  server.set_responder(echo());
  Client c(server.port());
  c.send(kApiApiVersions, 3, 1);
  c.send(kApiMetadata, 1, 2);
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), expected(1, kApiApiVersions));
  EXPECT_EQ(c.frame(), expected(2, kApiMetadata));
  EXPECT_EQ(c.frame(), expected(3, kApiMetadata));
  EXPECT_EQ(server.requests(kApiApiVersions), 1u);
  EXPECT_EQ(server.requests(kApiMetadata), 2u);
  EXPECT_EQ(server.requests(kApiOffsetFetch), 0u);
  EXPECT_EQ(server.requests_total(), 3u);
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(server.open_connections(), 1u);
}

TEST(FaultServer, ResponderSeesTheParsedHeaderAndTheWholeRequest) {
  KafkaFaultServer server;
  std::mutex mu;
  std::vector<KafkaRequest> seen;
  server.set_responder([&](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
    std::lock_guard lock(mu);
    seen.push_back(r);
    return kafka_response(r.correlation_id, true, std::vector<uint8_t>{9, 9});
  });
  Client c(server.port());
  c.send(kApiOffsetFetch, 8, 0x01020304, {0xaa, 0xbb});
  EXPECT_EQ(c.frame(), (std::vector<uint8_t>{1, 2, 3, 4, 0, 9, 9}));  // flexible header: empty tags
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].api_key, kApiOffsetFetch);
  EXPECT_EQ(seen[0].api_version, 8);
  EXPECT_EQ(seen[0].correlation_id, 0x01020304);
  // api key, version, correlation id, client id "t", body.
  EXPECT_EQ(seen[0].bytes, (std::vector<uint8_t>{0, 9, 0, 8, 1, 2, 3, 4, 0, 1, 't', 0xaa, 0xbb}));
}

TEST(FaultServer, ForwardsToUpstreamAndTheResponderTakesPriority) {
  KafkaFaultServer upstream;
  upstream.set_responder(echo('B'));
  KafkaFaultServer front(upstream.address());
  front.set_responder([](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
    if (r.api_key != kApiApiVersions) return std::nullopt;
    return kafka_response(r.correlation_id, false, answer_body(r.api_key, 'A'));
  });
  Client c(front.port());
  // Pipelined: the front's own answer to 2 comes back after the forwarded answer to 1.
  c.send(kApiMetadata, 1, 1);
  c.send(kApiApiVersions, 3, 2);
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), expected(1, kApiMetadata, 'B'));
  EXPECT_EQ(c.frame(), expected(2, kApiApiVersions, 'A'));
  EXPECT_EQ(c.frame(), expected(3, kApiMetadata, 'B'));
  EXPECT_EQ(front.requests_total(), 3u);
  EXPECT_EQ(upstream.requests(kApiMetadata), 2u);
  EXPECT_EQ(upstream.requests(kApiApiVersions), 0u);
  EXPECT_EQ(upstream.connections_accepted(), 1u);  // one upstream connection per client connection
}

TEST(FaultServer, WithoutResponderOrUpstreamNothingIsAnswered) {
  KafkaFaultServer server;
  Client c(server.port());
  c.send(kApiMetadata, 1, 1);
  const auto r = c.read(1, 300ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(server.wait_for_requests(kApiMetadata, 1));
  EXPECT_EQ(server.open_connections(), 1u);
}

TEST(FaultServer, AnUpstreamThatGoesDownClosesTheClientConnection) {
  KafkaFaultServer upstream;
  upstream.set_responder(echo('B'));
  KafkaFaultServer front(upstream.address());
  Client c(front.port());
  c.send(kApiMetadata, 1, 1);
  EXPECT_EQ(c.frame(), expected(1, kApiMetadata, 'B'));
  upstream.down();
  const auto r = c.read(1);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.ec);
  EXPECT_TRUE(eventually([&] { return front.open_connections() == 0; }));
  // While the upstream is down, the front accepts and closes at once.
  Client d(front.port());
  EXPECT_TRUE(d.read(1).ec);
}

TEST(FaultServer, CloseMidFrameSendsTheRealPrefixAndHalfTheBodyThenCloses) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::close_mid_frame());
  Client c(server.port());
  c.send(kApiMetadata, 1, 7);
  const auto full = expected(7, kApiMetadata);
  EXPECT_EQ(c.prefix(), full.size());
  const auto r = c.read(full.size());
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.ec, boost::asio::error::eof);
  EXPECT_EQ(r.bytes, std::vector<uint8_t>(full.begin(), full.begin() + full.size() / 2));
  EXPECT_TRUE(eventually([&] { return server.open_connections() == 0; }));
}

TEST(FaultServer, CloseMidFrameKeepsTheBytesAskedFor) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::close_mid_frame(3));
  Client c(server.port());
  c.send(kApiMetadata, 1, 7);
  EXPECT_TRUE(c.prefix().has_value());
  EXPECT_EQ(c.read(100).bytes.size(), 3u);
}

TEST(FaultServer, StallOnOneApiDropsThatAnswerOnlyAndKeepsReading) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::stall().on(kApiOffsetFetch));
  Client c(server.port());
  c.send(kApiOffsetFetch, 1, 1);
  c.send(kApiMetadata, 1, 2);
  c.send(kApiOffsetFetch, 1, 3);
  EXPECT_EQ(c.frame(), expected(2, kApiMetadata));
  EXPECT_TRUE(c.read(1, 300ms).timed_out);
  EXPECT_EQ(server.requests(kApiOffsetFetch), 2u);
  EXPECT_EQ(server.open_connections(), 1u);
}

TEST(FaultServer, StallOnEverythingIsABrokerThatNeverAnswers) {
  KafkaFaultServer upstream;
  upstream.set_responder(echo('B'));
  KafkaFaultServer server(upstream.address());
  server.inject(Fault::stall());
  Client c(server.port());
  c.send(kApiApiVersions, 3, 1);
  c.send(kApiMetadata, 1, 2);
  EXPECT_TRUE(c.read(1, 300ms).timed_out);
  EXPECT_EQ(server.requests_total(), 2u);
  // Still forwarded, so the upstream connection stays in step once the stall is lifted.
  EXPECT_TRUE(upstream.wait_for_requests(-1, 2));
  server.clear_faults();
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), expected(3, kApiMetadata, 'B'));
}

TEST(FaultServer, TruncateSendsAShortFrameOnceThenAnswersNormally) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::truncate().on(kApiMetadata).once());
  Client c(server.port());
  c.send(kApiApiVersions, 3, 1);
  c.send(kApiMetadata, 1, 2);
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), expected(1, kApiApiVersions));
  const auto full = expected(2, kApiMetadata);
  const auto cut = c.frame();
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(*cut, std::vector<uint8_t>(full.begin(), full.begin() + full.size() / 2));
  EXPECT_EQ(correlation_of(*cut), 2);
  EXPECT_EQ(c.frame(), expected(3, kApiMetadata));
}

TEST(FaultServer, TruncateKeepsTheBytesAskedFor) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::truncate(6));
  Client c(server.port());
  c.send(kApiMetadata, 1, 2);
  const auto cut = c.frame();
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->size(), 6u);
}

TEST(FaultServer, GarbageHasAPlausiblePrefixAndRandomBytes) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::garbage().once());
  Client c(server.port());
  c.send(kApiMetadata, 1, 1);
  c.send(kApiMetadata, 1, 2);
  const auto full = expected(1, kApiMetadata);
  const auto noise = c.frame();
  ASSERT_TRUE(noise.has_value());
  EXPECT_EQ(noise->size(), full.size());
  EXPECT_NE(*noise, full);
  EXPECT_EQ(c.frame(), expected(2, kApiMetadata));
}

TEST(FaultServer, GarbageNeedsNoRealAnswer) {
  KafkaFaultServer server;
  server.inject(Fault::garbage());
  Client c(server.port());
  c.send(kApiMetadata, 1, 1);
  const auto noise = c.frame();
  ASSERT_TRUE(noise.has_value());
  EXPECT_EQ(noise->size(), 64u);
}

TEST(FaultServer, HugeLengthAnnouncesTwoGigabytesAndThenSendsNothingMore) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::huge_length().once());
  Client c(server.port());
  c.send(kApiMetadata, 1, 5);
  EXPECT_EQ(c.prefix(), 0x7fffffffu);
  const auto head = c.read(4);
  EXPECT_EQ(head.bytes, (std::vector<uint8_t>{0, 0, 0, 5}));
  c.send(kApiMetadata, 1, 6);  // answered normally by the server, but never written
  EXPECT_TRUE(server.wait_for_requests(kApiMetadata, 2));
  EXPECT_TRUE(c.read(1, 300ms).timed_out);
  EXPECT_EQ(server.open_connections(), 1u);
}

TEST(FaultServer, WrongCorrelationIdAnswersWithAnIdNoRequestHas) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::wrong_correlation_id().on(kApiMetadata));
  Client c(server.port());
  c.send(kApiMetadata, 1, 7);
  const auto f = c.frame();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(correlation_of(*f), ~7);
  auto full = expected(7, kApiMetadata);
  EXPECT_EQ(std::vector<uint8_t>(f->begin() + 4, f->end()), std::vector<uint8_t>(full.begin() + 4, full.end()));
}

TEST(FaultServer, DelayAnswersLateAndLaterAnswersQueueBehind) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::delay(500ms).on(kApiMetadata).once());
  Client c(server.port());
  const auto start = std::chrono::steady_clock::now();
  c.send(kApiMetadata, 1, 1);
  c.send(kApiApiVersions, 3, 2);
  EXPECT_EQ(c.frame(), expected(1, kApiMetadata));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 490ms);
  EXPECT_EQ(c.frame(), expected(2, kApiApiVersions));
  const auto again = std::chrono::steady_clock::now();
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), expected(3, kApiMetadata));
  EXPECT_LT(std::chrono::steady_clock::now() - again, 400ms);  // the rule was used up
}

TEST(FaultServer, AFaultHoldsUntilClearedAndTheFirstMatchingRuleWins) {
  KafkaFaultServer server;
  server.set_responder(echo());
  server.inject(Fault::wrong_correlation_id().on(kApiApiVersions));
  server.inject(Fault::truncate(4));
  Client c(server.port());
  for (int32_t id = 1; id <= 2; ++id) {
    c.send(kApiApiVersions, 3, id);
    const auto f = c.frame();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(correlation_of(*f), ~id);
    EXPECT_EQ(f->size(), expected(id, kApiApiVersions).size());
  }
  c.send(kApiMetadata, 1, 3);
  EXPECT_EQ(c.frame(), (std::vector<uint8_t>{0, 0, 0, 3}));
  server.clear_faults();
  c.send(kApiApiVersions, 3, 4);
  EXPECT_EQ(c.frame(), expected(4, kApiApiVersions));
}

TEST(FaultServer, FaultsApplyToForwardedAnswersToo) {
  KafkaFaultServer upstream;
  upstream.set_responder(echo('B'));
  KafkaFaultServer front(upstream.address());
  front.inject(Fault::truncate(5).once());
  Client c(front.port());
  c.send(kApiMetadata, 1, 1);
  c.send(kApiMetadata, 1, 2);
  const auto full = expected(1, kApiMetadata, 'B');
  EXPECT_EQ(c.frame(), std::vector<uint8_t>(full.begin(), full.begin() + 5));
  EXPECT_EQ(c.frame(), expected(2, kApiMetadata, 'B'));
}

TEST(FaultServer, OversizedOrTooShortRequestFramesCloseTheConnection) {
  KafkaFaultServer server;
  server.set_responder(echo());
  {
    Client c(server.port());
    std::vector<uint8_t> prefix;
    fault_detail::append32(prefix, static_cast<uint32_t>(kFaultServerMaxRequestBytes + 1));
    c.send_raw(prefix);
    EXPECT_EQ(c.read(1).ec, boost::asio::error::eof);
  }
  {
    Client c(server.port());
    c.send_raw({0, 0, 0, 3, 0, 3, 0});
    EXPECT_EQ(c.read(1).ec, boost::asio::error::eof);
  }
  EXPECT_EQ(server.requests_total(), 0u);
  EXPECT_TRUE(eventually([&] { return server.open_connections() == 0; }));
}

TEST(FaultServer, DownClosesEveryConnectionAndUpListensOnTheSamePort) {
  KafkaFaultServer server;
  server.set_responder(echo());
  const uint16_t port = server.port();
  Client a(port);
  Client b(port);
  a.send(kApiMetadata, 1, 1);
  EXPECT_EQ(a.frame(), expected(1, kApiMetadata));
  EXPECT_TRUE(eventually([&] { return server.open_connections() == 2; }));
  server.down();
  EXPECT_FALSE(server.is_up());
  EXPECT_EQ(server.open_connections(), 0u);
  EXPECT_EQ(a.read(1).ec, boost::asio::error::eof);
  EXPECT_EQ(b.read(1).ec, boost::asio::error::eof);
  EXPECT_FALSE(Client::can_connect(port));
  server.down();  // twice is harmless

  server.up();
  EXPECT_TRUE(server.is_up());
  EXPECT_EQ(server.port(), port);
  Client c(port);
  c.send(kApiMetadata, 1, 2);
  EXPECT_EQ(c.frame(), expected(2, kApiMetadata));
  EXPECT_EQ(server.connections_accepted(), 3u);
  EXPECT_EQ(server.open_connections(), 1u);

  // And again, while connections that were closed on this port may linger in TIME_WAIT.
  server.down();
  server.up();
  Client d(port);
  d.send(kApiMetadata, 1, 3);
  EXPECT_EQ(d.frame(), expected(3, kApiMetadata));
}

TEST(FaultServer, DownWithRstResetsTheConnections) {
  KafkaFaultServer server;
  Client a(server.port());
  a.send(kApiMetadata, 1, 1);
  EXPECT_TRUE(server.wait_for_requests(kApiMetadata, 1));
  server.down(CloseMode::rst);
  EXPECT_EQ(a.read(1).ec, boost::asio::error::connection_reset);
}

TEST(FaultServer, DestructorReturnsWithDelayedAnswersAndOpenConnections) {
  const auto start = std::chrono::steady_clock::now();
  {
    KafkaFaultServer upstream;
    upstream.set_responder(echo('B'));
    KafkaFaultServer server(upstream.address());
    server.inject(Fault::delay(60s));
    Client a(server.port());
    Client b(server.port());
    a.send(kApiMetadata, 1, 1);
    b.send(kApiMetadata, 1, 1);
    EXPECT_TRUE(upstream.wait_for_requests(kApiMetadata, 2));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// A Metadata response frame (without size prefix) of `version` listing `brokers` (node ids 1..n,
// host 127.0.0.1), an empty topic list, and a rack on the first broker only.
std::vector<uint8_t> metadata_response(int32_t correlation_id, int16_t version, const std::vector<int32_t>& ports) {
  const bool flexible = version >= 9;
  kafka::wire::Writer w;
  if (version >= 3) w.int32(0);  // throttle_time_ms
  w.array_length(ports.size(), flexible);
  for (size_t i = 0; i < ports.size(); ++i) {
    w.int32(static_cast<int32_t>(i + 1));
    w.string("127.0.0.1", flexible);
    w.int32(ports[i]);
    if (version >= 1) w.nullable_string(i == 0 ? std::optional<std::string>("rack-a") : std::nullopt, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 2) w.nullable_string("cluster", flexible);
  if (version >= 1) w.int32(1);  // controller_id
  w.array_length(0, flexible);   // topics
  if (version >= 8 && version <= 10) w.int32(0);
  if (flexible) w.no_tagged_fields();
  return kafka_response(correlation_id, flexible, w.bytes());
}

TEST(FaultServer, MetadataBrokersFindsEveryPortInEveryVersionLayout) {
  for (int16_t v : {0, 1, 2, 3, 8, 9, 12}) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto frame = metadata_response(42, v, {9092, 9093, 9094});
    const auto brokers = metadata_brokers(frame, v);
    ASSERT_EQ(brokers.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(brokers[i].node_id, static_cast<int32_t>(i + 1));
      EXPECT_EQ(brokers[i].host, "127.0.0.1");
      EXPECT_EQ(brokers[i].port, static_cast<int32_t>(9092 + i));
      EXPECT_EQ(fault_detail::be32(frame.data() + brokers[i].port_offset), 9092 + i);
    }
    // Cut anywhere inside the broker table: refused, never read past the end.
    const size_t table_end = brokers.back().port_offset + 4 + (v >= 1 ? (v >= 9 ? 1 : 2) : 0) + (v >= 9 ? 1 : 0);
    for (size_t n = 0; n < table_end; ++n) {
      const std::vector<uint8_t> cut(frame.begin(), frame.begin() + n);
      EXPECT_THROW(metadata_brokers(cut, v), std::runtime_error) << n;
    }
    auto copy = frame;
    EXPECT_EQ(rewrite_metadata_ports(copy, v, {{9093, 1234}}), 1u);
    EXPECT_EQ(copy, metadata_response(42, v, {9092, 1234, 9094}));
    std::vector<uint8_t> cut(frame.begin(), frame.begin() + 10);
    EXPECT_EQ(rewrite_metadata_ports(cut, v, {{9093, 1234}}), 0u);
  }
}

TEST(FaultServer, MetadataBrokersReadsEveryCapturedKafkaMetadataResponse) {
  // Real Kafka 2.4.0 answers (README: broker n = 127.0.0.1:9091+n, or 9191+n on the SASL
  // listener); a rewrite changes the 4 port bytes of each broker and nothing else.
  const auto frames = test::frames_of(kafka::wire::ApiKey::metadata);
  ASSERT_FALSE(frames.empty());
  std::set<int16_t> versions;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    versions.insert(f->api_version);
    const auto brokers = metadata_brokers(f->response, f->api_version);
    ASSERT_GE(brokers.size(), 2u);
    if (f->phase == "healthy") {
      EXPECT_EQ(brokers.size(), 3u);
    }
    std::map<int32_t, int32_t> ports;
    for (const auto& b : brokers) {
      EXPECT_EQ(b.host, "127.0.0.1");
      EXPECT_TRUE(b.port == 9091 + b.node_id || b.port == 9191 + b.node_id) << b.port;
      ports[b.port] = 40000 + b.node_id;
    }
    auto copy = f->response;
    EXPECT_EQ(rewrite_metadata_ports(copy, f->api_version, ports), brokers.size());
    size_t changed = 0;
    for (size_t i = 0; i < copy.size(); ++i) changed += copy[i] != f->response[i];
    EXPECT_LE(changed, 4 * brokers.size());
    for (const auto& b : metadata_brokers(copy, f->api_version)) EXPECT_EQ(b.port, 40000 + b.node_id);
  }
  EXPECT_GE(versions.size(), 3u);
}

TEST(FaultServer, ClusterFrontsRewriteMetadataSoClientsConnectToTheFronts) {
  // Two "brokers" that answer Metadata with their own real ports, as a mock cluster does.
  KafkaFaultServer broker1;
  KafkaFaultServer broker2;
  const std::vector<int32_t> real = {broker1.port(), broker2.port()};
  for (auto* b : {&broker1, &broker2}) {
    b->set_responder([real](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
      if (r.api_key == kApiMetadata) return metadata_response(r.correlation_id, r.api_version, real);
      return kafka_response(r.correlation_id, false, answer_body(r.api_key, 'B'));
    });
  }
  KafkaFaultCluster cluster(broker1.address() + "," + broker2.address());
  ASSERT_EQ(cluster.size(), 2u);
  const std::vector<int32_t> fronts = {cluster.front(0).port(), cluster.front(1).port()};
  EXPECT_EQ(cluster.bootstraps(), cluster.front(0).address() + "," + cluster.front(1).address());
  EXPECT_EQ(&cluster.front_of(broker2.port()), &cluster.front(1));

  int32_t id = 0;
  for (size_t i = 0; i < 2; ++i) {
    Client c(cluster.front(i).port());
    for (int16_t v : {0, 1, 2, 3, 9, 12}) {
      SCOPED_TRACE("front " + std::to_string(i) + " v" + std::to_string(v));
      c.send(kApiMetadata, v, ++id);
      EXPECT_EQ(c.frame(), metadata_response(id, v, fronts));
    }
    c.send(kApiOffsetFetch, 1, ++id);
    EXPECT_EQ(c.frame(), expected(id, kApiOffsetFetch, 'B'));
  }
  EXPECT_EQ(broker1.requests(kApiMetadata), 6u);
  EXPECT_EQ(broker2.requests(kApiMetadata), 6u);
  EXPECT_EQ(cluster.requests(kApiMetadata), 12u);
  EXPECT_EQ(cluster.connections_accepted(), 2u);

  // A front down is that broker down; its peer still answers.
  cluster.front(1).down();
  EXPECT_FALSE(Client::can_connect(cluster.front(1).port()));
  Client c(cluster.front(0).port());
  c.send(kApiMetadata, 1, ++id);
  EXPECT_EQ(c.frame(), metadata_response(id, 1, fronts));
  cluster.front(1).up();
  EXPECT_TRUE(Client::can_connect(cluster.front(1).port()));
}

TEST(FaultServer, ClusterRefusesAnEmptyBootstrapList) {
  EXPECT_THROW(KafkaFaultCluster(""), std::invalid_argument);
  EXPECT_THROW(KafkaFaultCluster("nohost"), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::testing
