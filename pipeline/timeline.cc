#include "pipeline/timeline.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace stancetrack {
namespace {

// The stances, without the text behind them. The documents they need are read from the
// documents table's indexes (DocumentFacts), and the evidence only for the points shown: at
// 100,000 documents and 370,000 stances, reading every stance's sentence out of its document's
// text, and every document row for its path, took most of a timeline's time.
constexpr const char* kStancesSql =
    "SELECT id, policy, actor, COALESCE(speaker, ''), polarity, confidence, COALESCE(date, ''),"
    " document_id FROM stances WHERE (?1 = '' OR policy = ?1) AND (?2 = '' OR actor = ?2)";

// The documents about each policy: with a stance on it or a mention of it. UNION ALL: the
// caller removes repeats at a fraction of the cost of SQLite's temporary B-tree. Mentions come
// distinct straight from the order of mentions_by_entity, a third of their number.
constexpr const char* kAboutSql =
    "SELECT document_id, policy FROM stances WHERE ?1 = '' OR policy = ?1"
    " UNION ALL SELECT DISTINCT m.document_id, e.canonical FROM entities e JOIN mentions m"
    " ON m.entity_id = e.id WHERE e.type = 'policy' AND (?1 = '' OR e.canonical = ?1)";

// The entities that are actors with a position (?1, a JSON array of names), and the documents
// that name each (?1, a JSON array of entity ids): distinct (entity, document) pairs come
// straight from the order of mentions_by_entity.
constexpr const char* kActorEntitiesSql =
    "SELECT id, canonical FROM entities WHERE type <> 'policy'"
    " AND canonical IN (SELECT value FROM json_each(?1))";
constexpr const char* kNamedSql =
    "SELECT DISTINCT entity_id, document_id FROM mentions"
    " WHERE entity_id IN (SELECT value FROM json_each(?1))";

// Each reads one index of the documents table (the path's, published's, duplicate_of's), so no
// row, with its text, is read.
constexpr const char* kPathsSql = "SELECT id, path FROM documents ORDER BY path";
constexpr const char* kPublishedSql =
    "SELECT id, published FROM documents WHERE published IS NOT NULL";
constexpr const char* kDuplicateOfSql =
    "SELECT id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL";

// The evidence sentence (the store's stance_evidence view) and the document's title, source and
// url of the stances in ?1, a JSON array of stance ids.
constexpr const char* kEvidenceSql =
    "SELECT e.stance_id, COALESCE(e.evidence, ''),"
    " COALESCE(d.title, ''), COALESCE(d.source, ''), COALESCE(d.url, '')"
    " FROM json_each(?1) j CROSS JOIN stance_evidence e ON e.stance_id = j.value"
    " JOIN documents d ON d.path = e.path";

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY-MM-DD, or YYYY-MM.
bool IsDate(std::string_view s) {
  if (s.size() != 7 && s.size() != 10) return false;
  if (!IsDigits(s.substr(0, 4)) || s[4] != '-' || !IsDigits(s.substr(5, 2))) return false;
  return s.size() == 7 || (s[7] == '-' && IsDigits(s.substr(8, 2)));
}

// Whether a date (YYYY-MM-DD or YYYY-MM, the whole month) overlaps the bounds.
bool InRange(std::string_view date, const TimelineOptions& o) {
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

std::string PolarityOf(const std::set<std::string_view>& polarities) {
  if (polarities.empty()) return "none";
  return polarities.size() == 1 ? std::string(*polarities.begin()) : "mixed";
}

// What the timeline needs of a document.
struct DocumentFacts {
  std::string path;
  uint32_t path_rank = 0;    // its place in path order: ordering by it is ordering by path
  std::string published;     // as stored: empty when NULL
  std::string duplicate_of;  // empty when NULL
  const std::string& story() const { return duplicate_of.empty() ? path : duplicate_of; }
};

// Keyed by documents.id. LoadDocumentFacts fills the keys present, so the map holds only the
// documents a timeline shows. Its values stay in place: views into them stay valid.
using Documents = std::unordered_map<int64_t, DocumentFacts>;

Status LoadDocumentFacts(const Store& store, Documents* docs) {
  uint32_t rank = 0;
  ST_RETURN_IF_ERROR(store.Query(kPathsSql, {}, [&](const auto&, const auto& r) {
    auto it = docs->find(IntOf(r[0]));
    if (it != docs->end()) {
      it->second.path = TextOf(r[1]);
      it->second.path_rank = rank;
    }
    ++rank;
    return true;
  }));
  for (auto [sql, field] : {std::pair{kPublishedSql, &DocumentFacts::published},
                            std::pair{kDuplicateOfSql, &DocumentFacts::duplicate_of}}) {
    ST_RETURN_IF_ERROR(store.Query(sql, {}, [&](const auto&, const auto& r) {
      auto it = docs->find(IntOf(r[0]));
      if (it != docs->end()) it->second.*field = TextOf(r[1]);
      return true;
    }));
  }
  return Status::Ok();
}

// Policies, actors, speakers, polarities and dates: a few thousand strings that hundreds of
// thousands of stances repeat, each kept once, so that a stance holds a pointer to each.
class Interned {
 public:
  const std::string* Of(std::string_view s) {
    auto it = strings_.find(s);
    if (it == strings_.end()) it = strings_.emplace(s).first;
    return &*it;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> strings_;  // nodes: pointers stay valid
};

// A stance as kStancesSql reads it: its evidence and its document's facts come later.
struct StanceRow {
  int64_t stance_id;
  int64_t document_id;
  double confidence;
  // Interned. date: its own; empty when it has none.
  const std::string *policy, *actor, *speaker, *polarity, *date;
  uint32_t pair = 0;  // its (policy, actor) pair's number
};

Status ReadStances(const Store& store, const TimelineOptions& o, Interned* names,
                   std::vector<StanceRow>* rows) {
  return store.Query(kStancesSql, {o.policy, o.actor}, [&](const auto&, const auto& r) {
    rows->push_back({IntOf(r[0]), IntOf(r[7]), RealOf(r[5]), names->Of(TextViewOf(r[1])),
                     names->Of(TextViewOf(r[2])), names->Of(TextViewOf(r[3])),
                     names->Of(TextViewOf(r[4])), names->Of(TextViewOf(r[6]))});
    return true;
  });
}

// The (policy, actor) pairs with a position, numbered in (policy, actor) order, so that the
// timeline orders and groups by a number where it would compare two strings.
struct Pairs {
  using Numbers = std::unordered_map<std::string_view, uint32_t>;    // policy -> number
  std::vector<std::pair<std::string_view, std::string_view>> names;  // by number: policy, actor
  std::unordered_map<std::string_view, Numbers> by_actor;
};

// Numbers the pairs of `rows` and sets each row's.
Pairs NumberPairs(std::vector<StanceRow>* rows) {
  Pairs pairs;
  for (const StanceRow& row : *rows) pairs.by_actor[*row.actor][*row.policy];
  std::vector<std::tuple<std::string_view, std::string_view, uint32_t*>> order;
  for (auto& [actor, policies] : pairs.by_actor) {
    for (auto& [policy, number] : policies) order.emplace_back(policy, actor, &number);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [policy, actor, number] : order) {
    *number = static_cast<uint32_t>(pairs.names.size());
    pairs.names.emplace_back(policy, actor);
  }
  for (StanceRow& row : *rows) row.pair = pairs.by_actor[*row.actor][*row.policy];
  return pairs;
}

// An actor with a position on a policy (the pair's number), named in a document about it.
struct NamedIn {
  uint32_t pair;
  int64_t document_id;
};

// The documents about each policy with a position on it: policy -> ids, sorted.
using About = std::unordered_map<std::string_view, std::vector<int64_t>>;

Status ReadAbout(const Store& store, const TimelineOptions& o, const Pairs& pairs, About* about) {
  for (const auto& [policy, actor] : pairs.names) (*about)[policy];
  ST_RETURN_IF_ERROR(store.Query(kAboutSql, {o.policy}, [&](const auto&, const auto& r) {
    auto documents = about->find(TextViewOf(r[1]));
    if (documents != about->end()) documents->second.push_back(IntOf(r[0]));
    return true;
  }));
  for (auto& [policy, documents] : *about) {
    std::sort(documents.begin(), documents.end());
    documents.erase(std::unique(documents.begin(), documents.end()), documents.end());
  }
  return Status::Ok();
}

Status NamedInStories(const Store& store, const TimelineOptions& o, const Pairs& pairs,
                      std::vector<NamedIn>* named) {
  About about;
  ST_RETURN_IF_ERROR(ReadAbout(store, o, pairs, &about));
  // By actor entity: the documents about each policy it has a position on, with the pair.
  using Positions = std::vector<std::pair<const std::vector<int64_t>*, uint32_t>>;
  std::unordered_map<int64_t, Positions> positions;
  nlohmann::json actors = nlohmann::json::array(), entities = nlohmann::json::array();
  for (const auto& [actor, policies] : pairs.by_actor) actors.push_back(actor);
  // Names are stored UTF-8; replace keeps a damaged one from throwing, and it matches nothing.
  const std::string actor_list =
      actors.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  ST_RETURN_IF_ERROR(store.Query(kActorEntitiesSql, {actor_list}, [&](const auto&, const auto& r) {
    entities.push_back(IntOf(r[0]));
    Positions& entity = positions[IntOf(r[0])];
    for (const auto& [policy, number] : pairs.by_actor.at(TextViewOf(r[1]))) {
      entity.emplace_back(&about.at(policy), number);
    }
    return true;
  }));
  return store.Query(kNamedSql, {entities.dump()}, [&](const auto&, const auto& r) {
    const int64_t document = IntOf(r[1]);
    for (const auto& [documents, number] : positions.at(IntOf(r[0]))) {
      if (std::binary_search(documents->begin(), documents->end(), document)) {
        named->push_back({number, document});
      }
    }
    return true;
  });
}

// What a timeline reads of the database before it shows evidence.
struct TimelineData {
  Interned names;  // what rows point to
  std::vector<StanceRow> rows;
  Pairs pairs;
  std::vector<NamedIn> named;
  Documents docs;
};

Status ReadTimeline(const Store& store, const TimelineOptions& options, TimelineData* data) {
  ST_RETURN_IF_ERROR(ReadStances(store, options, &data->names, &data->rows));
  data->pairs = NumberPairs(&data->rows);
  for (const StanceRow& row : data->rows) data->docs[row.document_id];
  ST_RETURN_IF_ERROR(NamedInStories(store, options, data->pairs, &data->named));
  for (const NamedIn& n : data->named) data->docs[n.document_id];
  return LoadDocumentFacts(store, &data->docs);
}

// A YYYY-MM-DD or YYYY-MM date as a number that orders as the text does (a month before its
// days); 0 for what is not a date.
uint32_t DayNumber(std::string_view date) {
  if (!IsDate(date)) return 0;
  const int day = date.size() == 10 ? Number(date.substr(8, 2)) : 0;
  return static_cast<uint32_t>(Number(date.substr(0, 4)) * 10000 + Number(date.substr(5, 2)) * 100 +
                               day + 1);
}

// A stance's place in the timeline: its pair, its date (its own, else its document's
// publication) and its document.
// The sort key is kept in place, not read through the pointers: sorting is most of placing.
struct Placed {
  uint32_t pair;
  uint32_t day;        // DayNumber(date): ordering by it is ordering by date, without the text
  uint32_t path_rank;  // the document's
  int64_t stance_id;
  std::string_view date;  // into the row or the document
  const DocumentFacts* document;
  const StanceRow* row;

  auto Key() const {
    return std::make_tuple(pair, day, day ? std::string_view() : date, path_rank, stance_id);
  }
};

// The stances in timeline order: (policy, actor, date, document, stance).
std::vector<Placed> Place(const TimelineData& data) {
  std::vector<Placed> placed;
  placed.reserve(data.rows.size());
  for (const StanceRow& row : data.rows) {
    const DocumentFacts& d = data.docs.at(row.document_id);
    const std::string& date = row.date->empty() ? d.published : *row.date;
    placed.push_back({row.pair, DayNumber(date), d.path_rank, row.stance_id, date, &d, &row});
  }
  std::sort(placed.begin(), placed.end(),
            [](const Placed& a, const Placed& b) { return a.Key() < b.Key(); });
  return placed;
}

using PeriodKey = std::pair<uint32_t, std::string>;  // pair number, period

struct PeriodStances {
  std::set<std::string_view> polarities;         // into the stances
  std::unordered_set<std::string_view> stories;  // into Documents
  std::optional<size_t> strongest;               // into the placed stances
  std::vector<size_t> members;                   // into the placed stances
};

using Periods = std::map<PeriodKey, PeriodStances>;

// The period of a pair's undated stances.
constexpr std::string_view kUndated = "undated";

// The stance as a point, with its date (none when undated).
StancePoint ToPoint(const Placed& placed) {
  const StanceRow& row = *placed.row;
  StancePoint point;
  point.stance_id = row.stance_id;
  point.policy = *row.policy;
  point.actor = *row.actor;
  point.speaker = *row.speaker;
  point.polarity = *row.polarity;
  point.confidence = row.confidence;
  if (placed.day) point.date = placed.date;
  point.document = placed.document->path;
  point.story = placed.document->story();
  return point;
}

// Puts each dated stance within the bounds into its period, and each undated one into its
// pair's undated period.
void AddToPeriods(const std::vector<Placed>& placed, const TimelineOptions& options,
                  Periods* periods, Periods* undated) {
  // Stances come by pair and date: one with the last one's pair and date shares its period.
  const Placed* last = nullptr;
  PeriodStances* period = nullptr;
  for (size_t i = 0; i < placed.size(); ++i) {
    const Placed& s = placed[i];
    if (s.day != 0 && !InRange(s.date, options)) continue;
    if (!last || s.pair != last->pair || s.day != last->day) {
      period = s.day ? &(*periods)[{s.pair, PeriodOf(s.date, options.by)}]
                     : &(*undated)[{s.pair, std::string(kUndated)}];
    }
    last = &s;
    PeriodStances& p = *period;
    const double confidence = s.row->confidence;
    p.polarities.insert(*s.row->polarity);
    p.stories.insert(s.document->story());
    // Stances come by date, then path: a strictly higher confidence wins a tie to the earlier.
    if (!p.strongest || confidence > placed[*p.strongest].row->confidence) p.strongest = i;
    p.members.push_back(i);
  }
}

// Appends to `points` the placed stances in `periods`: all of them, or the strongest of each.
// Returns, for each placed stance, its index in `points` (npos: none).
std::vector<size_t> AddPoints(const std::vector<Placed>& placed, const Periods& periods,
                              bool every_point, std::vector<StancePoint>* points) {
  constexpr size_t kNone = std::string::npos;
  std::vector<size_t> point_of(placed.size(), kNone);
  size_t shown = 0;
  for (const auto& [key, p] : periods) {
    if (every_point) {
      for (size_t i : p.members) point_of[i] = 0;
      shown += p.members.size();
    } else if (p.strongest) {
      point_of[*p.strongest] = 0;
      ++shown;
    }
  }
  points->reserve(shown);  // a large timeline's points are tens of megabytes: copied no more
  for (size_t i = 0; i < placed.size(); ++i) {
    if (point_of[i] == kNone) continue;
    point_of[i] = points->size();
    points->push_back(ToPoint(placed[i]));
  }
  return point_of;
}

// The periods as the timeline shows them, in key order; members: the placed stances of each.
std::vector<TimelinePeriod> ShownPeriods(const Pairs& pairs, const std::vector<size_t>& point_of,
                                         Periods* periods,
                                         std::vector<std::vector<size_t>>* members) {
  std::vector<TimelinePeriod> shown;
  for (auto& [key, p] : *periods) {
    const auto& [policy, actor] = pairs.names[key.first];
    std::optional<size_t> strongest;
    if (p.strongest) strongest = point_of[*p.strongest];
    shown.push_back({std::string(policy), std::string(actor), key.second, PolarityOf(p.polarities),
                     static_cast<int64_t>(p.stories.size()), static_cast<int64_t>(p.members.size()),
                     strongest});
    members->push_back(std::move(p.members));
  }
  return shown;
}

// Adds the none periods: where an actor with a position on a policy is named in a story about
// it, in a period where it shows none.
void AddSilences(const TimelineData& data, const TimelineOptions& options, Periods* periods) {
  for (const NamedIn& n : data.named) {
    const DocumentFacts& d = data.docs.at(n.document_id);
    if (!IsDate(d.published) || !InRange(d.published, options)) continue;
    PeriodStances& p = (*periods)[{n.pair, PeriodOf(d.published, options.by)}];
    if (p.polarities.empty()) p.stories.insert(d.story());
  }
}

// Fills the evidence sentence, title, source and url of `points`. They are asked for in stance
// id order, which is the order of documents in the file: in timeline order, each lookup landed
// on another part of the file and the query took twice as long.
Status AddEvidence(const Store& store, std::vector<StancePoint*> points) {
  if (points.empty()) return Status::Ok();
  std::sort(points.begin(), points.end(),
            [](const auto* a, const auto* b) { return a->stance_id < b->stance_id; });
  std::unordered_map<int64_t, StancePoint*> by_id;
  std::string ids = "[";
  for (StancePoint* p : points) {
    by_id.emplace(p->stance_id, p);
    ids += std::to_string(p->stance_id) + ",";
  }
  ids.back() = ']';
  return store.Query(kEvidenceSql, {ids}, [&](const auto&, const auto& r) {
    StancePoint& p = *by_id.at(IntOf(r[0]));
    p.evidence = TextOf(r[1]);
    p.title = TextOf(r[2]);
    p.source = TextOf(r[3]);
    p.url = TextOf(r[4]);
    return true;
  });
}

// The points and the undated stances, whose evidence a presentation shows.
std::vector<StancePoint*> Shown(Timeline* t) {
  std::vector<StancePoint*> shown;
  for (auto* list : {&t->points, &t->undated}) {
    for (StancePoint& p : *list) shown.push_back(&p);
  }
  return shown;
}

// members[i]: the placed stances of t.periods[i].
std::vector<ChangePoint> ChangePoints(const Timeline& t, const std::vector<Placed>& placed,
                                      const std::vector<std::vector<size_t>>& members) {
  std::vector<ChangePoint> changes;
  const TimelinePeriod* last = nullptr;  // the last period with a position
  for (size_t i = 0; i < t.periods.size(); ++i) {
    const TimelinePeriod& p = t.periods[i];
    if (p.polarity == "none") continue;
    bool first = !last || last->policy != p.policy || last->actor != p.actor;
    if (first || last->polarity != p.polarity) {
      ChangePoint c{p.policy, p.actor, p.period, first ? "" : last->polarity, p.polarity, {}};
      std::vector<const DocumentFacts*> documents;
      for (size_t stance : members[i]) documents.push_back(placed[stance].document);
      std::sort(documents.begin(), documents.end(),
                [](const auto* a, const auto* b) { return a->path_rank < b->path_rank; });
      documents.erase(std::unique(documents.begin(), documents.end()), documents.end());
      for (const DocumentFacts* d : documents) c.documents.push_back(d->path);
      changes.push_back(std::move(c));
    }
    last = &p;
  }
  return changes;
}

// The stances placed in their periods, the none periods and the change points.
Timeline Assemble(const TimelineData& data, const TimelineOptions& options) {
  Timeline t;
  const std::vector<Placed> placed = Place(data);
  Periods periods, undated;
  AddToPeriods(placed, options, &periods, &undated);
  AddSilences(data, options, &periods);
  std::vector<std::vector<size_t>> members;
  t.periods = ShownPeriods(data.pairs, AddPoints(placed, periods, options.every_point, &t.points),
                           &periods, &members);
  t.changes = ChangePoints(t, placed, members);
  // Who moved first: change points read in time order within each policy.
  std::stable_sort(t.changes.begin(), t.changes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.policy, a.period) < std::tie(b.policy, b.period);
  });
  std::vector<std::vector<size_t>> undated_members;  // changes are of dated periods only
  t.undated_periods =
      ShownPeriods(data.pairs, AddPoints(placed, undated, options.every_point, &t.undated),
                   &undated, &undated_members);
  return t;
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
  ST_RETURN_IF_ERROR(store.InReadSnapshot([&] {
    TimelineData data;
    ST_RETURN_IF_ERROR(ReadTimeline(store, options, &data));
    t = Assemble(data, options);
    return AddEvidence(store, Shown(&t));
  }));
  return t;
}

}  // namespace stancetrack
