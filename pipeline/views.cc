#include "pipeline/views.h"

namespace stancetrack {
namespace {

// Passes every row of `sql` to `out`.
Status PrintQuery(const Store& store, const std::string& sql, const std::vector<Value>& params,
                  RowPrinter* out) {
  return store.Query(sql, params, [&](const auto& columns, const auto& row) {
    out->Add(columns, row);
    return true;
  });
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
        notes.emplace_back(static_cast<uint32_t>(std::get<int64_t>(row[0])), TextOf(row[1]));
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
        text = TextOf(row[1]);
        *out << TextOf(row[2]) << "\n\n";
        return false;
      }));
  if (doc < 0) return Status::NotFound("no document '" + path + "' in the database");
  std::vector<Mark> marks;
  ST_RETURN_IF_ERROR(store.Query(
      "SELECT m.begin, m.end, e.type || ':' || e.canonical FROM mentions m JOIN entities e"
      " ON e.id = m.entity_id WHERE m.document_id = ?1 ORDER BY m.begin, m.end DESC",
      {doc}, [&](const auto&, const auto& row) {
        marks.push_back({static_cast<uint32_t>(std::get<int64_t>(row[0])),
                         static_cast<uint32_t>(std::get<int64_t>(row[1])), TextOf(row[2])});
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
        if (TextOf(row[3]) == "boilerplate") {
          std::string line = "[boilerplate: " + TextOf(row[4]) + "] " + std::string(span.Of(text));
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
                    const std::string& polarity, RowPrinter* out) {
  return PrintQuery(store,
                    "SELECT COALESCE(NULLIF(date, ''), published) AS date, actor, speaker, policy,"
                    " polarity, round(confidence, 2) AS confidence, path AS document, evidence"
                    " FROM stance_evidence"
                    " WHERE (?1 = '' OR actor = ?1) AND (?2 = '' OR policy = ?2)"
                    " AND (?3 = '' OR polarity = ?3)"
                    " ORDER BY date IS NULL, date, actor, policy, path",
                    {actor, policy, polarity}, out);
}

}  // namespace stancetrack
