#include "kafka/protocol/record_batch.hpp"

#include <gtest/gtest.h>
#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <string>

#include "captures.hpp"
#include "kafka/protocol/fetch.hpp"
#include "kafka/wire/api.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {
namespace {

// ---- Captured records (README "Records" and "Fetch examples").

std::vector<uint8_t> captured_records(int seq) {
  for (const auto& f : test::captured_frames()) {
    if (f.seq != seq) continue;
    auto r = test::response_reader(f);
    auto resp = decode_fetch_response(r, f.api_version);
    return resp.responses.at(0).partitions.at(0).records;
  }
  throw std::runtime_error("no frame " + std::to_string(seq));
}

std::string text(const std::optional<std::vector<uint8_t>>& b) {
  return b ? std::string(b->begin(), b->end()) : std::string("<null>");
}

TEST(RecordBatch, Crc32cCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32c({reinterpret_cast<const uint8_t*>(s.data()), s.size()}), 0xE3069283u);
}

TEST(RecordBatch, OrdersFromOffset42) {
  const auto bytes = captured_records(355);  // h24
  const auto d = decode_record_batches(bytes);
  EXPECT_FALSE(d.partial_batch_dropped);
  EXPECT_EQ(d.legacy_message_sets, 0u);
  ASSERT_EQ(d.batches.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    const auto& b = d.batches[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(b.base_offset, 40 + 10 * int64_t(i));
    EXPECT_EQ(b.batch_length, 459);
    EXPECT_EQ(b.size_bytes(), 471u);
    EXPECT_EQ(b.partition_leader_epoch, 0);
    EXPECT_EQ(b.magic, 2);
    EXPECT_EQ(b.compression, Compression::none);
    EXPECT_EQ(b.timestamp_type, TimestampType::create_time);
    EXPECT_FALSE(b.is_transactional);
    EXPECT_FALSE(b.is_control);
    EXPECT_EQ(b.last_offset_delta, 9);
    EXPECT_EQ(b.last_offset(), b.base_offset + 9);
    EXPECT_EQ(b.producer_id, -1);
    EXPECT_EQ(b.producer_epoch, -1);
    EXPECT_EQ(b.base_sequence, -1);
    EXPECT_EQ(b.record_count, 10);
    ASSERT_EQ(b.records.size(), 10u);
    // Partition 0, offset i: CreateTime 1796083200000 + i*1000.
    EXPECT_EQ(b.base_timestamp, 1796083200000 + b.base_offset * 1000);
    EXPECT_EQ(b.max_timestamp, 1796083200000 + b.last_offset() * 1000);
    for (const auto& rec : b.records) {
      EXPECT_EQ(rec.timestamp, 1796083200000 + rec.offset * 1000);
      char key[16];
      std::snprintf(key, sizeof key, "order-0-%03d", int(rec.offset));
      EXPECT_EQ(text(rec.key), key);
      EXPECT_EQ(text(rec.value),
                "{\"id\":" + std::to_string(rec.offset) + ",\"p\":0,\"i\":" + std::to_string(rec.offset) + "}");
      EXPECT_TRUE(rec.headers.empty());
    }
  }
  EXPECT_EQ(d.batches[0].crc, 681572790u);
  const auto& r42 = d.batches[0].records[2];
  EXPECT_EQ(r42.offset, 42);
  EXPECT_EQ(r42.timestamp, 1796083242000);
  EXPECT_EQ(text(r42.key), "order-0-042");
  EXPECT_EQ(text(r42.value), "{\"id\":42,\"p\":0,\"i\":42}");

  const auto t = timestamp_at(bytes, 42);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->offset, 42);
  EXPECT_EQ(t->timestamp, 1796083242000);
  EXPECT_EQ(t->timestamp_type, TimestampType::create_time);
  EXPECT_EQ(timestamp_at(bytes, 0)->offset, 40);  // before the first batch: its first record
  EXPECT_EQ(timestamp_at(bytes, 99)->timestamp, 1796083299000);
  EXPECT_FALSE(timestamp_at(bytes, 100));

  // Headers only: the same batches, no records.
  const auto h = decode_record_batches(bytes, {.decode_records = false});
  ASSERT_EQ(h.batches.size(), 6u);
  EXPECT_TRUE(h.batches[0].records.empty());
  EXPECT_EQ(h.batches[5].max_timestamp, 1796083299000);
}

