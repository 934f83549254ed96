#include "pipeline/reader.h"

#include <unicode/utf8.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "pipeline/encoding.h"
#include "pipeline/formats.h"
#include "pipeline/html.h"
#include "pipeline/limits.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

namespace fs = std::filesystem;

// A file name or path as UTF-8, as SQLite's TEXT and JSON need it: Linux names are bytes, and a
// name saved in Latin-1 is common. Each byte that is not part of valid UTF-8 becomes "%XX".
std::string Utf8Name(std::string_view name) {
  std::string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  for (size_t i = 0; i < name.size();) {
    const size_t begin = i;
    UChar32 c;
    U8_NEXT(bytes, i, name.size(), c);
    if (c >= 0) {
      out.append(name.substr(begin, i - begin));
      continue;
    }
    for (size_t j = begin; j < i; ++j) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", bytes[j]);
      out += hex;
    }
  }
  return out;
}

class DiskFileSystem : public FileSystem {
 public:
  Kind KindOf(const std::string& path) const override {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(path, ec);
    if (ec || !fs::exists(st)) return Kind::kMissing;
    if (fs::is_symlink(st)) {
      // A link to a file is read; a link to a directory (or a loop) is not followed.
      fs::file_status target = fs::status(path, ec);
      if (!ec && fs::is_regular_file(target)) return Kind::kFile;
      return ec ? Kind::kFile : Kind::kOther;  // a broken link or loop: reading will say why
    }
    if (fs::is_directory(st)) return Kind::kDirectory;
    return fs::is_regular_file(st) ? Kind::kFile : Kind::kOther;
  }

  Status ListDirectory(const std::string& path, std::vector<std::string>* names) const override {
    std::error_code ec;
    fs::directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      names->push_back(it->path().filename().string());
    }
    if (ec) return Status::IoError(Utf8Name(path) + ": cannot list directory: " + ec.message());
    return Status::Ok();
  }

  StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) const override {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      return Status::IoError(Utf8Name(path) + ": cannot open: " + std::strerror(errno));
    }
    std::string bytes;
    char buffer[1 << 16];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
      if (bytes.size() + n > max_bytes) {
        std::fclose(f);
        return Status::InvalidArgument(Utf8Name(path) + ": larger than " +
                                       std::to_string(max_bytes >> 20) +
                                       " MiB (limits::kMaxDocumentBytes), not read");
      }
      bytes.append(buffer, n);
    }
    bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return Status::IoError(Utf8Name(path) + ": read failed: " + std::strerror(errno));
    return bytes;
  }

  StatusOr<OpenFile> Open(const std::string& path) const override {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      return Status::IoError(Utf8Name(path) + ": cannot open: " + std::strerror(errno));
    }
    return OpenFile(f);
  }
};

enum class Format { kText, kHtml, kJson, kJsonl, kNone };

Format FormatOf(const std::string& path) {
  std::string ext = AsciiLower(fs::path(path).extension().string());
  if (ext == ".txt" || ext == ".md" || ext == ".markdown") return Format::kText;
  if (ext == ".html" || ext == ".htm") return Format::kHtml;
  if (ext == ".json") return Format::kJson;
  if (ext == ".jsonl") return Format::kJsonl;
  return Format::kNone;
}

}  // namespace

const FileSystem& RealFileSystem() {
  static const DiskFileSystem* disk = new DiskFileSystem();
  return *disk;
}

// One root's walk: a stack of the directories being read, each with its entries in id order.
class SourceWalk::Root {
 public:
  Root(const FileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}

  Result Next(SourceFile* file, Problem* problem, size_t* ignored) {
    if (!started_) {
      started_ = true;
      if (std::optional<Problem> p = Start(file)) {
        *problem = std::move(*p);
        return Result::kProblem;
      }
      if (!file->path.empty()) return Result::kFile;
    }
    while (!open_.empty()) {
      Directory& dir = open_.back();
      if (dir.next == dir.entries.size()) {
        open_.pop_back();
        continue;
      }
      Entry& entry = dir.entries[dir.next++];
      std::string path = (fs::path(dir.path) / entry.name).string();
      std::string id = dir.prefix + entry.key;
      if (entry.kind == FileSystem::Kind::kDirectory) {
        id.pop_back();  // the '/' it was sorted by
        const int depth = dir.depth + 1;
        if (std::optional<Problem> p = Enter(std::move(path), std::move(id), depth)) {
          *problem = std::move(*p);
          return Result::kProblem;
        }
      } else if (entry.kind == FileSystem::Kind::kFile && FormatOf(path) != Format::kNone) {
        *file = {std::move(path), std::move(id)};
        return Result::kFile;
      } else {
        ++*ignored;
      }
    }
    return Result::kEnd;
  }

