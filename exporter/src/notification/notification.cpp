#include "notification/notification.hpp"

namespace lagwatch::notify {

const char* event_name(Event e) { return e == Event::firing ? "firing" : "resolved"; }

namespace {

int badness(evaluate::Status s) {
  if (evaluate::is_error(s)) return 2;
  return s == evaluate::Status::WARN ? 1 : 0;
}

}  // namespace

bool worse_partition(const PartitionFacts& a, const PartitionFacts& b) {
  if (badness(a.status) != badness(b.status)) return badness(a.status) > badness(b.status);
  return a.lag > b.lag;
}

}  // namespace lagwatch::notify
