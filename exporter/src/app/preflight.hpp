// What `lagwatch serve` would refuse at start that config::validate() cannot see on its own,
// because it needs a module above config: whether lagwatch's Kafka client honors every
// clusters[].properties entry, and whether their combination works (credentials, TLS files). check-config, serve, demo
// and reload all call it after validate(), so check-config accepts exactly what serve accepts.
#pragma once

#include "config/config.hpp"

namespace lagwatch::app {

// Throws config::ConfigError naming the key, e.g.
// "clusters[0].properties.no.such.property: lagwatch does not use this property (...)".
void preflight(const config::Config& config);

}  // namespace lagwatch::app
