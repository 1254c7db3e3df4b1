// libFuzzer target: the notifier body template. A template either compiles or is rejected
// with a TemplateError; when it compiles it must render a notification without failing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "notification/body_template.hpp"
#include "notification/notification.hpp"

namespace {

using lagwatch::evaluate::Status;
using lagwatch::notify::Notification;
using lagwatch::notify::PartitionFacts;

// A firing for a group with two partitions not OK, names holding characters that need
// escaping, so every field and the section have something to render.
Notification sample() {
  Notification n;
  n.cluster = "demo";
  n.group = "billing \"eu\"\\\n";
  n.event = lagwatch::notify::Event::firing;
  n.status = Status::ERR;
  n.previous_status = Status::WARN;
  n.total_lag = 1234567;
  n.max_lag_seconds = 98.765;
  n.partition_count = 3;
  n.partitions_not_ok = {PartitionFacts{"orders", 0, Status::STOP, 1000000, 98.765},
                         PartitionFacts{"orders\t2", 7, Status::WARN, 234567, 0.5}};
  n.worst = n.partitions_not_ok.front();
  n.timestamp_ms = 1'796'000'000'123;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Notification kSample = sample();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<lagwatch::notify::BodyTemplate> compiled;
  try {
    compiled.emplace(text);
  } catch (const lagwatch::notify::TemplateError&) {
    // template_problem must agree that the template is bad.
    if (!lagwatch::notify::template_problem(text)) std::abort();
    return 0;
  }
  if (lagwatch::notify::template_problem(text)) std::abort();
  (void)compiled->render(kSample, "fuzz");
  return 0;
}
