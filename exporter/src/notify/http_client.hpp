// One HTTP/1.1 request to a webhook at a time, with one deadline for the whole exchange
// (resolve, connect, send, response header), on Boost.Beast. Only the status line and headers
// of the answer are read; the connection is closed afterwards ("Connection: close"), so a
// receiver that answers with a huge or endless body costs nothing.
//
// cancel() may be called from any thread: the send() in progress returns at once (a host name
// still being resolved by the system resolver is waited for), and every later send() returns
// without trying. It is how a notifier stops promptly while a webhook hangs.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "notify/url.hpp"

namespace lagwatch::notify {

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

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Blocks the calling thread until the answer, the deadline or cancel(). Never throws for
  // network problems; they are in HttpOutcome::error.
  HttpOutcome send(const HttpUrl& url, const HttpRequest& request, std::chrono::milliseconds timeout);

  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::notify
