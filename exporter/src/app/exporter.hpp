// lagwatch as a running service: one Poller per configured cluster feeding the metrics
// page and the notifiers, and the HTTP server that serves the page. `lagwatch serve` and `lagwatch demo` both run
// exactly this; the demo only adds a mock cluster in front.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collect/poller.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "notify/notifiers.hpp"
#include "publish/metrics_page.hpp"

namespace lagwatch::app {

class Exporter {
 public:
  // Creates a Kafka client per cluster; throws kafka::KafkaError on a rejected property.
  explicit Exporter(config::Config config);
  ~Exporter();

  // Listens (throws std::runtime_error naming the address if it cannot), then starts the
  // pollers. With background=false nothing polls until poll_all() is called (tests).
  void start(bool background = true);
  void stop();

  // One poll of every cluster on the caller's thread. Only when started with background=false.
  void poll_all();

  uint16_t port() const;
  const config::Config& config() const { return config_; }
  const publish::MetricsPage& page() const { return page_; }
  // Per configured notifier (in config order): sent, failed, retries, dropped so far.
  std::vector<notify::NotifierCounters> notifier_counters() const { return notifiers_.counters(); }

  // The routes: telemetry path, /healthz, /readyz and an index page.
  http::Response handle(const http::Request& request) const;

 private:
  http::Response readiness() const;

  config::Config config_;
  publish::MetricsPage page_;
  // Declared before the pollers, which call it: destroyed after them.
  notify::Notifiers notifiers_;
  std::vector<std::unique_ptr<collect::Poller>> pollers_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace lagwatch::app
