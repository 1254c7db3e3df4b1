// smtp/reply.hpp: the parser of the server's replies, which are untrusted input.
#include <gtest/gtest.h>

#include <string>

#include "smtp/reply.hpp"

namespace {

using lagwatch::smtp::parse_reply;
using lagwatch::smtp::ParsedReply;
using lagwatch::smtp::ReplyLimits;
using Status = ParsedReply::Status;

TEST(SmtpReply, OneLine) {
  const auto p = parse_reply("220 mail.example.com ESMTP\r\n");
  ASSERT_EQ(p.status, Status::complete);
  EXPECT_EQ(p.reply.code, 220);
  ASSERT_EQ(p.reply.lines.size(), 1u);
  EXPECT_EQ(p.reply.lines[0], "mail.example.com ESMTP");
  EXPECT_EQ(p.consumed, 28u);
  EXPECT_EQ(p.reply.summary(), "220 mail.example.com ESMTP");
}

TEST(SmtpReply, MultiLineAndWhatFollows) {
  const std::string input = "250-mail.example.com\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 HELP\r\n354 next";
  const auto p = parse_reply(input);
  ASSERT_EQ(p.status, Status::complete);
  EXPECT_EQ(p.reply.code, 250);
  ASSERT_EQ(p.reply.lines.size(), 4u);
  EXPECT_EQ(p.reply.lines[1], "STARTTLS");
  EXPECT_EQ(p.reply.lines[2], "AUTH PLAIN LOGIN");
  EXPECT_EQ(input.substr(p.consumed), "354 next");
  EXPECT_EQ(p.reply.text(), "mail.example.com / STARTTLS / AUTH PLAIN LOGIN / HELP");
}

TEST(SmtpReply, BareCodeAndBareLf) {
  auto p = parse_reply("250\r\n");
  ASSERT_EQ(p.status, Status::complete);
  EXPECT_EQ(p.reply.code, 250);
  EXPECT_EQ(p.reply.summary(), "250");
  p = parse_reply("451 4.3.0 try later\n");
  ASSERT_EQ(p.status, Status::complete);
  EXPECT_EQ(p.reply.lines[0], "4.3.0 try later");
}

TEST(SmtpReply, NeedsMore) {
  EXPECT_EQ(parse_reply("").status, Status::need_more);
  EXPECT_EQ(parse_reply("22").status, Status::need_more);
  EXPECT_EQ(parse_reply("250-first\r\n250-second\r\n").status, Status::need_more);
  EXPECT_EQ(parse_reply("250-first\r\n250 la").status, Status::need_more);
}

TEST(SmtpReply, BadCodes) {
  EXPECT_EQ(parse_reply("HTTP/1.1 400 Bad Request\r\n").status, Status::malformed);
  EXPECT_EQ(parse_reply("25 short\r\n").status, Status::malformed);
  EXPECT_EQ(parse_reply("\r\n").status, Status::malformed);
  auto p = parse_reply("150 ok\r\n");
  EXPECT_EQ(p.status, Status::malformed);
  EXPECT_NE(p.error.find("outside 2xx..5xx"), std::string::npos) << p.error;
  p = parse_reply("650 ok\r\n");
  EXPECT_EQ(p.status, Status::malformed);
  p = parse_reply("250x ok\r\n");
  EXPECT_EQ(p.status, Status::malformed);
  p = parse_reply("250-one\r\n251 two\r\n");
  EXPECT_EQ(p.status, Status::malformed);
  EXPECT_NE(p.error.find("different codes"), std::string::npos) << p.error;
}

TEST(SmtpReply, Oversize) {
  ReplyLimits limits;
  // One long line, complete or not.
  auto p = parse_reply("250 " + std::string(2000, 'a') + "\r\n", limits);
  EXPECT_EQ(p.status, Status::malformed);
  EXPECT_NE(p.error.find("longer than 1024 bytes"), std::string::npos) << p.error;
  p = parse_reply("250 " + std::string(2000, 'a'), limits);
  EXPECT_EQ(p.status, Status::malformed);
  // A line at the limit is fine.
  p = parse_reply("250 " + std::string(limits.max_line - 4, 'a') + "\r\n", limits);
  EXPECT_EQ(p.status, Status::complete);
  // Too many lines.
  std::string many;
  for (int i = 0; i < 200; ++i) many += "250-x\r\n";
  p = parse_reply(many, limits);
  EXPECT_EQ(p.status, Status::malformed);
  EXPECT_NE(p.error.find("more than 128 lines"), std::string::npos) << p.error;
  // Too many bytes in all.
  limits.max_lines = 100000;
  std::string big;
  while (big.size() < 70 * 1024) big += "250-" + std::string(1000, 'b') + "\r\n";
  p = parse_reply(big, limits);
  EXPECT_EQ(p.status, Status::malformed);
  EXPECT_NE(p.error.find("reply longer than"), std::string::npos) << p.error;
}

TEST(SmtpReply, TextIsSafeForMessages) {
  const auto p = parse_reply(std::string("550 bad\x01\x1b[31m\xff text\r\n"));
  ASSERT_EQ(p.status, Status::complete);
  EXPECT_EQ(p.reply.text(), "bad??[31m? text");
  const auto long_reply = parse_reply("550 " + std::string(1000, 'z') + "\r\n");
  ASSERT_EQ(long_reply.status, Status::complete);
  EXPECT_LE(long_reply.reply.text().size(), 310u);
}

}  // namespace
