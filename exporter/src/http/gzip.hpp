// gzip (RFC 1952) for HTTP responses, on zlib.
//
// A Prometheus scrape body is large (every partition of every group) but changes only once per
// poll, while a scrape comes every few seconds, often from several Prometheus replicas.
// Compressing a multi-megabyte body on every scrape would cost far more CPU than rendering it,
// so GzipPrefix compresses the part that changes per poll once and, per scrape, only the few
// lines that change per scrape (e.g. "age of the data" gauges).
//
// All functions are thread-safe; a GzipPrefix can be shared between threads (e.g. by
// std::shared_ptr<const GzipPrefix>) once constructed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lagwatch::http {

// One gzip member holding `data`. `level` is zlib's: 0 (store) .. 9, or -1 for zlib's default
// (6); anything else throws std::invalid_argument.
std::string gzip(std::string_view data, int level = 6);

// The decompressed content of `data`: one gzip member or several concatenated ones, as
// `gzip -dc` accepts. Throws std::runtime_error on corrupt or truncated input, a CRC or length
// mismatch, or bytes after the last member. Output size is not limited: meant for tests and for
// trusted peers, not for untrusted input (a "zip bomb" would exhaust memory).
std::string gunzip(std::string_view data);

// A compressed prefix to which different tails can be appended cheaply.
//
// with_tail(t) returns ONE valid gzip member whose content is prefix + t, as gzip(prefix + t)
// would (the bytes differ, the content does not), at the cost of compressing t alone.
// How: the prefix is deflated once as a raw deflate stream ended by Z_FULL_FLUSH, which leaves it
// byte-aligned and without a final block, so a decompressor simply keeps reading blocks after
// it. Each tail is deflated as a fresh raw stream ended by Z_FINISH and appended; being fresh,
// its back-references never reach into the prefix, so no state has to be shared. The trailer's
// CRC-32 is crc32_combine() of the two parts' CRCs, and its length is the total mod 2^32.
// The price is a slightly worse ratio on the tail (no shared dictionary with the prefix),
// negligible when the tail is a few lines.
class GzipPrefix {
 public:
  // Compresses `prefix` (any size, possibly empty). `level` as for gzip(), used for the tails too.
  explicit GzipPrefix(std::string_view prefix, int level = 6);
  // The prefix given in pieces (their concatenation), so that it never has to be joined.
  explicit GzipPrefix(const std::vector<std::string_view>& pieces, int level = 6);

  // A complete gzip member of prefix + tail. Copies the compressed prefix, so the cost is a
  // memcpy of prefix_compressed_size() bytes plus deflating `tail`.
  std::string with_tail(std::string_view tail) const;

  // The same member in two pieces, so that the large one is never copied: head() (the gzip
  // header and the deflated prefix, shareable between responses) followed by finish(tail)
  // (the deflated tail and the trailer). head() + finish(t) == with_tail(t).
  const std::string& head() const { return head_; }
  std::string finish(std::string_view tail) const;

  // Bytes of the deflated prefix (without the 10-byte gzip header and 8-byte trailer).
  size_t prefix_compressed_size() const;

 private:
  std::string head_;  // gzip header followed by the full-flushed raw deflate prefix
  uint32_t prefix_crc_ = 0;
  uint64_t prefix_size_ = 0;
  int level_;
};

}  // namespace lagwatch::http
