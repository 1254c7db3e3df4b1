// The demo's incident API on its HTTP port (only `lagwatch demo` adds it; `serve` has none):
//
//   GET  /demo/incidents                 the incidents the demo knows and the ones in effect
//   POST /demo/incidents/<name>[/<arg>]  triggers one: 200 and what to watch, or 400 and why not
//                                        (e.g. POST /demo/incidents/broker-down/2)
//
// `lagwatch demo incident broker-down 2` is this POST, sent by incident_client.hpp.
#pragma once

#include <optional>

#include "demo/incidents.hpp"
#include "http/server.hpp"

namespace lagwatch::demo {

// nullopt for paths outside /demo/.
std::optional<http::Response> incident_routes(Incidents& incidents, const http::Request& request);

}  // namespace lagwatch::demo
