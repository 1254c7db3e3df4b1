#include "http/web_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "http/ascii.hpp"

namespace lagwatch::http {
namespace {

struct Context {
  const std::string& file;
  const std::string& base_dir;
};

[[noreturn]] void fail(const Context& c, const std::string& key, const std::string& what, const YAML::Node* node) {
  std::string msg = "web config " + c.file + ": " + (key.empty() ? std::string() : key + ": ") + what;
  if (node != nullptr && node->Mark().line >= 0) msg += " (line " + std::to_string(node->Mark().line + 1) + ")";
  throw WebConfigError(msg);
}

std::string kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "\"" + n.Scalar() + "\"";
  }
}

void expect_map(const Context& c, const YAML::Node& n, const std::string& key) {
  if (!n.IsMap()) fail(c, key, "expected a map, got " + kind(n), &n);
}

// Every key of the map `n` must be in `allowed`.
void check_keys(const Context& c, const YAML::Node& n, const std::string& at,
                std::initializer_list<const char*> allowed) {
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) fail(c, at, "keys must be names", &it->first);
    const std::string& k = it->first.Scalar();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(c, at.empty() ? k : at + "." + k, "unknown key; expected one of " + list, &it->first);
    }
  }
}

std::string scalar(const Context& c, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) fail(c, key, "expected a string, got " + kind(n), &n);
  return n.Scalar();
}

bool boolean(const Context& c, const YAML::Node& n, const std::string& key) {
  if (n.IsScalar()) {
    std::string s = n.Scalar();
    s = ascii_to_lower(s);
    if (s == "true") return true;
    if (s == "false") return false;
  }
  fail(c, key, "expected true or false, got " + kind(n), &n);
}

std::vector<std::string> strings(const Context& c, const YAML::Node& n, const std::string& key) {
  if (n.IsNull()) return {};
  if (!n.IsSequence()) fail(c, key, "expected a list, got " + kind(n), &n);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(scalar(c, n[i], key + "[" + std::to_string(i) + "]"));
  return out;
}

std::string path_in(const Context& c, const std::string& p) {
  if (p.empty()) return p;
  const std::filesystem::path fp(p);
  return fp.is_absolute() ? p : (std::filesystem::path(c.base_dir) / fp).lexically_normal().string();
}

int version(const Context& c, const YAML::Node& n, const std::string& key) {
  const std::string v = scalar(c, n, key);
  if (v == "TLS10") return 0x0301;
  if (v == "TLS11") return 0x0302;
  if (v == "TLS12") return 0x0303;
  if (v == "TLS13") return 0x0304;
  fail(c, key, "unknown TLS version \"" + v + "\"; expected TLS10, TLS11, TLS12 or TLS13", &n);
}

struct CipherName {
  const char* go;
  const char* openssl;  // "" for TLS 1.3 suites
};
// crypto/tls CipherSuites(): the suites Go considers secure (exporter-toolkit accepts no other).
constexpr std::array<CipherName, 17> kCiphers{{
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_AES_128_GCM_SHA256", ""},
    {"TLS_AES_256_GCM_SHA384", ""},
    {"TLS_CHACHA20_POLY1305_SHA256", ""},
}};

struct CurveName {
  const char* go;
  const char* openssl;
};
constexpr std::array<CurveName, 4> kCurves{{
    {"CurveP256", "P-256"},
    {"CurveP384", "P-384"},
    {"CurveP521", "P-521"},
    {"X25519", "X25519"},
}};

