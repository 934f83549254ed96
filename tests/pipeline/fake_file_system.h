// An in-memory FileSystem for reader and ingest tests: paths map to file contents; folders are
// implied by the paths. Not thread-hostile: const methods only read the map.
#ifndef STANCETRACK_TESTS_PIPELINE_FAKE_FILE_SYSTEM_H_
#define STANCETRACK_TESTS_PIPELINE_FAKE_FILE_SYSTEM_H_

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "pipeline/reader.h"

namespace stancetrack {

class FakeFileSystem : public FileSystem {
 public:
  void Add(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  void AddUnreadable(const std::string& path) {
    unreadable_.insert(path);
    files_[path] = "";
  }

  Kind KindOf(const std::string& path) const override {
    if (files_.count(path)) return Kind::kFile;
    for (const auto& [p, _] : files_) {
      if (p.rfind(path + "/", 0) == 0) return Kind::kDirectory;
    }
    return Kind::kMissing;
  }

  Status ListDirectory(const std::string& path, std::vector<std::string>* names) const override {
    std::set<std::string> seen;
    for (const auto& [p, _] : files_) {
      if (p.rfind(path + "/", 0) != 0) continue;
      std::string rest = p.substr(path.size() + 1);
      seen.insert(rest.substr(0, rest.find('/')));
    }
    names->assign(seen.rbegin(), seen.rend());  // reversed: the walker must sort
    return Status::Ok();
  }

  StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) const override {
    if (unreadable_.count(path)) return Status::IoError(path + ": cannot open: Permission denied");
    auto it = files_.find(path);
    if (it == files_.end()) return Status::NotFound(path + ": cannot open: No such file");
    if (it->second.size() > max_bytes) return Status::InvalidArgument(path + ": too large");
    return it->second;
  }

  // An anonymous temporary file holding the contents, so the stream is a real FILE*.
  StatusOr<OpenFile> Open(const std::string& path) const override {
    if (unreadable_.count(path)) return Status::IoError(path + ": cannot open: Permission denied");
    auto it = files_.find(path);
    if (it == files_.end()) return Status::NotFound(path + ": cannot open: No such file");
    OpenFile file(std::tmpfile());
    if (file == nullptr ||
        std::fwrite(it->second.data(), 1, it->second.size(), file.get()) != it->second.size()) {
      return Status::IoError(path + ": cannot make a temporary copy");
    }
    std::rewind(file.get());
    return file;
  }

 private:
  std::map<std::string, std::string> files_;
  std::set<std::string> unreadable_;
};

}  // namespace stancetrack

#endif  // STANCETRACK_TESTS_PIPELINE_FAKE_FILE_SYSTEM_H_
