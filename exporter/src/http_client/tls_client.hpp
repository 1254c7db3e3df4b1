// The TLS client setup lagwatch's outgoing connections share (http_client/ for webhooks,
// smtp/ for mail): TLS 1.2 or later; the peer's certificate verified against the system CA
// store (Debian's ca-certificates) or a ca_file, and required to name the host (a DNS name, or
// an IP address for an IP literal), whose name also goes in SNI. insecure_skip_verify turns
// both checks off (tests only).
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>

namespace lagwatch::http_client {

// (ca_file_problem, which the context's ca_file must pass, is declared in http_client.hpp.)

// A client context: verify_peer against `ca_file` (or the system store when empty), or no
// verification at all when `insecure_skip_verify`. Throws std::invalid_argument when ca_file
// cannot be loaded ("ca_file: ...").
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(const std::string& ca_file,
                                                                   bool insecure_skip_verify);

// Before the handshake of one connection to `host`: SNI (for a host name only: RFC 6066 has no
// IP literals) and, when `verify`, the name or address the certificate must hold. OpenSSL
// checks it itself, so a mismatch reads "hostname mismatch" or "IP address mismatch".
void set_tls_peer(SSL* handle, const std::string& host, bool verify);

// After a failed handshake: "certificate verify failed: <OpenSSL's reason>" when the peer's
// certificate was refused, else nullopt (the failure was something else).
std::optional<std::string> tls_verify_failure(SSL* handle);

}  // namespace lagwatch::http_client
