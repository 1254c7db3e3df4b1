// Produce was not captured (the data was produced before the capture started), so these bodies
// are written by hand from ProduceRequest.json: v3-8 classic (nullable transactional id, acks,
// timeout, topics of partitions with nullable RECORDS bytes), v9+ flexible, v13 topic ids in
// place of names. The decoder reads only the records' sizes.
#include "kafka/protocol/produce.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/wire/api.hpp"
#include "kafka/wire/writer.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test_bytes::Bytes;
using wire::ApiKey;

// v3: transactional id null, acks -1, timeout 30000; "orders" partitions 0 (5 record bytes)
// and 3 (null records); "payments" partition 1 (0 bytes).
const std::vector<uint8_t> kV3{0xff, 0xff, 0xff, 0xff, 0,    0,    0x75, 0x30, 0,   0,   0, 2,        // header
                               0,    6,    'o',  'r',  'd',  'e',  'r',  's',  0,   0,   0, 2,        // orders
                               0,    0,    0,    0,    0,    0,    0,    5,    1,   2,   3, 4, 5,     // p0
                               0,    0,    0,    3,    0xff, 0xff, 0xff, 0xff,                        // p3
                               0,    8,    'p',  'a',  'y',  'm',  'e',  'n',  't', 's', 0, 0, 0, 1,  // payments
                               0,    0,    0,    1,    0,    0,    0,    0};                          // p1

void expect_v3_shape(const ProduceRequest& req) {
  EXPECT_EQ(req.transactional_id, std::nullopt);
  EXPECT_EQ(req.acks, -1);
  EXPECT_EQ(req.timeout_ms, 30000);
  ASSERT_EQ(req.topic_data.size(), 2u);
  EXPECT_EQ(req.topic_data[0].name, "orders");
  ASSERT_EQ(req.topic_data[0].partitions.size(), 2u);
  EXPECT_EQ(req.topic_data[0].partitions[0].index, 0);
  EXPECT_EQ(req.topic_data[0].partitions[0].records_bytes, 5u);
  EXPECT_FALSE(req.topic_data[0].partitions[0].records_null);
  EXPECT_EQ(req.topic_data[0].partitions[1].index, 3);
  EXPECT_EQ(req.topic_data[0].partitions[1].records_bytes, 0u);
  EXPECT_TRUE(req.topic_data[0].partitions[1].records_null);
  EXPECT_EQ(req.topic_data[1].name, "payments");
  ASSERT_EQ(req.topic_data[1].partitions.size(), 1u);
  EXPECT_EQ(req.topic_data[1].partitions[0].index, 1);
  EXPECT_EQ(req.topic_data[1].partitions[0].records_bytes, 0u);
  EXPECT_FALSE(req.topic_data[1].partitions[0].records_null);
}

TEST(Produce, ClassicVersionsReadRecordSizesOnly) {
  for (int16_t v = 3; v <= 8; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    wire::Reader r(kV3);
    expect_v3_shape(decode_produce_request(r, v));
    EXPECT_TRUE(r.at_end());
  }
  test::expect_every_truncation_fails(kV3, [](wire::Reader& x) { decode_produce_request(x, 3); });
  // A transactional producer names its id.
  wire::Writer w;
  w.nullable_string("payments-txn", false);
  w.int16(1);
  w.int32(100);
  w.array_length(0, false);
  wire::Reader r(w.bytes());
  const auto req = decode_produce_request(r, 7);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.transactional_id, "payments-txn");
  EXPECT_EQ(req.acks, 1);
  EXPECT_TRUE(req.topic_data.empty());
}

// v9-12: the same request, compact, with unknown tags to skip.
std::vector<uint8_t> flexible_body() {
  Bytes b;
  b.null_str().i16(-1).i32(30000).arr(2);
  b.str("orders").arr(2);
  b.i32(0).u8(6).raw("\x01\x02\x03\x04\x05").no_tags();
  b.i32(3).u8(0).one_tag(0, {1});
  b.no_tags();
  b.str("payments").arr(1).i32(1).u8(1).no_tags().no_tags();
  b.one_tag(4, {0, 0});
  return b.b;
}

TEST(Produce, FlexibleVersionsReadRecordSizesOnly) {
  const auto body = flexible_body();
  for (int16_t v = 9; v <= 12; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    wire::Reader r(body);
    expect_v3_shape(decode_produce_request(r, v));
    EXPECT_TRUE(r.at_end());
  }
  test::expect_every_truncation_fails(body, [](wire::Reader& x) { decode_produce_request(x, 9); });
  EXPECT_TRUE(wire::is_flexible(ApiKey::produce, 9));
  EXPECT_FALSE(wire::is_flexible(ApiKey::produce, 8));
}

TEST(Produce, V13NamesTopicsById) {
  const std::string id = "\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef";
  Bytes b;
  b.str("txn").i16(0).i32(1500).arr(1).raw(id).arr(1).i32(2).u8(4).raw("abc").no_tags().no_tags().no_tags();
  wire::Reader r(b.b);
  const auto req = decode_produce_request(r, 13);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.transactional_id, "txn");
  EXPECT_EQ(req.acks, 0);
  ASSERT_EQ(req.topic_data.size(), 1u);
  EXPECT_EQ(req.topic_data[0].topic_id, id);
  EXPECT_EQ(req.topic_data[0].name, "");
  ASSERT_EQ(req.topic_data[0].partitions.size(), 1u);
  EXPECT_EQ(req.topic_data[0].partitions[0].index, 2);
  EXPECT_EQ(req.topic_data[0].partitions[0].records_bytes, 3u);
  test::expect_every_truncation_fails(b.b, [](wire::Reader& x) { decode_produce_request(x, 13); });
}

TEST(Produce, LyingLengthsHugeCountsAndBadVersionsAreRefused) {
  // Records claiming more bytes than follow, and a negative length other than -1.
  auto lying = kV3;
  lying[31] = 0x7f;  // orders p0's records length: 0x7f000005
  lying[28] = 0x7f;
  wire::Reader r1(lying);
  EXPECT_THROW(decode_produce_request(r1, 3), wire::DecodeError);
  auto negative = kV3;
  negative[28] = 0xff;
  negative[29] = 0xff;
  negative[30] = 0xff;
  negative[31] = 0xfe;
  wire::Reader r2(negative);
  EXPECT_THROW(decode_produce_request(r2, 3), wire::DecodeError);
  const std::vector<uint8_t> huge{0xff, 0xff, 0, 1, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  wire::Reader r3(huge);
  EXPECT_THROW(decode_produce_request(r3, 5), wire::DecodeError);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_produce_request(empty, 2), std::invalid_argument);  // Kafka 4 removed v0-2
  EXPECT_THROW(decode_produce_request(empty, 14), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
