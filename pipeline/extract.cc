#include "pipeline/extract.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/interchange.h"
#include "pipeline/limits.h"
#include "pipeline/line_reader.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

namespace fs = std::filesystem;

// Blank as SplitSource (reader.h) counts it in a .jsonl file: such a line is no document.
bool IsBlankLine(std::string_view line) { return line.find_first_not_of(" \t\r") == line.npos; }

// `path` relative to `root`, both made absolute and normalized lexically (symlinks are not
// resolved: the ids follow the names the caller used).
StatusOr<std::string> RelativeTo(const std::string& path, const std::string& root) {
  std::error_code error;
  fs::path base = fs::absolute(root, error).lexically_normal();
  if (!base.has_filename()) base = base.parent_path();  // "dir/" -> "dir"
  const fs::path relative = fs::absolute(path, error).lexically_normal().lexically_relative(base);
  if (error || relative.empty() || *relative.begin() == ".." || relative == ".") {
    return Status::InvalidArgument("not under --root " + root);
  }
  return relative.generic_string();
}

// The paths listed on `in`, one per line, as ingest would list them as roots (ids rewritten
// relative to `root` when it is set), sorted by id as ListSources sorts them.
StatusOr<SourceList> ListPaths(const FileSystem& file_system, std::FILE* in,
                               const std::string& root) {
  LineReader lines(in, PATH_MAX);
  SourceList all;
  std::string_view line;
  for (LineReader::Result r; (r = lines.Next(&line)) != LineReader::Result::kEnd;) {
    const std::string where = "stdin:" + std::to_string(lines.line_number());
    if (r == LineReader::Result::kError) return Status::IoError("stdin: " + lines.error());
    if (r == LineReader::Result::kTooLong) {
      all.problems.push_back({where, "longer than PATH_MAX bytes: not a path"});
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // a list made on Windows
    if (IsBlankLine(line)) continue;
    SourceList one = ListSources(file_system, {std::string(line)});
    all.ignored += one.ignored;
    all.problems.insert(all.problems.end(), one.problems.begin(), one.problems.end());
    for (SourceFile& file : one.files) {
      StatusOr<std::string> id =
          root.empty() ? StatusOr<std::string>(file.id) : RelativeTo(file.path, root);
      if (!id.ok()) {
        all.problems.push_back({file.path, id.status().message()});
      } else if (all.files.size() >= limits::kMaxFilesPerRun) {
        all.problems.push_back({file.path, "over limits::kMaxFilesPerRun files in one run"});
      } else {
        all.files.push_back({std::move(file.path), std::move(*id)});
      }
    }
  }
  std::sort(all.files.begin(), all.files.end(), [](const SourceFile& a, const SourceFile& b) {
    return a.id != b.id ? a.id < b.id : a.path < b.path;
  });
  std::vector<SourceFile> distinct;
  for (SourceFile& file : all.files) {
    if (!distinct.empty() && distinct.back().id == file.id) {
      // A path listed twice is read once; another path with the same id is a problem.
      if (distinct.back().path != file.path) {
        all.problems.push_back(SameIdProblem(distinct.back(), file));
      }
    } else {
      distinct.push_back(std::move(file));
    }
  }
  all.files = std::move(distinct);
  return all;
}

// The reader of --jsonl input: each non-blank line of `in` is a unit of the file `name`.
class JsonlReader {
 public:
  JsonlReader(std::FILE* in, const ExtractOptions& options)
      : units_(in, options.name), options_(options) {}

  void Read(PipelineFeed* feed) {
    const SourceFile file{options_.name, options_.name};
    const JsonlUnits::Result end = FeedUnits(units_, feed, [&](ReadItem& item) {
      StatusOr<std::string> id =
          options_.id_field.empty() ? StatusOr<std::string>(item.id) : IdField(item.bytes);
      if (!id.ok()) return feed->Report({item.id, id.status().message()});
      item.id = std::move(*id);
      return feed->Process(file, item);
    });
    if (end == JsonlUnits::Result::kError) status_ = Status::IoError("stdin: " + units_.error());
  }

  const Status& status() const { return status_; }
  uint64_t bytes() const { return units_.bytes(); }

 private:
  // The value of the id field of the line's object: a string, or an integer in decimal.
  StatusOr<std::string> IdField(std::string_view line) const {
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      return Status::InvalidArgument(std::string("not valid JSON: ") + e.what());
    }
    auto it = object.is_object() ? object.find(options_.id_field) : object.end();
    if (it != object.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      return it->get<std::string>();
    }
    if (it != object.end() && it->is_number_integer()) return it->dump();
    return Status::InvalidArgument("no field \"" + options_.id_field +
                                   "\" (a string or an integer) to name the document by"
                                   " (--id-field)");
  }

  JsonlUnits units_;
  const ExtractOptions& options_;
  Status status_;
};

