#include <gtest/gtest.h>

#include <limits>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "kafka/wire/frame.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::wire {
namespace {

TEST(WirePrimitives, IntegersRoundTripBigEndian) {
  Writer w;
  w.int8(-2);
  w.int16(-300);
  w.int32(0x01020304);
  w.int64(-5);
  const auto& b = w.bytes();
  ASSERT_EQ(b.size(), 15u);
  EXPECT_EQ(b[3], 0x01);
  EXPECT_EQ(b[6], 0x04);
  Reader r(b);
  EXPECT_EQ(r.int8("a"), -2);
  EXPECT_EQ(r.int16("b"), -300);
  EXPECT_EQ(r.int32("c"), 0x01020304);
  EXPECT_EQ(r.int64("d"), -5);
  EXPECT_TRUE(r.at_end());
}

TEST(WirePrimitives, VarintsMatchTheProtocolGuideAndRoundTrip) {
  // Zig-zag: 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3; 300 unsigned is ac 02.
  Writer w;
  w.uvarint(300);
  EXPECT_EQ(w.bytes(), (std::vector<uint8_t>{0xac, 0x02}));
  for (int32_t v :
       {0, -1, 1, -2, 63, -64, 64, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()}) {
    Writer x;
    x.varint(v);
    Reader r(x.bytes());
    EXPECT_EQ(r.varint("v"), v);
    EXPECT_TRUE(r.at_end());
  }
  for (int64_t v :
       {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    Writer x;
    x.varlong(v);
    Reader r(x.bytes());
    EXPECT_EQ(r.varlong("v"), v);
  }
}

TEST(WirePrimitives, OverlongAndOverflowingVarintsAreRefused) {
  const std::vector<uint8_t> six{0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  Reader a(six);
  EXPECT_THROW(a.uvarint("n"), DecodeError);
  const std::vector<uint8_t> overflow{0xff, 0xff, 0xff, 0xff, 0x1f};  // 35 bits
  Reader b(overflow);
  EXPECT_THROW(b.uvarint("n"), DecodeError);
  const std::vector<uint8_t> max32{0xff, 0xff, 0xff, 0xff, 0x0f};
  Reader c(max32);
  EXPECT_EQ(c.uvarint("n"), 0xffffffffu);
}

TEST(WirePrimitives, StringsCompactAndNullable) {
  Writer w;
  w.string("abc", false);
  w.string("abc", true);
  w.nullable_string(std::nullopt, false);
  w.nullable_string(std::nullopt, true);
  Reader r(w.bytes());
  EXPECT_EQ(r.string("s", false), "abc");
  EXPECT_EQ(r.string("s", true), "abc");
  EXPECT_EQ(r.nullable_string("s", false), std::nullopt);
  EXPECT_EQ(r.nullable_string("s", true), std::nullopt);
  EXPECT_TRUE(r.at_end());
}

TEST(WirePrimitives, ErrorsNameTheFieldPathAndTheOffset) {
  const std::vector<uint8_t> bytes{0x00, 0x05, 'a', 'b'};  // a 5-byte string with 2 bytes
  Reader r(bytes);
  try {
    auto s = r.scope("topics", 3);
    r.string("name", false);
    FAIL() << "no error";
  } catch (const DecodeError& e) {
    EXPECT_STREQ(e.what(), "topics[3].name: truncated (needs 5 bytes, 2 left) at byte 2 of 4");
  }
}

TEST(WirePrimitives, ArrayCountsBeyondTheBytesLeftAreRefusedBeforeAllocation) {
  Writer w;
  w.int32(0x7fffffff);
  Reader r(w.bytes());
  EXPECT_THROW(r.array_length("topics", false), DecodeError);
  Writer n;
  n.null_array(true);
  Reader rn(n.bytes());
  EXPECT_EQ(rn.array_length("topics", true), -1);
  Writer neg;
  neg.int32(-2);
  Reader rneg(neg.bytes());
  EXPECT_THROW(rneg.array_length("topics", false), DecodeError);
}

TEST(WirePrimitives, TaggedFieldsAreSkippedWithTheirSizesChecked) {
  Writer w;
  w.uvarint(2);
  w.uvarint(0);
  w.uvarint(3);
  w.raw(std::vector<uint8_t>{1, 2, 3});
  w.uvarint(7);
  w.uvarint(0);
  w.int8(42);
  Reader r(w.bytes());
  r.skip_tagged_fields();
  EXPECT_EQ(r.int8("after"), 42);
  const std::vector<uint8_t> lying{0x01, 0x00, 0x09, 0x01};
  Reader bad(lying);
  EXPECT_THROW(bad.skip_tagged_fields(), DecodeError);
}

TEST(WireFrame, SizePrefixLimitsAreEnforced) {
  const std::array<uint8_t, 4> two_gb{0x7f, 0xff, 0xff, 0xff};
  EXPECT_THROW(frame_size(two_gb, kDefaultMaxFrameBytes), DecodeError);
  const std::array<uint8_t, 4> negative{0xff, 0xff, 0xff, 0xfe};
  EXPECT_THROW(frame_size(negative, kDefaultMaxFrameBytes), DecodeError);
  const std::array<uint8_t, 4> ok{0x00, 0x00, 0x01, 0x00};
  EXPECT_EQ(frame_size(ok, kDefaultMaxFrameBytes), 256u);
}

TEST(WireFrame, RequestHeadersMatchWhatJavaClientsSent) {
  // Every captured request from the Java tools and kcat starts with the header frame_request
  // writes for the same api key, version, correlation id and client id.
  int checked = 0;
  for (const auto& f : test::captured_frames()) {
    if (f.api_key < 0 || !f.request.size()) continue;
    Reader r(f.request);
    r.int16("api_key");
    r.int16("api_version");
    r.int32("correlation_id");
    auto client_id = r.nullable_string("client_id", false);
    if (!client_id) continue;  // frame_request always sends a client id
    const auto key = static_cast<ApiKey>(f.api_key);
    const auto body = test::request_body(f);
    const auto framed = frame_request(key, f.api_version, f.correlation_id, *client_id, body);
    ASSERT_EQ(framed.size(), f.request.size() + 4) << f.seq;
    EXPECT_TRUE(std::equal(f.request.begin(), f.request.end(), framed.begin() + 4)) << "seq " << f.seq;
    ++checked;
  }
  EXPECT_GT(checked, 1500);
}

TEST(WireApi, VersionPickingTakesTheHighestCommonVersion) {
  EXPECT_EQ(pick_version(ApiKey::metadata, {0, 9}), 9);
  EXPECT_EQ(pick_version(ApiKey::metadata, {0, 2}), 2);  // librdkafka's mock
  EXPECT_EQ(pick_version(ApiKey::offset_fetch, {0, 0}), std::nullopt);
  EXPECT_EQ(pick_version(ApiKey::describe_configs, {}), std::nullopt);
  EXPECT_TRUE(is_flexible(ApiKey::metadata, 9));
  EXPECT_FALSE(is_flexible(ApiKey::metadata, 8));
  EXPECT_FALSE(is_flexible(ApiKey::sasl_handshake, 1));
  EXPECT_EQ(api_name(3), "Metadata");
  EXPECT_EQ(api_name(999), "ApiKey(999)");
}

}  // namespace
}  // namespace lagwatch::kafka::wire
