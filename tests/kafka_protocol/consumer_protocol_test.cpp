#include "kafka/protocol/consumer_protocol.hpp"

#include <gtest/gtest.h>

#include "captures.hpp"
#include "kafka/protocol/describe_groups.hpp"
#include "kafka/wire/writer.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

void write_topic_partitions(wire::Writer& w, const std::string& topic, const std::vector<int32_t>& parts) {
  w.array_length(1, false);
  w.string(topic, false);
  w.array_length(parts.size(), false);
  for (int32_t p : parts) w.int32(p);
}

std::vector<uint8_t> subscription(int16_t version, bool with_trailer = false) {
  wire::Writer w;
  w.int16(version);
  w.array_length(2, false);
  w.string("orders", false);
  w.string("payments", false);
  w.bytes(std::vector<uint8_t>{0xab}, false);
  if (version >= 1) write_topic_partitions(w, "orders", {3, 1});
  if (version >= 2) w.int32(7);
  if (version >= 3) w.nullable_string("rack-a", false);
  if (with_trailer) w.int32(0x12345678);  // a field of a version lagwatch does not know
  return w.take();
}

TEST(ConsumerProtocol, SubscriptionEachVersionReadsItsFields) {
  for (int16_t v = 0; v <= 3; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto s = decode_consumer_protocol_subscription(subscription(v));
    EXPECT_EQ(s.version, v);
    EXPECT_EQ(s.topics, (std::vector<std::string>{"orders", "payments"}));
    EXPECT_EQ(s.user_data, std::vector<uint8_t>{0xab});
    if (v >= 1) {
      ASSERT_EQ(s.owned_partitions.size(), 1u);
      EXPECT_EQ(s.owned_partitions[0].topic, "orders");
      EXPECT_EQ(s.owned_partitions[0].partitions, (std::vector<int32_t>{3, 1}));
    } else {
      EXPECT_TRUE(s.owned_partitions.empty());
    }
    EXPECT_EQ(s.generation_id, v >= 2 ? 7 : -1);
    EXPECT_EQ(s.rack_id, v >= 3 ? std::optional<std::string>("rack-a") : std::nullopt);
  }
}

TEST(ConsumerProtocol, NewerVersionsAreReadAsTheNewestKnownPrefix) {
  // A v4 member: the v3 fields, then something lagwatch does not know.
  auto bytes = subscription(3, true);
  bytes[1] = 4;
  const auto s = decode_consumer_protocol_subscription(bytes);
  EXPECT_EQ(s.version, 4);
  EXPECT_EQ(s.generation_id, 7);
  EXPECT_EQ(s.rack_id, "rack-a");
  // A v1 subscription with trailing bytes is still v1.
  EXPECT_EQ(decode_consumer_protocol_subscription(subscription(1, true)).owned_partitions.size(), 1u);

  wire::Writer w;
  w.int16(9);
  write_topic_partitions(w, "orders", {0, 1, 2});
  w.bytes(std::vector<uint8_t>{}, false);
  w.int64(42);  // unknown newer field
  const auto a = decode_consumer_protocol_assignment(w.bytes());
  EXPECT_EQ(a.version, 9);
  ASSERT_EQ(a.assigned_partitions.size(), 1u);
  EXPECT_EQ(a.assigned_partitions[0].partitions, (std::vector<int32_t>{0, 1, 2}));
}

TEST(ConsumerProtocol, CapturedBillingAssignment) {
  // billing-1's member bytes from DescribeGroups (README: orders 0..5, version 0, no user data).
  const auto sub = test::from_hex("00010000000100066f72646572730000000000000000");
  const auto asg =
      test::from_hex("00000000000100066f72646572730000000600000000000000010000000200000003000000040000000500000000");
  const auto s = decode_consumer_protocol_subscription(sub);
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.topics, std::vector<std::string>{"orders"});
  const auto a = decode_consumer_protocol_assignment(asg);
  ASSERT_EQ(a.assigned_partitions.size(), 1u);
  EXPECT_EQ(a.assigned_partitions[0].partitions, (std::vector<int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(ConsumerProtocol, MalformedBytesThrowDecodeError) {
  const auto asg =
      test::from_hex("00000000000100066f72646572730000000600000000000000010000000200000003000000040000000500000000");
  test::expect_every_truncation_fails(
      asg, [](wire::Reader& r) { decode_consumer_protocol_assignment(r.raw(r.remaining(), "all")); });
  for (int16_t v = 0; v <= 3; ++v) {
    const auto sub = subscription(v);
    test::expect_every_truncation_fails(
        sub, [](wire::Reader& r) { decode_consumer_protocol_subscription(r.raw(r.remaining(), "all")); });
  }
  // Empty (a member of a group that is not Stable), a negative version, a hostile count.
  EXPECT_THROW(decode_consumer_protocol_assignment({}), wire::DecodeError);
  EXPECT_THROW(decode_consumer_protocol_subscription(std::vector<uint8_t>{0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0}),
               wire::DecodeError);
  EXPECT_THROW(decode_consumer_protocol_assignment(std::vector<uint8_t>{0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0}),
               wire::DecodeError);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
