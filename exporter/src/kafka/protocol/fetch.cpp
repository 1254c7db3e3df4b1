#include "kafka/protocol/fetch.hpp"

#include <stdexcept>
#include <string>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr wire::ApiKey kKey = wire::ApiKey::fetch;

// Reads one known tagged field of `size` bytes with `read`, which must not take more than
// `size` bytes; bytes it does not know (a struct grown in a later version) are skipped.
template <typename F>
void read_tagged(wire::Reader& r, uint32_t size, const char* field, F&& read) {
  if (size > r.remaining()) r.fail(field, "tagged field of " + std::to_string(size) + " bytes cannot fit");
  const size_t start = r.position();
  read();
  const size_t used = r.position() - start;
  if (used > size) r.fail(field, "tagged field longer than its " + std::to_string(size) + " bytes");
  if (used < size) r.raw(size - used, field);
}

// The v12 partition's tagged fields: 0 DivergingEpoch, 1 CurrentLeader, 2 SnapshotId.
void read_partition_tags(wire::Reader& r, FetchResponsePartition& p) {
  const uint32_t n = r.uvarint("_tagged_fields");
  if (n > r.remaining()) r.fail("_tagged_fields", std::to_string(n) + " tagged fields cannot fit");
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t tag = r.uvarint("_tagged_fields.tag");
    const uint32_t size = r.uvarint("_tagged_fields.size");
    switch (tag) {
      case 0:
        read_tagged(r, size, "diverging_epoch", [&] {
          auto s = r.scope("diverging_epoch");
          FetchResponseEpochEndOffset e;
          e.epoch = r.int32("epoch");
          e.end_offset = r.int64("end_offset");
          r.skip_tagged_fields();
          p.diverging_epoch = e;
        });
        break;
      case 1:
        read_tagged(r, size, "current_leader", [&] {
          auto s = r.scope("current_leader");
          FetchResponseLeaderIdAndEpoch l;
          l.leader_id = r.int32("leader_id");
          l.leader_epoch = r.int32("leader_epoch");
          r.skip_tagged_fields();
          p.current_leader = l;
        });
        break;
      case 2:
        read_tagged(r, size, "snapshot_id", [&] {
          auto s = r.scope("snapshot_id");
          FetchResponseSnapshotId id;
          id.end_offset = r.int64("end_offset");
          id.epoch = r.int32("epoch");
          r.skip_tagged_fields();
          p.snapshot_id = id;
        });
        break;
      default:
        if (size > r.remaining()) r.fail("_tagged_fields.value", "tagged field cannot fit");
        r.raw(size, "_tagged_fields.value");
    }
  }
}

}  // namespace

void encode(wire::Writer& w, const FetchRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::fetch, version);
  const bool flexible = wire::is_flexible(kKey, version);
  w.int32(request.replica_id);
  w.int32(request.max_wait_ms);
  w.int32(request.min_bytes);
  w.int32(request.max_bytes);
  w.int8(request.isolation_level);
  if (version >= 7) {
    w.int32(request.session_id);
    w.int32(request.session_epoch);
  }
  w.array_length(request.topics.size(), flexible);
  for (const auto& t : request.topics) {
    w.string(t.topic, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition);
      if (version >= 9) w.int32(p.current_leader_epoch);
      w.int64(p.fetch_offset);
      if (version >= 12) w.int32(p.last_fetched_epoch);
      if (version >= 5) w.int64(p.log_start_offset);
      w.int32(p.partition_max_bytes);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 7) {
    w.array_length(request.forgotten_topics_data.size(), flexible);
    for (const auto& t : request.forgotten_topics_data) {
      w.string(t.topic, flexible);
      w.array_length(t.partitions.size(), flexible);
      for (int32_t p : t.partitions) w.int32(p);
      if (flexible) w.no_tagged_fields();
    }
  }
  if (version >= 11) w.string(request.rack_id, flexible);
  // v12's only top-level tagged field, ClusterId, is for KRaft controllers.
  if (flexible) w.no_tagged_fields();
}

FetchResponse decode_fetch_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::fetch, version);
  const bool flexible = wire::is_flexible(kKey, version);
  FetchResponse out;
  out.throttle_time_ms = r.int32("throttle_time_ms");
  if (version >= 7) {
    out.error_code = r.int16("error_code");
    out.session_id = r.int32("session_id");
  }
  // A topic is at least its name's length and the partition count.
  const size_t topics = r.count("responses", flexible, flexible ? 3 : 6);
  out.responses.reserve(topics);
  for (size_t i = 0; i < topics; ++i) {
    auto s = r.scope("responses", i);
    FetchResponseTopic t;
    t.topic = r.string("topic", flexible);
    // v4, the smallest: index 4, error 2, two offsets 16, aborted count 4, records length 4.
    const size_t partitions = r.count("partitions", flexible, 30);
    t.partitions.reserve(partitions);
    for (size_t j = 0; j < partitions; ++j) {
      auto ps = r.scope("partitions", j);
      FetchResponsePartition p;
      p.partition_index = r.int32("partition_index");
      p.error_code = r.int16("error_code");
      p.high_watermark = r.int64("high_watermark");
      p.last_stable_offset = r.int64("last_stable_offset");
      if (version >= 5) p.log_start_offset = r.int64("log_start_offset");
      const int32_t aborted = r.array_length("aborted_transactions", flexible, 16);
      if (aborted >= 0) {
        auto& list = p.aborted_transactions.emplace();
        list.reserve(static_cast<size_t>(aborted));
        for (int32_t k = 0; k < aborted; ++k) {
          auto as = r.scope("aborted_transactions", static_cast<size_t>(k));
          FetchResponseAbortedTransaction a;
          a.producer_id = r.int64("producer_id");
          a.first_offset = r.int64("first_offset");
          if (flexible) r.skip_tagged_fields();
          list.push_back(a);
        }
      }
      if (version >= 11) p.preferred_read_replica = r.int32("preferred_read_replica");
      p.records = r.bytes("records", flexible);
      if (flexible) read_partition_tags(r, p);
      t.partitions.push_back(std::move(p));
    }
    if (flexible) r.skip_tagged_fields();
    out.responses.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
