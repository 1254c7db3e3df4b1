// Scrape-side benchmark: how long lagwatch takes to render /metrics for a large cluster, how
// large the page is, and how fast it is served to concurrent scrapers. No Kafka involved: the
// cluster is synthetic, so the figures isolate rendering and serving from polling.
//
//   lagwatch_scrape_bench [--topics N] [--partitions N] [--groups N] [--group-partitions N]
//                         [--scrapers N] [--scrape-seconds N]
//
// Prints a table and one JSON line. The targets it prints beside the figures are issue 5's.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "core/cluster_view.hpp"
#include "evaluate/cluster_evaluation.hpp"
#include "http/server.hpp"
#include "publish/metrics_page.hpp"
#include "scrapers.hpp"

namespace {

using namespace lagwatch;
using Clock = std::chrono::steady_clock;

struct Scale {
  int topics = 1000, partitions = 10, groups = 1000, group_partitions = 100, scrapers = 5, scrape_seconds = 5;
};

Scale parse(int argc, char** argv) {
  Scale s;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (k == "--topics")
      s.topics = v;
    else if (k == "--partitions")
      s.partitions = v;
    else if (k == "--groups")
      s.groups = v;
    else if (k == "--group-partitions")
      s.group_partitions = v;
    else if (k == "--scrapers")
      s.scrapers = v;
    else if (k == "--scrape-seconds")
      s.scrape_seconds = v;
    else {
      std::cerr << "unknown option " << k << "\n";
      std::exit(2);
    }
  }
  return s;
}

// One synthetic poll: every partition advances by 10 records, every group commits 5 behind.
model::ClusterSnapshot poll(const Scale& s, int round) {
  model::ClusterSnapshot snap;
  snap.cluster = "bench";
  snap.metadata_ok = true;
  snap.started = snap.finished = snap.offsets_read_at =
      model::Clock::time_point(std::chrono::seconds(1'800'000'000 + 30 * round));
  for (int b = 1; b <= 3; ++b) snap.brokers.push_back({b, "broker-" + std::to_string(b), 9092});
  for (int t = 0; t < s.topics; ++t) {
    model::Topic topic;
    char name[32];
    std::snprintf(name, sizeof name, "topic-%05d", t);
    topic.name = name;
    for (int p = 0; p < s.partitions; ++p) {
      int32_t leader = 1 + (t + p) % 3;
      topic.partitions.push_back({p,
                                  leader,
                                  {leader, 1 + (leader % 3), 1 + ((leader + 1) % 3)},
                                  {leader, 1 + (leader % 3), 1 + ((leader + 1) % 3)},
                                  0,
                                  1000 + 10 * round,
                                  ""});
    }
    snap.topics.push_back(std::move(topic));
  }
  for (int g = 0; g < s.groups; ++g) {
    model::Group group;
    group.name = "group-" + std::to_string(g);
    for (int i = 0; i < s.group_partitions; ++i) {
      int flat = (g * s.group_partitions + i) % (s.topics * s.partitions);
      group.offsets.push_back({snap.topics[flat / s.partitions].name, flat % s.partitions, 995 + 10 * round});
    }
    snap.groups.push_back(std::move(group));
  }
  return snap;
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  const Scale s = parse(argc, argv);
  config::Config cfg;
  store::PartitionHistories histories(static_cast<size_t>(cfg.lag.history_points));
  store::GroupWindows windows(static_cast<size_t>(cfg.evaluation.window));
  publish::MetricsPage page;

  std::vector<double> render_ms;
  for (int round = 0; round < 5; ++round) {
    auto snap = std::make_shared<model::ClusterSnapshot>(poll(s, round));
    histories.record(*snap);
    auto view = std::make_shared<core::ClusterView>();
    view->lag = model::compute_lag(*snap, &histories);
    const int64_t now_ms = snap->offsets_read_ms();
    windows.record(view->lag, now_ms);
    view->evaluations = evaluate::evaluate_cluster(*snap, view->lag, windows, histories, cfg.evaluation, now_ms);
    view->snapshot = snap;
    auto t0 = Clock::now();
    page.update(view);
    render_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }

  auto plain = page.scrape(false).size();
  auto zipped = page.scrape(true).size();
  http::Server server("127.0.0.1:0", [&page](const http::Request& r) {
    auto body = page.scrape(r.accepts_gzip());
    http::Response resp;
    resp.content_type = "text/plain; version=0.0.4";
    resp.shared_pieces = std::move(body.shared);
    resp.shared_owner = std::move(body.owner);
    resp.body = std::move(body.tail);
    resp.body_is_gzip = body.gzip;
    return resp;
  });
  server.start();
  size_t ignored = 0;
  auto lat_gzip = bench::scrape_for(server.port(), s.scrapers, s.scrape_seconds, true, ignored);
  auto lat_plain = bench::scrape_for(server.port(), s.scrapers, s.scrape_seconds, false, ignored);
  server.stop();

  const double render_median = bench::percentile(render_ms, 0.5);
  std::printf("scale: %d topics x %d partitions = %d partitions; %d groups x %d committed partitions\n", s.topics,
              s.partitions, s.topics * s.partitions, s.groups, s.group_partitions);
  std::printf("%-40s %14s\n", "figure", "value");
  std::printf("%-40s %14zu\n", "series", page.series());
  std::printf("%-40s %14.1f\n", "render + gzip per poll, median (ms)", render_median);
  std::printf("%-40s %14.2f\n", "body plain (MB)", static_cast<double>(plain) / 1e6);
  std::printf("%-40s %14.2f\n", "body gzip (MB)", static_cast<double>(zipped) / 1e6);
  std::printf("%-40s %14.2f   (target < 20 ms)\n", "scrape gzip p50 (ms)", bench::percentile(lat_gzip, 0.5));
  std::printf("%-40s %14.2f   (target < 20 ms)\n", "scrape gzip p99 (ms)", bench::percentile(lat_gzip, 0.99));
  std::printf("%-40s %14.2f\n", "scrape plain p50 (ms)", bench::percentile(lat_plain, 0.5));
  std::printf("%-40s %14.2f\n", "scrape plain p99 (ms)", bench::percentile(lat_plain, 0.99));
  std::printf("%-40s %14.1f   (target < 100 MB)\n", "peak RSS (MB)", static_cast<double>(peak_rss_kb()) / 1024.0);
  nlohmann::json j = {{"topics", s.topics},
                      {"partitions", s.topics * s.partitions},
                      {"groups", s.groups},
                      {"group_partitions", s.group_partitions},
                      {"series", page.series()},
                      {"render_ms_median", render_median},
                      {"body_bytes_plain", plain},
                      {"body_bytes_gzip", zipped},
                      {"scrape_gzip_ms_p50", bench::percentile(lat_gzip, 0.5)},
                      {"scrape_gzip_ms_p99", bench::percentile(lat_gzip, 0.99)},
                      {"scrape_plain_ms_p50", bench::percentile(lat_plain, 0.5)},
                      {"scrape_plain_ms_p99", bench::percentile(lat_plain, 0.99)},
                      {"peak_rss_kb", peak_rss_kb()}};
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