TEST(RecordBatch, OneBatchFetches) {
  const auto a = decode_record_batches(captured_records(361));
  ASSERT_EQ(a.batches.size(), 1u);
  EXPECT_EQ(a.batches[0].base_offset, 40);
  EXPECT_EQ(a.batches[0].last_offset(), 49);
  const auto b = decode_record_batches(captured_records(362));
  ASSERT_EQ(b.batches.size(), 1u);
  EXPECT_EQ(b.batches[0].base_offset, 50);
  EXPECT_EQ(timestamp_at(captured_records(362), 50)->timestamp, 1796083250000);
}

TEST(RecordBatch, AuditRf1RecordsCarryTheirHeader) {
  const auto bytes = captured_records(366);  // h26
  const auto d = decode_record_batches(bytes);
  ASSERT_EQ(d.batches.size(), 1u);
  const auto& b = d.batches[0];
  EXPECT_EQ(b.base_offset, 0);
  EXPECT_EQ(b.size_bytes(), 861u);
  ASSERT_EQ(b.records.size(), 20u);
  for (const auto& rec : b.records) {
    char key[16];
    std::snprintf(key, sizeof key, "audit-%02d", int(rec.offset));
    EXPECT_EQ(text(rec.key), key);
    EXPECT_EQ(text(rec.value), "event " + std::to_string(rec.offset));
    EXPECT_EQ(rec.timestamp, 1796103600000 + rec.offset * 1000);
    ASSERT_EQ(rec.headers.size(), 1u);
    EXPECT_EQ(rec.headers[0].key, "source");
    EXPECT_EQ(text(rec.headers[0].value), "scenario");
  }
  EXPECT_EQ(text(b.records[5].key), "audit-05");
  const auto t = timestamp_at(bytes, 5);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->offset, 5);
  EXPECT_EQ(t->timestamp, 1796103605000);
}

TEST(RecordBatch, AbortedTransactionAndItsMarker) {
  const auto bytes = captured_records(372);  // h27 payments-1 from 0
  const auto d = decode_record_batches(bytes);
  ASSERT_EQ(d.batches.size(), 4u);
  EXPECT_EQ(d.batches[0].base_offset, 0);
  EXPECT_EQ(d.batches[0].record_count, 1);
  EXPECT_EQ(d.batches[1].base_offset, 1);
  EXPECT_EQ(d.batches[1].record_count, 9);
  const auto& txn = d.batches[2];
  EXPECT_EQ(txn.base_offset, 10);
  EXPECT_TRUE(txn.is_transactional);
  EXPECT_FALSE(txn.is_control);
  EXPECT_EQ(txn.producer_id, 14000);
  EXPECT_EQ(txn.producer_epoch, 0);
  EXPECT_EQ(txn.base_sequence, 0);
  ASSERT_EQ(txn.records.size(), 5u);
  EXPECT_EQ(text(txn.records[0].key), "pay-1-txn-0");
  EXPECT_EQ(text(txn.records[4].value), "{\"amount\":304,\"txn\":\"aborted\"}");
  const auto& marker = d.batches[3];
  EXPECT_EQ(marker.base_offset, 15);
  EXPECT_TRUE(marker.is_control);
  EXPECT_TRUE(marker.is_transactional);
  EXPECT_EQ(marker.producer_id, 14000);
  ASSERT_EQ(marker.records.size(), 1u);
  EXPECT_EQ(marker.records[0].offset, 15);
  EXPECT_EQ(marker.records[0].timestamp, 1796107234396);
  EXPECT_EQ(*marker.records[0].key, (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(*marker.records[0].value, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0}));
  const auto key = control_record_key(marker.records[0]);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->version, 0);
  EXPECT_EQ(key->type, kControlAbort);

  EXPECT_EQ(timestamp_at(bytes, 10)->timestamp, 1796103010000);
  EXPECT_FALSE(timestamp_at(bytes, 15));  // only the control record is left
  EXPECT_EQ(timestamp_at(bytes, 3)->timestamp, 1796103003000);

  // h29, read_uncommitted from 10: the same aborted batch and marker.
  const auto u = decode_record_batches(captured_records(385));
  ASSERT_EQ(u.batches.size(), 2u);
  EXPECT_EQ(u.batches[0].base_offset, 10);
  EXPECT_TRUE(u.batches[1].is_control);
}

