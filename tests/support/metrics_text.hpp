// Parses Prometheus text exposition into "name{label="v",...}" -> value, with labels sorted
// by name, so tests can assert exact series whatever order the exporter writes labels in.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::testing {

class MetricsText {
 public:
  explicit MetricsText(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto brace = line.find('{');
      auto space = line.rfind(' ');
      if (space == std::string::npos) throw std::runtime_error("bad metrics line: " + line);
      std::string name;
      std::vector<std::pair<std::string, std::string>> labels;
      if (brace != std::string::npos && brace < space) {
        name = line.substr(0, brace);
        auto close = line.rfind('}');
        parse_labels(line.substr(brace + 1, close - brace - 1), labels);
      } else {
        name = line.substr(0, space);
      }
      std::sort(labels.begin(), labels.end());
      series_[key(name, labels)] = std::stod(line.substr(space + 1));
      names_[name]++;
    }
  }

  // labels in any order: {{"topic","t"},{"partition","0"}}
  std::optional<double> get(const std::string& name, std::vector<std::pair<std::string, std::string>> labels) const {
    std::sort(labels.begin(), labels.end());
    auto it = series_.find(key(name, labels));
    if (it == series_.end()) return std::nullopt;
    return it->second;
  }
  size_t count(const std::string& name) const {
    auto it = names_.find(name);
    return it == names_.end() ? 0 : it->second;
  }
  size_t size() const { return series_.size(); }

 private:
  static std::string key(const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels) {
    std::string k = name + "{";
    for (const auto& [n, v] : labels) k += n + "=\"" + v + "\",";
    return k + "}";
  }
  static void parse_labels(const std::string& s, std::vector<std::pair<std::string, std::string>>& out) {
    size_t i = 0;
    while (i < s.size()) {
      auto eq = s.find('=', i);
      if (eq == std::string::npos) break;
      std::string name = s.substr(i, eq - i);
      size_t j = eq + 2;  // skip ="
      std::string value;
      while (j < s.size() && s[j] != '"') {
        if (s[j] == '\\' && j + 1 < s.size()) {
          ++j;
          value += s[j] == 'n' ? '\n' : s[j];  // the text format escapes \\, \" and \n
          ++j;
          continue;
        }
        value += s[j++];
      }
      out.emplace_back(name, value);
      i = j + 1;
      if (i < s.size() && s[i] == ',') ++i;
    }
  }
  std::map<std::string, double> series_;
  std::map<std::string, size_t> names_;
};

}  // namespace lagwatch::testing
