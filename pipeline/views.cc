#include "pipeline/views.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace stancetrack {
namespace {

// The evidence sentence of a stance row `st` joined with its sentence `se` and document `d`.
// Offsets are bytes, so the text is cut as a BLOB and cast back.
constexpr const char* kEvidence =
    "CAST(substr(CAST(d.text AS BLOB), se.begin + 1, se.end - se.begin) AS TEXT)";

std::string Text(const Value& v) {
  const std::string* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

// Passes every row of `sql` to `out`.
Status PrintQuery(const Store& store, const std::string& sql, const std::vector<Value>& params,
                  RowPrinter* out) {
  return store.Query(sql, params, [&](const auto& columns, const auto& row) {
    out->Add(columns, row);
    return true;
  });
}

std::string PeriodExpression(const std::string& by) {
  if (by == "day") return "date";
  if (by == "week") return "strftime('%Y-W%W', date)";
  return "substr(date, 1, 7)";
}

struct ChangePoint {
  std::string policy, actor, period, from, to, evidence;
};

// Each actor's first position on each policy and every change after it, from period rows
// ordered by policy, actor and period.
std::vector<ChangePoint> ChangePoints(const std::vector<std::vector<Value>>& rows) {
  std::vector<ChangePoint> points;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (Text(r[2]) == "undated") continue;
    bool first = i == 0 || Text(rows[i - 1][0]) != Text(r[0]) || Text(rows[i - 1][1]) != Text(r[1]);
    std::string before = first ? "" : Text(rows[i - 1][3]);
    if (first || before != Text(r[3])) {
      points.push_back({Text(r[0]), Text(r[1]), Text(r[2]), before, Text(r[3]), Text(r[5])});
    }
  }
  return points;
}

struct Mark {
  uint32_t begin, end;
  std::string label;
};

// The paragraph's text with [words]{label} around each mark inside it.
std::string MarkUp(std::string_view text, Span paragraph, const std::vector<Mark>& marks) {
  std::string out;
  uint32_t at = paragraph.begin;
  for (const Mark& m : marks) {
    if (m.begin < at || m.end > paragraph.end) continue;  // outside, or overlapping the last one
    out.append(text.substr(at, m.begin - at));
    out.append("[").append(text.substr(m.begin, m.end - m.begin)).append("]{");
    out.append(m.label).append("}");
    at = m.end;
  }
  out.append(text.substr(at, paragraph.end - at));
  return out;
}

// Notes printed under a paragraph: stances, quotes and tiers of its sentences.
StatusOr<std::vector<std::pair<uint32_t, std::string>>> Notes(const Store& store, int64_t doc) {
  std::vector<std::pair<uint32_t, std::string>> notes;  // paragraph -> note
  Status status = store.Query(
      "SELECT se.paragraph, 'stance: ' || st.actor || COALESCE(' (speaker ' || "
      "NULLIF(st.speaker, '') || ')', '') || ' ' || st.polarity || ' ' || st.policy ||"
      " COALESCE(' on ' || NULLIF(st.date, ''), '') FROM stances st JOIN sentences se"
      " ON se.document_id = st.document_id AND se.idx = st.sentence WHERE st.document_id = ?1"
      " UNION ALL SELECT se.paragraph, 'quote by ' || COALESCE(NULLIF(q.speaker, ''), '?') ||"
      " COALESCE(' for ' || NULLIF(q.speaker_org, ''), '') FROM quotes q JOIN sentences se"
      " ON se.document_id = q.document_id AND se.idx = q.sentence WHERE q.document_id = ?1"
      " UNION ALL SELECT se.paragraph, 'tier: ' || t.country || ' in tier ' || t.tier ||"
      " CASE WHEN t.reference_tier > 0 AND t.reference_tier <> t.tier THEN"
      " ' (reference says tier ' || t.reference_tier || ')' ELSE '' END FROM tier_assertions t"
      " JOIN sentences se ON se.document_id = t.document_id AND se.idx = t.sentence"
      " WHERE t.document_id = ?1 ORDER BY 1",
      {doc}, [&](const auto&, const auto& row) {
        notes.emplace_back(static_cast<uint32_t>(std::get<int64_t>(row[0])), Text(row[1]));
        return true;
      });
  if (!status.ok()) return status;
  return notes;
}

}  // namespace

Status ShowDocument(const Store& store, const std::string& path, bool color, std::ostream* out) {
  int64_t doc = -1;
  std::string text;
  ST_RETURN_IF_ERROR(store.Query(
      "SELECT id, text, 'document: ' || path || char(10) || 'published: ' || COALESCE(published,"
      " '-') || '  language: ' || COALESCE(language, '-') || '  encoding: ' || COALESCE(encoding, "
      "'-') ||"
      " COALESCE('  duplicate of: ' || duplicate_of, '') FROM documents WHERE path = ?1",
      {path}, [&](const auto&, const auto& row) {
        doc = std::get<int64_t>(row[0]);
        text = Text(row[1]);
        *out << Text(row[2]) << "\n\n";
        return false;
      }));
  if (doc < 0) return Status::NotFound("no document '" + path + "' in the database");
  std::vector<Mark> marks;
  ST_RETURN_IF_ERROR(store.Query(
      "SELECT m.begin, m.end, e.type || ':' || e.canonical FROM mentions m JOIN entities e"
      " ON e.id = m.entity_id WHERE m.document_id = ?1 ORDER BY m.begin, m.end DESC",
      {doc}, [&](const auto&, const auto& row) {
        marks.push_back({static_cast<uint32_t>(std::get<int64_t>(row[0])),
                         static_cast<uint32_t>(std::get<int64_t>(row[1])), Text(row[2])});
        return true;
      }));
  StatusOr<std::vector<std::pair<uint32_t, std::string>>> notes = Notes(store, doc);
  if (!notes.ok()) return notes.status();
  return store.Query(
      "SELECT idx, begin, end, kind, COALESCE(reason, '') FROM paragraphs WHERE document_id = ?1"
      " ORDER BY idx",
      {doc}, [&](const auto&, const auto& row) {
        uint32_t idx = static_cast<uint32_t>(std::get<int64_t>(row[0]));
        Span span{static_cast<uint32_t>(std::get<int64_t>(row[1])),
                  static_cast<uint32_t>(std::get<int64_t>(row[2]))};
        if (Text(row[3]) == "boilerplate") {
          std::string line = "[boilerplate: " + Text(row[4]) + "] " + std::string(span.Of(text));
          *out << (color ? "\x1b[2m" + line + "\x1b[0m" : line) << "\n\n";
          return true;
        }
        *out << MarkUp(text, span, marks) << "\n";
        for (const auto& [paragraph, note] : *notes) {
          if (paragraph == idx) *out << "    -> " << note << "\n";
        }
        *out << "\n";
        return true;
      });
}

