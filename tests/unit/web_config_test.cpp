// The web config file (--web.config.file): the parser's every refusal, the header allow-list,
// bcrypt and the cache of successful checks, loading certificates and reloading on change.
#include "http/web_config.hpp"

#include <crypt.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "http/basic_auth.hpp"
#include "http/web_security.hpp"
#include "test_certificates.hpp"

namespace {

using namespace lagwatch::http;

// Made once with libxcrypt (python3: crypt.crypt("lagwatch-test", "$2y$05$abcdefghijklmnopqrstuv")),
// in htpasswd -B's $2y$ format. Test data, not a secret.
constexpr const char* kFixedHash = "$2y$05$abcdefghijklmnopqrstuu19b3e0f3gEuedb27QZzTmuLvBt3SQJO";
constexpr const char* kFixedPassword = "lagwatch-test";

std::string make_hash(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt), nullptr);
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* out = crypt_r(password.c_str(), salt, &data);
  EXPECT_NE(out, nullptr);
  return out;
}

WebConfigFile parse(const std::string& yaml) {
  return parse_web_config(yaml, "/etc/lagwatch/web.yml", "/etc/lagwatch");
}

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const WebConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(WebConfig, EmptyFileIsPlainHttp) {
  const auto c = parse("");
  EXPECT_FALSE(c.tls);
  EXPECT_TRUE(c.users.empty());
  EXPECT_TRUE(c.headers.empty());
}

TEST(WebConfig, FullFileParses) {
  const auto c = parse(std::string(R"(
tls_server_config:
  cert_file: server.crt
  key_file: /abs/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: certs/ca.crt
  min_version: TLS13
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  prefer_server_cipher_suites: false
  curve_preferences: [X25519, CurveP256]
  client_allowed_sans: [prometheus.example.com]
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: )") + kFixedHash +
                       "\n");
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->cert_file, "/etc/lagwatch/server.crt");
  EXPECT_EQ(c.tls->key_file, "/abs/server.key");
  EXPECT_EQ(c.tls->client_ca_file, "/etc/lagwatch/certs/ca.crt");
  EXPECT_EQ(c.tls->client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(c.tls->min_version, 0x0304);
  EXPECT_EQ(c.tls->openssl_ciphers, std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256"});
  EXPECT_FALSE(c.tls->prefer_server_cipher_suites);
  EXPECT_EQ(c.tls->openssl_groups, (std::vector<std::string>{"X25519", "P-256"}));
  EXPECT_EQ(c.tls->client_allowed_sans, std::vector<std::string>{"prometheus.example.com"});
  EXPECT_FALSE(c.http2);
  ASSERT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.headers[0].first, "Strict-Transport-Security");
  EXPECT_EQ(c.users.at("alice"), kFixedHash);
}

