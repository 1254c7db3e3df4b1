// lagwatch's own Kafka client over TLS and SASL: librdkafka's mock cluster (which has neither)
// behind fronts that terminate TLS and serve SASL themselves (tests/support/
// kafka_secure_front.hpp), with certificates made at test time (test_certificates.hpp). The
// client is configured the way users configure it, by librdkafka property names under a
// cluster's `properties:`. Each test shows a real poll working, or failing with an error that
// says what is wrong and which broker said so.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "captured_log.hpp"
#include "collect/cluster_collector.hpp"
#include "collect/poller.hpp"
#include "demo/mock_cluster.hpp"
#include "kafka_fixture.hpp"
#include "kafka_secure_front.hpp"
#include "snapshot_probe.hpp"
#include "test_certificates.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using testing::errors_of;

using Properties = std::map<std::string, std::string>;
using testing::KafkaSecureCluster;
using testing::SecureFrontOptions;

constexpr auto kTimeout = std::chrono::milliseconds(2000);
const char* const kUser = "lagwatch-monitor";
const char* const kPassword = "s3cret-Pa55word-7f2e";

// The cluster every test reads: 3 brokers, "orders" with 6 partitions (end offsets 10..15),
// group "billing" committed at 3 everywhere. Made once per process, before a suite's first
// test (producing and committing through librdkafka takes up to seconds); no test writes to it.
class Cluster {
 public:
  static Cluster& get() {
    static Cluster cluster;
    return cluster;
  }
  const std::string& bootstrap() const { return bootstrap_; }

 private:
  Cluster() {
    mock_.create_topic("orders", 6);
    bootstrap_ = mock_.bootstrap_servers();
    produce_all();
    std::vector<testing::Commit> commits;
    for (int p = 0; p < 6; ++p) commits.push_back({"orders", p, 3});
    testing::commit(bootstrap_, "billing", commits);
  }
  // 10 + p records to each partition p, from one producer (a producer's first send waits for
  // its metadata, up to seconds: once, not once per partition).
  void produce_all() {
    auto producer = testing::new_client(RD_KAFKA_PRODUCER, bootstrap_);
    for (int p = 0; p < 6; ++p) {
      for (int i = 0; i < 10 + p; ++i) {
        const std::string value = "record-" + std::to_string(i);
        const auto err = rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(p),
                                           RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                           RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
      }
    }
    if (rd_kafka_flush(producer.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error("produce: flush timed out");
    }
  }

  demo::MockCluster mock_{3};
  std::string bootstrap_;
};

testing::TestPki& pki() {
  static testing::TestPki pki;
  return pki;
}

config::Config config_for(const std::string& bootstraps, const Properties& properties) {
  auto cfg = testing::test_config("secure", bootstraps, {"billing"});
  cfg.poll.request_timeout = kTimeout;
  cfg.clusters[0].properties = properties;
  return cfg;
}

model::ClusterSnapshot poll(const std::string& bootstraps, const Properties& properties) {
  const auto cfg = config_for(bootstraps, properties);
  collect::ClusterCollector collector(cfg.clusters[0], cfg.poll);
  return collector.poll();
}

void expect_all_correct(const model::ClusterSnapshot& snap) {
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.brokers.size(), 3u);
  ASSERT_EQ(snap.topics.size(), 1u);
  EXPECT_EQ(snap.topics[0].name, "orders");
  ASSERT_EQ(snap.topics[0].partitions.size(), 6u);
  for (const auto& p : snap.topics[0].partitions) EXPECT_EQ(p.log_end_offset, 10 + p.id) << p.id;
  ASSERT_EQ(snap.groups.size(), 1u);
  ASSERT_EQ(snap.groups[0].offsets.size(), 6u);
  for (const auto& o : snap.groups[0].offsets) EXPECT_EQ(o.offset, 3) << o.partition;
}

