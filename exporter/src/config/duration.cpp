// Duration strings in the style of Go and Prometheus ("30s", "1m30s", "1.5h"), at millisecond
// resolution. A bare number is rejected rather than guessed: "interval: 30" could mean seconds
// or milliseconds, and guessing wrong makes lagwatch hammer the brokers or go silent.
#include <cstdint>
#include <limits>
#include <string_view>

#include "config/config.hpp"
#include "util/duration_text.hpp"

namespace lagwatch::config {
namespace {

constexpr const char* kExpected =
    "expected a number with a unit (ms, s, m, h, d), e.g. \"500ms\", \"30s\" or \"1m30s\"";

[[noreturn]] void bad(const std::string& text, const std::string& why) {
  throw ConfigError("invalid duration \"" + text + "\": " + why);
}

// The longest duration accepted: what std::chrono::nanoseconds, the unit of steady_clock and
// system_clock, can hold (INT64_MAX ns = 106751d 23h 47m 16.854s). Anything longer would
// overflow the moment it is added to a clock's time point.
constexpr std::int64_t kMaxMs = std::numeric_limits<std::int64_t>::max() / 1'000'000;
constexpr const char* kTooLarge = "too large; the longest duration is 106751d (about 292 years)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

std::int64_t unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1'000;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  if (unit == "d") return 86'400'000;
  return 0;
}

// Reads a run of digits as an integer; false on overflow.
bool read_int(std::string_view digits, std::int64_t& out) {
  out = 0;
  for (char c : digits) {
    if (__builtin_mul_overflow(out, 10, &out) || __builtin_add_overflow(out, c - '0', &out)) return false;
  }
  return true;
}

}  // namespace

std::chrono::milliseconds parse_duration(const std::string& text) {
  std::string_view s = text;
  // Surrounding blanks come from environment variables and shell quoting, never mean anything.
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) bad(text, std::string("empty; ") + kExpected);
  if (s == "0") return std::chrono::milliseconds{0};  // unit-less zero is unambiguous
  if (s.front() == '-') bad(text, "must not be negative");

  std::int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    const size_t int_begin = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    std::string_view int_part = s.substr(int_begin, i - int_begin);
    std::string_view frac_part;
    if (i < s.size() && s[i] == '.') {
      const size_t frac_begin = ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
      frac_part = s.substr(frac_begin, i - frac_begin);
      if (frac_part.empty()) bad(text, kExpected);
    }
    if (int_part.empty() && frac_part.empty()) bad(text, kExpected);

    const size_t unit_begin = i;
    while (i < s.size() && is_lower(s[i])) ++i;
    std::string_view unit = s.substr(unit_begin, i - unit_begin);
    if (unit.empty()) bad(text, std::string("missing unit; ") + kExpected);
    const std::int64_t per = unit_ms(unit);
    if (per == 0) bad(text, "unknown unit \"" + std::string(unit) + "\"; " + kExpected);

    std::int64_t whole = 0;
    std::int64_t part = 0;
    if (!read_int(int_part, whole) || __builtin_mul_overflow(whole, per, &part)) bad(text, kTooLarge);
    if (!frac_part.empty()) {
      // Nine fraction digits already go below a nanosecond; more only risks overflow.
      if (frac_part.size() > 9) bad(text, "too many decimals");
      std::int64_t frac = 0;
      read_int(frac_part, frac);
      std::int64_t scale = 1;
      for (size_t k = 0; k < frac_part.size(); ++k) scale *= 10;
      const std::int64_t scaled = frac * per;  // < 1e9 * 8.64e7, fits
      if (scaled % scale != 0) bad(text, "finer than a millisecond");
      if (__builtin_add_overflow(part, scaled / scale, &part)) bad(text, kTooLarge);
    }
    if (__builtin_add_overflow(total, part, &total) || total > kMaxMs) bad(text, kTooLarge);
  }
  return std::chrono::milliseconds{total};
}

// Days are left out on purpose: "36h" reads better than "1d12h" for poll settings.
std::string format_duration(std::chrono::milliseconds d) {
  return d.count() < 0 ? "-" + util::duration_text(-d) : util::duration_text(d);
}

}  // namespace lagwatch::config
