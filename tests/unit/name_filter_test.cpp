// Group and topic filters (config/name_filter.hpp): RE2 syntax, whole-name match, and the
// hostile inputs that crashed the std::regex version (a 100 000-character pattern, a
// 32 767-character group id) now answer or fail cleanly.
#include "config/name_filter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr size_t kLongestGroupId = 32'767;  // Kafka's limit (a short-prefixed string)

std::string compile_error(const std::vector<std::string>& allow, const std::vector<std::string>& deny = {}) {
  try {
    NameFilter f(allow, deny, "clusters[0].groups");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "compiled";
}

TEST(ConfigNameFilter, EmptyAllowsEverything) {
  const NameFilter f;
  EXPECT_TRUE(f.passes("anything"));
  EXPECT_TRUE(f.passes(""));
  const NameFilter g({}, {}, "x");
  EXPECT_TRUE(g.passes("orders"));
}

TEST(ConfigNameFilter, WholeNameMatchAllowThenDeny) {
  const NameFilter f({"orders", "payments.*"}, {".*-dlq"}, "clusters[0].topics");
  EXPECT_TRUE(f.passes("orders"));
  EXPECT_FALSE(f.passes("orders-v2"));  // whole name: "orders" is not a prefix pattern
  EXPECT_FALSE(f.passes("old-orders"));
  EXPECT_TRUE(f.passes("payments-eu"));
  EXPECT_FALSE(f.passes("payments-dlq"));  // deny wins
  EXPECT_FALSE(f.passes("billing"));
  // Anchors are allowed and change nothing.
  const NameFilter anchored({"^orders$"}, {}, "x");
  EXPECT_TRUE(anchored.passes("orders"));
  EXPECT_FALSE(anchored.passes("orders-v2"));
  // An alternation is matched as a whole too, not just its first branch.
  const NameFilter alt({"a|ab"}, {}, "x");
  EXPECT_TRUE(alt.passes("ab"));
}

TEST(ConfigNameFilter, DenyOnly) {
  const NameFilter f({}, {"console-consumer-.*"}, "x");
  EXPECT_FALSE(f.passes("console-consumer-12345"));
  EXPECT_TRUE(f.passes("billing"));
}

TEST(ConfigNameFilter, Utf8Names) {
  const NameFilter f({"caf.-.*"}, {}, "x");
  EXPECT_TRUE(f.passes("caf\xC3\xA9-orders"));  // "café-orders": '.' is one character, not one byte
}

// The reported crash: std::regex recursed once per character of the name.
TEST(ConfigNameFilter, LongestGroupIdThroughGreedyPatterns) {
  const std::string name(kLongestGroupId, 'a');
  const std::string dlq = std::string(kLongestGroupId - 4, 'a') + "-dlq";
  EXPECT_TRUE(NameFilter({".*"}, {}, "x").passes(name));
  EXPECT_TRUE(NameFilter({"a*"}, {}, "x").passes(name));
  EXPECT_TRUE(NameFilter({"[a-z]+"}, {}, "x").passes(name));
  EXPECT_FALSE(NameFilter({".*-dlq"}, {}, "x").passes(name));
  EXPECT_TRUE(NameFilter({".*-dlq"}, {}, "x").passes(dlq));
  EXPECT_FALSE(NameFilter({"a*"}, {}, "x").passes(dlq));
  EXPECT_FALSE(NameFilter({"[a-z]+"}, {}, "x").passes(dlq));
  EXPECT_FALSE(NameFilter({".*"}, {".*-dlq"}, "x").passes(dlq));
  EXPECT_TRUE(NameFilter({".*"}, {".*-dlq"}, "x").passes(name));
  // Classic catastrophic backtracking: linear for RE2.
  const std::string almost = std::string(kLongestGroupId - 1, 'a') + "b";
  EXPECT_FALSE(NameFilter({"(a+)+"}, {}, "x").passes(almost));
  EXPECT_FALSE(NameFilter({"(a|aa)*"}, {}, "x").passes(almost));
}

TEST(ConfigNameFilter, HundredThousandCharacterPatternNeverCrashes) {
  const std::string literal(100'000, 'a');
  // Either it compiles and matches or it is a ConfigError with a bounded message.
  try {
    const NameFilter f({literal}, {}, "clusters[0].groups");
    EXPECT_TRUE(f.passes(literal));
    EXPECT_FALSE(f.passes("a"));
  } catch (const ConfigError& e) {
    EXPECT_LT(std::string(e.what()).size(), 600u);
  }
  for (const std::string& hostile : {std::string(100'000, '('), std::string(100'000, '['),
                                     std::string(50'000, '(') + "a" + std::string(49'999, ')')}) {
    const std::string e = compile_error({"ok", hostile});
    ASSERT_NE(e, "compiled");
    EXPECT_THAT(e, StartsWith("clusters[0].groups.allow[1]: invalid regular expression \""));
    EXPECT_THAT(e, HasSubstr("\xE2\x80\xA6 (" + std::to_string(hostile.size()) + " characters)\""));
    EXPECT_LT(e.size(), 600u) << e.substr(0, 600);
  }
  // Deep but valid nesting compiles (RE2 does not recurse).
  const std::string deep = std::string(50'000, '(') + "a" + std::string(50'000, ')');
  EXPECT_TRUE(NameFilter({deep}, {}, "x").passes("a"));
  const std::string empty_groups = std::string(50'000, '(') + std::string(50'000, ')');
  EXPECT_TRUE(NameFilter({empty_groups}, {}, "x").passes(""));
  EXPECT_FALSE(NameFilter({empty_groups}, {}, "x").passes("a"));
}

TEST(ConfigNameFilter, BackreferencesAndLookaroundRefusedWithTheRe2Hint) {
  const std::string hint = " (lagwatch uses RE2 syntax, as Prometheus does: no backreferences or lookaround)";
  EXPECT_EQ(compile_error({"(a)\\1"}),
            "clusters[0].groups.allow[0]: invalid regular expression \"(a)\\1\": invalid escape sequence: \\1" + hint);
  EXPECT_EQ(compile_error({}, {"x", "(?=x)"}),
            "clusters[0].groups.deny[1]: invalid regular expression \"(?=x)\": invalid perl operator: (?=" + hint);
  EXPECT_THAT(compile_error({"(?!test).*"}), EndsWith(hint));
  EXPECT_THAT(compile_error({"(?<=a)b"}), EndsWith(hint));
  // Other syntax errors get RE2's own words, without the hint.
  EXPECT_EQ(compile_error({"bad(["}),
            "clusters[0].groups.allow[0]: invalid regular expression \"bad([\": missing ]: [");
  EXPECT_EQ(compile_error({"(unclosed"}),
            "clusters[0].groups.allow[0]: invalid regular expression \"(unclosed\": missing ): (unclosed");
  EXPECT_EQ(compile_error({"*"}),
            "clusters[0].groups.allow[0]: invalid regular expression \"*\": no argument for "
            "repetition operator: *");
}

TEST(ConfigNameFilter, CopiesShareCompiledPatterns) {
  const NameFilter f({"a.*"}, {"ab"}, "x");
  const NameFilter g = f;  // NOLINT(performance-unnecessary-copy-initialization): copying is the test
  EXPECT_TRUE(g.passes("ac"));
  EXPECT_FALSE(g.passes("ab"));
}

TEST(ConfigNameFilter, ConcurrentPasses) {
  const NameFilter f({"group-[0-9]+"}, {"group-13"}, "x");
  std::vector<std::thread> threads;
  std::atomic<int> passed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2'000; ++i) passed += f.passes("group-" + std::to_string(i % 20)) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(passed.load(), 4 * 2'000 * 19 / 20);
}

TEST(ConfigAbbreviate, ShortTextsKeptLongOnesCut) {
  EXPECT_EQ(abbreviate("orders.*"), "orders.*");
  EXPECT_EQ(abbreviate(std::string(100, 'x')), std::string(100, 'x'));
  EXPECT_EQ(abbreviate(std::string(101, 'x')), std::string(80, 'x') + "\xE2\x80\xA6 (101 characters)");
  // Never cuts a UTF-8 sequence in two.
  const std::string e_acute = "\xC3\xA9";
  std::string text = std::string(79, 'x') + e_acute + std::string(50, 'y');
  EXPECT_EQ(abbreviate(text), std::string(79, 'x') + "\xE2\x80\xA6 (131 characters)");
}

}  // namespace
}  // namespace lagwatch::config
