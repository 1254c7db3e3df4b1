// libFuzzer target: `lagwatch evaluate` on a fuzzed document. run_evaluate promises exit code
// 0 (evaluated) or 2 (bad input, one line naming the field) and never throws; an exit code 1
// (internal error) for any input is a bug, so it aborts here.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <streambuf>
#include <string>

#include "evaluate/evaluate_command.hpp"

namespace {

// Discards what is written, so rendering the output is exercised without keeping it.
class NullBuf : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  NullBuf null_buf;
  std::ostream out(&null_buf);
  std::ostringstream err;
  const int code = lagwatch::evaluate::run_evaluate(in, out, err);
  if (code == 2) {
    // Bad input gets exactly one line on err.
    const std::string e = err.str();
    if (e.empty() || e.find('\n') != e.size() - 1) std::abort();
  } else if (code != 0) {
    std::abort();
  }
  return 0;
}
