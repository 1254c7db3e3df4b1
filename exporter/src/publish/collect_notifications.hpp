// lagwatch_notification*_total{notifier}: the notifiers' delivery counters. They change between
// polls, so they are rendered per scrape into the page's tail, not with the per-poll page.
#pragma once

#include <string>
#include <vector>

#include "notify/notifier.hpp"

namespace lagwatch::publish {

// Text exposition of the four counter families; empty when no notifier is configured.
std::string notification_families(const std::vector<notify::NotifierCounters>& counters);

}  // namespace lagwatch::publish
