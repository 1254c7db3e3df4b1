// Allow/deny filtering of topic and group names by regular expressions, as kafka_exporter's
// --topic.filter/--topic.exclude and Burrow's whitelist/blacklist do.
//
// A name passes when it matches at least one allow pattern (or there are none) and no deny
// pattern. Patterns match the whole name (ECMAScript syntax), so "orders" does not select
// "orders-dlq"; write "orders.*" for a prefix.
#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

namespace lagwatch::config {

class NameFilter {
 public:
  NameFilter() = default;
  // Throws ConfigError naming `what` (e.g. "clusters[0].groups.allow[1]") on a bad pattern.
  NameFilter(const std::vector<std::string>& allow, const std::vector<std::string>& deny,
             const std::string& what);

  bool passes(const std::string& name) const;

 private:
  std::vector<std::regex> allow_;
  std::vector<std::regex> deny_;
  // Names repeat every poll and std::regex is slow: remember each verdict.
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, bool> verdicts_;
};

}  // namespace lagwatch::config
