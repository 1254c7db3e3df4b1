// Notification bodies (notification/body_template.hpp): the default JSON body, escaping, the
// partitions section, and template errors with their line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notification/body_template.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Notification sample() {
  Notification n;
  n.cluster = "prod";
  n.group = "billing";
  n.event = Event::firing;
  n.status = Status::ERR;
  n.previous_status = Status::WARN;
  n.total_lag = 1234;
  n.max_lag_seconds = 95.5;
  n.partition_count = 6;
  n.worst = PartitionFacts{"payments", 2, Status::STOP, 300, 95.5};
  n.partitions_not_ok = {{"orders", 1, Status::WARN, 934, 40.125}, {"payments", 2, Status::STOP, 300, 95.5}};
  n.timestamp_ms = 1'795'636'813'936;  // 2026-11-25T20:00:13.936Z
  return n;
}

TEST(BodyTemplate, DefaultBodyIsJsonWithEveryField) {
  const std::string body = BodyTemplate("").render(sample(), "ops");
  const json j = json::parse(body);  // throws (fails the test) if it is not JSON
  EXPECT_EQ(j["notifier"], "ops");
  EXPECT_EQ(j["event"], "firing");
  EXPECT_EQ(j["repeat"], false);
  EXPECT_EQ(j["cluster"], "prod");
  EXPECT_EQ(j["group"], "billing");
  EXPECT_EQ(j["status"], "ERR");
  EXPECT_EQ(j["previous_status"], "WARN");
  EXPECT_EQ(j["total_lag"], 1234);
  EXPECT_EQ(j["max_lag_seconds"], 95.5);
  EXPECT_EQ(j["partition_count"], 6);
  EXPECT_EQ(j["worst_partition"],
            json::parse(R"({"topic": "payments", "partition": 2, "status": "STOP", "lag": 300, "lag_seconds": 95.5})"));
  ASSERT_EQ(j["partitions_not_ok"].size(), 2u);
  EXPECT_EQ(j["partitions_not_ok"][0],
            json::parse(R"({"topic": "orders", "partition": 1, "status": "WARN", "lag": 934, "lag_seconds": 40.125})"));
  EXPECT_EQ(j["partitions_not_ok"][1]["topic"], "payments");
  EXPECT_EQ(j["timestamp"], format_timestamp(1'795'636'813'936));
  EXPECT_EQ(j.size(), 13u) << j.dump(2);
}

TEST(BodyTemplate, DefaultBodyOfAResolvedVanishedGroupIsJsonToo) {
  Notification n;
  n.cluster = "prod";
  n.group = "gone";
  n.event = Event::resolved;
  n.status = Status::NOTFOUND;
  n.previous_status = Status::ERR;
  const json j = json::parse(BodyTemplate("").render(n, "ops"));
  EXPECT_EQ(j["event"], "resolved");
  EXPECT_EQ(j["status"], "NOTFOUND");
  EXPECT_EQ(j["partitions_not_ok"], json::array());
  EXPECT_EQ(j["worst_partition"]["partition"], -1);
  EXPECT_EQ(j["worst_partition"]["topic"], "");
}

TEST(BodyTemplate, StringsAreJsonEscaped) {
  Notification n = sample();
  n.group = "we\"ird\\group\nwith\ttabs\x01and}}braces{{";
  n.partitions_not_ok[0].topic = "t\"opic";
  const json j = json::parse(BodyTemplate("").render(n, "o\"ps"));
  EXPECT_EQ(j["group"], n.group);
  EXPECT_EQ(j["notifier"], "o\"ps");
  EXPECT_EQ(j["partitions_not_ok"][0]["topic"], "t\"opic");
  EXPECT_EQ(json_escape("a\"b\\c\nd\x1f"
                        "e\x7f"),
            "a\\\"b\\\\c\\nd\\u001fe\\u007f");
  EXPECT_EQ(json_escape("naïve ✓"), "naïve ✓");  // UTF-8 passes through
}

