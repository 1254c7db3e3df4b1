// Everything between the bytes of a request and the Request a Handler sees: the Beast parser with
// lagwatch's limits, the target (percent-decoding, query), header folding, and the checks that
// keep malformed or hostile input away from the Handler. No sockets and no threads, so a fuzzer
// can drive exactly what a session runs (parse_request_bytes).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "http/server.hpp"

namespace lagwatch::http {

// The request line plus headers (else 431) and the body (else 413).
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

using RawRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Applies the limits above to a fresh parser.
void configure_parser(RequestParser& parser);

// The outcome of turning one request into a Request.
struct ParsedRequest {
  int status = 0;       // 0: `request` is ready for the Handler; else the status to answer
  std::string problem;  // why, for the body of the error response (printable ASCII)
  // false when the bytes cannot be framed as HTTP/1.x (the connection must be closed after the
  // error response); true for a well-framed request the server refuses (bad target, method).
  bool keep_open = true;
  Request request;
};

// Checks a request the parser framed, and fills ParsedRequest::request when it is acceptable:
// method GET or HEAD (and POST when accept_post; else 405), a target that percent-decodes to valid
// UTF-8 without control characters (else 400).
ParsedRequest check_request(const RawRequest& msg, bool accept_post);

// The status for an error from the Beast parser (431, 413 or 400).
int status_for_parse_error(const boost::system::error_code& ec);

// The ParsedRequest for a request the parser rejected with `ec` (keep_open = false).
ParsedRequest parse_failure(const boost::system::error_code& ec);

// The error response for a ParsedRequest with status != 0: a plain-text body, and Allow for 405.
Response error_response(const ParsedRequest& parsed, bool accept_post);

// Runs on `raw` what a session runs on the bytes of its first request before calling the Handler:
// the same parser, limits and checks. Bytes after the first request are ignored. A request cut
// short gives status 400 with keep_open = false (a session would wait for the rest, then close).
ParsedRequest parse_request_bytes(std::string_view raw, bool accept_post = false);

// Request data for a log line: bytes outside printable ASCII (and '\') as \xNN, at most
// `max_bytes` of input followed by "..." when longer, so a client can neither forge log lines nor
// flood the log.
std::string escape_for_log(std::string_view s, std::size_t max_bytes = 200);

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF) without
// C0 controls or DEL.
bool is_clean_utf8(std::string_view s);

}  // namespace lagwatch::http