struct ClientAuthName {
  const char* name;
  ClientAuth value;
};
constexpr std::array<ClientAuthName, 6> kClientAuth{{
    {"NoClientCert", ClientAuth::kNoClientCert},
    {"RequestClientCert", ClientAuth::kRequestClientCert},
    {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
    {"RequireClientCert", ClientAuth::kRequireAnyClientCert},  // exporter-toolkit's old spelling
    {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
    {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
}};

TlsServerSettings parse_tls(const Context& c, const YAML::Node& n) {
  const std::string at = "tls_server_config";
  expect_map(c, n, at);
  check_keys(
      c, n, at,
      {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version", "cipher_suites",
       "prefer_server_cipher_suites", "curve_preferences", "client_allowed_sans", "cert", "key", "client_ca"});
  for (const char* inline_key : {"cert", "key", "client_ca"}) {
    if (n[inline_key]) {
      fail(c, at + "." + inline_key,
           "inline PEM is not supported by lagwatch; put it in a file and use " + std::string(inline_key) + "_file",
           &n);
    }
  }
  TlsServerSettings t;
  if (auto v = n["cert_file"]) t.cert_file = path_in(c, scalar(c, v, at + ".cert_file"));
  if (auto v = n["key_file"]) t.key_file = path_in(c, scalar(c, v, at + ".key_file"));
  YAML::Node auth_node = n["client_auth_type"];
  if (auth_node) {
    const std::string a = scalar(c, auth_node, at + ".client_auth_type");
    bool found = a.empty();
    for (const auto& e : kClientAuth) {
      if (a == e.name) {
        t.client_auth = e.value;
        found = true;
      }
    }
    if (!found) {
      fail(c, at + ".client_auth_type",
           "unknown value \"" + a +
               "\"; expected NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or "
               "RequireAndVerifyClientCert",
           &auth_node);
    }
  }
  if (auto v = n["client_ca_file"]) t.client_ca_file = path_in(c, scalar(c, v, at + ".client_ca_file"));
  YAML::Node min_node = n["min_version"];
  if (min_node) t.min_version = version(c, min_node, at + ".min_version");
  if (auto v = n["max_version"]) t.max_version = version(c, v, at + ".max_version");
  if (t.min_version > t.max_version) fail(c, at + ".min_version", "is above max_version", &min_node);
  if (auto v = n["cipher_suites"]) {
    const auto names = strings(c, v, at + ".cipher_suites");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto o = openssl_cipher_name(names[i]);
      if (!o) {
        fail(c, at + ".cipher_suites[" + std::to_string(i) + "]",
             "unknown cipher suite \"" + names[i] +
                 "\"; expected a name of Go's crypto/tls CipherSuites(), e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
             &v);
      }
      if (!o->empty()) t.openssl_ciphers.push_back(*o);
    }
  }
  if (auto v = n["prefer_server_cipher_suites"])
    t.prefer_server_cipher_suites = boolean(c, v, at + ".prefer_server_cipher_suites");
  if (auto v = n["curve_preferences"]) {
    const auto names = strings(c, v, at + ".curve_preferences");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto it =
          std::find_if(kCurves.begin(), kCurves.end(), [&](const CurveName& cn) { return names[i] == cn.go; });
      if (it == kCurves.end()) {
        fail(c, at + ".curve_preferences[" + std::to_string(i) + "]",
             "unknown curve \"" + names[i] + "\"; expected CurveP256, CurveP384, CurveP521 or X25519", &v);
      }
      t.openssl_groups.emplace_back(it->openssl);
    }
  }
  YAML::Node sans_node = n["client_allowed_sans"];
  if (sans_node) t.client_allowed_sans = strings(c, sans_node, at + ".client_allowed_sans");

  if (t.cert_file.empty()) fail(c, at + ".cert_file", "required when tls_server_config is set", &n);
  if (t.key_file.empty()) fail(c, at + ".key_file", "required together with cert_file", &n);
  if (client_auth_verifies(t.client_auth) && t.client_ca_file.empty()) {
    fail(c, at + ".client_ca_file",
         std::string("required: client_auth_type ") + client_auth_name(t.client_auth) +
             " verifies client certificates against it",
         &auth_node);
  }
  if (!t.client_ca_file.empty() && t.client_auth == ClientAuth::kNoClientCert) {
    fail(c, at + ".client_ca_file",
         "set without client_auth_type; set client_auth_type (e.g. RequireAndVerifyClientCert) or remove it", &n);
  }
  if (sans_node && t.client_auth != ClientAuth::kRequireAnyClientCert &&
      t.client_auth != ClientAuth::kRequireAndVerifyClientCert) {
    fail(c, at + ".client_allowed_sans", "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert",
         &sans_node);
  }
  return t;
}

}  // namespace

const char* client_auth_name(ClientAuth a) {
  switch (a) {
    case ClientAuth::kNoClientCert:
      return "NoClientCert";
    case ClientAuth::kRequestClientCert:
      return "RequestClientCert";
    case ClientAuth::kRequireAnyClientCert:
      return "RequireAnyClientCert";
    case ClientAuth::kVerifyClientCertIfGiven:
      return "VerifyClientCertIfGiven";
    case ClientAuth::kRequireAndVerifyClientCert:
      return "RequireAndVerifyClientCert";
  }
  return "?";
}

bool client_auth_verifies(ClientAuth a) {
  return a == ClientAuth::kVerifyClientCertIfGiven || a == ClientAuth::kRequireAndVerifyClientCert;
}