 private:
  struct Entry {
    std::string key;  // the name as UTF-8, a directory's with '/' after it
    std::string name;
    FileSystem::Kind kind;
  };
  struct Directory {
    std::string path;
    std::string prefix;  // of the ids under it: "" or "sub/"
    int depth;
    std::vector<Entry> entries;
    size_t next = 0;
  };

  // The root itself: a directory to walk, a file to give (into `file`), or a problem.
  std::optional<Problem> Start(SourceFile* file) {
    file->path.clear();
    switch (fs_.KindOf(path_)) {
      case FileSystem::Kind::kDirectory:
        return Enter(path_, "", 0);
      case FileSystem::Kind::kFile:
        if (FormatOf(path_) == Format::kNone) {
          return Problem{Utf8Name(path_), "not an article file (.txt, .md, .html, .json, .jsonl)"};
        }
        *file = {path_, Utf8Name(fs::path(path_).filename().string())};
        return std::nullopt;
      case FileSystem::Kind::kMissing:
        return Problem{Utf8Name(path_), "no such file or directory"};
      case FileSystem::Kind::kOther:
        break;
    }
    return Problem{Utf8Name(path_), "not a regular file or directory"};
  }

  // Lists a directory onto the stack. The entries listed before a listing error are still
  // walked.
  std::optional<Problem> Enter(std::string path, std::string id, int depth) {
    if (depth > limits::kMaxDirectoryDepth) {
      return Problem{Utf8Name(path), "nested deeper than limits::kMaxDirectoryDepth, not read"};
    }
    std::vector<std::string> names;
    Status listed = fs_.ListDirectory(path, &names);
    Directory dir{std::move(path), id.empty() ? id : id + "/", depth, {}};
    dir.entries.reserve(names.size());
    for (std::string& name : names) {
      const FileSystem::Kind kind = fs_.KindOf((fs::path(dir.path) / name).string());
      std::string key = Utf8Name(name);
      if (kind == FileSystem::Kind::kDirectory) key += '/';
      dir.entries.push_back({std::move(key), std::move(name), kind});
    }
    std::sort(dir.entries.begin(), dir.entries.end(), [](const Entry& a, const Entry& b) {
      return a.key != b.key ? a.key < b.key : a.name < b.name;
    });
    open_.push_back(std::move(dir));
    if (!listed.ok()) return Problem{Utf8Name(open_.back().path), listed.message()};
    return std::nullopt;
  }

  const FileSystem& fs_;
  const std::string path_;
  bool started_ = false;
  std::vector<Directory> open_;  // the innermost last
};

struct SourceWalk::Head {
  std::unique_ptr<Root> root;
  std::optional<SourceFile> file;  // the root's next file, once read
  bool ended = false;
};

SourceWalk::SourceWalk(const FileSystem& fs, const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    heads_.push_back({std::make_unique<Root>(fs, root), std::nullopt, false});
  }
}

SourceWalk::~SourceWalk() = default;

SourceFiles::Result SourceWalk::Next(SourceFile* file, Problem* problem) {
  Head* first = nullptr;
  for (Head& head : heads_) {
    if (!head.file && !head.ended) {
      SourceFile next;
      switch (head.root->Next(&next, problem, &ignored_)) {
        case Result::kProblem:
          return Result::kProblem;  // this root is asked again on the next call
        case Result::kFile:
          head.file = std::move(next);
          break;
        case Result::kEnd:
          head.ended = true;
          continue;
      }
    }
    if (head.file && (first == nullptr || std::tie(head.file->id, head.file->path) <
                                              std::tie(first->file->id, first->file->path))) {
      first = &head;
    }
  }
  if (first == nullptr) return Result::kEnd;
  SourceFile next = std::move(*first->file);
  first->file.reset();
  if (last_ && last_->id == next.id) {
    if (last_->path == next.path) return Next(file, problem);  // a root given twice
    *problem = SameIdProblem(*last_, next);
    return Result::kProblem;
  }
  last_ = next;
  *file = std::move(next);
  return Result::kFile;
}

Problem SameIdProblem(const SourceFile& kept, const SourceFile& dropped) {
  return {dropped.path, "document id " + dropped.id + " is also that of " + kept.path +
                            ", which is read instead: name both from a folder above them (give "
                            "ingest that folder, or extract --root)"};
}

