#include "http/wire_response.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "http/ascii.hpp"
#include "http/request_parsing.hpp"
#include "util/http_header.hpp"

namespace lagwatch::http {
namespace {

namespace bhttp = boost::beast::http;

bool server_owned_header(std::string_view name) {
  for (std::string_view owned : {"content-length", "transfer-encoding", "connection", "content-encoding", "server"}) {
    if (ascii_iequals(name, owned)) return true;
  }
  return false;
}

}  // namespace

Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

WireResponse to_wire(Response r, unsigned version, bool keep_alive, bool head) {
  if (r.status < 200 || r.status > 599) {
    spdlog::error("HTTP handler returned status {}, which lagwatch does not send; answering 500", r.status);
    r = text_response(500, "internal server error\n");
  }
  WireResponse res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "lagwatch");
  // Every body is text or JSON we label exactly; a browser that sniffed a scraped label value as
  // HTML could run script from it.
  res.set("X-Content-Type-Options", "nosniff");
  if (util::is_header_value(r.content_type)) {
    res.set(bhttp::field::content_type, r.content_type);
  } else {
    spdlog::error("HTTP handler returned an invalid Content-Type; using text/plain");
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  }
  if (r.body_is_gzip) res.set(bhttp::field::content_encoding, "gzip");
  for (const auto& [name, value] : r.headers) {
    if (!util::is_header_name(name) || !util::is_header_value(value)) {
      spdlog::error("HTTP handler returned header '{}' with a forbidden character; dropped", escape_for_log(name));
    } else if (server_owned_header(name)) {
      spdlog::error("HTTP handler set header {}, which the server controls; dropped", name);
    } else if (ascii_iequals(name, "x-content-type-options")) {
      // Always sent as "nosniff" already; a handler saying the same is not an error.
    } else if (ascii_iequals(name, "content-type")) {
      res.set(bhttp::field::content_type, value);
    } else {
      res.insert(name, value);
    }
  }
  res.keep_alive(keep_alive);
  // 204 and 304 never carry a body, and 204 must not even announce one (RFC 9110 8.6).
  if (r.status == 204 || r.status == 304) return res;
  PiecesBody::value_type body{std::move(r.shared_pieces), std::move(r.shared_owner), std::move(r.body)};
  res.content_length(PiecesBody::size(body));
  if (!head) res.body() = std::move(body);
  return res;
}

}  // namespace lagwatch::http
