#include "demo/incident_routes.hpp"

#include <string>
#include <vector>

namespace lagwatch::demo {
namespace {

constexpr std::string_view kPrefix = "/demo/incidents";

http::Response text(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

http::Response method_not_allowed(const char* allow) {
  auto r = text(405, std::string("use ") + allow + "\n");
  r.headers.emplace_back("Allow", allow);
  return r;
}

std::string listing(const Incidents& incidents) {
  std::string out = "incidents (POST /demo/incidents/<name>[/<arg>], or: lagwatch demo incident <name> [<arg>]):\n";
  for (const auto& i : incident_catalog()) {
    std::string name = i.name + (i.argument.empty() ? "" : " " + i.argument);
    name.resize(std::max<size_t>(name.size(), 16), ' ');
    out += "  " + name + "  " + i.summary + "\n";
  }
  const auto active = incidents.active();
  out += "in effect: ";
  for (size_t i = 0; i < active.size(); ++i) out += (i ? ", " : "") + active[i];
  out += active.empty() ? "none\n" : "\n";
  return out;
}

}  // namespace

std::optional<http::Response> incident_routes(Incidents& incidents, const http::Request& request) {
  if (!request.path.starts_with("/demo/")) return std::nullopt;
  if (request.path == kPrefix || request.path == std::string(kPrefix) + "/") {
    if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET");
    return text(200, listing(incidents));
  }
  if (!request.path.starts_with(std::string(kPrefix) + "/")) return text(404, "not found\n");
  if (request.method != "POST") return method_not_allowed("POST");
  // "/demo/incidents/broker-down/2" -> "broker-down", {"2"}
  std::vector<std::string> parts;
  std::string_view rest = std::string_view(request.path).substr(kPrefix.size() + 1);
  while (!rest.empty()) {
    const size_t slash = std::min(rest.find('/'), rest.size());
    if (slash > 0) parts.emplace_back(rest.substr(0, slash));
    rest.remove_prefix(std::min(slash + 1, rest.size()));
  }
  if (parts.empty()) return text(404, "not found\n");
  const std::string name = parts.front();
  parts.erase(parts.begin());
  try {
    return text(200, incidents.trigger(name, parts));
  } catch (const IncidentError& e) {
    return text(400, std::string(e.what()) + "\n");
  } catch (const std::exception& e) {
    return text(500, "the demo could not apply " + name + ": " + e.what() + "\n");
  }
}

}  // namespace lagwatch::demo
