// Poll-cycle benchmark (issue 5): lagwatch's real code against a large librdkafka mock cluster.
//
//   lagwatch_poll_bench [--brokers N] [--topics N] [--partitions N] [--groups N]
//                       [--group-partitions N] [--cycles N] [--scrapers N] [--scrape-seconds N]
//                       [--produce-rate N] [--slow-broker-ms N] [--no-request-count] [--json]
//   lagwatch_poll_bench --sweep      the default scale, then T, P and G halved and quartered
//
// The mock cluster runs in a child process (forked before any thread exists), so that the
// figures of this process are lagwatch's alone: its CPU time, its peak RSS, its threads. The
// child creates the topics (in parallel: the mock is slow at back-to-back control calls),
// commits offsets for every group, and produces a light load once the first poll is done (so
// every committed offset stays inside lagwatch's offset history and lag in seconds is
// interpolated, as for live consumers, not anchored on record reads).
//
// Phases, each printed:
//   1. cycles: N polls back to back through app::Exporter::poll_all(); wall time per cycle,
//      CPU seconds per cycle, RSS after each.
//   2. scrapes: polls continue in the background while S keep-alive scrapers fetch /metrics
//      (gzip and plain) for a few seconds each; latency p50/p99 and polls completed meanwhile.
//   3. slow broker: every answer of broker 2 delayed by --slow-broker-ms; cycle time again.
//   4. requests: the requests the last cycle of phase 1 wrote, by API, as lagwatch counts them
//      (lagwatch_poll_requests).
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "rdkafka/handles.hpp"
#include "scrapers.hpp"

extern char** environ;

namespace {

using namespace lagwatch;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Scale {
  int brokers = 3, topics = 1000, partitions = 10, groups = 1000, group_partitions = 100;
  int cycles = 10, scrapers = 5, scrape_seconds = 10, produce_rate = 2000, slow_broker_ms = 500;
  bool json_only = false, sweep = false, count_requests = true;
};

Scale parse(int argc, char** argv) {
  Scale s;
  std::map<std::string, int*> ints{{"--brokers", &s.brokers},
                                   {"--topics", &s.topics},
                                   {"--partitions", &s.partitions},
                                   {"--groups", &s.groups},
                                   {"--group-partitions", &s.group_partitions},
                                   {"--cycles", &s.cycles},
                                   {"--scrapers", &s.scrapers},
                                   {"--scrape-seconds", &s.scrape_seconds},
                                   {"--produce-rate", &s.produce_rate},
                                   {"--slow-broker-ms", &s.slow_broker_ms}};
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--json") {
      s.json_only = true;
    } else if (k == "--sweep") {
      s.sweep = true;
    } else if (k == "--no-request-count") {
      s.count_requests = false;
    } else if (ints.count(k) && i + 1 < argc) {
      *ints[k] = std::atoi(argv[++i]);
    } else {
      std::cerr << "lagwatch_poll_bench: unknown option or missing value: " << k << "\n";
      std::exit(2);
    }
  }
  if (s.brokers < 2 || s.topics < 1 || s.partitions < 1 || s.groups < 1 || s.group_partitions < 1 || s.cycles < 1 ||
      s.group_partitions > s.topics * s.partitions) {
    std::cerr << "lagwatch_poll_bench: need brokers >= 2, every count >= 1, group-partitions <= topics x partitions\n";
    std::exit(2);
  }
  return s;
}

std::string topic_name(int t) {
  char name[32];
  std::snprintf(name, sizeof name, "topic-%05d", t);
  return name;
}

std::string group_name(int g) { return "group-" + std::to_string(g); }

// ---------------------------------------------------------------------------------------------
// The child: the mock cluster and its workload. Talks to the parent over two pipes: it writes
// its bootstrap string and "ready", then obeys one-letter commands: 'p' start producing,
// 's' slow broker 2 down, EOF exit.

