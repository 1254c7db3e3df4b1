#include "kafka/consumer_protocol.hpp"

#include <gtest/gtest.h>

namespace lagwatch::kafka {
namespace {

void put16(std::string& b, int16_t v) {
  b.push_back(static_cast<char>((v >> 8) & 0xff));
  b.push_back(static_cast<char>(v & 0xff));
}
void put32(std::string& b, int32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>((v >> s) & 0xff));
}
void put_str(std::string& b, const std::string& s) {
  put16(b, static_cast<int16_t>(s.size()));
  b += s;
}

// Assignment v0: orders [0, 2], payments [1], then empty user data.
std::string sample() {
  std::string b;
  put16(b, 0);
  put32(b, 2);
  put_str(b, "orders");
  put32(b, 2);
  put32(b, 0);
  put32(b, 2);
  put_str(b, "payments");
  put32(b, 1);
  put32(b, 1);
  put32(b, -1);  // null user data
  return b;
}

TEST(ConsumerAssignment, DecodesTopicsAndPartitions) {
  auto b = sample();
  auto a = decode_consumer_assignment(b.data(), b.size());
  ASSERT_TRUE(a);
  Assignment expected{{"orders", 0}, {"orders", 2}, {"payments", 1}};
  EXPECT_EQ(*a, expected);
}

TEST(ConsumerAssignment, EmptyBytesMeanNothingAssigned) {
  auto a = decode_consumer_assignment(nullptr, 0);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->empty());
}

TEST(ConsumerAssignment, TruncatedOrHostileBytesAreRejectedNotOverread) {
  auto b = sample();
  for (size_t n = 1; n < b.size() - 4; ++n) {
    EXPECT_FALSE(decode_consumer_assignment(b.data(), n)) << "length " << n;
  }
  std::string huge;
  put16(huge, 0);
  put32(huge, 1);
  put_str(huge, "t");
  put32(huge, 0x7fffffff);  // claims 2^31 partitions in a few bytes
  EXPECT_FALSE(decode_consumer_assignment(huge.data(), huge.size()));
  std::string negative;
  put16(negative, 0);
  put32(negative, -5);
  EXPECT_FALSE(decode_consumer_assignment(negative.data(), negative.size()));
}

}  // namespace
}  // namespace lagwatch::kafka
