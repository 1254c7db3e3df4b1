#include "kafka/requests/log_dirs.hpp"

#include <algorithm>

#include "kafka/protocol/describe_log_dirs.hpp"
#include "kafka/protocol/error_codes.hpp"

namespace lagwatch::kafka {

LogDirsAnswer describe_log_dirs(ClusterClient& client, const std::vector<int32_t>& brokers) {
  LogDirsAnswer out;
  std::vector<net::Call> calls;
  for (int32_t id : brokers) {
    net::Call call;
    call.node = id;
    call.key = wire::ApiKey::describe_log_dirs;
    call.encode = [](int16_t version) {
      wire::Writer w;
      protocol::encode(w, protocol::DescribeLogDirsRequest{}, version);
      return w.take();
    };
    call.on_answer = [&out, id](wire::Reader& r, int16_t version) {
      const auto response = protocol::decode_describe_log_dirs_response(r, version);
      if (protocol::authorization_failed(response.error_code)) {
        out.refused.push_back(id);
        return;
      }
      if (response.error_code != 0) {
        out.errors.push_back("DescribeLogDirs to broker " + std::to_string(id) + ": " +
                             protocol::describe_error(response.error_code));
        return;
      }
      for (const auto& d : response.results) {
        model::LogDir dir;
        dir.broker = id;
        dir.path = d.log_dir;
        if (d.error_code != 0) dir.error = protocol::describe_error(d.error_code);
        if (d.total_bytes >= 0) dir.total_bytes = d.total_bytes;
        if (d.usable_bytes >= 0) dir.usable_bytes = d.usable_bytes;
        for (const auto& t : d.topics) {
          for (const auto& p : t.partitions) {
            dir.replicas.push_back({t.name, p.partition_index, p.partition_size, p.offset_lag, p.is_future_key});
          }
        }
        out.dirs.push_back(std::move(dir));
      }
      out.answered.push_back(id);
    };
    calls.push_back(std::move(call));
  }
  client.pool().run(calls);
  out.unsupported = net::record_failures(calls, "DescribeLogDirs: ", out.errors);
  std::sort(out.dirs.begin(), out.dirs.end(),
            [](const auto& a, const auto& b) { return a.broker != b.broker ? a.broker < b.broker : a.path < b.path; });
  return out;
}

}  // namespace lagwatch::kafka
