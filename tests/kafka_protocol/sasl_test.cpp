#include "kafka/protocol/sasl.hpp"

#include <gtest/gtest.h>

#include <map>

#include "captures.hpp"
#include "kafka/protocol/sasl_mechanisms.hpp"
#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test::CapturedFrame;

const std::vector<std::string> kMechanisms = {"PLAIN", "SCRAM-SHA-512", "SCRAM-SHA-256"};
const std::string kScramPassword = "lagwatch-scram-pw";
const std::string kPlainPassword = "lagwatch-plain-pw";

std::string str(std::span<const uint8_t> b) { return {b.begin(), b.end()}; }
std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

const CapturedFrame& frame(int seq) {
  for (const auto& f : test::captured_frames())
    if (f.seq == seq) return f;
  throw std::runtime_error("no frame " + std::to_string(seq));
}

// The mechanism each SASL step used (README "SASL").
std::string mechanism_of(const std::string& step) {
  if (step.rfind("s07b", 0) == 0) return "OAUTHBEARER";
  for (const char* p : {"s03", "s05", "s12"})
    if (step.rfind(p, 0) == 0) return "PLAIN";
  for (const char* p : {"s02", "s06", "s10"})
    if (step.rfind(p, 0) == 0) return "SCRAM-SHA-512";
  return "SCRAM-SHA-256";
}

bool wrong_password(const std::string& step) {
  return step.rfind("s04", 0) == 0 || step.rfind("s05", 0) == 0 || step.rfind("s13", 0) == 0;
}

SaslHandshakeResponse decode_handshake(const CapturedFrame& f) {
  auto r = test::response_reader(f);
  auto out = decode_sasl_handshake_response(r, f.api_version);
  EXPECT_TRUE(r.at_end()) << f.seq;
  return out;
}

SaslAuthenticateResponse decode_authenticate(const CapturedFrame& f) {
  auto r = test::response_reader(f);
  auto out = decode_sasl_authenticate_response(r, f.api_version);
  EXPECT_TRUE(r.at_end()) << f.seq;
  return out;
}

// The auth bytes of a captured SaslAuthenticate request.
std::vector<uint8_t> request_token(const CapturedFrame& f) {
  const auto body = test::request_body(f);
  wire::Reader r(body);
  return r.bytes("auth_bytes", false);
}

TEST(SaslHandshake, EveryCapturedResponseAndRequest) {
  const auto frames = test::frames_of(wire::ApiKey::sasl_handshake);
  ASSERT_EQ(frames.size(), 26u);  // 4 v0 (sarama), 22 v1
  int v0 = 0;
  for (const auto* f : frames) {
    SCOPED_TRACE(f->seq);
    const auto resp = decode_handshake(*f);
    EXPECT_EQ(resp.mechanisms, kMechanisms);
    const std::string mechanism = mechanism_of(f->step);
    EXPECT_EQ(resp.error_code, mechanism == "OAUTHBEARER" ? 33 : 0);
    wire::Writer w;
    encode(w, SaslHandshakeRequest{mechanism}, f->api_version);
    const auto body = test::request_body(*f);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
    v0 += f->api_version == 0;
  }
  EXPECT_EQ(v0, 4);
  EXPECT_EQ(decode_handshake(frame(2112)).error_code, 33);  // s07b OAUTHBEARER
}

TEST(SaslAuthenticate, EveryCapturedResponseDecodes) {
  const auto frames = test::frames_of(wire::ApiKey::sasl_authenticate);
  ASSERT_EQ(frames.size(), 35u);  // 13 v0 (kcat), 22 v1 (Java)
  for (const auto* f : frames) {
    SCOPED_TRACE(f->seq);
    const auto resp = decode_authenticate(*f);
    EXPECT_EQ(resp.session_lifetime_ms, 0);
    if (resp.error_code == 0) {
      EXPECT_EQ(resp.error_message, std::optional<std::string>(""));
    } else {
      EXPECT_EQ(resp.error_code, 58);
      EXPECT_TRUE(resp.auth_bytes.empty());
    }
  }
}

