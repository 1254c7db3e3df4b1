// lagwatch: Kafka consumer-lag monitor and Prometheus exporter.
//
//   lagwatch [serve]            monitor the clusters of --config / --kafka.server
//   lagwatch demo               the same, on an embedded mock cluster with traffic
//   lagwatch loadgen            the demo's traffic against a real cluster
//   lagwatch check-config FILE  validate a config and print it with secrets masked
//   lagwatch evaluate [FILE]    apply the Burrow rules to one window (JSON) and explain
//   lagwatch version | help
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "app/exporter.hpp"
#include "app/logging.hpp"
#include "app/preflight.hpp"
#include "app/service.hpp"
#include "app/signals.hpp"
#include "config/command_line.hpp"
#include "demo/demo_runner.hpp"
#include "demo/loadgen.hpp"
#include "evaluate/evaluate_command.hpp"
#include "kafka/kafka_error.hpp"
#include "util/open_file_limit.hpp"

namespace {

using namespace lagwatch;

constexpr int kExitConfig = 2;

config::Config effective_config(const config::CommandLine& cl) {
  config::Config cfg = cl.config_path ? config::load_file(*cl.config_path) : config::Config{};
  config::apply_overrides(cfg, cl.overrides);
  config::validate(cfg);
  app::preflight(cfg);  // what serve would refuse at start, so check-config refuses it too
  return cfg;
}

int check_config(const config::CommandLine& cl) {
  if (cl.positional.size() > 1) throw config::UsageError("check-config takes one FILE");
  config::CommandLine with_file = cl;
  if (!cl.positional.empty()) with_file.config_path = cl.positional[0];
  if (!with_file.config_path) throw config::UsageError("check-config needs a FILE (or --config FILE)");
  auto cfg = effective_config(with_file);
  std::cout << "# " << *with_file.config_path << ": valid\n" << config::to_masked_yaml(cfg);
  return 0;
}

// `lagwatch evaluate [FILE]`: Burrow's rules on one partition's window, explained.
int evaluate_window(const config::CommandLine& cl) {
  if (cl.positional.size() > 1) throw config::UsageError("evaluate takes at most one FILE");
  if (cl.positional.empty() || cl.positional[0] == "-") return evaluate::run_evaluate(std::cin, std::cout, std::cerr);
  std::ifstream in(cl.positional[0]);
  if (!in) {
    std::cerr << "lagwatch evaluate: cannot read " << cl.positional[0] << "\n";
    return kExitConfig;
  }
  return evaluate::run_evaluate(in, std::cout, std::cerr);
}

int serve(const config::CommandLine& cl) {
  auto cfg = effective_config(cl);
  app::set_log_level(cfg.log_level);
  // SIGHUP re-reads the file given at start with the same flags and environment.
  app::Exporter exporter(cfg, [cl] { return effective_config(cl); });
  exporter.start();
  app::run_until_stopped(exporter);
  app::stop_or_exit(exporter, 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  app::block_signals();
  app::set_log_level("info");
  // Each scrape and each broker is a socket; a Go exporter gets the hard limit by default.
  util::raise_open_file_limit();
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    auto cl = config::parse_command_line(args);
    config::merge_environment(cl, config::current_environment());
    if (cl.command == "help") {
      std::cout << config::usage_text();
      return 0;
    }
    if (cl.command == "version") {
      std::cout << "lagwatch " << LAGWATCH_VERSION << " (librdkafka " << rd_kafka_version_str() << ")\n";
      return 0;
    }
    if (cl.command == "check-config") return check_config(cl);
    if (cl.command == "demo") return demo::run_demo(cl);
    if (cl.command == "loadgen") return demo::run_loadgen(effective_config(cl));
    if (cl.command == "evaluate") return evaluate_window(cl);
    if (cl.command == "serve") return serve(cl);
    throw config::UsageError("unknown command \"" + cl.command + "\"");
  } catch (const config::UsageError& e) {
    std::cerr << "lagwatch: " << e.what() << "\n\n" << config::usage_text();
    return kExitConfig;
  } catch (const config::ConfigError& e) {
    std::cerr << "lagwatch: invalid configuration: " << e.what() << "\n";
    return kExitConfig;
  } catch (const kafka::KafkaError& e) {
    std::cerr << "lagwatch: " << e.what() << "\n";
    return kExitConfig;
  } catch (const std::exception& e) {
    std::cerr << "lagwatch: " << e.what() << "\n";
    return 1;
  }
}
