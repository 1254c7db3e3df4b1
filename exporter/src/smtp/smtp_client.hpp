// An SMTP client (RFC 5321) for the email notifier: one message per send(), on its own
// connection, with one deadline for the whole exchange (resolve, connect, TLS, every command),
// on Boost.Asio. Any part of lagwatch may use it.
//
// Security (ClientOptions::security):
//   starttls  the default (port 587): STARTTLS (RFC 3207) is required; a server that does not
//             offer it is refused before anything else is sent.
//   tls       implicit TLS from the first byte (port 465, RFC 8314).
//   none      plain text (tests, a relay on localhost).
// TLS is set up as http_client/'s is (http_client/tls_client.hpp): TLS 1.2 or later, the
// certificate verified against the system CA store or ca_file and required to name the host,
// SNI; insecure_skip_verify turns the checks off (tests only).
//
// Authentication (RFC 4954) when username is not empty: AUTH PLAIN, else AUTH LOGIN, as the
// server offers. Credentials are never sent over a connection that is not TLS unless the host
// is a loopback address ("localhost", 127.0.0.0/8, ::1).
//
// Outcome: a 4xx reply, a network failure, a malformed reply (as a broken connection is) and
// the deadline are retryable; a 5xx reply, a
// certificate that does not verify, a server without STARTTLS or AUTH, and a message that
// cannot be sent (message_problem) are not. Errors name the server ("mail.example.com:587")
// and the step ("RCPT TO:<b@example.com>: 550 5.1.1 user unknown"), never the password nor
// what the AUTH commands carried.
//
// cancel() may be called from any thread: the send() in progress returns at once (a host name
// still being resolved by the system resolver is waited for), and every later send() returns
// without trying.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lagwatch::smtp {

enum class Security { starttls, tls, none };

struct ClientOptions {
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  uint16_t port = 587;
  Security security = Security::starttls;
  std::string username;  // AUTH when not empty
  std::string password;
  std::string ca_file;                // PEM CA certificates to trust instead of the system store
  bool insecure_skip_verify = false;  // no certificate or host name check (tests only)
  std::string helo_name;              // the EHLO argument; empty: this host's name (gethostname), else "localhost"
};

struct Message {
  std::string from;             // an address: "lagwatch@example.com"
  std::string from_name;        // optional display name in the From header: "Kafka lag" <lagwatch@...>
  std::vector<std::string> to;  // one address or more
  std::string subject;          // UTF-8; encoded (RFC 2047) when not printable ASCII
  std::string text_body;        // UTF-8; any line endings (sent as CRLF)
  std::string html_body;        // optional: when not empty, multipart/alternative of both
};

struct Outcome {
  bool ok = false;         // the server accepted the message (250 after DATA)
  bool retryable = false;  // when not ok: trying again later may succeed
  bool cancelled = false;  // cancel() cut it short
  int reply_code = 0;      // the server's last reply code when it answered the failed step, else 0
  std::string error;       // when not ok: "mail.example.com:587: RCPT TO:<b@x>: 550 5.1.1 ...", no secrets
};

// "host:port" ("[v6]:port"), as logs and errors name the server.
std::string server_address(const ClientOptions& options);

// Why `address` cannot be an envelope address ("user@example.com", ASCII, at most 254
// bytes, no spaces, angle brackets or control characters), or nullopt. Display names
// ("Ops <ops@example.com>") are refused: give the address alone.
std::optional<std::string> address_problem(const std::string& address);

// Why `message` cannot be sent (an address problem, no recipient, CR or LF in the subject), or
// nullopt. send() checks it first.
std::optional<std::string> message_problem(const Message& message);

// Why `options` cannot be used (no host, port 0, an unreadable ca_file, a helo_name that is not
// a host name, credentials with security: none to a host that is not loopback), or nullopt. The constructor throws
// std::invalid_argument with this text.
std::optional<std::string> options_problem(const ClientOptions& options);

class Client {
 public:
  // Throws std::invalid_argument when options_problem() finds one.
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Blocks the calling thread until the server accepted or refused the message, the deadline
  // or cancel(). Never throws for network, TLS or protocol problems; they are in the Outcome.
  Outcome send(const Message& message, std::chrono::milliseconds timeout);

  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::smtp
