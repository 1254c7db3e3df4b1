// Burrow's HTTP API (v3), with Burrow's paths, JSON shapes and status names, so BurrowUI,
// burrow-dashboard, burrow-exporter and users' scripts work against lagwatch unchanged:
//
//   GET /v3/kafka                                   clusters
//   GET /v3/kafka/{cluster}                         cluster detail
//   GET /v3/kafka/{cluster}/topic                   topics
//   GET /v3/kafka/{cluster}/topic/{topic}           end offset per partition
//   GET /v3/kafka/{cluster}/consumer                groups
//   GET /v3/kafka/{cluster}/consumer/{group}        offset windows per partition
//   GET /v3/kafka/{cluster}/consumer/{group}/status status, partitions not OK only
//   GET /v3/kafka/{cluster}/consumer/{group}/lag    status, every partition
//   GET /burrow/admin, /burrow/admin/ready          health, as Burrow answers them
//
// Every JSON reply has `error`, `message` and `request: {url, host}`; an unknown cluster,
// topic or group is a 404 with error true. Offsets are observed by polling, so an
// observation's `timestamp` (Burrow: the commit's time) and `observedAt` are both the time
// of the poll that saw it, in milliseconds.
#pragma once

#include <optional>

#include "config/config.hpp"
#include "http/server.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

// nullopt when the path is not one of Burrow's (the caller serves its other routes).
std::optional<http::Response> burrow_api(const http::Request& request, const Views& views, const config::Config& config,
                                         bool ready);

}  // namespace lagwatch::publish