Status PrintEntities(const Store& store, const std::string& type, int top, RowPrinter* out) {
  return PrintQuery(store,
                    "SELECT e.type, e.canonical, COUNT(DISTINCT m.document_id) AS documents,"
                    " COUNT(*) AS mentions FROM mentions m JOIN entities e ON e.id = m.entity_id"
                    " WHERE ?1 = '' OR e.type = ?1 GROUP BY e.id"
                    " ORDER BY documents DESC, mentions DESC, e.canonical LIMIT ?2",
                    {type, static_cast<int64_t>(top)}, out);
}

Status PrintStances(const Store& store, const std::string& actor, const std::string& policy,
                    RowPrinter* out) {
  return PrintQuery(store,
                    std::string("SELECT COALESCE(NULLIF(st.date, ''), d.published) AS date,"
                                " st.actor, st.speaker, st.policy, st.polarity,"
                                " round(st.confidence, 2) AS confidence, d.path AS document, ") +
                        kEvidence +
                        " AS evidence FROM stances st JOIN documents d ON d.id = st.document_id"
                        " JOIN sentences se ON se.document_id = st.document_id"
                        " AND se.idx = st.sentence"
                        " WHERE (?1 = '' OR st.actor = ?1) AND (?2 = '' OR st.policy = ?2)"
                        " ORDER BY date IS NULL, date, st.actor, st.policy, d.path",
                    {actor, policy}, out);
}

Status PrintTimeline(const Store& store, const TimelineOptions& options, OutputFormat format,
                     std::ostream* out) {
  std::string sql =
      std::string(
          "WITH s AS (SELECT st.policy, st.actor, st.polarity, st.confidence,"
          " COALESCE(NULLIF(st.date, ''), d.published) AS date,"
          " COALESCE(d.duplicate_of, d.path) AS story, ") +
      kEvidence +
      " AS evidence FROM stances st JOIN documents d ON d.id = st.document_id"
      " JOIN sentences se ON se.document_id = st.document_id AND se.idx = st.sentence"
      " WHERE (?1 = '' OR st.policy = ?1) AND (?2 = '' OR st.actor = ?2))"
      " SELECT policy, actor, CASE WHEN date IS NULL THEN 'undated' ELSE " +
      PeriodExpression(options.by) +
      " END AS period,"
      " CASE WHEN COUNT(DISTINCT polarity) > 1 THEN 'mixed' ELSE MIN(polarity) END AS polarity,"
      " COUNT(DISTINCT story) AS stories, evidence FROM s"
      " WHERE date IS NULL OR ((?3 = '' OR date >= ?3) AND (?4 = '' OR date <= ?4))"
      " GROUP BY policy, actor, period ORDER BY policy, actor, period = 'undated', period";
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  ST_RETURN_IF_ERROR(store.Query(sql, {options.policy, options.actor, options.from, options.to},
                                 [&](const auto& names, const auto& row) {
                                   columns = names;
                                   rows.push_back(row);
                                   return true;
                                 }));
  std::vector<ChangePoint> points = ChangePoints(rows);
  if (format == OutputFormat::kJson) {
    nlohmann::json json = {{"periods", nlohmann::json::array()},
                           {"change_points", nlohmann::json::array()}};
    for (const auto& r : rows) {
      json["periods"].push_back({{"policy", Text(r[0])},
                                 {"actor", Text(r[1])},
                                 {"period", Text(r[2])},
                                 {"polarity", Text(r[3])},
                                 {"stories", std::get<int64_t>(r[4])},
                                 {"evidence", Text(r[5])}});
    }
    for (const ChangePoint& p : points) {
      json["change_points"].push_back({{"policy", p.policy},
                                       {"actor", p.actor},
                                       {"period", p.period},
                                       {"from", p.from},
                                       {"to", p.to},
                                       {"evidence", p.evidence}});
    }
    *out << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return Status::Ok();
  }
  RowPrinter printer(format, out);
  for (const auto& r : rows) printer.Add(columns, r);
  printer.Finish();
  if (format != OutputFormat::kTable || points.empty()) return Status::Ok();
  *out << "\nchange points\n";
  RowPrinter changes(format, out);
  for (const ChangePoint& p : points) {
    changes.Add({"policy", "actor", "period", "from", "to"},
                {p.policy, p.actor, p.period, p.from.empty() ? "(first)" : p.from, p.to});
  }
  changes.Finish();
  return Status::Ok();
}

}  // namespace stancetrack
