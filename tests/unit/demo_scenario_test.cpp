// The demo's timed scenarios: the catalog's promises (every step an incident the demo knows,
// with its arguments; scripted scenarios end healthy) and the runner's order, output, refusals
// and stop, with a recording trigger instead of a cluster.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "demo/incidents.hpp"
#include "demo/scenario_runner.hpp"
#include "demo/scenarios.hpp"

namespace lagwatch::demo {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

size_t words(const std::string& s) {
  std::istringstream in(s);
  size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

TEST(DemoScenarios, EveryStepIsAKnownIncidentWithItsArguments) {
  const auto& all = scenario_catalog();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().name, "default");
  for (const auto& s : all) {
    EXPECT_EQ(find_scenario(s.name), &s);
    std::chrono::milliseconds last{0};
    for (const auto& step : s.steps) {
      const IncidentInfo* info = nullptr;
      for (const auto& i : incident_catalog()) {
        if (i.name == step.incident) info = &i;
      }
      ASSERT_NE(info, nullptr) << s.name << ": " << step.incident;
      EXPECT_EQ(step.args.size(), words(info->argument)) << s.name << ": " << step.incident;
      EXPECT_GT(step.at, last) << s.name << ": steps in the order of their times";
      last = step.at;
      EXPECT_FALSE(step.title.empty());
    }
    // A scripted scenario leaves the demo healthy; a repeating one undoes its own steps
    // within each period.
    if (s.repeat_every.count() == 0 && !s.steps.empty()) {
      EXPECT_EQ(s.steps.back().incident, "reset") << s.name;
    }
    if (s.repeat_every.count() > 0) {
      EXPECT_LT(last, s.repeat_every) << s.name;
    }
  }
  EXPECT_EQ(find_scenario("module99"), nullptr);
  EXPECT_EQ(scenario_names(), "default, module7, module10 or none");
  EXPECT_TRUE(find_scenario("none")->steps.empty());
}

TEST(DemoScenarios, ClockAndPlanText) {
  EXPECT_EQ(clock_text(0ms), "0:00");
  EXPECT_EQ(clock_text(65s), "1:05");
  EXPECT_EQ(clock_text(12min), "12:00");
  const std::string plan = scenario_plan(*find_scenario("module10"));
  EXPECT_THAT(plan, HasSubstr(" 0:30  burst orders "));
  EXPECT_THAT(plan, HasSubstr(" 5:00  broker-down 2 "));
  EXPECT_THAT(scenario_plan(*find_scenario("default")), HasSubstr("then again every 2:00"));
}

// Records each call; refuses the incidents in `refuse`.
struct RecordingTrigger {
  std::mutex mu;
  std::vector<std::string> calls;
  std::vector<std::string> refuse;

  IncidentTrigger fn() {
    return [this](const std::string& name, const std::vector<std::string>& args) {
      std::string call = name;
      for (const auto& a : args) call += " " + a;
      {
        std::lock_guard lock(mu);
        calls.push_back(call);
      }
      for (const auto& r : refuse) {
        if (r == name) throw IncidentError(name + " refused here");
      }
      return "did " + call + "\nWatch: something\n";
    };
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mu);
    return calls;
  }
};

Scenario three_steps() {
  return {"test",
          "three steps",
          {{10ms, "first", "a", {"x"}}, {20ms, "second", "b", {}}, {30ms, "third", "c", {"y", "z"}}}};
}

TEST(ScenarioRunner, RunsTheStepsInOrderAndPrintsWhatToWatch) {
  RecordingTrigger trigger;
  std::ostringstream out;
  {
    ScenarioRunner runner(three_steps(), trigger.fn(), out);
    ASSERT_TRUE(runner.wait_finished(10s));
  }
  EXPECT_EQ(trigger.seen(), (std::vector<std::string>{"a x", "b", "c y z"}));
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("== 0:00  scenario test, step 1 of 3: first\n"
                              "   $ lagwatch demo incident a x\n"
                              "   did a x\n"
                              "   Watch: something\n"
                              "   next, at 0:00: second\n"));
  EXPECT_THAT(text, HasSubstr("step 3 of 3: third\n   $ lagwatch demo incident c y z\n"));
  EXPECT_THAT(text, HasSubstr("== scenario test is over."));
  EXPECT_LT(text.find("step 1 of 3"), text.find("step 2 of 3"));
  EXPECT_LT(text.find("step 2 of 3"), text.find("step 3 of 3"));
}

TEST(ScenarioRunner, ARefusedStepIsSkippedWithItsReasonAndTheRestRuns) {
  RecordingTrigger trigger;
  trigger.refuse = {"b"};
  std::ostringstream out;
  {
    ScenarioRunner runner(three_steps(), trigger.fn(), out);
    ASSERT_TRUE(runner.wait_finished(10s));
  }
  EXPECT_EQ(trigger.seen(), (std::vector<std::string>{"a x", "b", "c y z"}));
  EXPECT_THAT(out.str(), HasSubstr("step 2 of 3: second\n   $ lagwatch demo incident b\n   skipped: b refused here\n"));
  EXPECT_THAT(out.str(), HasSubstr("step 3 of 3"));
}

TEST(ScenarioRunner, StopsAtOnceWithoutWaitingForItsSteps) {
  RecordingTrigger trigger;
  std::ostringstream out;
  {
    ScenarioRunner runner({"late", "an hour away", {{1h, "later", "a", {}}}}, trigger.fn(), out);
    EXPECT_FALSE(runner.wait_finished(20ms));
  }  // the destructor must not wait the hour (ctest's timeout would end this test)
  EXPECT_TRUE(trigger.seen().empty());
  EXPECT_THAT(out.str(), Not(HasSubstr("over")));
}

TEST(ScenarioRunner, ARepeatingScenarioRunsItsStepsAgainEachPeriod) {
  RecordingTrigger trigger;
  std::ostringstream out;
  Scenario s{"loop", "on and off", {{5ms, "on", "on", {}}, {10ms, "off", "off", {}}}, 20ms};
  {
    ScenarioRunner runner(s, trigger.fn(), out);
    for (int i = 0; i < 1000 && trigger.seen().size() < 6; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_FALSE(runner.wait_finished(1ms));
  }
  const auto calls = trigger.seen();
  ASSERT_GE(calls.size(), 6u);
  for (size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i], i % 2 == 0 ? "on" : "off") << i;
  // The last step of a round announces the next round's first.
  EXPECT_THAT(out.str(),
              HasSubstr("step 2 of 2: off\n   $ lagwatch demo incident off\n   did off\n   Watch: something\n"
                        "   next, at 0:00: on\n"));
  EXPECT_THAT(out.str(), Not(HasSubstr("is over")));
}

TEST(ScenarioRunner, AnEmptyScenarioFinishesSilently) {
  RecordingTrigger trigger;
  std::ostringstream out;
  {
    ScenarioRunner runner(*find_scenario("none"), trigger.fn(), out);
    EXPECT_TRUE(runner.wait_finished(10s));
  }
  EXPECT_TRUE(trigger.seen().empty());
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace lagwatch::demo
