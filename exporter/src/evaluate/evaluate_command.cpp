#include "evaluate/evaluate_command.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <istream>
#include <iterator>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluate/partition_rules.hpp"
#include "evaluate/status.hpp"
#include "util/edit_distance.hpp"

namespace lagwatch::evaluate {
namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "lagwatch evaluate: ";

// Bad input: `field` is where (e.g. "offsets[2].timestamp_ms"), `what()` says what is wrong.
class InputError : public std::runtime_error {
 public:
  InputError(std::string field, const std::string& message) : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// A value as the user wrote it, shortened for a one-line message.
std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string got(const json& v) {
  const char* kind = v.is_boolean()          ? "a boolean"
                     : v.is_string()         ? "a string"
                     : v.is_array()          ? "an array"
                     : v.is_object()         ? "an object"
                     : v.is_null()           ? "null"
                     : v.is_number_float()   ? "a fractional number"
                                             : "a number";
  if (v.is_null()) return "got null";
  if (v.is_array() || v.is_object()) return std::string("got ") + kind;
  return std::string("got ") + kind + " (" + shown(v) + ")";
}

// An integer >= 0 that fits int64_t.
int64_t non_negative_integer(const json& v, const std::string& field) {
  if (!v.is_number_integer()) throw InputError(field, "must be an integer >= 0, " + got(v));
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw InputError(field, shown(v) + " is too large (at most " +
                                  std::to_string(std::numeric_limits<int64_t>::max()) + ")");
    }
    return static_cast<int64_t>(u);
  }
  const auto i = v.get<int64_t>();
  if (i < 0) throw InputError(field, "must be >= 0, got " + std::to_string(i));
  return i;
}


// Lower case without '_' and '-', so allowedLag, allowed-lag and AllowedLag all meet allowed_lag.
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

void reject_unknown_keys(const json& object, const std::vector<std::string_view>& known, const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string hint;
    for (auto k : known) {
      const std::string fk = folded(k);
      const std::string fkey = folded(key);
      if (fk == fkey || (!fkey.empty() && fk.starts_with(fkey)) || util::edit_distance(fkey, fk) <= 2) {
        hint = " (did you mean \"" + std::string(k) + "\"?)";
        break;
      }
    }
    std::string expected;
    for (auto k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    const std::string field = where.empty() ? key : where + "." + key;
    throw InputError(field, "unknown field" + hint + "; expected " + expected);
  }
}

const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

PartitionInput parse_input(const json& doc) {
  if (!doc.is_object()) {
    throw InputError("input", "must be a JSON object with \"offsets\", \"current_lag\" and \"now_s\", " + got(doc));
  }
  reject_unknown_keys(doc,
                      {"offsets", "broker_offsets", "current_lag", "now_s", "now_ms", "allowed_lag", "window_size",
                       "min_completeness"},
                      "");
  PartitionInput in;

  const json* offsets = member(doc, "offsets");
  if (!offsets) throw InputError("offsets", "missing; give the window as an array of {\"offset\", \"timestamp_ms\", \"lag\"}, oldest first");
  if (!offsets->is_array()) throw InputError("offsets", "must be an array of observations, " + got(*offsets));
  for (size_t i = 0; i < offsets->size(); ++i) {
    const json& o = (*offsets)[i];
    const std::string at = "offsets[" + std::to_string(i) + "]";
    if (!o.is_object()) {
      throw InputError(at, "must be an object {\"offset\", \"timestamp_ms\", \"lag\"}, " + got(o));
    }
    reject_unknown_keys(o, {"offset", "timestamp_ms", "lag"}, at);
    Observation obs;
    const json* offset = member(o, "offset");
    if (!offset) throw InputError(at + ".offset", "missing; the committed offset");
    obs.offset = non_negative_integer(*offset, at + ".offset");
    const json* ts = member(o, "timestamp_ms");
    if (!ts) throw InputError(at + ".timestamp_ms", "missing; when the offset was observed, in milliseconds");
    obs.timestamp_ms = non_negative_integer(*ts, at + ".timestamp_ms");
    if (const json* lag = member(o, "lag"); lag && !lag->is_null()) obs.lag = non_negative_integer(*lag, at + ".lag");
    if (!in.window.empty() && obs.timestamp_ms < in.window.back().timestamp_ms) {
      throw InputError(at + ".timestamp_ms",
                       std::to_string(obs.timestamp_ms) + " is earlier than offsets[" + std::to_string(i - 1) +
                           "].timestamp_ms " + std::to_string(in.window.back().timestamp_ms) +
                           "; list the observations oldest first");
    }
    in.window.push_back(obs);
  }

  if (const json* broker = member(doc, "broker_offsets")) {
    if (!broker->is_array()) throw InputError("broker_offsets", "must be an array of log end offsets, " + got(*broker));
    for (size_t i = 0; i < broker->size(); ++i) {
      in.broker_offsets.push_back(non_negative_integer((*broker)[i], "broker_offsets[" + std::to_string(i) + "]"));
    }
  }

  const json* current = member(doc, "current_lag");
  if (!current) throw InputError("current_lag", "missing; the lag now (log end offset - last committed offset)");
  in.current_lag = non_negative_integer(*current, "current_lag");

  const json* now_s = member(doc, "now_s");
  const json* now_ms = member(doc, "now_ms");
  std::string now_field = now_s ? "now_s" : "now_ms";
  if (now_s && now_ms) throw InputError("now_s", "give either now_s or now_ms, not both");
  if (!now_s && !now_ms) throw InputError("now_s", "missing; the evaluation time in seconds (or now_ms in milliseconds)");
  if (now_ms) {
    in.now_ms = non_negative_integer(*now_ms, "now_ms");
  } else if (now_s->is_number_float()) {
    const double s = now_s->get<double>();
    if (!(s >= 0)) throw InputError("now_s", "must be >= 0, got " + shown(*now_s));
    if (s * 1000 >= 9.2e18) throw InputError("now_s", shown(*now_s) + " is too large");
    in.now_ms = std::llround(s * 1000);
  } else {
    if (!now_s->is_number()) throw InputError("now_s", "must be a number of seconds >= 0, " + got(*now_s));
    const int64_t s = non_negative_integer(*now_s, "now_s");
    if (s > std::numeric_limits<int64_t>::max() / 1000) throw InputError("now_s", shown(*now_s) + " is too large");
    in.now_ms = s * 1000;
  }
  if (!in.window.empty() && in.now_ms < in.window.back().timestamp_ms) {
    throw InputError(now_field, shown(now_s ? *now_s : *now_ms) + " (" + std::to_string(in.now_ms) +
                                    " ms) is before the last observation (offsets[" +
                                    std::to_string(in.window.size() - 1) + "].timestamp_ms " +
                                    std::to_string(in.window.back().timestamp_ms) +
                                    "); timestamps are in milliseconds, now_s in seconds");
  }

  if (const json* allowed = member(doc, "allowed_lag")) in.allowed_lag = non_negative_integer(*allowed, "allowed_lag");

  in.window_size = std::max(kDefaultWindowSize, in.window.size());
  if (const json* size = member(doc, "window_size")) {
    const int64_t n = non_negative_integer(*size, "window_size");
    if (n < 1) throw InputError("window_size", "must be at least 1, got 0");
    if (static_cast<uint64_t>(n) < in.window.size()) {
      throw InputError("window_size", std::to_string(n) + " is smaller than the " + std::to_string(in.window.size()) +
                                          " observations in offsets; a window holds at most window_size observations");
    }
    in.window_size = static_cast<size_t>(n);
  }

  if (const json* min = member(doc, "min_completeness")) {
    if (!min->is_number()) throw InputError("min_completeness", "must be a number from 0 to 1, " + got(*min));
    const double m = min->get<double>();
    if (!(m >= 0 && m <= 1)) throw InputError("min_completeness", "must be from 0 to 1, got " + shown(*min));
    in.min_completeness = m;
  }
  return in;
}