TEST(BodyTemplate, SectionRepeatsPerPartitionWithCommas) {
  BodyTemplate t(
      "[{{#partitions}}{{topic}}/{{partition}}={{partition_status}} {{lag}} {{lag_seconds}}s{{comma}}{{/partitions}}]");
  EXPECT_EQ(t.render(sample(), "x"), "[orders/1=WARN 934 40.125s,payments/2=STOP 300 95.5s]");
  Notification none = sample();
  none.partitions_not_ok.clear();
  EXPECT_EQ(t.render(none, "x"), "[]");
  // Group fields work inside the section too.
  EXPECT_EQ(BodyTemplate("{{#partitions}}{{group}}:{{topic}};{{/partitions}}").render(sample(), "x"),
            "billing:orders;billing:payments;");
}

TEST(BodyTemplate, EveryGroupFieldAndBlanksInsideBraces) {
  Notification n = sample();
  n.repeat = true;
  const std::string text =
      "{{ notifier }}|{{event}}|{{repeat}}|{{cluster}}|{{group}}|{{status}}|{{previous_status}}|{{total_lag}}|"
      "{{max_lag_seconds}}|{{partition_count}}|{{not_ok_count}}|{{worst_topic}}|{{worst_partition}}|{{worst_status}}|"
      "{{worst_lag}}|{{worst_lag_seconds}}|{{timestamp}}|{{timestamp_ms}}";
  EXPECT_EQ(BodyTemplate(text).render(n, "ops"),
            "ops|firing|true|prod|billing|ERR|WARN|1234|95.5|6|2|payments|2|STOP|300|95.5|2026-11-25T20:00:13.936Z|"
            "1795636813936");
}

TEST(BodyTemplate, TextWithoutTagsAndLoneBracesIsCopied) {
  EXPECT_EQ(BodyTemplate("plain {text} } { }").render(sample(), "x"), "plain {text} } { }");
}

TEST(BodyTemplate, ErrorsNameLineAndColumn) {
  auto error = [](const std::string& text) { return template_problem(text).value_or("(no error)"); };
  EXPECT_EQ(template_problem("{\"g\": \"{{group}}\"}"), std::nullopt);
  EXPECT_EQ(template_problem(kDefaultTemplate), std::nullopt);
  EXPECT_THAT(error("{\n  \"g\": \"{{grop}}\"\n}"),
              StartsWith("template line 2, column 9: unknown field \"{{grop}}\"; expected one of: notifier, event"));
  EXPECT_THAT(error("abc {{group"), StartsWith("template line 1, column 5: \"{{\" is never closed"));
  EXPECT_THAT(error("x\n{{#partitions}}{{topic}}"),
              StartsWith("template line 2, column 1: {{#partitions}} is never closed"));
  EXPECT_THAT(error("{{#partitions}}{{#partitions}}{{/partitions}}{{/partitions}}"), HasSubstr("do not nest"));
  EXPECT_THAT(error("{{/partitions}}"), HasSubstr("without {{#partitions}}"));
  EXPECT_THAT(error("{{topic}}"), StartsWith("template line 1, column 1: {{topic}} is a partition field"));
  EXPECT_THAT(error("{{comma}}"), HasSubstr("partition field"));
  EXPECT_THAT(error("{{#groups}}{{/groups}}"), HasSubstr("unknown section"));
  EXPECT_THAT(error("{{}}"), HasSubstr("unknown field"));
  EXPECT_THROW(BodyTemplate("{{nope}}"), TemplateError);
}

TEST(BodyTemplate, NumbersAndTimes) {
  EXPECT_EQ(format_seconds(0), "0");
  EXPECT_EQ(format_seconds(12.5), "12.5");
  EXPECT_EQ(format_seconds(3), "3");
  EXPECT_EQ(format_seconds(0.1234), "0.123");
  EXPECT_EQ(format_seconds(59.9996), "60");
  EXPECT_EQ(format_seconds(-1), "0");
  EXPECT_EQ(format_seconds(1.0 / 0.0), "0");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
}

}  // namespace
}  // namespace lagwatch::notify
