// Readers: source files -> Documents (metadata and decoded text, not yet normalized).
//
// SourceWalk walks the paths given to `ingest` and yields the article files one at a time in a
// deterministic order (byte-wise by id); SourceUnits reads one file's units (a .jsonl file a
// line at a time) and ParseItem turns each into its document:
//   .txt .md .markdown  optional front matter between '---' lines (title, url, published,
//                       source, language, author), then the text: one document
//   .html .htm          a web page: its main text and meta tags (html.h): one document
//   .json               one article object: one document
//   .jsonl              one article object per line: one document per non-blank line,
//                       id "file.jsonl#LINE" (1-based), a broken line is a problem for that line
// Other extensions are not articles: the walk counts them as ignored.
//
// Each document's id is its path relative to the root it was found under ("sub/x.txt"); a file
// given directly is named by its file name. Ids, Document::source_path and problem paths are
// UTF-8: a byte of a file name that is not valid UTF-8 is written "%XX" ("caf%E9.txt"), with a
// warning on the document. Bytes are decoded to UTF-8 by DecodeText
// (encoding.h), which detects the charset and records it in Document::encoding: HTML with its
// <meta charset> as a hint, text with its front matter `encoding:`. JSON lines are UTF-8 as
// JSON requires (or UTF-16, split into lines by code unit); undecodable bytes become U+FFFD and
// a warning that names the first one. The title, when given, becomes the first paragraph of
// Document::original.
//
// Errors: nothing here stops a run. A file or line that yields no document is returned as a
// Problem with the reason ("empty file", "no article text", "binary data, not text: ...": see
// BinaryControlCount in encoding.h, "not valid JSON: ..."); the caller records it and goes on.
// Thread-safety: SplitSource and ParseItem are pure functions; FileSystem implementations must
// be safe to call from many threads; a SourceUnits or JsonlUnits is for one thread.
#ifndef STANCETRACK_PIPELINE_READER_H_
#define STANCETRACK_PIPELINE_READER_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/limits.h"
#include "pipeline/line_reader.h"
#include "pipeline/status.h"

namespace stancetrack {

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using OpenFile = std::unique_ptr<std::FILE, CloseFile>;

// File access behind an interface, so that most tests need no disk.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  enum class Kind { kFile, kDirectory, kOther, kMissing };
  virtual Kind KindOf(const std::string& path) const = 0;

  // Names (not paths) of the entries of a directory, in any order.
  virtual Status ListDirectory(const std::string& path, std::vector<std::string>* names) const = 0;

  // The whole file; a file over `max_bytes` is an error that says so.
  virtual StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) const = 0;

  // The file opened for reading from its start, for reading it a piece at a time.
  virtual StatusOr<OpenFile> Open(const std::string& path) const = 0;
};

// The real file system (std::filesystem, no exceptions). Directory symlinks are not followed,
// so a symlink loop cannot trap the walk.
const FileSystem& RealFileSystem();

struct SourceFile {
  std::string path;  // to open
  std::string id;    // document id: relative to the root it was found under
};

// A file, line or directory that yielded no document, and why.
struct Problem {
  std::string path;  // the document id (or the path given, for walk problems)
  std::string reason;
};

// The problem of `dropped`, whose id is `kept`'s: both would be stored as one document, the
// later written replacing the other, so only `kept` (the first by path) is read.
Problem SameIdProblem(const SourceFile& kept, const SourceFile& dropped);

// Article files one at a time, in order, with the problems met on the way.
class SourceFiles {
 public:
  virtual ~SourceFiles() = default;

  enum class Result { kFile, kProblem, kEnd };
  virtual Result Next(SourceFile* file, Problem* problem) = 0;

  // Files passed over so far because they are not articles.
  virtual size_t ignored() const = 0;
};

// The article files under `roots` (directories walked, files taken as they are), sorted
// byte-wise by id and then by path, as they are found: memory holds the entries of the
// directories being walked, never the whole list, so a corpus of any size is walked in flat
// memory. Each directory's entries are sorted by name, a subdirectory's name followed by '/',
// which is the order of the ids under it; the roots' walks are merged by (id, path). Problems
// come in walk order: a root that does not exist, a directory that cannot be listed or is nested
// deeper than limits::kMaxDirectoryDepth, a file whose id a file before it has (SameIdProblem:
// two roots `a/x.txt` and `b/x.txt` are both `x.txt`). (Two directories whose names differ
// only in bytes that are not UTF-8 give the same id prefix and are walked one after the other,
// not interleaved.)
// `fs` must outlive the walk. Not thread-safe.
class SourceWalk : public SourceFiles {
 public:
  SourceWalk(const FileSystem& fs, const std::vector<std::string>& roots);
  ~SourceWalk() override;

