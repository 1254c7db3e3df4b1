#include "http/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
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

}  // namespace

Session::Session(tcp::socket&& socket, const SessionContext& context)
    : stream_(std::move(socket)), buffer_(kReadBufferLimit), context_(context) {}

Session::~Session() {
  if (id_ != 0) context_.registry.remove(id_);
}

void Session::start() {
  id_ = context_.registry.add(weak_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->await_request(true); });
}

void Session::evict() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
}

void Session::close_now() {
  if (closed_) return;
  closed_ = true;
  // Cancels the pending read or write; its handler sees operation_aborted and lets go of `this`.
  stream_.close();
}

bool Session::enter(ConnectionState state) {
  if (closed_) return false;
  if (!context_.registry.set_state(id_, state)) {
    close_now();  // chosen for eviction while its operation was completing
    return false;
  }
  state_ = state;
  return true;
}

void Session::await_request(bool first) {
  parser_.emplace();
  configure_parser(*parser_);
  if (first || buffer_.size() > 0) {
    // A new connection's head deadline runs from accept; a pipelined request's bytes are here.
    read_head();
    return;
  }
  if (!enter(ConnectionState::kIdle)) return;
  stream_.expires_after(context_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                          beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
}

void Session::on_first_bytes(beast::error_code ec, std::size_t n) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  buffer_.commit(n);
  read_head();
}

void Session::read_head() {
  if (!enter(ConnectionState::kReadingHead)) return;
  request_started_ = Clock::now();
  // Armed once per request: every read of the head counts against the same deadline, so a
  // client sending a byte at a time cannot hold the connection past it.
  stream_.expires_at(request_started_ + context_.options.read_header_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_head, shared_from_this()));
}

void Session::on_head(beast::error_code ec, std::size_t) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  if (parser_->is_done()) {
    answer();
    return;
  }
  if (!enter(ConnectionState::kReadingBody)) return;
  stream_.expires_at(request_started_ + context_.options.read_timeout);
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
}

void Session::on_body(beast::error_code ec, std::size_t) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  answer();
}

void Session::on_read_error(beast::error_code ec) {
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

void Session::answer() {
  if (!enter(ConnectionState::kBusy)) return;
  const RawRequest& msg = parser_->get();
  const bool head = msg.method() == bhttp::verb::head;
  const ParsedRequest parsed = check_request(msg, context_.options.accept_post);
  Response r = parsed.status == 0 ? call_handler(context_.handler, parsed.request)
                                  : error_response(parsed, context_.options.accept_post);
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("HTTP {} {} -> {}", escape_for_log(msg.method_string()), escape_for_log(msg.target()), r.status);
  }
  const bool keep_alive = msg.keep_alive() && parsed.keep_open;
  const unsigned version = msg.version();
  parser_.reset();  // frees a POST body before the response is written
  send(to_wire(std::move(r), version, keep_alive, head));
}

void Session::send(WireResponse&& res) {
  response_ = std::move(res);
  const bool close = response_.need_eof();
  // Protects against clients that stop reading a large response.
  stream_.expires_after(context_.options.write_timeout);
  bhttp::async_write(stream_, response_, [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
    self->on_write(close, ec);
  });
}

void Session::on_write(bool close, beast::error_code ec) {
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

void Session::linger() {
  if (!enter(ConnectionState::kClosing)) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLingerTimeout);
  discard();
}

void Session::discard() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->lingered_ += n;
    if (!ec && self->lingered_ < kMaxLingerBytes) self->discard();
  });
}

}  // namespace lagwatch::http
