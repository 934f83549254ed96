#include "pipeline/chart_layout.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>

#include "pipeline/chart.h"  // kMaxActorLabelColumns
#include "pipeline/output.h"

namespace stancetrack::chart {
namespace {

namespace chrono = std::chrono;

constexpr double kMinGap = 2 * kMarker + 1;  // closer markers go to another lane
constexpr int kColumnWidth = 7;              // estimated pixels per column at font-size 12

int MonthIndex(int day) {  // months since year 0 of a day number
  chrono::year_month_day ymd{chrono::sys_days(chrono::days(day))};
  return int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1;
}

int FirstDayOfMonth(int month_index) {
  chrono::year_month_day ymd{chrono::year(month_index / 12),
                             chrono::month(unsigned(month_index % 12 + 1)), chrono::day(1)};
  return chrono::sys_days(ymd).time_since_epoch().count();
}

// Ticks every 1, 2, 3, 6 or 12 months, whichever keeps them at most about a dozen; month names
// carry the year on the first tick and on each January.
std::vector<Tick> Ticks(int first_month, int end_month, double x0, double x1) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int span = end_month - first_month;
  const int step = span <= 12 ? 1 : span <= 24 ? 2 : span <= 36 ? 3 : span <= 72 ? 6 : 12;
  const double start = FirstDayOfMonth(first_month), end = FirstDayOfMonth(end_month);
  std::vector<Tick> ticks;
  for (int m = first_month; m <= end_month; ++m) {
    if (m % step != 0) continue;
    std::string year = std::to_string(m / 12);
    std::string label = step == 12                       ? year
                        : (ticks.empty() || m % 12 == 0) ? kMonths[m % 12] + (" " + year)
                                                         : kMonths[m % 12];
    ticks.push_back({x0 + (FirstDayOfMonth(m) - start) / (end - start) * (x1 - x0), label});
  }
  return ticks;
}

// Puts each marker of `row` in the first lane where it keeps kMinGap from the lane's last one.
void AssignLanes(Row& row) {
  std::stable_sort(row.marks.begin(), row.marks.end(),
                   [](const Mark& a, const Mark& b) { return a.x < b.x; });
  std::vector<double> last;  // x of each lane's last marker
  for (Mark& m : row.marks) {
    size_t lane = 0;
    while (lane < last.size() && m.x - last[lane] < kMinGap) ++lane;
    if (lane == last.size()) last.push_back(0);
    last[lane] = m.x;
    m.lane = static_cast<int>(lane);
  }
  row.lanes = std::max<int>(1, static_cast<int>(last.size()));
}

int LabelWidth(const std::map<std::string, Row>& rows) {
  size_t columns = 0;
  for (const auto& [actor, row] : rows) {
    columns = std::max(columns, DisplayWidth(CutToWidth(actor, kMaxActorLabelColumns)));
  }
  return std::max<int>(kMinLabelWidth, 16 + kColumnWidth * static_cast<int>(columns));
}

// The rows by first appearance, then name, stacked from `top` down.
std::vector<Row> StackRows(std::map<std::string, Row> by_actor, int top) {
  std::vector<Row> rows;
  for (auto& [actor, row] : by_actor) rows.push_back(std::move(row));
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.first_day != b.first_day ? a.first_day < b.first_day : a.actor < b.actor;
  });
  for (Row& row : rows) {
    AssignLanes(row);
    row.top = top;
    top += row.height();
  }
  return rows;
}

}  // namespace

Layout LayOut(const Timeline& timeline, std::string_view policy, int rows_top) {
  Layout layout;
  std::map<std::string, Row> rows;  // by actor
  std::vector<std::pair<int, const StancePoint*>> dated;
  for (const StancePoint& p : timeline.points) {
    if (p.policy != policy) continue;
    std::optional<int> day = DayNumber(p.date);
    if (!day) {
      ++layout.unplaced;
      continue;
    }
    dated.emplace_back(*day, &p);
    Row& row = rows.try_emplace(p.actor, Row{p.actor, *day, {}, 1, 0}).first->second;
    row.first_day = std::min(row.first_day, *day);
  }
  if (dated.empty()) return layout;
  layout.label_width = LabelWidth(rows);
  const auto [lo, hi] = std::minmax_element(
      dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const int first_month = MonthIndex(lo->first), end_month = MonthIndex(hi->first) + 1;
  const double x0 = layout.label_width + kMarker, x1 = kWidth - kRightMargin;
  layout.ticks = Ticks(first_month, end_month, x0, x1);
  const double start = FirstDayOfMonth(first_month), end = FirstDayOfMonth(end_month);
  for (const auto& [day, p] : dated) {
    rows[p->actor].marks.push_back({p, x0 + (day - start) / (end - start) * (x1 - x0), 0});
  }
  layout.rows = StackRows(std::move(rows), rows_top);
  return layout;
}

// Days since 1970-01-01 of "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts are the first).
std::optional<int> DayNumber(std::string_view date) {
  auto field = [&](size_t at, size_t len, int fallback) -> std::optional<int> {
    if (date.size() <= at) return fallback;
    int v = 0;
    auto [end, ec] = std::from_chars(date.data() + at, date.data() + at + len, v);
    if (ec != std::errc() || end != date.data() + at + len) return std::nullopt;
    return v;
  };
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return std::nullopt;
  if ((date.size() > 4 && date[4] != '-') || (date.size() > 7 && date[7] != '-')) {
    return std::nullopt;
  }
  auto y = field(0, 4, 0), m = field(5, 2, 1), d = field(8, 2, 1);
  if (!y || !m || !d) return std::nullopt;
  chrono::year_month_day ymd{chrono::year(*y), chrono::month(*m), chrono::day(*d)};
  if (!ymd.ok()) return std::nullopt;
  return chrono::sys_days(ymd).time_since_epoch().count();
}

std::string Num(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
  std::string s(buf, end);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

}  // namespace stancetrack::chart
