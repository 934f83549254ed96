// Views: the ready-made questions of the command line (entities, stances, show, timeline),
// answered from the Store. Each takes its filters, runs parameterized SQL, and prints through
// a RowPrinter (or, for show, as marked-up text).
//
// Timeline: for each actor and period (month, ISO week or day of the stance's date, else the
// document's publication date), the polarity (support, oppose, or mixed when both occur in the
// period), the number of distinct stories (near-duplicates counted once) and the strongest
// evidence; then the change points: each actor's first position and every change. Stances with
// no date are listed apart with period "undated", never dropped.
//
// Errors: the Store's, passed on. Thread-safety: calling thread only.
#ifndef STANCETRACK_PIPELINE_VIEWS_H_
#define STANCETRACK_PIPELINE_VIEWS_H_

#include <ostream>
#include <string>

#include "pipeline/output.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

Status PrintEntities(const Store& store, const std::string& type, int top, RowPrinter* out);

Status PrintStances(const Store& store, const std::string& actor, const std::string& policy,
                    RowPrinter* out);

struct TimelineOptions {
  std::string policy;  // empty: every policy
  std::string actor;   // empty: every actor
  std::string from;    // YYYY-MM-DD bounds on the date, empty: open
  std::string to;
  std::string by = "month";  // "month", "week" or "day"
};

// Prints the periods, then (in table format) the change points.
Status PrintTimeline(const Store& store, const TimelineOptions& options, OutputFormat format,
                     std::ostream* out);

// The document's text with its annotations marked: [words]{kind:canonical}, quotes and stance
// evidence noted after their sentence, boilerplate paragraphs dimmed (with colour) or marked.
Status ShowDocument(const Store& store, const std::string& path, bool color, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_VIEWS_H_
