#include "model/rebalances.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lagwatch::model {
namespace {

int32_t newest_generation(const Group& g) {
  int32_t m = -1;
  for (const auto& member : g.members) m = std::max(m, member.generation);
  return m;
}

// Member id -> its assignment, order-free.
std::map<std::string, std::set<std::pair<std::string, int32_t>>> owners(const Group& g) {
  std::map<std::string, std::set<std::pair<std::string, int32_t>>> out;
  for (const auto& m : g.members) out[m.member_id].insert(m.assignment.begin(), m.assignment.end());
  return out;
}

}  // namespace

bool comparable(const Group& g) { return g.described && (g.epoch.has_value() || g.state == "Stable"); }

bool rebalanced(const Group& before, const Group& after) {
  if (!comparable(before) || !comparable(after)) return false;
  if (before.epoch.has_value() != after.epoch.has_value()) return false;
  if (before.epoch && after.epoch) return *before.epoch != *after.epoch;
  const int32_t g0 = newest_generation(before), g1 = newest_generation(after);
  if (g0 >= 0 && g1 >= 0 && g0 != g1) return true;
  return owners(before) != owners(after);
}

}  // namespace lagwatch::model
