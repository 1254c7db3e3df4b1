// Shared plumbing for librdkafka's asynchronous Admin API.
#pragma once

#include <chrono>
#include <string>

#include "rdkafka/client.hpp"

namespace lagwatch::rdkafka {

AdminOptionsPtr admin_options(const Client& client, rd_kafka_admin_op_t op, void* opaque = nullptr);

// True when an error means "this broker does not implement the API" (old or mock brokers):
// reported as a capability the cluster lacks instead of as a failure every poll.
bool is_unsupported(rd_kafka_resp_err_t err);

}  // namespace lagwatch::rdkafka
