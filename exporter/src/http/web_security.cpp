#include "http/web_security.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lagwatch::http {
namespace {

namespace ssl = boost::asio::ssl;

std::string openssl_error() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out = buf;  // the last one is usually the most specific
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

[[noreturn]] void fail(const std::string& path, const std::string& key, const std::string& what) {
  throw WebConfigError("web config " + path + ": " + key + ": " + what);
}

void check_readable(const std::string& path, const std::string& key, const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) fail(path, key, "cannot read " + file + ": " + std::strerror(errno));
  std::fclose(f);
}

const char* version_text(int v) {
  switch (v) {
    case 0x0301:
      return "1.0";
    case 0x0302:
      return "1.1";
    case 0x0303:
      return "1.2";
    default:
      return "1.3";
  }
}

int accept_any_certificate(int, X509_STORE_CTX*) { return 1; }

std::shared_ptr<ssl::context> make_tls_context(const std::string& path, const TlsServerSettings& t) {
  const std::string at = "tls_server_config.";
  check_readable(path, at + "cert_file", t.cert_file);
  check_readable(path, at + "key_file", t.key_file);
  if (!t.client_ca_file.empty()) check_readable(path, at + "client_ca_file", t.client_ca_file);
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* c = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(c, t.min_version) != 1 || SSL_CTX_set_max_proto_version(c, t.max_version) != 1) {
    fail(path, at + "min_version", "not supported by this OpenSSL: " + openssl_error());
  }
  long options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
  if (t.prefer_server_cipher_suites) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(c, static_cast<uint64_t>(options));
  if (!t.openssl_ciphers.empty()) {
    std::string list;
    for (const auto& s : t.openssl_ciphers) list += (list.empty() ? "" : ":") + s;
    if (SSL_CTX_set_cipher_list(c, list.c_str()) != 1) {
      fail(path, at + "cipher_suites", "OpenSSL accepts none of them: " + openssl_error());
    }
  }
  if (!t.openssl_groups.empty()) {
    std::string list;
    for (const auto& s : t.openssl_groups) list += (list.empty() ? "" : ":") + s;
    if (SSL_CTX_set1_groups_list(c, list.c_str()) != 1) {
      fail(path, at + "curve_preferences", "not supported by this OpenSSL: " + openssl_error());
    }
  }
  if (SSL_CTX_use_certificate_chain_file(c, t.cert_file.c_str()) != 1) {
    fail(path, at + "cert_file", "cannot load the certificate in " + t.cert_file + ": " + openssl_error());
  }
  if (SSL_CTX_use_PrivateKey_file(c, t.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    fail(path, at + "key_file", "cannot load the private key in " + t.key_file + ": " + openssl_error());
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    fail(path, at + "key_file", t.key_file + " is not the key of the certificate in " + t.cert_file);
  }
  if (!t.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(c, t.client_ca_file.c_str(), nullptr) != 1) {
      fail(path, at + "client_ca_file", "no CA certificate in " + t.client_ca_file + ": " + openssl_error());
    }
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(t.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(c, names);
    }
  }
  static const unsigned char kSessionContext[] = "lagwatch";
  SSL_CTX_set_session_id_context(c, kSessionContext, sizeof kSessionContext - 1);
  switch (t.client_auth) {
    case ClientAuth::kNoClientCert:
      SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuth::kRequestClientCert:
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER, accept_any_certificate);
      break;
    case ClientAuth::kRequireAnyClientCert:
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_certificate);
      break;
    case ClientAuth::kVerifyClientCertIfGiven:
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::kRequireAndVerifyClientCert:
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
  return ctx;
}

std::string asn1_text(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

}  // namespace

std::shared_ptr<const WebSecurityState> load_web_security(const std::string& path, std::size_t max_concurrent_bcrypts) {
  auto state = std::make_shared<WebSecurityState>();
  state->path = path;
  state->file = read_web_config(path);
  if (state->file.tls) state->tls = make_tls_context(path, *state->file.tls);
  if (!state->file.users.empty()) {
    state->auth = std::make_shared<BasicAuth>(state->file.users, max_concurrent_bcrypts);
  }
  return state;
}

