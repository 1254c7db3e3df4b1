#include "demo/demo_runner.hpp"

#include <spdlog/spdlog.h>

#include <future>
#include <iostream>
#include <sstream>

#include "app/exporter.hpp"
#include "app/logging.hpp"
#include "app/preflight.hpp"
#include "app/service.hpp"
#include "demo/demo_config.hpp"
#include "demo/incidents.hpp"
#include "demo/mock_cluster.hpp"
#include "demo/traffic.hpp"

namespace lagwatch::demo {
namespace {

// The mock creates topics slowly when asked back to back (mock-cluster-notes.md): ask in parallel.
void create_topics(MockCluster& cluster) {
  std::vector<std::future<void>> pending;
  for (const auto& t : demo_topics()) {
    pending.push_back(std::async(std::launch::async, [&cluster, t] { cluster.create_topic(t.name, t.partitions); }));
  }
  for (auto& p : pending) p.get();
}

std::string local_url(const std::string& listen_address, uint16_t port, const std::string& path) {
  std::string host = listen_address.substr(0, listen_address.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "localhost";
  return "http://" + host + ":" + std::to_string(port) + path;
}

// The demo's configuration (the built-in one, or --config), its first cluster pointed at the
// mock. Also what SIGHUP re-reads, so a student can edit a copy and reload it.
config::Config demo_config(const config::CommandLine& cl, const std::string& bootstrap) {
  config::Config cfg = cl.config_path ? config::load_file(*cl.config_path)
                                      : config::parse_yaml(embedded_demo_config(), "lagwatch-demo.yml (built in)");
  // The demo's config names a placeholder address: point the first cluster at the mock.
  if (!cfg.clusters.empty()) {
    cfg.clusters[0].bootstrap_servers.clear();
    std::stringstream list(bootstrap);
    for (std::string server; std::getline(list, server, ',');) cfg.clusters[0].bootstrap_servers.push_back(server);
  }
  config::apply_overrides(cfg, cl.overrides);
  config::validate(cfg);
  app::preflight(cfg);
  return cfg;
}

}  // namespace

int run_demo(const config::CommandLine& cl) {
  MockCluster cluster(3);
  create_topics(cluster);
  const std::string bootstrap = cluster.bootstrap_servers();
  config::Config cfg = demo_config(cl, bootstrap);
  app::set_log_level(cfg.log_level);

  Traffic traffic({bootstrap});
  traffic.start();

  app::Exporter exporter(cfg, [cl, bootstrap] { return demo_config(cl, bootstrap); });
  exporter.start();
  Incidents incidents(cluster, {});

  std::cout << "\nlagwatch demo is running: a 3-broker mock Kafka cluster at " << bootstrap << "\n"
            << "  topics:  orders (6 partitions), payments (3), inventory (3), produced to continuously\n"
            << "  groups:  billing (keeps up), analytics (falls behind), audit (stops after 45 s),\n"
            << "           shipping (stays in the group but stops committing after 20 s)\n"
            << "  incident: inventory/2 goes offline (no leader) 60 s after start, for 30 s, every 2 minutes\n\n"
            << "  metrics: " << local_url(cfg.web.listen_address, exporter.port(), cfg.web.telemetry_path) << "\n"
            << "  try:     curl -s " << local_url(cfg.web.listen_address, exporter.port(), cfg.web.telemetry_path)
            << " | grep kafka_consumergroup_lag_sum\n"
            << "           kcat -b " << bootstrap << " -L\n\n"
            << "Press Ctrl-C to stop.\n"
            << std::flush;

  app::run_until_stopped(exporter);
  traffic.stop();
  app::stop_or_exit(exporter, 0);
  return 0;
}

}  // namespace lagwatch::demo
