#include "http/request_parsing.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <optional>
#include <utility>

#include "http/ascii.hpp"

namespace lagwatch::http {
namespace {

namespace bhttp = boost::beast::http;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// nullopt for a "%" not followed by two hex digits: guessing what the client meant could make two
// different targets reach the handler as the same path.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Returns the problem, if any. Every decoded name and value must be clean UTF-8: route code puts
// query values into responses and log lines, and must never see control bytes or broken text.
std::optional<std::string> parse_query(std::string_view q, std::map<std::string, std::string>& out) {
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return "invalid percent-encoding in the query";
    if (!is_clean_utf8(*name) || !is_clean_utf8(*value)) {
      return "the query is not valid UTF-8 or contains control characters";
    }
    out.emplace(std::move(*name), std::move(*value));  // emplace keeps the first occurrence
  }
  return std::nullopt;
}

// Fills `out` from a parsed request; returns why the target is unusable (for a 400), if it is.
std::optional<std::string> fill_request(const RawRequest& msg, Request& out) {
  out.method = std::string(msg.method_string());
  out.target = std::string(msg.target());
  std::string_view t = msg.target();
  if (t.empty() || t.front() != '/') {
    // HTTP/1.1 servers must accept absolute-form ("GET http://host/metrics"), which some proxies
    // send; the authority is ignored, Host says the same.
    const size_t scheme_end = t.find("://");
    if (scheme_end == std::string_view::npos ||
        !(ascii_iequals(t.substr(0, scheme_end), "http") || ascii_iequals(t.substr(0, scheme_end), "https"))) {
      return "the target must be a path";
    }
    t.remove_prefix(scheme_end + 3);
    const size_t path_start = t.find_first_of("/?#");
    t = path_start == std::string_view::npos ? std::string_view() : t.substr(path_start);
  }
  if (const size_t hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
  const size_t qmark = t.find('?');
  const std::string_view raw_path = t.substr(0, qmark);
  auto path = percent_decode(raw_path.empty() ? std::string_view("/") : raw_path, false);
  if (!path) return "invalid percent-encoding in the path";
  // Checked after decoding: "%ff" or "%0a" are well-formed percent-encoding of bytes no route
  // expects, which would otherwise reach the handler (and its log lines) raw.
  if (!is_clean_utf8(*path)) return "the path is not valid UTF-8 or contains control characters";
  out.path = std::move(*path);
  if (qmark != std::string_view::npos) {
    if (auto problem = parse_query(t.substr(qmark + 1), out.query)) return problem;
  }
  for (const auto& field : msg) {
    auto [it, inserted] = out.headers.emplace(ascii_to_lower(field.name_string()), std::string(field.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }
  if (auto it = out.headers.find("host"); it != out.headers.end()) out.host = it->second;
  return std::nullopt;
}

// RFC 9110 qvalue; anything unparsable counts as "not acceptable", the safe reading.
bool qvalue_positive(std::string_view v) {
  v = trim_ows(v);
  bool any_digit = false;
  bool nonzero = false;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      any_digit = true;
      nonzero = nonzero || c != '0';
    } else if (c != '.') {
      return false;
    }
  }
  return any_digit && nonzero;
}

ParsedRequest failure(int status, std::string problem, bool keep_open) {
  ParsedRequest p;
  p.status = status;
  p.problem = std::move(problem);
  p.keep_open = keep_open;
  return p;
}

}  // namespace

void configure_parser(RequestParser& parser) {
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(kMaxBodyBytes);
}

ParsedRequest check_request(const RawRequest& msg, bool accept_post) {
  const bhttp::verb method = msg.method();
  const bool post = method == bhttp::verb::post;
  if (method != bhttp::verb::get && method != bhttp::verb::head && !(post && accept_post)) {
    return failure(405, "method not allowed", true);
  }
  ParsedRequest p;
  if (auto problem = fill_request(msg, p.request)) return failure(400, "bad request: " + *problem, true);
  if (post) p.request.body = msg.body();
  return p;
}

int status_for_parse_error(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  return 400;
}

ParsedRequest parse_failure(const boost::system::error_code& ec) {
  return failure(status_for_parse_error(ec), "bad request: " + ec.message(), false);
}

Response error_response(const ParsedRequest& parsed, bool accept_post) {
  Response r;
  r.status = parsed.status;
  switch (parsed.status) {
    case 405:
      r.body = "method not allowed\n";
      r.headers.emplace_back("Allow", accept_post ? "GET, HEAD, POST" : "GET, HEAD");
      break;
    case 413:
      r.body = "request body too large\n";
      break;
    case 431:
      r.body = "request header fields too large\n";
      break;
    default:
      r.body = parsed.problem.empty() ? "bad request\n" : parsed.problem + "\n";
  }
  return r;
}

ParsedRequest parse_request_bytes(std::string_view raw, bool accept_post) {
  RequestParser parser;
  configure_parser(parser);
  // The session's read buffer caps what one read can hold; past it Beast reports buffer_overflow,
  // which status_for_parse_error maps like header_limit.
  boost::system::error_code ec;
  // Everything given is consumed (or the parser can make no progress with it) and the message
  // is not complete: what a session sees when the client closes early.
  const auto incomplete = [&]() -> bool {
    if (!parser.got_some()) return true;
    ec = {};
    parser.put_eof(ec);
    return ec || !parser.is_done();
  };
  while (!parser.is_done()) {
    if (raw.empty()) {
      if (incomplete()) return failure(400, "incomplete request", false);
      break;
    }
    const std::size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
    raw.remove_prefix(used);
    if (ec == bhttp::error::need_more || (!ec && used == 0)) {
      ec = {};
      if (used > 0) continue;
      if (incomplete()) return failure(400, "incomplete request", false);
      break;
    }
    if (ec) return parse_failure(ec);
  }
  return check_request(parser.get(), accept_post);
}

std::string escape_for_log(std::string_view s, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool cut = s.size() > max_bytes;
  if (cut) s = s.substr(0, max_bytes);
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

bool is_clean_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;  // continuation byte first, overlong lead (0xc0, 0xc1) or past U+10FFFF (0xf5+)
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;  // overlong, beyond Unicode, or a UTF-16 surrogate
    }
    i += len;
  }
  return true;
}

bool Request::accepts_gzip() const {
  const auto it = headers.find("accept-encoding");
  if (it == headers.end()) return false;
  std::optional<bool> gzip;
  std::optional<bool> any;
  std::string_view list = it->second;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view coding = trim_ows(item.substr(0, semi));
    bool acceptable = true;
    std::string_view params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
    while (!params.empty()) {
      const size_t next = params.find(';');
      const std::string_view param = trim_ows(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      const size_t eq = param.find('=');
      if (eq != std::string_view::npos && ascii_iequals(trim_ows(param.substr(0, eq)), "q")) {
        acceptable = qvalue_positive(param.substr(eq + 1));
      }
    }
    if (ascii_iequals(coding, "gzip") || ascii_iequals(coding, "x-gzip")) {
      gzip = acceptable;
    } else if (coding == "*") {
      any = acceptable;
    }
  }
  return gzip.value_or(any.value_or(false));
}

}  // namespace lagwatch::http
