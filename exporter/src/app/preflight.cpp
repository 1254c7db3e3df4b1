#include "app/preflight.hpp"

#include <stdexcept>

#include "http/web_security.hpp"
#include "kafka/client_properties.hpp"

namespace lagwatch::app {

void preflight(const config::Config& config) {
  if (!config.web.config_file.empty()) {
    try {
      http::load_web_security(config.web.config_file);  // parses it and loads its certificates
    } catch (const http::WebConfigError& e) {
      throw config::ConfigError(std::string("web.config_file: ") + e.what());
    }
  }
  for (size_t i = 0; i < config.clusters.size(); ++i) {
    const auto& cluster = config.clusters[i];
    const std::string at = "clusters[" + std::to_string(i) + "].properties.";
    for (const auto& [key, value] : cluster.properties) {
      if (auto problem = kafka::property_problem(key, value)) throw config::ConfigError(at + key + ": " + *problem);
    }
    // Combinations and files: SASL without credentials, an unreadable CA or key file. The
    // message starts with the property's name.
    try {
      kafka::connection_options(cluster.name, cluster.properties, config.poll.request_timeout);
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError(at + e.what());
    }
  }
}

}  // namespace lagwatch::app
