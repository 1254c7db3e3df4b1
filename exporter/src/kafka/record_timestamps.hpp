// Fetch: the timestamp of the record at a given offset, for many partitions in one round.
//
// Lag in seconds is normally interpolated from lagwatch's end-offset history; a consumer
// further behind than that history reaches is anchored on the timestamp of the very record
// it has to read next. All wanted partitions are assigned at once to a consumer-type handle
// (manual assignment: it joins no group and commits nothing), the first record of each is
// read and the assignment dropped, so a round costs one Fetch per leader broker.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "kafka/client.hpp"

namespace lagwatch::kafka {

using RecordKey = std::tuple<std::string, int32_t, int64_t>;  // topic, partition, offset

// Settings for the consumer handle that reads the records: small fetches, no commits.
std::map<std::string, std::string> record_reader_properties(const std::string& cluster);

// Timestamps (ms, CreateTime or LogAppendTime as the topic has it) of the records at the wanted
// offsets. If the record at an offset is gone (retention, compaction), the first one after it
// stands in. Partitions that answered nothing within `timeout` are absent from the result.
std::map<RecordKey, int64_t> fetch_record_timestamps(const Client& consumer, const std::vector<RecordKey>& wanted,
                                                     std::chrono::milliseconds timeout);

}  // namespace lagwatch::kafka
