// Sender for the HTTP kinds (webhook, slack, teams, pagerduty): renders the body with the
// kind's template and escaping and sends it with http_client/ (HTTPS with verification,
// proxies from the environment). What is retried: no answer (refused, timed out, reset) and
// HTTP 408, 429 and 5xx; any other non-2xx fails at once (a 4xx will not change; redirects are
// not followed, since a webhook that moved should be reconfigured, not chased).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "http_client/http_client.hpp"
#include "notification/body_template.hpp"
#include "notify/config/kind.hpp"
#include "notify/sender.hpp"

namespace lagwatch::notify {

class HttpSender : public Sender {
 public:
  HttpSender(const NotifierConfig& config, const KindSpec& kind);

  Attempt send(const Notification& n) override;
  void cancel() override { client_.cancel(); }
  std::string where() const override { return url_.where(); }

 private:
  const std::string name_;
  const util::HttpUrl url_;
  const std::string method_;
  const std::vector<std::pair<std::string, std::string>> headers_;
  const BodyTemplate body_;
  const std::optional<BodyTemplate> link_;
  const std::string routing_key_;
  const std::chrono::milliseconds timeout_;
  http_client::HttpClient client_;
};

}  // namespace lagwatch::notify