TEST(RecordBatch, CommittedTransactionAndItsMarker) {
  const auto bytes = captured_records(378);  // h28 payments-0 from 10
  const auto d = decode_record_batches(bytes);
  ASSERT_EQ(d.batches.size(), 2u);
  EXPECT_EQ(d.batches[0].base_offset, 10);
  EXPECT_EQ(d.batches[0].producer_id, 14000);
  ASSERT_EQ(d.batches[0].records.size(), 5u);
  EXPECT_EQ(text(d.batches[0].records[2].key), "pay-0-txn-2");
  EXPECT_EQ(text(d.batches[0].records[2].value), "{\"amount\":202,\"txn\":\"committed\"}");
  EXPECT_EQ(d.batches[0].records[2].timestamp, 1796103012000);
  const auto& marker = d.batches[1];
  EXPECT_TRUE(marker.is_control);
  ASSERT_EQ(marker.records.size(), 1u);
  EXPECT_EQ(*marker.records[0].key, (std::vector<uint8_t>{0, 0, 0, 1}));
  EXPECT_EQ(control_record_key(marker.records[0])->type, kControlCommit);
  EXPECT_EQ(marker.records[0].timestamp, 1796107234316);
}

TEST(RecordBatch, EmptyRecordsDecodeToNothing) {
  const auto d = decode_record_batches({});
  EXPECT_TRUE(d.batches.empty());
  EXPECT_FALSE(d.partial_batch_dropped);
  EXPECT_FALSE(timestamp_at({}, 0));
}

TEST(RecordBatch, APartialTrailingBatchIsDroppedAtEveryCut) {
  const auto bytes = captured_records(355);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    const std::span<const uint8_t> cut(bytes.data(), n);
    const auto d = decode_record_batches(cut);
    EXPECT_EQ(d.batches.size(), n / 471) << n;
    EXPECT_EQ(d.partial_batch_dropped, n % 471 != 0) << n;
    EXPECT_EQ(d.partial_batch_bytes, n % 471) << n;
    const auto t = timestamp_at(cut, 42);
    EXPECT_EQ(t.has_value(), n >= 471) << n;
  }
}

TEST(RecordBatch, ACrcMismatchIsADecodeError) {
  auto bytes = captured_records(355);
  // Any byte from attributes (21) to the batch's end is covered.
  for (size_t i : {size_t{21}, size_t{30}, size_t{100}, size_t{470}}) {
    auto bad = bytes;
    bad[i] ^= 0x01;
    EXPECT_THROW(decode_record_batches(bad), wire::DecodeError) << i;
    EXPECT_THROW(decode_record_batches(bad, {.decode_records = false}), wire::DecodeError) << i;
    EXPECT_THROW(timestamp_at(bad, 42), wire::DecodeError) << i;
  }
  try {
    bytes[200] ^= 0x80;
    decode_record_batches(bytes);
    FAIL();
  } catch (const wire::DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("batches[0].crc"), std::string::npos) << e.what();
  }
}

// ---- Batches built here, compressed with the libraries themselves.

struct TestRecord {
  int32_t offset_delta = 0;
  int64_t timestamp_delta = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;
};

void var_bytes(wire::Writer& w, const std::optional<std::string>& s) {
  if (!s) {
    w.varint(-1);
    return;
  }
  w.varint(static_cast<int32_t>(s->size()));
  w.raw({reinterpret_cast<const uint8_t*>(s->data()), s->size()});
}

