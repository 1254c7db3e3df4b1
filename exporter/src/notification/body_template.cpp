#include "notification/body_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <functional>

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
  more_partitions,
  worst_topic,
  worst_partition,
  worst_status,
  worst_lag,
  worst_lag_seconds,
  timestamp,
  timestamp_ms,
  link,
  dedup_key,
  routing_key,
  // partition fields, inside a partition section only
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
    {"more_partitions", Field::more_partitions, false},
    {"worst_topic", Field::worst_topic, false},
    {"worst_partition", Field::worst_partition, false},
    {"worst_status", Field::worst_status, false},
    {"worst_lag", Field::worst_lag, false},
    {"worst_lag_seconds", Field::worst_lag_seconds, false},
    {"timestamp", Field::timestamp, false},
    {"timestamp_ms", Field::timestamp_ms, false},
    {"link", Field::link, false},
    {"dedup_key", Field::dedup_key, false},
    {"routing_key", Field::routing_key, false},
    {"topic", Field::topic, true},
    {"partition", Field::partition, true},
    {"partition_status", Field::partition_status, true},
    {"lag", Field::lag, true},
    {"lag_seconds", Field::lag_seconds, true},
    {"comma", Field::comma, true},
};

// Sections: two that repeat per partition, the rest conditions.
enum class Section { partitions, top_partitions, firing, resolved, repeat, warn, err, link, more_partitions };

constexpr std::pair<std::string_view, Section> kSections[] = {
    {"partitions", Section::partitions},
    {"top_partitions", Section::top_partitions},
    {"firing", Section::firing},
    {"resolved", Section::resolved},
    {"repeat", Section::repeat},
    {"warn", Section::warn},
    {"err", Section::err},
    {"link", Section::link},
    {"more_partitions", Section::more_partitions},
};

constexpr size_t kTopPartitions = 5;

bool repeats(Section s) { return s == Section::partitions || s == Section::top_partitions; }

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

std::string section_list() {
  std::string out;
  for (const auto& [name, s] : kSections) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string escaped(std::string_view s, Escape e) {
  switch (e) {
    case Escape::json:
      return json_escape(s);
    case Escape::slack: {
      std::string out;
      for (char c : json_escape(s)) {
        if (c == '&') {
          out += "&amp;";
        } else if (c == '<') {
          out += "&lt;";
        } else if (c == '>') {
          out += "&gt;";
        } else {
          out += c;
        }
      }
      return out;
    }
    case Escape::text:
      return std::string(s);
    case Escape::url: {
      std::string out;
      for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
          out += ch;
        } else {
          out += fmt::format("%{:02X}", c);
        }
      }
      return out;
    }
  }
  return std::string(s);
}

}  // namespace

struct BodyTemplate::Piece {
  enum class Kind { literal, field, section } kind = Kind::literal;
  std::string text;                       // literal
  Field field = Field::group;             // field
  Section section = Section::partitions;  // section
  bool inverted = false;                  // {{^cond}}
  std::vector<Piece> children;            // section
};

BodyTemplate::~BodyTemplate() = default;
BodyTemplate::BodyTemplate(BodyTemplate&&) noexcept = default;
BodyTemplate& BodyTemplate::operator=(BodyTemplate&&) noexcept = default;

BodyTemplate::BodyTemplate(std::string_view text, Escape escape) : escape_(escape) {
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
  // The sections open around the current position, innermost last. Only the innermost
  // vector grows while its section is open, so the pointers stay valid.
  struct Open {
    std::vector<Piece>* into;
    std::string name;
    size_t start;
    bool repeats;
  };
  std::vector<Open> open_sections;
  std::vector<Piece>* into = &pieces_;
  auto in_partition_section = [&] {
    return std::any_of(open_sections.begin(), open_sections.end(), [](const Open& o) { return o.repeats; });
  };
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
    if (!tag.empty() && (tag.front() == '#' || tag.front() == '^')) {
      const std::string name(trim(tag.substr(1)));
      const auto* found =
          std::find_if(std::begin(kSections), std::end(kSections), [&](const auto& s) { return s.first == name; });
      if (found == std::end(kSections)) {
        throw TemplateError(where(open) + "unknown section \"{{" + std::string(tag) +
                            "}}\"; expected one of: " + section_list());
      }
      const bool loop = repeats(found->second);
      if (loop && tag.front() == '^') {
        throw TemplateError(where(open) + "{{^" + name + "}} is not a condition; use {{#" + name + "}}");
      }
      if (loop && in_partition_section()) {
        throw TemplateError(where(open) + "sections do not nest: {{#" + name + "}} inside a partition section");
      }
      Piece section;
      section.kind = Piece::Kind::section;
      section.section = found->second;
      section.inverted = tag.front() == '^';
      into->push_back(std::move(section));
      open_sections.push_back(Open{into, name, open, loop});
      into = &into->back().children;
      continue;
    }
    if (!tag.empty() && tag.front() == '/') {
      const std::string name(trim(tag.substr(1)));
      if (open_sections.empty()) {
        throw TemplateError(where(open) + "{{/" + name + "}} without {{#" + name + "}} before it");
      }
      if (open_sections.back().name != name) {
        throw TemplateError(where(open) + "{{/" + name + "}} closes {{#" + open_sections.back().name +
                            "}}; close the inner section first");
      }
      into = open_sections.back().into;
      open_sections.pop_back();
      continue;
    }
    const FieldName* found = nullptr;
    for (const auto& f : kFields) {
      if (f.name == tag) found = &f;
    }
    if (found == nullptr) {
      throw TemplateError(where(open) + "unknown field \"{{" + std::string(tag) + "}}\"; expected one of: " +
                          field_list(false) + "; inside {{#partitions}} or {{#top_partitions}}: " + field_list(true));
    }
    if (found->in_section_only && !in_partition_section()) {
      throw TemplateError(where(open) + "{{" + std::string(tag) +
                          "}} is a partition field: use it inside {{#partitions}}...{{/partitions}}");
    }
    Piece p;
    p.kind = Piece::Kind::field;
    p.field = found->field;
    into->push_back(std::move(p));
  }
  if (!open_sections.empty()) {
    const auto& o = open_sections.back();
    throw TemplateError(where(o.start) + "{{#" + o.name + "}} is never closed by {{/" + o.name + "}}");
  }
}

