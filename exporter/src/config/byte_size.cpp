// Byte sizes as people write them in Kafka's world: "25GB", "512MiB", "1.5TB", or a plain
// number of bytes. Decimal units (kB/KB, MB, GB, TB: powers of 1000) and binary ones (KiB,
// MiB, GiB, TiB: powers of 1024) are both accepted, since both are common and they differ by
// 7% at GB; shown back, a size uses the largest unit that divides it exactly.
#include <cstdint>
#include <limits>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

struct Unit {
  const char* name;
  int64_t bytes;
};
constexpr Unit kUnits[] = {{"TiB", int64_t{1} << 40},
                           {"GiB", int64_t{1} << 30},
                           {"MiB", int64_t{1} << 20},
                           {"KiB", int64_t{1} << 10},
                           {"TB", 1'000'000'000'000},
                           {"GB", 1'000'000'000},
                           {"MB", 1'000'000},
                           {"KB", 1'000},
                           {"kB", 1'000},
                           {"B", 1}};

[[noreturn]] void bad(const std::string& text, const std::string& why) {
  throw ConfigError("invalid size \"" + text + "\": " + why);
}

}  // namespace

int64_t parse_byte_size(const std::string& text) {
  // Integer arithmetic throughout, so that every whole number of bytes is exact ("0.267GB" is
  // 267000000, not a double's 266999999.99...) and nothing overflows silently.
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const std::string whole = text.substr(0, i);
  std::string fraction;
  if (i < text.size() && text[i] == '.') {
    size_t j = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    fraction = text.substr(j, i - j);
    if (fraction.empty()) bad(text, "a digit must follow the decimal point");
  }
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  if (whole.empty()) {
    bad(text,
        "expected a number of bytes or a number with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. \"25GB\"");
  }
  int64_t scale = 1;
  if (!unit.empty()) {
    bool found = false;
    for (const auto& u : kUnits) {
      if (unit == u.name) {
        scale = u.bytes;
        found = true;
      }
    }
    if (!found) bad(text, "unknown unit \"" + unit + "\"; expected B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
  }
  constexpr const char* kTooLarge = "too large; the largest size is 1EiB";
  if (whole.size() > 19 || fraction.size() > 18) bad(text, kTooLarge);
  unsigned __int128 value = 0;
  for (char c : whole) value = value * 10 + static_cast<unsigned>(c - '0');
  value *= static_cast<unsigned __int128>(scale);
  unsigned __int128 part = 0, denominator = 1;
  for (char c : fraction) {
    part = part * 10 + static_cast<unsigned>(c - '0');
    denominator *= 10;
  }
  part *= static_cast<unsigned __int128>(scale);
  if (part % denominator != 0) bad(text, "not a whole number of bytes");
  value += part / denominator;
  if (value > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) bad(text, kTooLarge);
  return static_cast<int64_t>(value);
}

std::string format_byte_size(int64_t bytes) {
  if (bytes <= 0) return std::to_string(bytes);
  for (const auto& u : kUnits) {
    if (u.bytes > 1 && bytes % u.bytes == 0 && std::string(u.name) != "kB") {
      return std::to_string(bytes / u.bytes) + u.name;
    }
  }
  return std::to_string(bytes);
}

}  // namespace lagwatch::config
