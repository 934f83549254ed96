// Helpers shared by the test suites: a segmented Document from text, and scratch files.
#ifndef STANCETRACK_TESTS_TEST_UTIL_H_
#define STANCETRACK_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace stancetrack::testing {

// A Document as the pipeline hands it to the extractors: normalized and segmented.
inline Document MakeDocument(const std::string& text, const std::string& language = "en",
                             const std::string& published = "") {
  Document doc;
  doc.original = text;
  doc.language = language;
  doc.meta.published = published;
  Normalize(&doc);
  Segment(&doc);
  return doc;
}

// Writes `bytes` to `path`, creating its folders.
inline void WriteTextFile(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// An empty folder under the test temp dir, named `name` and this process's id: CTest runs tests
// as parallel processes, which must not empty each other's folders. It is removed, with what
// it holds, when the process exits, so that runs do not pile folders up in /tmp.
inline std::filesystem::path FreshTestDir(const std::string& name) {
  struct Made {
    std::vector<std::filesystem::path> dirs;
    ~Made() {
      std::error_code ignored;  // nothing to do about a folder that will not go
      for (const std::filesystem::path& dir : dirs) std::filesystem::remove_all(dir, ignored);
    }
  };
  static Made made;
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  made.dirs.push_back(dir);
  return dir;
}

// How many times `needle` occurs in `haystack`, overlapping occurrences included.
inline int CountOccurrences(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace stancetrack::testing

#endif  // STANCETRACK_TESTS_TEST_UTIL_H_
