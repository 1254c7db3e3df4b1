#include "evaluate/evaluate_command.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

namespace lagwatch::evaluate {
namespace {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome run(const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Outcome r;
  r.code = run_evaluate(in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A slow consumer: offset +100 and lag +150 per minute, the first observation caught up.
// Silent for 260s against a 240s window span, and the broker's recent end offset 5200 is far
// past the last commit 1400: STOP.
const char* kStopped = R"({
  "offsets": [
    {"offset": 1000, "timestamp_ms": 100000, "lag": 0},
    {"offset": 1100, "timestamp_ms": 160000, "lag": 150},
    {"offset": 1200, "timestamp_ms": 220000, "lag": 300},
    {"offset": 1300, "timestamp_ms": 280000, "lag": 450},
    {"offset": 1400, "timestamp_ms": 340000, "lag": 600}
  ],
  "broker_offsets": [5200],
  "current_lag": 200,
  "now_s": 600,
  "allowed_lag": 0
})";

TEST(EvaluateCommand, ValidInputGivesTheVerdictAndEveryCheck) {
  const Outcome r = run(kStopped);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "STOP");
  EXPECT_EQ(j["status_code"], 4);
  EXPECT_EQ(j["rule"], "stopped");
  EXPECT_NE(j["explanation"].get<std::string>().find("260s ago"), std::string::npos);
  EXPECT_EQ(j["complete"], false);  // 5 of the default 10
  EXPECT_DOUBLE_EQ(j["completeness"].get<double>(), 0.5);
  ASSERT_EQ(j["checks"].size(), 8u);
  const std::vector<std::string> order = {"lag-within-allowed",  "stopped", "window-incomplete",  "rewind",
                                          "caught-up-in-window", "stalled", "lag-not-decreasing", "ok"};
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(j["checks"][i]["rule"], order[i]);
    EXPECT_EQ(j["checks"][i]["decided"], i == 1);
    EXPECT_TRUE(j["checks"][i]["matched"].is_boolean());
    EXPECT_TRUE(j["checks"][i]["status"].is_string());
    EXPECT_TRUE(j["checks"][i]["detail"].is_string());
  }
  EXPECT_EQ(j["checks"][1]["status"], "STOP");
  EXPECT_EQ(j["settings"]["window_size"], 10);
  EXPECT_DOUBLE_EQ(j["settings"]["min_completeness"].get<double>(), 0.5);
  EXPECT_EQ(j["settings"]["now_ms"], 600000);
}

TEST(EvaluateCommand, OptionalFieldsAndAlternatives) {
  // lag null or absent is unknown; now_ms instead of now_s; comments are allowed; a window of
  // 3 with window_size 3 is complete. Offset stuck, lag 400 known once: STALL.
  const Outcome r = run(R"({
    // a stuck consumer
    "offsets": [
      {"offset": 7, "timestamp_ms": 0, "lag": null},
      {"offset": 7, "timestamp_ms": 60000},
      {"offset": 7, "timestamp_ms": 120000, "lag": 400}
    ],
    "current_lag": 400, "now_ms": 125000, "window_size": 3, "min_completeness": 1
  })");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "STALL");
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["settings"]["now_ms"], 125000);
}

TEST(EvaluateCommand, FractionalSecondsAndDefaultWindowSizeGrowsWithTheOffsets) {
  std::string offsets;
  for (int i = 0; i < 12; ++i) {
    offsets += (i ? "," : "") + std::string(R"({"offset": )") + std::to_string(100 * i) + R"(, "timestamp_ms": )" +
               std::to_string(1000 * i) + R"(, "lag": 5})";
  }
  const Outcome r = run(R"({"offsets": [)" + offsets + R"(], "current_lag": 5, "now_s": 11.25})");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["settings"]["now_ms"], 11250);
  EXPECT_EQ(j["settings"]["window_size"], 12);  // 12 offsets given, no window_size: a full window
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["status"], "WARN");  // lag 5 throughout, never went down
}