// Writes one result as a record line; counts it into `result` and reports what it has to say.
Status WriteRecord(PipelineOutput output, IngestResult* result, const InputReport& report,
                   std::ostream* out) {
  std::string line;
  if (StoredDocument* stored = std::get_if<StoredDocument>(&output)) {
    line = ToInterchangeJson(*stored);
    if (line.size() <= limits::kMaxRecordBytes) {
      ++result->summary.files_new;
      for (const std::string& warning : stored->doc.warnings) {
        ++result->warnings;
        if (report) report({stored->doc.id, warning}, /*stored=*/true);
      }
    } else {
      output = Problem{stored->doc.id, "its record is longer than limits::kMaxRecordBytes"};
    }
  }
  if (const Problem* problem = std::get_if<Problem>(&output)) {
    ++result->summary.files_failed;
    if (report) report(*problem, /*stored=*/false);
    line = ToInterchangeJson(*problem);
  }
  line += '\n';
  out->write(line.data(), static_cast<std::streamsize>(line.size()));
  if (!*out)
    return Status::IoError(std::string("cannot write the records: ") + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Status ValidateExtractOptions(const ExtractOptions& options) {
  if (options.jsonl && !options.root.empty()) {
    return Status::InvalidArgument("--root applies to a list of paths, not to --jsonl");
  }
  if (!options.jsonl && !options.id_field.empty()) {
    return Status::InvalidArgument("--id-field applies to --jsonl input only");
  }
  if (AsciiLower(fs::path(options.name).extension().string()) != ".jsonl") {
    return Status::InvalidArgument("--name " + options.name +
                                   ": must end in .jsonl (it names the file the lines are from)");
  }
  return Status::Ok();
}

StatusOr<IngestResult> Extract(const ResourceLoader& resources, const FileSystem& fs,
                               const ExtractOptions& options, const InputReport& report,
                               std::FILE* in, std::ostream* out) {
  ST_RETURN_IF_ERROR(ValidateExtractOptions(options));
  const auto start = std::chrono::steady_clock::now();
  IngestResult result;
  PipelineCallbacks callbacks;
  callbacks.sink = [&](PipelineOutput output) {
    return Timed(&result.stages, Stage::kWrite,
                 [&] { return WriteRecord(std::move(output), &result, report, out); });
  };
  if (options.jsonl) {
    JsonlReader reader(in, options);
    callbacks.read = [&](PipelineFeed* feed) { reader.Read(feed); };
    ST_RETURN_IF_ERROR(RunPipeline(resources, options.jobs, callbacks, &result.stages));
    ST_RETURN_IF_ERROR(reader.status());
    result.summary.bytes = static_cast<int64_t>(reader.bytes());
  } else {
    StatusOr<SourceList> sources =
        Timed(&result.stages, Stage::kRead, [&] { return ListPaths(fs, in, options.root); });
    if (!sources.ok()) return sources.status();
    ListedSources files(std::move(*sources));
    SourceReader reader(fs, &files, nullptr, /*remember_ids=*/false);
    callbacks.read = [&](PipelineFeed* feed) { reader.Read(feed); };
    ST_RETURN_IF_ERROR(RunPipeline(resources, options.jobs, callbacks, &result.stages));
    result.ignored = files.ignored();
    result.summary.bytes = static_cast<int64_t>(reader.bytes());
  }
  if (!out->flush()) return Status::IoError("cannot write the records: flush failed");
  result.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace stancetrack
