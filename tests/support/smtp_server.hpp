// An SMTP server for tests: 127.0.0.1 on an ephemeral port, one thread per connection with
// blocking Asio I/O, recording every message it receives. It speaks enough of RFC 5321, 3207
// and 4954 for lagwatch's client (smtp/smtp_client.hpp): EHLO/HELO, STARTTLS (or implicit TLS)
// with a certificate such as test_certificates.hpp's, AUTH PLAIN and LOGIN against one user,
// MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT. It can be told to answer a step with a
// given code, to not offer STARTTLS, to never greet, or to stall at a step.
//
//   SmtpServerOptions o;
//   o.tls = SmtpServerOptions::Tls::starttls;
//   o.cert_file = pki.server_cert_file;  o.key_file = pki.server_key_file;
//   o.username = "alerts";  o.password = "s3cret";
//   SmtpServer server(o);
//   ... send to 127.0.0.1:server.port() ...
//   auto mails = server.wait_for(1);
#pragma once

#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/base64.hpp"

namespace lagwatch::testing {

struct SmtpServerOptions {
  enum class Tls { none, starttls, implicit };
  Tls tls = Tls::none;
  std::string cert_file;  // PEM, for starttls and implicit
  std::string key_file;
  bool offer_starttls = true;  // with Tls::starttls: false leaves it out of EHLO (and refuses it)
  // AUTH: offered (the mechanisms below) when username is not empty, and required before MAIL.
  std::string username;
  std::string password;
  std::vector<std::string> auth_mechanisms = {"PLAIN", "LOGIN"};
  bool greet = true;     // false: accept connections and never send a byte
  std::string greeting;  // when not empty: sent as is instead of the 220 line (a malformed or huge reply)
  bool ehlo = true;      // false: answer EHLO with 502 (an old HELO-only server)
  // Scripted answers: step -> code, for GREETING, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA
  // and MESSAGE (the end of DATA). E.g. {"RCPT", 451}, {"AUTH", 535}.
  std::map<std::string, int> fail_at;
  std::string stall_at;  // a step (as above) never answered: the connection waits until the server goes
};

struct ReceivedMail {
  std::string mail_from;                       // the envelope, between < and >
  std::vector<std::string> rcpt_to;            // likewise
  std::string wire_data;                       // after DATA, as sent (dot-stuffed), without the final ".\r\n"
  std::string data;                            // the same, dot-unstuffed: the message
  std::map<std::string, std::string> headers;  // lower-case names, unfolded values
  std::string subject;                         // decoded (RFC 2047 B or Q words)
  std::string body;                            // after the headers; decoded when the message says quoted-printable
  bool tls = false;
  bool authenticated = false;
  std::string auth_mechanism;  // "PLAIN", "LOGIN" or empty
};

namespace smtp_server_detail {

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::optional<std::string> base64_decode(const std::string& in) { return util::base64_decode(in); }

inline std::string quoted_printable_decode(const std::string& in) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
    } else if (in.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // soft line break
    } else if (i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// "=?UTF-8?B?...?=" words (and Q words) decoded, the folding between them dropped.
inline std::string decode_words(const std::string& value) {
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  while (pos < value.size()) {
    const size_t start = value.find("=?", pos);
    if (start == std::string::npos) {
      out += value.substr(pos);
      break;
    }
    std::string between = value.substr(pos, start - pos);
    if (!(last_was_word && between.find_first_not_of(" \t\r\n") == std::string::npos)) out += between;
    const size_t q1 = value.find('?', start + 2);
    const size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
    const size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
    if (end == std::string::npos) {
      out += value.substr(start);
      break;
    }
    const std::string encoding = upper(value.substr(q1 + 1, q2 - q1 - 1));
    const std::string text = value.substr(q2 + 1, end - q2 - 1);
    if (encoding == "B") {
      out += base64_decode(text).value_or("<bad base64>");
    } else {
      std::string t = text;
      for (auto& c : t) c = c == '_' ? ' ' : c;
      out += quoted_printable_decode(t);
    }
    last_was_word = true;
    pos = end + 2;
  }
  return out;
}

// Headers (unfolded) and body of `message` (CRLF lines).
inline void parse_message(ReceivedMail& mail) {
  const std::string& m = mail.data;
  const size_t split = m.find("\r\n\r\n");
  const std::string head = m.substr(0, split == std::string::npos ? m.size() : split);
  mail.body = split == std::string::npos ? "" : m.substr(split + 4);
  std::string name;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(pos, end - pos);
    pos = end + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (!name.empty()) mail.headers[name] += line;  // folded: the CRLF goes, the blank stays
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = lower(line.substr(0, colon));
    size_t v = colon + 1;
    while (v < line.size() && line[v] == ' ') ++v;
    mail.headers[name] = line.substr(v);
  }
  mail.subject = decode_words(mail.headers["subject"]);
  if (lower(mail.headers["content-transfer-encoding"]) == "quoted-printable") {
    mail.body = quoted_printable_decode(mail.body);
  }
}

}  // namespace smtp_server_detail

