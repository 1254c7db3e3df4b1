#include "kafka/admin.hpp"

namespace lagwatch::kafka {

AdminOptionsPtr admin_options(const Client& client, rd_kafka_admin_op_t op, void* opaque) {
  AdminOptionsPtr opts(rd_kafka_AdminOptions_new(client.get(), op));
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), static_cast<int>(client.request_timeout().count()), err,
                                            sizeof err);
  if (opaque) rd_kafka_AdminOptions_set_opaque(opts.get(), opaque);
  return opts;
}

EventPtr wait_result(rd_kafka_queue_t* queue, rd_kafka_event_type_t type, std::chrono::milliseconds timeout,
                     const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw KafkaError(what + ": timed out");
    EventPtr ev(rd_kafka_queue_poll(queue, static_cast<int>(left.count())));
    if (!ev) continue;
    if (rd_kafka_event_type(ev.get()) != type) continue;  // e.g. a stray error event
    if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw KafkaError(what + ": " + rd_kafka_event_error_string(ev.get()));
    }
    return ev;
  }
}

bool is_unsupported(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || err == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION ||
         err == RD_KAFKA_RESP_ERR_INVALID_REQUEST;
}

}  // namespace lagwatch::kafka
