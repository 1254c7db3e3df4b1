#include "kafka/protocol/sasl_mechanisms.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace lagwatch::kafka::protocol {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const EVP_MD* digest(ScramAlgorithm a) { return a == ScramAlgorithm::sha256 ? EVP_sha256() : EVP_sha512(); }

using Bytes = std::vector<uint8_t>;

Bytes hmac(ScramAlgorithm a, std::span<const uint8_t> key, std::string_view data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (!HMAC(digest(a), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out.data(), &n))
    throw SaslAuthenticationError("SCRAM: HMAC failed");
  out.resize(n);
  return out;
}

Bytes hash(ScramAlgorithm a, std::span<const uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (!EVP_Digest(data.data(), data.size(), out.data(), &n, digest(a), nullptr))
    throw SaslAuthenticationError("SCRAM: digest failed");
  out.resize(n);
  return out;
}

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}
void wipe(Bytes& b) {
  if (!b.empty()) OPENSSL_cleanse(b.data(), b.size());
  b.clear();
}

// Printable ASCII except ',' (RFC 5802 "printable").
bool printable_nonce(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7e && c != ','; });
}

// The attributes of a SCRAM message: "a=value" separated by ','.
std::vector<std::pair<char, std::string_view>> attributes(std::string_view message, const char* which) {
  std::vector<std::pair<char, std::string_view>> out;
  size_t pos = 0;
  while (pos <= message.size()) {
    size_t end = message.find(',', pos);
    if (end == std::string_view::npos) end = message.size();
    const auto part = message.substr(pos, end - pos);
    if (part.size() < 2 || part[1] != '=' ||
        !((part[0] >= 'a' && part[0] <= 'z') || (part[0] >= 'A' && part[0] <= 'Z')))
      throw SaslAuthenticationError(std::string("SCRAM: malformed ") + which + " message");
    out.emplace_back(part[0], part.substr(2));
    pos = end + 1;
  }
  return out;
}

[[noreturn]] void server_error(std::string_view value, const char* which) {
  // The server's error value is a short token (RFC 5802 server-error-value); keep it bounded.
  throw SaslAuthenticationError(std::string("SCRAM: server refused in its ") + which +
                                " message: " + std::string(value.substr(0, 100)));
}

}  // namespace

std::string base64_encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8 | bytes[i + 2];
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint32_t(bytes[i]) << 16;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::vector<uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<size_t>(k)];
      int d = 0;
      if (k >= 4 - pad) {
        if (c != '=') return std::nullopt;
      } else {
        d = value(c);
        if (d < 0) return std::nullopt;
      }
      v = v << 6 | static_cast<uint32_t>(d);
    }
    // Canonical: the bits under the padding are zero.
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) return std::nullopt;
    out.push_back(static_cast<uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(v));
  }
  return out;
}

std::vector<uint8_t> plain_initial_response(std::string_view username, std::string_view password,
                                            std::string_view authzid) {
  auto has_nul = [](std::string_view s) { return s.find('\0') != std::string_view::npos; };
  if (has_nul(username) || has_nul(password) || has_nul(authzid))
    throw std::invalid_argument("SASL PLAIN: the username, password and authzid may not contain NUL");
  std::vector<uint8_t> out;
  out.reserve(authzid.size() + username.size() + password.size() + 2);
  out.insert(out.end(), authzid.begin(), authzid.end());
  out.push_back(0);
  out.insert(out.end(), username.begin(), username.end());
  out.push_back(0);
  out.insert(out.end(), password.begin(), password.end());
  return out;
}

std::vector<uint8_t> oauthbearer_initial_response(std::string_view token,
                                                  const std::vector<std::pair<std::string, std::string>>& extensions) {
  // RFC 6750 b64token characters: the token may not break the \x01-separated framing.
  const bool token_ok = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~+/=").find(c) != std::string_view::npos;
  });
  if (!token_ok) throw std::invalid_argument("OAUTHBEARER: the token is not a bearer token (RFC 6750 b64token)");
  std::string s =
      "n,,\x01"
      "auth=Bearer ";
  s += token;
  for (const auto& [key, value] : extensions) {
    const bool key_ok = !key.empty() && key != "auth" && std::all_of(key.begin(), key.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c));
    });
    const bool value_ok = std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    });
    if (!key_ok || !value_ok) throw std::invalid_argument("OAUTHBEARER: invalid extension \"" + key + "\"");
    s += '\x01';
    s += key;
    s += '=';
    s += value;
  }
  s += "\x01\x01";
  return {s.begin(), s.end()};
}

const char* scram_mechanism_name(ScramAlgorithm algorithm) {
  return algorithm == ScramAlgorithm::sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
}

std::string scram_escape_username(std::string_view username) {
  std::string out;
  out.reserve(username.size());
  for (char c : username) {
    if (c == '=')
      out += "=3D";
    else if (c == ',')
      out += "=2C";
    else
      out += c;
  }
  return out;
}

