// Ingest: the driver that runs every stage over many files and stores the results.
//
//   reader thread   lists the sources, reads each file in order, splits it into documents,
//                   and skips those whose content hash is already stored (unchanged)
//   --jobs workers  parse, normalize, segment, annotate and sign documents (ProcessDocument)
//   calling thread  the only writer: takes results back in input order and writes them to the
//                   Store in batches of limits::kDocumentsPerTransaction; after the last batch
//                   and --prune, links near-duplicates over the whole database (duplicates.h)
// A bounded number of documents is in flight (limits::kMaxDocumentsInFlight), so memory does
// not grow with the corpus; results are written in input order, so the database is the same
// whatever the number of workers.
//
// Errors: a file or line that cannot be read or parsed is recorded (Store::RecordError and
// IngestResult::problems) and the run goes on. Only a failure of the store itself (disk full,
// another writer, a corrupt database) stops the run; it returns that Status, and every batch
// written before it stays committed, so a re-run finishes the job.
//
// Thread-safety: Ingest owns its threads and joins them before returning; the Store and
// Lexicons are used as the header of each says (the Store only from the calling thread).
#ifndef STANCETRACK_PIPELINE_INGEST_H_
#define STANCETRACK_PIPELINE_INGEST_H_

#include <functional>
#include <string>
#include <vector>

#include "extractors/extract.h"
#include "pipeline/boilerplate.h"
#include "pipeline/reader.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

struct IngestOptions {
  std::vector<std::string> roots;  // files and folders, read recursively
  int jobs = 0;                    // worker threads; 0 = one per core
  bool prune = false;              // delete stored documents under the roots whose files are gone
  std::string command_line;        // kept in the runs table
};

struct IngestProgress {
  size_t files_total = 0;
  size_t files_read = 0;
  size_t documents_written = 0;
  uint64_t bytes = 0;
};

struct IngestResult {
  RunSummary summary;             // counts are of documents (a JSONL line is one)
  std::vector<Problem> problems;  // not stored, with the reason
  std::vector<Problem> warnings;  // stored, but with something to say ("invalid UTF-8 ...")
  size_t ignored = 0;             // files that are not articles
};

// Runs one ingest. `progress`, if set, is called from the calling thread now and then.
// What every worker reads besides the document: loaded once per run, shared read-only.
struct Resources {
  const Lexicons& lexicons;
  const BoilerplateRules& boilerplate;
};

StatusOr<IngestResult> Ingest(Store* store, const Resources& resources, const FileSystem& fs,
                              const IngestOptions& options,
                              const std::function<void(const IngestProgress&)>& progress);

// Every stage after reading, for one document: normalize, segment, mark boilerplate, identify
// the language (of the content only), annotate, compute the near-duplicate signature. Pure;
// safe from many threads.
StoredDocument ProcessDocument(Document doc, std::string content_hash, const Resources& resources);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_INGEST_H_
