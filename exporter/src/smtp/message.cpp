#include "smtp/message.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "util/base64.hpp"

namespace lagwatch::smtp {
namespace {

constexpr size_t kMaxLine = 998;  // RFC 5322 2.1.1, without the CRLF

bool printable_ascii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

// ASCII, no control characters but tab, no line over 998 bytes (of CRLF text).
bool seven_bit(std::string_view text_crlf) {
  size_t line = 0;
  for (size_t i = 0; i < text_crlf.size(); ++i) {
    const auto u = static_cast<unsigned char>(text_crlf[i]);
    if (u == '\r' && i + 1 < text_crlf.size() && text_crlf[i + 1] == '\n') {
      line = 0;
      ++i;
      continue;
    }
    if (u >= 0x7f || (u < 0x20 && u != '\t')) return false;
    if (++line > kMaxLine) return false;
  }
  return true;
}

// One body part's headers and its encoded text.
std::string part(const char* type, std::string_view body) {
  std::string text = crlf_lines(body);
  if (text.empty() || text.size() < 2 || text.compare(text.size() - 2, 2, "\r\n") != 0) text += "\r\n";
  std::string out = std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
  if (seven_bit(text)) {
    out += "Content-Transfer-Encoding: 7bit\r\n\r\n" + text;
  } else {
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quoted_printable(text);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

}  // namespace

std::string crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string quoted_printable(std::string_view text_crlf) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr size_t kWidth = 76;  // including a soft break's '='
  std::string out;
  size_t start = 0;
  while (start <= text_crlf.size()) {
    size_t end = text_crlf.find("\r\n", start);
    const bool last = end == std::string_view::npos;
    if (last) end = text_crlf.size();
    const std::string_view line = text_crlf.substr(start, end - start);
    size_t width = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto u = static_cast<unsigned char>(line[i]);
      const bool trailing_space = (u == ' ' || u == '\t') && i + 1 == line.size();
      const bool plain = (u == '\t' || (u >= 0x20 && u <= 0x7e && u != '=')) && !trailing_space;
      const size_t need = plain ? 1 : 3;
      if (width + need > kWidth - 1) {  // room for the soft break's '='
        out += "=\r\n";
        width = 0;
      }
      if (plain) {
        out += static_cast<char>(u);
      } else {
        out += '=';
        out += kHex[u >> 4];
        out += kHex[u & 15];
      }
      width += need;
    }
    if (last) break;
    out += "\r\n";
    start = end + 2;
  }
  return out;
}

std::string dot_stuff(std::string_view text_crlf) {
  std::string out;
  out.reserve(text_crlf.size() + 16);
  bool line_start = true;
  for (size_t i = 0; i < text_crlf.size(); ++i) {
    const char c = text_crlf[i];
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.empty() && !(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0)) out += "\r\n";
  out += ".\r\n";
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string encode_subject(std::string_view subject) {
  constexpr size_t kPlainMax = 900;  // "Subject: " and the value within one 998-byte line
  if (printable_ascii(subject) && subject.size() <= kPlainMax) return std::string(subject);
  constexpr size_t kChunk = 45;  // 60 bytes of base64: "=?UTF-8?B?" + 60 + "?=" is 72 <= 75
  std::string out;
  size_t pos = 0;
  while (pos < subject.size()) {
    size_t end = std::min(subject.size(), pos + kChunk);
    // Back off to the start of a UTF-8 sequence (a continuation byte is 10xxxxxx).
    while (end < subject.size() && end > pos + 1 && (static_cast<uint8_t>(subject[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + util::base64_encode(subject.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string render_message(const Message& message, std::chrono::system_clock::time_point date,
                           const std::string& message_id, const std::string& boundary) {
  std::string out;
  out += "Date: " + rfc5322_date(date) + "\r\n";
  if (message.from_name.empty()) {
    out += "From: " + message.from + "\r\n";
  } else {
    // A quoted phrase when it is plain ASCII (message_problem refuses quotes and backslashes
    // in it), else an encoded word, which may not be quoted (RFC 2047 5).
    const std::string name =
        printable_ascii(message.from_name) ? "\"" + message.from_name + "\"" : encode_subject(message.from_name);
    out += "From: " + name + " <" + message.from + ">\r\n";
  }
  out += "To: " + join(message.to, ",\r\n ") + "\r\n";
  out += "Subject: " + encode_subject(message.subject) + "\r\n";
  out += "Message-ID: <" + message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (message.html_body.empty()) {
    out += part("text/plain", message.text_body);
    return out;
  }
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + part("text/plain", message.text_body);
  out += "--" + boundary + "\r\n" + part("text/html", message.html_body);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace lagwatch::smtp
