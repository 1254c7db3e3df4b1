// The acceptor, the threads, and the connection cap: who gets a session, whom to evict for it,
// and the 503 for when nobody can be evicted. Sessions themselves are in session.cpp.
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "http/connection_registry.hpp"
#include "http/session.hpp"
#include "util/listen_address.hpp"
#include "util/rate_limited_log.hpp"

namespace lagwatch::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kAcceptRetryDelay = 100ms;
// A refused client gets a short answer; one that does not read it within this is not waited for.
constexpr auto kRefusalTimeout = 2s;
// Refusals being written at once. Each holds a descriptor, so past this a flood is closed without
// an answer rather than growing the set of open sockets the cap is there to bound.
constexpr std::size_t kMaxPendingRefusals = 64;
constexpr std::string_view kRefusal =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Server: lagwatch\r\n"
    "Retry-After: 1\r\n"
    "Connection: close\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 41\r\n"
    "\r\n"
    "too many connections busy; retry shortly\n";
static_assert(std::string_view("too many connections busy; retry shortly\n").size() == 41);

long long ms(std::chrono::milliseconds d) { return static_cast<long long>(d.count()); }

// Answers one connection 503 without reading its request, then drains what the client sends until
// it closes or kRefusalTimeout: closing with unread data would reset the connection and could
// destroy the answer before the client reads it.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket&& socket, std::atomic<std::size_t>& pending) : stream_(std::move(socket)), pending_(pending) {
    pending_.fetch_add(1);
  }
  ~Refusal() { pending_.fetch_sub(1); }
  Refusal(const Refusal&) = delete;
  Refusal& operator=(const Refusal&) = delete;

  void start() {
    // One deadline for the write and the drain together.
    stream_.expires_after(kRefusalTimeout);
    net::async_write(stream_, net::buffer(kRefusal.data(), kRefusal.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       beast::error_code ignored;
                       self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                       self->drain();
                     });
  }

 private:
  void drain() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->drain();
    });
  }

  beast::tcp_stream stream_;
  std::atomic<std::size_t>& pending_;
  char scratch_[1024];
};

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

void check_range(std::chrono::milliseconds v, std::chrono::milliseconds lo, std::chrono::milliseconds hi,
                 const char* name) {
  if (v < lo || v > hi) {
    throw std::invalid_argument("http::Server: " + std::string(name) + " must be between " +
                                std::to_string(lo.count()) + " and " + std::to_string(hi.count()) + " ms, not " +
                                std::to_string(v.count()));
  }
}

}  // namespace

void validate(const ServerOptions& o) {
  constexpr std::chrono::milliseconds kMin = 100ms;
  constexpr std::chrono::milliseconds kMax = 1h;
  check_range(o.read_header_timeout, kMin, o.read_timeout < kMax ? o.read_timeout : kMax,
              "read_header_timeout (at most read_timeout)");
  check_range(o.read_timeout, kMin, kMax, "read_timeout");
  check_range(o.write_timeout, kMin, kMax, "write_timeout");
  check_range(o.idle_timeout, kMin, kMax, "idle_timeout");
  if (o.max_connections < 1 || o.max_connections > 1'000'000) {
    throw std::invalid_argument("http::Server: max_connections must be between 1 and 1000000, not " +
                                std::to_string(o.max_connections));
  }
}

// Which server, if any, the current thread works for; lets stop() refuse to join itself.
thread_local const void* running_on_thread = nullptr;

struct Server::Impl {
  Impl(std::string address, Handler h, ServerOptions o, int n)
      : listen_address(std::move(address)),
        handler(std::move(h)),
        options(o),
        threads(n),
        registry(o.max_connections),
        context{handler, options, registry, log, options.security.get()} {}

  void start();
  void stop();
  void open_acceptor();
  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void admit(tcp::socket socket);
  bool evict_one(const char* why);
  void run();

