// Runs a scenario (demo/scenarios.hpp) on its own thread: at each step's time it triggers the
// step's incident and prints, to `out`, the step, the command a student would have typed, what
// the incident did and what to watch, and when the next step comes. A refused step (the
// trigger throws) is printed as skipped, with the reason, and the scenario goes on.
//
// The trigger is a function, not Incidents itself, so the runner's timing and output are tested
// without a cluster: in the demo it is Incidents::trigger.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "demo/scenarios.hpp"

namespace lagwatch::demo {

using IncidentTrigger = std::function<std::string(const std::string& name, const std::vector<std::string>& args)>;

class ScenarioRunner {
 public:
  // Starts at once: the steps' times count from now. `out` must outlive the runner; only the
  // runner's thread writes to it while the runner lives.
  ScenarioRunner(Scenario scenario, IncidentTrigger trigger, std::ostream& out);
  ~ScenarioRunner();  // stops at once (a step in progress finishes) and joins
  ScenarioRunner(const ScenarioRunner&) = delete;
  ScenarioRunner& operator=(const ScenarioRunner&) = delete;

  // Waits until every step has run, up to `limit`; true when they have. A repeating scenario
  // never finishes.
  bool wait_finished(std::chrono::milliseconds limit);

 private:
  void run();
  void run_step(size_t index, std::chrono::milliseconds at);
  bool sleep_until(std::chrono::steady_clock::time_point t);  // false when stopping

  Scenario scenario_;
  IncidentTrigger trigger_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool finished_ = false;
  std::thread thread_;  // last: starts once everything above is set
};

}  // namespace lagwatch::demo
