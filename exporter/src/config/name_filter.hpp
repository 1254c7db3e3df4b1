// Allow/deny filtering of topic and group names by regular expressions, as kafka_exporter's
// --topic.filter/--topic.exclude and Burrow's whitelist/blacklist do.
//
// A name passes when it matches at least one allow pattern (or there are none) and no deny
// pattern. Patterns use RE2 syntax, as Prometheus's regexes do (no backreferences, no
// lookaround), and match the whole name, so "orders" does not select "orders-dlq"; write
// "orders.*" for a prefix.
//
// RE2 rather than std::regex because the patterns and the names are both outside lagwatch's
// control: std::regex compiles and matches by recursion, so a long pattern or a long group id
// (Kafka allows 32767 characters) overflows the stack. RE2 runs in time linear in the name and
// bounded memory, with no recursion, so matching needs no verdict cache either.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace lagwatch::config {

class NameFilter {
 public:
  NameFilter() = default;
  // Throws ConfigError naming `what` (e.g. "clusters[0].groups.allow[1]") on a bad pattern.
  NameFilter(const std::vector<std::string>& allow, const std::vector<std::string>& deny, const std::string& what);

  // Thread-safe: compiled RE2 objects may be used from several threads at once.
  bool passes(const std::string& name) const;

 private:
  // shared_ptr keeps NameFilter copyable (RE2 itself is not) and the compiled programs shared.
  std::vector<std::shared_ptr<const re2::RE2>> allow_;
  std::vector<std::shared_ptr<const re2::RE2>> deny_;
};

// `text` for an error message: as is when short, else its first 80 characters followed by
// "… (N characters)", so a 100 000-character pattern cannot flood a log or a terminal.
std::string abbreviate(const std::string& text);

}  // namespace lagwatch::config