TEST(WebConfig, EveryRefusalNamesFileKeyAndLine) {
  struct Case {
    std::string yaml;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"tls_server_config: {cert_file: a, key_file: b}\nbogus: 1\n", "bogus: unknown key"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n", "tls_server_config.certfile: unknown key"},
      {"tls_server_config: [a]\n", "tls_server_config: expected a map, got a list"},
      {"tls_server_config: {cert_file: a}\n", "tls_server_config.key_file: required"},
      {"tls_server_config: {key_file: a}\n", "tls_server_config.cert_file: required"},
      {"tls_server_config: {cert_file: [a], key_file: b}\n", "tls_server_config.cert_file: expected a string"},
      {"tls_server_config: {cert_file: a, key_file: b, client_auth_type: Sometimes}\n",
       "client_auth_type: unknown value \"Sometimes\""},
      {"tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}\n",
       "tls_server_config.client_ca_file: required"},
      {"tls_server_config: {cert_file: a, key_file: b, client_auth_type: VerifyClientCertIfGiven}\n",
       "tls_server_config.client_ca_file: required"},
      {"tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}\n", "set without client_auth_type"},
      {"tls_server_config: {cert_file: a, key_file: b, min_version: TLS14}\n", "unknown TLS version \"TLS14\""},
      {"tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}\n",
       "min_version: is above max_version"},
      {"tls_server_config: {cert_file: a, key_file: b, cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]}\n",
       "cipher_suites[0]: unknown cipher suite \"TLS_RSA_WITH_RC4_128_SHA\""},
      {"tls_server_config: {cert_file: a, key_file: b, curve_preferences: [P-256]}\n",
       "curve_preferences[0]: unknown curve \"P-256\""},
      {"tls_server_config: {cert_file: a, key_file: b, client_allowed_sans: [x]}\n",
       "client_allowed_sans: needs client_auth_type"},
      {"tls_server_config: {cert_file: a, key_file: b, prefer_server_cipher_suites: maybe}\n",
       "prefer_server_cipher_suites: expected true or false"},
      {"tls_server_config: {cert: PEM, key_file: b}\n", "inline PEM is not supported"},
      {"http_server_config: {http3: true}\n", "http_server_config.http3: unknown key"},
      {"http_server_config: {headers: {Server: x}}\n", "HTTP header \"Server\" can not be configured"},
      {"http_server_config: {headers: {X-Frame-Options: allow}}\n", "invalid value \"allow\" for X-Frame-Options"},
      {"basic_auth_users: {alice: secret}\n", "basic_auth_users.alice: not a bcrypt hash"},
      {"basic_auth_users: {alice: [x]}\n", "basic_auth_users.alice: expected a string"},
      {"basic_auth_users: [alice]\n", "basic_auth_users: expected a map"},
      {"tls_server_config: {cert_file: a\n", "not valid YAML"},
  };
  for (const auto& c : cases) {
    const std::string e = error_of(c.yaml);
    EXPECT_NE(e.find("web config /etc/lagwatch/web.yml: "), std::string::npos) << c.yaml << " -> " << e;
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.yaml << " -> " << e;
    EXPECT_NE(e.find("(line "), std::string::npos) << c.yaml << " -> " << e;
  }
  // The hash is not quoted back (it is as good as a password offline).
  EXPECT_EQ(error_of("basic_auth_users: {alice: supersecret}\n").find("supersecret"), std::string::npos);
  EXPECT_NE(error_of("\n\nbogus: 1\n").find("(line 3)"), std::string::npos);
}

TEST(WebConfig, HeaderAllowListIsExporterToolkits) {
  EXPECT_FALSE(header_problem("Strict-Transport-Security", "max-age=31536000; includeSubDomains"));
  EXPECT_FALSE(header_problem("X-Content-Type-Options", "nosniff"));
  EXPECT_TRUE(header_problem("X-Content-Type-Options", "sniff"));
  EXPECT_FALSE(header_problem("X-Frame-Options", "deny"));
  EXPECT_FALSE(header_problem("X-Frame-Options", "sameorigin"));
  EXPECT_TRUE(header_problem("X-Frame-Options", "DENY"));  // exporter-toolkit compares exactly
  EXPECT_FALSE(header_problem("X-XSS-Protection", "1; mode=block"));
  EXPECT_FALSE(header_problem("Content-Security-Policy", "default-src 'none'"));
  EXPECT_TRUE(header_problem("Content-Security-Policy", "a\r\nSet-Cookie: x"));
  for (const char* refused :
       {"Server", "Set-Cookie", "Access-Control-Allow-Origin", "Content-Length", "x-frame-options"}) {
    EXPECT_TRUE(header_problem(refused, "x")) << refused;
  }
}

