#include "kafka/protocol/record_batch.hpp"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

namespace lagwatch::kafka::protocol {
namespace {

constexpr size_t kLogOverhead = 12;       // base_offset, batch_length
constexpr size_t kBatchOverhead = 61;     // the v2 header through the record count
constexpr size_t kCrcStart = 21;          // attributes: where the CRC's coverage begins
constexpr int32_t kMinLegacyLength = 14;  // a v0 message: crc, magic, attributes, key, value
constexpr size_t kMinRecordBytes = 7;     // seven one-byte varints / int8

using Fail = std::function<void(const std::string&)>;

// ---- CRC-32C, reflected polynomial 0x82F63B78 (slicing by one byte; batches are small).
constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

// ---- Decompression into `out`, which may never grow past `cap` bytes.

// Grows `out` by up to 64 KiB (one byte more than the cap allows, so that exceeding the cap
// is seen) and returns where the new room starts and how big it is.
std::pair<uint8_t*, size_t> grow(std::vector<uint8_t>& out, size_t cap, const Fail& fail) {
  const size_t limit = cap == SIZE_MAX ? cap : cap + 1;
  if (out.size() >= limit) fail("records decompress to more than " + std::to_string(cap) + " bytes");
  const size_t room = std::min<size_t>(64u << 10, limit - out.size());
  const size_t old = out.size();
  out.resize(old + room);
  return {out.data() + old, room};
}

void check_cap(const std::vector<uint8_t>& out, size_t cap, const Fail& fail) {
  if (out.size() > cap) fail("records decompress to more than " + std::to_string(cap) + " bytes");
}

std::vector<uint8_t> gunzip(std::span<const uint8_t> in, size_t cap, const Fail& fail) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) fail("gzip: cannot initialise zlib");
  const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&zs, inflateEnd);
  zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(in.size());
  std::vector<uint8_t> out;
  for (;;) {
    auto [dst, room] = grow(out, cap, fail);
    zs.next_out = dst;
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(out.size() - zs.avail_out);
    check_cap(out, cap, fail);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      if (inflateReset(&zs) != Z_OK) fail("gzip: cannot reset zlib");  // another gzip member
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) fail("gzip: stream ends early");
    if (rc != Z_OK) fail(std::string("gzip: ") + (zs.msg ? zs.msg : "corrupt stream"));
  }
  return out;
}

void append_raw_snappy(std::span<const uint8_t> block, std::vector<uint8_t>& out, size_t cap, const Fail& fail) {
  const auto* p = reinterpret_cast<const char*>(block.data());
  size_t n = 0;
  if (!snappy::GetUncompressedLength(p, block.size(), &n)) fail("snappy: corrupt block header");
  if (n > cap || out.size() + n > cap) fail("records decompress to more than " + std::to_string(cap) + " bytes");
  const size_t old = out.size();
  out.resize(old + n);
  if (!snappy::RawUncompress(p, block.size(), reinterpret_cast<char*>(out.data() + old))) fail("snappy: corrupt block");
}

// Kafka's Java clients write snappy in xerial's framing: an 8-byte magic, int32 version and
// compatible version, then [int32 length][raw snappy block] until the end. librdkafka reads
// both that and a bare snappy block, and so does lagwatch.
std::vector<uint8_t> unsnappy(std::span<const uint8_t> in, size_t cap, const Fail& fail) {
  static constexpr uint8_t kXerial[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
  std::vector<uint8_t> out;
  if (in.size() < 16 || std::memcmp(in.data(), kXerial, 8) != 0) {
    append_raw_snappy(in, out, cap, fail);
    return out;
  }
  size_t pos = 16;
  while (pos < in.size()) {
    if (in.size() - pos < 4) fail("snappy: xerial block length cut short");
    const uint32_t len =
        uint32_t(in[pos]) << 24 | uint32_t(in[pos + 1]) << 16 | uint32_t(in[pos + 2]) << 8 | in[pos + 3];
    pos += 4;
    if (len > in.size() - pos) fail("snappy: xerial block of " + std::to_string(len) + " bytes cannot fit");
    append_raw_snappy(in.subspan(pos, len), out, cap, fail);
    pos += len;
  }
  return out;
}

std::vector<uint8_t> unlz4(std::span<const uint8_t> in, size_t cap, const Fail& fail) {
  LZ4F_dctx* raw_ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&raw_ctx, LZ4F_VERSION))) fail("lz4: cannot create a context");
  const std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx*)> ctx(raw_ctx, LZ4F_freeDecompressionContext);
  std::vector<uint8_t> out;
  size_t pos = 0;
  for (;;) {
    auto [dst, room] = grow(out, cap, fail);
    size_t dst_size = room;
    size_t src_size = in.size() - pos;
    const size_t hint = LZ4F_decompress(ctx.get(), dst, &dst_size, in.data() + pos, &src_size, nullptr);
    if (LZ4F_isError(hint)) {
      out.resize(out.size() - room);
      fail(std::string("lz4: ") + LZ4F_getErrorName(hint));
    }
    pos += src_size;
    out.resize(out.size() - room + dst_size);
    check_cap(out, cap, fail);
    if (hint == 0) {  // a frame ended
      if (pos == in.size()) break;
      continue;
    }
    if (pos == in.size() && dst_size == 0) fail("lz4: frame ends early");
  }
  return out;
}

