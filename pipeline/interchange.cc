#include "pipeline/interchange.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "pipeline/duplicates.h"

namespace stancetrack {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kVersionKey = "stancetrack_record";

// Paragraph kinds as records name them (the names the store uses too).
constexpr BlockKind kBlockKinds[] = {BlockKind::kBody, BlockKind::kTitle, BlockKind::kBoilerplate};
std::string_view BlockKindName(BlockKind kind) {
  static constexpr std::string_view kNames[] = {"body", "title", "boilerplate"};
  return kNames[static_cast<size_t>(kind)];
}
constexpr EntityType kEntityTypes[] = {EntityType::kCompany, EntityType::kOrganization,
                                       EntityType::kPerson, EntityType::kCountry,
                                       EntityType::kPolicy};
constexpr Polarity kPolarities[] = {Polarity::kSupport, Polarity::kOppose, Polarity::kMixed};

// ---------------------------------------------------------------------------------------------
// Writing

void PutSpan(OrderedJson* o, Span span) {
  (*o)["begin"] = span.begin;
  (*o)["end"] = span.end;
}

OrderedJson DocumentFields(const StoredDocument& stored) {
  const Document& doc = stored.doc;
  OrderedJson r;
  r[kVersionKey] = kInterchangeVersion;
  r["doc"] = doc.id;
  r["source_path"] = doc.source_path;
  r["content_hash"] = stored.content_hash;
  r["encoding"] = doc.encoding;
  r["language"] = doc.language;
  r["published"] = stored.annotations.published;
  r["meta"] = {{"title", doc.meta.title},         {"url", doc.meta.url},
               {"published", doc.meta.published}, {"source", doc.meta.source},
               {"language", doc.meta.language},   {"author", doc.meta.author}};
  // Most articles need no normalization: then the original would repeat the text whole.
  r["original"] = doc.original == doc.text ? OrderedJson() : OrderedJson(doc.original);
  r["text"] = doc.text;
  r["warnings"] = doc.warnings;
  OrderedJson& paragraphs = r["paragraphs"] = OrderedJson::array();
  for (const Paragraph& p : doc.paragraphs) {
    OrderedJson o;
    PutSpan(&o, p.span);
    o["kind"] = BlockKindName(p.kind);
    o["reason"] = p.reason;
    o["language"] = p.language;
    paragraphs.push_back(std::move(o));
  }
  OrderedJson& sentences = r["sentences"] = OrderedJson::array();
  for (const Sentence& s : doc.sentences) {
    OrderedJson o;
    PutSpan(&o, s.span);
    o["paragraph"] = s.paragraph;
    sentences.push_back(std::move(o));
  }
  return r;
}

void AddAnnotations(const StoredDocument& stored, OrderedJson* r) {
  const Annotations& a = stored.annotations;
  OrderedJson& mentions = (*r)["mentions"] = OrderedJson::array();
  for (const Mention& m : a.mentions) {
    OrderedJson o = {
        {"type", EntityTypeName(m.type)}, {"canonical", m.canonical}, {"sentence", m.sentence}};
    PutSpan(&o, m.span);
    o["discovered"] = m.discovered;
    o["confidence"] = static_cast<double>(m.confidence);
    mentions.push_back(std::move(o));
  }
  OrderedJson& quotes = (*r)["quotes"] = OrderedJson::array();
  for (const Quote& q : a.quotes) {
    OrderedJson o = {{"sentence", q.sentence}};
    PutSpan(&o, q.span);
    o["speaker"] = q.speaker;
    o["speaker_org"] = q.speaker_org;
    quotes.push_back(std::move(o));
  }
  OrderedJson& tiers = (*r)["tiers"] = OrderedJson::array();
  for (const TierAssertion& t : a.tiers) {
    OrderedJson o = {{"country", t.country},
                     {"tier", t.tier},
                     {"reference_tier", t.reference_tier},
                     {"sentence", t.sentence}};
    PutSpan(&o, t.span);
    tiers.push_back(std::move(o));
  }
  OrderedJson& stances = (*r)["stances"] = OrderedJson::array();
  for (const Stance& s : a.stances) {
    stances.push_back({{"actor", s.actor},
                       {"speaker", s.speaker},
                       {"policy", s.policy},
                       {"polarity", PolarityName(s.polarity)},
                       {"confidence", static_cast<double>(s.confidence)},
                       {"sentence", s.sentence},
                       {"date", s.date},
                       {"country", s.country}});
  }
  OrderedJson& dates = (*r)["dates"] = OrderedJson::array();
  for (const DateMention& d : a.dates) {
    OrderedJson o = {{"sentence", d.sentence}};
    PutSpan(&o, d.span);
    o["date"] = d.date;
    o["relative"] = d.relative;
    dates.push_back(std::move(o));
  }
  (*r)["signature"] = stored.signature;
}

// The first top-level field whose value cannot be written as strict UTF-8 JSON.
std::string UnwritableField(const OrderedJson& record) {
  for (const auto& [key, value] : record.items()) {
    try {
      (void)value.dump();
    } catch (const OrderedJson::exception&) {
      return key;
    }
  }
  return "record";
}

// ---------------------------------------------------------------------------------------------
// Reading

// Where a value sits in the record, for messages: "text", "meta.title", "mentions[2].end".
struct Place {
  std::string_view list;  // "" at the top level
  size_t index = std::string_view::npos;