rdkafka::ClientPtr client(rd_kafka_type_t type, const std::map<std::string, std::string>& props) {
  rdkafka::ConfPtr conf(rd_kafka_conf_new());
  char err[256];
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(k + ": " + err);
    }
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk) throw std::runtime_error(err);
  conf.release();
  return rdkafka::ClientPtr(rk);
}

// Runs fn(i) for i in [0, n) on `threads` threads.
template <class Fn>
void parallel(int n, int threads, Fn fn) {
  std::atomic<int> next{0};
  std::vector<std::future<void>> workers;
  for (int w = 0; w < threads; ++w) {
    workers.push_back(std::async(std::launch::async, [&] {
      for (int i = next++; i < n; i = next++) fn(i);
    }));
  }
  for (auto& w : workers) w.get();
}

// The partitions group g commits on: a contiguous slice of all partitions, groups spread evenly.
std::vector<std::pair<int, int>> group_partitions(const Scale& s, int g) {
  const int total = s.topics * s.partitions;
  const int start = static_cast<int>((static_cast<int64_t>(g) * total) / s.groups);
  std::vector<std::pair<int, int>> out;
  for (int i = 0; i < s.group_partitions; ++i) {
    const int flat = (start + i) % total;
    out.emplace_back(flat / s.partitions, flat % s.partitions);
  }
  return out;
}

[[noreturn]] void run_mock(const Scale& s, int to_parent, int from_parent) {
  try {
    demo::MockCluster mock(s.brokers);
    const std::string bootstrap = mock.bootstrap_servers();
    auto t0 = Clock::now();
    parallel(s.topics, 32, [&](int t) { mock.create_topic(topic_name(t), s.partitions, std::min(3, s.brokers)); });
    const double topics_s = std::chrono::duration<double>(Clock::now() - t0).count();

    // Each group commits offset 0 on its partitions, as a consumer of that group would.
    t0 = Clock::now();
    parallel(s.groups, 16, [&](int g) {
      auto consumer = client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                 {"group.id", group_name(g)},
                                                 {"enable.auto.commit", "false"},
                                                 {"log_level", "3"}});
      rdkafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(s.group_partitions));
      for (auto [t, p] : group_partitions(s, g)) {
        rd_kafka_topic_partition_list_add(list.get(), topic_name(t).c_str(), p)->offset = 0;
      }
      if (auto err = rd_kafka_commit(consumer.get(), list.get(), 0)) {
        throw std::runtime_error("commit for " + group_name(g) + ": " + rd_kafka_err2str(err));
      }
      rd_kafka_consumer_close(consumer.get());
    });
    const double commits_s = std::chrono::duration<double>(Clock::now() - t0).count();

    std::string hello = bootstrap + " " + std::to_string(topics_s) + " " + std::to_string(commits_s) + "\n";
    if (write(to_parent, hello.data(), hello.size()) != static_cast<ssize_t>(hello.size())) std::_Exit(1);

    std::atomic<bool> stop{false};
    std::thread producer;
    char cmd;
    while (read(from_parent, &cmd, 1) == 1) {
      if (cmd == 'p' && !producer.joinable()) {
        producer = std::thread([&] {
          auto p =
              client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap}, {"linger.ms", "100"}, {"log_level", "3"}});
          const int total = s.topics * s.partitions;
          int64_t n = 0;
          const auto started = Clock::now();
          while (!stop) {
            const auto due =
                static_cast<int64_t>(std::chrono::duration<double>(Clock::now() - started).count() * s.produce_rate);
            for (; n < due; ++n) {
              const int flat = static_cast<int>((n * 7919) % total);  // spread over every partition
              const std::string topic = topic_name(flat / s.partitions);
              rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(flat % s.partitions),
                                RD_KAFKA_V_VALUE(const_cast<char*>("x"), 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_END);
            }
            rd_kafka_poll(p.get(), 0);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
          rd_kafka_flush(p.get(), 1000);
        });
      } else if (cmd == 's') {
        rd_kafka_mock_broker_set_rtt(mock.get(), 2, s.slow_broker_ms);
      }
    }
    stop = true;
    if (producer.joinable()) producer.join();
  } catch (const std::exception& e) {
    std::cerr << "mock cluster: " << e.what() << "\n";
    std::_Exit(1);
  }
  // Tearing down tens of thousands of mock partitions takes long and proves nothing.
  std::_Exit(0);
}

