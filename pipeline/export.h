// Export: the database -> one document record per line (DESIGN.md, "Document record").
//
// For each stored document, in path order: doc, published, language, the distinct companies,
// organizations, people and countries mentioned in its content (in order of first mention),
// the tier assertions (distinct country and tier), the stances aggregated per actor and policy
// (extractors/stance.h, AggregateStances) with their evidence sentence, and duplicate_of.
//
// Errors: a failed query stops the export and returns its Status; what was written stays
// written. Thread-safety: uses the Store from the calling thread only.
#ifndef STANCETRACK_PIPELINE_EXPORT_H_
#define STANCETRACK_PIPELINE_EXPORT_H_

#include <ostream>

#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

// Writes the records as JSON lines to `out`; returns the number written.
StatusOr<size_t> ExportDocuments(const Store& store, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_EXPORT_H_
