#include "notify/notifiers.hpp"

namespace lagwatch::notify {

Notifiers::Notifiers(const std::vector<config::NotifierConfig>& configs) {
  for (const auto& c : configs) notifiers_.push_back(std::make_unique<Notifier>(c));
}

void Notifiers::observe(const core::ClusterView& view) {
  for (auto& n : notifiers_) n->observe(view);
}

void Notifiers::stop() {
  for (auto& n : notifiers_) n->stop();
}

std::vector<NotifierCounters> Notifiers::counters() const {
  std::vector<NotifierCounters> out;
  out.reserve(notifiers_.size());
  for (const auto& n : notifiers_) out.push_back(n->counters());
  return out;
}

}  // namespace lagwatch::notify
