#include "config/name_filter.hpp"

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

std::vector<std::regex> compile_all(const std::vector<std::string>& patterns,
                                    const std::string& what, const char* list) {
  std::vector<std::regex> out;
  out.reserve(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    try {
      out.emplace_back(patterns[i], std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw ConfigError(what + "." + list + "[" + std::to_string(i) + "]: invalid regular expression \"" +
                        patterns[i] + "\": " + e.what());
    }
  }
  return out;
}

}  // namespace

NameFilter::NameFilter(const std::vector<std::string>& allow, const std::vector<std::string>& deny,
                       const std::string& what)
    : allow_(compile_all(allow, what, "allow")), deny_(compile_all(deny, what, "deny")) {}

bool NameFilter::passes(const std::string& name) const {
  std::lock_guard lock(mu_);
  if (auto it = verdicts_.find(name); it != verdicts_.end()) return it->second;
  bool ok = allow_.empty();
  for (const auto& re : allow_) {
    if (std::regex_match(name, re)) {
      ok = true;
      break;
    }
  }
  if (ok) {
    for (const auto& re : deny_) {
      if (std::regex_match(name, re)) {
        ok = false;
        break;
      }
    }
  }
  // Bound the cache: a cluster with churning generated group names must not grow it forever.
  if (verdicts_.size() > 100'000) verdicts_.clear();
  verdicts_.emplace(name, ok);
  return ok;
}

}  // namespace lagwatch::config
