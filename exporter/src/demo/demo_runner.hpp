// `lagwatch demo`: an embedded mock cluster with traffic, monitored exactly as `serve`
// monitors a real one.
#pragma once

#include "config/command_line.hpp"

namespace lagwatch::demo {

// Runs until SIGINT/SIGTERM. Returns the process exit code.
int run_demo(const config::CommandLine& cl);

}  // namespace lagwatch::demo
