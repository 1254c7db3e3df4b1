#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "util/listen_address.hpp"

namespace lagwatch::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;
// The read buffer only ever holds the header and a slice of the body (the parser moves body bytes
// out), so it can stay small; it must exceed kMaxHeaderBytes for header_limit to fire first.
constexpr std::size_t kReadBufferLimit = 64 * 1024;
constexpr auto kIoTimeout = 30s;
// After an error response the client may still be sending (an oversized header or body). Closing
// with unread data makes the kernel send RST, which can destroy our response in the client's
// receive buffer before it reads it; so read and discard for a while first ("lingering close").
constexpr auto kLingerTimeout = 5s;
constexpr std::size_t kMaxLingerBytes = 2 * 1024 * 1024;
constexpr std::size_t kMaxConnections = 256;
constexpr auto kAcceptRetryDelay = 100ms;

// A response body made of shared pieces (never copied; `owner` keeps them alive) and an owned
// tail, written with one gather write. A Beast Body type: value_type, size() and a writer.
struct PiecesBody {
  struct value_type {
    std::vector<std::string_view> shared;
    std::shared_ptr<const void> owner;
    std::string owned;
  };

  static std::uint64_t size(const value_type& v) {
    std::uint64_t n = v.owned.size();
    for (auto p : v.shared) n += p.size();
    return n;
  }

  class writer {
   public:
    using const_buffers_type = std::vector<net::const_buffer>;

    template <bool isRequest, class Fields>
    writer(const bhttp::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (done_) return boost::none;
      done_ = true;
      const_buffers_type buffers;
      buffers.reserve(body_.shared.size() + 1);
      for (auto p : body_.shared) buffers.emplace_back(p.data(), p.size());
      buffers.emplace_back(body_.owned.data(), body_.owned.size());
      return std::make_pair(std::move(buffers), false);
    }

   private:
    const value_type& body_;
    bool done_ = false;
  };
};

using RawRequest = bhttp::request<bhttp::string_body>;
using RawResponse = bhttp::response<PiecesBody>;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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

bool parse_query(std::string_view q, std::map<std::string, std::string>& out) {
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return false;
    out.emplace(std::move(*name), std::move(*value));  // emplace keeps the first occurrence
  }
  return true;
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
        !(iequals(t.substr(0, scheme_end), "http") || iequals(t.substr(0, scheme_end), "https"))) {
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
  out.path = std::move(*path);
  if (qmark != std::string_view::npos && !parse_query(t.substr(qmark + 1), out.query)) {
    return "invalid percent-encoding in the query";
  }
  for (const auto& field : msg) {
    auto [it, inserted] = out.headers.emplace(to_lower(field.name_string()), std::string(field.value()));
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
  v = trim(v);
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

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// For log lines: a handler bug must not let a header inject fake lines into the log.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

bool server_owned_header(std::string_view name) {
  for (std::string_view owned : {"content-length", "transfer-encoding", "connection", "content-encoding", "server"}) {
    if (iequals(name, owned)) return true;
  }
  return false;
}

Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response call_handler(const Handler& handler, const Request& req) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    spdlog::error("HTTP handler for {} {} failed: {}", req.method, req.target, e.what());
  } catch (...) {
    spdlog::error("HTTP handler for {} {} failed with a non-standard exception", req.method, req.target);
  }
  return text_response(500, "internal server error\n");
}

