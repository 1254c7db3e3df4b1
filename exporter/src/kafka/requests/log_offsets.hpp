// ListOffsets: log start and log end offsets of every partition that has a leader.
//
// Partitions are grouped by leader broker; each leader gets one request for the end offsets
// and one for the start offsets (a request may not name a partition twice), all sent in one
// round. So the request count grows with brokers, not partitions, and a broker that does not
// answer costs only its own partitions.
#pragma once

#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct LogOffsetsOutcome {
  int requests = 0;                 // ListOffsets requests sent (two per leader broker)
  std::vector<std::string> errors;  // one line per failed broker
};

// Fills log_start_offset / log_end_offset; a partition whose leader did not answer, or that
// answered with an error, keeps empty offsets and gets `error` set.
LogOffsetsOutcome fetch_log_offsets(ClusterClient& client, std::vector<model::Topic>& topics);

}  // namespace lagwatch::kafka