  Result Next(SourceFile* file, Problem* problem) override;
  size_t ignored() const override { return ignored_; }

 private:
  class Root;
  struct Head;

  std::vector<Head> heads_;         // one per root: its walk and its next file
  std::optional<SourceFile> last_;  // the file given last, whose id the next must not repeat
  size_t ignored_ = 0;
};

// A walk's result held whole (tests; extract, whose list comes on stdin and is sorted as one).
struct SourceList {
  std::vector<SourceFile> files;  // sorted by id, then path
  std::vector<Problem> problems;  // paths that do not exist, unreadable directories
  size_t ignored = 0;             // files that are not articles (by extension)
};

SourceList ListSources(const FileSystem& fs, const std::vector<std::string>& roots);

// The article files under `roots`, counted by a walk of their own (a total for progress).
size_t CountSources(const FileSystem& fs, const std::vector<std::string>& roots);

// The files of a SourceList, its problems first; each file is moved out as it is given.
class ListedSources : public SourceFiles {
 public:
  explicit ListedSources(SourceList list) : list_(std::move(list)) {}

  Result Next(SourceFile* file, Problem* problem) override;
  size_t ignored() const override { return list_.ignored; }

 private:
  SourceList list_;
  size_t next_problem_ = 0;
  size_t next_file_ = 0;
};

// One unit of work for the pipeline: a document, or the reason there is none.
struct ReadItem {
  std::string id;
  std::string content_hash;  // hex digest of the bytes the document came from
  std::string_view bytes;    // those bytes (a view into the caller's buffer)
};

// Splits a file into the units that are hashed and compared separately: the whole file, or
// each non-blank line of a .jsonl file (of a UTF-16 one: split at U+000A code units, without
// the byte order mark). Views point into `bytes`.
std::vector<ReadItem> SplitSource(const SourceFile& file, std::string_view bytes);

// The non-blank lines of a stream of JSON lines as units "NAME#LINE" (LineReader), each line at
// most limits::kMaxJsonlLineBytes: memory stays flat however long the stream. The stream is the
// caller's (not closed here). Not thread-safe; an item's bytes are valid until the next call.
class JsonlUnits {
 public:
  JsonlUnits(std::FILE* in, std::string name)
      : lines_(in, limits::kMaxJsonlLineBytes), name_(std::move(name)) {}

  enum class Result { kUnit, kProblem, kEnd, kError };
  // The next unit into `item`, or a line too long into `problem`. kError: the stream failed
  // (message in error()); nothing more is read.
  Result Next(ReadItem* item, Problem* problem);

  uint64_t bytes() const { return lines_.bytes(); }
  const std::string& error() const { return lines_.error(); }

 private:
  LineReader lines_;
  std::string name_;
};

// The units of one source file as SplitSource gives them, read as they are needed: a UTF-8
// .jsonl file line by line (JsonlUnits), so a dump of any size is read in flat memory; any other
// file, and a UTF-16 .jsonl file, whole (at most limits::kMaxDocumentBytes). Whether a .jsonl
// file is UTF-16 is decided by its first limits::kMaxCharsetSampleBytes. A file that cannot be
// read is one problem naming it; the units read before a read error stand.
// Not thread-safe; an item's bytes are valid until the next call.
class SourceUnits {
 public:
  // `fs` must outlive this.
  SourceUnits(const FileSystem& fs, SourceFile file) : fs_(fs), file_(std::move(file)) {}

  enum class Result { kUnit, kProblem, kEnd };
  Result Next(ReadItem* item, Problem* problem);

  // Bytes read from the file so far.
  uint64_t bytes() const { return lines_ ? lines_->bytes() : whole_.size(); }

 private:
  // Opens the file and decides how it is read; a problem if it cannot be.
  std::optional<Problem> Start();
  std::optional<Problem> ReadWhole();

  const FileSystem& fs_;
  SourceFile file_;
  bool started_ = false;
  bool failed_ = false;              // a problem ended the file
  std::string whole_;                // a file read whole...
  std::vector<ReadItem> split_;      // ...and its units, views into whole_
  size_t next_ = 0;                  // of split_
  OpenFile stream_;                  // a .jsonl file read line by line...
  std::optional<JsonlUnits> lines_;  // ...through these
};

// Parses one unit into a Document (id, source_path, meta, encoding, original, warnings).
StatusOr<Document> ParseItem(const SourceFile& file, const ReadItem& item);

// Hex digest used for content hashes (XXH3, 128 bits).
std::string ContentHash(std::string_view bytes);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_READER_H_
