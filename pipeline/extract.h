// Extract: the first half of ingest without a database. Reads articles, runs every stage on
// them (run_pipeline.h) and writes one interchange record per document, or per input that
// yielded none, to an output stream (interchange.h), in input order. Since it needs no
// database and keeps no state between runs, it can run as the map step of an engine that
// splits the input across machines; `stancetrack load` then stores the records (load.h).
//
// Input, from `in` (stdin for the CLI), one of:
//   paths    one file or folder per line (blank lines skipped). A folder is read recursively
//            as ingest reads a root. Document ids are ingest's: relative to the folder a file
//            was found under, or the file name for a file listed alone; with `root` set, every
//            id is the file's path relative to `root` instead (lexically, after making both
//            absolute), so that a list split into chunks keeps the ids of `ingest ROOT`; a path
//            outside `root` is a problem. Files are read in id order, as ingest does.
//   jsonl    one article per line, as a .jsonl file holds them (DESIGN.md, "Input formats"),
//            UTF-8. The id of line N is "NAME#N", what ingest gives line N of a file called
//            NAME (so NAME ends in .jsonl; default "stdin.jsonl"), or, with `id_field`, the
//            value of that field of the line's object (a string, or an integer in decimal): the
//            choice for input split across machines, where line numbers restart per split.
//            Lines are read one at a time: memory does not grow with the input.
// Every document is processed: there is no database to tell unchanged ones.
//
// Output: records as JSON lines on `out`, in input order whatever `jobs` is. Result counts:
// summary.files_new is the number of document records, files_failed of problem records
// (also listed in `problems`).
//
// Errors: an input that yields no document is a problem record, and the run goes on. The run
// stops with a Status when `in` cannot be read or `out` cannot be written (IoError), or when
// the resources fail to load (at the first document: an empty input loads none).
// Thread-safety: Extract owns its threads; call it from one thread.
#ifndef STANCETRACK_PIPELINE_EXTRACT_H_
#define STANCETRACK_PIPELINE_EXTRACT_H_

#include <cstdio>
#include <ostream>
#include <string>

#include "pipeline/ingest.h"
#include "pipeline/reader.h"
#include "pipeline/run_pipeline.h"
#include "pipeline/status.h"

namespace stancetrack {

struct ExtractOptions {
  int jobs = 0;                      // worker threads; 0 = one per core
  bool jsonl = false;                // `in` holds articles as JSON lines, not paths
  std::string root;                  // paths: ids relative to this folder ("": ingest's rule)
  std::string name = "stdin.jsonl";  // jsonl: the ids are NAME#LINE; must end in .jsonl
  std::string id_field;              // jsonl: the id is this field of each line instead
};

// Checks the options before any input is read. Errors: InvalidArgument naming the option.
Status ValidateExtractOptions(const ExtractOptions& options);

StatusOr<IngestResult> Extract(const ResourceLoader& resources, const FileSystem& fs,
                               const ExtractOptions& options, const InputReport& report,
                               std::FILE* in, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_EXTRACT_H_
