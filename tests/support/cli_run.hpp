// Runs the lagwatch binary to completion with a shell command line, as a user types it.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace lagwatch::testing {

struct CliRun {
  int exit_code;
  std::string output;  // stdout and stderr
};

// `env` is prepended to the command ("NAME=value ..."); `args` is shell text.
inline CliRun run_lagwatch(const std::string& args, const std::string& env = "") {
  std::string cmd = env + " " + LAGWATCH_BINARY + " " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  int status = pclose(pipe.release());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

// A file under the test temp dir, named per process: ctest runs tests in parallel processes,
// which would otherwise overwrite each other's files of the same name.
inline std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace lagwatch::testing
