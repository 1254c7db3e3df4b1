#include "publish/collect_notifications.hpp"

#include "publish/families.hpp"

namespace lagwatch::publish {

std::string notification_families(const std::vector<notify::NotifierCounters>& counters) {
  if (counters.empty()) return {};
  Families out;
  auto sent = out.counter("lagwatch_notifications_sent_total", "Notifications a webhook accepted (2xx), per notifier.");
  auto failed =
      out.counter("lagwatch_notifications_failed_total",
                  "Notifications given up on (attempts used up, or a status not worth retrying), per notifier.");
  auto retries = out.counter("lagwatch_notification_retries_total", "Delivery attempts after the first, per notifier.");
  auto dropped = out.counter("lagwatch_notifications_dropped_total",
                             "Notifications not queued because the notifier's queue was full.");
  for (const auto& c : counters) {
    const Labels l{{"notifier", c.notifier}};
    out.add(sent, l, static_cast<double>(c.sent));
    out.add(failed, l, static_cast<double>(c.failed));
    out.add(retries, l, static_cast<double>(c.retries));
    out.add(dropped, l, static_cast<double>(c.dropped));
  }
  return out.text();
}

}  // namespace lagwatch::publish
