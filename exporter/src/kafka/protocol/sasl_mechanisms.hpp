// The client side of the SASL mechanisms lagwatch logs in with, as tokens only (no I/O): the
// caller carries them in SaslAuthenticate (sasl.hpp).
//
// - PLAIN (RFC 4616): one token, "\0user\0password"; the server answers with an empty token.
// - SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677; Kafka KIP-84): client-first, the
//   server's salt/iterations/nonce, client-final with the proof, then the server's signature,
//   which lagwatch checks: a wrong one means the server does not know the password, i.e. it
//   is not the broker it claims to be. No channel binding ("n,,"), no SASLprep of the
//   password (Kafka's own clients use it as UTF-8 bytes, unnormalised).
// - OAUTHBEARER (RFC 7628, KIP-255): the initial client response carrying a bearer token.
//
// Passwords never appear in exception messages or anything else lagwatch might log; the
// SCRAM client wipes its copy as soon as the salted password is derived.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lagwatch::kafka::protocol {

// A mechanism exchange that cannot go on: a malformed server message, a server error (`e=`),
// a nonce or iteration count lagwatch refuses, or a server signature that does not verify.
// The message names the problem, never a credential.
class SaslAuthenticationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// PLAIN: [authzid] \0 authcid \0 passwd. Kafka takes an empty authzid (or one equal to the user).
std::vector<uint8_t> plain_initial_response(std::string_view username, std::string_view password,
                                            std::string_view authzid = {});

// OAUTHBEARER: "n,,\x01auth=Bearer <token>\x01[key=value\x01]...\x01". Extensions (KIP-342)
// are sent as given; keys must be alphabetic and "auth" is reserved (std::invalid_argument).
std::vector<uint8_t> oauthbearer_initial_response(
    std::string_view token, const std::vector<std::pair<std::string, std::string>>& extensions = {});

enum class ScramAlgorithm { sha256, sha512 };

// "SCRAM-SHA-256" / "SCRAM-SHA-512".
const char* scram_mechanism_name(ScramAlgorithm algorithm);

// RFC 5802 saslname: "=" as "=3D" and "," as "=2C".
std::string scram_escape_username(std::string_view username);

// Below this many iterations the server's salted password is too cheap to attack (RFC 7677
// and Kafka both require 4096); above the maximum a hostile server could make lagwatch spin
// (Kafka itself creates credentials with at most 16384).
inline constexpr int kScramMinIterations = 4096;
inline constexpr int kScramMaxIterations = 1 << 20;

// One SCRAM exchange. Use: client_first() -> send; client_final(server_first) -> send;
// verify_server_final(server_final). Each step once, in order (std::logic_error otherwise).
class ScramClient {
 public:
  // `nonce` is for tests; by default 24 bytes from RAND_bytes, base64 (32 printable
  // characters, no ','). An injected nonce must be printable ASCII without ','.
  ScramClient(ScramAlgorithm algorithm, std::string username, std::string password,
              std::optional<std::string> nonce = std::nullopt);
  ~ScramClient();
  ScramClient(const ScramClient&) = delete;
  ScramClient& operator=(const ScramClient&) = delete;

  // "n,,n=<escaped user>,r=<client nonce>".
  std::string client_first();
  // Parses server-first ("r=<nonce>,s=<base64 salt>,i=<iterations>"), refuses it (throws
  // SaslAuthenticationError) when it carries e=, lacks a field, has a nonce not extending
  // the client's, or too few or too many iterations; returns "c=biws,r=<nonce>,p=<proof>".
  std::string client_final(std::string_view server_first);
  // Checks "v=<base64 server signature>"; throws SaslAuthenticationError on "e=...", a
  // malformed message or a signature mismatch.
  void verify_server_final(std::string_view server_final);

  const std::string& client_nonce() const { return nonce_; }

 private:
  enum class Step { first, final, verify, done };
  ScramAlgorithm algorithm_;
  std::string username_;
  std::string password_;
  std::string nonce_;
  std::string client_first_bare_;
  std::vector<uint8_t> server_signature_;
  Step step_ = Step::first;
};

// The SCRAM computation itself, for tests and for checking captured exchanges: the proof
// (base64) for `auth_message` ("client-first-bare,server-first,client-final-without-proof")
// and the server signature (base64) the server must send back.
struct ScramProof {
  std::string client_proof;
  std::string server_signature;
};
ScramProof scram_proof(ScramAlgorithm algorithm, std::string_view password, std::span<const uint8_t> salt,
                       int iterations, std::string_view auth_message);

// Base64 (RFC 4648, with padding), as SCRAM uses it. decode: nullopt if not canonical base64.
std::string base64_encode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace lagwatch::kafka::protocol
