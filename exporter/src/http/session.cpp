#include "http/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl.hpp>
#include <string>

namespace lagwatch::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// The read buffer only ever holds the header and a slice of the body (the parser moves body bytes
// out), so it can stay small; it must exceed kMaxHeaderBytes for header_limit to fire first.
constexpr std::size_t kReadBufferLimit = 64 * 1024;
// What the wait for the first byte of a keep-alive request reads at once.
constexpr std::size_t kFirstReadBytes = 4096;
// After an error response the client may still be sending (an oversized header or body). Closing
// with unread data makes the kernel send RST, which can destroy our response in the client's
// receive buffer before it reads it; so read and discard for a while first ("lingering close").
constexpr auto kLingerTimeout = 5s;
constexpr std::size_t kMaxLingerBytes = 2 * 1024 * 1024;

long long ms(std::chrono::milliseconds d) { return static_cast<long long>(d.count()); }

Response call_handler(const Handler& handler, const Request& req) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    // The exception text may quote request data too.
    spdlog::error("HTTP handler for {} {} failed: {}", escape_for_log(req.method), escape_for_log(req.target),
                  escape_for_log(e.what(), 500));
  } catch (...) {
    spdlog::error("HTTP handler for {} {} failed with a non-standard exception", escape_for_log(req.method),
                  escape_for_log(req.target));
  }
  return text_response(500, "internal server error\n");
}

template <class Stream>
Stream make_stream(tcp::socket&& socket, const WebSecurityState* security) {
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    return Stream(std::move(socket));
  } else {
    return Stream(std::move(socket), *security->tls);
  }
}

}  // namespace

template <class Stream>
StreamSession<Stream>::StreamSession(tcp::socket&& socket, const SessionContext& context,
                                     std::shared_ptr<const WebSecurityState> security)
    : accepted_under_(std::move(security)),
      stream_(make_stream<Stream>(std::move(socket), accepted_under_.get())),
      buffer_(kReadBufferLimit),
      context_(context) {
  beast::error_code ec;
  const auto ep = lowest().socket().remote_endpoint(ec);
  if (!ec) {
    peer_ = (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string()) + ":" +
            std::to_string(ep.port());
  } else {
    peer_ = "unknown peer";
  }
}

template <class Stream>
StreamSession<Stream>::~StreamSession() {
  if (id_ != 0) context_.registry.remove(id_);
}

template <class Stream>
void StreamSession<Stream>::start() {
  id_ = context_.registry.add(this->weak_from_this());
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (kTls) {
      // The handshake counts against the first request's head deadline, from accept.
      self->lowest().expires_at(self->accepted_at_ + self->context_.options.read_header_timeout);
      self->stream_.async_handshake(net::ssl::stream_base::server,
                                    [self](beast::error_code ec) { self->on_handshake(ec); });
    } else {
      self->await_request(true);
    }
  });
}

template <class Stream>
void StreamSession<Stream>::on_handshake(beast::error_code ec) {
  if constexpr (kTls) {
    if (closed_ || ec == net::error::operation_aborted) return;
    if (ec) {
      if (ec == beast::error::timeout) {
        context_.log.note(spdlog::level::warn, "http.tls_handshake_timeout",
                          fmt::format("HTTP server: closed a connection from {} whose TLS handshake was not "
                                      "complete within {} ms",
                                      peer_, ms(context_.options.read_header_timeout)));
      } else {
        // "http request" when a client speaks plain HTTP to the HTTPS port.
        context_.log.note(
            spdlog::level::warn, "http.tls_handshake",
            fmt::format("HTTP server: TLS handshake with {} failed: {}", peer_, escape_for_log(ec.message(), 300)));
      }
      close_now();
      return;
    }
    if (auto problem = client_certificate_problem(stream_.native_handle(), *accepted_under_->file.tls)) {
      context_.log.note(spdlog::level::warn, "http.tls_client_cert",
                        fmt::format("HTTP server: refused the TLS connection from {}: {}", peer_, *problem));
      close_now();
      return;
    }
    await_request(true);
  }
}

