#include "evaluate/status.hpp"

#include <cctype>
#include <string>

namespace lagwatch::evaluate {

const char* status_name(Status s) {
  switch (s) {
    case Status::NOTFOUND:
      return "NOTFOUND";
    case Status::OK:
      return "OK";
    case Status::WARN:
      return "WARN";
    case Status::ERR:
      return "ERR";
    case Status::STOP:
      return "STOP";
    case Status::STALL:
      return "STALL";
    case Status::REWIND:
      return "REWIND";
  }
  return "UNKNOWN";
}

std::optional<Status> status_from_name(std::string_view name) {
  std::string upper;
  upper.reserve(name.size());
  for (char c : name) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper == "WARNING") return Status::WARN;
  if (upper == "ERROR") return Status::ERR;
  for (int v = status_code(Status::NOTFOUND); v <= status_code(Status::REWIND); ++v) {
    const auto s = static_cast<Status>(v);
    if (upper == status_name(s)) return s;
  }
  return std::nullopt;
}

}  // namespace lagwatch::evaluate
