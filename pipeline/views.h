// Views: the ready-made questions of the command line (entities, stances, show, timeline),
// answered from the Store. Each takes its filters, runs parameterized SQL, and prints through
// a RowPrinter (or, for show, as marked-up text).
//
// Errors: the Store's, passed on. Thread-safety: calling thread only.
#ifndef STANCETRACK_PIPELINE_VIEWS_H_
#define STANCETRACK_PIPELINE_VIEWS_H_

#include <ostream>
#include <string>
#include <string_view>

#include "pipeline/output.h"
#include "pipeline/status.h"
#include "pipeline/store.h"
#include "pipeline/timeline.h"

namespace stancetrack {

Status PrintEntities(const Store& store, const std::string& type, int top, RowPrinter* out);

// Every stance, filtered by actor, policy and polarity (each empty: any), by date.
Status PrintStances(const Store& store, const std::string& actor, const std::string& policy,
                    const std::string& polarity, RowPrinter* out);

// Prints the timeline (pipeline/timeline.h) as "table" (periods, change points, undated
// periods; polarities coloured when `color`), "csv" (one row per period, then one per undated
// period, with a `change` column: "first", "support->oppose" or empty), "json" (periods,
// change_points and undated, the undated periods, each with its strongest evidence) or "svg"
// (pipeline/chart.h, every point).
Status PrintTimeline(const Store& store, TimelineOptions options, std::string_view format,
                     bool color, std::ostream* out);

// The document's text with its annotations marked: [words]{kind:canonical}, quotes and stance
// evidence noted after their sentence, boilerplate paragraphs dimmed (with colour) or marked.
Status ShowDocument(const Store& store, const std::string& path, bool color, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_VIEWS_H_
