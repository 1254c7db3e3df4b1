#include "kafka/protocol/describe_log_dirs.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr auto kKey = wire::ApiKey::describe_log_dirs;

// Smallest elements on the wire, so a hostile count is refused before reserve().
// Request topic: empty name and empty partition list (+ tagged fields when flexible).
size_t min_request_topic_bytes(bool flexible) { return flexible ? 3 : 6; }
// Result: error code, empty log dir, no topics; v4 adds two int64s; flexible: tagged fields.
size_t min_result_bytes(int16_t version, bool flexible) {
  return (flexible ? 2 + 1 + 1 + 1 : 2 + 2 + 4) + (version >= 4 ? 16 : 0);
}
// Topic: empty name, no partitions.
size_t min_topic_bytes(bool flexible) { return flexible ? 3 : 6; }
// Partition: index, size, lag, is_future_key.
size_t min_partition_bytes(bool flexible) { return 4 + 8 + 8 + 1 + (flexible ? 1 : 0); }

}  // namespace

void encode(wire::Writer& w, const DescribeLogDirsRequest& request, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  if (!request.topics) {
    w.null_array(flexible);
  } else {
    w.array_length(request.topics->size(), flexible);
    for (const auto& t : *request.topics) {
      w.string(t.topic, flexible);
      w.array_length(t.partitions.size(), flexible);
      for (int32_t p : t.partitions) w.int32(p);
      if (flexible) w.no_tagged_fields();
    }
  }
  if (flexible) w.no_tagged_fields();
}

DescribeLogDirsRequest decode_describe_log_dirs_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeLogDirsRequest out;
  const int32_t n = r.array_length("topics", flexible, min_request_topic_bytes(flexible));
  if (n >= 0) {
    out.topics.emplace();
    out.topics->reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) {
      auto s = r.scope("topics", static_cast<size_t>(i));
      DescribableLogDirTopic t;
      t.topic = r.string("topic", flexible);
      const size_t np = r.count("partitions", flexible, 4);
      t.partitions.reserve(np);
      for (size_t j = 0; j < np; ++j) t.partitions.push_back(r.int32("partitions"));
      if (flexible) r.skip_tagged_fields();
      out.topics->push_back(std::move(t));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const DescribeLogDirsResponse& response, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  if (response.error_code != 0 && version < 3)
    throw std::invalid_argument("DescribeLogDirs v" + std::to_string(version) +
                                " cannot carry a top-level error code (v3+)");
  w.int32(response.throttle_time_ms);
  if (version >= 3) w.int16(response.error_code);
  w.array_length(response.results.size(), flexible);
  for (const auto& res : response.results) {
    w.int16(res.error_code);
    w.string(res.log_dir, flexible);
    w.array_length(res.topics.size(), flexible);
    for (const auto& t : res.topics) {
      w.string(t.name, flexible);
      w.array_length(t.partitions.size(), flexible);
      for (const auto& p : t.partitions) {
        w.int32(p.partition_index);
        w.int64(p.partition_size);
        w.int64(p.offset_lag);
        w.boolean(p.is_future_key);
        if (flexible) w.no_tagged_fields();
      }
      if (flexible) w.no_tagged_fields();
    }
    if (version >= 4) {
      w.int64(res.total_bytes);
      w.int64(res.usable_bytes);
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

DescribeLogDirsResponse decode_describe_log_dirs_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeLogDirsResponse out;
  out.throttle_time_ms = r.int32("throttle_time_ms");
  if (version >= 3) out.error_code = r.int16("error_code");
  const size_t n = r.count("results", flexible, min_result_bytes(version, flexible));
  out.results.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("results", i);
    DescribeLogDirsResult res;
    res.error_code = r.int16("error_code");
    res.log_dir = r.string("log_dir", flexible);
    const size_t nt = r.count("topics", flexible, min_topic_bytes(flexible));
    res.topics.reserve(nt);
    for (size_t j = 0; j < nt; ++j) {
      auto ts = r.scope("topics", j);
      DescribeLogDirsTopic t;
      t.name = r.string("name", flexible);
      const size_t np = r.count("partitions", flexible, min_partition_bytes(flexible));
      t.partitions.reserve(np);
      for (size_t k = 0; k < np; ++k) {
        auto ps = r.scope("partitions", k);
        DescribeLogDirsPartition p;
        p.partition_index = r.int32("partition_index");
        p.partition_size = r.int64("partition_size");
        p.offset_lag = r.int64("offset_lag");
        p.is_future_key = r.boolean("is_future_key");
        if (flexible) r.skip_tagged_fields();
        t.partitions.push_back(p);
      }
      if (flexible) r.skip_tagged_fields();
      res.topics.push_back(std::move(t));
    }
    if (version >= 4) {
      res.total_bytes = r.int64("total_bytes");
      res.usable_bytes = r.int64("usable_bytes");
    }
    if (flexible) r.skip_tagged_fields();
    out.results.push_back(std::move(res));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
