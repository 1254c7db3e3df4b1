#include "demo/incidents.hpp"

#include <spdlog/spdlog.h>

namespace lagwatch::demo {

Incidents::Incidents(MockCluster& cluster, IncidentSchedule schedule)
    : cluster_(cluster), schedule_(schedule), thread_([this] { run(); }) {}

Incidents::~Incidents() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool Incidents::sleep(std::chrono::steady_clock::duration d) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

void Incidents::run() {
  if (!sleep(schedule_.first)) return;
  for (;;) {
    spdlog::info("demo incident: partition inventory/2 loses its leader for {} s", schedule_.outage.count());
    cluster_.set_partition_leader("inventory", 2, -1);
    bool go_on = sleep(schedule_.outage);
    cluster_.set_partition_leader("inventory", 2, 1);
    spdlog::info("demo incident over: inventory/2 is led by broker 1 again");
    if (!go_on || !sleep(schedule_.period - schedule_.outage)) return;
  }
}

}  // namespace lagwatch::demo
