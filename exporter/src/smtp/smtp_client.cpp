#include "smtp/smtp_client.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <mutex>
#include <set>
#include <stdexcept>

#include "http_client/cancellation.hpp"
#include "http_client/http_client.hpp"
#include "http_client/tls_client.hpp"
#include "smtp/message.hpp"
#include "smtp/reply.hpp"
#include "util/base64.hpp"
#include "util/duration_text.hpp"

namespace lagwatch::smtp {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Letters, digits, '-' and '.', as a host name in EHLO is (RFC 5321 4.1.2 Domain).
bool host_name_like(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

std::string default_helo_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0 && host_name_like(buf)) return buf;
  return "localhost";
}

bool loopback_host(const std::string& host) {
  if (upper(host) == "LOCALHOST" || upper(host) == "LOCALHOST.") return true;
  error_code ec;
  const auto address = net::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    // Uniqueness matters here, not secrecy: the clock is good enough.
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<unsigned char>(now >> ((i % 8) * 8));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// One send(): the connection and the exchange, written as a sequence of steps, each of which
// starts one asynchronous operation and runs the io_context until it completes, the deadline
// cancels it, or cancel() stops the io_context.
class Session {
 public:
  Session(net::io_context& ioc, ssl::context& tls_context, const ClientOptions& options, const std::string& helo,
          std::chrono::milliseconds timeout)
      : ioc_(ioc),
        tls_context_(tls_context),
        options_(options),
        helo_(helo),
        timeout_(timeout),
        resolver_(ioc),
        socket_(ioc),
        deadline_(ioc) {
    deadline_.expires_after(timeout);
    deadline_.async_wait([this](const error_code& ec) {
      if (ec) return;
      timed_out_ = true;
      resolver_.cancel();
      error_code ignored;
      socket_.cancel(ignored);
    });
  }

  Outcome run(const Message& message) {
    if (!connect()) return out_;
    if (options_.security == Security::tls && !start_tls()) return out_;
    step_ = "greeting";
    Reply reply;
    if (!read_reply(reply) || !expect(reply, 220)) return out_;
    if (!hello()) return out_;
    if (options_.security == Security::starttls) {
      if (!extensions_.count("STARTTLS")) {
        return refuse("the server does not offer STARTTLS, which security: starttls requires (nothing was sent)");
      }
      if (!command("STARTTLS", "STARTTLS", reply) || !expect(reply, 220)) return out_;
      // Bytes that came with the 220 were sent before TLS: injected (CVE-2011-0411 and kin).
      if (!in_.empty()) return refuse("STARTTLS: the server sent data before the TLS handshake");
      if (!start_tls() || !hello()) return out_;
    }
    if (!options_.username.empty() && !authenticate()) return out_;

    if (!command("MAIL FROM:<" + message.from + ">", "MAIL FROM:<" + message.from + ">", reply) ||
        !expect(reply, 250)) {
      return out_;
    }
    for (const auto& to : message.to) {
      const std::string step = "RCPT TO:<" + to + ">";
      if (!command(step, step, reply)) return out_;
      if (reply.code != 251 && !expect(reply, 250)) return out_;
    }
    if (!command("DATA", "DATA", reply) || !expect(reply, 354)) return out_;
    const std::string domain = message.from.substr(message.from.rfind('@') + 1);
    const std::string text = render_message(message, std::chrono::system_clock::now(), random_hex(16) + "@" + domain,
                                            "lagwatch-" + random_hex(12));
    step_ = "message";
    if (!write(dot_stuff(text))) return out_;
    step_ = "end of DATA";
    if (!read_reply(reply) || !expect(reply, 250)) return out_;
    const int accepted = reply.code;
    // QUIT is a courtesy: the message is accepted whatever happens now.
    step_ = "QUIT";
    if (write("QUIT\r\n")) read_reply(reply);
    out_ = Outcome{};
    out_.ok = true;
    out_.reply_code = accepted;
    return out_;
  }

  bool stopped() const { return stopped_; }

 private:
  // Runs the io_context until `finished`; false when cancel() stopped it.
  bool pump(const bool& finished) {
    while (!finished) {
      if (ioc_.run_one() == 0) {
        stopped_ = true;
        return false;
      }
    }
    return true;
  }

  bool fail(std::string error, bool retryable, int code = 0) {
    out_.ok = false;
    out_.error = server_address(options_) + ": " + std::move(error);
    out_.retryable = retryable;
    out_.reply_code = code;
    return false;
  }
  Outcome refuse(std::string error) {
    fail(std::move(error), false);
    return out_;
  }
  bool network_failure(const error_code& ec) {
    if (stopped_) return false;
    if (timed_out_) return fail("no answer within " + util::duration_text(timeout_) + " (" + step_ + ")", true);
    if (ec == net::error::eof || ec == ssl::error::stream_truncated) {
      return fail(step_ + ": the server closed the connection", true);
    }
    return fail(step_ + ": " + ec.message(), true);
  }

  bool connect() {
    step_ = "connect";
    error_code ec;
    bool finished = false;
    const auto literal = net::ip::make_address(options_.host, ec);
    if (!ec) {
      // An IP address needs no resolver (whose system call could not be interrupted).
      socket_.async_connect(tcp::endpoint(literal, options_.port), [&](const error_code& e) {
        ec = e;
        finished = true;
      });
      if (!pump(finished)) return false;
      return ec ? network_failure(ec) : true;
    }
    step_ = "resolve";
    tcp::resolver::results_type results;
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [&](const error_code& e, const tcp::resolver::results_type& r) {
                              ec = e;
                              results = r;
                              finished = true;
                            });
    if (!pump(finished)) return false;
    if (ec) return network_failure(ec);
    step_ = "connect";
    if (timed_out_) return network_failure({});
    finished = false;
    net::async_connect(socket_, results, [&](const error_code& e, const tcp::endpoint&) {
      ec = e;
      finished = true;
    });
    if (!pump(finished)) return false;
    return ec ? network_failure(ec) : true;
  }

  bool start_tls() {
    step_ = "TLS handshake";
    if (timed_out_) return network_failure({});
    tls_.emplace(socket_, tls_context_);
    http_client::set_tls_peer(tls_->native_handle(), options_.host, !options_.insecure_skip_verify);
    error_code ec;
    bool finished = false;
    tls_->async_handshake(ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      finished = true;
    });
    if (!pump(finished)) return false;
    if (!ec) return true;
    if (auto refused = http_client::tls_verify_failure(tls_->native_handle()); refused && !timed_out_) {
      return fail("TLS: " + *refused, false);
    }
    return network_failure(ec);
  }

  bool write(const std::string& data) {
    if (timed_out_) return network_failure({});
    error_code ec;
    bool finished = false;
    auto done = [&](const error_code& e, std::size_t) {
      ec = e;
      finished = true;
    };
    if (tls_) {
      net::async_write(*tls_, net::buffer(data), done);
    } else {
      net::async_write(socket_, net::buffer(data), done);
    }
    if (!pump(finished)) return false;
    return ec ? network_failure(ec) : true;
  }

  bool read_reply(Reply& reply) {
    for (;;) {
      ParsedReply parsed = parse_reply(in_);
      if (parsed.status == ParsedReply::Status::complete) {
        reply = std::move(parsed.reply);
        in_.erase(0, parsed.consumed);
        return true;
      }
      if (parsed.status == ParsedReply::Status::malformed) {
        return fail(step_ + ": malformed reply: " + parsed.error, true);
      }
      if (timed_out_) return network_failure({});
      char chunk[4096];
      error_code ec;
      std::size_t n = 0;
      bool finished = false;
      auto done = [&](const error_code& e, std::size_t k) {
        ec = e;
        n = k;
        finished = true;
      };
      if (tls_) {
        tls_->async_read_some(net::buffer(chunk), done);
      } else {
        socket_.async_read_some(net::buffer(chunk), done);
      }
      if (!pump(finished)) return false;
      in_.append(chunk, n);
      if (ec) return network_failure(ec);
    }
  }

  // Sends `line` (CRLF added) and reads the reply; `step` names it in errors (for AUTH, a
  // name that does not quote what the line carries).
  bool command(const std::string& line, const std::string& step, Reply& reply) {
    step_ = step;
    return write(line + "\r\n") && read_reply(reply);
  }

  bool expect(const Reply& reply, int code) {
    if (reply.code == code) return true;
    return fail(step_ + ": " + reply.summary(), reply.code / 100 == 4, reply.code);
  }

  bool hello() {
    Reply reply;
    if (!command("EHLO " + helo_, "EHLO", reply)) return false;
    extensions_.clear();
    auth_.clear();
    if (reply.code == 250) {
      for (size_t i = 1; i < reply.lines.size(); ++i) {
        const std::string line = upper(reply.lines[i]);
        const size_t space = line.find_first_of(" =");
        const std::string keyword = line.substr(0, space);
        extensions_.insert(keyword);
        if (keyword == "AUTH" && space != std::string::npos) {
          size_t pos = space + 1;
          while (pos < line.size()) {
            const size_t end = std::min(line.find(' ', pos), line.size());
            if (end > pos) auth_.insert(line.substr(pos, end - pos));
            pos = end + 1;
          }
        }
      }
      return true;
    }
    // An old server without ESMTP: HELO, when neither STARTTLS nor AUTH is needed.
    const bool helo_will_do = options_.security != Security::starttls && options_.username.empty();
    if (reply.code / 100 == 5 && helo_will_do) {
      if (!command("HELO " + helo_, "HELO", reply)) return false;
      return expect(reply, 250);
    }
    step_ = "EHLO";
    return expect(reply, 250);
  }

  bool authenticate() {
    if (!tls_ && !loopback_host(options_.host)) {
      return fail("refusing to send credentials without TLS to a host that is not loopback (security: none)", false);
    }
    Reply reply;
    if (auth_.count("PLAIN")) {
      const std::string token = std::string(1, '\0') + options_.username + '\0' + options_.password;
      if (!command("AUTH PLAIN " + util::base64_encode(token), "AUTH PLAIN", reply)) return false;
      return expect(reply, 235);
    }
    if (auth_.count("LOGIN")) {
      if (!command("AUTH LOGIN", "AUTH LOGIN", reply) || !expect(reply, 334)) return false;
      if (!command(util::base64_encode(options_.username), "AUTH LOGIN (user name)", reply) || !expect(reply, 334))
        return false;
      if (!command(util::base64_encode(options_.password), "AUTH LOGIN (password)", reply)) return false;
      return expect(reply, 235);
    }
    std::string offered;
    for (const auto& m : auth_) offered += (offered.empty() ? "" : " ") + m;
    return fail(offered.empty() ? "the server offers no AUTH, and a username is set"
                                : "the server offers neither AUTH PLAIN nor AUTH LOGIN (offers: " + offered + ")",
                false);
  }

  net::io_context& ioc_;
  ssl::context& tls_context_;
  const ClientOptions& options_;
  const std::string& helo_;
  const std::chrono::milliseconds timeout_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  std::optional<ssl::stream<tcp::socket&>> tls_;
  net::steady_timer deadline_;
  std::string in_;  // received, not yet parsed
  std::string step_;
  std::set<std::string> extensions_;  // EHLO keywords, upper case
  std::set<std::string> auth_;        // AUTH mechanisms, upper case
  bool timed_out_ = false;
  bool stopped_ = false;
  Outcome out_;
};

