#include "demo/timeline.hpp"

#include <spdlog/spdlog.h>

namespace lagwatch::demo {

DefaultTimeline::DefaultTimeline(Incidents& incidents, TimelineSchedule schedule)
    : incidents_(incidents), schedule_(schedule), thread_([this] { run(); }) {}

DefaultTimeline::~DefaultTimeline() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool DefaultTimeline::sleep(std::chrono::steady_clock::duration d) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

void DefaultTimeline::run() {
  if (!sleep(schedule_.first)) return;
  for (;;) {
    spdlog::info("demo incident: partition inventory/2 loses its leader for {} s", schedule_.outage.count());
    incidents_.set_partition_offline("inventory", 2, true);
    bool go_on = sleep(schedule_.outage);
    incidents_.set_partition_offline("inventory", 2, false);
    spdlog::info("demo incident over: inventory/2 has a leader again");
    if (!go_on || !sleep(schedule_.period - schedule_.outage)) return;
  }
}

}  // namespace lagwatch::demo