TEST(WebConfig, CipherNames) {
  EXPECT_EQ(openssl_cipher_name("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), "ECDHE-ECDSA-CHACHA20-POLY1305");
  EXPECT_EQ(openssl_cipher_name("TLS_AES_256_GCM_SHA384"), "");      // TLS 1.3: not configurable
  EXPECT_FALSE(openssl_cipher_name("ECDHE-RSA-AES128-GCM-SHA256"));  // OpenSSL's own name is not Go's
}

TEST(Bcrypt, VerifiesHashesMadeHereAndByHtpasswdFormat) {
  const std::string h = make_hash("s3cret");
  EXPECT_TRUE(is_bcrypt_hash(h)) << h;
  EXPECT_TRUE(bcrypt_verify("s3cret", h));
  EXPECT_FALSE(bcrypt_verify("s3cret ", h));
  EXPECT_FALSE(bcrypt_verify("", h));
  EXPECT_TRUE(is_bcrypt_hash(kFixedHash));
  EXPECT_TRUE(bcrypt_verify(kFixedPassword, kFixedHash));
  EXPECT_FALSE(bcrypt_verify("lagwatch-tesT", kFixedHash));
  EXPECT_FALSE(bcrypt_verify("x", "$1$notbcrypt"));
  EXPECT_FALSE(is_bcrypt_hash("$1$abc$def"));
  EXPECT_FALSE(is_bcrypt_hash("$2y$03$abcdefghijklmnopqrstuu19b3e0f3gEuedb27QZzTmuLvBt3SQJO"));  // cost < 4
}

std::string basic(const std::string& user_password) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (unsigned char c : user_password) {
    v = (v << 8) | c;
    bits += 8;
    while (bits >= 6) out.push_back(k[(v >> (bits -= 6)) & 63]);
  }
  if (bits > 0) out.push_back(k[(v << (6 - bits)) & 63]);
  while (out.size() % 4) out.push_back('=');
  return "Basic " + out;
}

TEST(BasicAuth, DecisionsAndCache) {
  BasicAuth auth({{"alice", make_hash("pw-a")}, {"bob", kFixedHash}});
  EXPECT_EQ(auth.check("").kind, AuthDecision::kNoCredentials);
  EXPECT_EQ(auth.check("Bearer abc").kind, AuthDecision::kMalformed);
  EXPECT_EQ(auth.check("Basic !!!").kind, AuthDecision::kMalformed);
  EXPECT_EQ(auth.check(basic("no-colon")).kind, AuthDecision::kMalformed);
  EXPECT_EQ(auth.bcrypts(), 0u);

  auto d = auth.check(basic("alice:pw-a"));
  EXPECT_EQ(d.kind, AuthDecision::kOk);
  EXPECT_EQ(d.user, "alice");
  EXPECT_EQ(auth.bcrypts(), 1u);
  EXPECT_EQ(auth.cached(), 1u);
  // Cached: no second bcrypt for the same user and password.
  EXPECT_EQ(auth.check(basic("alice:pw-a")).kind, AuthDecision::kOk);
  EXPECT_EQ(auth.check("basic  " + basic("alice:pw-a").substr(6)).kind, AuthDecision::kOk);
  EXPECT_EQ(auth.bcrypts(), 1u);

  // A wrong password always pays a bcrypt, and is never cached.
  EXPECT_EQ(auth.check(basic("alice:wrong")).kind, AuthDecision::kWrongPassword);
  EXPECT_EQ(auth.check(basic("alice:wrong")).kind, AuthDecision::kWrongPassword);
  EXPECT_EQ(auth.bcrypts(), 3u);
  // So does an unknown user, even with a password that is some user's.
  d = auth.check(basic("mallory:pw-a"));
  EXPECT_EQ(d.kind, AuthDecision::kUnknownUser);
  EXPECT_EQ(d.user, "mallory");
  EXPECT_EQ(auth.bcrypts(), 4u);
  EXPECT_EQ(auth.check(basic("bob:lagwatch-test")).kind, AuthDecision::kOk);
  EXPECT_EQ(auth.cached(), 2u);
  // A password containing ':' is everything after the first one.
  BasicAuth colon({{"c", make_hash("a:b")}});
  EXPECT_EQ(colon.check(basic("c:a:b")).kind, AuthDecision::kOk);
}

TEST(BasicAuth, CacheIsBounded) {
  const std::string h = make_hash("x");
  BasicAuth many({{"a", h}, {"b", h}, {"c", h}}, 1, 2);
  for (const char* u : {"a:x", "b:x", "c:x"}) EXPECT_EQ(many.check(basic(u)).kind, AuthDecision::kOk);
  EXPECT_EQ(many.cached(), 2u);
  EXPECT_EQ(many.bcrypts(), 3u);
  EXPECT_EQ(many.check(basic("a:x")).kind, AuthDecision::kOk);  // evicted first: bcrypt again
  EXPECT_EQ(many.bcrypts(), 4u);
  EXPECT_EQ(many.check(basic("c:x")).kind, AuthDecision::kOk);  // still cached
  EXPECT_EQ(many.bcrypts(), 4u);
}

TEST(BasicAuth, ConcurrentBcryptsAreBounded) {
  // A costly hash keeps one check busy while another thread tries.
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2b$", 12, nullptr, 0, salt, sizeof salt), nullptr);
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const std::string slow = crypt_r("p", salt, &data);
  BasicAuth auth({{"u", slow}}, 1);
  std::atomic<bool> busy_seen{false};
  std::atomic<bool> done{false};
  std::thread t([&] {
    if (auth.check(basic("u:wrong")).kind == AuthDecision::kBusy) busy_seen = true;
    done = true;
  });
  // Bounded: the other check takes a few hundred ms; once it is done, nothing is busy any more.
  while (!done && !busy_seen) {
    if (auth.check(basic("u:other")).kind == AuthDecision::kBusy) busy_seen = true;
  }
  t.join();
  EXPECT_TRUE(busy_seen);
}

class WebSecurityFiles : public ::testing::Test {
 protected:
  lagwatch::testing::TestPki pki;
  std::string path = pki.dir + "/web.yml";
  void write(const std::string& text) {
    std::ofstream(path + ".tmp") << text;
    std::filesystem::rename(path + ".tmp", path);
  }
};

TEST_F(WebSecurityFiles, LoadsCertificatesAndRefusesBadFiles) {
  write("tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n");
  auto s = load_web_security(path);
  ASSERT_TRUE(s->tls);
  EXPECT_EQ(describe(*s), "HTTPS (TLS 1.2+, client certs: none, basic auth: off)");

  write("tls_server_config:\n  cert_file: missing.pem\n  key_file: server.key\n");
  try {
    load_web_security(path);
    FAIL();
  } catch (const WebConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("tls_server_config.cert_file: cannot read " + pki.dir + "/missing.pem"),
              std::string::npos)
        << e.what();
  }
  write("tls_server_config:\n  cert_file: server.pem\n  key_file: client.key\n");
  EXPECT_THROW(load_web_security(path), WebConfigError);  // not the certificate's key
  write("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n");
  EXPECT_THROW(load_web_security(path), WebConfigError);  // no certificate in it
  EXPECT_THROW(load_web_security(pki.dir + "/absent.yml"), WebConfigError);
}

