#include "kafka/protocol/describe_configs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "server_side.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

std::span<const uint8_t> response_body_of(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  return std::span<const uint8_t>(f.response).subspan(r.position());
}

const DescribeConfigsResourceResult* find_config(const DescribeConfigsResult& res, const std::string& name) {
  for (const auto& c : res.configs)
    if (c.name == name) return &c;
  return nullptr;
}

DescribeConfigsRequest parse_request(std::span<const uint8_t> body, int16_t version) {
  const bool flexible = wire::is_flexible(ApiKey::describe_configs, version);
  wire::Reader r(body);
  DescribeConfigsRequest req;
  const size_t n = r.count("resources", flexible);
  for (size_t i = 0; i < n; ++i) {
    DescribeConfigsResource res;
    res.resource_type = r.int8("resource_type");
    res.resource_name = r.string("resource_name", flexible);
    const int32_t nk = r.array_length("configuration_keys", flexible);
    if (nk >= 0) {
      res.configuration_keys.emplace();
      for (int32_t k = 0; k < nk; ++k) res.configuration_keys->push_back(r.string("key", flexible));
    }
    if (flexible) r.skip_tagged_fields();
    req.resources.push_back(std::move(res));
  }
  if (version >= 1) req.include_synonyms = r.boolean("include_synonyms");
  if (version >= 3) req.include_documentation = r.boolean("include_documentation");
  if (flexible) r.skip_tagged_fields();
  EXPECT_TRUE(r.at_end());
  return req;
}

TEST(DescribeConfigs, EveryCapturedResponseDecodesToTheLastByte) {
  size_t seen = 0;
  for (int16_t v : {1, 2}) {
    const auto frames = test::frames_of(ApiKey::describe_configs, v);
    ASSERT_FALSE(frames.empty()) << "v" << v;
    for (const auto* f : frames) {
      auto r = test::response_reader(*f);
      const auto resp = decode_describe_configs_response(r, v);
      EXPECT_TRUE(r.at_end()) << "seq " << f->seq;
      const auto req = parse_request(test::request_body(*f), v);
      ASSERT_EQ(resp.results.size(), req.resources.size());
      for (const auto& res : resp.results) {
        EXPECT_EQ(res.error_code, 0);
        EXPECT_EQ(res.error_message, std::nullopt);
        // README: each topic's result has 26 entries; broker 1 192; the default broker 0.
        if (res.resource_type == kConfigResourceTopic) {
          EXPECT_EQ(res.configs.size(), 26u) << res.resource_name;
        } else {
          EXPECT_EQ(res.resource_type, kConfigResourceBroker);
          EXPECT_EQ(res.configs.size(), res.resource_name == "1" ? 192u : 0u) << "'" << res.resource_name << "'";
        }
        for (const auto& c : res.configs) {
          // Synonyms only when asked for (and then not for every entry: some have none).
          if (!req.include_synonyms) {
            EXPECT_TRUE(c.synonyms.empty()) << c.name;
          }
          EXPECT_EQ(c.is_default, c.config_source == kConfigSourceDefault);
          EXPECT_EQ(c.config_type, 0);  // not before v3
        }
      }
      ++seen;
    }
  }
  EXPECT_EQ(seen, 22u);  // README: 11 v1 + 11 v2
}