RawResponse to_wire(Response r, unsigned version, bool keep_alive, bool head) {
  if (r.status < 200 || r.status > 599) {
    spdlog::error("HTTP handler returned status {}, which lagwatch does not send; answering 500", r.status);
    r = text_response(500, "internal server error\n");
  }
  RawResponse res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::server, "lagwatch");
  if (valid_header_value(r.content_type)) {
    res.set(bhttp::field::content_type, r.content_type);
  } else {
    spdlog::error("HTTP handler returned an invalid Content-Type; using text/plain");
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  }
  if (r.body_is_gzip) res.set(bhttp::field::content_encoding, "gzip");
  for (const auto& [name, value] : r.headers) {
    if (!valid_header_name(name) || !valid_header_value(value)) {
      spdlog::error("HTTP handler returned header '{}' with a forbidden character; dropped", printable(name));
    } else if (server_owned_header(name)) {
      spdlog::error("HTTP handler set header {}, which the server controls; dropped", name);
    } else if (iequals(name, "content-type")) {
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

int status_for_parse_error(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  return 400;
}

std::string_view reason_body(int status) {
  switch (status) {
    case 413:
      return "request body too large\n";
    case 431:
      return "request header fields too large\n";
    default:
      return "bad request\n";
  }
}

// One connection. Its operations run on a strand (the socket's executor), one after the other:
// read a request, write the response, read the next, ... so it needs no locks. It lives as long
// as an operation of its own holds a shared_ptr to it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const Handler& handler, std::atomic<std::size_t>& connections)
      : stream_(std::move(socket)), handler_(handler), connections_(connections) {
    connections_.fetch_add(1);
  }
  ~Session() { connections_.fetch_sub(1); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_request, shared_from_this()));
  }

 private:
  void read_request() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    // One deadline for the whole request, not per read: a client trickling a byte at a time
    // (slowloris) still runs out of time.
    stream_.expires_after(kIoTimeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      // A client closing between requests or idling past the timeout is routine, and after a
      // transport error (reset, timeout mid-request) there is nobody left to answer.
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == bhttp::error::partial_message ||
          ec.category() != beast::error_code(bhttp::error::bad_target).category()) {
        spdlog::debug("HTTP connection closed: {}", ec.message());
        return;
      }
      const int status = status_for_parse_error(ec);
      spdlog::debug("HTTP bad request: {} -> {}", ec.message(), status);
      send(to_wire(text_response(status, std::string(reason_body(status))), 11, false, false));
      return;
    }
    const RawRequest& msg = parser_->get();
    const bool head = msg.method() == bhttp::verb::head;
    Response r;
    if (msg.method() != bhttp::verb::get && !head) {
      r = text_response(405, "method not allowed\n");
      r.headers.emplace_back("Allow", "GET, HEAD");
    } else {
      Request req;
      if (auto problem = fill_request(msg, req)) {
        r = text_response(400, "bad request: " + *problem + "\n");
      } else {
        r = call_handler(handler_, req);
      }
    }
    spdlog::debug("HTTP {} {} -> {}", msg.method_string(), msg.target(), r.status);
    send(to_wire(std::move(r), msg.version(), msg.keep_alive(), head));
  }

  void send(RawResponse&& res) {
    response_ = std::move(res);
    const bool close = response_.need_eof();
    // The same deadline protects against clients that stop reading a large response.
    stream_.expires_after(kIoTimeout);
    bhttp::async_write(stream_, response_, [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
      self->on_write(close, ec);
    });
  }

  void on_write(bool close, beast::error_code ec) {
    // Free the body now: a keep-alive connection may idle for kIoTimeout holding megabytes.
    response_ = {};
    if (ec) {
      spdlog::debug("HTTP write failed: {}", ec.message());
      return;
    }
    if (close) {
      linger();
      return;
    }
    read_request();
  }

  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    discard();
  }

  void discard() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (!ec && self->lingered_ < kMaxLingerBytes) self->discard();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kReadBufferLimit};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;  // fresh per request
  RawResponse response_;                                             // must outlive async_write
  std::size_t lingered_ = 0;
  const Handler& handler_;
  std::atomic<std::size_t>& connections_;
};

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

}  // namespace

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
    const std::string_view coding = trim(item.substr(0, semi));
    bool acceptable = true;
    std::string_view params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
    while (!params.empty()) {
      const size_t next = params.find(';');
      const std::string_view param = trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      const size_t eq = param.find('=');
      if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), "q")) {
        acceptable = qvalue_positive(param.substr(eq + 1));
      }
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip = acceptable;
    } else if (coding == "*") {
      any = acceptable;
    }
  }
  return gzip.value_or(any.value_or(false));
}

// Which server, if any, the current thread works for; lets stop() refuse to join itself.
thread_local const void* running_on_thread = nullptr;

struct Server::Impl {
  Impl(std::string address, Handler h, int n) : listen_address(std::move(address)), handler(std::move(h)), threads(n) {}

  void start();
  void stop();
  void open_acceptor();
  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void run();

  const std::string listen_address;
  const Handler handler;
  const int threads;
  std::atomic<uint16_t> port{0};
  // Declared before the io_context: sessions destroyed with it still decrement this.
  std::atomic<std::size_t> connections{0};
  std::size_t rejected = 0;  // touched by the accept chain only

  std::mutex lifecycle;  // serialises start() and stop()
  bool started = false;
  bool stopped = false;
  std::vector<std::thread> workers;
  std::optional<net::io_context> ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_retry;
};

