// An SMTP server's reply (RFC 5321 section 4.2), parsed from the bytes read so far: a pure
// function, so it can be fuzzed (tests/fuzz/fuzz_smtp_reply.cpp). The server is untrusted
// input: lines, line count and the whole reply are bounded, and anything that is not
//
//   CODE "-" text CRLF  ...  CODE [" " text] CRLF      (the same 3-digit CODE, 2xx..5xx)
//
// is malformed. A bare LF ends a line too (some servers send one); a CR before it is dropped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lagwatch::smtp {

struct ReplyLimits {
  size_t max_line = 1024;        // bytes of one line without its CRLF (RFC 5321 says 512; slack)
  size_t max_lines = 128;        // lines of one reply (an EHLO answer lists ~10 extensions)
  size_t max_total = 64 * 1024;  // bytes of one reply, CRLFs included
};

struct Reply {
  int code = 0;                    // 220, 250, 354, 451, 550...
  std::vector<std::string> lines;  // the text of each line, after "CODE-" / "CODE "

  // Every line's text joined by " / ", control bytes and non-ASCII replaced by '?', at most
  // 300 bytes: fit for an error message ("550 5.1.1 <b@x>: Recipient address rejected").
  std::string text() const;
  // "550 5.1.1 ...": the code and text().
  std::string summary() const;
};

struct ParsedReply {
  enum class Status { complete, need_more, malformed };
  Status status = Status::need_more;
  Reply reply;          // when complete
  size_t consumed = 0;  // when complete: bytes of `input` the reply took (what follows is the next)
  std::string error;    // when malformed: why, e.g. "reply line without a 3-digit code"
};

// Parses the reply at the start of `input`. need_more: no complete reply yet and none of the
// limits exceeded (read more, then call again with all of it).
ParsedReply parse_reply(std::string_view input, const ReplyLimits& limits = {});

}  // namespace lagwatch::smtp
