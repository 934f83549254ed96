// Ingest: the driver that runs every stage over many files and stores the results.
//
//   reader thread   walks the sources (SourceWalk: in id order, never listed whole), reads
//                   each file, splits it into documents, and skips those whose content hash
//                   is already stored (unchanged)
//   --jobs workers  parse, normalize, segment, annotate and sign documents (run_pipeline.h)
//   calling thread  the only writer: takes results back in input order and writes them to the
//                   Store in batches of limits::kDocumentsPerTransaction; after the last batch
//                   and --prune, links near-duplicates over the whole database (duplicates.h)
// A bounded number of documents is in flight (limits::kMaxDocumentsInFlight), so memory does
// not grow with the corpus; results are written in input order, so the database is the same
// whatever the number of workers.
//
// Errors: a file or line that cannot be read or parsed is recorded (Store::RecordError and
// the InputReport) and the run goes on. Only a failure of the store itself (disk full,
// another writer, a corrupt database) or of the resources, loaded when the first new or changed
// document needs them (a lexicon that does not parse), stops the run; it returns that Status,
// and every batch written before it stays committed, so a re-run finishes the job.
//
// Thread-safety: Ingest owns its threads and joins them before returning; the Store and
// Lexicons are used as the header of each says (the Store only from the calling thread).
#ifndef STANCETRACK_PIPELINE_INGEST_H_
#define STANCETRACK_PIPELINE_INGEST_H_

#include <functional>
#include <string>
#include <vector>

#include "pipeline/reader.h"
#include "pipeline/run_pipeline.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

struct IngestOptions {
  std::vector<std::string> roots;  // files and folders, read recursively
  int jobs = 0;                    // worker threads; 0 = one per core
  bool prune = false;              // delete stored documents under the roots whose files are gone
  std::string command_line;        // kept in the runs table
  // Called once every document is processed and stored, before near-duplicate linking; from
  // then on the run does not touch the Resources, so the caller may free them and linking
  // does not stack its memory on theirs. May be empty.
  std::function<void()> processed;
};

// What the progress callback is told now and then. files_total is counted by a walk of its
// own before the run starts, which is done only when there is a progress callback.
struct IngestProgress {
  size_t files_total = 0;
  size_t files_read = 0;
  size_t documents_written = 0;
  uint64_t bytes = 0;
};

struct IngestResult {
  RunSummary summary;    // counts are of documents (a JSONL line is one); files_failed counts
                         // the problems reported
  int64_t warnings = 0;  // warnings reported
  size_t ignored = 0;    // files that are not articles
  StageTimes stages;     // wall time per stage, summed over threads
};

// What a run says of one input as it goes, on the calling thread and in input order: a problem
// (`stored` false: the input is not stored, and why) or a warning about a stored document
// ("not valid UTF-8 ..."). Each is said once and not kept, so a run's memory does not grow
// with the number of its problems. May be empty: nothing is said.
using InputReport = std::function<void(const Problem& what, bool stored)>;

// Runs one ingest. `progress`, if set, is called from the calling thread now and then.
StatusOr<IngestResult> Ingest(Store* store, const ResourceLoader& resources, const FileSystem& fs,
                              const IngestOptions& options, const InputReport& report,
                              const std::function<void(const IngestProgress&)>& progress);

// The start of a run of ingest or load: its row in `runs`, and what is stored already.
struct RunStart {
  int64_t run_id = 0;
  ContentHashIndex stored;
};
StatusOr<RunStart> StartRun(Store* store, const std::string& command_line);

// The writer's side of a run, shared by ingest and load: stores documents in batches of
// limits::kDocumentsPerTransaction, records problems, counts both into an IngestResult, and
// finishes the run (near-duplicate links, the runs row). One per run, on the writing thread.
class BatchWriter {
 public:
  // `result` receives the counts; it and `report` must outlive the writer.
  BatchWriter(Store* store, int64_t run_id, IngestResult* result, const InputReport& report);

  // Queues a document, new or replacing a changed one (written when the batch is full).
  Status Add(StoredDocument stored, bool changed);
  // Records a problem.
  Status Add(const Problem& problem);

  // Writes what is queued.
  Status Flush();
  // Flushes, links near-duplicates over the whole database and finishes the run row with
  // `result->summary` (seconds counted from the writer's construction).
  Status Finish();

  size_t written() const { return written_; }

 private:
  Store* store_;
  int64_t run_id_;
  IngestResult* result_;
  const InputReport& report_;
  std::vector<StoredDocument> batch_;
  size_t written_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_INGEST_H_