SourceList ListSources(const FileSystem& fs, const std::vector<std::string>& roots) {
  SourceList out;
  SourceWalk walk(fs, roots);
  SourceFile file;
  Problem problem;
  for (SourceFiles::Result r; (r = walk.Next(&file, &problem)) != SourceFiles::Result::kEnd;) {
    if (r == SourceFiles::Result::kFile) {
      out.files.push_back(std::move(file));
    } else {
      out.problems.push_back(std::move(problem));
    }
  }
  out.ignored = walk.ignored();
  return out;
}

size_t CountSources(const FileSystem& fs, const std::vector<std::string>& roots) {
  SourceWalk walk(fs, roots);
  SourceFile file;
  Problem problem;
  size_t count = 0;
  for (SourceFiles::Result r; (r = walk.Next(&file, &problem)) != SourceFiles::Result::kEnd;) {
    count += r == SourceFiles::Result::kFile;
  }
  return count;
}

SourceFiles::Result ListedSources::Next(SourceFile* file, Problem* problem) {
  if (next_problem_ < list_.problems.size()) {
    *problem = std::move(list_.problems[next_problem_++]);
    return Result::kProblem;
  }
  if (next_file_ == list_.files.size()) return Result::kEnd;
  *file = std::move(list_.files[next_file_++]);
  return Result::kFile;
}

std::string ContentHash(std::string_view bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

namespace {

// The code units of a JSONL file: bytes, or UTF-16 units whose low byte is at offset `low`.
struct Units {
  size_t size;
  size_t low;
};

// Whether the unit at byte `i` is the ASCII character `c`.
bool IsAscii(std::string_view s, size_t i, Units units, char c) {
  return s[i + units.low] == c && (units.size == 1 || s[i + 1 - units.low] == '\0');
}

bool IsBlank(std::string_view line, Units units) {
  for (size_t i = 0; i + units.size <= line.size(); i += units.size) {
    if (!IsAscii(line, i, units, ' ') && !IsAscii(line, i, units, '\t') &&
        !IsAscii(line, i, units, '\r')) {
      return false;
    }
  }
  return true;
}

// Each non-blank line of a JSONL file as an item. A UTF-16 line ends at a U+000A code unit,
// never at a 0x0A byte inside another one.
std::vector<ReadItem> SplitLines(const SourceFile& file, std::string_view bytes, Units units) {
  std::vector<ReadItem> items;
  size_t start = 0;
  for (int line = 1; start < bytes.size(); ++line) {
    size_t end = start;
    while (end + units.size <= bytes.size() && !IsAscii(bytes, end, units, '\n')) {
      end += units.size;
    }
    if (end + units.size > bytes.size()) end = bytes.size();  // the last line, unterminated
    std::string_view text = bytes.substr(start, end - start);
    if (!IsBlank(text, units)) {
      items.push_back({file.id + "#" + std::to_string(line), ContentHash(text), text});
    }
    start = end + units.size;
  }
  return items;
}

// How each format's bytes are decoded (encoding.h).
DecodeOptions DecodeOptionsFor(Format format) {
  DecodeOptions options;
  if (format == Format::kText) options.declared = DeclaredFrontMatterCharset;
  if (format == Format::kHtml) options.declared = DeclaredHtmlCharset;
  options.markup = format == Format::kHtml;
  options.unicode_only = format == Format::kJsonl;
  return options;
}

StatusOr<ParsedArticle> ParseArticle(Format format, std::string_view utf8) {
  if (format == Format::kText) return ParseTextArticle(utf8);
  if (format == Format::kHtml) return ParseHtmlArticle(utf8);
  return ParseJsonArticle(utf8);
}

}  // namespace

std::vector<ReadItem> SplitSource(const SourceFile& file, std::string_view bytes) {
  if (FormatOf(file.path) != Format::kJsonl) return {{file.id, ContentHash(bytes), bytes}};
  size_t bom = 0;
  switch (DetectUtf16(bytes, &bom)) {
    case Utf16::kLittleEndian:
      return SplitLines(file, bytes.substr(bom), {2, 0});
    case Utf16::kBigEndian:
      return SplitLines(file, bytes.substr(bom), {2, 1});
    case Utf16::kNo:
      break;
  }
  return SplitLines(file, bytes, {1, 0});
}

JsonlUnits::Result JsonlUnits::Next(ReadItem* item, Problem* problem) {
  for (;;) {
    std::string_view line;
    const LineReader::Result r = lines_.Next(&line);
    if (r == LineReader::Result::kEnd) return Result::kEnd;
    if (r == LineReader::Result::kError) return Result::kError;
    std::string id = name_ + "#" + std::to_string(lines_.line_number());
    if (r == LineReader::Result::kTooLong) {
      *problem = {std::move(id), "longer than " + std::to_string(limits::kMaxJsonlLineBytes >> 20) +
                                     " MiB (limits::kMaxJsonlLineBytes), not read"};
      return Result::kProblem;
    }
    if (IsBlank(line, {1, 0})) continue;
    *item = {std::move(id), ContentHash(line), line};
    return Result::kUnit;
  }
}

SourceUnits::Result SourceUnits::Next(ReadItem* item, Problem* problem) {
  if (!started_) {
    started_ = true;
    if (std::optional<Problem> p = Start()) {
      failed_ = true;
      *problem = std::move(*p);
      return Result::kProblem;
    }
  }
  if (failed_) return Result::kEnd;
  if (!lines_) {
    if (next_ == split_.size()) return Result::kEnd;
    *item = split_[next_++];
    return Result::kUnit;
  }
  switch (lines_->Next(item, problem)) {
    case JsonlUnits::Result::kUnit:
      return Result::kUnit;
    case JsonlUnits::Result::kProblem:
      return Result::kProblem;
    case JsonlUnits::Result::kEnd:
      return Result::kEnd;
    case JsonlUnits::Result::kError:
      break;
  }
  failed_ = true;
  *problem = {file_.id, Utf8Name(file_.path) + ": read failed: " + lines_->error()};
  return Result::kProblem;
}

std::optional<Problem> SourceUnits::Start() {
  if (FormatOf(file_.path) != Format::kJsonl) return ReadWhole();
  StatusOr<OpenFile> opened = fs_.Open(file_.path);
  if (!opened.ok()) return Problem{file_.id, opened.status().message()};
  stream_ = std::move(*opened);
  std::string head(limits::kMaxCharsetSampleBytes, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), stream_.get()));
  size_t bom = 0;
  if (DetectUtf16(head, &bom) != Utf16::kNo || std::fseek(stream_.get(), 0, SEEK_SET) != 0) {
    stream_.reset();
    return ReadWhole();  // UTF-16 lines are split by code unit (SplitSource)
  }
  lines_.emplace(stream_.get(), file_.id);
  return std::nullopt;
}

