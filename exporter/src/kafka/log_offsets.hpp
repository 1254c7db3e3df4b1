// ListOffsets: log start and log end offsets of every partition.
//
// Partitions are grouped by leader broker and each broker gets one request for the end
// offsets and one for the start offsets, with the brokers asked in parallel. So the request
// count grows with brokers, not partitions, and one unreachable broker costs its own
// partitions a timeout without delaying the others'.
#pragma once

#include <string>
#include <vector>

#include "kafka/client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct LogOffsetsOutcome {
  int requests = 0;                 // ListOffsets calls made (two per leader broker)
  std::vector<std::string> errors;  // one line per failed broker or partition group
};

// Fills log_start_offset / log_end_offset of every partition that has a leader.
// Partitions whose broker did not answer keep empty offsets and get `error` set.
LogOffsetsOutcome fetch_log_offsets(const Client& client, std::vector<model::Topic>& topics);

}  // namespace lagwatch::kafka