std::vector<uint8_t> unzstd(std::span<const uint8_t> in, size_t cap, const Fail& fail) {
  const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!ctx) fail("zstd: cannot create a context");
  std::vector<uint8_t> out;
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  for (;;) {
    auto [dst, room] = grow(out, cap, fail);
    ZSTD_outBuffer o{dst, room, 0};
    const size_t rc = ZSTD_decompressStream(ctx.get(), &o, &src);
    out.resize(out.size() - room + o.pos);
    if (ZSTD_isError(rc)) fail(std::string("zstd: ") + ZSTD_getErrorName(rc));
    check_cap(out, cap, fail);
    if (rc == 0) {  // a frame ended and is flushed
      if (src.pos == src.size) break;
      continue;
    }
    if (src.pos == src.size && o.pos < o.size) fail("zstd: frame ends early");
  }
  return out;
}

// ---- Records.

std::optional<std::vector<uint8_t>> var_bytes(wire::Reader& r, const char* field) {
  const int32_t n = r.varint(field);
  if (n < -1) r.fail(field, "length " + std::to_string(n));
  if (n == -1) return std::nullopt;
  const auto b = r.raw(static_cast<size_t>(n), field);
  return std::vector<uint8_t>(b.begin(), b.end());
}

void decode_records(wire::Reader& r, RecordBatch& b) {
  if (b.record_count < 0) r.fail("record_count", "negative record count " + std::to_string(b.record_count));
  if (static_cast<size_t>(b.record_count) > r.remaining() / kMinRecordBytes)
    r.fail("record_count",
           std::to_string(b.record_count) + " records cannot fit in " + std::to_string(r.remaining()) + " bytes");
  b.records.reserve(static_cast<size_t>(b.record_count));
  for (int32_t i = 0; i < b.record_count; ++i) {
    auto s = r.scope("records", static_cast<size_t>(i));
    Record rec;
    const int32_t length = r.varint("length");
    if (length < 0 || static_cast<size_t>(length) > r.remaining())
      r.fail("length",
             "record length " + std::to_string(length) + " with " + std::to_string(r.remaining()) + " bytes left");
    const size_t start = r.position();
    rec.attributes = r.int8("attributes");
    rec.timestamp_delta = r.varlong("timestamp_delta");
    rec.offset_delta = r.varint("offset_delta");
    rec.key = var_bytes(r, "key");
    rec.value = var_bytes(r, "value");
    const int32_t headers = r.varint("headers");
    if (headers < 0 || static_cast<size_t>(headers) > r.remaining() / 2)
      r.fail("headers",
             "header count " + std::to_string(headers) + " with " + std::to_string(r.remaining()) + " bytes left");
    rec.headers.reserve(static_cast<size_t>(headers));
    for (int32_t h = 0; h < headers; ++h) {
      auto hs = r.scope("headers", static_cast<size_t>(h));
      RecordHeader header;
      auto key = var_bytes(r, "key");
      if (!key) r.fail("key", "null header key");
      header.key.assign(key->begin(), key->end());
      header.value = var_bytes(r, "value");
      rec.headers.push_back(std::move(header));
    }
    if (r.position() - start != static_cast<size_t>(length))
      r.fail("length", "record length " + std::to_string(length) + " but its fields take " +
                           std::to_string(r.position() - start) + " bytes");
    rec.offset = b.base_offset + rec.offset_delta;
    rec.timestamp =
        b.timestamp_type == TimestampType::log_append_time ? b.max_timestamp : b.base_timestamp + rec.timestamp_delta;
    b.records.push_back(std::move(rec));
  }
  if (!r.at_end()) r.fail("records", std::to_string(r.remaining()) + " bytes after the last record");
}

