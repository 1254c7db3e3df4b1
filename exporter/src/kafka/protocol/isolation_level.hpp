// The isolation level of Fetch (v4+) and ListOffsets (v2+): read_uncommitted sees up to the
// high watermark, read_committed up to the last stable offset (no open transaction's records).
#pragma once

#include <cstdint>

namespace lagwatch::kafka::protocol {

inline constexpr int8_t kReadUncommitted = 0;
inline constexpr int8_t kReadCommitted = 1;

}  // namespace lagwatch::kafka::protocol