TEST_F(WebSecurityFiles, ReloadKeepsTheOldOneWhenBroken) {
  write(std::string("basic_auth_users:\n  bob: ") + kFixedHash + "\n");
  WebSecurity sec(path, {});
  EXPECT_EQ(sec.current()->file.users.size(), 1u);
  EXPECT_NE(sec.reload().find("unchanged"), std::string::npos);

  write("basic_auth_users:\n  bob: plaintext\n");
  EXPECT_NE(sec.reload().find("not a bcrypt hash"), std::string::npos);
  EXPECT_EQ(sec.current()->file.users.at("bob"), kFixedHash);  // still the old one
  EXPECT_NE(sec.reload().find("still broken"), std::string::npos);

  write(std::string("basic_auth_users:\n  bob: ") + kFixedHash + "\n  carol: " + kFixedHash + "\n");
  EXPECT_NE(sec.reload().find("reloaded"), std::string::npos);
  EXPECT_EQ(sec.current()->file.users.size(), 2u);
  EXPECT_EQ(sec.reloads(), 1u);

  // Plain HTTP to HTTPS needs a restart.
  write("tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n");
  EXPECT_NE(sec.reload().find("needs a restart"), std::string::npos);
  EXPECT_FALSE(sec.current()->tls);
}

TEST_F(WebSecurityFiles, ARenewedCertificateIsReloaded) {
  write("tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n");
  WebSecurity sec(path, {"/healthz"});
  EXPECT_TRUE(sec.is_open_path("/healthz"));
  EXPECT_FALSE(sec.is_open_path("/metrics"));
  const auto before = sec.current();
  // cert-manager writes a new certificate; the web config file itself does not change.
  std::filesystem::copy_file(pki.localhost_only_cert_file, pki.server_cert_file + ".new");
  std::filesystem::rename(pki.server_cert_file + ".new", pki.server_cert_file);
  EXPECT_NE(sec.reload().find("re-read (certificates reloaded)"), std::string::npos);
  EXPECT_NE(sec.current()->tls, before->tls);
}

}  // namespace