// The poll failed at Metadata (no broker would talk); the one error, for the assertions.
std::string metadata_error(const model::ClusterSnapshot& snap) {
  EXPECT_FALSE(snap.metadata_ok);
  for (const auto& e : snap.errors) {
    if (e.kind != model::ErrorKind::metadata) continue;
    ::testing::Test::RecordProperty("metadata_error", e.message);  // in --gtest_output=xml
    return e.message;
  }
  ADD_FAILURE() << "no metadata error in:\n" << errors_of(snap);
  return {};
}

// The mock cluster and the certificates are made before a suite's first test, so that each
// test's time is its own polls.
class KafkaClientSecurity : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    Cluster::get();
    pki();
  }
};

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

SecureFrontOptions tls_options(const std::string& cert_file) {
  SecureFrontOptions o;
  o.tls_cert_file = cert_file;
  o.tls_key_file = pki().server_key_file;
  return o;
}

SecureFrontOptions sasl_options(std::vector<std::string> mechanisms) {
  SecureFrontOptions o;
  o.sasl_mechanisms = std::move(mechanisms);
  o.users = {{kUser, kPassword}, {"someone-else", "other-password"}};
  return o;
}

Properties sasl_properties(const std::string& protocol, const std::string& mechanism, const std::string& password) {
  return {{"security.protocol", protocol},
          {"sasl.mechanism", mechanism},
          {"sasl.username", kUser},
          {"sasl.password", password}};
}

// --- TLS ---------------------------------------------------------------------------------

TEST_F(KafkaClientSecurity, SslWithTheTestCaReadsMetadataAndOffsets) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), tls_options(pki().server_cert_file));
  const auto snap = poll(fronts.bootstraps(), {{"security.protocol", "SSL"}, {"ssl.ca.location", pki().ca_file}});
  expect_all_correct(snap);
  // Metadata named the fronts, so every broker connection went through TLS.
  for (const auto& b : snap.brokers) {
    bool on_a_front = false;
    for (size_t i = 0; i < fronts.size(); ++i) on_a_front = on_a_front || fronts.front(i).port() == b.port;
    EXPECT_TRUE(on_a_front) << b.port;
  }
  EXPECT_EQ(fronts.tls_failures(), 0u);
}

TEST_F(KafkaClientSecurity, SslWithAnotherCaIsRefusedNamingTheBroker) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), tls_options(pki().server_cert_file));
  const auto error = metadata_error(
      poll(fronts.bootstraps(), {{"security.protocol", "SSL"}, {"ssl.ca.location", pki().other_ca_file}}));
  EXPECT_HAS(error, "certificate verify failed");
  EXPECT_HAS(error, "unable to get local issuer certificate");
  EXPECT_HAS(error, "bootstrap " + fronts.front(0).address());
  EXPECT_GT(fronts.tls_failures(), 0u);
}

// The certificate names only "localhost"; lagwatch connects to 127.0.0.1.
TEST_F(KafkaClientSecurity, SslCertificateWithoutTheAddressIsAMismatchUnlessIdentificationIsOff) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), tls_options(pki().localhost_only_cert_file));
  Properties props{{"security.protocol", "SSL"}, {"ssl.ca.location", pki().ca_file}};
  const auto error = metadata_error(poll(fronts.bootstraps(), props));
  EXPECT_HAS(error, "IP address mismatch");
  EXPECT_HAS(error, "bootstrap " + fronts.front(0).address());

  props["ssl.endpoint.identification.algorithm"] = "none";
  expect_all_correct(poll(fronts.bootstraps(), props));
}

// The certificate names only 127.0.0.1; lagwatch bootstraps from "localhost".
TEST_F(KafkaClientSecurity, SslCertificateWithoutTheHostNameIsAMismatch) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), tls_options(pki().ip_only_cert_file));
  const Properties props{{"security.protocol", "SSL"}, {"ssl.ca.location", pki().ca_file}};
  const auto error = metadata_error(poll(fronts.front(0).localhost_address(), props));
  EXPECT_HAS(error, "hostname mismatch");
  EXPECT_HAS(error, "bootstrap " + fronts.front(0).localhost_address());
  // By address the same certificate is right (and Metadata sends lagwatch to 127.0.0.1).
  expect_all_correct(poll(fronts.front(0).address(), props));
}