// One whole magic-2 batch (`batch` is exactly its bytes); `index` names it in errors.
RecordBatch decode_batch(std::span<const uint8_t> batch, size_t index, bool with_records, size_t cap) {
  const std::string name = "batches[" + std::to_string(index) + "]";
  wire::Reader r(batch);
  auto s = r.scope(name.c_str());
  RecordBatch b;
  b.base_offset = r.int64("base_offset");
  b.batch_length = r.int32("batch_length");
  b.partition_leader_epoch = r.int32("partition_leader_epoch");
  b.magic = r.int8("magic");
  b.crc = r.uint32("crc");
  const uint32_t actual = crc32c(batch.subspan(kCrcStart));
  if (actual != b.crc)
    r.fail("crc", "CRC-32C mismatch: batch says " + std::to_string(b.crc) + ", bytes give " + std::to_string(actual));
  b.attributes = r.int16("attributes");
  const int codec = b.attributes & 0x07;
  if (codec > 4) r.fail("attributes", "unknown compression codec " + std::to_string(codec));
  b.compression = static_cast<Compression>(codec);
  b.timestamp_type = (b.attributes & 0x08) ? TimestampType::log_append_time : TimestampType::create_time;
  b.is_transactional = (b.attributes & 0x10) != 0;
  b.is_control = (b.attributes & 0x20) != 0;
  b.has_delete_horizon = (b.attributes & 0x40) != 0;
  b.last_offset_delta = r.int32("last_offset_delta");
  b.base_timestamp = r.int64("base_timestamp");
  b.max_timestamp = r.int64("max_timestamp");
  b.producer_id = r.int64("producer_id");
  b.producer_epoch = r.int16("producer_epoch");
  b.base_sequence = r.int32("base_sequence");
  b.record_count = r.int32("record_count");
  if (b.record_count < 0) r.fail("record_count", "negative record count " + std::to_string(b.record_count));
  const auto body = r.raw(r.remaining(), "records");
  if (!with_records) return b;

  const std::string where = name + ".records";
  const Fail fail = [&](const std::string& reason) {
    throw wire::DecodeError(where + ": " + reason + " (batch at base offset " + std::to_string(b.base_offset) + ")");
  };
  std::vector<uint8_t> plain;
  std::span<const uint8_t> records = body;
  switch (b.compression) {
    case Compression::none:
      break;
    case Compression::gzip:
      plain = gunzip(body, cap, fail);
      break;
    case Compression::snappy:
      plain = unsnappy(body, cap, fail);
      break;
    case Compression::lz4:
      plain = unlz4(body, cap, fail);
      break;
    case Compression::zstd:
      plain = unzstd(body, cap, fail);
      break;
  }
  if (b.compression != Compression::none) records = plain;
  wire::Reader rr(records);
  auto rs = rr.scope(where.c_str());
  decode_records(rr, b);
  return b;
}

struct Split {
  std::vector<std::span<const uint8_t>> batches;
  bool partial = false;
  size_t partial_bytes = 0;
  size_t legacy = 0;
};

// Cuts the records bytes into whole batches, skipping legacy message sets.
Split split_batches(std::span<const uint8_t> bytes) {
  Split out;
  wire::Reader r(bytes);
  while (!r.at_end()) {
    const size_t start = r.position();
    auto s = r.scope("batches", out.batches.size() + out.legacy);
    if (r.remaining() < kLogOverhead) {
      out.partial = true;
      out.partial_bytes = r.remaining();
      break;
    }
    r.int64("base_offset");
    const int32_t length = r.int32("batch_length");
    if (length < kMinLegacyLength) r.fail("batch_length", "batch length " + std::to_string(length) + " is too small");
    if (static_cast<size_t>(length) > r.remaining()) {
      out.partial = true;
      out.partial_bytes = bytes.size() - start;
      break;
    }
    const auto rest = r.raw(static_cast<size_t>(length), "batch");
    const int8_t magic = static_cast<int8_t>(rest[4]);  // after partition_leader_epoch / crc
    if (magic == 0 || magic == 1) {
      ++out.legacy;
      continue;
    }
    if (magic != 2) r.fail("magic", "unknown magic " + std::to_string(magic));
    if (kLogOverhead + static_cast<size_t>(length) < kBatchOverhead)
      r.fail("batch_length", "batch length " + std::to_string(length) + " is shorter than a v2 header");
    out.batches.push_back(bytes.subspan(start, kLogOverhead + static_cast<size_t>(length)));
  }
  return out;
}

}  // namespace

uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc) {
  crc = ~crc;
  for (uint8_t b : bytes) crc = kCrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

DecodedRecords decode_record_batches(std::span<const uint8_t> records, const DecodeRecordsOptions& options) {
  const Split split = split_batches(records);
  DecodedRecords out;
  out.partial_batch_dropped = split.partial;
  out.partial_batch_bytes = split.partial_bytes;
  out.legacy_message_sets = split.legacy;
  out.batches.reserve(split.batches.size());
  for (size_t i = 0; i < split.batches.size(); ++i)
    out.batches.push_back(
        decode_batch(split.batches[i], i, options.decode_records, options.max_decompressed_batch_bytes));
  return out;
}

std::optional<ControlRecordKey> control_record_key(const Record& record) {
  if (!record.key || record.key->size() < 4) return std::nullopt;
  const auto& k = *record.key;
  ControlRecordKey c;
  c.version = static_cast<int16_t>(k[0] << 8 | k[1]);
  c.type = static_cast<int16_t>(k[2] << 8 | k[3]);
  return c;
}

std::optional<RecordTimestamp> timestamp_at(std::span<const uint8_t> records, int64_t offset,
                                            size_t max_decompressed_batch_bytes) {
  const Split split = split_batches(records);
  for (size_t i = 0; i < split.batches.size(); ++i) {
    const RecordBatch header = decode_batch(split.batches[i], i, false, max_decompressed_batch_bytes);
    if (header.is_control || header.last_offset() < offset) continue;
    const RecordBatch batch = decode_batch(split.batches[i], i, true, max_decompressed_batch_bytes);
    for (const auto& rec : batch.records) {
      if (rec.offset >= offset) return RecordTimestamp{rec.offset, rec.timestamp, batch.timestamp_type};
    }
  }
  return std::nullopt;
}

}  // namespace lagwatch::kafka::protocol
