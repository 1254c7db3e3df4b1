#include "notify/backoff.hpp"

#include <algorithm>

namespace lagwatch::notify {

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds max) {
  if (retry < 1 || initial.count() <= 0) return std::chrono::milliseconds{0};
  auto delay = initial;
  for (int i = 1; i < retry && delay < max; ++i) delay *= 2;  // stops doubling at max: no overflow
  return std::min(delay, max);
}

}  // namespace lagwatch::notify
