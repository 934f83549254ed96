#include "pipeline/export.h"

#include <algorithm>
#include <array>
#include <future>
#include <nlohmann/json.hpp>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

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

// Documents are exported in batches, in path order: each kind of annotation is read for a whole
// batch in one query (the batch's ids as a JSON array), where one query per kind and document
// took most of an export's time. A batch is at most kBatchDocuments documents and, unless it
// holds one, kBatchTextBytes of their text, so memory stays flat.
constexpr size_t kBatchDocuments = 256;
constexpr size_t kBatchTextBytes = 8u << 20;

// The entity types a record lists, and the record's key for each.
struct NameKind {
  const char* type;
  const char* key;
};
constexpr std::array<NameKind, 4> kNameKinds = {{{"company", "companies"},
                                                 {"organization", "organizations"},
                                                 {"person", "people"},
                                                 {"country", "countries"}}};

// A mention of an entity a record lists: the index of its type in kNameKinds, where it begins,
// its canonical name.
struct NameMention {
  size_t kind;
  int64_t begin;
  std::string canonical;
};

// A document's row, and the annotations its record lists.
struct Exported {
  int64_t id = 0;
  std::string path;
  Value published, language, duplicate_of;
  std::string text;
  std::vector<NameMention> names;
  Json tiers = Json::array();
  std::vector<Stance> stances;
  std::vector<std::pair<uint32_t, std::string>> evidence;  // sentence index -> its text
};

// Each reads a batch's documents from ?1, a JSON array of ids. CROSS JOIN keeps the batch the
// outer loop: the planner cannot count its ids, and on a database where every document names the
// same entities it chose to walk all their mentions and look each one up in the batch.

// The mentions of the entities a record lists. A discovered name is listed only from
// kMinListedConfidence up (discovery.h); the store keeps every mention. Grouped in ListedNames:
// grouping and ordering them here took two temporary B-trees and most of an export's time.
constexpr const char* kEntityNamesSql =
    "SELECT m.document_id, e.type, e.canonical, m.begin FROM json_each(?1) j"
    " CROSS JOIN mentions m ON m.document_id = j.value JOIN entities e ON e.id = m.entity_id"
    " WHERE e.type IN ('company', 'organization', 'person', 'country')"
    " AND (m.discovered = 0 OR m.confidence >= ?2)";

constexpr const char* kTiersSql =
    "SELECT t.document_id, t.country, t.tier FROM json_each(?1) j"
    " CROSS JOIN tier_assertions t ON t.document_id = j.value"
    " GROUP BY t.document_id, t.country, t.tier ORDER BY t.document_id, MIN(t.begin), t.country";

constexpr const char* kStancesSql =
    "SELECT st.document_id, st.actor, st.speaker, st.policy, st.polarity, st.confidence,"
    " st.sentence, st.date, s.begin, s.end, st.country FROM json_each(?1) j"
    " CROSS JOIN stances st ON st.document_id = j.value"
    " JOIN sentences s ON s.document_id = st.document_id AND s.idx = st.sentence"
    " ORDER BY st.document_id, st.sentence, st.actor, st.policy";

Polarity PolarityOf(const std::string& name) {
  if (name == "oppose") return Polarity::kOppose;
  if (name == "mixed") return Polarity::kMixed;
  return Polarity::kSupport;
}

size_t NameKindOf(const std::string& type) {
  size_t kind = 0;
  while (kind + 1 < kNameKinds.size() && type != kNameKinds[kind].type) ++kind;
  return kind;
}

// Each kind's distinct names in order of first mention, then by name.
std::array<Json, kNameKinds.size()> ListedNames(std::vector<NameMention> names) {
  std::sort(names.begin(), names.end(), [](const NameMention& a, const NameMention& b) {
    return std::tie(a.kind, a.canonical, a.begin) < std::tie(b.kind, b.canonical, b.begin);
  });
  names.erase(std::unique(names.begin(), names.end(),
                          [](const NameMention& a, const NameMention& b) {
                            return a.kind == b.kind && a.canonical == b.canonical;
                          }),
              names.end());  // each name's first mention is left
  std::sort(names.begin(), names.end(), [](const NameMention& a, const NameMention& b) {
    return std::tie(a.kind, a.begin, a.canonical) < std::tie(b.kind, b.begin, b.canonical);
  });
  std::array<Json, kNameKinds.size()> listed;
  listed.fill(Json::array());
  for (NameMention& name : names) listed[name.kind].push_back(std::move(name.canonical));
  return listed;
}

