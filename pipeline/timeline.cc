#include "pipeline/timeline.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

namespace stancetrack {
namespace {

// Each stance with its evidence sentence and its document. It reads the tables the
// stance_evidence view reads, joined by document id: through the view, which exposes the
// document's path only, each stance cost a second lookup of its document by path, a third of
// the time of a timeline at 100,000 documents.
constexpr const char* kPointsSql =
    "SELECT st.id, st.policy, st.actor, COALESCE(st.speaker, ''), st.polarity, st.confidence,"
    " COALESCE(NULLIF(st.date, ''), d.published, '') AS date,"
    " COALESCE(CAST(substr(CAST(d.text AS BLOB), s.begin + 1, s.end - s.begin) AS TEXT), ''),"
    " d.path, COALESCE(d.duplicate_of, d.path), COALESCE(d.title, ''), COALESCE(d.source, ''),"
    " COALESCE(d.url, '') FROM stances st JOIN documents d ON d.id = st.document_id"
    " LEFT JOIN sentences s ON s.document_id = st.document_id AND s.idx = st.sentence"
    " WHERE (?1 = '' OR st.policy = ?1) AND (?2 = '' OR st.actor = ?2)"
    " ORDER BY st.policy, st.actor, date, d.path, st.id";

// Where an actor with a position on a policy is named in a story about that policy (a document
// with a stance on it or a mention of it). It starts from the few positioned actors' mentions
// (an index lookup each) and tests each of their documents, rather than reading every mention
// of every document about a policy: at 100,000 documents that is ~0.7 s instead of ~2.3 s.
constexpr const char* kNamedSql =
    "WITH positioned AS (SELECT DISTINCT policy, actor FROM stances"
    " WHERE (?1 = '' OR policy = ?1) AND (?2 = '' OR actor = ?2)),"
    " named AS (SELECT DISTINCT p.policy, p.actor, m.document_id FROM positioned p"
    " JOIN entities e ON e.canonical = p.actor AND e.type <> 'policy'"
    " JOIN mentions m ON m.entity_id = e.id)"
    " SELECT n.policy, n.actor, d.published, COALESCE(d.duplicate_of, d.path)"
    " FROM named n JOIN documents d ON d.id = n.document_id"
    " WHERE d.published IS NOT NULL AND ("
    " EXISTS (SELECT 1 FROM stances s WHERE s.document_id = n.document_id"
    " AND s.policy = n.policy)"
    " OR EXISTS (SELECT 1 FROM entities pe JOIN mentions pm ON pm.entity_id = pe.id"
    " AND pm.document_id = n.document_id WHERE pe.type = 'policy' AND pe.canonical = n.policy))";

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// YYYY-MM-DD, or YYYY-MM.
bool IsDate(std::string_view s) {
  if (s.size() != 7 && s.size() != 10) return false;
  if (!IsDigits(s.substr(0, 4)) || s[4] != '-' || !IsDigits(s.substr(5, 2))) return false;
  return s.size() == 7 || (s[7] == '-' && IsDigits(s.substr(8, 2)));
}

// Whether a date (YYYY-MM-DD or YYYY-MM, the whole month) overlaps the bounds.
bool InRange(const std::string& date, const TimelineOptions& o) {
  if (!o.from.empty() && date < o.from.substr(0, date.size())) return false;
  if (!o.to.empty() && date.substr(0, o.to.size()) > o.to) return false;
  return true;
}

int Number(std::string_view digits) {
  int n = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return n;
}

std::string IsoWeek(std::string_view date) {
  using namespace std::chrono;
  year_month_day ymd{year{Number(date.substr(0, 4))},
                     month{static_cast<unsigned>(Number(date.substr(5, 2)))},
                     day{static_cast<unsigned>(Number(date.substr(8, 2)))}};
  if (!ymd.ok()) return std::string(date);
  sys_days d{ymd};
  // The ISO week belongs to the year of its Thursday.
  sys_days thursday = d + days{4 - static_cast<int>(weekday{d}.iso_encoding())};
  year iso_year = year_month_day{thursday}.year();
  int week = static_cast<int>((thursday - sys_days{iso_year / January / 1}).count() / 7 + 1);
  char out[32];
  std::snprintf(out, sizeof out, "%04d-W%02d", static_cast<int>(iso_year), week);
  return out;
}

StancePoint ToPoint(const std::vector<Value>& r) {
  return StancePoint{std::get<int64_t>(r[0]),
                     TextOf(r[1]),
                     TextOf(r[2]),
                     TextOf(r[3]),
                     TextOf(r[4]),
                     RealOf(r[5]),
                     TextOf(r[6]),
                     TextOf(r[7]),
                     TextOf(r[8]),
                     TextOf(r[9]),
                     TextOf(r[10]),
                     TextOf(r[11]),
                     TextOf(r[12])};
}

using PeriodKey = std::tuple<std::string, std::string, std::string>;  // policy, actor, period

struct PeriodStances {
  std::set<std::string> polarities;
  std::set<std::string> stories;
  std::optional<size_t> strongest;
};

std::string PolarityOf(const std::set<std::string>& polarities) {
  if (polarities.empty()) return "none";
  return polarities.size() == 1 ? *polarities.begin() : "mixed";
}

// Adds the none periods: where an actor with a position on a policy is named in a story about
// it, in a period where it shows none.
Status AddSilences(const Store& store, const TimelineOptions& options,
                   std::map<PeriodKey, PeriodStances>* periods) {
  return store.Query(kNamedSql, {options.policy, options.actor}, [&](const auto&, const auto& r) {
    std::string policy = TextOf(r[0]), actor = TextOf(r[1]), date = TextOf(r[2]);
    if (!IsDate(date) || !InRange(date, options)) {
      return true;
    }
    PeriodStances& p = (*periods)[{policy, actor, PeriodOf(date, options.by)}];
    if (p.polarities.empty()) p.stories.insert(TextOf(r[3]));
    return true;
  });
}

std::vector<ChangePoint> ChangePoints(const Timeline& t,
                                      const std::map<PeriodKey, std::vector<size_t>>& members) {
  std::vector<ChangePoint> changes;
  const TimelinePeriod* last = nullptr;  // the last period with a position
  for (const TimelinePeriod& p : t.periods) {
    if (p.polarity == "none") continue;
    bool first = !last || last->policy != p.policy || last->actor != p.actor;
    if (first || last->polarity != p.polarity) {
      ChangePoint c{p.policy, p.actor, p.period, first ? "" : last->polarity, p.polarity, {}};
      std::set<std::string> documents;
      for (size_t i : members.at({p.policy, p.actor, p.period})) {
        documents.insert(t.points[i].document);
      }
      c.documents.assign(documents.begin(), documents.end());
      changes.push_back(std::move(c));
    }
    last = &p;
  }
  return changes;
}

Status CheckOptions(const TimelineOptions& o) {
  if (o.by != "month" && o.by != "week" && o.by != "day") {
    return Status::InvalidArgument("--by must be month, week or day, not '" + o.by + "'");
  }
  for (const std::string* bound : {&o.from, &o.to}) {
    if (!bound->empty() && !IsDate(*bound)) {
      return Status::InvalidArgument("'" + *bound + "' is not a date (YYYY-MM-DD or YYYY-MM)");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string PeriodOf(std::string_view date, std::string_view by) {
  if (by == "month" || date.size() < 10) return std::string(date.substr(0, 7));
  return by == "week" ? IsoWeek(date) : std::string(date);
}

StatusOr<Timeline> BuildTimeline(const Store& store, const TimelineOptions& options) {
  ST_RETURN_IF_ERROR(CheckOptions(options));
  Timeline t;
  std::map<PeriodKey, PeriodStances> periods;
  std::map<PeriodKey, std::vector<size_t>> members;  // the points of each period
  ST_RETURN_IF_ERROR(
      store.Query(kPointsSql, {options.policy, options.actor}, [&](const auto&, const auto& r) {
        StancePoint point = ToPoint(r);
        if (!IsDate(point.date)) {
          point.date.clear();
          t.undated.push_back(std::move(point));
          return true;
        }
        if (!InRange(point.date, options)) return true;
        PeriodKey key{point.policy, point.actor, PeriodOf(point.date, options.by)};
        PeriodStances& p = periods[key];
        p.polarities.insert(point.polarity);
        p.stories.insert(point.story);
        // Points come by date, then path: a strictly higher confidence wins a tie to the earlier.
        if (!p.strongest || point.confidence > t.points[*p.strongest].confidence) {
          p.strongest = t.points.size();
        }
        members[key].push_back(t.points.size());
        t.points.push_back(std::move(point));
        return true;
      }));
  ST_RETURN_IF_ERROR(AddSilences(store, options, &periods));
  for (const auto& [key, p] : periods) {
    const auto& [policy, actor, period] = key;
    t.periods.push_back({policy, actor, period, PolarityOf(p.polarities),
                         static_cast<int64_t>(p.stories.size()), p.strongest});
  }
  t.changes = ChangePoints(t, members);
  // Who moved first: change points read in time order within each policy.
  std::stable_sort(t.changes.begin(), t.changes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.policy, a.period) < std::tie(b.policy, b.period);
  });
  return t;
}

}  // namespace stancetrack
