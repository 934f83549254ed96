// Export: the database -> one document record per line (DESIGN.md, "Document record").
//
// For each stored document, in path order: doc, published, language, the distinct companies,
// organizations, people and countries mentioned in its content (in order of first mention),
// the tier assertions (distinct country and tier), the stances aggregated per actor and policy
// (extractors/stance.h, AggregateStances) with their evidence sentence, and duplicate_of.
//
// The discourse-network export (Discourse Network Analyzer, rDNA) is a CSV statement list, one
// row per stance: date (the stance's, else the document's publication date; empty if neither),
// actor, speaker, concept (the policy id), agreement (1 support, 0 oppose; a mixed stance is
// two rows, 1 and 0, which is how DNA records ambivalence), document, duplicate_of, evidence
// (the sentence) and stance_id; ordered by date, actor, concept, document.
//
// Errors: a failed query stops the export and returns its Status; what was written stays
// written. Thread-safety: uses the Store from the calling thread only; the records are written
// to `out` from a second thread, one batch at a time, and all of them before the call returns.
#ifndef STANCETRACK_PIPELINE_EXPORT_H_
#define STANCETRACK_PIPELINE_EXPORT_H_

#include <ostream>
#include <string>

#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

// Writes the records as JSON lines to `out`; returns the number written. With a `policy`, only
// the documents about it: those with a stance on it or a mention of it.
StatusOr<size_t> ExportDocuments(const Store& store, const std::string& policy, std::ostream* out);

// Writes the DNA statement list as CSV (header first), only stances on `policy` unless it is
// empty; returns the number of statement rows.
StatusOr<size_t> ExportDnaStatements(const Store& store, const std::string& policy,
                                     std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_EXPORT_H_