TEST(DescribeConfigs, TopicConfigsMatchTheReadme) {
  struct Want {
    std::string topic, name, value;
    int8_t source;
  };
  const std::vector<Want> wants = {
      {"orders", "min.insync.replicas", "2", kConfigSourceDynamicTopic},
      {"payments", "min.insync.replicas", "2", kConfigSourceStaticBroker},
      {"payments", "retention.ms", "259200000", kConfigSourceDynamicTopic},
      {"audit-rf1", "min.insync.replicas", "2", kConfigSourceStaticBroker},
      {"strict", "min.insync.replicas", "3", kConfigSourceDynamicTopic},
      {"compacted", "min.insync.replicas", "2", kConfigSourceStaticBroker},
      {"compacted", "cleanup.policy", "compact", kConfigSourceDynamicTopic},
      {"orders", "retention.ms", "604800000", kConfigSourceDefault},
      {"orders", "cleanup.policy", "delete", kConfigSourceDefault},
      {"orders", "message.timestamp.type", "CreateTime", kConfigSourceDefault},
      {"orders", "segment.bytes", "1048576", kConfigSourceStaticBroker},
      {"strict", "segment.index.bytes", "1048576", kConfigSourceStaticBroker},
      {"payments", "file.delete.delay.ms", "1000", kConfigSourceStaticBroker},
      {"audit-rf1", "unclean.leader.election.enable", "false", kConfigSourceStaticBroker},
      {"__consumer_offsets", "compression.type", "producer", kConfigSourceDynamicTopic},
      {"__consumer_offsets", "cleanup.policy", "compact", kConfigSourceDynamicTopic},
      {"__consumer_offsets", "segment.bytes", "1048576", kConfigSourceDynamicTopic},
  };
  std::set<size_t> matched;
  bool saw_synonyms = false;
  for (const auto* f : test::frames_of(ApiKey::describe_configs)) {
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_configs_response(r, f->api_version);
    for (const auto& res : resp.results) {
      for (size_t i = 0; i < wants.size(); ++i) {
        if (wants[i].topic != res.resource_name) continue;
        const auto* c = find_config(res, wants[i].name);
        ASSERT_NE(c, nullptr) << wants[i].topic << " " << wants[i].name;
        EXPECT_EQ(c->value, wants[i].value) << wants[i].topic << " " << wants[i].name;
        EXPECT_EQ(c->config_source, wants[i].source) << wants[i].topic << " " << wants[i].name;
        EXPECT_FALSE(c->read_only);
        EXPECT_FALSE(c->is_sensitive);
        matched.insert(i);
      }
      if (res.resource_name == "orders" && f->api_version == 1) {
        // README: with synonyms (librdkafka, v1) orders' min.insync.replicas lists three.
        const auto* c = find_config(res, "min.insync.replicas");
        ASSERT_NE(c, nullptr);
        ASSERT_EQ(c->synonyms.size(), 3u);
        const std::vector<std::tuple<std::string, std::string, int8_t>> want = {
            {"min.insync.replicas", "2", 1}, {"min.insync.replicas", "2", 4}, {"min.insync.replicas", "1", 5}};
        for (size_t i = 0; i < 3; ++i) {
          EXPECT_EQ(c->synonyms[i].name, std::get<0>(want[i]));
          EXPECT_EQ(c->synonyms[i].value, std::get<1>(want[i]));
          EXPECT_EQ(c->synonyms[i].source, std::get<2>(want[i]));
        }
        const auto* seg = find_config(res, "segment.bytes");
        ASSERT_NE(seg, nullptr);
        ASSERT_FALSE(seg->synonyms.empty());
        EXPECT_EQ(seg->synonyms[0].name, "log.segment.bytes");
        saw_synonyms = true;
      }
    }
  }
  EXPECT_EQ(matched.size(), wants.size());
  EXPECT_TRUE(saw_synonyms);
}