class SmtpServer {
 public:
  explicit SmtpServer(SmtpServerOptions options = {}) : options_(std::move(options)), acceptor_(ioc_) {
    namespace net = boost::asio;
    if (options_.tls != SmtpServerOptions::Tls::none) {
      tls_.emplace(net::ssl::context::tls_server);
      tls_->use_certificate_chain_file(options_.cert_file);
      tls_->use_private_key_file(options_.key_file, net::ssl::context::pem);
    }
    const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    accept_thread_ = std::thread([this] { ioc_.run(); });
  }

  ~SmtpServer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      // Wakes the connection threads blocked in a read; they see stopping_ and end.
      for (const auto& c : connections_) ::shutdown(c->socket.native_handle(), SHUT_RDWR);
    }
    stop_.notify_all();
    ioc_.stop();
    if (accept_thread_.joinable()) accept_thread_.join();
    std::vector<std::shared_ptr<Connection>> connections;
    {
      std::lock_guard lock(mu_);
      connections = connections_;
    }
    for (const auto& c : connections) {
      if (c->thread.joinable()) c->thread.join();
    }
  }

  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  uint16_t port() const { return port_; }

  std::vector<ReceivedMail> messages() const {
    std::lock_guard lock(mu_);
    return mails_;
  }

  // Waits until at least `n` messages arrived or `timeout` passed; returns what arrived.
  std::vector<ReceivedMail> wait_for(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    arrived_.wait_for(lock, timeout, [&] { return mails_.size() >= n; });
    return mails_;
  }

  // Every command line received, on every connection, in order (AUTH lines included).
  std::vector<std::string> commands() const {
    std::lock_guard lock(mu_);
    return commands_;
  }

  int connections() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(connections_.size());
  }

  int tls_failures() const {
    std::lock_guard lock(mu_);
    return tls_failures_;
  }

 private:
  using Socket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<Socket&>;

  struct Connection {
    explicit Connection(Socket s) : socket(std::move(s)) {}
    Socket socket;
    std::thread thread;
  };

  // One session's I/O, over the socket or, once the handshake is done, TLS.
  struct Channel {
    Socket& socket;
    std::optional<TlsStream> tls;
    std::string buffer;

    std::optional<std::string> read_line() {
      boost::system::error_code ec;
      const size_t n = tls ? boost::asio::read_until(*tls, boost::asio::dynamic_buffer(buffer), "\n", ec)
                           : boost::asio::read_until(socket, boost::asio::dynamic_buffer(buffer), "\n", ec);
      if (ec) return std::nullopt;
      std::string line = buffer.substr(0, n);
      buffer.erase(0, n);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      return line;
    }
    bool write(const std::string& text) {
      boost::system::error_code ec;
      if (tls) {
        boost::asio::write(*tls, boost::asio::buffer(text), ec);
      } else {
        boost::asio::write(socket, boost::asio::buffer(text), ec);
      }
      return !ec;
    }
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, Socket socket) {
      if (ec) return;
      auto c = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        connections_.push_back(c);
        c->thread = std::thread([this, c] { serve(*c); });
      }
      accept();
    });
  }

  void wait_until_stopped() {
    std::unique_lock lock(mu_);
    stop_.wait(lock, [&] { return stopping_; });
  }

  bool handshake(Channel& ch) {
    boost::system::error_code ec;
    ch.tls.emplace(ch.socket, *tls_);
    ch.tls->handshake(boost::asio::ssl::stream_base::server, ec);
    if (ec) {
      std::lock_guard lock(mu_);
      ++tls_failures_;
      return false;
    }
    return true;
  }

  // The scripted answer for `step`, if any: "451 4.0.0 scripted failure at RCPT".
  std::optional<std::string> scripted(const std::string& step) const {
    const auto it = options_.fail_at.find(step);
    if (it == options_.fail_at.end()) return std::nullopt;
    const int code = it->second;
    const std::string enhanced = std::to_string(code / 100) + ".0.0";
    return std::to_string(code) + " " + enhanced + " scripted failure at " + step + "\r\n";
  }

  bool check_credentials(const std::string& user, const std::string& password) const {
    return user == options_.username && password == options_.password;
  }

  void serve(Connection& c) {
    using smtp_server_detail::base64_decode;
    using smtp_server_detail::upper;
    Channel ch{c.socket, std::nullopt, {}};
    if (!options_.greet || options_.stall_at == "GREETING") return wait_until_stopped();
    if (options_.tls == SmtpServerOptions::Tls::implicit && !handshake(ch)) return;
    if (auto s = scripted("GREETING")) {
      ch.write(*s);
      return;
    }
    if (!options_.greeting.empty()) {
      ch.write(options_.greeting);
      return wait_until_stopped();
    }
    if (!ch.write("220 lagwatch-test ESMTP ready\r\n")) return;

    const bool starttls_offered = options_.tls == SmtpServerOptions::Tls::starttls && options_.offer_starttls;
    bool authenticated = false;
    std::string mechanism;
    ReceivedMail mail;
    for (;;) {
      const auto line = ch.read_line();
      if (!line) return;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        commands_.push_back(*line);
      }
      const std::string command = upper(line->substr(0, line->find(' ')));
      const std::string& step = command;
      if (options_.stall_at == step) return wait_until_stopped();
      if (auto s = scripted(step); s && command != "QUIT") {
        if (!ch.write(*s)) return;
        continue;
      }
      std::string answer;
      if (command == "EHLO") {
        if (!options_.ehlo) {
          answer = "502 5.5.1 EHLO not implemented\r\n";
        } else {
          answer = "250-lagwatch-test greets you\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n";
          if (starttls_offered && !ch.tls) answer += "250-STARTTLS\r\n";
          if (!options_.username.empty()) {
            answer += "250-AUTH";
            for (const auto& m : options_.auth_mechanisms) answer += " " + m;
            answer += "\r\n";
          }
          answer += "250 HELP\r\n";
        }
      } else if (command == "HELO") {
        answer = "250 lagwatch-test\r\n";
      } else if (command == "STARTTLS") {
        if (!starttls_offered || ch.tls) {
          answer = "502 5.5.1 STARTTLS not offered\r\n";
        } else {
          if (!ch.write("220 2.0.0 ready to start TLS\r\n")) return;
          if (!handshake(ch)) return;
          authenticated = false;
          mechanism.clear();
          mail = {};
          continue;
        }
      } else if (command == "AUTH") {
        const std::string rest = line->size() > 5 ? line->substr(5) : "";
        const std::string mech = upper(rest.substr(0, rest.find(' ')));
        std::string user, password;
        bool offered = false;
        for (const auto& m : options_.auth_mechanisms) offered = offered || m == mech;
        if (options_.username.empty() || !offered) {
          answer = "504 5.5.4 mechanism not supported\r\n";
        } else if (mech == "PLAIN") {
          std::string initial = rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
          if (initial.empty()) {
            if (!ch.write("334 \r\n")) return;
            auto l = ch.read_line();
            if (!l) return;
            initial = *l;
          }
          const auto token = base64_decode(initial).value_or("");
          const size_t a = token.find('\0');
          const size_t b = a == std::string::npos ? a : token.find('\0', a + 1);
          if (b != std::string::npos) {
            user = token.substr(a + 1, b - a - 1);
            password = token.substr(b + 1);
          }
        } else if (mech == "LOGIN") {
          if (!ch.write("334 VXNlcm5hbWU6\r\n")) return;
          auto u = ch.read_line();
          if (!u) return;
          if (!ch.write("334 UGFzc3dvcmQ6\r\n")) return;
          auto p = ch.read_line();
          if (!p) return;
          user = base64_decode(*u).value_or("");
          password = base64_decode(*p).value_or("");
        }
        if (answer.empty()) {
          if (check_credentials(user, password)) {
            authenticated = true;
            mechanism = mech;
            answer = "235 2.7.0 authentication successful\r\n";
          } else {
            answer = "535 5.7.8 authentication credentials invalid\r\n";
          }
        }
      } else if (command == "MAIL") {
        if (!options_.username.empty() && !authenticated) {
          answer = "530 5.7.0 authentication required\r\n";
        } else {
          mail = {};
          mail.mail_from = between_brackets(*line);
          answer = "250 2.1.0 ok\r\n";
        }
      } else if (command == "RCPT") {
        mail.rcpt_to.push_back(between_brackets(*line));
        answer = "250 2.1.5 ok\r\n";
      } else if (command == "DATA") {
        if (mail.rcpt_to.empty()) {
          answer = "503 5.5.1 no recipients\r\n";
        } else {
          if (!ch.write("354 end data with <CR><LF>.<CR><LF>\r\n")) return;
          for (;;) {
            auto l = ch.read_line();
            if (!l) return;
            if (*l == ".") break;
            mail.wire_data += *l + "\r\n";
            mail.data += (!l->empty() && (*l)[0] == '.' ? l->substr(1) : *l) + "\r\n";
          }
          if (options_.stall_at == "MESSAGE") return wait_until_stopped();
          if (auto s = scripted("MESSAGE")) {
            answer = *s;
          } else {
            mail.tls = ch.tls.has_value();
            mail.authenticated = authenticated;
            mail.auth_mechanism = mechanism;
            smtp_server_detail::parse_message(mail);
            {
              std::lock_guard lock(mu_);
              mails_.push_back(mail);
            }
            arrived_.notify_all();
            answer = "250 2.0.0 queued\r\n";
          }
          mail = {};
        }
      } else if (command == "RSET") {
        mail = {};
        answer = "250 2.0.0 ok\r\n";
      } else if (command == "NOOP") {
        answer = "250 2.0.0 ok\r\n";
      } else if (command == "QUIT") {
        ch.write("221 2.0.0 bye\r\n");
        return;
      } else {
        answer = "500 5.5.2 command not recognized\r\n";
      }
      if (!ch.write(answer)) return;
    }
  }

  static std::string between_brackets(const std::string& line) {
    const size_t open = line.find('<');
    const size_t close = line.find('>', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return "";
    return line.substr(open + 1, close - open - 1);
  }

  const SmtpServerOptions options_;
  std::optional<boost::asio::ssl::context> tls_;
  mutable std::mutex mu_;
  mutable std::condition_variable arrived_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::vector<ReceivedMail> mails_;
  std::vector<std::string> commands_;
  int tls_failures_ = 0;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<Connection>> connections_;
  uint16_t port_ = 0;
  std::thread accept_thread_;
};

}  // namespace lagwatch::testing
