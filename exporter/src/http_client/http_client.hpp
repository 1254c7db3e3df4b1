// One HTTP/1.1 request at a time, over TCP or TLS, with one deadline for the whole exchange
// (resolve, connect, proxy CONNECT, TLS handshake, send, response header), on Boost.Beast. Only
// the status line and headers of the answer are read; the connection is closed afterwards
// ("Connection: close"), so a receiver that answers with a huge or endless body costs nothing.
// Any part of lagwatch may use it (notify/ sends webhooks with it).
//
// https:// URLs: TLS 1.2 or later, and the server's certificate must verify against the system
// CA store (Debian's ca-certificates) or, when given, ClientOptions::ca_file, and must name the
// host of the URL (a DNS name, or an IP address for an IP literal); the host name goes in SNI.
// insecure_skip_verify turns both checks off (for tests only). A certificate that does not
// verify is an HttpOutcome error such as "TLS: certificate verify failed: unable to get local
// issuer certificate" or "TLS: certificate verify failed: hostname mismatch".
//
// Proxies: ClientOptions::proxies (http_client/proxy.hpp, usually from the environment).
//
// cancel() may be called from any thread: the send() in progress returns at once (a host name
// still being resolved by the system resolver is waited for), and every later send() returns
// without trying. It is how a notifier stops promptly while a webhook hangs.
//
// Errors never quote the URL's path or query (webhook tokens live there), nor a proxy setting.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_client/proxy.hpp"
#include "util/http_url.hpp"

namespace lagwatch::http_client {

using util::HttpUrl;

struct HttpOutcome {
  int status = 0;          // the HTTP status when the receiver answered, else 0
  std::string error;       // why there is no status: "connect: Connection refused", "no answer within 5s"
  bool cancelled = false;  // cancel() cut it short

  bool success() const { return status >= 200 && status <= 299; }
};

struct HttpRequest {
  std::string method = "POST";
  // Sent as given, in this order; Host, Content-Length, Connection and User-Agent are set by
  // the client, and Content-Type defaults to application/json when not among them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct ClientOptions {
  std::string ca_file;                // PEM CA certificates to trust instead of the system store; empty: system
  bool insecure_skip_verify = false;  // no certificate or host name check (tests only)
  ProxySettings proxies;              // none by default; proxy_settings_from_environment() for the usual
};

// Why `path` cannot serve as a ca_file (not readable, or no PEM certificate in it), or nullopt.
std::optional<std::string> ca_file_problem(const std::string& path);

class HttpClient {
 public:
  // Throws std::invalid_argument when options.ca_file cannot be loaded.
  explicit HttpClient(const ClientOptions& options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Blocks the calling thread until the answer, the deadline or cancel(). Never throws for
  // network or TLS problems; they are in HttpOutcome::error.
  HttpOutcome send(const HttpUrl& url, const HttpRequest& request, std::chrono::milliseconds timeout);

  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::http_client