TEST(DescribeConfigs, BrokerOneReportsItsStaticConfig) {
  // kafka-configs --describe --entity-type brokers --entity-name 1 (v2): 192 entries, the
  // README's broker settings with source 4 (STATIC_BROKER_CONFIG).
  bool seen = false;
  for (const auto* f : test::frames_of(ApiKey::describe_configs, 2)) {
    auto r = test::response_reader(*f);
    for (const auto& res : decode_describe_configs_response(r, 2).results) {
      if (res.resource_type != kConfigResourceBroker || res.resource_name != "1") continue;
      for (const auto& [name, value] :
           std::vector<std::pair<std::string, std::string>>{{"default.replication.factor", "3"},
                                                            {"min.insync.replicas", "2"},
                                                            {"offsets.topic.num.partitions", "10"},
                                                            {"auto.create.topics.enable", "false"},
                                                            {"log.segment.bytes", "1048576"}}) {
        const auto* c = find_config(res, name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_EQ(c->value, value) << name;
        EXPECT_EQ(c->config_source, kConfigSourceStaticBroker) << name;
      }
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST(DescribeConfigs, EncoderReproducesCapturedRequests) {
  std::set<int16_t> versions;
  for (const auto* f : test::frames_of(ApiKey::describe_configs)) {
    if (f->request_has_trailing_bytes) continue;
    const auto body = test::request_body(*f);
    wire::Writer w;
    encode(w, parse_request(body, f->api_version), f->api_version);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end())) << "seq " << f->seq;
    versions.insert(f->api_version);
  }
  EXPECT_EQ(versions, (std::set<int16_t>{1, 2}));
}

TEST(DescribeConfigs, JavaToolRequestsBuiltByHand) {
  // kafka-configs: broker 1 and the default broker (""), v2, synonyms requested; kafka-topics
  // --describe --topic orders: v2, no synonyms.
  const std::vector<std::pair<DescribeConfigsRequest, std::string>> cases = {
      {{{{kConfigResourceBroker, "1", std::nullopt}}, true, false}, "kafka-configs"},
      {{{{kConfigResourceBroker, "", std::nullopt}}, true, false}, "kafka-configs"},
      {{{{kConfigResourceTopic, "orders", std::nullopt}}, false, false}, "kafka-topics"},
  };
  for (const auto& [req, client] : cases) {
    wire::Writer w;
    encode(w, req, 2);
    bool found = false;
    for (const auto* f : test::frames_of(ApiKey::describe_configs, 2)) {
      if (f->client.rfind(client, 0) != 0) continue;
      const auto body = test::request_body(*f);
      if (w.bytes() == std::vector<uint8_t>(body.begin(), body.end())) found = true;
    }
    EXPECT_TRUE(found) << client << " '" << req.resources[0].resource_name << "'";
  }
}

TEST(DescribeConfigs, VersionsZeroThreeAndFourByHand) {
  DescribeConfigsRequest req{{{kConfigResourceTopic, "t", std::vector<std::string>{"a"}}}, false, false};
  wire::Writer w0;
  encode(w0, req, 0);
  EXPECT_EQ(w0.bytes(), (std::vector<uint8_t>{0, 0, 0, 1, 2, 0, 1, 't', 0, 0, 0, 1, 0, 1, 'a'}));
  req.include_synonyms = req.include_documentation = true;
  wire::Writer w4;
  encode(w4, req, 4);
  EXPECT_EQ(w4.bytes(), (std::vector<uint8_t>{2, 2, 2, 't', 2, 2, 'a', 0, 1, 1, 0}));
  wire::Writer bad;
  EXPECT_THROW(encode(bad, req, 2), std::invalid_argument);  // documentation needs v3
  req.include_documentation = false;
  EXPECT_THROW(encode(bad, req, 0), std::invalid_argument);  // synonyms need v1
  EXPECT_THROW(encode(bad, req, 5), std::invalid_argument);

  // v0 response: is_default on the wire, no source, no synonyms.
  {
    wire::Writer w;
    w.int32(0);
    w.array_length(1, false);
    w.int16(0);
    w.nullable_string(std::nullopt, false);
    w.int8(kConfigResourceTopic);
    w.string("t", false);
    w.array_length(1, false);
    w.string("retention.ms", false);
    w.nullable_string("1", false);
    w.boolean(false);  // read_only
    w.boolean(true);   // is_default
    w.boolean(false);  // is_sensitive
    wire::Reader r(w.bytes());
    const auto resp = decode_describe_configs_response(r, 0);
    EXPECT_TRUE(r.at_end());
    const auto& c = resp.results.at(0).configs.at(0);
    EXPECT_TRUE(c.is_default);
    EXPECT_EQ(c.config_source, -1);
    EXPECT_EQ(c.value, "1");
  }
  // v3 (classic) and v4 (flexible) responses: config_type and documentation.
  for (int16_t v : {3, 4}) {
    const bool flex = v >= 4;
    wire::Writer w;
    w.int32(9);
    w.array_length(1, flex);
    w.int16(0);
    w.nullable_string(std::nullopt, flex);
    w.int8(kConfigResourceTopic);
    w.string("t", flex);
    w.array_length(1, flex);
    w.string("min.insync.replicas", flex);
    w.nullable_string("2", flex);
    w.boolean(false);
    w.int8(kConfigSourceDynamicTopic);
    w.boolean(false);
    w.array_length(1, flex);
    w.string("min.insync.replicas", flex);
    w.nullable_string("2", flex);
    w.int8(kConfigSourceDynamicTopic);
    if (flex) w.no_tagged_fields();
    w.int8(3);  // INT
    w.nullable_string("When a producer sets acks...", flex);
    if (flex) w.no_tagged_fields();  // config
    if (flex) w.no_tagged_fields();  // result
    if (flex) w.no_tagged_fields();  // top level
    wire::Reader r(w.bytes());
    const auto resp = decode_describe_configs_response(r, v);
    EXPECT_TRUE(r.at_end()) << "v" << v;
    EXPECT_EQ(resp.throttle_time_ms, 9);
    const auto& c = resp.results.at(0).configs.at(0);
    EXPECT_EQ(c.config_type, 3);
    EXPECT_EQ(c.documentation, "When a producer sets acks...");
    EXPECT_EQ(c.config_source, kConfigSourceDynamicTopic);
    EXPECT_FALSE(c.is_default);
    ASSERT_EQ(c.synonyms.size(), 1u);
    EXPECT_EQ(c.synonyms[0].source, kConfigSourceDynamicTopic);
  }
}

TEST(DescribeConfigs, TruncatedResponsesAndHugeCountsAreRefused) {
  for (int16_t v : {1, 2}) {
    const auto frames = test::frames_of(ApiKey::describe_configs, v);
    const auto* shortest = *std::min_element(frames.begin(), frames.end(),
                                             [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
    test::expect_every_truncation_fails(response_body_of(*shortest),
                                        [v](wire::Reader& r) { decode_describe_configs_response(r, v); });
  }
  wire::Writer w;
  w.int32(0);
  w.array_length(1, false);
  w.int16(0);
  w.nullable_string(std::nullopt, false);
  w.int8(2);
  w.string("t", false);
  w.int32(0x7fffffff);  // configs
  wire::Reader r(w.bytes());
  EXPECT_THROW(decode_describe_configs_response(r, 1), wire::DecodeError);
}

// Server side (demo broker front, which answers DescribeConfigs itself).

TEST(DescribeConfigsServer, EveryCapturedResponseReencodesToTheSameBytes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_describe_configs_response(r, v); };
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::describe_configs, 1, decode), 5);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::describe_configs, 2, decode), 5);
}

