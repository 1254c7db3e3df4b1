#include "notification/body_template.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

namespace lagwatch::notify {

const char* const kDefaultTemplate = R"({
  "notifier": "{{notifier}}",
  "event": "{{event}}",
  "repeat": {{repeat}},
  "cluster": "{{cluster}}",
  "group": "{{group}}",
  "status": "{{status}}",
  "previous_status": "{{previous_status}}",
  "total_lag": {{total_lag}},
  "max_lag_seconds": {{max_lag_seconds}},
  "partition_count": {{partition_count}},
  "worst_partition": {"topic": "{{worst_topic}}", "partition": {{worst_partition}}, "status": "{{worst_status}}", "lag": {{worst_lag}}, "lag_seconds": {{worst_lag_seconds}}},
  "partitions_not_ok": [{{#partitions}}
    {"topic": "{{topic}}", "partition": {{partition}}, "status": "{{partition_status}}", "lag": {{lag}}, "lag_seconds": {{lag_seconds}}}{{comma}}{{/partitions}}
  ],
  "timestamp": "{{timestamp}}"
}
)";

namespace {

enum class Field {
  notifier,
  event,
  repeat,
  cluster,
  group,
  status,
  previous_status,
  total_lag,
  max_lag_seconds,
  partition_count,
  not_ok_count,
  worst_topic,
  worst_partition,
  worst_status,
  worst_lag,
  worst_lag_seconds,
  timestamp,
  timestamp_ms,
  // partition fields, inside {{#partitions}} only
  topic,
  partition,
  partition_status,
  lag,
  lag_seconds,
  comma,
};

struct FieldName {
  std::string_view name;
  Field field;
  bool in_section_only;
};

constexpr FieldName kFields[] = {
    {"notifier", Field::notifier, false},
    {"event", Field::event, false},
    {"repeat", Field::repeat, false},
    {"cluster", Field::cluster, false},
    {"group", Field::group, false},
    {"status", Field::status, false},
    {"previous_status", Field::previous_status, false},
    {"total_lag", Field::total_lag, false},
    {"max_lag_seconds", Field::max_lag_seconds, false},
    {"partition_count", Field::partition_count, false},
    {"not_ok_count", Field::not_ok_count, false},
    {"worst_topic", Field::worst_topic, false},
    {"worst_partition", Field::worst_partition, false},
    {"worst_status", Field::worst_status, false},
    {"worst_lag", Field::worst_lag, false},
    {"worst_lag_seconds", Field::worst_lag_seconds, false},
    {"timestamp", Field::timestamp, false},
    {"timestamp_ms", Field::timestamp_ms, false},
    {"topic", Field::topic, true},
    {"partition", Field::partition, true},
    {"partition_status", Field::partition_status, true},
    {"lag", Field::lag, true},
    {"lag_seconds", Field::lag_seconds, true},
    {"comma", Field::comma, true},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string field_list(bool section) {
  std::string out;
  for (const auto& f : kFields) {
    if (f.in_section_only != section) continue;
    out += (out.empty() ? "" : ", ") + std::string(f.name);
  }
  return out;
}

}  // namespace

struct BodyTemplate::Piece {
  enum class Kind { literal, field, section } kind = Kind::literal;
  std::string text;             // literal
  Field field = Field::group;   // field
  std::vector<Piece> children;  // section
};

BodyTemplate::~BodyTemplate() = default;
BodyTemplate::BodyTemplate(BodyTemplate&&) noexcept = default;
BodyTemplate& BodyTemplate::operator=(BodyTemplate&&) noexcept = default;

BodyTemplate::BodyTemplate(std::string_view text) {
  if (text.empty()) text = kDefaultTemplate;
  auto where = [&](size_t pos) {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "template line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  };
  std::vector<Piece>* into = &pieces_;
  size_t section_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("{{", i);
    if (open != i) {
      const size_t end = open == std::string_view::npos ? text.size() : open;
      Piece lit;
      lit.text = std::string(text.substr(i, end - i));
      into->push_back(std::move(lit));
      i = end;
      continue;
    }
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) throw TemplateError(where(open) + "\"{{\" is never closed by \"}}\"");
    const std::string_view tag = trim(text.substr(open + 2, close - open - 2));
    i = close + 2;
    if (tag == "#partitions") {
      if (into != &pieces_)
        throw TemplateError(where(open) + "sections do not nest: {{#partitions}} inside {{#partitions}}");
      Piece section;
      section.kind = Piece::Kind::section;
      pieces_.push_back(std::move(section));
      into = &pieces_.back().children;
      section_start = open;
      continue;
    }
    if (tag == "/partitions") {
      if (into == &pieces_) throw TemplateError(where(open) + "{{/partitions}} without {{#partitions}} before it");
      into = &pieces_;
      continue;
    }
    if (!tag.empty() && (tag.front() == '#' || tag.front() == '/' || tag.front() == '^')) {
      throw TemplateError(where(open) + "unknown section \"{{" + std::string(tag) +
                          "}}\"; the only section is {{#partitions}}...{{/partitions}}");
    }
    const FieldName* found = nullptr;
    for (const auto& f : kFields) {
      if (f.name == tag) found = &f;
    }
    if (found == nullptr) {
      throw TemplateError(where(open) + "unknown field \"{{" + std::string(tag) + "}}\"; expected one of: " +
                          field_list(false) + "; inside {{#partitions}}: " + field_list(true));
    }
    if (found->in_section_only && into == &pieces_) {
      throw TemplateError(where(open) + "{{" + std::string(tag) +
                          "}} is a partition field: use it inside {{#partitions}}...{{/partitions}}");
    }
    Piece p;
    p.kind = Piece::Kind::field;
    p.field = found->field;
    into->push_back(std::move(p));
  }
  if (into != &pieces_)
    throw TemplateError(where(section_start) + "{{#partitions}} is never closed by {{/partitions}}");
}

std::string BodyTemplate::render(const Notification& n, const std::string& notifier) const {
  std::string out;
  const PartitionFacts* current = nullptr;
  bool last = false;
  auto value = [&](Field f) -> std::string {
    using evaluate::status_name;
    switch (f) {
      case Field::notifier:
        return json_escape(notifier);
      case Field::event:
        return event_name(n.event);
      case Field::repeat:
        return n.repeat ? "true" : "false";
      case Field::cluster:
        return json_escape(n.cluster);
      case Field::group:
        return json_escape(n.group);
      case Field::status:
        return status_name(n.status);
      case Field::previous_status:
        return status_name(n.previous_status);
      case Field::total_lag:
        return std::to_string(n.total_lag);
      case Field::max_lag_seconds:
        return format_seconds(n.max_lag_seconds);
      case Field::partition_count:
        return std::to_string(n.partition_count);
      case Field::not_ok_count:
        return std::to_string(n.partitions_not_ok.size());
      case Field::worst_topic:
        return n.worst ? json_escape(n.worst->topic) : "";
      case Field::worst_partition:
        return std::to_string(n.worst ? n.worst->partition : -1);
      case Field::worst_status:
        return n.worst ? status_name(n.worst->status) : "";
      case Field::worst_lag:
        return std::to_string(n.worst ? n.worst->lag : 0);
      case Field::worst_lag_seconds:
        return format_seconds(n.worst ? n.worst->lag_seconds : 0);
      case Field::timestamp:
        return format_timestamp(n.timestamp_ms);
      case Field::timestamp_ms:
        return std::to_string(n.timestamp_ms);
      case Field::topic:
        return json_escape(current->topic);
      case Field::partition:
        return std::to_string(current->partition);
      case Field::partition_status:
        return status_name(current->status);
      case Field::lag:
        return std::to_string(current->lag);
      case Field::lag_seconds:
        return format_seconds(current->lag_seconds);
      case Field::comma:
        return last ? "" : ",";
    }
    return "";
  };
  auto emit = [&](const Piece& p) {
    if (p.kind == Piece::Kind::literal) {
      out += p.text;
    } else {
      out += value(p.field);
    }
  };
  for (const auto& p : pieces_) {
    if (p.kind != Piece::Kind::section) {
      emit(p);
      continue;
    }
    for (size_t k = 0; k < n.partitions_not_ok.size(); ++k) {
      current = &n.partitions_not_ok[k];
      last = k + 1 == n.partitions_not_ok.size();
      for (const auto& c : p.children) emit(c);
    }
    current = nullptr;
  }
  return out;
}

std::optional<std::string> template_problem(std::string_view text) {
  try {
    BodyTemplate t(text);
  } catch (const TemplateError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string format_seconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  std::string s = fmt::format("{:.3f}", seconds);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string format_timestamp(int64_t unix_ms) {
  int64_t secs = unix_ms / 1000;
  int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

}  // namespace lagwatch::notify