TEST(SaslAuthenticate, FailuresCarryTheBrokersMessage) {
  const std::string scram =
      "Authentication failed during authentication due to invalid credentials with SASL mechanism ";
  const std::map<int, std::string> failures = {
      {1839, scram + "SCRAM-SHA-256"},                                // s04 kcat, wrong password
      {1842, "Authentication failed: Invalid username or password"},  // s05 PLAIN
      {1845, scram + "SCRAM-SHA-512"},                                // s06 unknown user, first token
      {1932, scram + "SCRAM-SHA-256"},                                // s13 Java, wrong password
  };
  for (const auto& [seq, message] : failures) {
    const auto resp = decode_authenticate(frame(seq));
    EXPECT_EQ(resp.error_code, 58) << seq;
    EXPECT_EQ(resp.error_message, message) << seq;
  }
  // PLAIN success: an empty server token (s03 kcat v0, s12 Java v1).
  EXPECT_TRUE(decode_authenticate(frame(1833)).auth_bytes.empty());
  EXPECT_TRUE(decode_authenticate(frame(1910)).auth_bytes.empty());
}

TEST(SaslMechanisms, PlainTokenMatchesKcatAndJava) {
  const auto token = plain_initial_response("lagwatch", kPlainPassword);
  EXPECT_EQ(token, test::from_hex("006c61677761746368006c616777617463682d706c61696e2d7077"));
  for (int seq : {1833, 1910, 1915, 1923, 1924}) {  // s03 kcat v0, s12 Java v1
    const auto& f = frame(seq);
    EXPECT_EQ(request_token(f), token) << seq;
    wire::Writer w;
    encode(w, SaslAuthenticateRequest{token}, f.api_version);
    const auto body = test::request_body(f);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end())) << seq;
  }
  EXPECT_EQ(request_token(frame(1842)), plain_initial_response("lagwatch", "wrong-password"));  // s05
  EXPECT_EQ(plain_initial_response("u", "p", "admin"), bytes(std::string("admin\0u\0p", 9)));
  EXPECT_THROW(plain_initial_response(std::string("a\0b", 3), "p"), std::invalid_argument);
  try {
    plain_initial_response("u", std::string("sec\0ret", 7));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("sec"), std::string::npos);
  }
}

TEST(SaslMechanisms, OauthBearerInitialResponse) {
  EXPECT_EQ(str(oauthbearer_initial_response("eyJhbGciOiJub25lIn0.eyJzdWIiOiJsYWd3YXRjaCJ9.")),
            std::string("n,,\x01"
                        "auth=Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJsYWd3YXRjaCJ9.\x01\x01"));
  EXPECT_EQ(str(oauthbearer_initial_response("tok", {{"traceId", "abc 1"}, {"x", "y"}})),
            std::string("n,,\x01"
                        "auth=Bearer tok\x01traceId=abc 1\x01x=y\x01\x01"));
  EXPECT_THROW(oauthbearer_initial_response(""), std::invalid_argument);
  EXPECT_THROW(oauthbearer_initial_response("a\x01"
                                            "b"),
               std::invalid_argument);
  EXPECT_THROW(oauthbearer_initial_response("t", {{"auth", "x"}}), std::invalid_argument);
  EXPECT_THROW(oauthbearer_initial_response("t", {{"k1", "x"}}), std::invalid_argument);
  EXPECT_THROW(oauthbearer_initial_response("t", {{"k", "x\x01"}}), std::invalid_argument);
}

