// The process_* families every Prometheus exporter serves, under the names and meanings of the
// official client libraries, so the usual dashboards and alerts (process_open_fds /
// process_max_fds, process_resident_memory_bytes) work on lagwatch unchanged. Read at scrape
// time: they describe now, not the last poll.
#include "publish/collectors.hpp"
#include "util/process_stats.hpp"

namespace lagwatch::publish {

void collect_process(Families& out) {
  const auto s = util::read_process_stats();
  auto add = [&](size_t family, const std::optional<double>& v) {
    if (v) out.add(family, {}, *v);
  };
  add(out.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."), s.cpu_seconds);
  add(out.gauge("process_resident_memory_bytes", "Resident memory size in bytes."), s.resident_bytes);
  add(out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes."), s.virtual_bytes);
  add(out.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds."),
      s.start_time_seconds);
  add(out.gauge("process_threads", "Number of OS threads in the process."), s.threads);
  add(out.gauge("process_open_fds", "Number of open file descriptors."), s.open_fds);
  add(out.gauge("process_max_fds", "Maximum number of open file descriptors."), s.max_fds);
}

}  // namespace lagwatch::publish
