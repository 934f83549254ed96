#include "pipeline/export.h"

#include <nlohmann/json.hpp>
#include <set>

#include "extractors/discovery.h"
#include "extractors/stance.h"
#include "pipeline/output.h"

namespace stancetrack {
namespace {

using Json = nlohmann::json;

Json TextOrNull(const Value& v) {
  const std::string* s = std::get_if<std::string>(&v);
  return s && !s->empty() ? Json(*s) : Json(nullptr);
}

// Distinct canonical names of one entity type, in order of first mention. A discovered name
// is listed only from kMinListedConfidence up (discovery.h); the store keeps every mention.
StatusOr<Json> EntityNames(const Store& store, int64_t doc, std::string_view type) {
  Json names = Json::array();
  Status status = store.Query(
      "SELECT e.canonical FROM mentions m JOIN entities e ON e.id = m.entity_id"
      " WHERE m.document_id = ?1 AND e.type = ?2 AND (m.discovered = 0 OR m.confidence >= ?3)"
      " GROUP BY e.canonical ORDER BY MIN(m.begin), e.canonical",
      {doc, std::string(type), static_cast<double>(kMinListedConfidence)},
      [&](const auto&, const std::vector<Value>& row) {
        names.push_back(TextOf(row[0]));
        return true;
      });
  if (!status.ok()) return status;
  return names;
}

StatusOr<Json> Tiers(const Store& store, int64_t doc) {
  Json tiers = Json::array();
  Status status = store.Query(
      "SELECT country, tier FROM tier_assertions WHERE document_id = ?1"
      " GROUP BY country, tier ORDER BY MIN(begin), country",
      {doc}, [&](const auto&, const std::vector<Value>& row) {
        tiers.push_back({{"country", TextOf(row[0])}, {"tier", IntOf(row[1])}});
        return true;
      });
  if (!status.ok()) return status;
  return tiers;
}

Polarity PolarityOf(const std::string& name) {
  if (name == "oppose") return Polarity::kOppose;
  if (name == "mixed") return Polarity::kMixed;
  return Polarity::kSupport;
}

// The stored stances of a document, aggregated per actor and policy, with evidence sentences.
StatusOr<Json> Stances(const Store& store, int64_t doc, const std::string& text) {
  std::vector<Stance> stances;
  std::vector<std::pair<uint32_t, std::string>> evidence;  // sentence index -> its text
  Status status = store.Query(
      "SELECT st.actor, st.speaker, st.policy, st.polarity, st.confidence, st.sentence,"
      " st.date, s.begin, s.end FROM stances st"
      " JOIN sentences s ON s.document_id = st.document_id AND s.idx = st.sentence"
      " WHERE st.document_id = ?1 ORDER BY st.sentence, st.actor, st.policy",
      {doc}, [&](const auto&, const std::vector<Value>& row) {
        Stance s{TextOf(row[0]),
                 TextOf(row[1]),
                 TextOf(row[2]),
                 PolarityOf(TextOf(row[3])),
                 static_cast<float>(std::get_if<double>(&row[4]) ? std::get<double>(row[4]) : 0),
                 static_cast<uint32_t>(IntOf(row[5])),
                 TextOf(row[6])};
        Span span{static_cast<uint32_t>(IntOf(row[7])), static_cast<uint32_t>(IntOf(row[8]))};
        evidence.emplace_back(s.sentence, std::string(span.Of(text)));
        stances.push_back(std::move(s));
        return true;
      });
  if (!status.ok()) return status;
  auto evidence_of = [&](uint32_t sentence) {
    for (const auto& [index, words] : evidence) {
      if (index == sentence) return words;
    }
    return std::string();
  };
  Json out = Json::array();
  for (const Stance& s : AggregateStances(stances)) {
    out.push_back({{"actor", s.actor},
                   {"speaker", s.speaker.empty() ? Json(nullptr) : Json(s.speaker)},
                   {"policy", s.policy},
                   {"polarity", std::string(PolarityName(s.polarity))},
                   {"evidence", evidence_of(s.sentence)}});
  }
  return out;
}

// The record of one document (all but the fields read from the documents row itself).
Status AddAnnotations(const Store& store, int64_t doc, const std::string& text, Json* record) {
  static constexpr std::pair<const char*, const char*> kEntityFields[] = {
      {"companies", "company"},
      {"organizations", "organization"},
      {"people", "person"},
      {"countries", "country"}};
  for (const auto& [field, type] : kEntityFields) {
    StatusOr<Json> names = EntityNames(store, doc, type);
    if (!names.ok()) return names.status();
    (*record)[field] = std::move(*names);
  }
  StatusOr<Json> tiers = Tiers(store, doc);
  if (!tiers.ok()) return tiers.status();
  (*record)["tiers"] = std::move(*tiers);
  StatusOr<Json> stances = Stances(store, doc, text);
  if (!stances.ok()) return stances.status();
  (*record)["stances"] = std::move(*stances);
  return Status::Ok();
}

}  // namespace

StatusOr<size_t> ExportDocuments(const Store& store, const std::string& policy, std::ostream* out) {
  // One document at a time (SQLite allows the nested statements), so memory stays flat.
  size_t written = 0;
  Status inner;
  Status status = store.Query(
      "SELECT id, path, published, language, duplicate_of, text FROM documents"
      " WHERE ?1 = '' OR id IN (SELECT document_id FROM stances WHERE policy = ?1"
      " UNION SELECT m.document_id FROM entities e JOIN mentions m ON m.entity_id = e.id"
      " WHERE e.type = 'policy' AND e.canonical = ?1)"
      " ORDER BY path",
      {policy}, [&](const auto&, const std::vector<Value>& row) {
        Json record = {{"doc", TextOf(row[1])},
                       {"published", TextOrNull(row[2])},
                       {"language", TextOrNull(row[3])}};
        inner = AddAnnotations(store, IntOf(row[0]), TextOf(row[5]), &record);
        if (!inner.ok()) return false;
        record["duplicate_of"] = TextOrNull(row[4]);
        *out << record.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
        ++written;
        return true;
      });
  ST_RETURN_IF_ERROR(status);
  ST_RETURN_IF_ERROR(inner);
  return written;
}

StatusOr<size_t> ExportDnaStatements(const Store& store, const std::string& policy,
                                     std::ostream* out) {
  RowPrinter csv(OutputFormat::kCsv, out);
  Status status = store.Query(
      "WITH agreements(polarity, agreement) AS (VALUES ('support', 1), ('oppose', 0),"
      " ('mixed', 1), ('mixed', 0))"
      " SELECT COALESCE(NULLIF(v.date, ''), v.published, '') AS date, v.actor,"
      " COALESCE(v.speaker, '') AS speaker, v.policy AS concept, a.agreement,"
      " v.path AS document, COALESCE(d.duplicate_of, '') AS duplicate_of,"
      " COALESCE(v.evidence, '') AS evidence, v.stance_id"
      " FROM stance_evidence v JOIN agreements a ON a.polarity = v.polarity"
      " JOIN documents d ON d.path = v.path WHERE ?1 = '' OR v.policy = ?1"
      " ORDER BY date, v.actor, v.policy, v.path, v.stance_id, a.agreement DESC",
      {policy}, [&](const auto& columns, const std::vector<Value>& row) {
        csv.Add(columns, row);
        return true;
      });
  ST_RETURN_IF_ERROR(status);
  csv.Finish({"date", "actor", "speaker", "concept", "agreement", "document", "duplicate_of",
              "evidence", "stance_id"});
  return csv.rows();
}

}  // namespace stancetrack
