// Secret references in librdkafka property values.
//
// A value may contain, anywhere inside it and any number of times:
//   ${env:NAME}    the value of environment variable NAME (set but empty is allowed)
//   ${file:PATH}   the content of file PATH with trailing newlines removed
//                  (Kubernetes secret volumes and `echo pw > file` both end with one);
//                  PATH must be a regular file of at most 1 MiB (read_regular_file)
//   $${            a literal "${"
// so that passwords live in the environment or a mounted file and never in the YAML file.
// Substitution happens once: a secret that itself contains "${" is used as is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lagwatch::config {

// The largest ${file:PATH} content or notifier template_file: secrets and templates are a few
// KB, so anything bigger is a wrong path, not a value.
inline constexpr size_t kMaxReferencedFile = size_t{1} << 20;

// The content of `path`, which must be (or be a symlink to) a regular file of at most
// `max_bytes`. Refuses FIFOs, devices, sockets and directories without blocking on them
// (/dev/zero, /dev/urandom and a FIFO nobody writes to would otherwise hang start-up), and
// reads at most max_bytes + 1 bytes, so a file that lies about its size (/proc) is bounded too.
// Throws ConfigError carrying only the reason ("not a regular file (a character device)",
// "larger than 1 MiB", "No such file or directory"), for the caller to prefix with the key
// and the path; the content is never part of a message.
std::string read_regular_file(const std::string& path, size_t max_bytes);

// "1 MiB", "512 KiB", "100 bytes": how messages state a limit.
std::string size_text(size_t bytes);

// Returns `value` with every reference replaced. Throws ConfigError naming the variable or
// file (the caller prefixes where the property is); the message never quotes the value,
// which may be a literal password.
std::string resolve_references(std::string_view value);

}  // namespace lagwatch::config
