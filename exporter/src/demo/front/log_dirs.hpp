// The DescribeLogDirs answer of the demo broker front (librdkafka's mock has none): each broker
// has one log directory, kDemoLogDir, of kDemoLogDirBytes, holding a replica of every partition
// whose replicas include it (Simulation's layout), each as large as the record batches the
// fronts relayed to that partition (Simulation::log_sizes). Followers report the leader's size
// and no offset lag. Usable bytes are the directory's size less what its replicas hold.
#pragma once

#include <cstdint>

#include "demo/front/simulation.hpp"
#include "kafka/protocol/describe_log_dirs.hpp"

namespace lagwatch::demo::front {

inline constexpr const char* kDemoLogDir = "/var/lib/kafka/data";
inline constexpr int64_t kDemoLogDirBytes = int64_t{100} << 30;  // 100 GiB

kafka::protocol::DescribeLogDirsResponse describe_log_dirs(const Simulation& simulation,
                                                           const kafka::protocol::DescribeLogDirsRequest& request,
                                                           int32_t broker);

}  // namespace lagwatch::demo::front
