// libFuzzer target: the bytes of one HTTP request, through what a session runs before its
// Handler (http/request_parsing.hpp: the Beast parser with lagwatch's limits, target decoding,
// the method and UTF-8 checks), then, when the request is accepted, Burrow's API
// (publish/burrow_api.hpp) against a fixed configuration (one cluster "demo") and a small
// synthetic view. Besides crashes it checks the promises the header makes, since a broken one
// would reach a log line or a JSON reply.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "http/request_parsing.hpp"
#include "http/server.hpp"
#include "publish/burrow_api.hpp"
#include "publish/collectors.hpp"
#include "synthetic_view.hpp"

namespace {

using lagwatch::evaluate::Status;

lagwatch::config::Config fixed_config() {
  lagwatch::config::Config config;
  lagwatch::config::ClusterConfig demo;
  demo.name = "demo";
  demo.bootstrap_servers = {"localhost:9092"};
  config.clusters.push_back(demo);
  return config;
}

// "demo" polled once: group "billing" with a stopped and an OK partition, "audit" all OK.
lagwatch::publish::Views fixed_views() {
  lagwatch::testing::SyntheticGroups groups;
  groups["billing"] = {{"invoices", 0, Status::STOP, 5000, 120.5}, {"invoices", 1, Status::OK, 0, 0}};
  groups["audit"] = lagwatch::testing::one_partition(Status::OK);
  lagwatch::publish::Views views;
  views["demo"] = lagwatch::testing::synthetic_view("demo", 1'796'000'000'000, groups);
  return views;
}

bool printable_ascii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const lagwatch::config::Config kConfig = fixed_config();
  static const lagwatch::publish::Views kViews = fixed_views();

  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  bool accept_post = false;
  lagwatch::http::ParsedRequest parsed = lagwatch::http::parse_request_bytes(raw, accept_post);
  if (parsed.status == 405) {
    // The same bytes where POST is allowed (web.enable_lifecycle), so both paths are fuzzed.
    accept_post = true;
    parsed = lagwatch::http::parse_request_bytes(raw, accept_post);
  }
  if (parsed.status != 0) {
    if (parsed.status < 400 || parsed.status > 599 || !printable_ascii(parsed.problem)) std::abort();
    (void)lagwatch::http::error_response(parsed, accept_post);
    return 0;
  }
  const lagwatch::http::Request& request = parsed.request;
  if (!lagwatch::http::is_clean_utf8(request.path)) std::abort();
  (void)lagwatch::http::escape_for_log(request.target);
  (void)request.accepts_gzip();
  // Both readiness answers are reachable; one bit of the input picks, so each input is stable.
  const bool ready = (size & 1) == 0;
  (void)lagwatch::publish::burrow_api(request, kViews, kConfig, ready);
  return 0;
}