// Each bad input: exit 2, nothing on out, one line on err that names the field.
struct BadCase {
  const char* name;
  std::string input;
  std::string field;    // must appear in the message as "field: "
  std::string problem;  // must appear in the message too
};

class EvaluateCommandBadInput : public testing::TestWithParam<BadCase> {};

TEST_P(EvaluateCommandBadInput, ExitsTwoNamingTheField) {
  const BadCase& c = GetParam();
  const Outcome r = run(c.input);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("lagwatch evaluate: " + c.field + ": ")) << r.err;
  EXPECT_NE(r.err.find(c.problem), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  EXPECT_LT(r.err.size(), 600u) << "short: " << r.err.substr(0, 600);
}

// The common tail of otherwise valid documents.
const std::string kTail = R"("current_lag": 10, "now_s": 600)";
const std::string kOneObs = R"("offsets": [{"offset": 1, "timestamp_ms": 1000, "lag": 1}])";

INSTANTIATE_TEST_SUITE_P(
    EvaluateCommand, EvaluateCommandBadInput,
    testing::Values(
        BadCase{"InvalidJson", "{\"offsets\": [}", "input", "invalid JSON: parse error at line 1, column 14"},
        BadCase{"InvalidJsonSecondLine", "{\n  \"offsets\": [1,,]\n}", "input", "line 2, column 17"},
        BadCase{"Empty", "  \n", "input", "is empty"},
        BadCase{"NotAnObject", "[1, 2]", "input", "must be a JSON object"},
        BadCase{"MissingOffsets", "{" + kTail + "}", "offsets", "missing"},
        BadCase{"OffsetsNotArray", R"({"offsets": {"offset": 1}, )" + kTail + "}", "offsets", "must be an array"},
        BadCase{"ObservationNotObject", R"({"offsets": [{"offset": 1, "timestamp_ms": 1}, 5], )" + kTail + "}",
                "offsets[1]", "must be an object"},
        BadCase{"MissingOffset", R"({"offsets": [{"timestamp_ms": 1}], )" + kTail + "}", "offsets[0].offset",
                "missing"},
        BadCase{"MissingTimestamp", R"({"offsets": [{"offset": 1}], )" + kTail + "}", "offsets[0].timestamp_ms",
                "missing"},
        BadCase{"OffsetWrongType", R"({"offsets": [{"offset": "1000", "timestamp_ms": 1}], )" + kTail + "}",
                "offsets[0].offset", "must be an integer >= 0, got a string (\"1000\")"},
        BadCase{"NegativeOffset", R"({"offsets": [{"offset": -5, "timestamp_ms": 1}], )" + kTail + "}",
                "offsets[0].offset", "must be >= 0, got -5"},
        BadCase{"FractionalLag",
                R"({"offsets": [{"offset": 1, "timestamp_ms": 1}, {"offset": 2, "timestamp_ms": 2, "lag": 1.5}], )" +
                    kTail + "}",
                "offsets[1].lag", "must be an integer >= 0, got a fractional number (1.5)"},
        BadCase{"BooleanLag", R"({"offsets": [{"offset": 1, "timestamp_ms": 1, "lag": true}], )" + kTail + "}",
                "offsets[0].lag", "got a boolean (true)"},
        BadCase{"UnsortedTimestamps",
                R"({"offsets": [{"offset": 1, "timestamp_ms": 5000}, {"offset": 2, "timestamp_ms": 6000},
                                {"offset": 3, "timestamp_ms": 4000}], )" +
                    kTail + "}",
                "offsets[2].timestamp_ms",
                "4000 is earlier than offsets[1].timestamp_ms 6000; list the observations oldest first"},
        BadCase{"NegativeTimestamp", R"({"offsets": [{"offset": 1, "timestamp_ms": -1}], )" + kTail + "}",
                "offsets[0].timestamp_ms", ">= 0"},
        BadCase{"TooLarge", R"({"offsets": [{"offset": 18446744073709551615, "timestamp_ms": 1}], )" + kTail + "}",
                "offsets[0].offset", "is too large"},
        BadCase{"UnknownObservationField", R"({"offsets": [{"offset": 1, "timestamp": 1}], )" + kTail + "}",
                "offsets[0].timestamp", "unknown field (did you mean \"timestamp_ms\"?)"},
        BadCase{"BrokerOffsetsNotArray", "{" + kOneObs + R"(, "broker_offsets": 5200, )" + kTail + "}",
                "broker_offsets", "must be an array"},
        BadCase{"NegativeBrokerOffset", "{" + kOneObs + R"(, "broker_offsets": [5, -1], )" + kTail + "}",
                "broker_offsets[1]", "must be >= 0"},
        BadCase{"MissingCurrentLag", "{" + kOneObs + R"(, "now_s": 600})", "current_lag", "missing"},
        BadCase{"NegativeCurrentLag", "{" + kOneObs + R"(, "current_lag": -1, "now_s": 600})", "current_lag",
                "must be >= 0"},
        BadCase{"MissingNow", "{" + kOneObs + R"(, "current_lag": 1})", "now_s", "missing"},
        BadCase{"BothNows", "{" + kOneObs + R"(, "current_lag": 1, "now_s": 600, "now_ms": 600000})", "now_s",
                "either now_s or now_ms"},
        BadCase{"NowWrongType", "{" + kOneObs + R"(, "current_lag": 1, "now_s": "600"})", "now_s",
                "must be a number of seconds"},
        BadCase{"NowBeforeLastObservation", "{" + kOneObs + R"(, "current_lag": 1, "now_ms": 999})", "now_ms",
                "is before the last observation"},
        BadCase{"NowSecondsMistakenForMs", "{" + kOneObs + R"(, "current_lag": 1, "now_s": 0.5})", "now_s",
                "timestamps are in milliseconds, now_s in seconds"},
        BadCase{"NegativeAllowedLag", "{" + kOneObs + R"(, "allowed_lag": -1, )" + kTail + "}", "allowed_lag",
                "must be >= 0"},
        BadCase{"AllowedLagWrongType", "{" + kOneObs + R"(, "allowed_lag": "none", )" + kTail + "}", "allowed_lag",
                "must be an integer"},
        BadCase{"WindowSizeZero", "{" + kOneObs + R"(, "window_size": 0, )" + kTail + "}", "window_size", "at least 1"},
        BadCase{"WindowSizeTooSmall",
                R"({"offsets": [{"offset": 1, "timestamp_ms": 1}, {"offset": 2, "timestamp_ms": 2}],
                    "window_size": 1, )" +
                    kTail + "}",
                "window_size", "1 is smaller than the 2 observations"},
        BadCase{"MinCompletenessOutOfRange", "{" + kOneObs + R"(, "min_completeness": 1.5, )" + kTail + "}",
                "min_completeness", "must be from 0 to 1, got 1.5"},
        BadCase{"MinCompletenessWrongType", "{" + kOneObs + R"(, "min_completeness": "half", )" + kTail + "}",
                "min_completeness", "must be a number from 0 to 1"},
        BadCase{"UnknownTopLevelField", "{" + kOneObs + R"(, "allowed-lag": 5, )" + kTail + "}", "allowed-lag",
                "unknown field (did you mean \"allowed_lag\"?)"},
        BadCase{"UnknownFieldWithoutSuggestion", "{" + kOneObs + R"(, "colour": "blue", )" + kTail + "}", "colour",
                "unknown field; expected offsets, broker_offsets"},
        // Hardening: every one of these used to be an internal error (exit 1) or a silent choice.
        BadCase{"FloatOverflow", "{" + kOneObs + R"(, "current_lag": 10, "now_s": 1e400})", "now_s",
                "1e400 is out of range: it overflows a double"},
        BadCase{"FloatOverflowInWindow",
                R"({"offsets": [{"offset": 1, "timestamp_ms": 1}, {"offset": 2, "timestamp_ms": 2, "lag": -1e999}], )" +
                    kTail + "}",
                "offsets[1].lag", "-1e999 is out of range"},
        BadCase{"HugeInteger", "{" + kOneObs + R"(, "current_lag": )" + std::string(5000, '9') + R"(, "now_s": 600})",
                "current_lag", "(5000 characters) is out of range: integers must fit in 64 bits"},
        // Fits a double but not 64 bits: nlohmann would silently round it to a double.
        BadCase{"IntegerBeyond64Bits",
                R"({"offsets": [{"offset": 123456789012345678901234567890, "timestamp_ms": 1}], )" + kTail + "}",
                "offsets[0].offset", "123456789012345678901234567890 is out of range: integers must fit in 64 bits"},
        BadCase{"NegativeIntegerBeyond64Bits",
                "{" + kOneObs + R"(, "broker_offsets": [1, -99999999999999999999], )" + kTail + "}",
                "broker_offsets[1]", "-99999999999999999999 is out of range"},
        BadCase{"HugeIntegerAtTheTop", std::string(400, '7'), "input", "out of range"},
        BadCase{"DuplicateTopLevelKey", "{" + kOneObs + R"(, "current_lag": 1, "current_lag": 2, "now_s": 600})",
                "current_lag", "duplicate key"},
        BadCase{
            "DuplicateKeyInObservation",
            R"({"offsets": [{"offset": 1, "timestamp_ms": 1}, {"offset": 2, "lag": 3, "timestamp_ms": 2, "lag": 4}], )" +
                kTail + "}",
            "offsets[1].lag", "duplicate key; give each field once"},
        BadCase{"DuplicateUnknownKeyIsNamedFirst", R"({"x": 1, "x": 2})", "x", "duplicate key"},
        BadCase{"DuplicateOddKeyIsQuoted", "{\"a\\nb\": 1, \"a\\nb\": 2}", "[\"a\\nb\"]", "duplicate key"},
        BadCase{"TooDeep", std::string(65, '[') + std::string(65, ']'), "[0][0][0][0][0][0][0][0][...][0][0][0][0][0]",
                "nested deeper than 64 levels"},
        BadCase{"TooDeepInAField", R"({"offsets": [)" + std::string(100000, '[') + "}",
                "offsets[0][0][0][0][0][0][0][...][0][0][0][0][0]", "nested deeper than 64 levels"},
        BadCase{"UnknownKeyWithNewline", "{" + kOneObs + R"(, "a\nb": 1, )" + kTail + "}", "[\"a\\nb\"]",
                "unknown field; expected"},
        BadCase{"UnknownHugeKey", "{" + kOneObs + ", \"" + std::string(100000, 'k') + "\": 1, " + kTail + "}",
                "[\"" + std::string(36, 'k') + "...]", "unknown field; expected"},
        BadCase{"UnterminatedHugeString", "{\"offsets\": \"" + std::string(1 << 20, 'x'), "input",
                "invalid JSON: parse error at line 1, column 1048590"},
        BadCase{"TrailingGarbage", "{" + kOneObs + ", " + kTail + "} {}", "input", "invalid JSON"},
        BadCase{"InvalidUtf8", "{\"offsets\": [], \"colour\": \"\xff\"}", "input", "invalid JSON"},
        BadCase{"AllowedLagFractional", "{" + kOneObs + R"(, "allowed_lag": 1e3, )" + kTail + "}", "allowed_lag",
                "must be an integer >= 0, got a fractional number (1000.0)"},
        BadCase{"AllowedLagBeyondInt64", "{" + kOneObs + R"(, "allowed_lag": 9223372036854775808, )" + kTail + "}",
                "allowed_lag", "is too large (at most 9223372036854775807)"},
        BadCase{"WindowSizeHuge", "{" + kOneObs + R"(, "window_size": 1e30, )" + kTail + "}", "window_size",
                "must be an integer"},
        BadCase{"NowMsTooLarge", "{" + kOneObs + R"(, "current_lag": 1, "now_s": 9223372036854775807})", "now_s",
                "is too large"}),
    [](const testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(EvaluateCommand, IntegersAreSixtyFourBitEverywhere) {
  // 2^40 and values near int64's maximum, in every integer field.
  const Outcome r = run(R"({
    "offsets": [
      {"offset": 1099511627776, "timestamp_ms": 1099511627776, "lag": 1099511627776},
      {"offset": 9223372036854775000, "timestamp_ms": 1099511687776, "lag": 9223372036854775807}
    ],
    "broker_offsets": [9223372036854775807],
    "current_lag": 1099511627776, "now_ms": 1099511747776, "allowed_lag": 1099511627776,
    "window_size": 4294967297
  })");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["settings"]["allowed_lag"].get<int64_t>(), 1099511627776);
  EXPECT_EQ(j["settings"]["current_lag"].get<int64_t>(), 1099511627776);
  EXPECT_EQ(j["settings"]["now_ms"].get<int64_t>(), 1099511747776);
  EXPECT_EQ(j["settings"]["window_size"].get<uint64_t>(), 4294967297u);
  EXPECT_EQ(j["status"], "OK");  // current lag within the allowed lag
}

