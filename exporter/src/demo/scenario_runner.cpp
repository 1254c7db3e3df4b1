#include "demo/scenario_runner.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <sstream>

namespace lagwatch::demo {
namespace {

// Every line of `text` indented by `by`.
std::string indent(const std::string& text, const std::string& by) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) out += by + line + "\n";
  return out;
}

}  // namespace

ScenarioRunner::ScenarioRunner(Scenario scenario, IncidentTrigger trigger, std::ostream& out)
    : scenario_(std::move(scenario)),
      trigger_(std::move(trigger)),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

ScenarioRunner::~ScenarioRunner() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool ScenarioRunner::wait_finished(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  return wake_.wait_for(lock, limit, [this] { return finished_; });
}

bool ScenarioRunner::sleep_until(std::chrono::steady_clock::time_point t) {
  std::unique_lock lock(mu_);
  return !wake_.wait_until(lock, t, [this] { return stopping_; });
}

void ScenarioRunner::run() {
  const auto& steps = scenario_.steps;
  const bool repeats = scenario_.repeat_every.count() > 0 && !steps.empty();
  for (std::chrono::milliseconds round{0};; round += scenario_.repeat_every) {
    for (size_t i = 0; i < steps.size(); ++i) {
      const auto at = round + steps[i].at;
      if (!sleep_until(start_ + at)) return;
      run_step(i, at);
    }
    if (!repeats) break;
  }
  if (!steps.empty()) {
    out_ << "\n== scenario " << scenario_.name
         << " is over. The demo goes on: trigger incidents yourself (lagwatch demo incident).\n"
         << std::flush;
  }
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  wake_.notify_all();
}

void ScenarioRunner::run_step(size_t index, std::chrono::milliseconds at) {
  const ScenarioStep& step = scenario_.steps[index];
  const std::string command = "lagwatch demo incident " + step_command(step);
  std::ostringstream text;
  text << "\n== " << clock_text(at) << "  scenario " << scenario_.name << ", step " << index + 1 << " of "
       << scenario_.steps.size() << ": " << step.title << "\n"
       << "   $ " << command << "\n";
  try {
    text << indent(trigger_(step.incident, step.args), "   ");
    spdlog::info("demo scenario {}: step {} ({}) applied", scenario_.name, index + 1, command);
  } catch (const std::exception& e) {
    text << "   skipped: " << e.what() << "\n";
    spdlog::warn("demo scenario {}: step {} ({}) skipped: {}", scenario_.name, index + 1, command, e.what());
  }
  if (index + 1 < scenario_.steps.size()) {
    const auto& next = scenario_.steps[index + 1];
    text << "   next, at " << clock_text(at - step.at + next.at) << ": " << next.title << "\n";
  } else if (scenario_.repeat_every.count() > 0) {
    text << "   next, at " << clock_text(at - step.at + scenario_.repeat_every + scenario_.steps.front().at) << ": "
         << scenario_.steps.front().title << "\n";
  }
  out_ << text.str() << std::flush;
}

}  // namespace lagwatch::demo