std::vector<uint8_t> encode_records(const std::vector<TestRecord>& records) {
  wire::Writer out;
  for (const auto& r : records) {
    wire::Writer body;
    body.int8(0);
    body.varlong(r.timestamp_delta);
    body.varint(r.offset_delta);
    var_bytes(body, r.key);
    var_bytes(body, r.value);
    body.varint(static_cast<int32_t>(r.headers.size()));
    for (const auto& [k, v] : r.headers) {
      var_bytes(body, k);
      var_bytes(body, v);
    }
    out.varint(static_cast<int32_t>(body.size()));
    out.raw(body.bytes());
  }
  return out.take();
}

std::vector<uint8_t> gzip(std::span<const uint8_t> in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<uint8_t> raw_snappy(std::span<const uint8_t> in) {
  std::string out;
  snappy::Compress(reinterpret_cast<const char*>(in.data()), in.size(), &out);
  return {out.begin(), out.end()};
}

// The Java client's framing: magic, version 1, compatible 1, then [int32 length][block]...
std::vector<uint8_t> xerial_snappy(std::span<const uint8_t> in, size_t block) {
  wire::Writer w;
  const uint8_t magic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
  w.raw(magic);
  w.int32(1);
  w.int32(1);
  for (size_t pos = 0; pos < in.size(); pos += block) {
    const auto b = raw_snappy(in.subspan(pos, std::min(block, in.size() - pos)));
    w.int32(static_cast<int32_t>(b.size()));
    w.raw(b);
  }
  return w.take();
}

std::vector<uint8_t> lz4(std::span<const uint8_t> in) {
  std::vector<uint8_t> out(LZ4F_compressFrameBound(in.size(), nullptr));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), nullptr);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

