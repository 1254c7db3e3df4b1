// The web configuration file (--web.config.file): TLS, basic auth and response headers of the
// HTTP endpoint, in the format of prometheus/exporter-toolkit (docs/web-configuration.md there),
// so that a file written for a Prometheus exporter works here unchanged:
//
//   tls_server_config:
//     cert_file: server.crt          # relative paths: from the file's own directory
//     key_file: server.key
//     client_auth_type: RequireAndVerifyClientCert
//     client_ca_file: ca.crt
//     min_version: TLS12             # TLS10, TLS11, TLS12 (default), TLS13
//     max_version: TLS13
//     cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]   # Go's names, TLS <= 1.2
//     prefer_server_cipher_suites: true
//     curve_preferences: [X25519, CurveP256]
//     client_allowed_sans: [prometheus.example.com]
//   http_server_config:
//     http2: true                    # accepted; lagwatch speaks HTTP/1.1
//     headers: {Strict-Transport-Security: max-age=31536000}
//   basic_auth_users:
//     alice: $2y$10$...              # bcrypt only
//
// Parsing is strict: an unknown key, a wrong type, an unknown name, an inconsistent TLS setting,
// a header outside exporter-toolkit's allow-list, a password that is not a bcrypt hash: a
// WebConfigError naming the file, the key path and the line.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::http {

class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

const char* client_auth_name(ClientAuth a);
// Whether the certificate a client sends is checked against client_ca_file.
bool client_auth_verifies(ClientAuth a);

struct TlsServerSettings {
  std::string cert_file;  // absolute, or relative to the working directory once resolved
  std::string key_file;
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  std::string client_ca_file;
  int min_version = 0x0303;  // TLS 1.2 (TLS1_2_VERSION)
  int max_version = 0x0304;  // TLS 1.3
  // OpenSSL names of the TLS <= 1.2 suites, in order; empty: OpenSSL's defaults.
  std::vector<std::string> openssl_ciphers;
  bool prefer_server_cipher_suites = true;
  std::vector<std::string> openssl_groups;  // e.g. "X25519", "P-256"; empty: defaults
  std::vector<std::string> client_allowed_sans;

  bool operator==(const TlsServerSettings&) const = default;
};

struct WebConfigFile {
  std::optional<TlsServerSettings> tls;                      // absent: plain HTTP
  bool http2 = true;                                         // accepted and ignored: lagwatch speaks HTTP/1.1
  std::vector<std::pair<std::string, std::string>> headers;  // sorted by name
  std::map<std::string, std::string> users;                  // name -> bcrypt hash

  bool operator==(const WebConfigFile&) const = default;
};

// Parses the YAML text of the file `file_name` (named in errors); relative paths are resolved
// against `base_dir`. Checks the format only: files are not opened (see load_web_config).
WebConfigFile parse_web_config(const std::string& yaml_text, const std::string& file_name, const std::string& base_dir);

// Reads and parses `path`; throws WebConfigError naming the path when it cannot be read.
WebConfigFile read_web_config(const std::string& path);

// The headers exporter-toolkit lets a web config set, and the values it allows (empty: any):
// nullopt when `name` may be set to `value`, else why not.
std::optional<std::string> header_problem(const std::string& name, const std::string& value);

// OpenSSL's name of a Go TLS <= 1.2 cipher suite name (crypto/tls CipherSuites()), "" for a TLS
// 1.3 suite (not configurable, as in Go), nullopt for an unknown name.
std::optional<std::string> openssl_cipher_name(const std::string& go_name);

// Whether `hash` is a bcrypt hash ($2a$, $2b$ or $2y$, cost 4..31, 53 characters after the cost).
bool is_bcrypt_hash(const std::string& hash);

}  // namespace lagwatch::http