std::optional<std::string> openssl_cipher_name(const std::string& go_name) {
  for (const auto& c : kCiphers) {
    if (go_name == c.go) return std::string(c.openssl);
  }
  return std::nullopt;
}

std::optional<std::string> header_problem(const std::string& name, const std::string& value) {
  struct Allowed {
    const char* name;
    std::vector<const char*> values;
  };
  static const std::array<Allowed, 5> kAllowed{{
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  }};
  for (const auto& a : kAllowed) {
    if (name != a.name) continue;
    for (char ch : value) {
      if (ch == '\r' || ch == '\n' || ch == '\0') return "the value contains a line break or NUL";
    }
    if (a.values.empty() || std::any_of(a.values.begin(), a.values.end(), [&](const char* v) { return value == v; }))
      return std::nullopt;
    std::string list;
    for (const char* v : a.values) list += (list.empty() ? "\"" : ", \"") + std::string(v) + "\"";
    return "invalid value \"" + value + "\" for " + name + "; expected one of " + list;
  }
  return "HTTP header \"" + name +
         "\" can not be configured; the allowed ones are Strict-Transport-Security, X-Content-Type-Options, "
         "X-Frame-Options, X-XSS-Protection and Content-Security-Policy (as in exporter-toolkit)";
}

bool is_bcrypt_hash(const std::string& h) {
  // $2y$10$ + 22 characters of salt + 31 of hash.
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') return false;
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (!std::isdigit(static_cast<unsigned char>(h[4])) || !std::isdigit(static_cast<unsigned char>(h[5]))) return false;
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  return std::all_of(h.begin() + 7, h.end(),
                     [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '/'; });
}

WebConfigFile parse_web_config(const std::string& yaml_text, const std::string& file_name,
                               const std::string& base_dir) {
  const Context c{file_name, base_dir};
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    std::string msg = "web config " + file_name + ": not valid YAML: " + e.msg;
    if (e.mark.line >= 0) msg += " (line " + std::to_string(e.mark.line + 1) + ")";
    throw WebConfigError(msg);
  }
  WebConfigFile out;
  if (root.IsNull()) return out;  // an empty file: plain HTTP, no auth (as exporter-toolkit)
  expect_map(c, root, "");
  check_keys(c, root, "", {"tls_server_config", "http_server_config", "basic_auth_users"});
  if (auto t = root["tls_server_config"]; t && !t.IsNull()) out.tls = parse_tls(c, t);
  if (auto h = root["http_server_config"]; h && !h.IsNull()) {
    expect_map(c, h, "http_server_config");
    check_keys(c, h, "http_server_config", {"http2", "headers"});
    if (auto v = h["http2"]) out.http2 = boolean(c, v, "http_server_config.http2");
    if (auto hs = h["headers"]; hs && !hs.IsNull()) {
      expect_map(c, hs, "http_server_config.headers");
      for (auto it = hs.begin(); it != hs.end(); ++it) {
        const std::string name = scalar(c, it->first, "http_server_config.headers");
        const std::string at = "http_server_config.headers." + name;
        const std::string value = scalar(c, it->second, at);
        if (auto p = header_problem(name, value)) fail(c, at, *p, &it->first);
        out.headers.emplace_back(name, value);
      }
      std::sort(out.headers.begin(), out.headers.end());
    }
  }
  if (auto u = root["basic_auth_users"]; u && !u.IsNull()) {
    expect_map(c, u, "basic_auth_users");
    for (auto it = u.begin(); it != u.end(); ++it) {
      const std::string user = scalar(c, it->first, "basic_auth_users");
      const std::string at = "basic_auth_users." + user;
      if (user.empty() || user.find(':') != std::string::npos)
        fail(c, "basic_auth_users", "a user name must be non-empty and contain no ':'", &it->first);
      const std::string hash = scalar(c, it->second, at);
      // The hash is not quoted: it is as good as a password to an offline attacker.
      if (!is_bcrypt_hash(hash))
        fail(c, at, "not a bcrypt hash ($2y$..., 60 characters: htpasswd -nbB USER PASSWORD)", &it->second);
      out.users[user] = hash;
    }
  }
  return out;
}

WebConfigFile read_web_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WebConfigError("web config " + path + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw WebConfigError("web config " + path + ": cannot read: " + std::strerror(errno));
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_web_config(text.str(), path, dir.empty() ? "." : dir);
}

}  // namespace lagwatch::http
