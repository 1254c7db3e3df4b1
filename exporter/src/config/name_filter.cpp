#include "config/name_filter.hpp"

#include <re2/re2.h>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

// Per pattern. RE2's own default (8 MiB); set explicitly so that the bound does not depend on
// the library version. A pattern whose program does not fit is refused at start-up ("pattern
// too large"); at match time RE2 falls back from its DFA to a slower linear-time engine
// instead of exceeding it.
constexpr int64_t kMaxMemPerPattern = 8 << 20;

constexpr size_t kShownChars = 80;

RE2::Options options() {
  RE2::Options o;
  o.set_log_errors(false);  // the error goes into our ConfigError, not to stderr
  o.set_max_mem(kMaxMemPerPattern);
  return o;
}

std::string describe_error(const RE2& re) {
  // error() is "<what>: <part of the pattern>", and that part may be the whole pattern.
  const std::string& full = re.error();
  const std::string& arg = re.error_arg();
  std::string why = !arg.empty() && full.size() > arg.size() && full.ends_with(arg)
                        ? full.substr(0, full.size() - arg.size()) + abbreviate(arg)
                        : abbreviate(full);
  switch (re.error_code()) {
    case RE2::ErrorBadEscape:  // "(a)\1"
    case RE2::ErrorBadPerlOp:  // "(?=x)", "(?!x)", "(?<=x)"
      why += " (lagwatch uses RE2 syntax, as Prometheus does: no backreferences or lookaround)";
      break;
    case RE2::ErrorPatternTooLarge:
      why += " (the compiled pattern would exceed 8 MiB; simplify it or split it into several patterns)";
      break;
    default:
      break;
  }
  return why;
}

std::vector<std::shared_ptr<const RE2>> compile_all(const std::vector<std::string>& patterns, const std::string& what,
                                                    const char* list) {
  static const RE2::Options kOptions = options();
  std::vector<std::shared_ptr<const RE2>> out;
  out.reserve(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto re = std::make_shared<const RE2>(patterns[i], kOptions);
    if (!re->ok()) {
      throw ConfigError(what + "." + list + "[" + std::to_string(i) + "]: invalid regular expression \"" +
                        abbreviate(patterns[i]) + "\": " + describe_error(*re));
    }
    out.push_back(std::move(re));
  }
  return out;
}

bool any_full_match(const std::vector<std::shared_ptr<const RE2>>& res, const std::string& name) {
  for (const auto& re : res) {
    if (RE2::FullMatch(name, *re)) return true;
  }
  return false;
}

}  // namespace

std::string abbreviate(const std::string& text) {
  if (text.size() <= kShownChars + 20) return text;  // no point cutting off the last few
  size_t cut = kShownChars;
  // Back up to the start of a UTF-8 sequence so the message stays valid UTF-8.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026 (" + std::to_string(text.size()) + " characters)";
}

NameFilter::NameFilter(const std::vector<std::string>& allow, const std::vector<std::string>& deny,
                       const std::string& what)
    : allow_(compile_all(allow, what, "allow")), deny_(compile_all(deny, what, "deny")) {}

bool NameFilter::passes(const std::string& name) const {
  if (!allow_.empty() && !any_full_match(allow_, name)) return false;
  return !any_full_match(deny_, name);
}

}  // namespace lagwatch::config
