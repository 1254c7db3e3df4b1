#include "http_client/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <filesystem>
#include <stdexcept>

#include "http_client/http_client.hpp"

namespace lagwatch::http_client {
namespace {

namespace ssl = boost::asio::ssl;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

}  // namespace

std::optional<std::string> ca_file_problem(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "cannot read " + path + ": no such file";
  if (!std::filesystem::is_regular_file(path, ec)) return path + " is not a regular file";
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return "cannot read " + path + ": permission denied or unreadable";
  }
  int certificates = 0;
  for (;;) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    ++certificates;
  }
  ERR_clear_error();
  if (certificates == 0) return path + " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")";
  return std::nullopt;
}

std::unique_ptr<ssl::context> make_tls_client_context(const std::string& ca_file, bool insecure_skip_verify) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    if (ca_file.empty()) {
      ctx->set_default_verify_paths(ec);  // failing here leaves every certificate unverified: refused
    } else {
      if (auto p = ca_file_problem(ca_file)) throw std::invalid_argument("ca_file: " + *p);
      ctx->load_verify_file(ca_file, ec);
      if (ec) throw std::invalid_argument("ca_file: cannot load " + ca_file + ": " + ec.message());
    }
  }
  return ctx;
}

void set_tls_peer(SSL* handle, const std::string& host, bool verify) {
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(handle, host.c_str());
  if (!verify) return;
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  if (not_an_address) {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  }
}

std::optional<std::string> tls_verify_failure(SSL* handle) {
  const long verify = SSL_get_verify_result(handle);
  if (verify == X509_V_OK) return std::nullopt;
  return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
}

}  // namespace lagwatch::http_client
