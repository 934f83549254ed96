// Chart layout: where the rows, markers and ticks of one policy's chart go. Internal to
// pipeline/chart.cc, which draws what this places; see chart.h for what a chart shows.
//
// Input: a Timeline and a policy. Output: a Layout in SVG user units (pixels at 100%): one Row
// per actor with the policy's points of that actor as Marks (x from the date on a linear time
// axis of whole months, a lane inside the row), and the axis Ticks. Pure functions.
#ifndef STANCETRACK_PIPELINE_CHART_LAYOUT_H_
#define STANCETRACK_PIPELINE_CHART_LAYOUT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/timeline.h"

namespace stancetrack::chart {

inline constexpr int kWidth = 960;
inline constexpr int kRightMargin = 24;
inline constexpr int kRowHeight = 28;      // a row with one lane of markers
inline constexpr int kLaneStep = 13;       // each further lane adds this much
inline constexpr double kMarker = 6;       // half the width of a marker
inline constexpr int kMinLabelWidth = 96;  // the actor label column, at least

struct Mark {
  const StancePoint* point = nullptr;  // into the Timeline laid out
  double x = 0;
  int lane = 0;  // 0 is the top lane of the row
};

struct Row {
  std::string actor;
  int first_day = 0;        // of the actor's first point, days since 1970-01-01
  std::vector<Mark> marks;  // by x
  int lanes = 1;
  int top = 0;

  int height() const { return kRowHeight + (lanes - 1) * kLaneStep; }
};

struct Tick {
  double x = 0;
  std::string label;  // "Jan 2025", "Feb", or "2025" for yearly ticks
};

struct Layout {
  std::vector<Row> rows;  // by first appearance, then actor name
  std::vector<Tick> ticks;
  int label_width = kMinLabelWidth;  // the markers start to its right
  int unplaced = 0;                  // points whose date is not YYYY[-MM[-DD]]
};

// Lays out the points of `policy`, the first row starting at y = `rows_top`. Markers of one
// row closer than a marker's width go to further lanes, so none hides another.
Layout LayOut(const Timeline& timeline, std::string_view policy, int rows_top);

// Days since 1970-01-01 of "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts are the first);
// nullopt for anything else or an impossible date.
std::optional<int> DayNumber(std::string_view date);

// A coordinate as SVG wants it: at most one decimal, whatever the locale.
std::string Num(double v);

}  // namespace stancetrack::chart

#endif  // STANCETRACK_PIPELINE_CHART_LAYOUT_H_
