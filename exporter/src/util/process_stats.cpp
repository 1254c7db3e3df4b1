#include "util/process_stats.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace lagwatch::util {
namespace {

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string read_all(const char* path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<double> boot_time() {
  std::istringstream in(read_all("/proc/stat"));
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = 0;
      if (in >> v) return v;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::optional<double> open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the directory's own descriptor, open while counting
}

}  // namespace

bool parse_proc_stat(std::string_view line, double ticks_per_second, double page_bytes, double boot,
                     ProcessStats& out) {
  const size_t close = line.rfind(')');
  if (close == std::string_view::npos) return false;
  // Fields from 3 (state) on, split on spaces.
  std::vector<std::string_view> f;
  size_t i = close + 1;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\n')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\n') ++j;
    if (j > i) f.push_back(line.substr(i, j - i));
    i = j;
  }
  // proc(5) numbers fields from 1; f[0] is field 3.
  auto field = [&](size_t n) { return n - 3 < f.size() ? number(f[n - 3]) : std::nullopt; };
  const auto utime = field(14), stime = field(15), threads = field(20), start = field(22), vsize = field(23),
             rss = field(24);
  if (!utime || !stime || !threads || !start || !vsize || !rss || ticks_per_second <= 0) return false;
  out.cpu_seconds = (*utime + *stime) / ticks_per_second;
  out.threads = *threads;
  out.start_time_seconds = boot + *start / ticks_per_second;
  out.virtual_bytes = *vsize;
  out.resident_bytes = *rss * page_bytes;
  return true;
}

ProcessStats read_process_stats() {
  ProcessStats s;
  const auto boot = boot_time();
  if (boot) {
    parse_proc_stat(read_all("/proc/self/stat"), static_cast<double>(sysconf(_SC_CLK_TCK)),
                    static_cast<double>(sysconf(_SC_PAGESIZE)), *boot, s);
  }
  s.open_fds = open_fds();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    s.max_fds = static_cast<double>(limit.rlim_cur);
  }
  return s;
}

}  // namespace lagwatch::util
