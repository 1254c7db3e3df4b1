// The text exposition written by publish::Families, checked against exact expected text and,
// for a larger set of series, against prometheus-cpp's own serializer as an oracle.
#include "publish/families.hpp"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "metrics_text.hpp"

namespace lagwatch::publish {
namespace {

TEST(Families, SamplesAreGroupedPerFamilyInDeclarationOrder) {
  Families f;
  auto a = f.gauge("a_value", "First family.");
  auto b = f.counter("b_total", "Second family.");
  f.add(a, {{"topic", "t1"}}, 1);
  f.add(b, {}, 7);
  f.add(a, {{"topic", "t2"}, {"partition", "0"}}, 2.5);
  f.gauge("c_empty", "Declared, never filled.");
  EXPECT_EQ(f.series(), 3u);
  EXPECT_EQ(f.text(),
            "# HELP a_value First family.\n"
            "# TYPE a_value gauge\n"
            "a_value{topic=\"t1\"} 1\n"
            "a_value{topic=\"t2\",partition=\"0\"} 2.5\n"
            "# HELP b_total Second family.\n"
            "# TYPE b_total counter\n"
            "b_total 7\n"
            "# HELP c_empty Declared, never filled.\n"
            "# TYPE c_empty gauge\n");
}

TEST(Families, TakePiecesGivesOnePiecePerFamilyAndEmptiesIt) {
  Families f;
  f.add(f.gauge("a", "A."), {}, 1);
  f.gauge("b", "B.");
  const std::string joined = f.text();
  auto pieces = f.take_pieces();
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0] + pieces[1], joined);
  EXPECT_EQ(pieces[1], "# HELP b B.\n# TYPE b gauge\n");
  EXPECT_EQ(f.series(), 0u);
  EXPECT_EQ(f.text(), "");
}

TEST(Families, RedeclaringAFamilyReturnsTheSameOne) {
  Families f;
  auto a = f.gauge("x", "help");
  EXPECT_EQ(f.gauge("x", "other help"), a);
  f.add(a, {}, 1);
  f.add(f.gauge("x", "help"), {}, 2);
  EXPECT_EQ(f.text(), "# HELP x help\n# TYPE x gauge\nx 1\nx 2\n");
}

TEST(Families, EscapesLabelValuesAndHelp) {
  Families f;
  auto a = f.gauge("m", "back\\slash and\nnewline, \"quotes\" stay");
  f.add(a, {{"topic", "a\"b\\c\nd"}}, 0);
  EXPECT_EQ(f.text(),
            "# HELP m back\\\\slash and\\nnewline, \"quotes\" stay\n"
            "# TYPE m gauge\n"
            "m{topic=\"a\\\"b\\\\c\\nd\"} 0\n");
}

TEST(Families, ValuesUseTheShortestExactForm) {
  auto v = [](double d) {
    std::string s;
    append_value(s, d);
    return s;
  };
  EXPECT_EQ(v(0), "0");
  EXPECT_EQ(v(-3), "-3");
  EXPECT_EQ(v(0.1), "0.1");
  EXPECT_EQ(v(1234567890123.0), "1234567890123");
  EXPECT_EQ(v(9007199254740993.0), "9007199254740992");  // a double's own rounding, nothing more
  EXPECT_EQ(v(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(v(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(v(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(std::stod(v(1.0 / 3)), 1.0 / 3);  // round-trips exactly
}

// The same series through prometheus-cpp's TextSerializer and through Families must read back
// identically (names, labels, values), including awkward label values.
TEST(Families, AgreesWithPrometheusCppSerializer) {
  Families ours;
  std::vector<prometheus::MetricFamily> theirs;
  const std::vector<std::string> topics{"orders", "with space", "quote\"d", "back\\slash", "new\nline", "ünïcode"};
  for (int fam = 0; fam < 3; ++fam) {
    const std::string name = "family_" + std::to_string(fam);
    auto idx = ours.gauge(name, "help " + name);
    prometheus::MetricFamily pf{name, "help " + name, prometheus::MetricType::Gauge, {}};
    for (size_t t = 0; t < topics.size(); ++t) {
      for (int p = 0; p < 4; ++p) {
        const double value = (fam == 2 && p == 3) ? 1e21 : fam * 1000.5 + static_cast<double>(t) * 10 + p;
        ours.add(idx, {{"topic", topics[t]}, {"partition", std::to_string(p)}}, value);
        prometheus::ClientMetric m;
        m.label = {{"partition", std::to_string(p)}, {"topic", topics[t]}};
        m.gauge.value = value;
        pf.metric.push_back(m);
      }
    }
    theirs.push_back(pf);
  }
  std::ostringstream reference;
  prometheus::TextSerializer().Serialize(reference, theirs);
  const testing::MetricsText a(ours.text()), b(reference.str());
  ASSERT_EQ(a.size(), 3 * topics.size() * 4);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& topic : topics) {
    for (int p = 0; p < 4; ++p) {
      for (int fam = 0; fam < 3; ++fam) {
        const std::string name = "family_" + std::to_string(fam);
        const std::vector<std::pair<std::string, std::string>> labels{{"topic", topic},
                                                                      {"partition", std::to_string(p)}};
        ASSERT_TRUE(a.get(name, labels).has_value()) << name << " " << topic;
        EXPECT_EQ(a.get(name, labels), b.get(name, labels)) << name << " " << topic << " " << p;
      }
    }
  }
}

}  // namespace
}  // namespace lagwatch::publish
