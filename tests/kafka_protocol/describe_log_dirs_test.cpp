#include "kafka/protocol/describe_log_dirs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

std::span<const uint8_t> response_body_of(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  return std::span<const uint8_t>(f.response).subspan(r.position());
}

int broker_of(const test::CapturedFrame& f) { return f.broker_port - 9091; }  // 9092..9094

std::vector<uint8_t> bytes_of(std::span<const uint8_t> s) { return {s.begin(), s.end()}; }

// partition_size of (topic, partition) in a result, or -1 when the broker has no replica.
int64_t size_of(const DescribeLogDirsResult& res, const std::string& topic, int32_t partition) {
  for (const auto& t : res.topics) {
    if (t.name != topic) continue;
    for (const auto& p : t.partitions)
      if (p.partition_index == partition) return p.partition_size;
  }
  return -1;
}

int64_t total_of(const DescribeLogDirsResult& res, const std::string& topic, size_t* partitions) {
  int64_t sum = 0;
  for (const auto& t : res.topics) {
    if (t.name != topic) continue;
    *partitions += t.partitions.size();
    for (const auto& p : t.partitions) sum += p.partition_size;
  }
  return sum;
}

template <class F>
void expect_count_refused(const std::vector<uint8_t>& bytes, F decode) {
  wire::Reader r(bytes);
  try {
    decode(r);
    ADD_FAILURE() << "a hostile count was accepted";
  } catch (const wire::DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
  }
}

TEST(DescribeLogDirs, EveryCapturedResponseDecodesToTheLastByte) {
  const auto frames = test::frames_of(ApiKey::describe_log_dirs);
  ASSERT_EQ(frames.size(), 11u);  // h09, h10, r11: three brokers each; f12: brokers 1 and 2
  for (const auto* f : frames) {
    ASSERT_EQ(f->api_version, 1);
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_log_dirs_response(r, 1);
    EXPECT_TRUE(r.at_end()) << "seq " << f->seq;
    EXPECT_EQ(resp.throttle_time_ms, 0);
    EXPECT_EQ(resp.error_code, 0);  // not on the wire before v3
    ASSERT_EQ(resp.results.size(), 1u) << "seq " << f->seq;
    const auto& res = resp.results[0];
    EXPECT_EQ(res.error_code, 0);
    EXPECT_EQ(res.log_dir, "/var/lib/kafka/data/broker-" + std::to_string(broker_of(*f)));
    EXPECT_EQ(res.total_bytes, -1);  // v4+ only
    EXPECT_EQ(res.usable_bytes, -1);
    for (const auto& t : res.topics) {
      for (const auto& p : t.partitions) {
        EXPECT_EQ(p.offset_lag, 0) << t.name << " " << p.partition_index;
        EXPECT_FALSE(p.is_future_key) << t.name << " " << p.partition_index;
      }
    }
  }
}

TEST(DescribeLogDirs, SizesMatchTheReadme) {
  const std::map<std::string, std::vector<int64_t>> same_everywhere = {
      {"orders", {4690, 4800, 4800, 4800, 4800, 4800}},
      {"payments", {873, 863, 421}},
      {"strict", {261, 380, 261}},
  };
  std::set<int> brokers;
  for (const auto* f : test::frames_of(ApiKey::describe_log_dirs, 1)) {
    if (f->step != "h09-log-dirs") continue;
    const int broker = broker_of(*f);
    brokers.insert(broker);
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_log_dirs_response(r, 1);
    ASSERT_EQ(resp.results.size(), 1u);
    const auto& res = resp.results[0];
    for (const auto& [topic, sizes] : same_everywhere) {
      for (size_t p = 0; p < sizes.size(); ++p)
        EXPECT_EQ(size_of(res, topic, static_cast<int32_t>(p)), sizes[p])
            << "broker " << broker << " " << topic << " " << p;
      EXPECT_EQ(size_of(res, topic, static_cast<int32_t>(sizes.size())), -1) << topic;
    }
    EXPECT_EQ(size_of(res, "audit-rf1", 0), broker == 3 ? 861 : -1) << "broker " << broker;
    EXPECT_EQ(size_of(res, "compacted", 0), broker == 1 ? -1 : 242) << "broker " << broker;
    size_t n_offsets = 0, n_txn = 0;
    EXPECT_EQ(total_of(res, "__consumer_offsets", &n_offsets), 307356) << "broker " << broker;
    EXPECT_EQ(n_offsets, 10u);
    EXPECT_EQ(total_of(res, "__transaction_state", &n_txn), 923) << "broker " << broker;
    EXPECT_EQ(n_txn, 50u);
    // Nothing else: the five topics and the two internal ones.
    for (const auto& t : res.topics) {
      EXPECT_TRUE(same_everywhere.count(t.name) || t.name == "audit-rf1" || t.name == "compacted" ||
                  t.name == "__consumer_offsets" || t.name == "__transaction_state")
          << t.name;
    }
  }
  EXPECT_EQ(brokers, (std::set<int>{1, 2, 3}));
}

