// libFuzzer target: the bytes an SMTP server sends, read as lagwatch's client reads them
// (smtp/reply.hpp): replies parsed one after the other from the start, with small limits so
// the fuzzer reaches them. Besides crashes it checks the parser's promises: a complete reply
// consumed some bytes and at most what it was given, has a code in 200..599 and at most
// max_lines lines of at most max_line bytes; text() is printable ASCII.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "smtp/reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using lagwatch::smtp::ParsedReply;
  lagwatch::smtp::ReplyLimits limits;
  limits.max_line = 64;
  limits.max_lines = 8;
  limits.max_total = 512;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (;;) {
    const ParsedReply p = lagwatch::smtp::parse_reply(rest, limits);
    if (p.status == ParsedReply::Status::need_more) {
      if (rest.size() > limits.max_total) std::abort();  // should have been malformed
      return 0;
    }
    if (p.status == ParsedReply::Status::malformed) {
      if (p.error.empty()) std::abort();
      return 0;
    }
    if (p.consumed == 0 || p.consumed > rest.size()) std::abort();
    if (p.reply.code < 200 || p.reply.code > 599) std::abort();
    if (p.reply.lines.empty() || p.reply.lines.size() > limits.max_lines) std::abort();
    for (const auto& line : p.reply.lines) {
      if (line.size() > limits.max_line) std::abort();
    }
    for (char c : p.reply.summary()) {
      if (c < 0x20 || c > 0x7e) std::abort();
    }
    rest.remove_prefix(p.consumed);
  }
}
