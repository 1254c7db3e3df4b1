// Shared by the codec tests: a decoder handed any strict prefix of a valid body must throw
// wire::DecodeError, never read past the end, crash, or throw anything else.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "kafka/wire/reader.hpp"

namespace lagwatch::test {

// Calls decode(reader) on every prefix of `body` of length 0 .. size-1; each call must throw
// wire::DecodeError. `decode` takes a wire::Reader& (its result is ignored).
template <class F>
void expect_every_truncation_fails(std::span<const uint8_t> body, F decode) {
  for (size_t n = 0; n < body.size(); ++n) {
    kafka::wire::Reader r(body.first(n));
    bool failed = true;
    try {
      decode(r);
      ADD_FAILURE() << "a body truncated to " << n << " of " << body.size() << " bytes decoded without error";
    } catch (const kafka::wire::DecodeError&) {
      failed = false;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "a body truncated to " << n << " of " << body.size()
                    << " bytes threw something other than DecodeError: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "a body truncated to " << n << " of " << body.size() << " bytes threw a non-std exception";
    }
    if (failed) return;  // one report is enough, not one per length
  }
}

}  // namespace lagwatch::test
