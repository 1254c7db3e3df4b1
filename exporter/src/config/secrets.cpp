#include "config/secrets.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

std::string read_secret_file(const std::string& path) {
  const std::string ref = "${file:" + path + "}";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw ConfigError("cannot read file " + path + " (from " + ref + "): " + std::strerror(errno));
  std::string content;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) content.append(buf, n);
  // fopen succeeds on a directory; the read is what fails (EISDIR).
  if (std::ferror(f.get())) {
    throw ConfigError("cannot read file " + path + " (from " + ref + "): " + std::strerror(errno));
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  return content;
}

std::string read_env(const std::string& name) {
  const std::string ref = "${env:" + name + "}";
  if (name.empty()) throw ConfigError(ref + ": the environment variable name is empty");
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) throw ConfigError("environment variable " + name + " (from " + ref + ") is not set");
  return v;
}

}  // namespace

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
      "password", "passwd", "secret", "token", "credential", "passphrase", "jaas",
      "private",  "apikey", "api.key", "api_key", "sasl.oauthbearer.config", "sasl.oauthbearer.extensions",
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
