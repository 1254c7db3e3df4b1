// DescribeLogDirs: every replica's size, per log directory, one request per broker (a broker
// answers only for its own disks). All topics are asked for (a null topic list), since the
// answer's size is the broker's replica count either way and naming them would only add bytes.
#pragma once

#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct LogDirsAnswer {
  std::vector<model::LogDir> dirs;  // of the brokers that answered, by broker then path
  std::vector<int32_t> answered;    // the brokers that answered
  std::vector<int32_t> refused;     // CLUSTER_AUTHORIZATION_FAILED (v3+): not errors
  bool unsupported = false;         // no broker offers DescribeLogDirs (librdkafka's mock)
  std::vector<std::string> errors;  // per broker that failed, or refused (authorization)
};

LogDirsAnswer describe_log_dirs(ClusterClient& client, const std::vector<int32_t>& brokers);

}  // namespace lagwatch::kafka