TEST(SaslMechanisms, Base64RoundTripsAndRefusesNonCanonicalText) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto enc = base64_encode(bytes(s));
    EXPECT_EQ(base64_decode(enc), bytes(s)) << s;
  }
  EXPECT_EQ(base64_encode(bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(bytes("fo")), "Zm8=");
  EXPECT_EQ(str(*base64_decode("enRwOHExemlla2Q0NXFuMjI0bXQ3eWZ5Mw==")), "ztp8q1ziekd45qn224mt7yfy3");
  for (const char* bad : {"Zm8", "Zm9=Zm8=", "Zm=8", "Zm9!", "Zm9=", "===="}) EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(SaslMechanisms, UsernameEscaping) {
  EXPECT_EQ(scram_escape_username("lagwatch"), "lagwatch");
  EXPECT_EQ(scram_escape_username("a=b,c"), "a=3Db=2Cc");
  ScramClient c(ScramAlgorithm::sha256, "us,er=", "pw", "abc");
  EXPECT_EQ(c.client_first(), "n,,n=us=2Cer=3D,r=abc");
}

// RFC 7677 section 3.
TEST(SaslMechanisms, Rfc7677ScramSha256Example) {
  ScramClient c(ScramAlgorithm::sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
  EXPECT_EQ(c.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  EXPECT_EQ(c.client_final("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_NO_THROW(c.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
}

// README example exchanges: s11 (Java, SHA-256) and s10 (Java, SHA-512), reproduced exactly.
TEST(SaslMechanisms, JavaExchangesFromTheReadme) {
  {
    ScramClient c(ScramAlgorithm::sha256, "lagwatch", kScramPassword, "18rxpdm4k5v5nv1zzo3vif422w");
    EXPECT_EQ(c.client_first(), "n,,n=lagwatch,r=18rxpdm4k5v5nv1zzo3vif422w");
    EXPECT_EQ(
        c.client_final("r=18rxpdm4k5v5nv1zzo3vif422wwwl9l0sdg87xytjx67h37arzf,s=enRwOHExemlla2Q0NXFuMjI0bXQ3eWZ5Mw==,"
                       "i=8192"),
        "c=biws,r=18rxpdm4k5v5nv1zzo3vif422wwwl9l0sdg87xytjx67h37arzf,p=u9XPFV8ipYh3ldQDftjfZ4Pi+suVwYZ4+x2/LdYY6Iw=");
    EXPECT_NO_THROW(c.verify_server_final("v=fusc8WchnQRr1wDP+G+2tGfWqSiF80pwFucOkAM7PyU="));
  }
  {
    ScramClient c(ScramAlgorithm::sha512, "lagwatch", kScramPassword, "1eg69oydfmvweqiapyw1577no0");
    c.client_first();
    EXPECT_EQ(
        c.client_final("r=1eg69oydfmvweqiapyw1577no0dj0fa31czfm9apr6dz3qmag3e,s=eHpxMnc2dG9xZ3hjeDFtM2phYTRqNnl4Mw==,"
                       "i=4096"),
        "c=biws,r=1eg69oydfmvweqiapyw1577no0dj0fa31czfm9apr6dz3qmag3e,"
        "p=pAFLoQZgHVr3RBqhKHr+D/JrXFRQALPw4rRGmADKHeuUocAn5mfKF7kT7JS1ZaUK4Dxff3OCjAY2iMb8IQTG0A==");
    EXPECT_NO_THROW(
        c.verify_server_final("v=xULq6oiV1yMZ2rv0Zh245PpCWIWhNtyV8CQsE/"
                              "eykiPcJEtMr3kSqHsZgigq+X9uAsRSKLtLq7++Pxq46XYYOQ=="));
  }
}

struct Token {
  const CapturedFrame* frame;
  std::string request, response;
};

// Every captured SCRAM exchange (SaslAuthenticate, and sarama's bare tokens), paired by broker:
// the Java and sarama ones are reproduced token for token and request body for request body;
// librdkafka's (which repeats the client nonce in client-final) are checked through
// scram_proof with the auth message librdkafka signed.
TEST(SaslMechanisms, EveryCapturedScramExchange) {
  std::map<std::pair<std::string, int>, Token> first;
  int java = 0, sarama = 0, kcat = 0;
  for (const auto& f : test::captured_frames()) {
    const bool raw = f.api_name == "SaslRawToken";
    if (!raw && f.api_key != static_cast<int16_t>(wire::ApiKey::sasl_authenticate)) continue;
    const std::string mechanism = mechanism_of(f.step);
    if (mechanism == "PLAIN") continue;
    Token t{&f, raw ? str(f.request) : str(request_token(f)), ""};
    int16_t error = 0;
    if (raw) {
      t.response = str(f.response);
    } else {
      const auto resp = decode_authenticate(f);
      error = resp.error_code;
      t.response = str(resp.auth_bytes);
    }
    const auto key = std::make_pair(f.step, f.broker_port);
    if (t.request.rfind("n,,", 0) == 0) {
      if (error == 0) first[key] = t;
      continue;
    }
    ASSERT_EQ(t.request.rfind("c=biws,r=", 0), 0u) << f.seq;
    ASSERT_TRUE(first.count(key)) << f.seq;
    const Token one = first[key];
    first.erase(key);
    SCOPED_TRACE(f.seq);
    const auto algorithm = mechanism == "SCRAM-SHA-512" ? ScramAlgorithm::sha512 : ScramAlgorithm::sha256;
    const std::string password = wrong_password(f.step) ? "wrong-password" : kScramPassword;
    const std::string client_first = one.request;
    const std::string nonce = client_first.substr(client_first.find(",r=") + 3);
    const std::string server_first = one.response;
    const std::string server_nonce = server_first.substr(2, server_first.find(',') - 2);
    EXPECT_EQ(server_nonce.rfind(nonce, 0), 0u);
    ASSERT_EQ(client_first, "n,,n=lagwatch,r=" + nonce);

    ScramClient c(algorithm, "lagwatch", password, nonce);
    EXPECT_EQ(c.client_first(), client_first);
    const std::string final_message = c.client_final(server_first);
    if (f.client.find("librdkafka") != std::string::npos) {
      ++kcat;
      // librdkafka signs "c=biws,r=<client nonce><server nonce>".
      const std::string quirk = "c=biws,r=" + nonce + server_nonce;
      ASSERT_EQ(t.request.rfind(quirk + ",p=", 0), 0u);
      const auto salt = base64_decode(
          server_first.substr(server_first.find(",s=") + 3, server_first.find(",i=") - server_first.find(",s=") - 3));
      ASSERT_TRUE(salt);
      const int iterations = std::stoi(server_first.substr(server_first.find(",i=") + 3));
      const auto p = scram_proof(algorithm, password, *salt, iterations,
                                 client_first.substr(3) + "," + server_first + "," + quirk);
      EXPECT_EQ(t.request, quirk + ",p=" + p.client_proof);
      if (!t.response.empty()) {
        EXPECT_EQ(t.response, "v=" + p.server_signature);
      }
      EXPECT_EQ(final_message.rfind("c=biws,r=" + server_nonce + ",p=", 0), 0u);  // lagwatch: the server nonce as is
      if (!t.response.empty()) {
        EXPECT_THROW(c.verify_server_final(t.response), SaslAuthenticationError);
      }
      continue;
    }
    raw ? ++sarama : ++java;
    EXPECT_EQ(final_message, t.request);
    if (!raw) {
      wire::Writer w1, w2;
      encode(w1, SaslAuthenticateRequest{bytes(client_first)}, one.frame->api_version);
      encode(w2, SaslAuthenticateRequest{bytes(final_message)}, f.api_version);
      const auto b1 = test::request_body(*one.frame);
      const auto b2 = test::request_body(f);
      EXPECT_EQ(w1.bytes(), std::vector<uint8_t>(b1.begin(), b1.end()));
      EXPECT_EQ(w2.bytes(), std::vector<uint8_t>(b2.begin(), b2.end()));
    }
    if (wrong_password(f.step)) {
      EXPECT_TRUE(t.response.empty());  // error 58, no server-final
    } else {
      EXPECT_NO_THROW(c.verify_server_final(t.response));
    }
  }
  EXPECT_EQ(java, 4 + 4 + 1);  // s10 on 4 connections, s11 on 4, s13
  EXPECT_EQ(sarama, 4);        // s20
  EXPECT_EQ(kcat, 5);          // s01, s02, s04, s08 twice
}

TEST(SaslMechanisms, KcatClientFirstIsReproduced) {
  ScramClient c(ScramAlgorithm::sha256, "lagwatch", kScramPassword, "px?b]UPxa}Ck[QJ3xUF\\;BA9.9zWC~0s");
  const std::string first = c.client_first();
  EXPECT_EQ(first, "n,,n=lagwatch,r=px?b]UPxa}Ck[QJ3xUF\\;BA9.9zWC~0s");
  wire::Writer w;
  encode(w, SaslAuthenticateRequest{bytes(first)}, 0);
  const auto body = test::request_body(frame(1821));
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
}

std::string server_first_for(const std::string& nonce) {
  return "r=" + nonce + "srv,s=enRwOHExemlla2Q0NXFuMjI0bXQ3eWZ5Mw==,i=4096";
}

TEST(SaslMechanisms, BadServerMessagesAreRefused) {
  const std::string pw = "hunter2-secret";
  std::vector<std::string> messages;
  auto refused = [&](const std::string& server_first) {
    ScramClient c(ScramAlgorithm::sha256, "u", pw, "abc");
    c.client_first();
    try {
      c.client_final(server_first);
      ADD_FAILURE() << "accepted " << server_first;
    } catch (const SaslAuthenticationError& e) {
      messages.push_back(e.what());
    }
  };
  refused("r=xyzsrv,s=c2FsdA==,i=4096");      // nonce does not extend ours
  refused("r=abc,s=c2FsdA==,i=4096");         // nonce not extended at all
  refused("r=abcsrv,s=c2FsdA==,i=4095");      // too few iterations
  refused("r=abcsrv,s=c2FsdA==,i=99999999");  // too many
  refused("r=abcsrv,s=c2FsdA==,i=-4096");     // not a number
  refused("r=abcsrv,s=c2FsdA==,i=4096x");
  refused("r=abcsrv,s=c2FsdA==");               // missing i=
  refused("r=abcsrv,i=4096");                   // missing s=
  refused("s=c2FsdA==,i=4096");                 // missing r=
  refused("r=abcsrv,s=c2Fsd!==,i=4096");        // salt not base64
  refused("r=abcsrv,s=,i=4096");                // empty salt
  refused("e=unknown-user");                    // server error
  refused("m=ext,r=abcsrv,s=c2FsdA==,i=4096");  // mandatory extension
  refused("");
  refused("r=abcsrv,,s=c2FsdA==,i=4096");
  ASSERT_EQ(messages.size(), 15u);
  EXPECT_NE(messages[11].find("unknown-user"), std::string::npos);

  auto final_refused = [&](const std::string& server_final) {
    ScramClient c(ScramAlgorithm::sha256, "u", pw, "abc");
    c.client_first();
    c.client_final(server_first_for("abc"));
    try {
      c.verify_server_final(server_final);
      ADD_FAILURE() << "accepted " << server_final;
    } catch (const SaslAuthenticationError& e) {
      messages.push_back(e.what());
    }
  };
  final_refused("v=jnfqhSuKHQl1VPEfy4LuvZxl79GVQ/MA0Ejr6NulrXc=");  // another exchange's signature
  final_refused("v=AAAA");
  final_refused("v=not base64");
  final_refused("e=invalid-proof");
  final_refused("x=1");
  final_refused("");
  for (const auto& m : messages) EXPECT_EQ(m.find(pw), std::string::npos) << m;

  // The right signature passes (computed independently with scram_proof).
  ScramClient c(ScramAlgorithm::sha256, "u", pw, "abc");
  const std::string first = c.client_first();
  const std::string sf = server_first_for("abc");
  const std::string cf = c.client_final(sf);
  const auto p = scram_proof(ScramAlgorithm::sha256, pw, bytes("ztp8q1ziekd45qn224mt7yfy3"), 4096,
                             first.substr(3) + "," + sf + "," + cf.substr(0, cf.find(",p=")));
  EXPECT_EQ(cf.substr(cf.find(",p=") + 3), p.client_proof);
  EXPECT_NO_THROW(c.verify_server_final("v=" + p.server_signature));
}

TEST(SaslMechanisms, StepsInOrderAndNonces) {
  ScramClient c(ScramAlgorithm::sha512, "u", "p");
  EXPECT_THROW(c.client_final("r=x,s=c2FsdA==,i=4096"), std::logic_error);
  const std::string first = c.client_first();
  EXPECT_THROW(c.client_first(), std::logic_error);
  EXPECT_EQ(c.client_nonce().size(), 32u);
  for (char ch : c.client_nonce()) EXPECT_TRUE(ch >= 0x21 && ch <= 0x7e && ch != ',');
  EXPECT_EQ(first, "n,,n=u,r=" + c.client_nonce());
  EXPECT_THROW(c.verify_server_final("v=AAAA"), std::logic_error);
  ScramClient other(ScramAlgorithm::sha512, "u", "p");
  EXPECT_NE(other.client_nonce(), c.client_nonce());
  EXPECT_THROW(ScramClient(ScramAlgorithm::sha256, "u", "p", "a,b"), std::invalid_argument);
  EXPECT_THROW(ScramClient(ScramAlgorithm::sha256, "u", "p", ""), std::invalid_argument);
  EXPECT_STREQ(scram_mechanism_name(ScramAlgorithm::sha256), "SCRAM-SHA-256");
  EXPECT_STREQ(scram_mechanism_name(ScramAlgorithm::sha512), "SCRAM-SHA-512");
}

TEST(SaslAuthenticate, V2IsFlexible) {
  wire::Writer w;
  encode(w, SaslAuthenticateRequest{bytes("abc")}, 2);
  EXPECT_EQ(w.bytes(), (std::vector<uint8_t>{4, 'a', 'b', 'c', 0}));
  wire::Writer resp;
  resp.int16(58);
  resp.nullable_string(std::string("no"), true);
  resp.bytes(bytes("xy"), true);
  resp.int64(3600000);
  resp.no_tagged_fields();
  wire::Reader r(resp.bytes());
  const auto out = decode_sasl_authenticate_response(r, 2);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(out.error_code, 58);
  EXPECT_EQ(out.error_message, "no");
  EXPECT_EQ(str(out.auth_bytes), "xy");
  EXPECT_EQ(out.session_lifetime_ms, 3600000);
  wire::Writer null_message;
  null_message.int16(0);
  null_message.nullable_string(std::nullopt, false);
  null_message.int32(0);
  wire::Reader r0(null_message.bytes());
  EXPECT_EQ(decode_sasl_authenticate_response(r0, 0).error_message, std::nullopt);
}

TEST(SaslAuthenticate, VersionsOutsideTheRangeAreRefused) {
  wire::Writer w;
  EXPECT_THROW(encode(w, SaslAuthenticateRequest{}, 3), std::invalid_argument);
  EXPECT_THROW(encode(w, SaslHandshakeRequest{"PLAIN"}, 2), std::invalid_argument);
  const std::vector<uint8_t> none;
  wire::Reader r(none);
  EXPECT_THROW(decode_sasl_authenticate_response(r, -1), std::invalid_argument);
  EXPECT_THROW(decode_sasl_handshake_response(r, 2), std::invalid_argument);
}

TEST(SaslAuthenticate, EveryTruncationIsADecodeError) {
  for (auto key : {wire::ApiKey::sasl_handshake, wire::ApiKey::sasl_authenticate}) {
    for (const auto* f : test::frames_of(key)) {
      const auto full = test::response_reader(*f);
      const size_t header = f->response.size() - full.remaining();
      for (size_t n = header; n < f->response.size(); ++n) {
        const std::vector<uint8_t> cut(f->response.begin() + static_cast<long>(header),
                                       f->response.begin() + static_cast<long>(n));
        wire::Reader r(cut);
        if (key == wire::ApiKey::sasl_handshake) {
          EXPECT_THROW(decode_sasl_handshake_response(r, f->api_version), wire::DecodeError) << f->seq << " " << n;
        } else {
          EXPECT_THROW(decode_sasl_authenticate_response(r, f->api_version), wire::DecodeError) << f->seq << " " << n;
        }
      }
    }
  }
}

TEST(SaslHandshake, AHugeMechanismCountIsRefused) {
  wire::Writer w;
  w.int16(0);
  w.int32(0x7fffffff);
  w.string("PLAIN", false);
  wire::Reader r(w.bytes());
  EXPECT_THROW(decode_sasl_handshake_response(r, 1), wire::DecodeError);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
