// The text of a mail as the SMTP client sends it after DATA (before dot-stuffing), RFC 5322
// and MIME: Date, From, To, Subject (RFC 2047 "=?UTF-8?B?...?=" when not printable ASCII or
// too long for one line), Message-ID, MIME-Version, then a text/plain; charset=utf-8 body, or
// multipart/alternative of text/plain and text/html. A body part is 7bit when it is ASCII with
// lines of at most 998 bytes, else quoted-printable. Every line ends in CRLF.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "smtp/smtp_client.hpp"

namespace lagwatch::smtp {

// `message_id`: without angle brackets, e.g. "3f2a...@example.com". `boundary`: the multipart
// boundary (used only with an html_body). The caller has checked message_problem().
std::string render_message(const Message& message, std::chrono::system_clock::time_point date,
                           const std::string& message_id, const std::string& boundary);

// "Tue, 01 Jul 2025 12:00:00 +0000" (RFC 5322 section 3.3, in UTC).
std::string rfc5322_date(std::chrono::system_clock::time_point t);

// The Subject header's value: as is when printable ASCII and short, else encoded words of at
// most 75 bytes, folded ("\r\n "), never splitting a UTF-8 sequence.
std::string encode_subject(std::string_view subject);

// Quoted-printable (RFC 2045 6.7) of text whose lines end in CRLF: lines of at most 76 bytes
// with soft breaks, '=' and bytes outside printable ASCII encoded, and trailing spaces too.
std::string quoted_printable(std::string_view text_crlf);

// `text` with every line ending (CRLF, LF, lone CR) made CRLF.
std::string crlf_lines(std::string_view text);

// The DATA payload: lines starting with '.' get another one (RFC 5321 4.5.2), ending in CRLF
// "." CRLF. `text_crlf` is render_message()'s output.
std::string dot_stuff(std::string_view text_crlf);

}  // namespace lagwatch::smtp
