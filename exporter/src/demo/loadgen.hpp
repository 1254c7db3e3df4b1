// `lagwatch loadgen`: the demo's workload (traffic.hpp) against a real cluster, for the compose
// lab and for anyone who wants lag to watch on their own Kafka. It creates the demo's topics
// where missing (replication factor 3, or the number of brokers if fewer), then produces and
// consumes as `lagwatch demo` does until SIGINT/SIGTERM: billing keeps up, analytics falls
// behind, audit stops after 45 s, shipping stalls after 20 s while staying in its group.
//
// It connects with the first configured cluster's bootstrap servers and librdkafka
// properties (so --kafka.server, --config and SASL/TLS settings work as for `serve`).
#pragma once

#include "config/config.hpp"

namespace lagwatch::demo {

// Runs until a termination signal. Returns the process exit code.
int run_loadgen(const config::Config& config);

}  // namespace lagwatch::demo
