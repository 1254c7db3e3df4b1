#include "http/connection_registry.hpp"

namespace lagwatch::http {

ConnectionRegistry::Id ConnectionRegistry::add(std::weak_ptr<Session> session) {
  std::lock_guard lock(mu_);
  const Id id = next_id_++;
  auto& list = list_for(ConnectionState::kReadingHead);
  list.push_back(id);
  entries_.emplace(id, Entry{std::move(session), ConnectionState::kReadingHead, false, std::prev(list.end())});
  return id;
}

bool ConnectionRegistry::set_state(Id id, ConnectionState state) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(id);
  if (it == entries_.end() || it->second.evicting) return false;
  Entry& e = it->second;
  // Re-entering the same state restarts its age: a keep-alive connection that served a request
  // is the newest idle one again.
  auto& to = list_for(state);
  to.splice(to.end(), list_for(e.state), e.position);
  e.state = state;
  return true;
}

void ConnectionRegistry::remove(Id id) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (it->second.evicting) {
    --evicting_;
  } else {
    list_for(it->second.state).erase(it->second.position);
  }
  entries_.erase(it);
}

bool ConnectionRegistry::has_room() const {
  std::lock_guard lock(mu_);
  return entries_.size() - evicting_ < max_;
}

std::optional<ConnectionRegistry::Victim> ConnectionRegistry::choose_victim() {
  std::lock_guard lock(mu_);
  // A body still arriving is last: lagwatch's routes take none except a small POST /-/reload, so a
  // connection trickling one (e.g. a GET announcing a large Content-Length) is as hostile as a
  // trickled head, but a real one would be done by now.
  for (ConnectionState s : {ConnectionState::kIdle, ConnectionState::kClosing, ConnectionState::kReadingHead,
                            ConnectionState::kReadingBody}) {
    auto& list = list_for(s);
    if (list.empty()) continue;
    Entry& e = entries_.at(list.front());
    list.pop_front();
    e.evicting = true;
    ++evicting_;
    return Victim{e.session, s};
  }
  return std::nullopt;
}

std::size_t ConnectionRegistry::open() const {
  std::lock_guard lock(mu_);
  return entries_.size() - evicting_;
}

std::size_t ConnectionRegistry::in_state(ConnectionState state) const {
  std::lock_guard lock(mu_);
  return by_state_[static_cast<std::size_t>(state)].size();
}

}  // namespace lagwatch::http
