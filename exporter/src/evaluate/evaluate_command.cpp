#include "evaluate/evaluate_command.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// A spelling of the user's, at most 40 characters, for a one-line message.
std::string shortened(std::string s) {
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// A value as the user wrote it, shortened.
std::string shown(const json& v) { return shortened(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

// One key as a path component: `.key` (`key` at the top level) when it is a plain name,
// `["key"]` JSON-escaped otherwise, so a key holding a newline, a quote or a megabyte of text
// still gives a one-line, readable message.
std::string child(const std::string& where, std::string_view key) {
  const bool plain = !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (plain) return where.empty() ? std::string(key) : where + "." + std::string(key);
  return where + "[" + shortened(json(key).dump(-1, ' ', false, json::error_handler_t::replace)) + "]";
}

std::string got(const json& v) {
  const char* kind = v.is_boolean()        ? "a boolean"
                     : v.is_string()       ? "a string"
                     : v.is_array()        ? "an array"
                     : v.is_object()       ? "an object"
                     : v.is_null()         ? "null"
                     : v.is_number_float() ? "a fractional number"
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
      throw InputError(
          field, shown(v) + " is too large (at most " + std::to_string(std::numeric_limits<int64_t>::max()) + ")");
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
    // Beyond 64 characters no key is a typo of a known one, and the quadratic distance would
    // cost seconds on a megabyte key.
    for (auto k : known) {
      if (key.size() > 64) break;
      const std::string fk = folded(k);
      const std::string fkey = folded(key);
      if (fk == fkey || (!fkey.empty() && fk.starts_with(fkey)) || util::edit_distance(fkey, fk) <= 2) {
        hint = " (did you mean \"" + std::string(k) + "\"?)";
        break;
      }
    }
    std::string expected;
    for (auto k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    throw InputError(child(where, key), "unknown field" + hint + "; expected " + expected);
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
  reject_unknown_keys(
      doc,
      {"offsets", "broker_offsets", "current_lag", "now_s", "now_ms", "allowed_lag", "window_size", "min_completeness"},
      "");
  PartitionInput in;

  const json* offsets = member(doc, "offsets");
  if (!offsets)
    throw InputError("offsets",
                     "missing; give the window as an array of {\"offset\", \"timestamp_ms\", \"lag\"}, oldest first");
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
      throw InputError(at + ".timestamp_ms", std::to_string(obs.timestamp_ms) + " is earlier than offsets[" +
                                                 std::to_string(i - 1) + "].timestamp_ms " +
                                                 std::to_string(in.window.back().timestamp_ms) +
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
  if (!now_s && !now_ms)
    throw InputError("now_s", "missing; the evaluation time in seconds (or now_ms in milliseconds)");
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

// Limits on the document. A window is a few kB; these only keep a hostile or mistaken input
// (a log file, /dev/zero) from exhausting memory, or nesting from exhausting the stack.
constexpr size_t kMaxInputBytes = size_t{16} << 20;
constexpr size_t kMaxDepth = 64;

// Builds the document from nlohmann's SAX events instead of json::parse, because json::parse
// keeps the last of duplicate keys silently, reports a number overflow as an out_of_range
// without saying where, and turns an integer beyond 64 bits into a double. Here each of these
// is an InputError naming the field. Nesting is bounded too: nothing downstream recurses on
// the document, but a depth the format never needs is a mistake worth naming.
class DocumentBuilder : public nlohmann::json_sax<json> {
 public:
  json take() { return std::move(root_); }

  bool null() override { return add(json(nullptr)); }
  bool boolean(bool v) override { return add(json(v)); }
  bool number_integer(number_integer_t v) override { return add(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return add(json(v)); }
  bool number_float(number_float_t v, const string_t& raw) override {
    // nlohmann falls back to a double when an integer literal does not fit 64 bits; an offset
    // rounded to 17 digits would be a different offset, so it is an error like any overflow.
    if (is_integer_literal(raw)) throw InputError(value_path(), out_of_range(raw));
    return add(json(v));
  }
  bool string(string_t& v) override { return add(json(std::move(v))); }
  bool binary(binary_t&) override { return false; }  // not produced by the JSON format

  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& k) override {
    Frame& top = stack_.back();
    if (top.container->contains(k)) {
      throw InputError(child(prefix(stack_.size() - 1), k),
                       "duplicate key; give each field once (JSON readers disagree on which copy counts)");
    }
    top.key = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) override {
    // 406: a number beyond a double's range (1e400, or an integer of hundreds of digits).
    if (e.id == 406) throw InputError(value_path(), out_of_range(token));
    std::string what = e.what();
    if (const auto close = what.find("] "); what.starts_with("[json.exception") && close != std::string::npos) {
      what.erase(0, close + 2);
    }
    // The message quotes the token read so far, which for an unterminated string is the rest
    // of the input.
    if (what.size() > 300) what = what.substr(0, 297) + "...";
    throw InputError("input", "invalid JSON: " + what + " (byte " + std::to_string(position) + ")");
  }

 private:
  struct Frame {
    json* container;  // an object or an array, owned by its parent (or root_)
    std::string key;  // objects: the key whose value comes next
  };

  static bool is_integer_literal(std::string_view raw) {
    return !raw.empty() && raw.find_first_of(".eE") == std::string_view::npos;
  }

  static std::string out_of_range(std::string_view raw) {
    std::string spelled = shortened(std::string(raw));
    if (raw.size() > 40) spelled += " (" + std::to_string(raw.size()) + " characters)";
    if (is_integer_literal(raw)) {
      return spelled + " is out of range: integers must fit in 64 bits (at most " +
             std::to_string(std::numeric_limits<int64_t>::max()) + ")";
    }
    return spelled + " is out of range: it overflows a double";
  }

  // The path of the value that frame `depth` holds, in parse_input's style ("offsets[2]"), ""
  // for the document itself. Past 12 levels the middle is elided as "[...]".
  std::string prefix(size_t depth) const {
    std::string p;
    for (size_t i = 0; i < depth; ++i) {
      if (i == 8 && depth > 12) {
        p += "[...]";
        i = depth - 4;
      }
      const Frame& f = stack_[i];
      if (f.container->is_object()) {
        p = child(p, f.key);
      } else {
        // The element being built is the last one pushed.
        p += "[" + std::to_string(f.container->size() - 1) + "]";
      }
    }
    return p;
  }

  // The path of the value about to be added.
  std::string value_path() const {
    if (stack_.empty()) return "input";
    const Frame& top = stack_.back();
    const std::string p = prefix(stack_.size() - 1);
    if (top.container->is_object()) return child(p, top.key);
    return p + "[" + std::to_string(top.container->size()) + "]";
  }

  // Places `v` where the next value goes and returns where it is now.
  json* place(json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.container->is_array()) {
      top.container->push_back(std::move(v));
      return &top.container->back();
    }
    json& slot = (*top.container)[top.key];
    slot = std::move(v);
    return &slot;
  }

  bool add(json&& v) {
    place(std::move(v));
    return true;
  }

  bool open(json&& container) {
    if (stack_.size() >= kMaxDepth) {
      throw InputError(value_path(), "nested deeper than " + std::to_string(kMaxDepth) +
                                         " levels; a window document needs 3 (object, offsets, observation)");
    }
    json* placed = place(std::move(container));
    stack_.push_back(Frame{placed, {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  json root_;
  // The open containers, outermost first. Pointers stay valid: a container is only appended
  // to while it is the innermost, and an object's values are nodes of a std::map.
  std::vector<Frame> stack_;
};

// Reads at most kMaxInputBytes (+1 to tell that there is more), so an endless stream stops.
std::string read_bounded(std::istream& in) {
  std::string text;
  constexpr size_t kChunk = size_t{64} << 10;
  while (text.size() <= kMaxInputBytes) {
    const size_t old = text.size();
    text.resize(old + kChunk);
    in.read(text.data() + old, static_cast<std::streamsize>(kChunk));
    text.resize(old + static_cast<size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) throw InputError("input", "could not be read");
  if (text.size() > kMaxInputBytes) {
    throw InputError("input",
                     "is larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB; a window document is a few kB");
  }
  return text;
}

}  // namespace

int run_evaluate(std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    try {
      const std::string text = read_bounded(in);
      if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InputError("input",
                         "is empty; expected a JSON object such as "
                         "{\"offsets\": [{\"offset\": 1000, \"timestamp_ms\": 100000, \"lag\": 0}], "
                         "\"current_lag\": 0, \"now_s\": 160}");
      }
      DocumentBuilder builder;
      // The builder throws InputError itself; false would only come from binary(), which the
      // JSON format never calls.
      if (!json::sax_parse(text, &builder, json::input_format_t::json, /*strict=*/true, /*ignore_comments=*/true)) {
        throw std::logic_error("the JSON parser stopped without an error");
      }
      const PartitionInput input = parse_input(builder.take());
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
