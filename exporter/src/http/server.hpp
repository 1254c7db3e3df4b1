// lagwatch's HTTP/1.1 endpoint (the /metrics scrape target and friends), on Boost.Beast.
//
// The server owns transport concerns only: parsing, limits, timeouts, keep-alive, HEAD, framing
// and error statuses. What to answer is the Handler's business. Beast stays out of this header
// so that route code compiles quickly.
//
// What a Handler can rely on:
//  * It is called only for well-formed GET and HEAD requests (and POST when
//    ServerOptions::accept_post) whose target percent-decodes to valid UTF-8 without control
//    characters, in the path and in every query name and value. For HEAD it is called as for GET;
//    the server sends the headers (Content-Length of the body the handler returned) and drops the
//    body.
//  * It runs on one of the server's threads, possibly on several at once (one call per
//    connection at a time, connections in parallel): shared state needs its own synchronisation.
//    It must return quickly; serve pre-rendered data and never wait on Kafka, since a blocked
//    handler blocks every connection that thread serves.
//  * An exception escaping it becomes a 500 and an error log line; the server keeps running.
//  * After stop() returns (or the destructor), it is not running and is never called again,
//    so whatever it references may be destroyed from then on.
//
// Limits, chosen so that idle, slow or hostile clients cannot pin memory, threads or sockets:
//  * the request line plus headers: 8 KiB (else 431), the body: 1 MiB (else 413);
//  * deadlines (ServerOptions): the request head must arrive within read_header_timeout, the
//    whole request within read_timeout, the response be read within write_timeout, and a
//    keep-alive connection may idle idle_timeout between requests. Each is a fixed point in time,
//    so a client trickling bytes cannot extend it;
//  * max_connections at once. At the cap a new connection makes room by closing the connection
//    that has waited longest for its client: an idle keep-alive one first, else one still sending
//    its request head (a real scrape sends it in milliseconds, a slow-loris client never does),
//    else one still sending a body. Only when every connection is being served (handler or
//    response write) does the new one get 503 with Retry-After: 1 and Connection: close.
//  * repeated events (timeouts, evictions, refusals, accept errors) are logged at most once a
//    minute per kind, with a count.
// Every response carries "X-Content-Type-Options: nosniff".
// A request that does not parse as HTTP/1.x gets 400 (431 or 413 past the limits) and the
// connection is closed; a well-formed one with a bad target (e.g. "%zz", "%ff", "%00") gets 400
// and an unsupported method 405 with Allow, and the connection stays open.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lagwatch::http {

class WebSecurity;  // http/web_security.hpp

struct Request {
  std::string method;  // "GET", "HEAD" (or "POST", see accept_post)
  std::string path;    // target without the query, percent-decoded
  // Decoded query parameters ("+" means a space, as in HTML forms). A name without "=" maps to
  // "". When a name repeats, the first occurrence wins.
  std::map<std::string, std::string> query;
  // Header names lower-cased; repeated headers are joined with ", " (RFC 9110 5.3).
  std::map<std::string, std::string> headers;
  std::string host;    // Host header, "" when absent
  std::string target;  // raw target as received, e.g. "/metrics?x=%20"
  std::string body;    // POST only (at most 1 MiB); "" otherwise

  // Whether Accept-Encoding admits gzip ("gzip", "x-gzip" or "*", with q > 0; an explicit
  // "gzip;q=0" wins over "*").
  bool accepts_gzip() const;
};

struct Response {
  int status = 200;  // 200..599; anything else sends 500
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // The body is already gzip-compressed: the server adds "Content-Encoding: gzip". A handler
  // that sets it should check Request::accepts_gzip() and add "Vary: Accept-Encoding" (to every
  // response of that route, compressed or not) so caches do not mix the two.
  bool body_is_gzip = false;
  // Extra headers, sent in this order. A "Content-Type" here replaces content_type. Content-Length,
  // Transfer-Encoding, Connection, Content-Encoding and Server belong to the server and are
  // ignored with an error log, as are invalid names and values containing CR, LF or NUL (header
  // injection).
  std::vector<std::pair<std::string, std::string>> headers;
  // The body on the wire is the shared pieces, in order, followed by `body`. They let a large
  // body rendered once (the /metrics page) go to many clients at once without a copy per
  // response: the pieces point into memory that `shared_owner` keeps alive, and the server
  // holds that pointer until the write is done.
  std::vector<std::string_view> shared_pieces{};
  std::shared_ptr<const void> shared_owner{};
};