  std::string Of(std::string_view key) const {
    std::string out(list);
    if (index != std::string_view::npos) out += "[" + std::to_string(index) + "]";
    if (!out.empty() && !key.empty()) out += ".";
    return out + std::string(key);
  }
};

bool OnCharBoundary(std::string_view text, uint64_t offset) {
  return offset >= text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

// Reads fields of one record and keeps the first error: after it, every read returns a default
// and the caller checks ok() once per element.
class Validator {
 public:
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  void Fail(const Place& place, std::string_view key, const std::string& what) {
    if (ok()) status_ = Status::InvalidArgument(place.Of(key) + ": " + what);
  }

  // obj[key], or null (and an error) when obj is not an object or the key is missing.
  Json* Field(Json& obj, const Place& place, std::string_view key) {
    if (!ok()) return nullptr;
    if (!obj.is_object()) {
      Fail(place, "", std::string("expected an object, got ") + obj.type_name());
      return nullptr;
    }
    auto it = obj.find(key);
    if (it == obj.end()) {
      Fail(place, key, "missing");
      return nullptr;
    }
    return &*it;
  }

  // Moves the string out of the record.
  std::string String(Json& obj, const Place& place, std::string_view key) {
    Json* v = Field(obj, place, key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      Wrong(place, key, "a string", *v);
      return {};
    }
    return std::move(v->get_ref<std::string&>());
  }

  // The same for a field a record of an older build may lack: "" then.
  std::string StringIfAny(Json& obj, const Place& place, std::string_view key) {
    if (!ok() || !obj.is_object() || !obj.contains(key)) return {};
    return String(obj, place, key);
  }

  bool Bool(Json& obj, const Place& place, std::string_view key) {
    Json* v = Field(obj, place, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) Wrong(place, key, "true or false", *v);
    return ok() && v->get<bool>();
  }

  // A non-negative integer no larger than `max`; `range` says what a larger one is not.
  uint64_t Unsigned(Json& obj, const Place& place, std::string_view key, uint64_t max,
                    const std::string& range) {
    Json* v = Field(obj, place, key);
    return v == nullptr ? 0 : UnsignedValue(*v, place, key, max, range);
  }
  uint64_t UnsignedValue(const Json& v, const Place& place, std::string_view key, uint64_t max,
                         const std::string& range) {
    if (!v.is_number_unsigned()) {
      Wrong(place, key, "a non-negative integer", v);
      return 0;
    }
    const uint64_t n = v.get<uint64_t>();
    if (n > max) Fail(place, key, std::to_string(n) + " " + range);
    return ok() ? n : 0;
  }

  // An index into a list of `count` `items`.
  uint32_t Index(Json& obj, const Place& place, std::string_view key, size_t count,
                 std::string_view items) {
    const std::string range =
        "is not an index into the " + std::to_string(count) + " " + std::string(items);
    if (count == 0) {
      Field(obj, place, key);
      Fail(place, key, "there are no " + std::string(items));
      return 0;
    }
    return static_cast<uint32_t>(Unsigned(obj, place, key, count - 1, range));
  }

  // A confidence: a number from 0 to 1.
  float Confidence(Json& obj, const Place& place, std::string_view key) {
    Json* v = Field(obj, place, key);
    if (v == nullptr) return 0;
    if (!v->is_number()) {
      Wrong(place, key, "a number", *v);
      return 0;
    }
    const double x = v->get<double>();
    if (!(x >= 0 && x <= 1)) Fail(place, key, v->dump() + " is not between 0 and 1");
    return ok() ? static_cast<float>(x) : 0.0f;
  }

  // "begin" and "end": a span of `text` on character boundaries.
  Span SpanIn(Json& obj, const Place& place, std::string_view text) {
    const std::string past =
        "is past the end of the text (" + std::to_string(text.size()) + " bytes)";
    const uint64_t begin = Unsigned(obj, place, "begin", text.size(), past);
    const uint64_t end = Unsigned(obj, place, "end", text.size(), past);
    if (ok() && begin > end) {
      Fail(place, "end", std::to_string(end) + " is before begin " + std::to_string(begin));
    }
    for (auto [key, offset] : {std::pair{"begin", begin}, std::pair{"end", end}}) {
      if (ok() && !OnCharBoundary(text, offset)) {
        Fail(place, key, std::to_string(offset) + " is inside a UTF-8 character");
      }
    }
    return ok() ? Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)} : Span{};
  }

