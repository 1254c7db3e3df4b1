// Certificates made at test time with OpenSSL's C API, so no key or certificate is ever
// committed and none expires: a test CA, server certificates it signs (P-256 keys, SHA-256,
// valid from an hour ago for a day), and a second, unrelated CA that signs nothing the servers
// use. Everything is written as PEM to a temporary directory removed with the object.
//
//   TestPki pki;
//   pki.ca_file            the CA that signs every server certificate
//   pki.other_ca_file      an unrelated CA (a client trusting only it must refuse the servers)
//   pki.server_key_file    the servers' private key (one key for every server certificate)
//   pki.server_cert_file   subject CN=localhost, SAN DNS:localhost, IP:127.0.0.1
//   pki.localhost_only_cert_file   SAN DNS:localhost only (connecting to 127.0.0.1 mismatches)
//   pki.ip_only_cert_file  SAN IP:127.0.0.1 only (connecting to "localhost" mismatches)
//   pki.client_cert_file, pki.client_key_file   a client certificate (SAN DNS:prometheus.test)
//                          signed by the CA, for servers that ask for one
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace lagwatch::testing {

namespace pki_detail {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

inline Pkey new_key() {
  Pkey key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

// One X509v3 extension, e.g. (NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1").
inline void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "X509_add_ext");
}

// A certificate for `key` named CN=`common_name`, signed by `issuer_key` (self-signed when
// `issuer` is null). `san` (e.g. "DNS:localhost") is added when not empty.
inline Cert make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                      const std::string& san, long serial, const char* extended_key_usage = "serverAuth") {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lagwatch tests"),
                                   -1, -1, 0) == 1,
        "subject O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
        "subject CN");
  X509* signer = issuer ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "X509_set_issuer_name");
  if (ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(cert.get(), signer, NID_ext_key_usage, extended_key_usage);
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    if (!san.empty()) add_extension(cert.get(), signer, NID_subject_alt_name, san);
  }
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

inline std::unique_ptr<FILE, FileClose> open_for_writing(const std::string& path) {
  std::unique_ptr<FILE, FileClose> f(std::fopen(path.c_str(), "w"));
  check(f != nullptr, "fopen");
  return f;
}

inline void write_cert(const std::string& path, X509* cert) {
  auto f = open_for_writing(path);
  check(PEM_write_X509(f.get(), cert) == 1, "PEM_write_X509");
}

inline void write_key(const std::string& path, EVP_PKEY* key) {
  auto f = open_for_writing(path);
  check(PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM_write_PrivateKey");
}

}  // namespace pki_detail

class TestPki {
 public:
  TestPki() {
    using namespace pki_detail;
    std::string pattern = (std::filesystem::temp_directory_path() / "lagwatch-pki-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    check(::mkdtemp(buf.data()) != nullptr, "mkdtemp");
    dir = buf.data();

    auto ca_key = new_key();
    auto ca = make_cert(ca_key.get(), "lagwatch test CA", nullptr, nullptr, true, "", 1);
    auto other_key = new_key();
    auto other = make_cert(other_key.get(), "unrelated test CA", nullptr, nullptr, true, "", 1);
    auto server_key = new_key();
    auto both =
        make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), false, "DNS:localhost,IP:127.0.0.1", 2);
    auto dns = make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), false, "DNS:localhost", 3);
    auto ip = make_cert(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), false, "IP:127.0.0.1", 4);

    ca_file = path("ca.pem");
    other_ca_file = path("other-ca.pem");
    server_key_file = path("server.key");
    server_cert_file = path("server.pem");
    localhost_only_cert_file = path("server-localhost-only.pem");
    ip_only_cert_file = path("server-ip-only.pem");
    write_cert(ca_file, ca.get());
    write_cert(other_ca_file, other.get());
    write_key(server_key_file, server_key.get());
    write_cert(server_cert_file, both.get());
    write_cert(localhost_only_cert_file, dns.get());
    write_cert(ip_only_cert_file, ip.get());

    auto client_key = new_key();
    auto client = make_cert(client_key.get(), "prometheus", ca.get(), ca_key.get(), false, "DNS:prometheus.test", 5,
                            "clientAuth");
    client_key_file = path("client.key");
    client_cert_file = path("client.pem");
    write_key(client_key_file, client_key.get());
    write_cert(client_cert_file, client.get());
  }
  ~TestPki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string dir;
  std::string ca_file;
  std::string other_ca_file;
  std::string server_key_file;
  std::string server_cert_file;
  std::string localhost_only_cert_file;
  std::string ip_only_cert_file;
  std::string client_key_file;
  std::string client_cert_file;  // CN=prometheus, SAN DNS:prometheus.test, clientAuth, signed by ca_file

 private:
  std::string path(const char* name) const { return (std::filesystem::path(dir) / name).string(); }
};

}  // namespace lagwatch::testing