TEST(EvaluateCommand, LargeNowInSecondsIsAccepted) {
  const Outcome r = run("{" + kOneObs + R"(, "current_lag": 10, "now_s": 1e15})");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["settings"]["now_ms"].get<int64_t>(), 1000000000000000000);
}

TEST(EvaluateCommand, DeepButAllowedNestingIsAnUnknownFieldNotACrash) {
  // 64 levels is the limit: the document parses, and the field is then rejected as unknown.
  const Outcome r =
      run("{" + kOneObs + R"(, "x": )" + std::string(63, '[') + std::string(63, ']') + ", " + kTail + "}");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.err.starts_with("lagwatch evaluate: x: unknown field")) << r.err;
}

TEST(EvaluateCommand, InputLargerThanSixteenMiBIsRejected) {
  // A valid document padded with blanks past the limit: rejected for its size before parsing.
  const Outcome r = run("{" + kOneObs + ", " + kTail + "}" + std::string(16u << 20, ' '));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "lagwatch evaluate: input: is larger than 16 MiB; a window document is a few kB\n");
}

// An endless stream (like /dev/zero): reading stops at the limit instead of filling memory.
class EndlessBuf : public std::streambuf {
 public:
  EndlessBuf() { setg(block_, block_, block_ + sizeof block_); }

 protected:
  int_type underflow() override {
    setg(block_, block_, block_ + sizeof block_);
    return traits_type::to_int_type(block_[0]);
  }

 private:
  char block_[4096] = {};
};

TEST(EvaluateCommand, EndlessInputStopsAtTheLimit) {
  EndlessBuf buf;
  std::istream in(&buf);
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run_evaluate(in, out, err), 2);
  EXPECT_NE(err.str().find("input: is larger than 16 MiB"), std::string::npos) << err.str();
}

// A stream whose reading throws, to show run_evaluate contains it.
class ThrowingBuf : public std::streambuf {
 protected:
  int_type underflow() override { throw std::runtime_error("disk on fire"); }
};

TEST(EvaluateCommand, NeverThrows) {
  ThrowingBuf buf;
  std::istream in(&buf);
  std::ostringstream out;
  std::ostringstream err;
  int code = -1;
  EXPECT_NO_THROW(code = run_evaluate(in, out, err));
  EXPECT_NE(code, 0);
  EXPECT_NE(err.str().find("lagwatch evaluate: "), std::string::npos);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace lagwatch::evaluate
