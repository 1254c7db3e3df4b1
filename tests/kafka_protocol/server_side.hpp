// Shared by the server-side codec tests (the fault server's and the demo broker front's
// decoders of requests and encoders of responses): every captured message must survive a
// decode and a re-encode byte for byte, so a front that edits nothing forwards exactly what
// the broker (or client) sent.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "captures.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"
#include "truncation.hpp"

namespace lagwatch::test {

// Decodes every captured response of `key` at `version` with `decode(reader, version)`, which
// must read to the last byte, and encodes the result again with the protocol's encode(): the
// bytes must be the captured body exactly. Returns how many responses were checked.
template <class Decode>
int expect_captured_responses_reencode(kafka::wire::ApiKey key, int16_t version, Decode decode) {
  int checked = 0;
  for (const auto* f : frames_of(key, version)) {
    SCOPED_TRACE("response seq " + std::to_string(f->seq) + " v" + std::to_string(version));
    auto r = response_reader(*f);
    const auto body = r.raw(r.remaining(), "body");
    kafka::wire::Reader rr(body);
    const auto decoded = decode(rr, version);
    EXPECT_TRUE(rr.at_end());
    kafka::wire::Writer w;
    encode(w, decoded, version);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
    ++checked;
  }
  return checked;
}

// The same for the captured requests (those without librdkafka's trailing bytes), re-encoded
// with the client's encoder; each distinct body is also truncated at every length, which must
// throw DecodeError. Returns how many requests were checked.
template <class Decode>
int expect_captured_requests_reencode(kafka::wire::ApiKey key, int16_t version, Decode decode) {
  int checked = 0;
  std::set<std::vector<uint8_t>> seen;
  for (const auto* f : frames_of(key, version)) {
    if (f->request_has_trailing_bytes) continue;
    SCOPED_TRACE("request seq " + std::to_string(f->seq) + " v" + std::to_string(version) + " " + f->client);
    const auto body = request_body(*f);
    kafka::wire::Reader r(body);
    const auto decoded = decode(r, version);
    EXPECT_TRUE(r.at_end());
    kafka::wire::Writer w;
    encode(w, decoded, version);
    std::vector<uint8_t> want(body.begin(), body.end());
    EXPECT_EQ(w.bytes(), want);
    if (seen.insert(want).second) {
      expect_every_truncation_fails(body, [&](kafka::wire::Reader& x) { decode(x, version); });
    }
    ++checked;
  }
  return checked;
}

}  // namespace lagwatch::test
