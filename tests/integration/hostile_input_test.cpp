// The rows of the hardening issue that a user reaches from the command line: each one used to
// crash, hang or pass check-config and then fail in serve. Each must now end quickly with exit
// 2 and a message naming what is wrong, and check-config must refuse what serve would refuse.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "cli_run.hpp"

namespace {

using lagwatch::testing::run_lagwatch;
using lagwatch::testing::write_temp;

// `timeout` turns a hang into exit 124 instead of a stuck test.
lagwatch::testing::CliRun check(const std::string& yaml) {
  const std::string args = write_temp("hostile.yml", yaml);
  return run_lagwatch("check-config " + args, "timeout 20");
}

const std::string kCluster = "clusters:\n  - name: prod\n    bootstrap_servers: [\"kafka-1:9092\"]\n";

void expect_refused(const lagwatch::testing::CliRun& r, const std::string& names) {
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(names), std::string::npos) << r.output;
  EXPECT_LT(r.output.size(), 4096u) << "the message must stay readable";
}

TEST(HostileInput, AHundredThousandCharacterRegexIsNoCrash) {
  const std::string pattern(100'000, 'a');
  const auto r = run_lagwatch("check-config " + write_temp("long-regex.yml", kCluster) + " --group.filter=" + pattern);
  // RE2 may compile it or refuse it as too large; either way an answer, not a signal.
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.exit_code << "\n" << r.output.substr(0, 2000);
  if (r.exit_code == 2) {
    EXPECT_LT(r.output.size(), 4096u);
  }
}

TEST(HostileInput, HugeDurationsAreOutOfRange) {
  expect_refused(check("poll:\n  interval: 107000d\n" + kCluster), "poll.interval");
  expect_refused(check("poll:\n  interval: 99999999999999999999h\n" + kCluster), "poll.interval");
}

TEST(HostileInput, RequestTimeoutAboveWhatTheClientTakesIsRefusedByCheckConfig) {
  expect_refused(check("poll:\n  request_timeout: 10m\n" + kCluster), "poll.request_timeout");
}

TEST(HostileInput, UnknownKafkaPropertyIsRefusedByCheckConfig) {
  expect_refused(check(kCluster + "    properties:\n      no.such.property: x\n"),
                 "clusters[0].properties.no.such.property: lagwatch does not use this property");
}

TEST(HostileInput, EmptyBracketsAreNotAListenAddress) {
  expect_refused(run_lagwatch("check-config " + write_temp("listen.yml", kCluster) + " --web.listen-address='[]:1'"),
                 "[]:1");
}

TEST(HostileInput, SecretFilesThatNeverEndAreRefused) {
  expect_refused(check(kCluster + "    properties:\n      sasl.password: ${file:/dev/zero}\n"), "/dev/zero");
  const std::string fifo = ::testing::TempDir() + std::to_string(::getpid()) + "-hostile-fifo";
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Nobody writes to the FIFO: opening it for reading the ordinary way would block forever.
  expect_refused(check(kCluster + "    properties:\n      sasl.password: ${file:" + fifo + "}\n"), fifo);
  ::unlink(fifo.c_str());
}

TEST(HostileInput, EvaluateNamesTheFieldOfAnOutOfRangeNumber) {
  const auto inf =
      run_lagwatch("evaluate " + write_temp("inf.json", R"({"offsets": [], "current_lag": 1, "now_s": 1e400})"));
  EXPECT_EQ(inf.exit_code, 2) << inf.output;
  EXPECT_NE(inf.output.find("now_s"), std::string::npos) << inf.output;
  const auto digits =
      run_lagwatch("evaluate " + write_temp("digits.json", R"({"offsets": [], "current_lag": )" +
                                                               std::string(5000, '7') + R"(, "now_s": 1})"));
  EXPECT_EQ(digits.exit_code, 2) << digits.output.substr(0, 2000);
  EXPECT_NE(digits.output.find("current_lag"), std::string::npos) << digits.output.substr(0, 2000);
}

}  // namespace
