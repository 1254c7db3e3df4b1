#include "kafka/protocol/error_codes.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lagwatch::kafka::protocol {
namespace {

TEST(ErrorCodes, NamesAreKafkas) {
  EXPECT_EQ(error_name(0), "NONE");
  EXPECT_EQ(error_name(-1), "UNKNOWN_SERVER_ERROR");
  EXPECT_EQ(error_name(1), "OFFSET_OUT_OF_RANGE");
  EXPECT_EQ(error_name(5), "LEADER_NOT_AVAILABLE");
  EXPECT_EQ(error_name(6), "NOT_LEADER_OR_FOLLOWER");
  EXPECT_EQ(error_name(16), "NOT_COORDINATOR");
  EXPECT_EQ(error_name(27), "REBALANCE_IN_PROGRESS");
  EXPECT_EQ(error_name(33), "UNSUPPORTED_SASL_MECHANISM");
  EXPECT_EQ(error_name(35), "UNSUPPORTED_VERSION");
  EXPECT_EQ(error_name(58), "SASL_AUTHENTICATION_FAILED");
  EXPECT_EQ(error_name(72), "LISTENER_NOT_FOUND");
  EXPECT_EQ(error_name(79), "MEMBER_ID_REQUIRED");
  EXPECT_EQ(error_name(100), "UNKNOWN_TOPIC_ID");
  EXPECT_EQ(error_name(120), "TRANSACTION_ABORTABLE");
  EXPECT_EQ(error_name(133), "SHARE_SESSION_LIMIT_REACHED");
}

TEST(ErrorCodes, EveryCodeUpTo133HasItsOwnName) {
  std::set<std::string> seen;
  for (int c = -1; c <= 133; ++c) {
    const std::string n = error_name(static_cast<int16_t>(c));
    EXPECT_NE(n, "UNKNOWN") << c;
    EXPECT_TRUE(seen.insert(n).second) << "duplicate name " << n;
  }
}

TEST(ErrorCodes, UnknownCodes) {
  EXPECT_EQ(error_name(-2), "UNKNOWN");
  EXPECT_EQ(error_name(134), "UNKNOWN");
  EXPECT_EQ(error_name(INT16_MIN), "UNKNOWN");
  EXPECT_EQ(describe_error(9999), "UNKNOWN (9999)");
  EXPECT_EQ(describe_error(-7), "UNKNOWN (-7)");
}

TEST(ErrorCodes, Describe) {
  EXPECT_EQ(describe_error(16), "NOT_COORDINATOR (16)");
  EXPECT_EQ(describe_error(0), "NONE (0)");
  EXPECT_EQ(describe_error(-1), "UNKNOWN_SERVER_ERROR (-1)");
}

TEST(ErrorCodes, Classifiers) {
  for (int16_t c : {14, 15, 16}) EXPECT_TRUE(coordinator_moved(c)) << c;
  for (int16_t c : {0, -1, 5, 6, 13, 17, 27, 35}) EXPECT_FALSE(coordinator_moved(c)) << c;
  for (int16_t c : {5, 6, 9, 56, 72, 74, 75, 78}) EXPECT_TRUE(leader_moved(c)) << c;
  for (int16_t c : {0, -1, 1, 3, 14, 15, 16, 29, 35}) EXPECT_FALSE(leader_moved(c)) << c;
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