TEST(DescribeLogDirs, BrokerThreeDownAnswersFromOneAndTwo) {
  std::set<int> brokers;
  for (const auto* f : test::frames_of(ApiKey::describe_log_dirs, 1)) {
    if (f->phase != "broker3-down") continue;
    brokers.insert(broker_of(*f));
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_log_dirs_response(r, 1);
    EXPECT_TRUE(r.at_end());
    const auto& res = resp.results.at(0);
    EXPECT_EQ(size_of(res, "audit-rf1", 0), -1);  // its only replica is on broker 3
    EXPECT_EQ(size_of(res, "orders", 0), 4690);
  }
  EXPECT_EQ(brokers, (std::set<int>{1, 2}));
}

TEST(DescribeLogDirs, EncoderReproducesCapturedRequests) {
  size_t seen = 0;
  for (const auto* f : test::frames_of(ApiKey::describe_log_dirs)) {
    ASSERT_FALSE(f->request_has_trailing_bytes);
    const auto body = test::request_body(*f);
    // kafka-log-dirs asks for every topic (a null array) and filters --topic-list itself.
    wire::Writer w;
    encode(w, DescribeLogDirsRequest{}, f->api_version);
    EXPECT_EQ(w.bytes(), bytes_of(body)) << "seq " << f->seq;
    wire::Reader r(body);
    EXPECT_EQ(decode_describe_log_dirs_request(r, f->api_version).topics, std::nullopt);
    EXPECT_TRUE(r.at_end());
    ++seen;
  }
  EXPECT_EQ(seen, 11u);
}

TEST(DescribeLogDirs, ResponseEncoderReproducesCapturedResponses) {
  for (const auto* f : test::frames_of(ApiKey::describe_log_dirs)) {
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_log_dirs_response(r, f->api_version);
    wire::Writer w;
    encode(w, resp, f->api_version);
    EXPECT_EQ(w.bytes(), bytes_of(response_body_of(*f))) << "seq " << f->seq;
  }
}

TEST(DescribeLogDirs, RequestsByHandAtEveryVersion) {
  const DescribeLogDirsRequest req{std::vector<DescribableLogDirTopic>{{"t", {0, 2}}}};
  const std::vector<uint8_t> classic = {0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2};
  // Flexible: compact array (n+1), compact string (len+1), compact int32 array, tagged fields
  // after the topic and at the end.
  const std::vector<uint8_t> flexible = {2, 2, 't', 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0};
  for (int16_t v = 0; v <= 4; ++v) {
    wire::Writer w;
    encode(w, req, v);
    EXPECT_EQ(w.bytes(), v >= 2 ? flexible : classic) << "v" << v;
    wire::Reader r(w.bytes());
    const auto back = decode_describe_log_dirs_request(r, v);
    EXPECT_TRUE(r.at_end());
    ASSERT_TRUE(back.topics.has_value());
    ASSERT_EQ(back.topics->size(), 1u);
    EXPECT_EQ((*back.topics)[0].topic, "t");
    EXPECT_EQ((*back.topics)[0].partitions, (std::vector<int32_t>{0, 2}));
  }
  wire::Writer all4;
  encode(all4, DescribeLogDirsRequest{}, 4);
  EXPECT_EQ(all4.bytes(), (std::vector<uint8_t>{0, 0}));  // null compact array, tagged fields
  wire::Writer all1;
  encode(all1, DescribeLogDirsRequest{}, 1);
  EXPECT_EQ(all1.bytes(), (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff}));
  wire::Writer bad;
  EXPECT_THROW(encode(bad, req, 5), std::invalid_argument);
  EXPECT_THROW(encode(bad, req, -1), std::invalid_argument);
}