// `text` with every occurrence of a secret (and its base64 forms) replaced by "<secret>".
void scrub(std::string& text, const ClientOptions& o) {
  if (o.password.empty()) return;
  const std::string secrets[] = {std::string(1, '\0') + o.username + '\0' + o.password, o.password,
                                 util::base64_encode(std::string(1, '\0') + o.username + '\0' + o.password),
                                 util::base64_encode(o.password)};
  for (const auto& s : secrets) {
    for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 8)) {
      text.replace(pos, s.size(), "<secret>");
    }
  }
}

}  // namespace

std::string server_address(const ClientOptions& o) {
  return (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
}

std::optional<std::string> address_problem(const std::string& address) {
  if (address.empty()) return "empty address";
  if (address.size() > 254) return "address longer than 254 bytes";
  if (address.find_first_of("\r\n") != std::string::npos) return "address contains a line break";
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return "address contains a control character";
    if (u >= 0x80) return "address is not ASCII (SMTPUTF8 is not supported)";
    if (c == ' ' || c == '\t') return "address contains a space (give the address alone, without a display name)";
    if (c == '<' || c == '>') return "address contains '<' or '>' (give the address alone, without a display name)";
    if (c == '"' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']') {
      return std::string("address contains '") + c + "'";
    }
  }
  const size_t at = address.rfind('@');
  if (at == std::string::npos) return "address has no '@'";
  if (address.find('@') != at) return "address has more than one '@'";
  const std::string local = address.substr(0, at);
  const std::string domain = address.substr(at + 1);
  if (local.empty()) return "address has nothing before '@'";
  if (local.size() > 64) return "address has more than 64 bytes before '@'";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return "address has a misplaced '.' before '@'";
  }
  if (domain.empty()) return "address has no domain after '@'";
  if (!host_name_like(domain) || domain.front() == '.' || domain.back() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string::npos) {
    return "address has an invalid domain \"" + domain + "\"";
  }
  return std::nullopt;
}

