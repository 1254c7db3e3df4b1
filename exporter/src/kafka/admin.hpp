// Shared plumbing for librdkafka's asynchronous Admin API: options with a request timeout,
// and waiting for the one result event a call produces.
#pragma once

#include <chrono>
#include <string>

#include "kafka/client.hpp"

namespace lagwatch::kafka {

AdminOptionsPtr admin_options(const Client& client, rd_kafka_admin_op_t op, void* opaque = nullptr);

// Waits for an event of `type` on `queue` for at most `timeout`.
// Throws KafkaError("<what>: ...") on timeout or when the event carries an error.
EventPtr wait_result(rd_kafka_queue_t* queue, rd_kafka_event_type_t type, std::chrono::milliseconds timeout,
                     const std::string& what);

// True when an error means "this broker does not implement the API" (old or mock brokers):
// such a call is skipped from then on instead of failing every poll.
bool is_unsupported(rd_kafka_resp_err_t err);

}  // namespace lagwatch::kafka
