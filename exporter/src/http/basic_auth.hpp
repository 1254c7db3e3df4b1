// HTTP basic authentication against bcrypt hashes (the web config's basic_auth_users).
//
// bcrypt is slow on purpose (cost 10: 50-100 ms), so:
//  * a successful check is cached, keyed by a SHA-256 of user, password and hash (a bounded
//    set, oldest out first), so a scrape every few seconds costs one bcrypt, not one each;
//  * a failed check is never cached and always pays a bcrypt, also for an unknown user (whose
//    password is checked against a configured user's hash and refused whatever it says), so the
//    time taken does not tell whether a user exists;
//  * at most `max_concurrent` bcrypts run at once in the process; a check that would be one more
//    is refused at once (kBusy: the server answers 429), so unauthenticated clients cannot
//    occupy every server thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace lagwatch::http {

// Whether `password` matches the bcrypt `hash` (libxcrypt); false for a malformed hash.
bool bcrypt_verify(const std::string& password, const std::string& hash);

struct AuthDecision {
  enum Kind { kOk, kNoCredentials, kMalformed, kUnknownUser, kWrongPassword, kBusy };
  Kind kind = kNoCredentials;
  std::string user;  // as sent ("" when none could be decoded)
};

// "no credentials", "unknown user", ... for logs.
const char* auth_reason(AuthDecision::Kind k);

class BasicAuth {
 public:
  // users: name -> bcrypt hash (not empty).
  explicit BasicAuth(std::map<std::string, std::string> users, std::size_t max_concurrent = 1,
                     std::size_t cache_size = 256);
  BasicAuth(const BasicAuth&) = delete;
  BasicAuth& operator=(const BasicAuth&) = delete;

  // `authorization`: the Authorization header's value ("" when absent).
  AuthDecision check(std::string_view authorization);

  std::size_t users() const { return users_.size(); }
  // For tests: bcrypts computed so far, and successful checks cached now.
  std::uint64_t bcrypts() const { return bcrypts_.load(); }
  std::size_t cached() const;

 private:
  using Key = std::array<unsigned char, 32>;
  bool verify_slowly(const std::string& password, const std::string& hash, bool& busy);

  const std::map<std::string, std::string> users_;
  const std::size_t max_concurrent_;
  const std::size_t cache_size_;
  std::atomic<std::uint64_t> bcrypts_{0};
  mutable std::mutex mu_;
  std::set<Key> cache_;    // guarded by mu_
  std::deque<Key> order_;  // insertion order, for eviction; guarded by mu_
};

}  // namespace lagwatch::http
