// The shared truncation helper itself, on a two-field body.
#include "truncation.hpp"

#include <gtest/gtest-spi.h>

#include <vector>

namespace lagwatch::test {
namespace {

TEST(TruncationHelper, AcceptsADecoderThatRefusesEveryPrefix) {
  const std::vector<uint8_t> body{0x00, 0x01, 0x00, 0x00, 0x00, 0x02};
  expect_every_truncation_fails(body, [](kafka::wire::Reader& r) {
    r.int16("a");
    r.int32("b");
  });
}

TEST(TruncationHelper, FailsADecoderThatIgnoresMissingBytes) {
  const std::vector<uint8_t> body{0x00, 0x01};
  EXPECT_NONFATAL_FAILURE(expect_every_truncation_fails(body, [](kafka::wire::Reader&) {}), "decoded without error");
}

TEST(TruncationHelper, FailsADecoderThatThrowsAnotherType) {
  const std::vector<uint8_t> body{0x00, 0x01};
  EXPECT_NONFATAL_FAILURE(
      expect_every_truncation_fails(body, [](kafka::wire::Reader&) { throw std::invalid_argument("x"); }),
      "other than DecodeError");
}

}  // namespace
}  // namespace lagwatch::test