// --- SASL PLAIN --------------------------------------------------------------------------

TEST_F(KafkaClientSecurity, SaslPlaintextPlainReadsEverything) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({"PLAIN"}));
  expect_all_correct(poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", "PLAIN", kPassword)));
  // The bootstrap connection and one per broker, each authenticated once.
  EXPECT_GE(fronts.authentications(), 3u);
  EXPECT_EQ(fronts.authentication_failures(), 0u);
  EXPECT_EQ(fronts.refused_before_auth(), 0u);
}

// A wrong password: the broker's error and message, and the password itself nowhere — not in
// the poll's errors, not in any log line (the poller logs a failed poll).
TEST_F(KafkaClientSecurity, SaslPlainWrongPasswordIsRefusedWithoutLeakingIt) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({"PLAIN"}));
  const std::string wrong = "Wr0ng-Pa55word-d41c";
  testing::CapturedLog log(spdlog::level::trace);
  const auto cfg = config_for(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", "PLAIN", wrong));
  collect::Poller poller(cfg, cfg.clusters[0], nullptr);
  const auto view = poller.poll_once();
  ASSERT_NE(view, nullptr);
  const auto error = metadata_error(*view->snapshot);
  EXPECT_HAS(error, "SASL PLAIN authentication with bootstrap");
  EXPECT_HAS(error, "SASL_AUTHENTICATION_FAILED (58)");
  EXPECT_HAS(error, "Authentication failed: Invalid username or password");
  EXPECT_GT(fronts.authentication_failures(), 0u);
  EXPECT_EQ(fronts.authentications(), 0u);

  const auto lines = log.lines();
  bool logged_the_failure = false;
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(wrong), std::string::npos) << line;
    EXPECT_EQ(line.find(kPassword), std::string::npos) << line;
    logged_the_failure = logged_the_failure || line.find("SASL_AUTHENTICATION_FAILED") != std::string::npos;
  }
  EXPECT_TRUE(logged_the_failure) << "the failed poll was not logged";
  for (const auto& e : view->snapshot->errors) EXPECT_EQ(e.message.find(wrong), std::string::npos) << e.message;
}

// --- SASL SCRAM --------------------------------------------------------------------------

class Scram : public ::testing::TestWithParam<std::string> {
 public:
  static void SetUpTestSuite() { Cluster::get(); }
};

TEST_P(Scram, CorrectPasswordReadsEverything) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({GetParam()}));
  expect_all_correct(poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", GetParam(), kPassword)));
  EXPECT_GE(fronts.authentications(), 3u);
  EXPECT_EQ(fronts.authentication_failures(), 0u);
}

TEST_P(Scram, WrongPasswordIsRefused) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({GetParam()}));
  const std::string wrong = "not-the-password";
  const auto snap = poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", GetParam(), wrong));
  const auto error = metadata_error(snap);
  EXPECT_HAS(error, "SASL " + GetParam() + " authentication with bootstrap");
  EXPECT_HAS(error, "SASL_AUTHENTICATION_FAILED (58)");
  EXPECT_HAS(error, "invalid credentials with SASL mechanism " + GetParam());
  EXPECT_EQ(error.find(wrong), std::string::npos);
  EXPECT_EQ(fronts.authentications(), 0u);
}

TEST_P(Scram, UnknownUserIsRefused) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({GetParam()}));
  auto props = sasl_properties("SASL_PLAINTEXT", GetParam(), kPassword);
  props["sasl.username"] = "nobody";
  const auto error = metadata_error(poll(fronts.bootstraps(), props));
  EXPECT_HAS(error, "SASL_AUTHENTICATION_FAILED (58)");
  EXPECT_HAS(error, "invalid credentials");
}