// A v4 response written field by field from the spec, with an unknown tagged field in the
// partition and one at the top level that the decoder must skip.
std::vector<uint8_t> v4_response_bytes() {
  std::vector<uint8_t> b = {
      0, 0,   0,   7,                            // throttle_time_ms
      0, 0,                                      // error_code
      2,                                         // results: 1
      0, 0,                                      // error_code
      6, '/', 'd', 'a',  't',  'a',              // log_dir
      2,                                         // topics: 1
      7, 'o', 'r', 'd',  'e',  'r', 's',         // name
      3,                                         // partitions: 2
      0, 0,   0,   0,                            // partition_index 0
      0, 0,   0,   0,    0,    0,   0x12, 0x52,  // partition_size 4690
      0, 0,   0,   0,    0,    0,   0,    0,     // offset_lag
      0,                                         // is_future_key
      1, 9,   2,   0xab, 0xcd,                   // tagged fields: tag 9, 2 bytes
      0, 0,   0,   1,                            // partition_index 1
      0, 0,   0,   0,    0,    0,   0x12, 0xc0,  // partition_size 4800
      0, 0,   0,   0,    0,    0,   0,    3,     // offset_lag
      1,                                         // is_future_key
      0,                                         // tagged fields
      0,                                         // topic tagged fields
      0, 0,   0,   0x19, 0,    0,   0,    0,     // total_bytes 107374182400
      0, 0,   0,   0x0a, 0,    0,   0,    0,     // usable_bytes 42949672960
      0,                                         // result tagged fields
      1, 0,   3,   'x',  'y',  'z',              // top-level tagged fields: tag 0, 3 bytes
  };
  return b;
}

TEST(DescribeLogDirs, FlexibleVersionFourByHand) {
  const auto bytes = v4_response_bytes();
  wire::Reader r(bytes);
  const auto resp = decode_describe_log_dirs_response(r, 4);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(resp.throttle_time_ms, 7);
  ASSERT_EQ(resp.results.size(), 1u);
  const auto& res = resp.results[0];
  EXPECT_EQ(res.log_dir, "/data");
  EXPECT_EQ(res.total_bytes, 107374182400);
  EXPECT_EQ(res.usable_bytes, 42949672960);
  ASSERT_EQ(res.topics.size(), 1u);
  ASSERT_EQ(res.topics[0].partitions.size(), 2u);
  EXPECT_EQ(res.topics[0].partitions[0].partition_size, 4690);
  EXPECT_EQ(res.topics[0].partitions[1].partition_size, 4800);
  EXPECT_EQ(res.topics[0].partitions[1].offset_lag, 3);
  EXPECT_TRUE(res.topics[0].partitions[1].is_future_key);

  // Re-encoded, the unknown tagged fields are gone and everything else is the same.
  wire::Writer w;
  encode(w, resp, 4);
  std::vector<uint8_t> want = bytes;
  want.erase(want.end() - 6, want.end());
  want.push_back(0);
  const std::vector<uint8_t> tag9 = {1, 9, 2, 0xab, 0xcd};
  auto at = std::search(want.begin(), want.end(), tag9.begin(), tag9.end());
  ASSERT_NE(at, want.end());
  at = want.erase(at, at + 5);
  want.insert(at, 0);
  EXPECT_EQ(w.bytes(), want);

  test::expect_every_truncation_fails(bytes, [](wire::Reader& rr) { decode_describe_log_dirs_response(rr, 4); });
}

