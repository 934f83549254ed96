#include "pipeline/load.h"

#include <cerrno>
#include <cstring>

#include "pipeline/interchange.h"
#include "pipeline/limits.h"
#include "pipeline/line_reader.h"

namespace stancetrack {
namespace {

// Loads the records of one open file; `name` is how problems name it.
class FileLoader {
 public:
  FileLoader(BatchWriter* writer, ContentHashIndex* stored, IngestResult* result)
      : writer_(writer), stored_(stored), result_(result) {}

  Status LoadFile(std::FILE* in, const std::string& name) {
    LineReader lines(in, limits::kMaxRecordBytes);
    std::string_view line;
    Status status;
    for (LineReader::Result r;
         status.ok() && (r = lines.Next(&line)) != LineReader::Result::kEnd;) {
      const std::string where = name + ":" + std::to_string(lines.line_number());
      if (r == LineReader::Result::kError) {
        status = writer_->Add(Problem{name, "read failed: " + lines.error()});
        break;
      }
      if (r == LineReader::Result::kTooLong) {
        status = writer_->Add(Problem{where, "longer than limits::kMaxRecordBytes, not read"});
      } else if (line.find_first_not_of(" \t\r") != line.npos) {
        status = LoadLine(line, where);
      }
    }
    result_->summary.bytes += static_cast<int64_t>(lines.bytes());
    return status;
  }

 private:
  Status LoadLine(std::string_view line, const std::string& where) {
    StatusOr<InterchangeRecord> record =
        Timed(&result_->stages, Stage::kParse, [&] { return FromInterchangeJson(line); });
    if (!record.ok()) return writer_->Add(Problem{where, record.status().message()});
    if (const Problem* problem = std::get_if<Problem>(&*record)) return writer_->Add(*problem);
    StoredDocument& stored = std::get<StoredDocument>(*record);
    const ContentHashIndex::Seen seen = stored_->Update(stored.doc.id, stored.content_hash);
    if (seen == ContentHashIndex::Seen::kUnchanged) {
      ++result_->summary.files_unchanged;
      return Status::Ok();
    }
    return writer_->Add(std::move(stored), seen == ContentHashIndex::Seen::kChanged);
  }

  BatchWriter* writer_;
  ContentHashIndex* stored_;
  IngestResult* result_;
};

}  // namespace

StatusOr<IngestResult> Load(Store* store, const LoadOptions& options, const InputReport& report,
                            std::FILE* stdin_file) {
  StatusOr<RunStart> run = StartRun(store, options.command_line);
  if (!run.ok()) return run.status();
  IngestResult result;
  BatchWriter writer(store, run->run_id, &result, report);
  FileLoader loader(&writer, &run->stored, &result);
  for (const std::string& name : options.files) {
    if (name == "-") {
      ST_RETURN_IF_ERROR(loader.LoadFile(stdin_file, "stdin"));
      continue;
    }
    std::FILE* in = std::fopen(name.c_str(), "rb");
    if (in == nullptr) {
      ST_RETURN_IF_ERROR(
          writer.Add(Problem{name, std::string("cannot open: ") + std::strerror(errno)}));
      continue;
    }
    Status status = loader.LoadFile(in, name);
    std::fclose(in);
    ST_RETURN_IF_ERROR(status);
  }
  ST_RETURN_IF_ERROR(writer.Finish());
  return result;
}

}  // namespace stancetrack
