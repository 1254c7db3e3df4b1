#include "publish/families.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lagwatch::publish {

void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
  }
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

namespace {

// HELP text escapes only backslash and newline (a quote is literal there).
void append_escaped_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

}  // namespace

size_t Families::family(std::string_view name, std::string_view help, std::string_view type) {
  for (size_t i = 0; i < families_.size(); ++i) {
    if (families_[i].name == name) return i;
  }
  Family f;
  f.name = name;
  f.text.append("# HELP ").append(name).append(" ");
  append_escaped_help(f.text, help);
  f.text.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
  families_.push_back(std::move(f));
  return families_.size() - 1;
}

size_t Families::gauge(std::string_view name, std::string_view help) { return family(name, help, "gauge"); }

size_t Families::counter(std::string_view name, std::string_view help) { return family(name, help, "counter"); }

void Families::add(size_t index, const Labels& labels, double value) {
  auto& f = families_[index];
  std::string& out = f.text;
  out += f.name;
  if (!labels.empty()) {
    const Labels* extra = nullptr;
    if (!cluster_labels_.empty() && labels[0].name == "cluster") {
      if (auto it = cluster_labels_.find(labels[0].value); it != cluster_labels_.end()) extra = &it->second;
    }
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i) out += ',';
      append_label(out, labels[i]);
      if (i == 0 && extra) {
        for (const auto& l : *extra) {
          // A name the series has itself is left to the series: a label twice would make
          // Prometheus refuse the whole scrape. (The config refuses those names already.)
          if (std::any_of(labels.begin(), labels.end(), [&](const Label& own) { return own.name == l.name; })) continue;
          out += ',';
          append_label(out, l);
        }
      }
    }
    out += '}';
  }
  out += ' ';
  append_value(out, value);
  out += '\n';
  ++series_;
}

void Families::append_label(std::string& out, const Label& label) const {
  out += label.name;
  out += "=\"";
  append_escaped_label_value(out, label.value);
  out += '"';
}

std::vector<std::string> Families::take_pieces() {
  std::vector<std::string> pieces;
  pieces.reserve(families_.size());
  for (auto& f : families_) {
    f.text.shrink_to_fit();  // growth by doubling leaves up to half of each buffer unused
    pieces.push_back(std::move(f.text));
  }
  families_.clear();
  series_ = 0;
  return pieces;
}

std::string Families::text() const {
  std::string out;
  for (const auto& f : families_) out += f.text;
  return out;
}

}  // namespace lagwatch::publish
