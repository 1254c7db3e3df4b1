// Which connections are open and what each is doing, so that at the connection cap the server
// can decide whom to close: a connection waiting for a client is cheap to drop, one the server is
// answering is not.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace lagwatch::http {

class Session;

enum class ConnectionState : std::uint8_t {
  kIdle,         // keep-alive, waiting for the first byte of the next request
  kClosing,      // answered with an error, draining what the client still sends before closing
  kReadingHead,  // request line and headers not yet complete (a new connection starts here)
  kReadingBody,  // headers complete, body still arriving
  kBusy,         // handler running or response being written
};

// Thread-safe (one mutex): sessions report their state from their own strands, the accept chain
// asks for a victim. Within each state connections are kept in the order they entered it, so the
// victim is the one that has waited longest: for kReadingHead the client that has been trickling
// its headers the longest, never a scrape that connected a millisecond ago.
class ConnectionRegistry {
 public:
  using Id = std::uint64_t;
  using Clock = std::chrono::steady_clock;

  explicit ConnectionRegistry(std::size_t max_connections) : max_(max_connections) {}

  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  // Adds a new connection (state kReadingHead).
  Id add(std::weak_ptr<Session> session);

  // Moves a connection to `state`. Returns false when it has been chosen for eviction: the
  // session must close instead of carrying on (this makes "evict only while waiting on the
  // client" exact even when the victim's request completes at the same moment).
  bool set_state(Id id, ConnectionState state);

  // Forgets a connection (from the session's destructor).
  void remove(Id id);

  // True while fewer than max_connections are open, not counting connections already chosen
  // for eviction (they are closing).
  bool has_room() const;

  struct Victim {
    std::weak_ptr<Session> session;  // may have expired: it is closing already
    ConnectionState state;
  };

  // Chooses the connection to close to make room: the longest-waiting idle or closing one, else
  // the longest-waiting one whose request head is incomplete, else the one whose body has been
  // arriving longest. It no longer counts as open and any later set_state() for it returns false.
  // nullopt when every connection is busy (handler or write).
  std::optional<Victim> choose_victim();

  std::size_t open() const;  // connections counted against the cap
  std::size_t in_state(ConnectionState state) const;

 private:
  static constexpr std::size_t kStates = 5;
  struct Entry {
    std::weak_ptr<Session> session;
    ConnectionState state;
    bool evicting = false;
    std::list<Id>::iterator position;  // in by_state_[state]; unused while evicting
  };

  std::list<Id>& list_for(ConnectionState s) { return by_state_[static_cast<std::size_t>(s)]; }

  const std::size_t max_;
  mutable std::mutex mu_;
  Id next_id_ = 1;
  std::size_t evicting_ = 0;
  std::unordered_map<Id, Entry> entries_;
  std::array<std::list<Id>, kStates> by_state_;  // oldest first
};

}  // namespace lagwatch::http
