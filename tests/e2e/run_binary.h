// Runs the built stancetrack binary (STANCETRACK_BINARY, set by CMake) in a shell and captures
// its exit status, stdout and stderr, for end-to-end tests; and a scratch folder per test.
#ifndef STANCETRACK_TESTS_E2E_RUN_BINARY_H_
#define STANCETRACK_TESTS_E2E_RUN_BINARY_H_

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_util.h"

namespace stancetrack::testing {

struct Outcome {
  int exit_status = -1;
  std::string out, err;
};

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh folder under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("stancetrack-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `stancetrack ARGS` (ARGS already shell-quoted by the caller) from `dir`.
inline Outcome RunStancetrack(const std::filesystem::path& dir, const std::string& args) {
  std::filesystem::path out = dir / ".stdout", err = dir / ".stderr";
  std::string command = "cd '" + dir.string() + "' && '" STANCETRACK_BINARY "' " + args + " >'" +
                        out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(command.c_str());
  Outcome outcome;
  outcome.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.out = ReadAll(out);
  outcome.err = ReadAll(err);
  return outcome;
}

}  // namespace stancetrack::testing

#endif  // STANCETRACK_TESTS_E2E_RUN_BINARY_H_