  const std::string listen_address;
  const Handler handler;
  const ServerOptions options;
  const int threads;
  std::atomic<uint16_t> port{0};
  // Declared before the io_context: sessions and refusals destroyed with it still use these.
  util::RateLimitedLog log;
  ConnectionRegistry registry;
  std::atomic<std::size_t> pending_refusals{0};
  const SessionContext context;

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
  // One accept outstanding at a time: on_accept runs one call after another, so the check for
  // room and the registration that follows it cannot interleave with another accept.
  acceptor->async_accept(net::make_strand(*ioc),
                         [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

// Closes the connection the registry offers to make room; false when every connection is busy.
bool Server::Impl::evict_one(const char* why) {
  const auto victim = registry.choose_victim();
  if (!victim) return false;
  if (const auto session = victim->session.lock()) session->evict();
  if (victim->state == ConnectionState::kReadingHead || victim->state == ConnectionState::kReadingBody) {
    log.note(spdlog::level::warn, "http.evicted_head",
             fmt::format("HTTP server: {}; closed the connection that had been sending its request the longest "
                         "(slow client)",
                         why));
  } else {
    log.note(spdlog::level::info, "http.evicted_idle",
             fmt::format("HTTP server: {}; closed the longest-idle keep-alive connection", why));
  }
  return true;
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stop()
  if (ec) {
    // Typically EMFILE/ENFILE. Retrying at once would spin; a pause lets connections close, and
    // closing a waiting one frees a descriptor for a client that will be served.
    if (ec == net::error::no_descriptors) evict_one("out of file descriptors");
    log.note(spdlog::level::warn, "http.accept_error:" + ec.message(),
             fmt::format("HTTP server: accept failed: {}; retrying in {} ms", ec.message(), ms(kAcceptRetryDelay)));
    accept_retry->expires_after(kAcceptRetryDelay);
    accept_retry->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  admit(std::move(socket));
  accept();
}

void Server::Impl::admit(tcp::socket socket) {
  beast::error_code ec;
  if (!registry.has_room()) {
    const std::string why = fmt::format("{} connections open", options.max_connections);
    if (!evict_one(why.c_str())) {
      if (pending_refusals.load() < kMaxPendingRefusals) {
        log.note(spdlog::level::warn, "http.refused",
                 fmt::format("HTTP server: {} connections open and all busy; answered a new one 503",
                             options.max_connections));
        std::make_shared<Refusal>(std::move(socket), pending_refusals)->start();
      } else {
        log.note(spdlog::level::warn, "http.refused_silently",
                 fmt::format("HTTP server: {} connections open and all busy, {} refusals pending; closed a new "
                             "connection without an answer",
                             options.max_connections, kMaxPendingRefusals));
        socket.close(ec);
      }
      return;
    }
  }
  // Responses go out in one write; without NODELAY a keep-alive client could wait for the
  // delayed-ACK timer on a small one.
  socket.set_option(tcp::no_delay(true), ec);
  // The web config in force now decides, for this connection, the TLS context (a renewed
  // certificate is used from the next connection on).
  auto security = options.security ? options.security->current() : nullptr;
  if (security && security->tls) {
    std::make_shared<TlsSession>(std::move(socket), context, std::move(security))->start();
  } else {
    std::make_shared<PlainSession>(std::move(socket), context, std::move(security))->start();
  }
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
  log.flush();
  spdlog::info("HTTP server on {} stopped", listen_address);
}

Server::Server(std::string listen_address, Handler handler, ServerOptions options, int threads) {
  if (!handler) throw std::invalid_argument("http::Server: empty handler");
  if (threads < 1) throw std::invalid_argument("http::Server: threads must be >= 1");
  validate(options);
  impl_ = std::make_unique<Impl>(std::move(listen_address), std::move(handler), options, threads);
}

Server::Server(std::string listen_address, Handler handler, int threads)
    : Server(std::move(listen_address), std::move(handler), ServerOptions{}, threads) {}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

uint16_t Server::port() const { return impl_->port.load(); }

const ServerOptions& Server::options() const { return impl_->options; }

std::size_t Server::open_connections() const { return impl_->registry.open(); }

void Server::stop() { impl_->stop(); }

}  // namespace lagwatch::http
