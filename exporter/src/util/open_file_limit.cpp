#include "util/open_file_limit.hpp"

#include <sys/resource.h>

namespace lagwatch::util {

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == RLIM_INFINITY || (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur >= limit.rlim_max)) {
    return static_cast<std::uint64_t>(limit.rlim_cur);
  }
  rlimit raised = limit;
  // An infinite hard limit is not a valid soft value for descriptors on every kernel (macOS wants
  // OPEN_MAX); a million is more than any exporter needs.
  raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &raised) != 0) return static_cast<std::uint64_t>(limit.rlim_cur);
  return static_cast<std::uint64_t>(raised.rlim_cur);
}

}  // namespace lagwatch::util
