// Burrow's status vocabulary, shared by partition and group evaluation.
//
// The numeric values are Burrow's StatusConstant and are part of lagwatch's interface: the
// burrow_kafka_* metrics expose them as sample values, so never renumber. Partition statuses
// are OK, WARN, STOP, STALL and REWIND; group statuses are NOTFOUND, OK, WARN and ERR (a group
// is ERR when any of its partitions is STOP, STALL or REWIND).
#pragma once

#include <optional>
#include <string_view>

namespace lagwatch::evaluate {

enum class Status : int {
  NOTFOUND = 0,  // group: not known (no committed offsets at all)
  OK = 1,        // partition or group: nothing wrong
  WARN = 2,      // partition: lag never went down in the window; group: some partition WARN
  ERR = 3,       // group only: some partition STOP, STALL or REWIND
  STOP = 4,      // partition: no new commit for longer than the window spans
  STALL = 5,     // partition: commits keep coming but the offset does not move, with lag
  REWIND = 6,    // partition: the committed offset went backwards and has not come back yet
};

// Burrow's name of `s`: "NOTFOUND", "OK", "WARN", "ERR", "STOP", "STALL", "REWIND";
// "UNKNOWN" for a value outside the enum. The pointer is to a static string.
const char* status_name(Status s);

// The status named `name`, case-insensitively ("warn" and "WARN" both work). The long
// spellings "WARNING" and "ERROR" are accepted too, as people type them. nullopt for
// anything else, including the empty string.
std::optional<Status> status_from_name(std::string_view name);

// The number Burrow and the burrow_kafka_* metrics use for `s`.
constexpr int status_code(Status s) { return static_cast<int>(s); }

// True for STOP, STALL and REWIND: the partition statuses that make a group ERR.
constexpr bool is_error(Status s) { return s == Status::STOP || s == Status::STALL || s == Status::REWIND; }

}  // namespace lagwatch::evaluate