// ---------------------------------------------------------------------------------------------
// The parent: lagwatch.

struct Child {
  pid_t pid = -1;
  int to_child = -1;
  FILE* from_child = nullptr;
  void send(char c) const {
    if (write(to_child, &c, 1) != 1) throw std::runtime_error("mock child gone");
  }
  ~Child() {
    if (to_child >= 0) close(to_child);
    if (from_child) fclose(from_child);
    if (pid > 0) waitpid(pid, nullptr, 0);
  }
};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double current_rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

config::Config exporter_config(const Scale& s, const std::string& bootstrap) {
  config::Config cfg;
  cfg.web.listen_address = "127.0.0.1:0";
  cfg.log_level = "warn";
  config::ClusterConfig c;
  c.name = "bench";
  c.bootstrap_servers = {bootstrap};
  // The mock has no ListGroups: name the groups, as a user of a cluster without it would.
  for (int g = 0; g < s.groups; ++g) c.groups.names.push_back(group_name(g));
  cfg.clusters.push_back(c);
  return cfg;
}

json run(const Scale& s) {
  // Fork first: the child must not inherit threads.
  int up[2], down[2];
  if (pipe(up) != 0 || pipe(down) != 0) throw std::runtime_error("pipe failed");
  Child child;
  child.pid = fork();
  if (child.pid == 0) {
    close(up[0]);
    close(down[1]);
    run_mock(s, up[1], down[0]);
  }
  close(up[1]);
  close(down[0]);
  child.to_child = down[1];
  child.from_child = fdopen(up[0], "r");
  char line[4096];
  if (!fgets(line, sizeof line, child.from_child)) throw std::runtime_error("mock cluster failed to start");
  char bootstrap[4000];
  double topics_s = 0, commits_s = 0;
  if (std::sscanf(line, "%3999s %lf %lf", bootstrap, &topics_s, &commits_s) != 3) {
    throw std::runtime_error("unexpected line from the mock cluster: " + std::string(line));
  }
  const double rss_before = current_rss_mb();

  json out;
  out["scale"] = {{"brokers", s.brokers},
                  {"topics", s.topics},
                  {"partitions", s.topics * s.partitions},
                  {"groups", s.groups},
                  {"group_partitions", s.group_partitions},
                  {"committed_partitions", s.groups * s.group_partitions}};
  out["setup"] = {{"create_topics_s", topics_s}, {"commit_offsets_s", commits_s}};

  // 1. cycles
  auto owned = std::make_unique<app::Exporter>(exporter_config(s, bootstrap));
  app::Exporter& exporter = *owned;
  exporter.start(/*background=*/false);
  auto t0 = Clock::now();
  exporter.poll_all();  // the first poll: connections, coordinators, the mock quirk's retry
  const double first_cycle = seconds_since(t0);
  const double peak_after_first = peak_rss_mb();
  child.send('p');
  std::vector<double> cycle_s, rss_mb;
  const double cpu0 = cpu_seconds();
  for (int i = 0; i < s.cycles; ++i) {
    t0 = Clock::now();
    exporter.poll_all();
    cycle_s.push_back(seconds_since(t0));
    rss_mb.push_back(current_rss_mb());
  }
  const double cpu_per_cycle = (cpu_seconds() - cpu0) / s.cycles;
  // The page's own figure for the last render (text and gzip), from its per-scrape tail.
  double render_s = 0;
  {
    const std::string tail = exporter.page().scrape(false).tail;
    const std::string key = "\nlagwatch_metrics_render_seconds ";
    if (auto at = tail.find(key); at != std::string::npos) render_s = std::stod(tail.substr(at + key.size()));
  }
  auto views = exporter.page().views();
  const auto& view = *views.at("bench");
  size_t lag_series = 0;
  for (const auto& g : view.lag) lag_series += g.partitions.size();
  // Requests on the wire in the last (warm) cycle, by API, as lagwatch_poll_requests counts them.
  if (s.count_requests) {
    json by_api = json::object();
    uint64_t total = 0;
    for (const auto& [api, n] : view.snapshot->requests) {
      by_api[api] = n;
      total += n;
    }
    out["requests_per_cycle"] = by_api;
    out["requests_per_cycle_total"] = total;
  }
  out["cycles"] = {{"first_s", first_cycle},
                   {"median_s", bench::percentile(cycle_s, 0.5)},
                   {"max_s", *std::max_element(cycle_s.begin(), cycle_s.end())},
                   {"cpu_s_per_cycle", cpu_per_cycle},
                   {"render_s_last_cycle", render_s},
                   {"errors_last_cycle", view.snapshot->errors.size()},
                   {"committed_partitions_seen", lag_series},
                   {"rss_mb_before_exporter", rss_before},
                   {"peak_rss_mb_after_first_cycle", peak_after_first},
                   {"peak_rss_mb_after_measured_cycles", peak_rss_mb()},
                   {"rss_mb_after_first", rss_mb.front()},
                   {"rss_mb_after_last", rss_mb.back()},
                   {"rss_mb_after_cycle", [&] {
                      json at = json::object();
                      for (size_t n : {1, 10, 100, 200, 500, 1000, 2000, 5000}) {
                        if (n <= rss_mb.size()) at[std::to_string(n)] = rss_mb[n - 1];
                      }
                      return at;
                    }()}};

  // 2. scrapes while polls go on in the background
  {
    std::atomic<bool> stop{false};
    std::atomic<int> polls{0};
    std::thread poller([&] {
      while (!stop) {
        exporter.poll_all();
        ++polls;
      }
    });
    size_t gzip_bytes = 0, plain_bytes = 0;
    auto gz = bench::scrape_for(exporter.port(), s.scrapers, s.scrape_seconds, true, gzip_bytes);
    auto plain = bench::scrape_for(exporter.port(), s.scrapers, s.scrape_seconds, false, plain_bytes);
    stop = true;
    poller.join();
    // The same gzip load with polls every 5 s, a production-like pace (30 s is the default).
    stop = false;
    std::thread paced([&] {
      while (!stop) {
        const auto started = Clock::now();
        exporter.poll_all();
        ++polls;
        while (!stop && Clock::now() - started < std::chrono::seconds(5)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
    size_t ignored = 0;
    auto gz_paced = bench::scrape_for(exporter.port(), s.scrapers, s.scrape_seconds, true, ignored);
    stop = true;
    paced.join();
    out["scrapes"] = {{"scrapers", s.scrapers},
                      {"series", exporter.page().series()},
                      {"body_bytes_plain", plain_bytes},
                      {"body_bytes_gzip", gzip_bytes},
                      {"gzip_p50_ms", bench::percentile(gz, 0.5)},
                      {"gzip_p99_ms", bench::percentile(gz, 0.99)},
                      {"gzip_scrapes", gz.size()},
                      {"plain_p50_ms", bench::percentile(plain, 0.5)},
                      {"plain_p99_ms", bench::percentile(plain, 0.99)},
                      {"plain_scrapes", plain.size()},
                      {"polls_during_scrapes", polls.load()},
                      {"gzip_paced_p50_ms", bench::percentile(gz_paced, 0.5)},
                      {"gzip_paced_p99_ms", bench::percentile(gz_paced, 0.99)}};
  }

  // 3. one broker slow to answer everything (a slow coordinator for a third of the groups)
  if (s.slow_broker_ms > 0) {
    child.send('s');
    std::vector<double> slow;
    for (int i = 0; i < 3; ++i) {
      t0 = Clock::now();
      exporter.poll_all();
      slow.push_back(seconds_since(t0));
    }
    out["slow_broker"] = {{"rtt_ms", s.slow_broker_ms}, {"median_cycle_s", bench::percentile(slow, 0.5)}};
  }
  exporter.stop();
  out["peak_rss_mb"] = peak_rss_mb();  // before phase 4's second exporter adds its own
  owned.reset();

  return out;
}

void print_table(const json& r) {
  const auto& sc = r["scale"];
  std::printf("scale: %d brokers, %d topics, %d partitions; %d groups x %d partitions = %d committed partitions\n",
              sc["brokers"].get<int>(), sc["topics"].get<int>(), sc["partitions"].get<int>(), sc["groups"].get<int>(),
              sc["group_partitions"].get<int>(), sc["committed_partitions"].get<int>());
  std::printf("setup: topics created in %.1f s, offsets committed in %.1f s (mock side, not measured below)\n",
              r["setup"]["create_topics_s"].get<double>(), r["setup"]["commit_offsets_s"].get<double>());
  auto row = [](const char* name, double v, const char* target = "") {
    std::printf("  %-44s %12.2f %s\n", name, v, target);
  };
  const auto& c = r["cycles"];
  std::printf("poll cycle\n");
  row("first cycle (s)", c["first_s"].get<double>());
  row("median cycle (s)", c["median_s"].get<double>(), "(target < 2 s at 10k partitions x 1k groups)");
  row("max cycle (s)", c["max_s"].get<double>());
  row("CPU seconds per cycle", c["cpu_s_per_cycle"].get<double>());
  row("of which rendering /metrics (s, last cycle)", c["render_s_last_cycle"].get<double>());
  row("errors in the last cycle", c["errors_last_cycle"].get<double>());
  row("committed partitions with lag", c["committed_partitions_seen"].get<double>());
  if (r.contains("requests_per_cycle")) {
    // librdkafka 2.0.2, before lagwatch's own client: 2 105 per warm cycle at the default scale
    // (1 000 OffsetFetch, 1 000 FindCoordinator, 105 others), counted in its protocol log.
    std::printf("requests per warm cycle, by API (lagwatch_poll_requests; librdkafka 2.0.2 needed 2105)\n");
    for (const auto& [api, n] : r["requests_per_cycle"].items()) row(api.c_str(), n.get<double>());
    row("total", r["requests_per_cycle_total"].get<double>());
  }
  const auto& sc2 = r["scrapes"];
  std::printf("/metrics under load (%d keep-alive scrapers), polls back to back\n", sc2["scrapers"].get<int>());
  row("series", sc2["series"].get<double>());
  row("body plain (MB)", sc2["body_bytes_plain"].get<double>() / 1e6);
  row("body gzip (MB)", sc2["body_bytes_gzip"].get<double>() / 1e6);
  row("gzip p50 (ms)", sc2["gzip_p50_ms"].get<double>());
  row("gzip p99 (ms)", sc2["gzip_p99_ms"].get<double>());
  row("plain p50 (ms)", sc2["plain_p50_ms"].get<double>());
  row("plain p99 (ms)", sc2["plain_p99_ms"].get<double>());
  row("polls completed during the scrapes", sc2["polls_during_scrapes"].get<double>());
  row("gzip p50, polls every 5 s (ms)", sc2["gzip_paced_p50_ms"].get<double>());
  row("gzip p99, polls every 5 s (ms)", sc2["gzip_paced_p99_ms"].get<double>(), "(target < 20 ms at 200k series)");
  if (r.contains("slow_broker")) {
    std::printf("one broker answering %d ms late\n", r["slow_broker"]["rtt_ms"].get<int>());
    row("median cycle (s)", r["slow_broker"]["median_cycle_s"].get<double>());
  }
  std::printf("memory\n");
  row("RSS before the exporter (MB)", c["rss_mb_before_exporter"].get<double>());
  row("RSS after the first measured cycle (MB)", c["rss_mb_after_first"].get<double>());
  row("RSS after the last measured cycle (MB)", c["rss_mb_after_last"].get<double>());
  std::vector<std::pair<int, double>> checkpoints;  // JSON keys sort as text ("1000" < "200")
  for (const auto& [n, mb] : c["rss_mb_after_cycle"].items()) checkpoints.emplace_back(std::stoi(n), mb.get<double>());
  std::sort(checkpoints.begin(), checkpoints.end());
  for (const auto& [n, mb] : checkpoints) row(("RSS after measured cycle " + std::to_string(n) + " (MB)").c_str(), mb);
  row("peak RSS after the first cycle (MB)", c["peak_rss_mb_after_first_cycle"].get<double>());
  row("peak RSS after the measured cycles (MB)", c["peak_rss_mb_after_measured_cycles"].get<double>());
  row("peak RSS, scrapes included (MB)", r["peak_rss_mb"].get<double>(), "(target < 100 MB at 200k series)");
}

// Runs this program again at several scales (each in its own process, so that peak RSS is per
// scale) and prints how each figure grows.
int sweep(const Scale& base, const char* self) {
  struct Point {
    std::string axis;
    Scale s;
  };
  std::vector<Point> points;
  for (int div : {4, 2, 1}) {
    Scale s = base;
    s.topics = base.topics / div;
    s.group_partitions = std::min(base.group_partitions, s.topics * s.partitions);
    points.push_back({"topics", s});
  }
  for (int div : {4, 2}) {
    Scale s = base;
    s.groups = base.groups / div;
    points.push_back({"groups", s});
  }
  for (int div : {4, 2}) {
    Scale s = base;
    s.group_partitions = base.group_partitions / div;
    points.push_back({"group partitions", s});
  }
  std::printf("%-17s %6s %6s %6s %8s | %8s %8s %8s %9s %8s %8s %8s\n", "varied", "parts", "groups", "g.parts", "series",
              "cycle s", "cpu s", "requests", "OffsetFetch", "gz p99", "peak MB", "RSS drift");
  for (const auto& p : points) {
    std::vector<std::string> args{self,
                                  "--json",
                                  "--brokers",
                                  std::to_string(p.s.brokers),
                                  "--topics",
                                  std::to_string(p.s.topics),
                                  "--partitions",
                                  std::to_string(p.s.partitions),
                                  "--groups",
                                  std::to_string(p.s.groups),
                                  "--group-partitions",
                                  std::to_string(p.s.group_partitions),
                                  "--cycles",
                                  std::to_string(p.s.cycles),
                                  "--scrapers",
                                  std::to_string(p.s.scrapers),
                                  "--scrape-seconds",
                                  std::to_string(p.s.scrape_seconds),
                                  "--produce-rate",
                                  std::to_string(p.s.produce_rate),
                                  "--slow-broker-ms",
                                  "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe(out) != 0) return 1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    pid_t pid;
    if (posix_spawn(&pid, self, &actions, nullptr, argv.data(), environ) != 0) return 1;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    auto brace = text.rfind("\n{");
    json r = json::parse(brace == std::string::npos ? text : text.substr(brace + 1), nullptr, false);
    if (r.is_discarded() || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::printf("%-17s run failed\n", p.axis.c_str());
      continue;
    }
    const auto& c = r["cycles"];
    std::printf("%-17s %6d %6d %6d %8zu | %8.2f %8.2f %8d %9d %8.1f %8.1f %8.1f\n", p.axis.c_str(),
                r["scale"]["partitions"].get<int>(), r["scale"]["groups"].get<int>(),
                r["scale"]["group_partitions"].get<int>(), r["scrapes"]["series"].get<size_t>(),
                c["median_s"].get<double>(), c["cpu_s_per_cycle"].get<double>(),
                r["requests_per_cycle_total"].get<int>(), r["requests_per_cycle"].value("OffsetFetch", 0),
                r["scrapes"]["gzip_p99_ms"].get<double>(), r["peak_rss_mb"].get<double>(),
                c["rss_mb_after_last"].get<double>() - c["rss_mb_after_first"].get<double>());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Scale s = parse(argc, argv);
  spdlog::set_level(spdlog::level::warn);
  if (s.sweep) return sweep(s, "/proc/self/exe");
  try {
    json r = run(s);
    if (!s.json_only) print_table(r);
    std::printf("%s\n", r.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lagwatch_poll_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