std::optional<std::string> message_problem(const Message& message) {
  if (auto p = address_problem(message.from)) return "from: " + *p;
  for (char c : message.from_name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      return "from_name: contains a quote, a backslash or a control character";
    }
  }
  if (message.to.empty()) return "to: no recipient";
  for (const auto& to : message.to) {
    if (auto p = address_problem(to)) return "to: " + *p;
  }
  if (message.subject.find_first_of("\r\n") != std::string::npos) return "subject: contains a line break";
  return std::nullopt;
}

std::optional<std::string> options_problem(const ClientOptions& options) {
  if (options.host.empty()) return "host: empty";
  if (options.host.find_first_of(" \t\r\n/") != std::string::npos) return "host: not a host name or IP address";
  if (options.port == 0) return "port: 0";
  if (!options.helo_name.empty() && !host_name_like(options.helo_name)) {
    return "helo_name: not a host name (letters, digits, '-' and '.')";
  }
  if (options.username.find('\0') != std::string::npos || options.password.find('\0') != std::string::npos) {
    return "username or password contains a NUL byte";
  }
  if (options.security == Security::none && !options.username.empty() && !loopback_host(options.host)) {
    return "username: credentials are not sent without TLS (security: none) except to a loopback host";
  }
  if (!options.ca_file.empty() && !options.insecure_skip_verify) {
    if (auto p = http_client::ca_file_problem(options.ca_file)) return "ca_file: " + *p;
  }
  return std::nullopt;
}