template <class Stream>
void StreamSession<Stream>::evict() {
  net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
}

template <class Stream>
void StreamSession<Stream>::close_now() {
  if (closed_) return;
  closed_ = true;
  // Cancels the pending read or write; its handler sees operation_aborted and lets go of `this`.
  lowest().close();
}

template <class Stream>
bool StreamSession<Stream>::enter(ConnectionState state) {
  if (closed_) return false;
  if (!context_.registry.set_state(id_, state)) {
    close_now();  // chosen for eviction while its operation was completing
    return false;
  }
  state_ = state;
  return true;
}

template <class Stream>
void StreamSession<Stream>::await_request(bool first) {
  parser_.emplace();
  configure_parser(*parser_);
  if (first || buffer_.size() > 0) {
    // A new connection's head deadline runs from accept; a pipelined request's bytes are here.
    read_head();
    return;
  }
  if (!enter(ConnectionState::kIdle)) return;
  lowest().expires_after(context_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                          beast::bind_front_handler(&StreamSession::on_first_bytes, this->shared_from_this()));
}

template <class Stream>
void StreamSession<Stream>::on_first_bytes(beast::error_code ec, std::size_t n) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  buffer_.commit(n);
  read_head();
}

template <class Stream>
void StreamSession<Stream>::read_head() {
  if (!enter(ConnectionState::kReadingHead)) return;
  // A new connection's first head is due read_header_timeout after accept (for TLS, the
  // handshake included).
  request_started_ = first_request_ ? accepted_at_ : Clock::now();
  first_request_ = false;
  // Armed once per request: every read of the head counts against the same deadline, so a
  // client sending a byte at a time cannot hold the connection past it.
  lowest().expires_at(request_started_ + context_.options.read_header_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&StreamSession::on_head, this->shared_from_this()));
}

template <class Stream>
void StreamSession<Stream>::on_head(beast::error_code ec, std::size_t) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  if (parser_->is_done()) {
    answer();
    return;
  }
  if (!enter(ConnectionState::kReadingBody)) return;
  lowest().expires_at(request_started_ + context_.options.read_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&StreamSession::on_body, this->shared_from_this()));
}

template <class Stream>
void StreamSession<Stream>::on_body(beast::error_code ec, std::size_t) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  answer();
}

template <class Stream>
void StreamSession<Stream>::on_read_error(beast::error_code ec) {
  if (ec == net::error::operation_aborted || closed_) return;  // evicted or stopping
  const auto& o = context_.options;
  if (ec == beast::error::timeout) {
    switch (state_) {
      case ConnectionState::kIdle:
        context_.log.note(
            spdlog::level::info, "http.idle_timeout",
            fmt::format("HTTP server: closed a keep-alive connection idle for {} ms", ms(o.idle_timeout)));
        break;
      case ConnectionState::kReadingHead:
        context_.log.note(spdlog::level::warn, "http.head_timeout",
                          fmt::format("HTTP server: closed a connection whose request head was not complete within "
                                      "{} ms (slow or stalled client)",
                                      ms(o.read_header_timeout)));
        break;
      default:
        context_.log.note(spdlog::level::warn, "http.read_timeout",
                          fmt::format("HTTP server: closed a connection whose request was not complete within {} ms",
                                      ms(o.read_timeout)));
    }
    return;
  }
  // A client closing between requests, or a transport error (reset, ...): nobody left to answer.
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec.category() != beast::error_code(bhttp::error::bad_target).category()) {
    spdlog::debug("HTTP connection closed: {}", ec.message());
    return;
  }
  const ParsedRequest failed = parse_failure(ec);
  spdlog::debug("HTTP bad request: {} -> {}", ec.message(), failed.status);
  if (!enter(ConnectionState::kBusy)) return;
  send(to_wire(error_response(failed, o.accept_post), 11, false, false));
}

