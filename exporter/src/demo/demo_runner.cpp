#include "demo/demo_runner.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <sstream>

#include "app/exporter.hpp"
#include "app/logging.hpp"
#include "app/preflight.hpp"
#include "app/service.hpp"
#include "config/command_line.hpp"
#include "demo/demo_cluster.hpp"
#include "demo/demo_config.hpp"
#include "demo/incident_client.hpp"
#include "demo/incident_routes.hpp"
#include "demo/incidents.hpp"
#include "demo/scenario_runner.hpp"
#include "demo/scenarios.hpp"
#include "demo/traffic.hpp"

namespace lagwatch::demo {
namespace {

std::string local_url(const std::string& listen_address, uint16_t port, const std::string& path) {
  std::string host = listen_address.substr(0, listen_address.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "localhost";
  return "http://" + host + ":" + std::to_string(port) + path;
}

// The demo's configuration file: --config, or the built-in one.
config::Config demo_file(const config::CommandLine& cl) {
  return cl.config_path ? config::load_file(*cl.config_path)
                        : config::parse_yaml(embedded_demo_config(), "lagwatch-demo.yml (built in)");
}

// The demo's configuration, its first cluster pointed at the demo cluster. Also what SIGHUP
// re-reads, so a student can edit a copy and reload it.
config::Config demo_config(const config::CommandLine& cl, const std::string& bootstrap) {
  config::Config cfg = demo_file(cl);
  // The demo's config names a placeholder address: point the first cluster at the demo's.
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

// The address `lagwatch demo incident` talks to: the demo's own, from the same flags.
std::string demo_listen_address(const config::CommandLine& cl) {
  if (cl.overrides.listen_address) return *cl.overrides.listen_address;
  return demo_file(cl).web.listen_address;
}

}  // namespace

int run_demo(const config::CommandLine& cl) {
  if (!cl.positional.empty()) {
    if (cl.positional[0] != "incident") {
      throw config::UsageError(
          "unexpected argument \"" + cl.positional[0] +
          "\" for demo; expected: lagwatch demo [flags], or lagwatch demo incident <name> [<arg>]");
    }
    return run_incident_client(demo_listen_address(cl), {cl.positional.begin() + 1, cl.positional.end()});
  }

  const std::string scenario_name = cl.scenario.value_or("default");
  const Scenario* scenario = find_scenario(scenario_name);
  if (scenario == nullptr) {
    throw config::UsageError("unknown scenario \"" + scenario_name +
                             "\" for --scenario (LAGWATCH_DEMO_SCENARIO); expected " + scenario_names());
  }

  DemoCluster cluster(3);
  const std::string bootstrap = cluster.bootstrap_servers();
  config::Config cfg = demo_config(cl, bootstrap);
  app::set_log_level(cfg.log_level);

  TrafficOptions traffic_options;
  traffic_options.bootstrap_servers = bootstrap;
  traffic_options.quiet_clients = true;
  Traffic traffic(traffic_options);
  traffic.start();

  Incidents incidents(cluster, traffic);
  app::Exporter exporter(
      cfg, [cl, bootstrap] { return demo_config(cl, bootstrap); },
      [&incidents](const http::Request& r) { return incident_routes(incidents, r); });
  exporter.start();

  const std::string metrics = local_url(cfg.web.listen_address, exporter.port(), cfg.web.telemetry_path);
  std::cout << "\nlagwatch demo is running: a 3-broker Kafka cluster at " << bootstrap << "\n"
            << "  (librdkafka's mock cluster behind lagwatch's demo broker front: a simulation)\n"
            << "  topics:  orders (6 partitions), payments (3, min.insync.replicas 3), inventory (3),\n"
            << "           clickstream (3, replication factor 1), produced to continuously\n"
            << "  groups:  billing (keeps up), analytics (falls behind), audit (stops after 45 s),\n"
            << "           shipping (stays in the group but stops committing after 20 s)\n"
            << "  scenario: " << scenario->name << ", " << scenario->summary << "\n"
            << scenario_plan(*scenario) << "  (choose with: lagwatch demo --scenario " << scenario_names()
            << "; docs/demo.md)\n\n"
            << "  metrics: " << metrics << "\n"
            << "  try:     curl -s " << metrics << " | grep kafka_consumergroup_lag_sum\n"
            << "           kcat -b " << bootstrap << " -L\n"
            << "  incidents (in another terminal):\n"
            << "           lagwatch demo incident                  # the list\n"
            << "           lagwatch demo incident broker-down 2    # then: broker-up 2, broker-slow 3, reset\n\n"
            << "Press Ctrl-C to stop.\n"
            << std::flush;
  // After the banner: from here on only the scenario writes to standard output.
  ScenarioRunner runner(
      *scenario,
      [&incidents](const std::string& name, const std::vector<std::string>& args) {
        return incidents.trigger(name, args);
      },
      std::cout);

  app::run_until_stopped(exporter);
  traffic.stop();
  app::stop_or_exit(exporter, 0);
  return 0;
}

}  // namespace lagwatch::demo
