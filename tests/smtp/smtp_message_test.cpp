// smtp/message.hpp: the text sent after DATA.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "smtp/message.hpp"
#include "util/base64.hpp"

namespace {

using namespace lagwatch::smtp;

TEST(SmtpMessage, Rfc5322Date) {
  // 2025-07-01T12:34:56Z, a Tuesday.
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1751373296));
  EXPECT_EQ(rfc5322_date(t), "Tue, 01 Jul 2025 12:34:56 +0000");
}

TEST(SmtpMessage, CrlfLines) {
  EXPECT_EQ(crlf_lines("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(crlf_lines("\n\n"), "\r\n\r\n");
}

TEST(SmtpMessage, DotStuffing) {
  EXPECT_EQ(dot_stuff(".a\r\nb\r\n..c\r\n.\r\n"), "..a\r\nb\r\n...c\r\n..\r\n.\r\n");
  EXPECT_EQ(dot_stuff("no newline at end"), "no newline at end\r\n.\r\n");
  EXPECT_EQ(dot_stuff("x.y\r\n"), "x.y\r\n.\r\n");
}

TEST(SmtpMessage, Base64) {
  EXPECT_EQ(lagwatch::util::base64_encode(""), "");
  EXPECT_EQ(lagwatch::util::base64_encode("f"), "Zg==");
  EXPECT_EQ(lagwatch::util::base64_encode("fo"), "Zm8=");
  EXPECT_EQ(lagwatch::util::base64_encode("foo"), "Zm9v");
  EXPECT_EQ(lagwatch::util::base64_encode(std::string("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
}

TEST(SmtpMessage, SubjectEncoding) {
  EXPECT_EQ(encode_subject("plain ASCII"), "plain ASCII");
  EXPECT_EQ(encode_subject("Größe"), "=?UTF-8?B?R3LDtsOfZQ==?=");
  // Long non-ASCII subjects: several words of at most 75 bytes, no UTF-8 sequence split.
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "ü€";
  const std::string encoded = encode_subject(subject);
  size_t pos = 0;
  int words = 0;
  while (pos < encoded.size()) {
    size_t end = encoded.find("\r\n ", pos);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(pos, end - pos);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    ++words;
    pos = end == encoded.size() ? end : end + 3;
  }
  EXPECT_GT(words, 1);
  // A control character (tab) is encoded too.
  EXPECT_EQ(encode_subject("a\tb").rfind("=?UTF-8?B?", 0), 0u);
}

TEST(SmtpMessage, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b\r\n"), "a=3Db\r\n");
  EXPECT_EQ(quoted_printable("trailing \r\n"), "trailing=20\r\n");
  EXPECT_EQ(quoted_printable("\xc3\xa9"), "=C3=A9");
  const std::string long_line(200, 'x');
  const std::string qp = quoted_printable(long_line + "\r\n");
  size_t pos = 0;
  while (pos < qp.size()) {
    const size_t end = qp.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - pos, 76u);
    pos = end + 2;
  }
  std::string joined;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    joined += qp[i];
  }
  EXPECT_EQ(joined, long_line + "\r\n");
}

TEST(SmtpMessage, RenderedTextPlain) {
  Message m;
  m.from = "lagwatch@example.com";
  m.to = {"a@example.com"};
  m.subject = "hi";
  m.text_body = "line\n";
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1751373296));
  EXPECT_EQ(render_message(m, t, "id1@example.com", "unused"),
            "Date: Tue, 01 Jul 2025 12:34:56 +0000\r\n"
            "From: lagwatch@example.com\r\n"
            "To: a@example.com\r\n"
            "Subject: hi\r\n"
            "Message-ID: <id1@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "line\r\n");
  // A line over 998 bytes makes the body quoted-printable.
  m.text_body = std::string(1200, 'y');
  EXPECT_NE(render_message(m, t, "id", "b").find("Content-Transfer-Encoding: quoted-printable"), std::string::npos);
}

}  // namespace
