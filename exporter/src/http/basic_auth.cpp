#include "http/basic_auth.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>

#include "http/ascii.hpp"
#include "util/base64.hpp"

namespace lagwatch::http {
namespace {

// bcrypts running in the process (every BasicAuth, so a reload does not double the budget).
std::atomic<std::size_t> g_bcrypts_running{0};

std::array<unsigned char, 32> sha256_of(const std::string& user, const std::string& password, const std::string& hash) {
  std::array<unsigned char, 32> out{};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  // Lengths first, so ("ab", "c") and ("a", "bc") never collide.
  const std::string lengths = std::to_string(user.size()) + ":" + std::to_string(password.size()) + ":";
  unsigned int n = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), lengths.data(), lengths.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), user.data(), user.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), password.data(), password.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), hash.data(), hash.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &n) != 1) {
    throw std::runtime_error("basic auth: SHA-256 failed");
  }
  return out;
}

}  // namespace

bool bcrypt_verify(const std::string& password, const std::string& hash) {
  if (password.find('\0') != std::string::npos) return false;
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* out = crypt_rn(password.c_str(), hash.c_str(), &data, sizeof data);
  if (out == nullptr || out[0] == '*') return false;
  const std::size_t n = std::strlen(out);
  return n == hash.size() && CRYPTO_memcmp(out, hash.data(), n) == 0;
}

const char* auth_reason(AuthDecision::Kind k) {
  switch (k) {
    case AuthDecision::kOk:
      return "ok";
    case AuthDecision::kNoCredentials:
      return "no credentials";
    case AuthDecision::kMalformed:
      return "malformed Authorization header";
    case AuthDecision::kUnknownUser:
      return "unknown user";
    case AuthDecision::kWrongPassword:
      return "wrong password";
    case AuthDecision::kBusy:
      return "too many password checks at once";
  }
  return "?";
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, std::size_t max_concurrent, std::size_t cache_size)
    : users_(std::move(users)), max_concurrent_(max_concurrent < 1 ? 1 : max_concurrent), cache_size_(cache_size) {}

std::size_t BasicAuth::cached() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

bool BasicAuth::verify_slowly(const std::string& password, const std::string& hash, bool& busy) {
  busy = false;
  if (g_bcrypts_running.fetch_add(1) >= max_concurrent_) {
    g_bcrypts_running.fetch_sub(1);
    busy = true;
    return false;
  }
  bcrypts_.fetch_add(1);
  const bool ok = bcrypt_verify(password, hash);
  g_bcrypts_running.fetch_sub(1);
  return ok;
}

AuthDecision BasicAuth::check(std::string_view header) {
  AuthDecision d;
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
  if (header.empty()) return d;  // kNoCredentials
  d.kind = AuthDecision::kMalformed;
  if (header.size() < 6 || !ascii_iequals(header.substr(0, 6), "basic ")) return d;
  header.remove_prefix(6);
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  const std::string decoded = util::base64_decode(header).value_or("");
  const std::size_t colon = decoded.find(':');
  if (colon == std::string::npos) return d;
  d.user = decoded.substr(0, colon);
  const std::string password = decoded.substr(colon + 1);

  const auto it = users_.find(d.user);
  const bool known = it != users_.end();
  // An unknown user's password is checked against a real hash all the same (same cost), and
  // refused whatever the result.
  const std::string& hash = known ? it->second : users_.begin()->second;
  const Key key = sha256_of(d.user, password, hash);
  if (known) {
    std::lock_guard lock(mu_);
    if (cache_.count(key)) {
      d.kind = AuthDecision::kOk;
      return d;
    }
  }
  bool busy = false;
  const bool match = verify_slowly(password, hash, busy);
  if (busy) {
    d.kind = AuthDecision::kBusy;
    return d;
  }
  if (!known) {
    d.kind = AuthDecision::kUnknownUser;
    return d;
  }
  if (!match) {
    d.kind = AuthDecision::kWrongPassword;
    return d;
  }
  d.kind = AuthDecision::kOk;
  std::lock_guard lock(mu_);
  if (cache_size_ > 0 && cache_.insert(key).second) {
    order_.push_back(key);
    while (order_.size() > cache_size_) {
      cache_.erase(order_.front());
      order_.pop_front();
    }
  }
  return d;
}

}  // namespace lagwatch::http
