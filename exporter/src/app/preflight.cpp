#include "app/preflight.hpp"

#include "kafka/client.hpp"

namespace lagwatch::app {

void preflight(const config::Config& config) {
  for (size_t i = 0; i < config.clusters.size(); ++i) {
    for (const auto& [key, value] : config.clusters[i].properties) {
      if (auto problem = kafka::property_problem(key, value)) {
        throw config::ConfigError("clusters[" + std::to_string(i) + "].properties." + key + ": " + *problem);
      }
    }
  }
}

}  // namespace lagwatch::app
