#include "kafka/requests/cluster_client.hpp"

namespace lagwatch::kafka {

ClusterClient::ClusterClient(const ClientSettings& settings)
    : cluster_(settings.cluster), pool_(settings.bootstrap_servers, settings.connection) {}

}  // namespace lagwatch::kafka
