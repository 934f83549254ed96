// Chart: the timeline drawn as SVG, one chart per policy, for `timeline --format svg` and for
// the HTML report (pipeline/report.h).
//
// Input: a Timeline (pipeline/timeline.h). Output: SVG markup. A chart has one row per actor
// (ordered by the actor's first dated stance, then by name), a time axis with month, quarter or
// year ticks, and one marker per StancePoint of the policy. Polarity is told by shape AND
// colour, so a chart reads in greyscale and for colour-blind readers (the Okabe-Ito palette):
// support is a blue up-triangle, oppose a vermillion down-triangle, mixed a grey diamond.
// Markers of one actor that would overlap (same or nearby dates) move to further lanes of the
// row, which grows to hold them: no marker hides another.
//
// Every marker is one `<path class="point">` carrying data-stance (stances.id), data-polarity,
// data-actor, data-date, tabindex="0", role="button", an aria-label, and a `<title>` tooltip
// (actor, polarity, date, speaker, the evidence cut to kMaxTooltipColumns, title and source).
// The report's script relies on these attributes; no other element has class "point".
//
// All text from articles is escaped with EscapeHtml, which is valid for HTML and XML, in text
// and in quoted attributes. Output depends only on the Timeline: same input, same bytes.
// Errors: none; a point whose date is not YYYY[-MM[-DD]] cannot be placed and is counted with
// the undated stances. Thread-safety: pure functions.
#ifndef STANCETRACK_PIPELINE_CHART_H_
#define STANCETRACK_PIPELINE_CHART_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "pipeline/timeline.h"

namespace stancetrack {

// Evidence in a marker's tooltip is cut to this many columns: a tooltip is a glimpse, the
// report's evidence panel shows the whole sentence.
inline constexpr size_t kMaxTooltipColumns = 200;

// Actor labels longer than this many columns are cut with "…" (the full name stays in the
// label's tooltip), so that one long name does not squeeze the time axis.
inline constexpr size_t kMaxActorLabelColumns = 32;

// `text` with & < > " ' replaced by entities, safe in HTML and XML text and in attributes quoted
// with either quote. Control characters that HTML and XML forbid (C0 but tab, line feed and
// carriage return; DEL) become U+FFFD. Other bytes pass through unchanged.
std::string EscapeHtml(std::string_view text);

// The colour of a polarity ("support", "oppose", "mixed") as "#rrggbb", shared by the charts
// and the report's tables and legend; any other value gets a neutral grey.
std::string_view PolarityColor(std::string_view polarity);

// The marker's shape as a text symbol ("▲", "▼", "◆"), for legends and tables beside the charts.
std::string_view PolarityGlyph(std::string_view polarity);

// The chart of one policy as an `<svg class="timeline-chart">` element for embedding in HTML:
// rows, axis, legend and markers, no title (the page gives one). Empty string when the policy
// has no dated point in `timeline`.
std::string PolicyChartSvg(const Timeline& timeline, std::string_view policy);

// A standalone SVG document (XML declaration, xmlns) with the chart of every policy of the
// timeline (dated or undated stances), stacked in policy order, each under its title and above
// a note of how many of its stances are undated. A timeline without stances gives a small
// document that says so.
void WriteTimelineSvg(const Timeline& timeline, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_CHART_H_
