#include "demo/scenarios.hpp"

namespace lagwatch::demo {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

std::vector<Scenario> make_catalog() {
  std::vector<Scenario> out;
  out.push_back(
      {"default",
       "partition inventory/2 goes offline 1 min after start, for 30 s, every 2 minutes",
       {{seconds(60), "inventory/2 loses its leader: an offline partition", "partition-offline", {"inventory", "2"}},
        {seconds(90), "inventory/2 has a leader again", "partition-online", {"inventory", "2"}}},
       minutes(2)});
  // Module 7 asks a student to watch replication health and consumer groups. A step lasts long
  // enough for the evaluator's window and the alerts' `for` to pass on the demo's 5 s polls.
  out.push_back({"module7",
                 "monitoring: a slow follower (URP, under min ISR), a stuck consumer (STALL), one that "
                 "leaves (STOP)",
                 {{seconds(30),
                   "a follower falls behind: under-replicated partitions, payments under min ISR",
                   "broker-slow",
                   {"3"}},
                  {minutes(3) + seconds(30), "the follower catches up", "reset", {}},
                  {minutes(4), "billing's consumer is alive but stuck: STALL", "consumer-stall", {"billing"}},
                  {minutes(6) + seconds(30),
                   "billing's consumer leaves the group: no members, STOP",
                   "consumer-stop",
                   {"billing"}},
                  {minutes(9), "billing consumes again", "reset", {}}}});
  // Module 10: "simulate high lag and fix it", then "test failover when a broker falls". analytics
  // reads 10 of the 20 records/s produced to orders: a burst puts it far behind, three
  // consumers (30/s) bring its lag down. Broker 2 stays down past KafkaBrokerDown's and
  // KafkaOfflinePartitions' `for`.
  out.push_back(
      {"module10",
       "troubleshooting: high lag and its fix (analytics scaled to 3 consumers), then failover "
       "(broker 2 down for 3 minutes)",
       {{seconds(30), "simulate high lag: a burst on orders that analytics cannot absorb", "burst", {"orders"}},
        {minutes(2) + seconds(30), "fix it: analytics runs 3 consumers", "consumer-scale", {"analytics", "3"}},
        {minutes(5), "test failover: broker 2 falls", "broker-down", {"2"}},
        {minutes(8), "broker 2 comes back", "broker-up", {"2"}},
        {minutes(9), "everything as at start", "reset", {}}}});
  out.push_back({"none", "nothing timed: trigger the incidents yourself (lagwatch demo incident)", {}});
  return out;
}

}  // namespace

const std::vector<Scenario>& scenario_catalog() {
  static const std::vector<Scenario> catalog = make_catalog();
  return catalog;
}

std::string step_command(const ScenarioStep& step) {
  std::string command = step.incident;
  for (const auto& a : step.args) command += " " + a;
  return command;
}

const Scenario* find_scenario(const std::string& name) {
  for (const auto& s : scenario_catalog()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string scenario_names() {
  const auto& all = scenario_catalog();
  std::string out;
  for (size_t i = 0; i < all.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i].name;
  }
  return out;
}

std::string clock_text(std::chrono::milliseconds since_start) {
  const auto total = std::chrono::duration_cast<seconds>(since_start).count();
  const auto s = total % 60;
  return std::to_string(total / 60) + ":" + (s < 10 ? "0" : "") + std::to_string(s);
}

std::string scenario_plan(const Scenario& scenario) {
  std::string out;
  for (const auto& step : scenario.steps) {
    std::string command = step_command(step);
    if (command.size() < 30) command.resize(30, ' ');
    std::string when = clock_text(step.at);
    if (when.size() < 5) when.insert(0, 5 - when.size(), ' ');
    out += "  " + when + "  " + command + "  " + step.title + "\n";
  }
  if (scenario.repeat_every.count() > 0) {
    out += "  then again every " + clock_text(scenario.repeat_every) + " (minutes:seconds)\n";
  }
  return out;
}

}  // namespace lagwatch::demo
