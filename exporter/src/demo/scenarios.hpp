// The demo's timed scenarios (`lagwatch demo --scenario NAME`): incidents run in order at set
// times after the demo starts, each printed with what it did and what to watch, so a student
// can follow a module of the course without typing the incidents. Every step is an incident of
// demo/incidents.hpp, exactly as `lagwatch demo incident` would trigger it:
//
//   default    every 2 minutes from 1:00, partition inventory/2 loses its leader for 30 s
//              (the offline-partition metrics move before a student does anything)
//   module7    monitoring: a slow follower (URP, under min ISR), then a consumer that is alive
//              but stuck (STALL), then one that leaves (no members, STOP)
//   module10   troubleshooting: "simulate high lag and fix it" (a burst analytics cannot
//              absorb, then three consumers), then "test failover when a broker falls"
//              (broker 2 down for 3 minutes, then back)
//   none       nothing timed: the student triggers every incident
//
// A student may trigger incidents during a scenario too; a step the cluster refuses then (a
// broker already down) is skipped with the reason, and the scenario goes on.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lagwatch::demo {

struct ScenarioStep {
  std::chrono::milliseconds at;  // since the scenario started (the demo's start)
  std::string title;             // what the step shows, in the course's words
  std::string incident;          // as `lagwatch demo incident` names it
  std::vector<std::string> args;
};

struct Scenario {
  std::string name;
  std::string summary;
  std::vector<ScenarioStep> steps;  // in the order of their `at`
  // 0: the steps run once. Otherwise they run again every `repeat_every` (each step's `at`
  // plus one period per round).
  std::chrono::milliseconds repeat_every{0};
};

// Every scenario, in the order the help lists them; "default" first.
const std::vector<Scenario>& scenario_catalog();

// "broker-down 2": the step's incident and its arguments, as `lagwatch demo incident` takes them.
std::string step_command(const ScenarioStep& step);

// The scenario of that name, or nullptr.
const Scenario* find_scenario(const std::string& name);

// "default, module7, module10 or none": for an error naming the choices.
std::string scenario_names();

// "1:05", "12:00": a time since the demo started, as the scenario's lines print it.
std::string clock_text(std::chrono::milliseconds since_start);

// The plan, one line per step ("  0:30  burst orders  simulate high lag: ..."), for the
// demo's banner.
std::string scenario_plan(const Scenario& scenario);

}  // namespace lagwatch::demo
