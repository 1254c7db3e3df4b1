#include "publish/metrics_page.hpp"

#include <prometheus/text_serializer.h>

#include <chrono>
#include <sstream>

namespace lagwatch::publish {
namespace {

double now_unix() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::shared_ptr<const MetricsPage::Rendered> MetricsPage::render(const Views& views) {
  Families families;
  collect_exporter(views, families);
  collect_brokers(views, families);
  collect_topics(views, families);
  collect_health(views, families);
  collect_topic_configs(views, families);
  collect_groups(views, families);
  collect_evaluation(views, families);

  auto page = std::make_shared<Rendered>();
  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, families.families());
  page->text = std::move(text).str();
  page->gzipped = std::make_unique<http::GzipPrefix>(page->text);
  page->series = families.series();
  for (const auto& [cluster, view] : views) {
    page->finished_unix.emplace_back(
        cluster, std::chrono::duration<double>(view->snapshot->finished.time_since_epoch()).count());
  }
  return page;
}

void MetricsPage::update(std::shared_ptr<const collect::ClusterView> view) {
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

std::string MetricsPage::tail(const Rendered* page) {
  std::string out =
      "# HELP lagwatch_data_age_seconds Seconds since the data served for a cluster was collected.\n"
      "# TYPE lagwatch_data_age_seconds gauge\n";
  if (!page) return out;
  double now = now_unix();
  for (const auto& [cluster, finished] : page->finished_unix) {
    std::ostringstream line;
    line << "lagwatch_data_age_seconds{cluster=\"" << cluster << "\"} " << std::max(0.0, now - finished) << "\n";
    out += line.str();
  }
  return out;
}

MetricsPage::Body MetricsPage::scrape(bool accept_gzip) const {
  std::shared_ptr<const Rendered> page;
  {
    std::lock_guard lock(mu_);
    page = page_;
  }
  std::string t = tail(page.get());
  if (!page) return {t, false};
  if (accept_gzip) return {page->gzipped->with_tail(t), true};
  return {page->text + t, false};
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
