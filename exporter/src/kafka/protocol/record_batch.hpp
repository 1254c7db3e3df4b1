// Record batches (message format v2, "magic 2", KIP-98) as they come in a Fetch response's
// records bytes. lagwatch decodes them for one purpose: the timestamp of the record at a
// group's committed offset, so that lag can be given in seconds (timestamp_at below).
//
// Layout (kafka.apache.org/documentation/#recordbatch), big-endian:
//   base_offset int64, batch_length int32 (bytes after this field), partition_leader_epoch
//   int32, magic int8, crc uint32 (CRC-32C of everything from attributes to the batch's end),
//   attributes int16, last_offset_delta int32, base_timestamp int64, max_timestamp int64,
//   producer_id int64, producer_epoch int16, base_sequence int32, record count int32, records
//   (compressed as one stream when attributes say so).
// A record: length varint, attributes int8, timestamp_delta varlong, offset_delta varint,
// key (varint length, -1 null), value (same), headers (varint count of key/value pairs).
//
// Broker bytes are untrusted: every length is checked, the CRC is verified before anything
// else of the batch is believed, and decompression stops at a per-batch cap (a decompression
// bomb is a DecodeError, not an out-of-memory kill).
//
// What the batch header alone gives, without decompressing: the offsets it spans
// (base_offset .. base_offset + last_offset_delta), base_timestamp (the first record's
// timestamp for CreateTime batches, unless the has_delete_horizon attribute says the cleaner
// stored its delete horizon there) and max_timestamp (the largest record timestamp, which is
// the last record's when producers' clocks move forward; for LogAppendTime batches it is the
// broker's append time and every record's timestamp). After compaction the first record
// present may have an offset above base_offset, so the header cannot say which offset
// base_timestamp belongs to: timestamp_at decodes the one batch that holds the wanted offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"

namespace lagwatch::kafka::protocol {

enum class Compression : int8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };
enum class TimestampType : int8_t { create_time = 0, log_append_time = 1 };

inline constexpr size_t kDefaultMaxDecompressedBatchBytes = 16u << 20;

struct RecordHeader {
  std::string key;
  std::optional<std::vector<uint8_t>> value;
};

struct Record {
  int8_t attributes = 0;  // unused by Kafka so far
  int64_t timestamp_delta = 0;
  int32_t offset_delta = 0;
  int64_t offset = 0;     // base_offset + offset_delta
  int64_t timestamp = 0;  // base_timestamp + delta (CreateTime) or max_timestamp (LogAppendTime)
  std::optional<std::vector<uint8_t>> key;
  std::optional<std::vector<uint8_t>> value;
  std::vector<RecordHeader> headers;
};

// The key of a record in a control batch: a transaction marker (or, in KRaft logs, others).
inline constexpr int16_t kControlAbort = 0;
inline constexpr int16_t kControlCommit = 1;
struct ControlRecordKey {
  int16_t version = 0;
  int16_t type = -1;  // kControlAbort, kControlCommit, ...
};

struct RecordBatch {
  int64_t base_offset = 0;
  int32_t batch_length = 0;
  int32_t partition_leader_epoch = -1;
  int8_t magic = 2;
  uint32_t crc = 0;
  int16_t attributes = 0;
  Compression compression = Compression::none;
  TimestampType timestamp_type = TimestampType::create_time;
  bool is_transactional = false;
  bool is_control = false;
  bool has_delete_horizon = false;  // KIP-534: base_timestamp is the cleaner's delete horizon
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = -1;
  int64_t max_timestamp = -1;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  int32_t record_count = 0;
  std::vector<Record> records;  // empty when only headers were asked for

  int64_t last_offset() const { return base_offset + last_offset_delta; }
  // The batch's size on the wire (batch_length counts the bytes after itself).
  size_t size_bytes() const { return static_cast<size_t>(batch_length) + 12; }
};

struct DecodeRecordsOptions {
  // Decode (and decompress) the records; false: headers only, CRC still checked.
  bool decode_records = true;
  // Cap on one batch's decompressed records; larger is a DecodeError.
  size_t max_decompressed_batch_bytes = kDefaultMaxDecompressedBatchBytes;
};

struct DecodedRecords {
  std::vector<RecordBatch> batches;  // the complete magic-2 batches, in order
  // The bytes ended inside a batch (or its 12-byte prefix). Normal: the broker cuts the
  // records at the fetch's max bytes. That batch is not in `batches`.
  bool partial_batch_dropped = false;
  size_t partial_batch_bytes = 0;
  // Magic 0/1 message sets (pre-0.11 format, e.g. a topic on message.format.version < 0.11)
  // are skipped, not decoded: this counts the top-level entries skipped.
  size_t legacy_message_sets = 0;
};

// Decodes the record batches in a Fetch partition's records bytes. Throws wire::DecodeError on
// a CRC mismatch, a malformed batch or record, a corrupt compressed stream, an unknown
// compression codec or a batch decompressing to more than the cap.
DecodedRecords decode_record_batches(std::span<const uint8_t> records, const DecodeRecordsOptions& options = {});

// The key of a control record (its 4 key bytes); nullopt if the key is not one.
std::optional<ControlRecordKey> control_record_key(const Record& record);

struct RecordTimestamp {
  int64_t offset = -1;
  int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::create_time;
};

// The first non-control record with offset >= `offset` in `records`: its offset and timestamp.
// Batches ending before `offset` are passed over on their header (no decompression); only the
// batch holding the answer is decoded. nullopt when no complete batch holds such a record
// (fetch further on, e.g. from the last batch's last_offset() + 1). Records of aborted
// transactions count like others: the caller has the Fetch's aborted_transactions to tell.
std::optional<RecordTimestamp> timestamp_at(std::span<const uint8_t> records, int64_t offset,
                                            size_t max_decompressed_batch_bytes = kDefaultMaxDecompressedBatchBytes);

// CRC-32C (Castagnoli), as record batches use it.
uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace lagwatch::kafka::protocol