  // One of `names` (by position), as the value of an enum.
  template <typename Enum, size_t N, typename NameOf>
  Enum OneOf(Json& obj, const Place& place, std::string_view key, const Enum (&values)[N],
             NameOf name_of) {
    const std::string name = String(obj, place, key);
    std::string known;
    for (const Enum& value : values) {
      if (name == name_of(value)) return value;
      known += (known.empty() ? "" : ", ") + std::string(name_of(value));
    }
    Fail(place, key, "\"" + name + "\" is not one of " + known);
    return values[0];
  }

  // obj[key] as an array (null and an error when it is not one).
  Json* Array(Json& obj, const Place& place, std::string_view key) {
    Json* v = Field(obj, place, key);
    if (v == nullptr || v->is_array()) return v;
    Wrong(place, key, "an array", *v);
    return nullptr;
  }

 private:
  void Wrong(const Place& place, std::string_view key, std::string_view expected, const Json& got) {
    Fail(place, key, "expected " + std::string(expected) + ", got " + Describe(got));
  }
  static std::string Describe(const Json& v) {
    if (v.is_number()) return v.dump();  // -3, 1.5, 1e+20: the number says what is wrong
    return v.type_name();
  }

  Status status_;
};

// Calls `read(element, place)` for each element of record[key] while the record is valid.
template <typename Read>
void ForEach(Validator* v, Json& record, std::string_view key, Read read) {
  Json* list = v->Array(record, {}, key);
  if (list == nullptr) return;
  for (size_t i = 0; i < list->size() && v->ok(); ++i) read((*list)[i], Place{key, i});
}

void ReadMeta(Validator* v, Json& record, Metadata* meta) {
  Json* object = v->Field(record, {}, "meta");
  if (object == nullptr) return;
  const Place place{"meta"};
  meta->title = v->String(*object, place, "title");
  meta->url = v->String(*object, place, "url");
  meta->published = v->String(*object, place, "published");
  meta->source = v->String(*object, place, "source");
  meta->language = v->String(*object, place, "language");
  meta->author = v->String(*object, place, "author");
}

