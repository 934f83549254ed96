// Timeline: how each actor's stance toward each policy moved over time, read from the Store.
//
// Input: a Store and filters. Output: a Timeline value that every presentation reads (the
// `timeline` table, CSV, JSON and SVG, and the HTML report), so they cannot disagree.
//
//  - points: the stances whose date is known (the stance's own date, else its document's
//    publication date) and within the bounds, one per stance row, with what a reader needs to
//    trace it: speaker, evidence sentence, document, title, source and url. Every such stance
//    with TimelineOptions::every_point (a chart, the report), else only the strongest of each
//    period, which is all a table shows: on a large database, making and reading out a point
//    for every stance was most of a timeline's time.
//  - undated: stances with no date at all; listed apart, never dropped. Every one with
//    every_point, else the strongest of each (policy, actor): a table of a year of news listed
//    tens of thousands of them, one line each, after the timeline.
//  - undated_periods: per policy and actor with undated stances, a period "undated" with their
//    polarity, stories and stances, and `strongest` indexing `undated`.
//  - periods: per policy, actor and period (month "2025-01", ISO week "2025-W03" or day
//    "2025-01-13"), the polarity: support, oppose, mixed (both, or a mixed stance, in the
//    period), or none (the actor is named in a story about the policy in that period but shows
//    no position; only for actors that take a position on that policy somewhere in the
//    timeline). `stories` counts distinct stories: near-duplicates (documents.duplicate_of)
//    count once. `strongest` indexes the point with the highest confidence (ties: earliest,
//    then by document path); none periods have no point.
//  - changes: each actor's first position on each policy and every change after it. A none
//    period is silence, not a change: the position holds until another one is recorded.
//
// Points and periods are ordered (policy, actor, period/date, document path); changes by
// (policy, period, actor), so they read as who moved first. Output is stable.
// Errors: the Store's, passed on; InvalidArgument for a bad `by` or date bound.
// Thread-safety: reads through the given Store on the calling thread only.
#ifndef STANCETRACK_PIPELINE_TIMELINE_H_
#define STANCETRACK_PIPELINE_TIMELINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

struct TimelineOptions {
  std::string policy;  // empty: every policy
  std::string actor;   // empty: every actor
  std::string from;    // YYYY-MM-DD bounds on the date, inclusive; empty: open
  std::string to;
  std::string by = "month";  // "month", "week" or "day"
  // Whether `points` and `undated` hold every stance of a period, or only the strongest of each.
  bool every_point = false;
};

// One stance as the timeline shows it, with everything needed to trace it to its sentence.
struct StancePoint {
  int64_t stance_id = 0;  // stances.id
  std::string policy;
  std::string actor;
  std::string speaker;   // empty: none named
  std::string polarity;  // support, oppose or mixed
  double confidence = 0;
  std::string date;      // YYYY-MM-DD (or YYYY-MM when only the month is known); empty: undated
  std::string evidence;  // the sentence
  std::string document;  // documents.path
  std::string story;     // duplicate_of when set, else document: near-duplicates share it
  std::string title;
  std::string source;
  std::string url;
};

struct TimelinePeriod {
  std::string policy;
  std::string actor;
  std::string period;
  std::string polarity;  // support, oppose, mixed or none
  int64_t stories = 0;
  int64_t stances = 0;  // none periods: 0
  // Index into Timeline::points (undated periods: into Timeline::undated); none periods: nullopt.
  std::optional<size_t> strongest;
};

struct ChangePoint {
  std::string policy;
  std::string actor;
  std::string period;
  std::string from;  // empty: the actor's first recorded position
  std::string to;
  std::vector<std::string> documents;  // the documents behind the new position, by path
};

struct Timeline {
  std::vector<StancePoint> points;
  std::vector<StancePoint> undated;
  std::vector<TimelinePeriod> periods;
  std::vector<TimelinePeriod> undated_periods;
  std::vector<ChangePoint> changes;
};

StatusOr<Timeline> BuildTimeline(const Store& store, const TimelineOptions& options);

// The period of a YYYY-MM-DD date: "2025-01" (month), "2025-W03" (ISO 8601 week, whose year can
// differ from the date's near New Year) or the date itself (day). A YYYY-MM date has only a
// month period; for week and day it is returned as is.
std::string PeriodOf(std::string_view date, std::string_view by);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_TIMELINE_H_
