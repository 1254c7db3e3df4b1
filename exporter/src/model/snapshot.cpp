#include "model/snapshot.hpp"

#include <algorithm>

namespace lagwatch::model {

const Partition* Topic::find(int32_t id) const {
  if (id >= 0 && static_cast<size_t>(id) < partitions.size() && partitions[id].id == id) {
    return &partitions[id];
  }
  auto it = std::find_if(partitions.begin(), partitions.end(), [&](const Partition& p) { return p.id == id; });
  return it == partitions.end() ? nullptr : &*it;
}

const Topic* ClusterSnapshot::find_topic(const std::string& name) const {
  auto it = std::lower_bound(topics.begin(), topics.end(), name,
                             [](const Topic& t, const std::string& n) { return t.name < n; });
  return (it != topics.end() && it->name == name) ? &*it : nullptr;
}

size_t ClusterSnapshot::partition_count() const {
  size_t n = 0;
  for (const auto& t : topics) n += t.partitions.size();
  return n;
}

const char* to_string(ErrorKind k) {
  switch (k) {
    case ErrorKind::metadata:
      return "metadata";
    case ErrorKind::list_offsets:
      return "list_offsets";
    case ErrorKind::list_groups:
      return "list_groups";
    case ErrorKind::group_offsets:
      return "group_offsets";
    case ErrorKind::cluster:
      return "cluster";
    case ErrorKind::log_dirs:
      return "log_dirs";
  }
  return "unknown";
}

}  // namespace lagwatch::model
