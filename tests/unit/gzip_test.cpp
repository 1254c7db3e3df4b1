#include "http/gzip.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lagwatch::http {
namespace {

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

// Looks like a real exposition: highly compressible but not trivially so.
std::string metrics_text(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s;
  s.reserve(n + 128);
  while (s.size() < n) {
    s += "kafka_consumergroup_lag{cluster=\"prod\",group=\"group-" + std::to_string(rng() % 50) +
         "\",topic=\"orders\",partition=\"" + std::to_string(rng() % 64) + "\"} " + std::to_string(rng() % 100000) +
         "\n";
  }
  s.resize(n);
  return s;
}

// EXPECT_EQ would print megabytes on failure; report where the strings part instead.
testing::AssertionResult same(const std::string& actual, const std::string& expected) {
  if (actual == expected) return testing::AssertionSuccess();
  size_t i = 0;
  while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
  return testing::AssertionFailure() << "got " << actual.size() << " bytes, expected " << expected.size()
                                     << ", first difference at offset " << i;
}

// Decodes with zlib directly and requires exactly ONE member spanning the whole input: gunzip()
// accepts concatenated members, which would hide a with_tail() that emitted two.
std::string inflate_single_member(const std::string& gz) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out;
  std::vector<char> buf(1 << 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - zs.avail_out);
  }
  const uInt left = zs.avail_in;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("inflate stopped with " + std::to_string(rc));
  if (left != 0) throw std::runtime_error(std::to_string(left) + " bytes after the first member");
  return out;
}

TEST(Gzip, RoundTripsEmptySmallAndLarge) {
  for (const std::string& data :
       {std::string(), std::string("hello"), metrics_text(3 << 20, 1), random_bytes(2 << 20, 2)}) {
    const std::string gz = gzip(data);
    EXPECT_TRUE(same(gunzip(gz), data));
    EXPECT_TRUE(same(inflate_single_member(gz), data));
  }
}

