// The parts of the HTML report (pipeline/report.h) that report.cc assembles: the data it reads,
// the tables (report_tables.cc) and the page's constant style and script (report_assets.cc).
// Internal to the report. Every function returns HTML with all data escaped (EscapeHtml);
// pure functions.
#ifndef STANCETRACK_PIPELINE_REPORT_PAGE_H_
#define STANCETRACK_PIPELINE_REPORT_PAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/timeline.h"

namespace stancetrack {

// An input that failed to ingest and is not stored now.
struct Failure {
  std::string path;
  std::string reason;      // of its latest failure
  std::string started_at;  // when that run started (runs.started_at, UTC)
};

// Everything the page shows.
struct ReportData {
  Timeline timeline;
  int64_t documents = 0;  // stored documents, all of them
  std::vector<Failure> failures;
};

// Whether `url` may become a link: it starts with http:// or https:// (any case). Anything else
// (javascript:, data:, a relative path) stays text.
bool IsWebUrl(std::string_view url);

// `<p class="filters">` naming the options' filters, or "" when the report shows everything.
std::string FilterNote(const TimelineOptions& options);

// `<section id="changes">` with `<table class="changes">`: policy, actor, period, the change
// (from -> to, or the first position) and the documents behind it, linked to their articles.
std::string ChangesTable(const ReportData& data);

// `<section id="actors">` with `<table class="actors">`: per actor (most stances first), the
// policies, stances by polarity, first and last date, and the speakers.
std::string ActorsTable(const Timeline& timeline);

// `<section id="undated">` with `<table class="undated">`: stances without a date.
std::string UndatedTable(const ReportData& data);

// `<section id="failures">` with `<table class="failures">`: file, reason, run start; one row
// saying there are none when the list is empty.
std::string FailuresTable(const std::vector<Failure>& failures);

// The page's style sheet, polarity colours and shapes taken from chart.h.
std::string ReportCss();

// The page's script: fills #evidence from #stance-data when a .point is chosen.
extern const char kReportScript[];

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_REPORT_PAGE_H_