struct Client::Impl {
  http_client::Cancellation cancellation;
  ClientOptions options;
  std::string helo;
  std::unique_ptr<ssl::context> tls;
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  if (auto p = options_problem(options)) throw std::invalid_argument(*p);
  impl_->helo = options.helo_name.empty() ? default_helo_name() : options.helo_name;
  impl_->tls = http_client::make_tls_client_context(options.ca_file, options.insecure_skip_verify);
  impl_->options = std::move(options);
}

Client::~Client() = default;

void Client::cancel() { impl_->cancellation.cancel(); }

Outcome Client::send(const Message& message, std::chrono::milliseconds timeout) {
  if (auto p = message_problem(message)) {
    Outcome out;
    out.error = "message not sent: " + *p;
    return out;
  }
  // A fresh io_context per send: when one is abandoned (cancel), destroying it discards the
  // handlers still queued, which refer to the session's steps, without running them.
  net::io_context ioc;
  const http_client::Cancellation::Exchange registered(impl_->cancellation, ioc);
  if (registered.cancelled()) return {false, true, true, 0, "cancelled"};

  Outcome out;
  {
    Session session(ioc, *impl_->tls, impl_->options, impl_->helo, timeout);
    out = session.run(message);
    if (session.stopped() && !out.ok) out = {false, true, true, 0, "cancelled"};
  }
  scrub(out.error, impl_->options);
  return out;
}

}  // namespace lagwatch::smtp
