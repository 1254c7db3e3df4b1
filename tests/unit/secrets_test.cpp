// ${file:PATH} references and notifier template_file (config/secrets.hpp read_regular_file):
// only regular files of at most 1 MiB, refused without blocking or eating memory otherwise.
#include "config/secrets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"

namespace lagwatch::config {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace fs = std::filesystem;

// A private directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "lagwatch-secrets-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name, const std::string& content) const {
    const std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string fifo(const std::string& name) const {
    const std::string p = (path_ / name).string();
    if (::mkfifo(p.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

const std::string kCluster = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n";

std::string yaml_error(const std::string& yaml) {
  try {
    parse_yaml(yaml, "t.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

std::string password_error(const std::string& path) {
  return yaml_error(kCluster + "    properties:\n      sasl.password: ${file:" + path + "}\n");
}

std::string template_error(const std::string& path) {
  return yaml_error(kCluster + "notifiers:\n  - name: n\n    url: http://h/x\n    template_file: " + path + "\n");
}

// Each case must answer at once; the old reader hung on these.
template <class F>
std::string quickly(F f) {
  const auto start = std::chrono::steady_clock::now();
  std::string out = f();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  return out;
}

TEST(ConfigSecretFiles, RegularFileRead) {
  TempDir dir;
  const std::string pw = dir.file("pw", "s3cret\n");
  const Config c = parse_yaml(kCluster + "    properties:\n      sasl.password: ${file:" + pw + "}\n", "t.yml");
  EXPECT_EQ(c.clusters[0].properties.at("sasl.password"), "s3cret");
  EXPECT_EQ(read_regular_file(pw, 7), "s3cret\n");
  EXPECT_EQ(read_regular_file(dir.file("empty", ""), 0), "");
}

TEST(ConfigSecretFiles, SymlinkToARegularFileFollowed) {
  // Kubernetes secret volumes are symlinks (..data/pw).
  TempDir dir;
  const std::string target = dir.file("target", "pw");
  const std::string link = dir.path() + "/link";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_EQ(resolve_references("${file:" + link + "}"), "pw");
}

TEST(ConfigSecretFiles, DevicesRefused) {
  EXPECT_EQ(quickly([] { return password_error("/dev/zero"); }),
            "t.yml:5:22: clusters[0].properties.sasl.password: cannot read file /dev/zero (from ${file:/dev/zero}): "
            "not a regular file (a character device)");
  EXPECT_THAT(quickly([] { return password_error("/dev/urandom"); }),
              EndsWith("not a regular file (a character device)"));
  EXPECT_EQ(quickly([] { return template_error("/dev/zero"); }),
            "t.yml:7:20: notifiers[0].template_file: cannot read /dev/zero: not a regular file (a character device)");
}

TEST(ConfigSecretFiles, FifoRefusedWithoutBlocking) {
  TempDir dir;
  const std::string fifo = dir.fifo("pipe");
  EXPECT_EQ(quickly([&] { return password_error(fifo); }),
            "t.yml:5:22: clusters[0].properties.sasl.password: cannot read file " + fifo + " (from ${file:" + fifo +
                "}): not a regular file (a named pipe)");
  EXPECT_THAT(quickly([&] { return template_error(fifo); }), EndsWith(": not a regular file (a named pipe)"));
}

TEST(ConfigSecretFiles, DirectoryRefused) {
  TempDir dir;
  EXPECT_THAT(password_error(dir.path()), EndsWith("}): not a regular file (a directory)"));
  EXPECT_THAT(template_error(dir.path()), StartsWith("t.yml:7:20: notifiers[0].template_file: cannot read " +
                                                     dir.path() + ": not a regular file (a directory)"));
}

TEST(ConfigSecretFiles, LargerThanOneMiBRefused) {
  TempDir dir;
  const std::string big = dir.file("big", std::string(2 << 20, 'x'));
  EXPECT_EQ(password_error(big), "t.yml:5:22: clusters[0].properties.sasl.password: cannot read file " + big +
                                     " (from ${file:" + big + "}): larger than 1 MiB");
  EXPECT_EQ(template_error(big), "t.yml:7:20: notifiers[0].template_file: cannot read " + big + ": larger than 1 MiB");
  // Exactly 1 MiB is fine.
  const std::string edge = dir.file("edge", std::string(1 << 20, 'y'));
  EXPECT_EQ(resolve_references("${file:" + edge + "}").size(), size_t{1} << 20);
  EXPECT_THROW(read_regular_file(dir.file("eleven", std::string(11, 'z')), 10), ConfigError);
  EXPECT_EQ(read_regular_file(dir.file("ten", std::string(10, 'z')), 10), std::string(10, 'z'));
}

TEST(ConfigSecretFiles, LyingSizeBoundedByReading) {
  // /proc files report size 0 but have content; the reader counts what it reads.
  if (!fs::exists("/proc/self/maps")) GTEST_SKIP() << "no /proc";
  try {
    read_regular_file("/proc/self/maps", 16);
    ADD_FAILURE() << "accepted more than 16 bytes";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "larger than 16 bytes");
  }
  EXPECT_FALSE(read_regular_file("/proc/self/maps", 1 << 20).empty());
}

TEST(ConfigSecretFiles, MissingFileNamesThePathNeverTheContent) {
  EXPECT_EQ(password_error("/nonexistent/lagwatch/pw"),
            "t.yml:5:22: clusters[0].properties.sasl.password: cannot read file /nonexistent/lagwatch/pw (from "
            "${file:/nonexistent/lagwatch/pw}): No such file or directory");
  TempDir dir;
  const std::string big = dir.file("big-secret", "hunter2" + std::string(2 << 20, 'x'));
  EXPECT_THAT(password_error(big), Not(HasSubstr("hunter2")));
}

TEST(ConfigSecretFiles, LongPathAbbreviated) {
  const std::string path = "/" + std::string(5'000, 'p');
  const std::string e = password_error(path);
  EXPECT_THAT(e, HasSubstr("(5001 characters)"));
  EXPECT_LT(e.size(), 500u);
}

TEST(ConfigSecretFiles, SizeText) {
  EXPECT_EQ(size_text(1 << 20), "1 MiB");
  EXPECT_EQ(size_text(16 << 20), "16 MiB");
  EXPECT_EQ(size_text(512 << 10), "512 KiB");
  EXPECT_EQ(size_text(1000), "1000 bytes");
}

TEST(ConfigSecretFiles, ConfigFileItselfBounded) {
  // Pipes stay allowed for --config (process substitution), but not endless input.
  try {
    load_file("/dev/zero");
    ADD_FAILURE() << "accepted /dev/zero";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read config file /dev/zero: larger than 16 MiB");
  }
}

}  // namespace
}  // namespace lagwatch::config