void ReadSegments(Validator* v, Json& record, Document* doc) {
  ForEach(v, record, "warnings", [&](Json& warning, const Place& place) {
    if (!warning.is_string()) v->Fail(place, "", "expected a string");
    if (v->ok()) doc->warnings.push_back(std::move(warning.get_ref<std::string&>()));
  });
  ForEach(v, record, "paragraphs", [&](Json& o, const Place& place) {
    Paragraph p;
    p.span = v->SpanIn(o, place, doc->text);
    p.kind = v->OneOf(o, place, "kind", kBlockKinds, BlockKindName);
    p.reason = v->String(o, place, "reason");
    p.language = v->String(o, place, "language");
    doc->paragraphs.push_back(std::move(p));
  });
  ForEach(v, record, "sentences", [&](Json& o, const Place& place) {
    Sentence s;
    s.span = v->SpanIn(o, place, doc->text);
    s.paragraph = v->Index(o, place, "paragraph", doc->paragraphs.size(), "paragraphs");
    doc->sentences.push_back(s);
  });
}

void ReadMentions(Validator* v, Json& record, const Document& doc, std::vector<Mention>* out) {
  ForEach(v, record, "mentions", [&](Json& o, const Place& place) {
    Mention m;
    m.type = v->OneOf(o, place, "type", kEntityTypes, EntityTypeName);
    m.canonical = v->String(o, place, "canonical");
    m.sentence = v->Index(o, place, "sentence", doc.sentences.size(), "sentences");
    m.span = v->SpanIn(o, place, doc.text);
    m.discovered = v->Bool(o, place, "discovered");
    m.confidence = v->Confidence(o, place, "confidence");
    out->push_back(std::move(m));
  });
}

void ReadClaims(Validator* v, Json& record, const Document& doc, Annotations* a) {
  const size_t sentences = doc.sentences.size();
  ForEach(v, record, "quotes", [&](Json& o, const Place& place) {
    Quote q;
    q.sentence = v->Index(o, place, "sentence", sentences, "sentences");
    q.span = v->SpanIn(o, place, doc.text);
    q.speaker = v->String(o, place, "speaker");
    q.speaker_org = v->String(o, place, "speaker_org");
    a->quotes.push_back(std::move(q));
  });
  ForEach(v, record, "tiers", [&](Json& o, const Place& place) {
    TierAssertion t;
    t.country = v->String(o, place, "country");
    t.tier = static_cast<int>(v->Unsigned(o, place, "tier", 3, "is not a tier (1, 2 or 3)"));
    if (v->ok() && t.tier == 0) v->Fail(place, "tier", "0 is not a tier (1, 2 or 3)");
    t.reference_tier = static_cast<int>(
        v->Unsigned(o, place, "reference_tier", 3, "is not a tier (0 for none, 1, 2 or 3)"));
    t.sentence = v->Index(o, place, "sentence", sentences, "sentences");
    t.span = v->SpanIn(o, place, doc.text);
    a->tiers.push_back(std::move(t));
  });
  ForEach(v, record, "stances", [&](Json& o, const Place& place) {
    Stance s;
    s.actor = v->String(o, place, "actor");
    s.speaker = v->String(o, place, "speaker");
    s.policy = v->String(o, place, "policy");
    s.polarity = v->OneOf(o, place, "polarity", kPolarities, PolarityName);
    s.confidence = v->Confidence(o, place, "confidence");
    s.sentence = v->Index(o, place, "sentence", sentences, "sentences");
    s.date = v->String(o, place, "date");
    s.country = v->StringIfAny(o, place, "country");
    a->stances.push_back(std::move(s));
  });
  ForEach(v, record, "dates", [&](Json& o, const Place& place) {
    DateMention d;
    d.sentence = v->Index(o, place, "sentence", sentences, "sentences");
    d.span = v->SpanIn(o, place, doc.text);
    d.date = v->String(o, place, "date");
    d.relative = v->Bool(o, place, "relative");
    a->dates.push_back(std::move(d));
  });
}

