// How long a notifier waits before each retry: exponential, capped, no jitter (one lagwatch
// process sends to a webhook, not a fleet, so there is no herd to spread out).
#pragma once

#include <chrono>

namespace lagwatch::notify {

// The wait before retry number `retry` (1 for the first retry, i.e. the second attempt):
// initial × 2^(retry − 1), at most `max`. retry < 1 gives 0. With initial 1s and max 1m:
// 1s, 2s, 4s, 8s, 16s, 32s, 1m, 1m, ...
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds max);

}  // namespace lagwatch::notify
