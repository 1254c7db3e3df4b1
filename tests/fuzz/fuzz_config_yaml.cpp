// libFuzzer target: the YAML configuration parser and validator. Any input may be rejected
// with a ConfigError; any other exception escaping, or a sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // ${file:PATH} reads PATH at load time: a fuzzer that guesses /dev/zero or a FIFO would
  // measure the filesystem instead of the parser. The reference syntax itself is still fuzzed
  // through ${env:...} and malformed "${" forms.
  if (text.find("${file:") != std::string::npos) return -1;  // -1: not added to the corpus
  try {
    const lagwatch::config::Config config = lagwatch::config::parse_yaml(text, "fuzz");
    lagwatch::config::validate(config);
  } catch (const lagwatch::config::ConfigError&) {
    // The expected outcome for most inputs.
  }
  return 0;
}
