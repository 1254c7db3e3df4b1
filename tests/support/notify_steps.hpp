// What the notifier integration tests share: waiting for a background delivery, the YAML
// examples of docs/notifications.md (so the tests run the configuration the docs give a new
// user), and the group history every kind is tried with.
#pragma once

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "synthetic_view.hpp"

namespace lagwatch::testing {

// Polls `done` every 5 ms until it holds (true) or `timeout` passes (false).
template <typename F>
bool eventually(F done, std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The first ```yaml block after the line `heading` ("### Slack") of docs/notifications.md;
// "" (and a test failure where it is used) when there is none.
inline std::string docs_yaml_after(const std::string& heading) {
  std::ifstream in(std::string(LAGWATCH_SOURCE_DIR) + "/docs/notifications.md");
  std::stringstream all;
  all << in.rdbuf();
  const std::string doc = all.str();
  const size_t at = doc.find("\n" + heading + "\n");
  if (at == std::string::npos) return "";
  const size_t open = doc.find("```yaml\n", at);
  const size_t close = open == std::string::npos ? open : doc.find("```\n", open + 8);
  if (close == std::string::npos) return "";
  return doc.substr(open + 8, close - open - 8);
}

// Group "billing" of cluster "prod": OK, WARN (lag 4200) for two polls 30 s apart, then OK:
// one firing and one resolution for a notifier with the defaults.
template <typename Observer>
void warn_then_resolve(Observer& notifier) {
  const int64_t t0 = 1'800'000'000'000;
  notifier.observe(*synthetic_view("prod", t0, {{"billing", one_partition(evaluate::Status::OK)}}));
  notifier.observe(*synthetic_view("prod", t0 + 30'000, {{"billing", one_partition(evaluate::Status::WARN, 4'200)}}));
  notifier.observe(*synthetic_view("prod", t0 + 60'000, {{"billing", one_partition(evaluate::Status::WARN, 5'100)}}));
  notifier.observe(*synthetic_view("prod", t0 + 90'000, {{"billing", one_partition(evaluate::Status::OK, 3)}}));
}

}  // namespace lagwatch::testing
