// Report: the database as one self-contained HTML page, for `stancetrack report -o FILE.html`.
//
// Input: a Store and ReportOptions. Output: an HTML5 document written to `out` with
//  - a header: documents, stances (dated and undated), policies, actors, the date range;
//  - per policy with dated stances, a `<section class="policy" data-policy="ID">` holding an
//    `<h2>` and the chart of pipeline/chart.h (`<svg class="timeline-chart">`, one `.point`
//    per Timeline::points entry, each with data-stance, data-polarity, data-actor, data-date);
//  - a `<div id="evidence" aria-live="polite">` panel: clicking a point (or Enter on it) marks
//    it `selected` and shows `.actor`, `.speaker`, `.polarity`, `.date`, `.sentence` (the whole
//    evidence sentence), `.title`, `.source`, `.document`, and an `<a class="article">` to the
//    article only when its url starts with http:// or https://;
//  - tables: `<table class="changes">` (change points with their documents), `<table
//    class="actors">` (per actor: policies, stances by polarity, first and last date, speakers),
//    `<table class="undated">`, and `<table class="failures">` (inputs that failed to ingest and
//    are not stored now, each with its latest reason and that run's start; a "no failures" row
//    when there are none).
// The point data sits once in `<script type="application/json" id="stance-data">`, an object
// keyed by stance id, with < > & written as \u003c \u003e \u0026 so no text can close the
// element.
//
// Security: article text is hostile. Every value from the database is escaped (chart.h's
// EscapeHtml) or put into the page by the script with textContent only. A Content-Security-Policy
// meta tag allows no network at all and only the report's own script, by a nonce derived from
// a hash of the page body, so a missed escape still could not run a script. The page loads no
// external resource; the only outward links are article urls.
//
// Determinism: no clock, no randomness; the same database and options give the same bytes.
// Errors: BuildTimeline's and the Store's, passed on (nothing is written then); IoError when
// `out` fails. Thread-safety: reads through `store` on the calling thread only.
#ifndef STANCETRACK_PIPELINE_REPORT_H_
#define STANCETRACK_PIPELINE_REPORT_H_

#include <ostream>
#include <string>

#include "pipeline/status.h"
#include "pipeline/store.h"
#include "pipeline/timeline.h"

namespace stancetrack {

struct ReportOptions {
  TimelineOptions timeline;  // which stances the charts and tables show; default: all
  std::string title = "Stance report";
};

Status WriteReport(const Store& store, const ReportOptions& options, std::ostream* out);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_REPORT_H_