template <class Stream>
void StreamSession<Stream>::answer() {
  if (!enter(ConnectionState::kBusy)) return;
  const RawRequest& msg = parser_->get();
  const bool head = msg.method() == bhttp::verb::head;
  const ParsedRequest parsed = check_request(msg, context_.options.accept_post);
  std::shared_ptr<const WebSecurityState> security = context_.security ? context_.security->current() : nullptr;
  Response r;
  if (parsed.status != 0) {
    r = error_response(parsed, context_.options.accept_post);
  } else if (auto refusal = refuse_unauthorized(parsed.request, security.get())) {
    r = std::move(*refusal);
  } else {
    r = call_handler(context_.handler, parsed.request);
  }
  if (security) {
    for (const auto& [name, value] : security->file.headers) r.headers.emplace_back(name, value);
  }
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("HTTP {} {} -> {}", escape_for_log(msg.method_string()), escape_for_log(msg.target()), r.status);
  }
  const bool keep_alive = msg.keep_alive() && parsed.keep_open;
  const unsigned version = msg.version();
  parser_.reset();  // frees a POST body before the response is written
  send(to_wire(std::move(r), version, keep_alive, head));
}

template <class Stream>
std::optional<Response> StreamSession<Stream>::refuse_unauthorized(const Request& request,
                                                                   const WebSecurityState* security) {
  if (security == nullptr || !security->auth || context_.security->is_open_path(request.path)) return std::nullopt;
  const auto it = request.headers.find("authorization");
  const AuthDecision d = security->auth->check(it == request.headers.end() ? std::string_view() : it->second);
  if (d.kind == AuthDecision::kOk) return std::nullopt;
  // Never the password nor the header: the user name (escaped) and where the request came from.
  const std::string user = d.user.empty() ? std::string() : " (user \"" + escape_for_log(d.user, 100) + "\")";
  context_.log.note(spdlog::level::warn, std::string("http.auth:") + auth_reason(d.kind),
                    fmt::format("HTTP server: refused {} {} from {}: {}{}", escape_for_log(request.method),
                                escape_for_log(request.path, 200), peer_, auth_reason(d.kind), user));
  if (d.kind == AuthDecision::kBusy) {
    Response r = text_response(429, "too many password checks at once; retry shortly\n");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  Response r = text_response(401, "unauthorized\n");
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"lagwatch\"");
  return r;
}

template <class Stream>
void StreamSession<Stream>::send(WireResponse&& res) {
  response_ = std::move(res);
  const bool close = response_.need_eof();
  // Protects against clients that stop reading a large response.
  lowest().expires_after(context_.options.write_timeout);
  bhttp::async_write(stream_, response_, [self = this->shared_from_this(), close](beast::error_code ec, std::size_t) {
    self->on_write(close, ec);
  });
}

template <class Stream>
void StreamSession<Stream>::on_write(bool close, beast::error_code ec) {
  // Free the body now: a keep-alive connection may idle for a long time holding megabytes.
  response_ = {};
  if (ec) {
    if (ec == beast::error::timeout) {
      context_.log.note(spdlog::level::warn, "http.write_timeout",
                        fmt::format("HTTP server: closed a connection that did not read its response within {} ms",
                                    ms(context_.options.write_timeout)));
    } else if (ec != net::error::operation_aborted) {
      spdlog::debug("HTTP write failed: {}", ec.message());
    }
    return;
  }
  if (close) {
    linger();
    return;
  }
  await_request(false);
}

template <class Stream>
void StreamSession<Stream>::linger() {
  if (!enter(ConnectionState::kClosing)) return;
  beast::error_code ignored;
  lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
  lowest().expires_after(kLingerTimeout);
  discard();
}

template <class Stream>
void StreamSession<Stream>::discard() {
  buffer_.consume(buffer_.size());
  // From the socket itself: over TLS, what is left is discarded undecrypted.
  lowest().async_read_some(buffer_.prepare(16 * 1024),
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->lingered_ += n;
                             if (!ec && self->lingered_ < kMaxLingerBytes) self->discard();
                           });
}

template class StreamSession<beast::tcp_stream>;
template class StreamSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace lagwatch::http