TEST(DescribeConfigsServer, EveryCapturedRequestDecodesAndReencodes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_describe_configs_request(r, v); };
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::describe_configs, 1, decode), 5);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::describe_configs, 2, decode), 5);
  // kafka-topics --describe --topic orders: one topic resource, all keys, no synonyms.
  bool orders = false;
  for (const auto* f : test::frames_of(ApiKey::describe_configs, 2)) {
    wire::Reader r(test::request_body(*f));
    const auto req = decode_describe_configs_request(r, 2);
    if (req == DescribeConfigsRequest{{{kConfigResourceTopic, "orders", std::nullopt}}, false, false}) orders = true;
  }
  EXPECT_TRUE(orders);
}

// Every field `v` carries set to a value other than its default.
DescribeConfigsResponse full_response(int16_t v) {
  DescribeConfigsResponse resp;
  resp.throttle_time_ms = 3;
  DescribeConfigsResult topic;
  topic.resource_type = kConfigResourceTopic;
  topic.resource_name = "strict";
  DescribeConfigsResourceResult mir;
  mir.name = "min.insync.replicas";
  mir.value = "3";
  mir.read_only = true;
  mir.is_sensitive = false;
  if (v == 0) {
    mir.is_default = false;
  } else {
    mir.config_source = kConfigSourceDynamicTopic;
    mir.synonyms = {{"min.insync.replicas", "3", kConfigSourceDynamicTopic},
                    {"min.insync.replicas", "1", kConfigSourceDefault}};
  }
  if (v >= 3) {
    mir.config_type = 3;  // INT
    mir.documentation = "The minimum number of replicas that must acknowledge a write.";
  }
  DescribeConfigsResourceResult secret;
  secret.name = "sasl.jaas.config";
  secret.value = std::nullopt;
  secret.is_sensitive = true;
  secret.is_default = true;
  if (v >= 1) secret.config_source = kConfigSourceDefault;
  if (v >= 3) secret.config_type = 9;  // PASSWORD
  topic.configs = {mir, secret};
  DescribeConfigsResult missing;
  missing.error_code = 3;  // UNKNOWN_TOPIC_OR_PARTITION
  missing.error_message = "Topic gone does not exist.";
  missing.resource_type = kConfigResourceTopic;
  missing.resource_name = "gone";
  resp.results = {topic, missing};
  return resp;
}