void Server::Impl::open_acceptor() {
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error("cannot listen on " + listen_address + ": " + reason);
  };
  util::ListenSpec spec;
  try {
    spec = util::parse_listen_address(listen_address);
  } catch (const std::invalid_argument& e) {
    throw fail(e.what());
  }

  // Candidates in order of preference; `dual` = IPv6 socket that also accepts IPv4.
  struct Candidate {
    tcp::endpoint endpoint;
    bool dual;
  };
  std::vector<Candidate> candidates;
  if (spec.host.empty()) {
    candidates.push_back({tcp::endpoint(net::ip::address_v6::any(), spec.port), true});
    candidates.push_back({tcp::endpoint(net::ip::address_v4::any(), spec.port), false});
  } else if (spec.bracketed) {
    beast::error_code ec;
    const auto addr = net::ip::make_address_v6(spec.host, ec);
    if (ec) throw fail("'" + spec.host + "' is not an IPv6 address");
    candidates.push_back({tcp::endpoint(addr, spec.port), addr.is_unspecified()});
  } else {
    beast::error_code ec;
    const auto addr = net::ip::make_address_v4(spec.host, ec);
    if (!ec) {
      candidates.push_back({tcp::endpoint(addr, spec.port), false});
    } else {
      tcp::resolver resolver(*ioc);
      const auto results = resolver.resolve(spec.host, std::to_string(spec.port),
                                            tcp::resolver::passive | tcp::resolver::numeric_service, ec);
      if (ec) throw fail("cannot resolve '" + spec.host + "': " + ec.message());
      for (const auto& entry : results) candidates.push_back({entry.endpoint(), false});
      if (candidates.empty()) throw fail("'" + spec.host + "' resolves to no address");
    }
  }

  std::string last_error;
  for (const auto& c : candidates) {
    tcp::acceptor a(*ioc);
    beast::error_code ec;
    a.open(c.endpoint.protocol(), ec);
    // SO_REUSEADDR lets a restarted exporter bind while old connections sit in TIME_WAIT; Linux
    // still refuses a second listener on the same port.
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && c.dual) a.set_option(net::ip::v6_only(false), ec);
    if (!ec) a.bind(c.endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) {
      acceptor.emplace(std::move(a));
      return;
    }
    last_error = endpoint_text(c.endpoint) + ": " + ec.message();
  }
  throw fail(last_error);
}

void Server::Impl::start() {
  std::lock_guard lock(lifecycle);
  if (started || stopped) throw std::logic_error("http::Server::start() called twice or after stop()");
  ioc.emplace(threads);
  try {
    open_acceptor();
  } catch (...) {
    ioc.reset();
    throw;
  }
  const tcp::endpoint bound = acceptor->local_endpoint();
  port = bound.port();
  accept_retry.emplace(*ioc);
  work.emplace(net::make_work_guard(*ioc));
  accept();
  workers.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) workers.emplace_back([this] { run(); });
  started = true;
  spdlog::info("HTTP server listening on {} ({})", listen_address, endpoint_text(bound));
}

void Server::Impl::run() {
  running_on_thread = this;
  // Our completion handlers do not throw, but if one ever does (bad_alloc), losing a connection
  // beats losing the thread, let alone the process.
  for (;;) {
    try {
      ioc->run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("HTTP server thread: unexpected exception: {}", e.what());
    } catch (...) {
      spdlog::error("HTTP server thread: unexpected non-standard exception");
    }
  }
}

void Server::Impl::accept() {
  acceptor->async_accept(net::make_strand(*ioc),
                         [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stop()
  if (ec) {
    // Typically EMFILE/ENFILE: retrying at once would spin; a pause lets connections close.
    spdlog::warn("HTTP server: accept failed: {}; retrying in {} ms", ec.message(),
                 std::chrono::milliseconds(kAcceptRetryDelay).count());
    accept_retry->expires_after(kAcceptRetryDelay);
    accept_retry->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  if (connections.load() >= kMaxConnections) {
    if (rejected++ % 100 == 0) {
      spdlog::warn("HTTP server: {} connections open, refusing more ({} refused so far)", kMaxConnections, rejected);
    }
    socket.close(ec);
  } else {
    // Responses go out in one write; without NODELAY a keep-alive client could wait for the
    // delayed-ACK timer on a small one.
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(std::move(socket), handler, connections)->start();
  }
  accept();
}

void Server::Impl::stop() {
  // Checked before taking the lock: a stop() already in progress holds it while joining this very
  // thread.
  if (running_on_thread == this) {
    throw std::logic_error("http::Server::stop() called from a server thread (inside the handler)");
  }
  std::lock_guard lock(lifecycle);
  if (stopped) return;
  stopped = true;
  if (!ioc) return;
  ioc->stop();
  for (auto& w : workers) w.join();
  workers.clear();
  // With the threads gone nothing runs concurrently: close the port now, and destroy the
  // io_context so the sessions still queued in it are destroyed and their sockets closed.
  accept_retry.reset();
  acceptor.reset();
  work.reset();
  ioc.reset();
  spdlog::info("HTTP server on {} stopped", listen_address);
}

Server::Server(std::string listen_address, Handler handler, int threads) {
  if (!handler) throw std::invalid_argument("http::Server: empty handler");
  if (threads < 1) throw std::invalid_argument("http::Server: threads must be >= 1");
  impl_ = std::make_unique<Impl>(std::move(listen_address), std::move(handler), threads);
}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

uint16_t Server::port() const { return impl_->port.load(); }

void Server::stop() { impl_->stop(); }

}  // namespace lagwatch::http