TEST(DescribeLogDirs, RoundTripAtEveryVersion) {
  DescribeLogDirsResponse resp;
  resp.throttle_time_ms = 5;
  DescribeLogDirsResult res;
  res.error_code = 0;
  res.log_dir = "/var/lib/kafka/data/broker-1";
  res.topics = {{"orders", {{0, 4690, 0, false}, {1, 4800, 2, true}}}, {"empty", {}}};
  res.total_bytes = 1000;
  res.usable_bytes = 400;
  resp.results = {res, DescribeLogDirsResult{56, "/offline", {}, -1, -1}};
  for (int16_t v = 0; v <= 4; ++v) {
    DescribeLogDirsResponse in = resp;
    if (v >= 3) in.error_code = 0;
    wire::Writer w;
    encode(w, in, v);
    wire::Reader r(w.bytes());
    const auto out = decode_describe_log_dirs_response(r, v);
    EXPECT_TRUE(r.at_end()) << "v" << v;
    ASSERT_EQ(out.results.size(), 2u);
    EXPECT_EQ(out.throttle_time_ms, 5);
    const auto& a = out.results[0];
    EXPECT_EQ(a.log_dir, res.log_dir);
    EXPECT_EQ(a.total_bytes, v >= 4 ? 1000 : -1) << "v" << v;  // ignorable below v4
    EXPECT_EQ(a.usable_bytes, v >= 4 ? 400 : -1) << "v" << v;
    ASSERT_EQ(a.topics.size(), 2u);
    EXPECT_EQ(a.topics[0].partitions[1].partition_size, 4800);
    EXPECT_EQ(a.topics[0].partitions[1].offset_lag, 2);
    EXPECT_TRUE(a.topics[0].partitions[1].is_future_key);
    EXPECT_TRUE(a.topics[1].partitions.empty());
    EXPECT_EQ(out.results[1].error_code, 56);
    test::expect_every_truncation_fails(w.bytes(), [v](wire::Reader& rr) { decode_describe_log_dirs_response(rr, v); });
  }
  // v3 carries the top-level error code right after throttle_time_ms; v2 cannot.
  DescribeLogDirsResponse denied;
  denied.error_code = 31;  // CLUSTER_AUTHORIZATION_FAILED
  wire::Writer w3;
  encode(w3, denied, 3);
  EXPECT_EQ(w3.bytes(), (std::vector<uint8_t>{0, 0, 0, 0, 0, 31, 1, 0}));
  wire::Reader r3(w3.bytes());
  EXPECT_EQ(decode_describe_log_dirs_response(r3, 3).error_code, 31);
  wire::Writer w2;
  EXPECT_THROW(encode(w2, denied, 2), std::invalid_argument);
  wire::Reader r5(w3.bytes());
  EXPECT_THROW(decode_describe_log_dirs_response(r5, 5), std::invalid_argument);
}

TEST(DescribeLogDirs, TruncatedResponsesAndHugeCountsAreRefused) {
  const auto frames = test::frames_of(ApiKey::describe_log_dirs, 1);
  ASSERT_FALSE(frames.empty());
  const auto* shortest = *std::min_element(frames.begin(), frames.end(),
                                           [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
  test::expect_every_truncation_fails(response_body_of(*shortest),
                                      [](wire::Reader& r) { decode_describe_log_dirs_response(r, 1); });
  const auto request = test::request_body(*shortest);
  test::expect_every_truncation_fails(request, [](wire::Reader& r) { decode_describe_log_dirs_request(r, 1); });

  // results, topics, partitions: a count far beyond the bytes left, refused by the count check
  // itself (before any reserve()), not by a later read.
  const std::vector<std::vector<uint8_t>> hostile = {
      {0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff},
      {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff},
      {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 't', 0x7f, 0xff, 0xff, 0xff},
  };
  for (const auto& b : hostile)
    expect_count_refused(b, [](wire::Reader& r) { decode_describe_log_dirs_response(r, 1); });
  {
    // v4: 1000 results of at least 21 bytes each cannot fit in 10 000 bytes (they could if a
    // result were as small as in v2/v3).
    std::vector<uint8_t> b = {0, 0, 0, 0, 0, 0, 0xe9, 0x07};
    b.resize(b.size() + 10000, 0);
    expect_count_refused(b, [](wire::Reader& r) { decode_describe_log_dirs_response(r, 4); });
  }
  expect_count_refused({0x7f, 0xff, 0xff, 0xff}, [](wire::Reader& r) { decode_describe_log_dirs_request(r, 1); });
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
