#include <gtest/gtest.h>

#include <stdexcept>

#include "kafka/client_properties.hpp"

namespace lagwatch::kafka {
namespace {

using Props = std::map<std::string, std::string>;

std::string refusal(const Props& p) {
  try {
    connection_options("c", p, std::chrono::seconds(5));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(KafkaClientProperties, PlaintextByDefault) {
  const auto o = connection_options("c", {}, std::chrono::seconds(5));
  EXPECT_EQ(o.tls, nullptr);
  EXPECT_EQ(o.sasl.mechanism, net::SaslMechanism::none);
  EXPECT_EQ(o.client_id, "lagwatch");
  EXPECT_EQ(o.request_timeout, std::chrono::seconds(5));
}

TEST(KafkaClientProperties, UnknownPropertiesAreRefusedByName) {
  const auto why = property_problem("fetch.wait.max.ms", "100");
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("lagwatch does not use this property"), std::string::npos);
  EXPECT_NE(why->find("security.protocol"), std::string::npos);  // lists what is honored
  EXPECT_EQ(refusal({{"fetch.wait.max.ms", "100"}}).rfind("fetch.wait.max.ms: ", 0), 0u);
}

TEST(KafkaClientProperties, SaslNeedsCredentialsAndNeverEchoesThem) {
  const auto why = refusal({{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.username", "u"}});
  EXPECT_EQ(why.rfind("sasl.password: ", 0), 0u) << why;
  const auto o = connection_options("c",
                                    {{"security.protocol", "sasl_plaintext"},
                                     {"sasl.mechanism", "SCRAM-SHA-512"},
                                     {"sasl.username", "u"},
                                     {"sasl.password", "hunter2"}},
                                    std::chrono::seconds(5));
  EXPECT_EQ(o.sasl.mechanism, net::SaslMechanism::scram_sha_512);
  EXPECT_EQ(o.sasl.password, "hunter2");
  const auto bad = refusal({{"security.protocol", "SASL_SSL"},
                            {"sasl.mechanism", "SCRAM-SHA-1"},
                            {"sasl.username", "u"},
                            {"sasl.password", "hunter2"}});
  EXPECT_NE(bad.find("sasl.mechanism"), std::string::npos);
  EXPECT_EQ(bad.find("hunter2"), std::string::npos);
}

TEST(KafkaClientProperties, GssapiIsRefusedWithTheAlternatives) {
  const auto why = property_problem("sasl.mechanism", "GSSAPI");
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("SCRAM-SHA-512"), std::string::npos);
}

TEST(KafkaClientProperties, SaslSettingsWithoutSaslProtocolAreAMistake) {
  EXPECT_EQ(refusal({{"sasl.username", "u"}}).rfind("sasl.username: set, but security.protocol is PLAINTEXT", 0), 0u);
  EXPECT_EQ(refusal({{"ssl.ca.location", "/x"}}).rfind("ssl.ca.location: set, but security.protocol is PLAINTEXT", 0),
            0u);
}

TEST(KafkaClientProperties, TlsWithAMissingCaFileIsRefused) {
  const auto why = refusal({{"security.protocol", "SSL"}, {"ssl.ca.location", "/nonexistent/ca.pem"}});
  EXPECT_EQ(why.rfind("ssl.ca.location: cannot load CA certificates from /nonexistent/ca.pem", 0), 0u) << why;
  const auto o = connection_options("c", {{"security.protocol", "SSL"}}, std::chrono::seconds(5));
  EXPECT_NE(o.tls, nullptr);
  EXPECT_TRUE(o.verify_hostname);
  const auto off = connection_options(
      "c", {{"security.protocol", "SSL"}, {"ssl.endpoint.identification.algorithm", "none"}}, std::chrono::seconds(5));
  EXPECT_FALSE(off.verify_hostname);
}

}  // namespace
}  // namespace lagwatch::kafka
