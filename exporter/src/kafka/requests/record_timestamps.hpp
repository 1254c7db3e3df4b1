// Fetch: the timestamp of the record at a committed offset, for lag in seconds beyond the
// end-offset history (a consumer further behind than the history reaches is anchored on the
// timestamp of the very record it has to read next).
//
// One Fetch per leader broker names every wanted partition once (a request may not name a
// partition twice; a second wanted offset of the same partition waits for the next round).
// lagwatch fetches as a plain consumer outside any group: it joins nothing, commits nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "kafka/requests/cluster_client.hpp"

namespace lagwatch::kafka {

using RecordKey = std::tuple<std::string, int32_t, int64_t>;  // topic, partition, offset
using Leaders = std::map<std::pair<std::string, int32_t>, int32_t>;

// Timestamps (ms, CreateTime or LogAppendTime as the topic has it) of the records at the
// wanted offsets. If the record at an offset is gone (retention, compaction) or is a
// transaction marker, the first record after it stands in. Offsets whose leader did not
// answer, or at the log end (nothing to read yet), are absent from the result.
std::map<RecordKey, int64_t> fetch_record_timestamps(ClusterClient& client, const std::vector<RecordKey>& wanted,
                                                     const Leaders& leaders);

}  // namespace lagwatch::kafka
