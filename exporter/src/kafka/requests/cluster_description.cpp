#include "kafka/requests/cluster_description.hpp"

#include "kafka/protocol/describe_cluster.hpp"
#include "kafka/protocol/error_codes.hpp"

namespace lagwatch::kafka {

ClusterDescription describe_cluster(ClusterClient& client) {
  ClusterDescription out;
  net::Call call;
  call.key = wire::ApiKey::describe_cluster;
  call.encode = [](int16_t version) {
    protocol::DescribeClusterRequest request;
    request.include_fenced_brokers = version >= 2;
    wire::Writer w;
    protocol::encode(w, request, version);
    return w.take();
  };
  call.on_answer = [&out](wire::Reader& r, int16_t version) {
    const auto response = protocol::decode_describe_cluster_response(r, version);
    if (protocol::authorization_failed(response.error_code)) {
      out.refused = true;
      return;
    }
    if (response.error_code != 0) {
      out.error = "DescribeCluster: " + protocol::describe_error(response.error_code);
      return;
    }
    out.cluster_id = response.cluster_id;
    for (const auto& b : response.brokers) {
      if (b.is_fenced) out.fenced_brokers.push_back(b.broker_id);
    }
  };
  client.pool().run(std::span(&call, 1));
  if (!call.answered) {
    out.unsupported = call.unsupported;
    if (!call.unsupported) out.error = "DescribeCluster: " + call.error;
  }
  return out;
}

}  // namespace lagwatch::kafka
