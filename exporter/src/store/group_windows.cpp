#include "store/group_windows.hpp"

#include <climits>

namespace lagwatch::store {

void GroupWindows::record(const std::vector<model::GroupLag>& lag, int64_t now_ms) {
  std::map<Key, Window> next;
  for (const auto& g : lag) {
    if (!g.error.empty()) {
      // Offsets unreadable this poll: carry the group's windows over as they were.
      for (auto it = windows_.lower_bound({g.group, "", INT32_MIN});
           it != windows_.end() && std::get<0>(it->first) == g.group; ++it) {
        next.emplace(it->first, it->second);
      }
      continue;
    }
    const bool alive = g.described && g.members > 0;
    for (const auto& p : g.partitions) {
      Key key{g.group, p.topic, p.partition};
      auto node = windows_.extract(key);
      Window w = node ? std::move(node.mapped()) : Window{};
      bool moved = w.empty() || w.back().offset != p.committed_offset;
      if (moved || alive) {
        if (w.size() >= size_) w.erase(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(w.size() - size_ + 1));
        if (w.capacity() < size_) w.reserve(size_);
        w.push_back({p.committed_offset, now_ms, p.lag});
      }
      next.emplace(std::move(key), std::move(w));
    }
  }
  windows_.swap(next);
}

const GroupWindows::Window* GroupWindows::find(const std::string& group, const std::string& topic,
                                               int32_t partition) const {
  auto it = windows_.find({group, topic, partition});
  return it == windows_.end() ? nullptr : &it->second;
}

}  // namespace lagwatch::store