using Handler = std::function<Response(const Request&)>;

// Transport settings; the constructor throws std::invalid_argument outside the ranges given.
struct ServerOptions {
  // The request line and headers must be complete this long after the server started waiting for
  // them: from accept on a new connection, from the first byte of the request on a keep-alive one.
  // A trickling client cannot extend it. 100 ms .. read_timeout.
  std::chrono::milliseconds read_header_timeout{5'000};
  // The whole request, body included, from the same start. read_header_timeout .. 1 h.
  std::chrono::milliseconds read_timeout{30'000};
  // Writing a response (a large page to a slow client must fit in it). 100 ms .. 1 h.
  std::chrono::milliseconds write_timeout{30'000};
  // A keep-alive connection waiting for the first byte of its next request. 100 ms .. 1 h.
  std::chrono::milliseconds idle_timeout{180'000};
  // Connections open at once (each is a file descriptor: see util::raise_open_file_limit()).
  // 1 .. 1'000'000.
  std::size_t max_connections = 1024;
  // POST is passed to the Handler (for POST /-/reload) with its body; otherwise it gets 405.
  bool accept_post = false;
  // The web config file (--web.config.file): TLS, basic auth, extra headers; null for plain
  // HTTP. Basic auth is checked before the Handler (401 with WWW-Authenticate, 429 when too many
  // password checks run at once), the headers are added to every response.
  std::shared_ptr<WebSecurity> security{};
};

// Throws std::invalid_argument("http::Server: <field> ...") when `options` is out of range.
void validate(const ServerOptions& options);

// A small HTTP/1.1 server. Thread-safe: start(), stop() and port() may be called from any thread
// except the server's own (i.e. not from inside the Handler: stop() would wait for itself).
class Server {
 public:
  // listen_address:
  //   ":port"           every IPv4 and IPv6 address (an IPv6 socket accepting IPv4 too, or
  //                     0.0.0.0 where the host has no IPv6);
  //   "host:port"       an IPv4 literal or a host name (the first resolved address that binds);
  //   "[v6addr]:port"   an IPv6 literal, e.g. "[::1]:9721"; "[::]" also accepts IPv4.
  // Port 0 picks a free port (see port()). `threads` (>= 1) threads run the I/O and the Handler.
  // The address is parsed by util::parse_listen_address(), as the config validator does.
  // Nothing is bound until start(). Throws std::invalid_argument for an empty handler,
  // threads < 1 or options out of range.
  Server(std::string listen_address, Handler handler, ServerOptions options = {}, int threads = 2);
  // Default options.
  Server(std::string listen_address, Handler handler, int threads);
  ~Server();  // stop()s

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. On return connections are accepted (the kernel
  // queues them even before a thread picks them up), so tests need not wait or retry.
  // Throws std::runtime_error("cannot listen on ADDRESS: reason") for an unparsable address,
  // a name that does not resolve, or a failed bind (address in use, not local, ...).
  // A Server starts at most once; a second start() throws std::logic_error.
  void start();

  // The bound port once start() succeeded (the real one when 0 was asked for; still reported
  // after stop()), else 0.
  uint16_t port() const;

  // The options in force.
  const ServerOptions& options() const;

  // Connections open now (counted against max_connections); for tests and benchmarks.
  std::size_t open_connections() const;

  // Closes the listening socket and every connection (in-flight responses are cut off) and joins
  // the threads; a Handler call already running finishes first. Idempotent; fine before start().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::http
