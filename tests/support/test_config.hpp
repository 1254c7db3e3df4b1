// The configuration integration tests run lagwatch with: one cluster, an ephemeral port, and
// a poll interval long enough that nothing polls unless the test calls poll_all().
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace lagwatch::testing {

inline config::Config test_config(const std::string& cluster, const std::string& bootstrap,
                                  std::vector<std::string> groups) {
  config::Config cfg;
  cfg.web.listen_address = "127.0.0.1:0";
  cfg.poll.interval = std::chrono::hours(1);
  cfg.poll.request_timeout = std::chrono::milliseconds(3000);
  config::ClusterConfig c;
  c.name = cluster;
  std::stringstream list(bootstrap);
  for (std::string server; std::getline(list, server, ',');) c.bootstrap_servers.push_back(server);
  c.groups.names = std::move(groups);
  cfg.clusters.push_back(c);
  return cfg;
}

}  // namespace lagwatch::testing