// A server that does not know the password cannot sign the exchange: lagwatch must not trust
// it even though it said "authenticated".
TEST_P(Scram, BadServerSignatureIsRefused) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({GetParam()}));
  fronts.set_bad_server_signature(true);
  const auto error =
      metadata_error(poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", GetParam(), kPassword)));
  EXPECT_HAS(error, "SASL " + GetParam() + " authentication with bootstrap");
  EXPECT_HAS(error, "server's signature does not verify");
  // The front finished its side; the refusal is lagwatch's, and nothing was forwarded after.
  EXPECT_GT(fronts.authentications(), 0u);
  for (size_t i = 0; i < fronts.size(); ++i) EXPECT_EQ(fronts.front(i).forwarded(testing::kApiMetadata), 0u);
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, Scram, ::testing::Values("SCRAM-SHA-256", "SCRAM-SHA-512"),
                         [](const auto& info) { return info.param == "SCRAM-SHA-256" ? "Sha256" : "Sha512"; });

// --- TLS and SASL ------------------------------------------------------------------------

TEST_F(KafkaClientSecurity, SaslSslScramSha512EndToEnd) {
  auto options = sasl_options({"PLAIN", "SCRAM-SHA-512"});
  options.tls_cert_file = pki().server_cert_file;
  options.tls_key_file = pki().server_key_file;
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), options);
  auto props = sasl_properties("SASL_SSL", "SCRAM-SHA-512", kPassword);
  props["ssl.ca.location"] = pki().ca_file;
  expect_all_correct(poll(fronts.bootstraps(), props));
  EXPECT_GE(fronts.authentications(), 3u);
  EXPECT_EQ(fronts.tls_failures(), 0u);

  // Same fronts, wrong CA: TLS fails first, so SASL is never reached.
  props["ssl.ca.location"] = pki().other_ca_file;
  const size_t before = fronts.authentications();
  EXPECT_HAS(metadata_error(poll(fronts.bootstraps(), props)), "certificate verify failed");
  EXPECT_EQ(fronts.authentications(), before);
}

// --- Misconfigurations -------------------------------------------------------------------

TEST_F(KafkaClientSecurity, MechanismTheBrokerDoesNotEnableIsNamedWithWhatItOffers) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({"SCRAM-SHA-512", "SCRAM-SHA-256"}));
  const auto error = metadata_error(poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", "PLAIN", kPassword)));
  EXPECT_HAS(error, "does not enable SASL mechanism PLAIN");
  EXPECT_HAS(error, "it offers: SCRAM-SHA-512, SCRAM-SHA-256");
  EXPECT_HAS(error, "bootstrap " + fronts.front(0).address());
}

// A PLAINTEXT client on a SASL listener: ApiVersions is answered, Metadata closes the
// connection (as Kafka does), and the error says the broker closed it.
TEST_F(KafkaClientSecurity, PlaintextClientOnASaslListenerIsClosedBeforeAnyData) {
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), sasl_options({"PLAIN"}));
  const auto error = metadata_error(poll(fronts.bootstraps(), {}));
  EXPECT_HAS(error, "closed the connection");
  EXPECT_GT(fronts.refused_before_auth(), 0u);
  for (size_t i = 0; i < fronts.size(); ++i) {
    EXPECT_GT(fronts.front(i).forwarded(testing::kApiApiVersions), 0u);
    EXPECT_EQ(fronts.front(i).forwarded(testing::kApiMetadata), 0u);
  }
}

// A broker older than Kafka 1.0 (SaslHandshake v0 only: raw tokens, which lagwatch does not
// speak) is refused with the reason, before any credential is sent.
TEST_F(KafkaClientSecurity, BrokerWithoutSaslHandshakeV1IsRefusedWithTheReason) {
  auto options = sasl_options({"PLAIN"});
  options.sasl_handshake_max_version = 0;
  KafkaSecureCluster fronts(Cluster::get().bootstrap(), options);
  const auto error = metadata_error(poll(fronts.bootstraps(), sasl_properties("SASL_PLAINTEXT", "PLAIN", kPassword)));
  EXPECT_HAS(error, "Kafka 1.0 or newer is needed for SASL");
  EXPECT_EQ(fronts.authentications() + fronts.authentication_failures(), 0u);
}

}  // namespace
}  // namespace lagwatch
