#include "rdkafka/client.hpp"

#include <spdlog/spdlog.h>

#include "config/config.hpp"

namespace lagwatch::rdkafka {
namespace {

// librdkafka logs every refused connection, every retry; a cluster that is down would flood
// the log. Its messages go to debug level: the poller logs one line per state change instead.
void log_callback(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  const auto* cluster = static_cast<const std::string*>(rd_kafka_opaque(rk));
  if (level <= 2) {  // LOG_CRIT and worse: configuration or fatal trouble, worth seeing
    spdlog::error("cluster {}: librdkafka {}: {}", cluster ? *cluster : "?", fac, buf);
  } else {
    spdlog::debug("cluster {}: librdkafka {}: {}", cluster ? *cluster : "?", fac, buf);
  }
}

void error_callback(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  (void)rk;
  const auto* cluster = static_cast<const std::string*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    spdlog::error("cluster {}: fatal client error: {}", cluster ? *cluster : "?", reason);
  } else {
    spdlog::debug("cluster {}: {}", cluster ? *cluster : "?", reason);
  }
}

std::optional<std::string> set_problem(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  const rd_kafka_conf_res_t res = rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err);
  if (res == RD_KAFKA_CONF_OK) return std::nullopt;
  if (res == RD_KAFKA_CONF_UNKNOWN) return "no such librdkafka property";
  // librdkafka's message may quote the value; never echo a secret.
  return config::is_secret_key(key) ? std::string("rejected value (not shown: secret)") : std::string(err);
}

void set(rd_kafka_conf_t* conf, const std::string& cluster, const std::string& key, const std::string& value) {
  if (auto problem = set_problem(conf, key, value)) {
    throw KafkaError("cluster " + cluster + ": librdkafka property \"" + key + "\": " + *problem);
  }
}

}  // namespace

std::optional<std::string> property_problem(const std::string& key, const std::string& value) {
  ConfPtr conf(rd_kafka_conf_new());
  return set_problem(conf.get(), key, value);
}

std::string error_text(rd_kafka_resp_err_t err) { return rd_kafka_err2str(err); }

Client::Client(const ClientSettings& settings)
    : cluster_(settings.cluster), request_timeout_(settings.request_timeout) {
  ConfPtr conf(rd_kafka_conf_new());
  std::string bootstrap;
  for (const auto& s : settings.bootstrap_servers) bootstrap += (bootstrap.empty() ? "" : ",") + s;
  set(conf.get(), cluster_, "bootstrap.servers", bootstrap);
  set(conf.get(), cluster_, "client.id", "lagwatch");
  // Defaults that suit a monitor; a user's properties below may override them.
  set(conf.get(), cluster_, "socket.timeout.ms", std::to_string(settings.request_timeout.count()));
  set(conf.get(), cluster_, "log.connection.close", "false");
  set(conf.get(), cluster_, "reconnect.backoff.max.ms", "5000");
  for (const auto& [k, v] : settings.internal_properties) set(conf.get(), cluster_, k, v);
  for (const auto& [k, v] : settings.properties) set(conf.get(), cluster_, k, v);

  rd_kafka_conf_set_opaque(conf.get(), &cluster_);
  rd_kafka_conf_set_log_cb(conf.get(), log_callback);
  rd_kafka_conf_set_error_cb(conf.get(), error_callback);

  char err[512];
  // rd_kafka_new takes ownership of conf only on success.
  rd_kafka_t* rk = rd_kafka_new(settings.type, conf.get(), err, sizeof err);
  if (!rk) throw KafkaError("cluster " + cluster_ + ": cannot create Kafka client: " + err);
  conf.release();
  handle_.reset(rk);
  if (settings.type == RD_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk);
}

}  // namespace lagwatch::rdkafka
