#include "config/secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

// Closes a file descriptor on every path out, including exceptions.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

[[noreturn]] void not_regular(mode_t mode) {
  throw ConfigError(std::string("not a regular file (") + file_kind(mode) + ")");
}

std::string read_secret_file(const std::string& path) {
  const std::string shown = abbreviate(path);
  try {
    std::string content = read_regular_file(path, kMaxReferencedFile);
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
    return content;
  } catch (const ConfigError& e) {
    throw ConfigError("cannot read file " + shown + " (from ${file:" + shown + "}): " + e.what());
  }
}

std::string read_env(const std::string& name) {
  const std::string ref = "${env:" + name + "}";
  if (name.empty()) throw ConfigError(ref + ": the environment variable name is empty");
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) throw ConfigError("environment variable " + name + " (from " + ref + ") is not set");
  return v;
}

}  // namespace

std::string size_text(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (size_t{1} << 10) && bytes % (size_t{1} << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string read_regular_file(const std::string& path, size_t max_bytes) {
  const auto too_large = [&] { return ConfigError("larger than " + size_text(max_bytes)); };
  // stat before open: opening a FIFO blocks until a writer comes, and opening some devices has
  // effects of its own (a tape rewinds). stat follows symlinks, as Kubernetes secret volumes need.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw ConfigError(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) not_regular(st.st_mode);
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) throw too_large();
  // O_NONBLOCK in case the path was swapped for a FIFO since the stat; fstat checks again.
  const Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) throw ConfigError(std::strerror(errno));
  if (::fstat(fd.get(), &st) != 0) throw ConfigError(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) not_regular(st.st_mode);
  // Read one byte more than allowed: st_size is 0 for /proc files and may change while reading.
  std::string content;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ConfigError(std::strerror(errno));
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > max_bytes) throw too_large();
  }
  return content;
}

std::string resolve_references(std::string_view value) {
  // Nothing from `value` outside a well-formed reference goes into an error: the text
  // around it may be the password.
  constexpr const char* kSyntax = "write ${env:NAME} or ${file:PATH}, or $${ for a literal \"${\"";
  std::string out;
  out.reserve(value.size());
  size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (value.compare(i, 2, "${") != 0) {
      out += value[i++];
      continue;
    }
    const size_t close = value.find('}', i + 2);
    if (close == std::string_view::npos) throw ConfigError(std::string("unterminated \"${\"; ") + kSyntax);
    const std::string_view body = value.substr(i + 2, close - i - 2);
    if (body.starts_with("env:")) {
      out += read_env(std::string(body.substr(4)));
    } else if (body.starts_with("file:")) {
      const std::string path(body.substr(5));
      if (path.empty()) throw ConfigError("${file:}: the file path is empty");
      out += read_secret_file(path);
    } else {
      throw ConfigError(std::string("unknown \"${...}\" reference; ") + kSyntax);
    }
    i = close + 1;
  }
  return out;
}

bool is_secret_key(const std::string& key) {
  std::string k;
  k.reserve(key.size());
  for (unsigned char c : key) k += static_cast<char>(std::tolower(c));
  // Masking a harmless value costs a little debugging comfort; missing a secret leaks it into
  // logs and bug reports. So match broadly.
  static constexpr const char* kContains[] = {
      "password",
      "passwd",
      "secret",
      "token",
      "credential",
      "passphrase",
      "jaas",
      "private",
      "apikey",
      "api.key",
      "api_key",
      "sasl.oauthbearer.config",
      "sasl.oauthbearer.extensions",
  };
  for (const char* word : kContains) {
    if (k.find(word) != std::string::npos) return true;
  }
  static constexpr const char* kEndsWith[] = {".key", "_key", "-key", "key.pem"};
  for (const char* suffix : kEndsWith) {
    if (k.ends_with(suffix)) return true;
  }
  return k == "key";
}

}  // namespace lagwatch::config