void ReadSignature(Validator* v, Json& record, std::vector<uint32_t>* signature) {
  Json* list = v->Array(record, {}, "signature");
  if (list == nullptr) return;
  if (!list->empty() && list->size() != kSignatureSize) {
    v->Fail({}, "signature",
            "expected " + std::to_string(kSignatureSize) + " values or none, got " +
                std::to_string(list->size()) + " (made with other near-duplicate rules?)");
  }
  for (size_t i = 0; i < list->size() && v->ok(); ++i) {
    const uint64_t value =
        v->UnsignedValue((*list)[i], {"signature", i}, "", UINT32_MAX, "does not fit in 32 bits");
    signature->push_back(static_cast<uint32_t>(value));
  }
}

StatusOr<InterchangeRecord> ReadDocument(Json& record) {
  Validator v;
  StoredDocument stored;
  Document& doc = stored.doc;
  doc.id = v.String(record, {}, "doc");
  if (v.ok() && doc.id.empty()) v.Fail({}, "doc", "empty");
  doc.source_path = v.String(record, {}, "source_path");
  stored.content_hash = v.String(record, {}, "content_hash");
  doc.encoding = v.String(record, {}, "encoding");
  doc.language = v.String(record, {}, "language");
  stored.annotations.published = v.String(record, {}, "published");
  ReadMeta(&v, record, &doc.meta);
  doc.text = v.String(record, {}, "text");
  Json* original = v.Field(record, {}, "original");
  if (original != nullptr && original->is_null()) {
    doc.original = doc.text;
  } else if (original != nullptr && !original->is_string()) {
    v.Fail({}, "original",
           std::string("expected a string, or null for the same as text, got ") +
               original->type_name());
  } else {
    doc.original = v.String(record, {}, "original");
  }
  if (v.ok() && doc.text.size() > std::numeric_limits<uint32_t>::max()) {
    v.Fail({}, "text", "longer than offsets can address (4 GiB)");
  }
  ReadSegments(&v, record, &doc);
  ReadMentions(&v, record, doc, &stored.annotations.mentions);
  ReadClaims(&v, record, doc, &stored.annotations);
  ReadSignature(&v, record, &stored.signature);
  if (!v.ok()) return v.status().WithContext(doc.id.empty() ? "record" : doc.id);
  return InterchangeRecord(std::move(stored));
}

StatusOr<InterchangeRecord> ReadProblem(Json& record) {
  Validator v;
  Problem problem;
  problem.path = v.String(record, {}, "path");
  problem.reason = v.String(record, {}, "error");
  if (!v.ok()) return v.status();
  return InterchangeRecord(std::move(problem));
}

// The version check: what a record of another version, or not a record at all, gets told.
Status CheckVersion(const Json& record) {
  if (!record.is_object()) {
    return Status::InvalidArgument(std::string("not a stancetrack record: a JSON ") +
                                   record.type_name() + ", not an object");
  }
  auto it = record.find(kVersionKey);
  if (it == record.end()) {
    return Status::InvalidArgument(std::string("not a stancetrack record: no \"") + kVersionKey +
                                   "\" field");
  }
  if (!it->is_number_integer() || *it != kInterchangeVersion) {
    return Status::InvalidArgument(std::string(kVersionKey) + ": version " + it->dump() +
                                   " is not supported; this build reads version " +
                                   std::to_string(kInterchangeVersion) +
                                   " (extract and load with the same stancetrack release)");
  }
  return Status::Ok();
}

}  // namespace

std::string ToInterchangeJson(const StoredDocument& stored) {
  OrderedJson record = DocumentFields(stored);
  AddAnnotations(stored, &record);
  try {
    return record.dump();
  } catch (const OrderedJson::exception&) {
    record["warnings"].push_back(UnwritableField(record) +
                                 ": not valid UTF-8, written with U+FFFD");
    return record.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
  }
}

std::string ToInterchangeJson(const Problem& problem) {
  OrderedJson record = {
      {kVersionKey, kInterchangeVersion}, {"path", problem.path}, {"error", problem.reason}};
  return record.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

StatusOr<InterchangeRecord> FromInterchangeJson(std::string_view line) {
  Json record;
  try {
    record = Json::parse(line);
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  ST_RETURN_IF_ERROR(CheckVersion(record));
  return record.contains("error") ? ReadProblem(record) : ReadDocument(record);
}

}  // namespace stancetrack
