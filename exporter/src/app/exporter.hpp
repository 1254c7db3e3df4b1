// lagwatch as a running service: one Poller per configured cluster feeding the metrics
// page and the notifiers, and the HTTP server that serves the page. `lagwatch serve` and `lagwatch demo` both run
// exactly this; the demo only adds a mock cluster in front.
//
// Reload (SIGHUP, or POST /-/reload with web.enable_lifecycle) swaps in a new configuration
// without a restart, as Prometheus does:
//  * a cluster whose settings (and the global poll, lag and evaluation settings) are unchanged
//    keeps its poller, its history and its evaluation windows;
//  * a changed cluster gets a new poller; its old view is served until the new one's first poll;
//  * a removed cluster's poller stops and its series leave /metrics at once;
//  * changed notifiers are replaced (their "already notified" state starts afresh);
//  * web.* settings (address, path, limits, the web config file's path) need a restart: a
//    reload that changes them keeps the old ones and says so in its result. The web config
//    file's contents (TLS certificates, users, headers) are re-read by every reload, and on
//    their own when they change (http/web_security.hpp).
// A configuration that does not load, validate or pass the preflight is refused whole: the
// running one is kept.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collect/poller.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "http/web_security.hpp"
#include "notify/notifiers.hpp"
#include "publish/collect_reloads.hpp"
#include "publish/metrics_page.hpp"

namespace lagwatch::app {

// Produces the configuration to reload: re-reads the file, applies the command line and
// validates. Throws config::ConfigError (or kafka::KafkaError) when it cannot.
using ConfigSource = std::function<config::Config()>;

// Routes a program adds in front of the exporter's own (the demo's /demo/incidents): an answer,
// or nullopt to let the exporter's routes handle the request. They may get POST requests.
using ExtraRoutes = std::function<std::optional<http::Response>(const http::Request&)>;

struct ReloadResult {
  bool ok = false;
  std::string message;  // what changed, or why nothing did; one line, no secrets
};

class Exporter {
 public:
  // Creates a Kafka client per cluster; throws kafka::KafkaError on a rejected property.
  // Without a source, reload() answers that reloading is not available.
  explicit Exporter(config::Config config, ConfigSource reload_source = {}, ExtraRoutes extra_routes = {});
  ~Exporter();

  // Listens (throws std::runtime_error naming the address if it cannot), then starts the
  // pollers. With background=false nothing polls until poll_all() is called (tests).
  void start(bool background = true);
  // Stops everything and waits for every poller, however long a Kafka call takes.
  void stop();
  // Stops the server and the notifiers, and gives the pollers `budget` to finish; false when a
  // poller is still inside a Kafka call then. The caller may then end the process (serve does):
  // the object must not be destroyed while that call runs, so stop() still waits for it.
  bool stop_within(std::chrono::milliseconds budget);

  // Re-reads the configuration through the source and applies it. Thread-safe; one at a time.
  ReloadResult reload();
  // Applies an already validated configuration (reload() and tests).
  ReloadResult apply(config::Config next);

  // One poll of every cluster on the caller's thread. Only when started with background=false.
  void poll_all();

  uint16_t port() const;
  // The configuration in force (a snapshot: a reload replaces it, never changes it).
  std::shared_ptr<const config::Config> config() const;
  const publish::MetricsPage& page() const { return page_; }
  // Per configured notifier (in config order): sent, failed, retries, dropped so far.
  std::vector<notify::NotifierCounters> notifier_counters() const;
  // Reloads since start, successful and failed, and when the config last loaded.
  publish::ReloadState reload_state() const;

  // The routes: telemetry path, /healthz, /readyz, /-/reload (POST, with the lifecycle API on)
  // and an index page.
  http::Response handle(const http::Request& request);

 private:
  // A poller and the flag that lets its views through; a retired poller's flag is cleared
  // before it is asked to stop, so a poll it finishes late can never overwrite or resurrect
  // a cluster.
  struct Running {
    std::string cluster;
    config::ClusterConfig settings;
    std::shared_ptr<bool> live;  // read and written under publish_mu_
    std::unique_ptr<collect::Poller> poller;
  };

  Running make_poller(const config::Config& config, const config::ClusterConfig& cluster);
  void publish(const std::shared_ptr<bool>& live, std::shared_ptr<const core::ClusterView> view);
  void reap_retired(bool wait);
  void begin_stop();
  http::Response readiness() const;
  http::Response lifecycle_reload(const http::Request& request);
  ReloadResult reload_config();

  const ConfigSource reload_source_;
  const ExtraRoutes extra_routes_;
  publish::MetricsPage page_;

  mutable std::mutex publish_mu_;                 // a view reaches the page and the notifiers under it
  std::shared_ptr<const config::Config> config_;  // guarded by publish_mu_
  std::shared_ptr<notify::Notifiers> notifiers_;  // guarded by publish_mu_

  std::mutex reload_mu_;  // one reload (or start/stop) at a time; guards what follows
  std::vector<Running> pollers_;
  std::vector<Running> retired_;  // asked to stop by a reload, not yet joined
  bool background_ = false;
  bool stopped_ = false;
  mutable std::mutex state_mu_;
  publish::ReloadState reload_state_;                // guarded by state_mu_
  std::shared_ptr<http::WebSecurity> web_security_;  // set by start() with web.config_file
  std::unique_ptr<http::Server> server_;
};

}  // namespace lagwatch::app