std::optional<Problem> SourceUnits::ReadWhole() {
  StatusOr<std::string> bytes = fs_.ReadFile(file_.path, limits::kMaxDocumentBytes);
  if (!bytes.ok()) return Problem{file_.id, bytes.status().message()};
  whole_ = std::move(*bytes);
  split_ = SplitSource(file_, whole_);
  return std::nullopt;
}

StatusOr<Document> ParseItem(const SourceFile& file, const ReadItem& item) {
  const Format format = FormatOf(file.path);
  DecodedText decoded = DecodeText(item.bytes, DecodeOptionsFor(format));
  if (size_t controls = BinaryControlCount(decoded.utf8); controls > 0) {
    return Status::InvalidArgument("binary data, not text: " + std::to_string(controls) +
                                   " control characters in " + std::to_string(decoded.utf8.size()) +
                                   " bytes");
  }
  StatusOr<ParsedArticle> parsed = ParseArticle(format, decoded.utf8);
  if (!parsed.ok()) return parsed.status();
  ParsedArticle& article = *parsed;
  if (Trim(article.body).empty() && Trim(article.meta.title).empty()) {
    return Status::InvalidArgument(item.bytes.empty() ? "empty file" : "no article text");
  }
  Document doc;
  doc.id = item.id;
  doc.source_path = Utf8Name(file.path);
  doc.encoding = std::move(decoded.encoding);
  doc.warnings = std::move(decoded.warnings);
  if (doc.source_path != file.path) {
    doc.warnings.push_back("path is not valid UTF-8: each byte that is not is stored as %XX");
  }
  if (Trim(article.body).empty()) doc.warnings.push_back("empty body: only the title is stored");
  doc.meta = std::move(article.meta);
  doc.warnings.insert(doc.warnings.end(), article.warnings.begin(), article.warnings.end());
  doc.original =
      doc.meta.title.empty() ? std::move(article.body) : doc.meta.title + "\n\n" + article.body;
  return doc;
}

}  // namespace stancetrack
