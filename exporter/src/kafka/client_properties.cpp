#include "kafka/client_properties.hpp"

#include <algorithm>
#include <boost/asio/ssl/context.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lagwatch::kafka {
namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<bool> boolean(const std::string& v) {
  const auto l = lower(v);
  if (l == "true" || l == "1") return true;
  if (l == "false" || l == "0") return false;
  return std::nullopt;
}

const std::vector<std::string> kHonored = {"security.protocol",
                                           "sasl.mechanism",
                                           "sasl.mechanisms",
                                           "sasl.username",
                                           "sasl.password",
                                           "sasl.oauthbearer.token",
                                           "sasl.oauthbearer.token.file",
                                           "ssl.ca.location",
                                           "ssl.certificate.location",
                                           "ssl.key.location",
                                           "ssl.key.password",
                                           "ssl.endpoint.identification.algorithm",
                                           "enable.ssl.certificate.verification",
                                           "client.id"};

std::optional<net::SaslMechanism> mechanism(const std::string& v) {
  const auto u = upper(v);
  if (u == "PLAIN") return net::SaslMechanism::plain;
  if (u == "SCRAM-SHA-256") return net::SaslMechanism::scram_sha_256;
  if (u == "SCRAM-SHA-512") return net::SaslMechanism::scram_sha_512;
  if (u == "OAUTHBEARER") return net::SaslMechanism::oauthbearer;
  return std::nullopt;
}

std::string read_small_file(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(key + ": cannot read file " + path);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

const std::vector<std::string>& honored_properties() { return kHonored; }

std::optional<std::string> property_problem(const std::string& key, const std::string& value) {
  if (std::find(kHonored.begin(), kHonored.end(), key) == kHonored.end()) {
    std::string list;
    for (const auto& k : kHonored) list += (list.empty() ? "" : ", ") + k;
    return "lagwatch does not use this property (its Kafka client honors: " + list + ")";
  }
  if (key == "security.protocol") {
    const auto u = upper(value);
    if (u != "PLAINTEXT" && u != "SSL" && u != "SASL_PLAINTEXT" && u != "SASL_SSL") {
      return "expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL";
    }
  }
  if (key == "sasl.mechanism" || key == "sasl.mechanisms") {
    if (upper(value) == "GSSAPI") {
      return "GSSAPI (Kerberos) is not supported by lagwatch's Kafka client; use SCRAM-SHA-512 or SCRAM-SHA-256, "
             "PLAIN over SASL_SSL, or OAUTHBEARER";
    }
    if (!mechanism(value)) return "expected PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER";
  }
  if (key == "ssl.endpoint.identification.algorithm" && lower(value) != "https" && lower(value) != "none") {
    return "expected https or none";
  }
  if (key == "enable.ssl.certificate.verification" && !boolean(value)) return "expected true or false";
  return std::nullopt;
}

net::ConnectionOptions connection_options(const std::string& cluster,
                                          const std::map<std::string, std::string>& properties,
                                          std::chrono::milliseconds request_timeout) {
  for (const auto& [k, v] : properties) {
    if (auto problem = property_problem(k, v)) throw std::invalid_argument(k + ": " + *problem);
  }
  auto get = [&](const std::string& k) -> std::optional<std::string> {
    auto it = properties.find(k);
    return it == properties.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  net::ConnectionOptions o;
  o.cluster = cluster;
  o.request_timeout = request_timeout;
  if (auto id = get("client.id")) o.client_id = *id;

  const std::string protocol = upper(get("security.protocol").value_or("PLAINTEXT"));
  const bool tls = protocol == "SSL" || protocol == "SASL_SSL";
  const bool sasl = protocol == "SASL_PLAINTEXT" || protocol == "SASL_SSL";

  if (sasl) {
    auto m = get("sasl.mechanism");
    if (!m) m = get("sasl.mechanisms");
    o.sasl.mechanism = mechanism(m.value_or("PLAIN")).value_or(net::SaslMechanism::plain);
    if (o.sasl.mechanism == net::SaslMechanism::oauthbearer) {
      if (auto token = get("sasl.oauthbearer.token")) {
        o.sasl.token = *token;
      } else if (auto file = get("sasl.oauthbearer.token.file")) {
        o.sasl.token = read_small_file("sasl.oauthbearer.token.file", *file);
      } else {
        throw std::invalid_argument(
            "sasl.oauthbearer.token: OAUTHBEARER needs sasl.oauthbearer.token or sasl.oauthbearer.token.file");
      }
    } else {
      auto user = get("sasl.username");
      auto password = get("sasl.password");
      if (!user || !password) {
        throw std::invalid_argument(std::string(user ? "sasl.password" : "sasl.username") + ": security.protocol " +
                                    protocol + " needs sasl.username and sasl.password");
      }
      o.sasl.username = *user;
      o.sasl.password = *password;
    }
  } else {
    for (const char* k : {"sasl.mechanism", "sasl.mechanisms", "sasl.username", "sasl.password"}) {
      if (get(k)) {
        throw std::invalid_argument(std::string(k) + ": set, but security.protocol is " + protocol +
                                    " (use SASL_PLAINTEXT or SASL_SSL for SASL)");
      }
    }
  }

  if (tls) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    const bool verify = boolean(get("enable.ssl.certificate.verification").value_or("true")).value_or(true);
    boost::system::error_code ec;
    if (auto ca = get("ssl.ca.location")) {
      // OpenSSL accepts a directory that does not exist and fails only at the handshake.
      std::error_code fs_ec;
      if (!std::filesystem::exists(*ca, fs_ec)) {
        throw std::invalid_argument("ssl.ca.location: cannot load CA certificates from " + *ca + ": no such file");
      }
      ctx->load_verify_file(*ca, ec);
      if (ec) {
        ec.clear();
        ctx->add_verify_path(*ca, ec);
      }
      if (ec)
        throw std::invalid_argument("ssl.ca.location: cannot load CA certificates from " + *ca + ": " + ec.message());
    } else {
      ctx->set_default_verify_paths(ec);
    }
    if (auto cert = get("ssl.certificate.location")) {
      ctx->use_certificate_chain_file(*cert, ec);
      if (ec) throw std::invalid_argument("ssl.certificate.location: cannot load " + *cert + ": " + ec.message());
      auto key = get("ssl.key.location");
      if (!key) throw std::invalid_argument("ssl.key.location: needed with ssl.certificate.location");
      if (auto pw = get("ssl.key.password")) {
        const std::string password = *pw;
        ctx->set_password_callback([password](std::size_t, ssl::context::password_purpose) { return password; });
      }
      ctx->use_private_key_file(*key, ssl::context::pem, ec);
      if (ec) throw std::invalid_argument("ssl.key.location: cannot load " + *key + ": " + ec.message());
    }
    ctx->set_verify_mode(verify ? ssl::verify_peer : ssl::verify_none);
    o.tls = std::move(ctx);
    o.verify_hostname = verify && lower(get("ssl.endpoint.identification.algorithm").value_or("https")) == "https";
  } else {
    for (const char* k : {"ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "ssl.key.password"}) {
      if (get(k)) {
        throw std::invalid_argument(std::string(k) + ": set, but security.protocol is " + protocol +
                                    " (use SSL or SASL_SSL for TLS)");
      }
    }
  }
  return o;
}

}  // namespace lagwatch::kafka