nlohmann::ordered_json to_json(const PartitionInput& in, const PartitionEvaluation& e) {
  nlohmann::ordered_json out;
  out["status"] = status_name(e.verdict.status);
  out["status_code"] = status_code(e.verdict.status);
  out["rule"] = e.verdict.rule;
  out["explanation"] = e.verdict.explanation;
  out["complete"] = e.verdict.complete;
  out["completeness"] = e.verdict.completeness;
  auto& checks = out["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : e.checks) {
    nlohmann::ordered_json j;
    j["rule"] = c.rule;
    j["status"] = status_name(c.status);
    j["matched"] = c.matched;
    j["decided"] = c.decided;
    j["detail"] = c.detail;
    checks.push_back(std::move(j));
  }
  auto& settings = out["settings"];
  settings["observations"] = in.window.size();
  settings["window_size"] = in.window_size;
  settings["min_completeness"] = in.min_completeness;
  settings["allowed_lag"] = in.allowed_lag;
  settings["current_lag"] = in.current_lag;
  settings["now_ms"] = in.now_ms;
  return out;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: ..." without
// the bracketed id.
std::string parse_message(const json::parse_error& e) {
  std::string what = e.what();
  if (const auto close = what.find("] "); what.starts_with("[json.exception") && close != std::string::npos) {
    what.erase(0, close + 2);
  }
  return what;
}

}  // namespace

int run_evaluate(std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    try {
      const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (in.bad()) throw InputError("input", "could not be read");
      if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InputError("input", "is empty; expected a JSON object such as "
                                  "{\"offsets\": [{\"offset\": 1000, \"timestamp_ms\": 100000, \"lag\": 0}], "
                                  "\"current_lag\": 0, \"now_s\": 160}");
      }
      json doc;
      try {
        doc = json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
      } catch (const json::parse_error& e) {
        throw InputError("input", "invalid JSON: " + parse_message(e) + " (byte " + std::to_string(e.byte) + ")");
      }
      const PartitionInput input = parse_input(doc);
      const PartitionEvaluation evaluation = explain_partition(input);
      out << to_json(input, evaluation).dump(2) << "\n";
      out.flush();
      return 0;
    } catch (const InputError& e) {
      err << kPrefix << e.field() << ": " << e.what() << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    try {
      err << kPrefix << "internal error: " << e.what() << "\n";
    } catch (...) {
    }
    return 1;
  } catch (...) {
    try {
      err << kPrefix << "internal error\n";
    } catch (...) {
    }
    return 1;
  }
}

}  // namespace lagwatch::evaluate
