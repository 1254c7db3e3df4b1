#include "smtp/reply.hpp"

namespace lagwatch::smtp {
namespace {

ParsedReply malformed(std::string error) {
  ParsedReply out;
  out.status = ParsedReply::Status::malformed;
  out.error = std::move(error);
  return out;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string Reply::text() const {
  constexpr size_t kMax = 300;
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += " / ";
    for (char c : line) {
      const auto u = static_cast<unsigned char>(c);
      out += (u < 0x20 || u >= 0x7f) ? '?' : c;
      if (out.size() >= kMax) return out + "...";
    }
  }
  return out;
}

std::string Reply::summary() const {
  const std::string t = text();
  return t.empty() ? std::to_string(code) : std::to_string(code) + " " + t;
}

ParsedReply parse_reply(std::string_view input, const ReplyLimits& limits) {
  ParsedReply out;
  size_t pos = 0;
  for (;;) {
    const size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) {
      // An unfinished line: wait for more, unless it is already too long.
      if (input.size() - pos > limits.max_line + 1) {
        return malformed("reply line longer than " + std::to_string(limits.max_line) + " bytes");
      }
      if (input.size() > limits.max_total) {
        return malformed("reply longer than " + std::to_string(limits.max_total) + " bytes");
      }
      return ParsedReply{};
    }
    if (nl + 1 > limits.max_total) {
      return malformed("reply longer than " + std::to_string(limits.max_total) + " bytes");
    }
    std::string_view line = input.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits.max_line) {
      return malformed("reply line longer than " + std::to_string(limits.max_line) + " bytes");
    }
    if (out.reply.lines.size() >= limits.max_lines) {
      return malformed("reply of more than " + std::to_string(limits.max_lines) + " lines");
    }
    if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2])) {
      return malformed("reply line without a 3-digit code");
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (code < 200 || code > 599) return malformed("reply code " + std::to_string(code) + " outside 2xx..5xx");
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') {
      return malformed("reply line with no space or '-' after its code");
    }
    if (!out.reply.lines.empty() && code != out.reply.code) {
      return malformed("multi-line reply whose lines have different codes (" + std::to_string(out.reply.code) + ", " +
                       std::to_string(code) + ")");
    }
    out.reply.code = code;
    out.reply.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
    pos = nl + 1;
    if (line.size() == 3 || line[3] == ' ') {
      out.status = ParsedReply::Status::complete;
      out.consumed = pos;
      return out;
    }
  }
}

}  // namespace lagwatch::smtp
