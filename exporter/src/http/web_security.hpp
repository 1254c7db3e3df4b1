// The web config file in force: its TLS context (certificates loaded), its basic auth users and
// its headers, re-read when the file or a certificate it names changes.
//
// Reload, as exporter-toolkit does (it re-reads the file for every new TLS connection):
// current() looks at the files (inode, size, modification time of the web config file and of the
// cert, key and client CA files) at most once a second, and reload() (SIGHUP, POST /-/reload)
// looks at once. A changed set that loads replaces the old one for new connections (TLS) and new
// requests (auth, headers); one that does not load is logged once as an error and the old one
// goes on serving until the files change again. Switching between HTTPS and plain HTTP is
// refused the same way: it needs a restart.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/basic_auth.hpp"
#include "http/web_config.hpp"

using SSL = struct ssl_st;

namespace boost::asio::ssl {
class context;
}

namespace lagwatch::http {

// One loaded version of the web config file; immutable.
struct WebSecurityState {
  std::string path;
  WebConfigFile file;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::shared_ptr<BasicAuth> auth;                 // null: no basic auth
};

// Reads `path`, loads the certificates and keys it names; throws WebConfigError naming the file
// and the key. `max_concurrent_bcrypts` bounds password checks (see BasicAuth).
std::shared_ptr<const WebSecurityState> load_web_security(const std::string& path,
                                                          std::size_t max_concurrent_bcrypts = 1);

// "HTTPS (TLS 1.2+, client certs: RequireAndVerifyClientCert, basic auth: 2 users)" or
// "HTTP (no TLS, basic auth: off)".
std::string describe(const WebSecurityState& state);

// After a TLS handshake: nullopt when the client certificate is acceptable under
// client_allowed_sans (always when that list is empty), else why not.
std::optional<std::string> client_certificate_problem(SSL* ssl, const TlsServerSettings& tls);

class WebSecurity {
 public:
  // Loads `path` (throws WebConfigError). Requests for `open_paths` (e.g. /healthz) need no
  // basic auth.
  WebSecurity(std::string path, std::set<std::string> open_paths, std::size_t max_concurrent_bcrypts = 1);
  WebSecurity(const WebSecurity&) = delete;
  WebSecurity& operator=(const WebSecurity&) = delete;

  // The state in force, after looking at the files when a second has passed since last time.
  std::shared_ptr<const WebSecurityState> current();
  // Looks at the files now; reloads them if they changed (or `force`). Returns a one-line
  // outcome for the reload message ("web config unchanged", "web config reloaded", or the error).
  std::string reload(bool force = false);

  bool is_open_path(const std::string& path) const { return open_paths_.count(path) > 0; }
  const std::string& path() const { return path_; }
  // Successful loads since the first; for tests.
  std::uint64_t reloads() const;

 private:
  struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = -1;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileId&) const = default;
  };
  std::vector<FileId> fingerprint(const WebSecurityState* state) const;
  std::string check_locked(bool force);

  const std::string path_;
  const std::set<std::string> open_paths_;
  const std::size_t max_bcrypts_;
  mutable std::mutex mu_;
  std::shared_ptr<const WebSecurityState> state_;  // guarded by mu_
  std::vector<FileId> loaded_ids_;                 // of state_'s files
  std::vector<FileId> failed_ids_;                 // of the last set that failed to load
  std::chrono::steady_clock::time_point last_check_{};
  std::uint64_t reloads_ = 0;
};

}  // namespace lagwatch::http
