// Load: the second half of ingest. Stores interchange records (interchange.h), as written by
// `stancetrack extract`, in the database, exactly as ingest would have stored the documents.
//
// Input: files of records, one per line ("-" is `stdin`), read one line at a time in the order
// given, so memory does not grow with the input (a line may be up to limits::kMaxRecordBytes).
// Blank lines are skipped.
// Each document record is handled as ingest handles a document: one whose path is stored with
// the same content hash is unchanged and skipped; one stored with another hash is changed and
// replaced whole; others are new. A later record for a path replaces an earlier one of this
// run. Documents are written in batches of limits::kDocumentsPerTransaction, problem records
// go to the ingest_errors table with their path and reason, and after the last batch the
// near-duplicate links are computed over the whole database (duplicates.h) and the run is
// recorded, as ingest does: `extract | load` gives the database `ingest` gives.
//
// Errors: a line that is not a valid record is a problem named "FILE:LINE" with the reason
// (stored in ingest_errors; the other lines are loaded), and so is a file that cannot be
// opened or read. A failure of the store stops the load and is returned; batches written
// before it stay committed. Thread-safety: uses the Store from the calling thread only.
#ifndef STANCETRACK_PIPELINE_LOAD_H_
#define STANCETRACK_PIPELINE_LOAD_H_

#include <cstdio>
#include <string>
#include <vector>

#include "pipeline/ingest.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

struct LoadOptions {
  std::vector<std::string> files;  // files of records; "-" reads `stdin`
  std::string command_line;        // kept in the runs table
};

// Result counts are of documents, as ingest's: summary.bytes counts the record bytes read.
StatusOr<IngestResult> Load(Store* store, const LoadOptions& options, const InputReport& report,
                            std::FILE* stdin_file);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_LOAD_H_
