#include "notify/backoff.hpp"

#include <algorithm>

#include "util/saturating.hpp"

namespace lagwatch::notify {

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds max) {
  if (retry < 1 || initial.count() <= 0) return std::chrono::milliseconds{0};
  auto delay = initial;
  // Saturating: `max` may be close to the limit of milliseconds, where doubling would overflow.
  for (int i = 1; i < retry && delay < max; ++i) delay = util::saturating_mul(delay, 2);
  return std::min(delay, max);
}

}  // namespace lagwatch::notify