// Reads the annotations of the batch's documents into them.
Status ReadAnnotations(const Store& store, std::vector<Exported>* batch) {
  std::unordered_map<int64_t, Exported*> by_id;
  std::string ids = "[";
  for (Exported& doc : *batch) {
    by_id.emplace(doc.id, &doc);
    ids += std::to_string(doc.id) + ",";
  }
  ids.back() = ']';
  ST_RETURN_IF_ERROR(store.Query(kEntityNamesSql, {ids, static_cast<double>(kMinListedConfidence)},
                                 [&](const auto&, const std::vector<Value>& row) {
                                   by_id.at(IntOf(row[0]))
                                       ->names.push_back({NameKindOf(TextOf(row[1])), IntOf(row[3]),
                                                          TextOf(row[2])});
                                   return true;
                                 }));
  ST_RETURN_IF_ERROR(store.Query(kTiersSql, {ids}, [&](const auto&, const auto& row) {
    by_id.at(IntOf(row[0]))
        ->tiers.push_back({{"country", TextOf(row[1])}, {"tier", IntOf(row[2])}});
    return true;
  }));
  return store.Query(kStancesSql, {ids}, [&](const auto&, const std::vector<Value>& row) {
    Exported& doc = *by_id.at(IntOf(row[0]));
    Stance s{TextOf(row[1]),
             TextOf(row[2]),
             TextOf(row[3]),
             PolarityOf(TextOf(row[4])),
             static_cast<float>(std::get_if<double>(&row[5]) ? std::get<double>(row[5]) : 0),
             static_cast<uint32_t>(IntOf(row[6])),
             TextOf(row[7]),
             TextOf(row[10])};
    Span span{static_cast<uint32_t>(IntOf(row[8])), static_cast<uint32_t>(IntOf(row[9]))};
    doc.evidence.emplace_back(s.sentence, std::string(span.Of(doc.text)));
    doc.stances.push_back(std::move(s));
    return true;
  });
}

// The stored stances of a document, aggregated per actor and policy, with evidence sentences.
Json Stances(const Exported& doc) {
  auto evidence_of = [&](uint32_t sentence) {
    for (const auto& [index, words] : doc.evidence) {
      if (index == sentence) return words;
    }
    return std::string();
  };
  Json out = Json::array();
  for (const Stance& s : AggregateStances(doc.stances)) {
    out.push_back({{"actor", s.actor},
                   {"speaker", s.speaker.empty() ? Json(nullptr) : Json(s.speaker)},
                   {"policy", s.policy},
                   {"polarity", std::string(PolarityName(s.polarity))},
                   {"evidence", evidence_of(s.sentence)}});
  }
  return out;
}

Json Record(Exported* doc) {
  Json record = {{"doc", doc->path},
                 {"published", TextOrNull(doc->published)},
                 {"language", TextOrNull(doc->language)}};
  std::array<Json, kNameKinds.size()> names = ListedNames(std::move(doc->names));
  for (size_t kind = 0; kind < kNameKinds.size(); ++kind) {
    record[kNameKinds[kind].key] = std::move(names[kind]);
  }
  record["tiers"] = std::move(doc->tiers);
  record["stances"] = Stances(*doc);
  record["duplicate_of"] = TextOrNull(doc->duplicate_of);
  return record;
}

// Builds and writes the records of one batch at a time on a thread of its own, while the next
// batch is read: building and serializing the JSON is a third of an export's time.
class RecordWriter {
 public:
  explicit RecordWriter(std::ostream* out) : out_(out) {}
  ~RecordWriter() { Wait(); }

  // Writes the batch's records after those of the batch before.
  void Write(std::vector<Exported> batch) {
    Wait();
    pending_ = std::async(std::launch::async, [this, batch = std::move(batch)]() mutable {
      for (Exported& doc : batch) {
        *out_ << Record(&doc).dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
      }
    });
  }

  // Returns once every batch given is written.
  void Wait() {
    if (pending_.valid()) pending_.get();
  }

 private:
  std::ostream* out_;
  std::future<void> pending_;
};

// Reads the batch's annotations and hands it to the writer; empties it.
Status WriteBatch(const Store& store, std::vector<Exported>* batch, RecordWriter* writer) {
  if (batch->empty()) return Status::Ok();
  ST_RETURN_IF_ERROR(ReadAnnotations(store, batch));
  writer->Write(std::move(*batch));
  batch->clear();
  return Status::Ok();
}

}  // namespace

StatusOr<size_t> ExportDocuments(const Store& store, const std::string& policy, std::ostream* out) {
  size_t written = 0, text_bytes = 0;
  std::vector<Exported> batch;
  RecordWriter writer(out);
  Status inner;
  Status status = store.InReadSnapshot([&] {
    ST_RETURN_IF_ERROR(store.Query(
        "SELECT id, path, published, language, duplicate_of, text FROM documents"
        " WHERE ?1 = '' OR id IN (SELECT document_id FROM stances WHERE policy = ?1"
        " UNION SELECT m.document_id FROM entities e JOIN mentions m ON m.entity_id = e.id"
        " WHERE e.type = 'policy' AND e.canonical = ?1)"
        " ORDER BY path",
        {policy}, [&](const auto&, const std::vector<Value>& row) {
          Exported& doc = batch.emplace_back();
          doc.id = IntOf(row[0]);
          doc.path = TextOf(row[1]);
          doc.published = row[2];
          doc.language = row[3];
          doc.duplicate_of = row[4];
          doc.text = TextOf(row[5]);
          text_bytes += doc.text.size();
          if (batch.size() < kBatchDocuments && text_bytes < kBatchTextBytes) return true;
          written += batch.size();
          text_bytes = 0;
          inner = WriteBatch(store, &batch, &writer);
          return inner.ok();
        }));
    ST_RETURN_IF_ERROR(inner);
    written += batch.size();
    return WriteBatch(store, &batch, &writer);
  });
  writer.Wait();
  ST_RETURN_IF_ERROR(status);
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