TEST(DescribeConfigsServer, HandBuiltResponsesAndRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 4; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto resp = full_response(v);
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_describe_configs_response(r, v), resp);
    EXPECT_TRUE(r.at_end());

    DescribeConfigsRequest req;
    req.resources = {{kConfigResourceTopic, "orders", std::vector<std::string>{"retention.ms", "cleanup.policy"}},
                     {kConfigResourceBroker, "1", std::nullopt},
                     {kConfigResourceBroker, "", std::vector<std::string>{}}};
    if (v >= 1) req.include_synonyms = true;
    if (v >= 3) req.include_documentation = true;
    wire::Writer wr;
    encode(wr, req, v);
    wire::Reader rr(wr.bytes());
    EXPECT_EQ(decode_describe_configs_request(rr, v), req);
    EXPECT_TRUE(rr.at_end());
    test::expect_every_truncation_fails(wr.bytes(), [v](wire::Reader& x) { decode_describe_configs_request(x, v); });
  }
  // Fields a version lacks are not written: the v4 struct at v1 loses type and documentation.
  wire::Writer w1;
  encode(w1, full_response(4), 1);
  wire::Reader r1(w1.bytes());
  EXPECT_EQ(decode_describe_configs_response(r1, 1), full_response(1));
  wire::Writer bad;
  EXPECT_THROW(encode(bad, full_response(4), 5), std::invalid_argument);
}

TEST(DescribeConfigsServer, V4BytesFromTheSpec) {
  // Response v4 (flexible): throttle, results [error, message, type, name, configs [name,
  // value, read_only, source, sensitive, synonyms [name, value, source, tags], type,
  // documentation, tags], tags], tags.
  test_bytes::Bytes b;
  b.i32(0).arr(1).i16(0).null_str().u8(2).str("t").arr(1);
  b.str("retention.ms").str("1000").u8(0).u8(1).u8(0).arr(1).str("retention.ms").str("1000").u8(1).no_tags();
  b.u8(5).null_str().no_tags();
  b.no_tags().no_tags();
  DescribeConfigsResourceResult c;
  c.name = "retention.ms";
  c.value = "1000";
  c.config_source = kConfigSourceDynamicTopic;
  c.synonyms = {{"retention.ms", "1000", kConfigSourceDynamicTopic}};
  c.config_type = 5;  // LONG
  DescribeConfigsResponse resp;
  resp.results = {{0, std::nullopt, kConfigResourceTopic, "t", {c}}};
  wire::Writer w;
  encode(w, resp, 4);
  EXPECT_EQ(w.bytes(), b.b);
  wire::Reader r(b.b);
  EXPECT_EQ(decode_describe_configs_response(r, 4), resp);
  // Request v4: resources [type, name, keys (nullable), tags], synonyms, documentation, tags.
  test_bytes::Bytes q;
  q.arr(2).u8(2).str("t").arr(1).str("a").no_tags().u8(4).str("1").null_str().one_tag(2, {7}).u8(1).u8(0).no_tags();
  wire::Reader rq(q.b);
  const DescribeConfigsRequest want{
      {{kConfigResourceTopic, "t", std::vector<std::string>{"a"}}, {kConfigResourceBroker, "1", std::nullopt}},
      true,
      false};
  EXPECT_EQ(decode_describe_configs_request(rq, 4), want);
  EXPECT_TRUE(rq.at_end());
}

TEST(DescribeConfigsServer, HugeRequestCountsAreRefused) {
  // v1: 2^31-1 resources.
  const std::vector<uint8_t> resources{0x7f, 0xff, 0xff, 0xff, 2, 0, 0, 0xff, 0xff, 0xff, 0xff, 0};
  wire::Reader a(resources);
  EXPECT_THROW(decode_describe_configs_request(a, 1), wire::DecodeError);
  // v1: one resource with 2^30 configuration keys.
  const std::vector<uint8_t> keys{0, 0, 0, 1, 2, 0, 1, 't', 0x40, 0, 0, 0, 0, 1, 'a', 0};
  wire::Reader b(keys);
  EXPECT_THROW(decode_describe_configs_request(b, 1), wire::DecodeError);
  // v4: 2^32-2 resources.
  const std::vector<uint8_t> compact{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0};
  wire::Reader c(compact);
  EXPECT_THROW(decode_describe_configs_request(c, 4), wire::DecodeError);
  wire::Reader d(compact);
  EXPECT_THROW(decode_describe_configs_request(d, 5), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
