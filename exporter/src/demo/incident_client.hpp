// `lagwatch demo incident <name> [<arg>]`: asks a running demo (on this machine, at its
// --web.listen-address, :9721 by default) to trigger an incident, over its HTTP port
// (incident_routes.hpp), and prints the demo's answer. Without a name it prints the list.
#pragma once

#include <string>
#include <vector>

namespace lagwatch::demo {

// `listen_address` as the demo was started with (":9721", "127.0.0.1:9999"). Returns the
// process exit code: 0 when the demo applied it, 1 when it refused (the reason is printed), 2
// when no demo answered.
int run_incident_client(const std::string& listen_address, const std::vector<std::string>& args);

}  // namespace lagwatch::demo
