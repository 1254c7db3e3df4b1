#include "rdkafka/admin.hpp"

namespace lagwatch::rdkafka {

AdminOptionsPtr admin_options(const Client& client, rd_kafka_admin_op_t op, void* opaque) {
  AdminOptionsPtr opts(rd_kafka_AdminOptions_new(client.get(), op));
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), static_cast<int>(client.request_timeout().count()), err,
                                            sizeof err);
  if (opaque) rd_kafka_AdminOptions_set_opaque(opts.get(), opaque);
  return opts;
}

bool is_unsupported(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || err == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION ||
         err == RD_KAFKA_RESP_ERR_INVALID_REQUEST;
}

}  // namespace lagwatch::rdkafka