std::string BodyTemplate::render(const Notification& n, const RenderContext& context) const {
  std::string out;
  const PartitionFacts* current = nullptr;
  bool last = false;
  const auto top = top_partitions(n, kTopPartitions);
  const size_t more = n.partitions_not_ok.size() - top.size();
  auto text = [&](std::string_view s) { return escaped(s, escape_); };
  auto value = [&](Field f) -> std::string {
    using evaluate::status_name;
    switch (f) {
      case Field::notifier:
        return text(context.notifier);
      case Field::event:
        return event_name(n.event);
      case Field::repeat:
        return n.repeat ? "true" : "false";
      case Field::cluster:
        return text(n.cluster);
      case Field::group:
        return text(n.group);
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
      case Field::more_partitions:
        return std::to_string(more);
      case Field::worst_topic:
        return n.worst ? text(n.worst->topic) : "";
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
      case Field::link:
        return text(context.link);
      case Field::dedup_key:
        return text(dedup_key(n.cluster, n.group));
      case Field::routing_key:
        return text(context.routing_key);
      case Field::topic:
        return text(current->topic);
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
  auto holds = [&](Section s) {
    switch (s) {
      case Section::firing:
        return n.event == Event::firing;
      case Section::resolved:
        return n.event == Event::resolved;
      case Section::repeat:
        return n.repeat;
      case Section::warn:
        return n.status == evaluate::Status::WARN;
      case Section::err:
        return n.status == evaluate::Status::ERR;
      case Section::link:
        return !context.link.empty();
      case Section::more_partitions:
        return more > 0;
      case Section::partitions:
      case Section::top_partitions:
        return true;
    }
    return false;
  };
  // Depth is bounded by the template, which the operator wrote and validation accepted.
  std::function<void(const std::vector<Piece>&)> emit = [&](const std::vector<Piece>& pieces) {
    for (const auto& p : pieces) {
      if (p.kind == Piece::Kind::literal) {
        out += p.text;
      } else if (p.kind == Piece::Kind::field) {
        out += value(p.field);
      } else if (repeats(p.section)) {
        std::vector<const PartitionFacts*> items;
        if (p.section == Section::top_partitions) {
          items = top;
        } else {
          for (const auto& f : n.partitions_not_ok) items.push_back(&f);
        }
        for (size_t k = 0; k < items.size(); ++k) {
          current = items[k];
          last = k + 1 == items.size();
          emit(p.children);
        }
        current = nullptr;
      } else if (holds(p.section) != p.inverted) {
        emit(p.children);
      }
    }
  };
  emit(pieces_);
  return out;
}

std::vector<const PartitionFacts*> top_partitions(const Notification& n, size_t limit) {
  std::vector<const PartitionFacts*> all;
  for (const auto& f : n.partitions_not_ok) all.push_back(&f);
  std::stable_sort(all.begin(), all.end(),
                   [](const PartitionFacts* a, const PartitionFacts* b) { return worse_partition(*a, *b); });
  if (all.size() > limit) all.resize(limit);
  return all;
}

std::string dedup_key(const std::string& cluster, const std::string& group) {
  std::string key = "lagwatch/" + cluster + "/" + group;
  constexpr size_t kMax = 255;
  if (key.size() <= kMax) return key;
  // FNV-1a: the same key on every run and machine, so a resolution after a restart still
  // closes its incident.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  size_t cut = kMax - 17;
  // Not in the middle of a UTF-8 character: the key must stay valid in a JSON body.
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
  return key.substr(0, cut) + fmt::format("#{:016x}", h);
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