TEST(Gzip, AllLevelsRoundTrip) {
  const std::string data = metrics_text(100'000, 3);
  for (int level = -1; level <= 9; ++level) EXPECT_TRUE(same(gunzip(gzip(data, level)), data)) << level;
  EXPECT_LT(gzip(data, 9).size(), data.size() / 5);
}

TEST(Gzip, RejectsBadLevel) {
  EXPECT_THROW(gzip("x", 10), std::invalid_argument);
  EXPECT_THROW(gzip("x", -2), std::invalid_argument);
  EXPECT_THROW(GzipPrefix("x", 42), std::invalid_argument);
}

TEST(Gzip, GunzipRejectsCorruptInput) {
  const std::string data = metrics_text(50'000, 4);
  const std::string gz = gzip(data);
  EXPECT_THROW(gunzip(""), std::runtime_error);
  EXPECT_THROW(gunzip("not gzip at all"), std::runtime_error);
  EXPECT_THROW(gunzip(gz.substr(0, gz.size() / 2)), std::runtime_error);  // truncated body
  EXPECT_THROW(gunzip(gz.substr(0, gz.size() - 3)), std::runtime_error);  // truncated trailer
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x01;
  EXPECT_THROW(gunzip(bad_crc), std::runtime_error);
  std::string bad_len = gz;
  bad_len[bad_len.size() - 1] ^= 0x01;
  EXPECT_THROW(gunzip(bad_len), std::runtime_error);
  EXPECT_THROW(gunzip(gz + "junk"), std::runtime_error);
  EXPECT_THROW(gunzip(gz + std::string(1, '\x1f')), std::runtime_error);  // a member cut short
  // A raw zlib stream is not gzip: a mislabelled body must not decode.
  EXPECT_THROW(gunzip(std::string(1, '\x78') + gz.substr(1)), std::runtime_error);
}

TEST(Gzip, GunzipConcatenatedMembers) { EXPECT_EQ(gunzip(gzip("abc") + gzip("") + gzip("def")), "abcdef"); }

TEST(GzipPrefix, WithTailIsOneMemberOfPrefixPlusTail) {
  const std::vector<std::string> prefixes = {
      "",
      "a",
      "# HELP lagwatch_up 1 if the cluster answered.\n# TYPE lagwatch_up gauge\nlagwatch_up 1\n",
      metrics_text(4 << 20, 5),
      random_bytes(3 << 20, 6),
      std::string(3 << 20, 'z'),
  };
  const std::vector<std::string> tails = {
      "",
      "x",
      "lagwatch_data_age_seconds{cluster=\"prod\"} 1.25\n",
      metrics_text(1 << 20, 7),
      random_bytes(1 << 20, 8),
      std::string(1 << 20, 'q'),
  };
  for (size_t p = 0; p < prefixes.size(); ++p) {
    const GzipPrefix gp(prefixes[p]);
    for (size_t t = 0; t < tails.size(); ++t) {
      SCOPED_TRACE("prefix " + std::to_string(p) + ", tail " + std::to_string(t));
      const std::string gz = gp.with_tail(tails[t]);
      const std::string expected = prefixes[p] + tails[t];
      EXPECT_TRUE(same(inflate_single_member(gz), expected));
      EXPECT_TRUE(same(gunzip(gz), expected));
    }
  }
}

TEST(GzipPrefix, PiecesAreTheirConcatenationAndHeadPlusFinishIsWithTail) {
  const std::string large(200'000, 'q');
  std::vector<std::string_view> pieces{"", "# HELP a x\n", large, "", "b 1\nc 2\n"};
  std::string joined;
  for (auto p : pieces) joined += p;
  const GzipPrefix gp(pieces);
  EXPECT_TRUE(same(inflate_single_member(gp.with_tail("up 1\n")), joined + "up 1\n"));
  EXPECT_EQ(gp.head() + gp.finish("up 1\n"), gp.with_tail("up 1\n"));
  const GzipPrefix empty(std::vector<std::string_view>{"", ""});
  EXPECT_TRUE(same(inflate_single_member(empty.with_tail("t\n")), "t\n"));
}

TEST(GzipPrefix, AllLevels) {
  const std::string prefix = metrics_text(200'000, 9);
  const std::string tail = metrics_text(3'000, 10);
  for (int level = -1; level <= 9; ++level) {
    const GzipPrefix gp(prefix, level);
    EXPECT_TRUE(same(inflate_single_member(gp.with_tail(tail)), prefix + tail)) << level;
    EXPECT_TRUE(same(inflate_single_member(gp.with_tail("")), prefix)) << level;
  }
}

TEST(GzipPrefix, CompressesThePrefixOnceAndWell) {
  const std::string prefix = metrics_text(2 << 20, 11);
  const GzipPrefix gp(prefix);
  EXPECT_EQ(GzipPrefix("").prefix_compressed_size(), 0u);
  EXPECT_GT(gp.prefix_compressed_size(), 0u);
  EXPECT_LT(gp.prefix_compressed_size(), prefix.size() / 5);
  // The result is header + prefix + (small) tail + trailer: nothing is re-compressed per tail.
  const std::string gz = gp.with_tail("up 1\n");
  EXPECT_LT(gz.size(), 10 + gp.prefix_compressed_size() + 32 + 8);
  // Within a few percent of compressing the whole thing in one go.
  EXPECT_LT(gz.size(), gzip(prefix + "up 1\n").size() * 105 / 100);
}

TEST(GzipPrefix, CopiesAndConcurrentTailsAreIndependent) {
  const std::string prefix = metrics_text(300'000, 12);
  const GzipPrefix original(prefix);
  const GzipPrefix copy = original;
  EXPECT_TRUE(same(gunzip(copy.with_tail("t\n")), prefix + "t\n"));

  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 20; ++j) {
        const std::string tail = "age{thread=\"" + std::to_string(i) + "\"} " + std::to_string(j) + "\n";
        if (gunzip(original.with_tail(tail)) == prefix + tail) ++ok[i];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ok[i], 20);
}

// The system's gzip is an independent decoder: it checks the CRC and the length and rejects
// anything after the member that is not another member.
TEST(GzipPrefix, SystemGzipAcceptsOutput) {
  const char* gzip_bin = nullptr;
  for (const char* candidate : {"/bin/gzip", "/usr/bin/gzip"}) {
    if (::access(candidate, X_OK) == 0) {
      gzip_bin = candidate;
      break;
    }
  }
  if (gzip_bin == nullptr) GTEST_SKIP() << "no gzip binary";

  const std::string prefix = metrics_text(3 << 20, 13) + random_bytes(100'000, 14);
  const std::string tail = metrics_text(10'000, 15);
  const auto dir = std::filesystem::temp_directory_path() / ("lagwatch_gzip_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto gz_path = dir / "body.gz";
  const auto out_path = dir / "body";
  {
    std::ofstream f(gz_path, std::ios::binary);
    const std::string gz = GzipPrefix(prefix).with_tail(tail);
    f.write(gz.data(), static_cast<std::streamsize>(gz.size()));
  }
  const std::string test_cmd = std::string(gzip_bin) + " -t '" + gz_path.string() + "'";
  const std::string dc_cmd = std::string(gzip_bin) + " -dc '" + gz_path.string() + "' > '" + out_path.string() + "'";
  EXPECT_EQ(std::system(test_cmd.c_str()), 0);
  EXPECT_EQ(std::system(dc_cmd.c_str()), 0);
  std::ifstream in(out_path, std::ios::binary);
  const std::string decoded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(same(decoded, prefix + tail));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lagwatch::http
