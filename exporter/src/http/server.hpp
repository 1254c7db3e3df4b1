// lagwatch's HTTP/1.1 endpoint (the /metrics scrape target and friends), on Boost.Beast.
//
// The server owns transport concerns only: parsing, limits, timeouts, keep-alive, HEAD, framing
// and error statuses. What to answer is the Handler's business. Beast stays out of this header
// so that route code compiles quickly.
//
// What a Handler can rely on:
//  * It is called only for well-formed GET and HEAD requests with a decodable target. For HEAD
//    it is called as for GET; the server sends the headers (Content-Length of the body the
//    handler returned) and drops the body.
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
//  * 30 s for a whole request to arrive, for a response to be written, and for an idle
//    keep-alive connection (a scrape of a large body over a slow link must finish in 30 s);
//  * 256 connections at once; more are closed on accept.
// A request that does not parse as HTTP/1.x gets 400 (431 or 413 past the limits) and the
// connection is closed; a well-formed one with a bad target (e.g. "%zz") gets 400 and the
// connection stays open.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lagwatch::http {

struct Request {
  std::string method;                          // "GET" or "HEAD" when a Handler sees it
  std::string path;                            // target without the query, percent-decoded
  // Decoded query parameters ("+" means a space, as in HTML forms). A name without "=" maps to
  // "". When a name repeats, the first occurrence wins.
  std::map<std::string, std::string> query;
  // Header names lower-cased; repeated headers are joined with ", " (RFC 9110 5.3).
  std::map<std::string, std::string> headers;
  std::string host;                            // Host header, "" when absent
  std::string target;                          // raw target as received, e.g. "/metrics?x=%20"

  // Whether Accept-Encoding admits gzip ("gzip", "x-gzip" or "*", with q > 0; an explicit
  // "gzip;q=0" wins over "*").
  bool accepts_gzip() const;
};

struct Response {
  int status = 200;                                         // 200..599; anything else sends 500
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
  // Nothing is bound until start(). Throws std::invalid_argument for an empty handler or
  // threads < 1.
  Server(std::string listen_address, Handler handler, int threads = 2);
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

  // Closes the listening socket and every connection (in-flight responses are cut off) and joins
  // the threads; a Handler call already running finishes first. Idempotent; fine before start().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::http
