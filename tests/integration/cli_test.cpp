// The lagwatch binary as a user runs it: exit codes and messages of check-config and evaluate.
#include <gtest/gtest.h>

#include <string>

#include "cli_run.hpp"

namespace {

using lagwatch::testing::write_temp;

lagwatch::testing::CliRun run(const std::string& args, const std::string& env = "") {
  return lagwatch::testing::run_lagwatch(args, env);
}

TEST(Cli, CheckConfigMasksSecretsAndExitsZero) {
  auto r =
      run(std::string("check-config ") + LAGWATCH_SOURCE_DIR + "/lagwatch.example.yml", "KAFKA_PASSWORD=s3cr3t-value");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("valid"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("***"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("s3cr3t-value"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigNamesFileLineAndKeyAndExitsTwo) {
  auto path = write_temp("bad.yml",
                         "clusters:\n"
                         "  - name: prod\n"
                         "    bootstrap_servers: [kafka-1:9092]\n"
                         "    groups:\n"
                         "      allow: [\"([a-z\"]\n");
  auto r = run("check-config " + path);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(path + ":5:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("clusters[0].groups.allow[0]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("invalid regular expression"), std::string::npos) << r.output;

  auto missing = run("check-config /nonexistent/lagwatch.yml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("cannot read config file /nonexistent/lagwatch.yml"), std::string::npos);
}

TEST(Cli, UnknownFlagIsAUsageError) {
  auto r = run("--kafka.servers=x:1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--kafka.servers"), std::string::npos) << r.output;
}

TEST(Cli, EvaluateExplainsAWindow) {
  auto path = write_temp("window.json",
                         R"({"offsets": [{"offset": 1000, "timestamp_ms": 0, "lag": 50},
                                         {"offset": 1000, "timestamp_ms": 30000, "lag": 80},
                                         {"offset": 1000, "timestamp_ms": 60000, "lag": 110}],
                             "current_lag": 120, "now_s": 70, "window_size": 3})");
  auto r = run("evaluate " + path);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"status\": \"STALL\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"rule\": \"stalled\""), std::string::npos) << r.output;

  auto bad = run("evaluate " + write_temp("bad.json", R"({"offsets": "nope", "current_lag": 1, "now_s": 1})"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("offsets"), std::string::npos) << bad.output;
}

}  // namespace
