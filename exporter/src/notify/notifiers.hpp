// Every notifier of the configuration, as the exporter sees them: one call per published view,
// one call to stop, one to read the counters.
#pragma once

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/cluster_view.hpp"
#include "notify/notifier.hpp"

namespace lagwatch::notify {

class Notifiers {
 public:
  // One Notifier (and delivery thread) per entry; none for an empty list.
  explicit Notifiers(const std::vector<config::NotifierConfig>& configs);

  // Hands a freshly published view to every notifier. Never blocks on the network.
  void observe(const core::ClusterView& view);
  void stop();

  // In configuration order.
  std::vector<NotifierCounters> counters() const;
  bool empty() const { return notifiers_.empty(); }

 private:
  std::vector<std::unique_ptr<Notifier>> notifiers_;
};

}  // namespace lagwatch::notify
