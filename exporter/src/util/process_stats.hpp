// The process's own resource use, read from /proc as Prometheus's client libraries do, for the
// standard process_* metrics (process_cpu_seconds_total, process_resident_memory_bytes, ...).
// Linux only; where /proc cannot be read the fields stay absent and the series with them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lagwatch::util {

struct ProcessStats {
  std::optional<double> cpu_seconds;  // user + system
  std::optional<double> resident_bytes;
  std::optional<double> virtual_bytes;
  std::optional<double> start_time_seconds;  // Unix time
  std::optional<double> threads;
  std::optional<double> open_fds;
  std::optional<double> max_fds;  // the soft RLIMIT_NOFILE
};

// Parses /proc/self/stat's one line (proc(5)). The command name, field 2, is in parentheses and
// may itself contain spaces and parentheses, so fields are counted from the last ')'.
// `boot_time` is /proc/stat's btime. Returns false when the line does not have the fields.
bool parse_proc_stat(std::string_view line, double ticks_per_second, double page_bytes, double boot_time,
                     ProcessStats& out);

// Reads everything above for this process.
ProcessStats read_process_stats();

}  // namespace lagwatch::util
