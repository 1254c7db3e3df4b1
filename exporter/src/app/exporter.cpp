#include "app/exporter.hpp"

#include <spdlog/spdlog.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "publish/burrow_api.hpp"
#include "publish/collect_notifications.hpp"

namespace lagwatch::app {

Exporter::Exporter(config::Config config) : config_(std::move(config)), notifiers_(config_.notifiers) {
#ifdef __GLIBC__
  // The /metrics page is rebuilt every poll as a few strings of up to tens of MB. glibc would
  // raise its mmap threshold after the first one is freed and serve the next from the heap,
  // where freed pages stay resident; a fixed threshold keeps big blocks mmapped, so freeing an
  // old page returns its memory to the system at once.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  for (const auto& cluster : config_.clusters) {
    pollers_.push_back(std::make_unique<collect::Poller>(
        config_, cluster, [this](std::shared_ptr<const collect::ClusterView> view) {
          page_.update(view);
          notifiers_.observe(*view);  // compares and queues only; delivery is on its own threads
        }));
  }
}

Exporter::~Exporter() { stop(); }

void Exporter::start(bool background) {
  server_ = std::make_unique<http::Server>(config_.web.listen_address,
                                           [this](const http::Request& r) { return handle(r); });
  server_->start();
  spdlog::info("listening on {} (port {}); metrics at {}", config_.web.listen_address, server_->port(),
               config_.web.telemetry_path);
  if (background) {
    for (auto& p : pollers_) p->start();
  }
}

void Exporter::stop() {
  for (auto& p : pollers_) p->stop();
  notifiers_.stop();
  if (server_) server_->stop();
}

void Exporter::poll_all() {
  for (auto& p : pollers_) p->poll_once();
}

uint16_t Exporter::port() const { return server_ ? server_->port() : 0; }

http::Response Exporter::readiness() const {
  auto views = page_.views();
  std::string pending;
  for (const auto& c : config_.clusters) {
    if (!views.count(c.name)) pending += (pending.empty() ? "" : ", ") + c.name;
  }
  if (pending.empty()) return {200, "text/plain; charset=utf-8", "ready\n", false, {}};
  return {503, "text/plain; charset=utf-8", "waiting for the first poll of: " + pending + "\n", false, {}};
}

http::Response Exporter::handle(const http::Request& request) const {
  if (request.path == config_.web.telemetry_path) {
    auto body = page_.scrape(request.accepts_gzip(), publish::notification_families(notifiers_.counters()));
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.shared_pieces = std::move(body.shared);
    r.shared_owner = std::move(body.owner);
    r.body = std::move(body.tail);
    r.body_is_gzip = body.gzip;
    r.headers.emplace_back("Vary", "Accept-Encoding");
    return r;
  }
  if (request.path.rfind("/v3/", 0) == 0 || request.path == "/v3" || request.path.rfind("/burrow/", 0) == 0) {
    if (auto burrow = publish::burrow_api(request, page_.views(), config_, readiness().status == 200)) {
      return std::move(*burrow);
    }
  }
  if (request.path == "/healthz") return {200, "text/plain; charset=utf-8", "ok\n", false, {}};
  if (request.path == "/readyz") return readiness();
  if (request.path == "/") {
    const auto& m = config_.web.telemetry_path;
    return {200, "text/html; charset=utf-8",
            "<!doctype html><html><head><title>lagwatch</title></head><body><h1>lagwatch</h1><ul>"
            "<li><a href=\"" + m + "\">" + m + "</a></li>"
            "<li><a href=\"/v3/kafka\">/v3/kafka</a> (Burrow's API)</li>"
            "<li><a href=\"/healthz\">/healthz</a></li><li><a href=\"/readyz\">/readyz</a></li>"
            "</ul></body></html>\n",
            false, {}};
  }
  return {404, "text/plain; charset=utf-8", "not found: " + request.path + "\n", false, {}};
}

}  // namespace lagwatch::app
