#include "publish/metrics_page.hpp"

#include <chrono>

namespace lagwatch::publish {
namespace {

double now_unix() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

}  // namespace

std::shared_ptr<const MetricsPage::Rendered> MetricsPage::render(const Views& views) {
  const auto started = std::chrono::steady_clock::now();
  auto page = std::make_shared<Rendered>();
  {
    Families families;
    std::map<std::string, Labels> static_labels;
    for (const auto& [cluster, view] : views) {
      for (const auto& [name, value] : view->publish.labels) static_labels[cluster].push_back({name, value});
    }
    page->cluster_labels = static_labels;
    families.set_cluster_labels(std::move(static_labels));
    collect_exporter(views, families);
    collect_cluster(views, families);
    collect_brokers(views, families);
    collect_topics(views, families);
    collect_health(views, families);
    collect_topic_configs(views, families);
    collect_log_dirs(views, families);
    collect_groups(views, families);
    collect_evaluation(views, families);
    page->series = families.series();
    page->pieces = families.take_pieces();
  }
  for (const auto& p : page->pieces) page->text_size += p.size();
  // Level 3, zlib's best of its fast strategy: at 800 000 series (90 MB) level 6 took about
  // 1 s more per poll for a body only ~10% smaller (docs/performance.md).
  page->gzipped =
      std::make_unique<http::GzipPrefix>(std::vector<std::string_view>(page->pieces.begin(), page->pieces.end()), 3);
  for (const auto& [cluster, view] : views) {
    page->finished_unix.emplace_back(
        cluster, std::chrono::duration<double>(view->snapshot->finished.time_since_epoch()).count());
  }
  page->render_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return page;
}

void MetricsPage::update(std::shared_ptr<const core::ClusterView> view) {
  std::lock_guard render_lock(render_mu_);
  Views views;
  {
    std::lock_guard lock(mu_);
    views_[view->snapshot->cluster] = std::move(view);
    views = views_;
  }
  auto page = render(views);
  std::lock_guard lock(mu_);
  page_ = std::move(page);
}

void MetricsPage::remove(const std::string& cluster) {
  std::lock_guard render_lock(render_mu_);
  Views views;
  {
    std::lock_guard lock(mu_);
    if (views_.erase(cluster) == 0) return;
    views = views_;
  }
  auto page = render(views);
  std::lock_guard lock(mu_);
  page_ = std::move(page);
}

std::string MetricsPage::tail(const Rendered* page) {
  Families out;
  if (page) out.set_cluster_labels(page->cluster_labels);
  collect_process(out);
  auto age = out.gauge("lagwatch_data_age_seconds", "Seconds since the data served for a cluster was collected.");
  if (!page) return out.text();
  const double now = now_unix();
  for (const auto& [cluster, finished] : page->finished_unix) {
    out.add(age, {{"cluster", cluster}}, std::max(0.0, now - finished));
  }
  // The page's own cost, so that growth in series shows before it hurts Prometheus.
  out.add(out.gauge("lagwatch_metrics_series", "Series on this page, not counting these last few lines."), {},
          static_cast<double>(page->series));
  auto bytes = out.gauge("lagwatch_metrics_body_bytes", "Size of this page as rendered once per poll, by encoding.");
  out.add(bytes, {{"encoding", "identity"}}, static_cast<double>(page->text_size));
  out.add(bytes, {{"encoding", "gzip"}}, static_cast<double>(page->gzipped->head().size()));
  out.add(out.gauge("lagwatch_metrics_render_seconds", "Time to render and compress this page after the last poll."),
          {}, page->render_seconds);
  return out.text();
}

MetricsPage::Body MetricsPage::scrape(bool accept_gzip, const std::string& extra) const {
  std::shared_ptr<const Rendered> page;
  {
    std::lock_guard lock(mu_);
    page = page_;
  }
  std::string t = tail(page.get()) + extra;
  if (!page) return {{}, nullptr, std::move(t), false};
  // The body keeps the whole rendered page alive, however long the write takes.
  if (accept_gzip) return {{page->gzipped->head()}, page, page->gzipped->finish(t), true};
  return {std::vector<std::string_view>(page->pieces.begin(), page->pieces.end()), page, std::move(t), false};
}

size_t MetricsPage::Body::size() const {
  size_t n = tail.size();
  for (auto p : shared) n += p.size();
  return n;
}

std::string MetricsPage::Body::data() const {
  std::string out;
  for (auto p : shared) out += p;
  return out + tail;
}

Views MetricsPage::views() const {
  std::lock_guard lock(mu_);
  return views_;
}

size_t MetricsPage::series() const {
  std::lock_guard lock(mu_);
  return page_ ? page_->series : 0;
}

}  // namespace lagwatch::publish