std::string describe(const WebSecurityState& s) {
  const std::string auth =
      s.auth ? "basic auth: " + std::to_string(s.auth->users()) + (s.auth->users() == 1 ? " user" : " users")
             : "basic auth: off";
  if (!s.file.tls) return "HTTP (no TLS, " + auth + ")";
  const auto& t = *s.file.tls;
  std::string versions = std::string("TLS ") + version_text(t.min_version) +
                         (t.max_version == 0x0304 ? "+" : std::string("-") + version_text(t.max_version));
  const std::string certs =
      t.client_auth == ClientAuth::kNoClientCert ? std::string("none") : client_auth_name(t.client_auth);
  return "HTTPS (" + versions + ", client certs: " + certs + ", " + auth + ")";
}

std::optional<std::string> client_certificate_problem(SSL* ssl, const TlsServerSettings& tls) {
  if (tls.client_allowed_sans.empty()) return std::nullopt;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return "no client certificate to match against client_allowed_sans";
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  std::vector<std::string> found;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS || n->type == GEN_EMAIL || n->type == GEN_URI) {
      found.push_back(asn1_text(n->d.ia5));
    } else if (n->type == GEN_IPADD) {
      const int len = ASN1_STRING_length(n->d.ip);
      char buf[INET6_ADDRSTRLEN] = {};
      if ((len == 4 || len == 16) &&
          inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(n->d.ip), buf, sizeof buf) != nullptr) {
        found.emplace_back(buf);
      }
    }
  }
  GENERAL_NAMES_free(names);
  for (const auto& f : found) {
    if (std::find(tls.client_allowed_sans.begin(), tls.client_allowed_sans.end(), f) != tls.client_allowed_sans.end())
      return std::nullopt;
  }
  return "the client certificate has none of the SANs of client_allowed_sans";
}

WebSecurity::WebSecurity(std::string path, std::set<std::string> open_paths, std::size_t max_concurrent_bcrypts)
    : path_(std::move(path)), open_paths_(std::move(open_paths)), max_bcrypts_(max_concurrent_bcrypts) {
  state_ = load_web_security(path_, max_bcrypts_);
  loaded_ids_ = fingerprint(state_.get());
  last_check_ = std::chrono::steady_clock::now();
}

std::vector<WebSecurity::FileId> WebSecurity::fingerprint(const WebSecurityState* state) const {
  std::vector<std::string> files{path_};
  if (state != nullptr && state->file.tls) {
    files.push_back(state->file.tls->cert_file);
    files.push_back(state->file.tls->key_file);
    if (!state->file.tls->client_ca_file.empty()) files.push_back(state->file.tls->client_ca_file);
  }
  std::vector<FileId> out;
  for (const auto& f : files) {
    FileId id;
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0) {
      id.dev = st.st_dev;
      id.ino = st.st_ino;
      id.size = st.st_size;
      id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    }
    out.push_back(id);
  }
  return out;
}

std::string WebSecurity::check_locked(bool force) {
  last_check_ = std::chrono::steady_clock::now();
  const auto ids = fingerprint(state_.get());
  if (!force && ids == loaded_ids_) return "web config unchanged";
  if (!force && ids == failed_ids_) return "web config still broken, the running one is kept";
  std::shared_ptr<const WebSecurityState> next;
  std::string problem;
  try {
    next = load_web_security(path_, max_bcrypts_);
    if ((next->tls != nullptr) != (state_->tls != nullptr)) {
      problem = std::string("web config ") + path_ + ": switching between HTTPS and plain HTTP needs a restart";
    }
  } catch (const std::exception& e) {
    problem = e.what();
  }
  if (!problem.empty()) {
    failed_ids_ = ids;
    const std::string message = problem + "; still serving with the previous web config";
    spdlog::error("{}", message);
    return message;
  }
  const bool same = next->file == state_->file;
  state_ = next;
  loaded_ids_ = fingerprint(state_.get());
  failed_ids_.clear();
  ++reloads_;
  const std::string message =
      "web config " + path_ + (same ? " re-read (certificates reloaded)" : " reloaded") + ": " + describe(*state_);
  spdlog::info("{}", message);
  return message;
}

std::shared_ptr<const WebSecurityState> WebSecurity::current() {
  std::lock_guard lock(mu_);
  if (std::chrono::steady_clock::now() - last_check_ >= std::chrono::seconds(1)) check_locked(false);
  return state_;
}

std::string WebSecurity::reload(bool force) {
  std::lock_guard lock(mu_);
  return check_locked(force);
}

std::uint64_t WebSecurity::reloads() const {
  std::lock_guard lock(mu_);
  return reloads_;
}

}  // namespace lagwatch::http
