#pragma once

#include <cstdint>

namespace lagwatch::util {

// Raises the soft RLIMIT_NOFILE to the hard limit, as Go's runtime does at start-up: every
// connection the HTTP server holds is a descriptor, and the usual soft default (1024) is below
// the server's default connection cap, while the hard limit is typically far higher.
// Returns the soft limit in force afterwards (unchanged when raising fails, e.g. in a sandbox).
// Never lowers the limit. Call it once, early in main(), before threads start.
std::uint64_t raise_open_file_limit();

}  // namespace lagwatch::util
