#include "http/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>

namespace lagwatch::http {
namespace {

// zlib counts in uInt (32 bits); bodies are fed in slices so inputs over 4 GiB still work.
constexpr size_t kMaxSlice = std::numeric_limits<uInt>::max() / 2 + 1;
constexpr int kWindowBits = 15;
constexpr int kMemLevel = 8;
constexpr size_t kHeaderSize = 10;

void check_level(int level) {
  if (level < Z_DEFAULT_COMPRESSION || level > Z_BEST_COMPRESSION) {
    throw std::invalid_argument("gzip: compression level must be -1..9, got " + std::to_string(level));
  }
}

// Frees the z_stream whatever happens, so a throw (bad_alloc while growing output) cannot leak
// zlib's window.
class Deflater {
 public:
  Deflater(int level, int window_bits) {
    check_level(level);
    const int rc = deflateInit2(&zs_, level, Z_DEFLATED, window_bits, kMemLevel, Z_DEFAULT_STRATEGY);
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc != Z_OK) throw std::runtime_error("gzip: deflateInit2 failed (" + std::to_string(rc) + ")");
  }
  ~Deflater() { deflateEnd(&zs_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // Appends the deflate output of `in` to `out`, then flushes with `final_flush` (Z_FULL_FLUSH or
  // Z_FINISH); only the last slice carries it, earlier ones use Z_NO_FLUSH so the ratio does not
  // suffer from the slicing.
  void run(std::string_view in, int final_flush, std::string& out) {
    size_t used = out.size();
    // deflateBound is exact enough that the loop rarely grows the string a second time.
    out.resize(used + deflateBound(&zs_, static_cast<uLong>(in.size())) + 16);
    const auto* next = reinterpret_cast<const Bytef*>(in.data());
    size_t remaining = in.size();
    for (;;) {
      const size_t slice = std::min(remaining, kMaxSlice);
      zs_.next_in = const_cast<Bytef*>(next);  // zlib's API is not const-correct; it does not write
      zs_.avail_in = static_cast<uInt>(slice);
      next += slice;
      remaining -= slice;
      const int flush = remaining == 0 ? final_flush : Z_NO_FLUSH;
      // zlib's documented pattern: keep calling while it filled the whole output space, since
      // that means it may have more to say (pending flush or final block).
      do {
        if (out.size() - used < 64) out.resize(out.size() + std::max<size_t>(out.size() / 2, 1 << 16));
        const size_t space = std::min(out.size() - used, kMaxSlice);
        zs_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        zs_.avail_out = static_cast<uInt>(space);
        const int rc = deflate(&zs_, flush);
        // Z_BUF_ERROR only says "no progress possible", e.g. a flush already complete.
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
          throw std::runtime_error("gzip: deflate failed (" + std::to_string(rc) + ")");
        }
        used += space - zs_.avail_out;
      } while (zs_.avail_out == 0);
      if (remaining == 0) break;
    }
    out.resize(used);
  }

 private:
  z_stream zs_{};
};

uint32_t crc_of(std::string_view data) {
  return static_cast<uint32_t>(
      crc32_z(crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// The header zlib itself writes for windowBits 15+16: no name, no mtime (so identical input gives
// identical bytes, which keeps ETags and tests stable), OS = Unix.
void put_header(std::string& out, int level) {
  const char xfl = level == Z_BEST_COMPRESSION ? 2 : (level >= 0 && level < 2 ? 4 : 0);
  const char header[kHeaderSize] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, xfl, 3};
  out.append(header, kHeaderSize);
}

}  // namespace

std::string gzip(std::string_view data, int level) {
  Deflater deflater(level, kWindowBits + 16);  // +16: zlib writes the gzip header and trailer
  std::string out;
  deflater.run(data, Z_FINISH, out);
  return out;
}

std::string gunzip(std::string_view data) {
  if (data.empty()) throw std::runtime_error("gunzip: empty input");
  z_stream zs{};
  // +16: accept only gzip, not zlib or raw deflate, so a mislabelled body is an error.
  const int init = inflateInit2(&zs, kWindowBits + 16);
  if (init == Z_MEM_ERROR) throw std::bad_alloc();
  if (init != Z_OK) throw std::runtime_error("gunzip: inflateInit2 failed");
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};

  std::string out;
  out.resize(std::min<size_t>(data.size() * 4, size_t{1} << 30) + 256);
  size_t used = 0;
  const auto* next = reinterpret_cast<const Bytef*>(data.data());
  size_t remaining = data.size();
  const auto refill = [&] {
    const size_t slice = std::min(remaining, kMaxSlice);
    zs.next_in = const_cast<Bytef*>(next);
    zs.avail_in = static_cast<uInt>(slice);
    next += slice;
    remaining -= slice;
  };
  for (;;) {
    if (zs.avail_in == 0) refill();
    if (out.size() - used < 64) out.resize(out.size() * 2);
    const size_t space = std::min(out.size() - used, kMaxSlice);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(space);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    used += space - zs.avail_out;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0 && remaining == 0) break;
      // Another member may follow (RFC 1952 allows several; `gzip -dc` concatenates them).
      // Anything else after a member is an error rather than silently ignored.
      if (zs.avail_in == 0) refill();
      if (zs.next_in[0] != 0x1f) throw std::runtime_error("gunzip: trailing garbage after gzip data");
      if (inflateReset(&zs) != Z_OK) throw std::runtime_error("gunzip: inflateReset failed");
      continue;
    }
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    // Z_BUF_ERROR means "no progress possible": with output space left, that is missing input.
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && remaining == 0) {
      throw std::runtime_error("gunzip: truncated gzip data");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw std::runtime_error(std::string("gunzip: corrupt gzip data: ") + (zs.msg ? zs.msg : "unknown error"));
    }
  }
  out.resize(used);
  return out;
}

GzipPrefix::GzipPrefix(std::string_view prefix, int level) : GzipPrefix(std::vector<std::string_view>{prefix}, level) {}

GzipPrefix::GzipPrefix(const std::vector<std::string_view>& pieces, int level) : level_(level) {
  check_level(level);
  put_header(head_, level);
  prefix_crc_ = static_cast<uint32_t>(crc32_z(0L, Z_NULL, 0));
  for (const auto& p : pieces) {
    prefix_crc_ = static_cast<uint32_t>(crc32_z(prefix_crc_, reinterpret_cast<const Bytef*>(p.data()), p.size()));
    prefix_size_ += p.size();
  }
  // An empty prefix contributes no blocks at all; the tail's stream then stands alone.
  if (prefix_size_ > 0) {
    Deflater deflater(level, -kWindowBits);  // negative: raw deflate, we write header/trailer
    for (const auto& p : pieces) deflater.run(p, Z_NO_FLUSH, head_);
    deflater.run({}, Z_FULL_FLUSH, head_);
  }
  head_.shrink_to_fit();
}

std::string GzipPrefix::finish(std::string_view tail) const {
  Deflater deflater(level_, -kWindowBits);
  std::string out;
  out.reserve(tail.size() / 2 + 64);
  deflater.run(tail, Z_FINISH, out);
  const auto crc = static_cast<uint32_t>(crc32_combine(prefix_crc_, crc_of(tail), static_cast<z_off_t>(tail.size())));
  put_le32(out, crc);
  put_le32(out, static_cast<uint32_t>(prefix_size_ + tail.size()));  // ISIZE is defined mod 2^32
  return out;
}

std::string GzipPrefix::with_tail(std::string_view tail) const { return head_ + finish(tail); }

size_t GzipPrefix::prefix_compressed_size() const { return head_.size() - kHeaderSize; }

}  // namespace lagwatch::http