ScramProof scram_proof(ScramAlgorithm algorithm, std::string_view password, std::span<const uint8_t> salt,
                       int iterations, std::string_view auth_message) {
  const size_t len = static_cast<size_t>(EVP_MD_size(digest(algorithm)));
  Bytes salted(len);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        iterations, digest(algorithm), static_cast<int>(len), salted.data()) != 1)
    throw SaslAuthenticationError("SCRAM: PBKDF2 failed");
  Bytes client_key = hmac(algorithm, salted, "Client Key");
  Bytes stored_key = hash(algorithm, client_key);
  const Bytes client_signature = hmac(algorithm, stored_key, auth_message);
  Bytes proof(client_key.size());
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ client_signature[i];
  Bytes server_key = hmac(algorithm, salted, "Server Key");
  const Bytes server_signature = hmac(algorithm, server_key, auth_message);
  ScramProof out{base64_encode(proof), base64_encode(server_signature)};
  wipe(salted);
  wipe(client_key);
  wipe(stored_key);
  wipe(server_key);
  return out;
}

ScramClient::ScramClient(ScramAlgorithm algorithm, std::string username, std::string password,
                         std::optional<std::string> nonce)
    : algorithm_(algorithm), username_(std::move(username)), password_(std::move(password)) {
  if (nonce) {
    if (!printable_nonce(*nonce)) throw std::invalid_argument("SCRAM: a nonce must be printable ASCII without ','");
    nonce_ = std::move(*nonce);
  } else {
    std::array<uint8_t, 24> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
      throw SaslAuthenticationError("SCRAM: RAND_bytes failed");
    nonce_ = base64_encode(random);  // 32 characters, no padding, no ','
  }
}

ScramClient::~ScramClient() { wipe(password_); }

std::string ScramClient::client_first() {
  if (step_ != Step::first) throw std::logic_error("SCRAM: client_first called out of order");
  client_first_bare_ = "n=" + scram_escape_username(username_) + ",r=" + nonce_;
  step_ = Step::final;
  return "n,," + client_first_bare_;
}

std::string ScramClient::client_final(std::string_view server_first) {
  if (step_ != Step::final) throw std::logic_error("SCRAM: client_final called out of order");
  step_ = Step::done;  // a refused server-first ends the exchange
  const auto attrs = attributes(server_first, "server-first");
  if (attrs.front().first == 'e') server_error(attrs.front().second, "server-first");
  if (attrs.front().first == 'm') throw SaslAuthenticationError("SCRAM: the server requires an unknown extension");
  // RFC 5802: r, s, i in this order, then optional extensions.
  if (attrs.size() < 3 || attrs[0].first != 'r' || attrs[1].first != 's' || attrs[2].first != 'i')
    throw SaslAuthenticationError("SCRAM: server-first message lacks r=, s= or i=");
  const std::string_view server_nonce = attrs[0].second;
  if (!printable_nonce(server_nonce) || server_nonce.size() <= nonce_.size() ||
      server_nonce.substr(0, nonce_.size()) != nonce_)
    throw SaslAuthenticationError("SCRAM: the server nonce does not extend the client nonce");
  const auto salt = base64_decode(attrs[1].second);
  if (!salt || salt->empty()) throw SaslAuthenticationError("SCRAM: the salt is not base64");
  const std::string_view it = attrs[2].second;
  int iterations = 0;
  const auto [end, ec] = std::from_chars(it.data(), it.data() + it.size(), iterations);
  if (ec != std::errc() || end != it.data() + it.size() || it.empty() || it[0] == '-')
    throw SaslAuthenticationError("SCRAM: the iteration count is not a number");
  if (iterations < kScramMinIterations)
    throw SaslAuthenticationError("SCRAM: the server asks for " + std::to_string(iterations) +
                                  " iterations, fewer than " + std::to_string(kScramMinIterations));
  if (iterations > kScramMaxIterations)
    throw SaslAuthenticationError("SCRAM: the server asks for " + std::to_string(iterations) +
                                  " iterations, more than " + std::to_string(kScramMaxIterations));

  const std::string without_proof = "c=biws,r=" + std::string(server_nonce);  // biws = base64("n,,")
  const std::string auth_message = client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
  ScramProof p = scram_proof(algorithm_, password_, *salt, iterations, auth_message);
  wipe(password_);
  server_signature_ = *base64_decode(p.server_signature);
  step_ = Step::verify;
  return without_proof + ",p=" + p.client_proof;
}

void ScramClient::verify_server_final(std::string_view server_final) {
  if (step_ != Step::verify) throw std::logic_error("SCRAM: verify_server_final called out of order");
  step_ = Step::done;
  const auto attrs = attributes(server_final, "server-final");
  if (attrs.front().first == 'e') server_error(attrs.front().second, "server-final");
  if (attrs.front().first != 'v') throw SaslAuthenticationError("SCRAM: server-final message lacks v=");
  const auto signature = base64_decode(attrs.front().second);
  const bool ok = signature && signature->size() == server_signature_.size() &&
                  CRYPTO_memcmp(signature->data(), server_signature_.data(), server_signature_.size()) == 0;
  wipe(server_signature_);
  if (!ok)
    throw SaslAuthenticationError(
        "SCRAM: the server's signature does not verify: it does not know the credentials (not the broker it claims to "
        "be)");
}

}  // namespace lagwatch::kafka::protocol
