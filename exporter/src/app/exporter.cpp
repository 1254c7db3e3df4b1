#include "app/exporter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "app/logging.hpp"
#include "publish/burrow_api.hpp"
#include "publish/collect_notifications.hpp"

namespace lagwatch::app {
namespace {

double now_unix() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

http::Response text(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

http::ServerOptions server_options(const config::WebConfig& web) {
  http::ServerOptions o;
  o.read_header_timeout = web.read_header_timeout;
  o.idle_timeout = web.idle_timeout;
  o.max_connections = static_cast<std::size_t>(web.max_connections);
  o.accept_post = web.enable_lifecycle;
  return o;
}

}  // namespace

Exporter::Exporter(config::Config config, ConfigSource reload_source, ExtraRoutes extra_routes)
    : reload_source_(std::move(reload_source)),
      extra_routes_(std::move(extra_routes)),
      config_(std::make_shared<const config::Config>(std::move(config))),
      notifiers_(std::make_shared<notify::Notifiers>(config_->notifiers)) {
#ifdef __GLIBC__
  // The /metrics page is rebuilt every poll as a few strings of up to tens of MB. glibc would
  // raise its mmap threshold after the first one is freed and serve the next from the heap,
  // where freed pages stay resident; a fixed threshold keeps big blocks mmapped, so freeing an
  // old page returns its memory to the system at once.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  reload_state_.last_success_unix_seconds = now_unix();
  for (const auto& cluster : config_->clusters) pollers_.push_back(make_poller(*config_, cluster));
}

Exporter::~Exporter() { stop(); }

Exporter::Running Exporter::make_poller(const config::Config& config, const config::ClusterConfig& cluster) {
  Running r;
  r.cluster = cluster.name;
  r.settings = cluster;
  r.live = std::make_shared<bool>(true);
  r.poller = std::make_unique<collect::Poller>(
      config, cluster,
      [this, live = r.live](std::shared_ptr<const core::ClusterView> view) { publish(live, std::move(view)); });
  return r;
}

void Exporter::publish(const std::shared_ptr<bool>& live, std::shared_ptr<const core::ClusterView> view) {
  std::lock_guard lock(publish_mu_);
  if (!*live) return;  // retired by a reload: its cluster is gone or served by a new poller
  page_.update(view);
  notifiers_->observe(*view);  // compares and queues only; delivery is on its own threads
}

void Exporter::start(bool background) {
  std::lock_guard lock(reload_mu_);
  const auto cfg = config();
  auto options = server_options(cfg->web);
  options.accept_post = options.accept_post || static_cast<bool>(extra_routes_);
  std::string serving = "HTTP (no TLS, basic auth: off)";
  if (!cfg->web.config_file.empty()) {
    std::set<std::string> open_paths;
    if (cfg->web.probes_without_auth) open_paths = {"/healthz", "/readyz"};
    // The server has 2 threads: one bcrypt at a time leaves one free for everybody else.
    web_security_ = std::make_shared<http::WebSecurity>(cfg->web.config_file, std::move(open_paths), 1);
    options.security = web_security_;
    serving = http::describe(*web_security_->current());
  }
  server_ = std::make_unique<http::Server>(
      cfg->web.listen_address, [this](const http::Request& r) { return handle(r); }, options);
  server_->start();
  // "web: serving HTTPS on :9721 (TLS 1.2+, client certs: none, basic auth: 2 users)"
  const auto space = serving.find(' ');
  spdlog::info("web: serving {} on {} {}", serving.substr(0, space), cfg->web.listen_address,
               serving.substr(space + 1));
  spdlog::info("listening on {} (port {}); metrics at {}", cfg->web.listen_address, server_->port(),
               cfg->web.telemetry_path);
  background_ = background;
  if (background) {
    for (auto& p : pollers_) p.poller->start();
  }
}

void Exporter::begin_stop() {
  // The server first, outside reload_mu_: a POST /-/reload running on a server thread holds
  // that lock, and stopping the server waits for it.
  if (server_) server_->stop();
  std::lock_guard lock(reload_mu_);
  stopped_ = true;
  for (auto& p : pollers_) p.poller->request_stop();  // their Kafka calls wind down meanwhile
  std::shared_ptr<notify::Notifiers> notifiers;
  {
    std::lock_guard publish_lock(publish_mu_);
    notifiers = notifiers_;
  }
  notifiers->stop();  // cancels deliveries in flight
}

bool Exporter::stop_within(std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  begin_stop();
  std::lock_guard lock(reload_mu_);
  bool all = true;
  for (auto* list : {&pollers_, &retired_}) {
    for (auto& p : *list) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (!p.poller->stop_within(std::max(left, std::chrono::milliseconds{0}))) {
        spdlog::warn("cluster {}: a Kafka request is still in flight after {} ms; abandoning it", p.cluster,
                     budget.count());
        all = false;
      }
    }
  }
  return all;
}

void Exporter::stop() {
  begin_stop();
  std::lock_guard lock(reload_mu_);
  for (auto& p : pollers_) p.poller->stop();
  reap_retired(true);
}

void Exporter::reap_retired(bool wait) {
  for (auto it = retired_.begin(); it != retired_.end();) {
    if (wait) {
      it->poller->stop();
    } else if (!it->poller->stop_within(std::chrono::milliseconds{0})) {
      ++it;
      continue;
    }
    it = retired_.erase(it);
  }
}

void Exporter::poll_all() {
  std::lock_guard lock(reload_mu_);
  for (auto& p : pollers_) p.poller->poll_once();
}

uint16_t Exporter::port() const { return server_ ? server_->port() : 0; }

std::shared_ptr<const config::Config> Exporter::config() const {
  std::lock_guard lock(publish_mu_);
  return config_;
}

std::vector<notify::NotifierCounters> Exporter::notifier_counters() const {
  std::shared_ptr<notify::Notifiers> notifiers;
  {
    std::lock_guard lock(publish_mu_);
    notifiers = notifiers_;
  }
  return notifiers->counters();
}

publish::ReloadState Exporter::reload_state() const {
  std::lock_guard lock(state_mu_);
  return reload_state_;
}

ReloadResult Exporter::reload() {
  // The web config file first: its certificates and users are reloaded even when the main
  // configuration does not load.
  std::string web_note;
  if (web_security_) web_note = web_security_->reload();
  ReloadResult result = reload_config();
  if (!web_note.empty()) result.message += "; " + web_note;
  return result;
}

ReloadResult Exporter::reload_config() {
  ReloadResult result;
  if (!reload_source_) {
    result.message = "this command has no configuration file to reload";
  } else {
    try {
      return apply(reload_source_());
    } catch (const std::exception& e) {
      result.message = std::string("configuration not reloaded, the running one is kept: ") + e.what();
    }
  }
  spdlog::error("{}", result.message);
  std::lock_guard lock(state_mu_);
  reload_state_.last_successful = false;
  reload_state_.failures++;
  return result;
}

ReloadResult Exporter::apply(config::Config next) {
  std::lock_guard lock(reload_mu_);
  if (stopped_) return {false, "lagwatch is stopping; configuration not reloaded"};
  const auto current = config();
  std::vector<std::string> notes;
  if (!(next.web == current->web)) {
    next.web = current->web;
    notes.push_back("web.* settings need a restart; kept the running ones");
  }
  const bool globals_same = next.poll == current->poll && next.lag == current->lag &&
                            next.log_dirs == current->log_dirs && next.evaluation == current->evaluation;

  // The pollers of `next`, in its order: a running one where its cluster is unchanged (moved
  // over below), else a new one. Every new poller is built before the running ones are touched:
  // a client that cannot be created fails the reload with nothing changed.
  std::vector<Running> planned;
  std::vector<bool> is_new;
  std::vector<std::string> added, changed, removed;
  for (const auto& cluster : next.clusters) {
    const auto old =
        std::find_if(pollers_.begin(), pollers_.end(), [&](const Running& r) { return r.cluster == cluster.name; });
    const bool same = old != pollers_.end() && globals_same && old->settings == cluster &&
                      next.poll_interval_for(cluster) == current->poll_interval_for(old->settings);
    is_new.push_back(!same);
    if (same) {
      planned.push_back(Running{cluster.name, cluster, nullptr, nullptr});
      continue;
    }
    (old == pollers_.end() ? added : changed).push_back(cluster.name);
    planned.push_back(make_poller(next, cluster));  // may throw: nothing has changed yet
  }
  for (const auto& r : pollers_) {
    const bool kept = std::any_of(next.clusters.begin(), next.clusters.end(),
                                  [&](const config::ClusterConfig& c) { return c.name == r.cluster; });
    if (!kept) removed.push_back(r.cluster);
  }
  const bool notifiers_same = next.notifiers == current->notifiers;
  auto notifiers = notifiers_same ? nullptr : std::make_shared<notify::Notifiers>(next.notifiers);

  std::shared_ptr<notify::Notifiers> old_notifiers;
  {
    std::lock_guard publish_lock(publish_mu_);
    for (size_t i = 0; i < planned.size(); ++i) {
      if (is_new[i]) continue;
      auto old = std::find_if(pollers_.begin(), pollers_.end(),
                              [&](const Running& r) { return r.cluster == planned[i].cluster; });
      planned[i] = std::move(*old);
    }
    // What was not moved over is retired: its cluster is gone or has a new poller.
    for (auto& r : pollers_) {
      if (!r.poller) continue;
      *r.live = false;
      r.poller->request_stop();
      retired_.push_back(std::move(r));
    }
    pollers_ = std::move(planned);
    if (notifiers) {
      old_notifiers = std::move(notifiers_);
      notifiers_ = notifiers;
    }
    config_ = std::make_shared<const config::Config>(std::move(next));
  }
  for (const auto& name : removed) page_.remove(name);
  reap_retired(false);  // those that have finished since; the others are joined later
  if (background_) {
    for (size_t i = 0; i < pollers_.size(); ++i) {
      if (is_new[i]) pollers_[i].poller->start();
    }
  }
  if (old_notifiers) old_notifiers->stop();
  set_log_level(config_->log_level);

  ReloadResult result;
  result.ok = true;
  result.message = "configuration reloaded: clusters added [" + join(added) + "], changed [" + join(changed) +
                   "], removed [" + join(removed) + "], unchanged " +
                   std::to_string(pollers_.size() - added.size() - changed.size()) + "; notifiers " +
                   (notifiers_same ? "unchanged" : "replaced");
  for (const auto& n : notes) result.message += "; " + n;
  spdlog::info("{}", result.message);
  std::lock_guard state_lock(state_mu_);
  reload_state_.last_successful = true;
  reload_state_.last_success_unix_seconds = now_unix();
  reload_state_.successes++;
  return result;
}

http::Response Exporter::readiness() const {
  auto views = page_.views();
  std::string pending;
  for (const auto& c : config()->clusters) {
    if (!views.count(c.name)) pending += (pending.empty() ? "" : ", ") + c.name;
  }
  if (pending.empty()) return text(200, "ready\n");
  return text(503, "waiting for the first poll of: " + pending + "\n");
}

http::Response Exporter::lifecycle_reload(const http::Request& request) {
  if (request.method != "POST" && request.method != "PUT") {
    auto r = text(405, "use POST to reload the configuration\n");
    r.headers.emplace_back("Allow", "POST, PUT");
    return r;
  }
  const ReloadResult result = reload();
  return text(result.ok ? 200 : 500, result.message + "\n");
}

http::Response Exporter::handle(const http::Request& request) {
  if (extra_routes_) {
    if (auto answer = extra_routes_(request)) return std::move(*answer);
  }
  const auto cfg = config();
  // Only the lifecycle API changes anything, and only when it is enabled (as in Prometheus);
  // every other route is read-only.
  if (request.path == "/-/reload" && cfg->web.enable_lifecycle) return lifecycle_reload(request);
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = text(405, "method not allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (request.path == cfg->web.telemetry_path) {
    auto body = page_.scrape(request.accepts_gzip(), publish::notification_families(notifier_counters()) +
                                                         publish::reload_families(reload_state()));
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
    if (auto burrow = publish::burrow_api(request, page_.views(), *cfg, readiness().status == 200)) {
      return std::move(*burrow);
    }
  }
  if (request.path == "/healthz") return text(200, "ok\n");
  if (request.path == "/readyz") return readiness();
  if (request.path == "/") {
    const auto& m = cfg->web.telemetry_path;
    http::Response r = text(200,
                            "<!doctype html><html><head><title>lagwatch</title></head><body><h1>lagwatch</h1><ul>"
                            "<li><a href=\"" +
                                m + "\">" + m +
                                "</a></li>"
                                "<li><a href=\"/v3/kafka\">/v3/kafka</a> (Burrow's API)</li>"
                                "<li><a href=\"/healthz\">/healthz</a></li><li><a href=\"/readyz\">/readyz</a></li>"
                                "</ul></body></html>\n");
    r.content_type = "text/html; charset=utf-8";
    return r;
  }
  return text(404, "not found: " + request.path + "\n");
}

}  // namespace lagwatch::app