std::vector<uint8_t> zstd(std::span<const uint8_t> in) {
  std::vector<uint8_t> out(ZSTD_compressBound(in.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::vector<uint8_t> compress(Compression c, std::span<const uint8_t> in) {
  switch (c) {
    case Compression::none:
      return {in.begin(), in.end()};
    case Compression::gzip:
      return gzip(in);
    case Compression::snappy:
      return xerial_snappy(in, 100);
    case Compression::lz4:
      return lz4(in);
    case Compression::zstd:
      return zstd(in);
  }
  return {};
}

struct BatchSpec {
  int64_t base_offset = 0;
  int16_t attributes = 0;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = 0;
  int64_t max_timestamp = 0;
  int64_t producer_id = -1;
  int32_t record_count = 0;
};

// A whole v2 batch around `payload` (the records, compressed already), CRC computed.
std::vector<uint8_t> make_batch(const BatchSpec& s, std::span<const uint8_t> payload) {
  wire::Writer covered;
  covered.int16(s.attributes);
  covered.int32(s.last_offset_delta);
  covered.int64(s.base_timestamp);
  covered.int64(s.max_timestamp);
  covered.int64(s.producer_id);
  covered.int16(-1);
  covered.int32(-1);
  covered.int32(s.record_count);
  covered.raw(payload);
  wire::Writer w;
  w.int64(s.base_offset);
  w.int32(static_cast<int32_t>(4 + 1 + 4 + covered.size()));
  w.int32(0);
  w.int8(2);
  w.int32(static_cast<int32_t>(crc32c(covered.bytes())));
  w.raw(covered.bytes());
  return w.take();
}

std::vector<TestRecord> some_records(int n, int first_delta = 0) {
  std::vector<TestRecord> out;
  for (int i = 0; i < n; ++i) {
    TestRecord r;
    r.offset_delta = first_delta + i;
    r.timestamp_delta = 1000 * (first_delta + i);
    r.key = "key-" + std::to_string(i);
    r.value = "value-" + std::to_string(i) + std::string(50, 'x');
    if (i % 2) r.headers.push_back({"h", "v" + std::to_string(i)});
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<uint8_t> batch_of(Compression c, int64_t base, const std::vector<TestRecord>& recs,
                              int16_t extra_attr = 0) {
  const auto plain = encode_records(recs);
  BatchSpec s;
  s.base_offset = base;
  s.attributes = static_cast<int16_t>(static_cast<int16_t>(c) | extra_attr);
  s.last_offset_delta = recs.empty() ? 0 : recs.back().offset_delta;
  s.base_timestamp = 1796083200000;
  s.max_timestamp = recs.empty() ? s.base_timestamp : s.base_timestamp + recs.back().timestamp_delta;
  s.record_count = static_cast<int32_t>(recs.size());
  return make_batch(s, compress(c, plain));
}

constexpr Compression kCodecs[] = {Compression::none, Compression::gzip, Compression::snappy, Compression::lz4,
                                   Compression::zstd};

TEST(RecordBatch, EveryCodecDecodes) {
  for (Compression c : kCodecs) {
    SCOPED_TRACE(static_cast<int>(c));
    const auto recs = some_records(30);
    auto bytes = batch_of(c, 1000, recs);
    const auto second = batch_of(c, 1030, some_records(5));
    bytes.insert(bytes.end(), second.begin(), second.end());
    const auto d = decode_record_batches(bytes);
    ASSERT_EQ(d.batches.size(), 2u);
    const auto& b = d.batches[0];
    EXPECT_EQ(b.compression, c);
    ASSERT_EQ(b.records.size(), 30u);
    for (int i = 0; i < 30; ++i) {
      EXPECT_EQ(b.records[i].offset, 1000 + i);
      EXPECT_EQ(b.records[i].timestamp, 1796083200000 + 1000 * i);
      EXPECT_EQ(text(b.records[i].key), *recs[i].key);
      EXPECT_EQ(text(b.records[i].value), *recs[i].value);
      EXPECT_EQ(b.records[i].headers.size(), recs[i].headers.size());
    }
    EXPECT_EQ(text(b.records[1].headers.at(0).value), "v1");
    EXPECT_EQ(d.batches[1].records.size(), 5u);
    const auto t = timestamp_at(bytes, 1017);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->offset, 1017);
    EXPECT_EQ(t->timestamp, 1796083217000);
    EXPECT_EQ(timestamp_at(bytes, 1032)->timestamp, 1796083202000);
  }
}

TEST(RecordBatch, RawSnappyWithoutXerialFramingDecodes) {
  const auto recs = some_records(4);
  const auto plain = encode_records(recs);
  BatchSpec s;
  s.attributes = static_cast<int16_t>(Compression::snappy);
  s.last_offset_delta = 3;
  s.record_count = 4;
  const auto bytes = make_batch(s, raw_snappy(plain));
  const auto d = decode_record_batches(bytes);
  ASSERT_EQ(d.batches.at(0).records.size(), 4u);
  EXPECT_EQ(text(d.batches[0].records[3].key), "key-3");
}

TEST(RecordBatch, DecompressionIsCappedPerBatch) {
  const auto recs = some_records(40);  // about 3 KB of records
  for (Compression c : kCodecs) {
    if (c == Compression::none) continue;
    SCOPED_TRACE(static_cast<int>(c));
    const auto bytes = batch_of(c, 0, recs);
    EXPECT_THROW(decode_record_batches(bytes, {.max_decompressed_batch_bytes = 1000}), wire::DecodeError);
    EXPECT_THROW(timestamp_at(bytes, 0, 1000), wire::DecodeError);
    EXPECT_EQ(decode_record_batches(bytes, {.max_decompressed_batch_bytes = 1 << 20}).batches.at(0).records.size(),
              40u);
    // Headers only: nothing is decompressed, nothing is refused.
    EXPECT_EQ(
        decode_record_batches(bytes, {.decode_records = false, .max_decompressed_batch_bytes = 10}).batches.size(), 1u);
  }
}

TEST(RecordBatch, ADecompressionBombIsRefusedByTheDefaultCap) {
  const std::vector<uint8_t> zeros((16u << 20) + 4096, 0);  // 16 MiB + 4 KiB of zeros
  for (Compression c : {Compression::gzip, Compression::snappy, Compression::lz4, Compression::zstd}) {
    SCOPED_TRACE(static_cast<int>(c));
    BatchSpec s;
    s.attributes = static_cast<int16_t>(c);
    s.record_count = 1;
    const auto compressed = c == Compression::snappy ? xerial_snappy(zeros, 1 << 20) : compress(c, zeros);
    EXPECT_LT(compressed.size(), 2u << 20);
    const auto bytes = make_batch(s, compressed);
    try {
      decode_record_batches(bytes);
      FAIL();
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("more than 16777216 bytes"), std::string::npos) << e.what();
    }
  }
}

TEST(RecordBatch, CorruptOrTruncatedCompressedStreamsAreDecodeErrors) {
  const auto plain = encode_records(some_records(20));
  for (Compression c : kCodecs) {
    if (c == Compression::none) continue;
    SCOPED_TRACE(static_cast<int>(c));
    const auto good = compress(c, plain);
    BatchSpec s;
    s.attributes = static_cast<int16_t>(c);
    s.last_offset_delta = 19;
    s.record_count = 20;
    for (size_t n : {size_t{0}, size_t{1}, good.size() / 2, good.size() - 1}) {
      const auto bytes = make_batch(s, std::span<const uint8_t>(good).first(n));
      EXPECT_THROW(decode_record_batches(bytes), wire::DecodeError) << n;
    }
    auto garbage = good;
    for (size_t i = garbage.size() / 3; i < garbage.size(); i += 7) garbage[i] ^= 0x5a;
    EXPECT_THROW(decode_record_batches(make_batch(s, garbage)), wire::DecodeError);
    // Trailing garbage after the compressed stream.
    auto trailing = good;
    trailing.push_back(0x42);
    trailing.push_back(0x17);
    EXPECT_THROW(decode_record_batches(make_batch(s, trailing)), wire::DecodeError);
  }
}

TEST(RecordBatch, LogAppendTimeGivesEveryRecordTheMaxTimestamp) {
  auto recs = some_records(3);
  const auto plain = encode_records(recs);
  BatchSpec s;
  s.attributes = 0x08;
  s.last_offset_delta = 2;
  s.base_timestamp = 5;
  s.max_timestamp = 1796090000000;
  s.record_count = 3;
  const auto bytes = make_batch(s, plain);
  const auto d = decode_record_batches(bytes);
  EXPECT_EQ(d.batches.at(0).timestamp_type, TimestampType::log_append_time);
  for (const auto& r : d.batches[0].records) EXPECT_EQ(r.timestamp, 1796090000000);
  const auto t = timestamp_at(bytes, 1);
  EXPECT_EQ(t->timestamp, 1796090000000);
  EXPECT_EQ(t->timestamp_type, TimestampType::log_append_time);
}

TEST(RecordBatch, TimestampAtSkipsControlBatchesAndCompactionGaps) {
  auto bytes = batch_of(Compression::none, 0, some_records(5));  // 0-4
  TestRecord marker;
  marker.key = std::string("\0\0\0\1", 4);
  marker.value = std::string(6, '\0');
  const auto control = batch_of(Compression::none, 5, {marker}, 0x30);  // 5
  bytes.insert(bytes.end(), control.begin(), control.end());
  auto gap = some_records(2, 2);  // base 6, records at 8 and 9 (6 and 7 compacted away)
  const auto compacted = batch_of(Compression::zstd, 6, gap);
  bytes.insert(bytes.end(), compacted.begin(), compacted.end());
  EXPECT_EQ(timestamp_at(bytes, 4)->offset, 4);
  EXPECT_EQ(timestamp_at(bytes, 5)->offset, 8);
  EXPECT_EQ(timestamp_at(bytes, 6)->offset, 8);
  EXPECT_EQ(timestamp_at(bytes, 7)->timestamp, 1796083202000);
  EXPECT_EQ(timestamp_at(bytes, 9)->offset, 9);
  EXPECT_FALSE(timestamp_at(bytes, 10));
  const auto d = decode_record_batches(bytes);
  ASSERT_EQ(d.batches.size(), 3u);
  EXPECT_TRUE(d.batches[1].is_control);
  EXPECT_EQ(control_record_key(d.batches[1].records.at(0))->type, kControlCommit);
}

TEST(RecordBatch, LegacyMessageSetsAreCountedNotDecoded) {
  wire::Writer w;
  w.int64(0);
  w.int32(14);  // a v0 message: crc, magic 0, attributes, null key, null value
  w.int32(0);
  w.int8(0);
  w.int8(0);
  w.int32(-1);
  w.int32(-1);
  w.int64(1);
  w.int32(22);  // v1: a timestamp too
  w.int32(0);
  w.int8(1);
  w.int8(0);
  w.int64(0);
  w.int32(-1);
  w.int32(-1);
  auto bytes = w.take();
  const auto v2 = batch_of(Compression::none, 2, some_records(1));
  bytes.insert(bytes.end(), v2.begin(), v2.end());
  const auto d = decode_record_batches(bytes);
  EXPECT_EQ(d.legacy_message_sets, 2u);
  ASSERT_EQ(d.batches.size(), 1u);
  EXPECT_EQ(d.batches[0].base_offset, 2);
  EXPECT_EQ(timestamp_at(bytes, 0)->offset, 2);
}

TEST(RecordBatch, MalformedBatchesAreDecodeErrors) {
  const auto plain = encode_records(some_records(3));
  BatchSpec s;
  s.last_offset_delta = 2;
  for (int32_t count : {-1, 2, 4, 1 << 30}) {
    s.record_count = count;
    EXPECT_THROW(decode_record_batches(make_batch(s, plain)), wire::DecodeError) << count;
  }
  s.record_count = 3;
  for (int16_t attributes : {5, 6, 7}) {  // unknown codecs
    s.attributes = attributes;
    EXPECT_THROW(decode_record_batches(make_batch(s, plain)), wire::DecodeError) << attributes;
  }
  s.attributes = 0;
  auto good = make_batch(s, plain);
  EXPECT_EQ(decode_record_batches(good).batches.size(), 1u);
  auto magic3 = good;
  magic3[16] = 3;
  EXPECT_THROW(decode_record_batches(magic3), wire::DecodeError);
  auto tiny = good;
  tiny[11] = 10;  // batch_length 10
  tiny[10] = tiny[9] = tiny[8] = 0;
  EXPECT_THROW(decode_record_batches(tiny), wire::DecodeError);
  auto short_v2 = good;  // 40 bytes: a legacy size, but too short for a v2 header
  short_v2[11] = 40;
  short_v2[10] = short_v2[9] = short_v2[8] = 0;
  EXPECT_THROW(decode_record_batches(short_v2), wire::DecodeError);

  // A record whose length disagrees with its fields, a negative key length, a null header key.
  TestRecord r;
  r.key = "k";
  r.value = "v";
  auto one = encode_records({r});
  one[0] = static_cast<uint8_t>(one[0] + 2);  // zig-zag: length + 1
  one.push_back(0);
  s.record_count = 1;
  s.last_offset_delta = 0;
  EXPECT_THROW(decode_record_batches(make_batch(s, one)), wire::DecodeError);
  const std::vector<uint8_t> neg_key = {/*len*/ 12, 0, 0, 0, /*key -2*/ 3, 0, 0};
  EXPECT_THROW(decode_record_batches(make_batch(s, neg_key)), wire::DecodeError);
  const std::vector<uint8_t> null_header = {/*len*/ 14, 0, 0, 0, 1, 1, /*1 header*/ 2, /*key null*/ 1};
  EXPECT_THROW(decode_record_batches(make_batch(s, null_header)), wire::DecodeError);
  const std::vector<uint8_t> huge_headers = {/*len*/ 14, 0, 0, 0, 1, 1, 0xfe, 0xff, 0xff, 0xff, 0x07};
  EXPECT_THROW(decode_record_batches(make_batch(s, huge_headers)), wire::DecodeError);

  // Cutting the records region anywhere (CRC recomputed) never crashes.
  for (size_t n = 0; n < plain.size(); ++n) {
    s.record_count = 3;
    s.last_offset_delta = 2;
    EXPECT_THROW(decode_record_batches(make_batch(s, std::span<const uint8_t>(plain).first(n))), wire::DecodeError)
        << n;
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
