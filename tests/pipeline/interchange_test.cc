// Interchange records: a processed document survives the trip through JSON exactly (the store
// and the export cannot tell it from the original), and every malformed or hostile record is
// refused with a message that names the field.
#include "pipeline/interchange.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/duplicates.h"
#include "pipeline/export.h"
#include "pipeline/run_pipeline.h"
#include "tests/pipeline/shipped_resources.h"
#include "tests/pipeline/stored_document_builder.h"

namespace stancetrack::testing {
namespace {

using Json = nlohmann::json;

// ---- round trip of real pipeline output ------------------------------------------------------

const char kPolicyArticle[] =
    "---\ntitle: Chip designers push back on export tiers\npublished: 2025-01-16\n"
    "source: Harbour Ledger\nauthor: Dana Whitfield\n---\n"
    "Nvidia on Wednesday criticised the AI Diffusion Rule issued by the Commerce Department, "
    "saying the three-tier system would hand markets to rivals.\n\n"
    "\"This rule is a mistake that will weaken American leadership,\" said Ned Finley, a vice "
    "president at Nvidia.\n\n"
    "The rule places India and Poland in the second tier, with caps on the number of chips "
    "they may import, while China stays locked out.\n\n"
    "The Semiconductor Industry Association said on January 14 it was disappointed by the "
    "rule.\n\n"
    "Subscribe to our newsletter for more stories like this.\n";
const char kChineseArticle[] =
    "---\ntitle: 美国收紧芯片出口\npublished: 2025-01-15\nlanguage: zh\n---\n"
    "美国商务部周一公布人工智能扩散规则，将印度列入第二层级，中国则被禁止获得先进芯片。"
    "英伟达表示反对这项出口管制，称其将损害美国企业的竞争力。\n";
// Latin-1 bytes in a file that is otherwise UTF-8: decoded with a warning.
const char kLatin1Article[] =
    "Prices rose by \xa3"
    "5 after the export curbs, traders said.\n";

class InterchangeRoundTripTest : public ::testing::Test {
 protected:
  // The article as the ingest workers leave it.
  static StoredDocument Process(const std::string& id, const std::string& bytes) {
    const SourceFile file{"in/" + id, id};
    StatusOr<Document> doc = ParseItem(file, {id, ContentHash(bytes), bytes});
    EXPECT_TRUE(doc.ok()) << doc.status().message();
    return ProcessDocument(std::move(doc).value(), ContentHash(bytes),
                           *testing::ShippedResources());
  }

  static StoredDocument ThroughJson(const StoredDocument& stored) {
    StatusOr<InterchangeRecord> back = FromInterchangeJson(ToInterchangeJson(stored));
    EXPECT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(std::holds_alternative<StoredDocument>(*back));
    return std::get<StoredDocument>(std::move(*back));
  }
};

// Every row a Store keeps of its documents, one line per row, and the export.
std::string StoredRows(const std::vector<StoredDocument>& documents) {
  StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", Store::Mode::kReadWrite);
  EXPECT_TRUE(store.ok());
  EXPECT_TRUE((*store)->Write(*(*store)->BeginRun("test"), documents).ok());
  std::ostringstream rows;
  for (const char* table :
       {"documents", "document_warnings", "paragraphs", "sentences", "entities", "mentions",
        "quotes", "tier_assertions", "stances", "document_signatures"}) {
    Status status = (*store)->Query(std::string("SELECT * FROM ") + table, {},
                                    [&](const auto&, const std::vector<Value>& row) {
                                      rows << table;
                                      for (const Value& v : row) {
                                        rows << "|" << TextOf(v) << IntOf(v);
                                        if (const double* d = std::get_if<double>(&v)) rows << *d;
                                      }
                                      rows << "\n";
                                      return true;
                                    });
    EXPECT_TRUE(status.ok()) << status.message();
  }
  EXPECT_TRUE(ExportDocuments(**store, "", &rows).ok());
  return rows.str();
}

TEST_F(InterchangeRoundTripTest, PipelineOutputCoversEveryKindOfAnnotation) {
  // Guards the round-trip tests below: they are only as strong as what the article yields.
  const StoredDocument stored = Process("policy.md", kPolicyArticle);
  const Annotations& a = stored.annotations;
  EXPECT_FALSE(a.mentions.empty());
  EXPECT_FALSE(a.quotes.empty());
  EXPECT_FALSE(a.tiers.empty());
  EXPECT_FALSE(a.stances.empty());
  EXPECT_FALSE(a.dates.empty());
  EXPECT_EQ(stored.signature.size(), kSignatureSize);
  EXPECT_TRUE(std::any_of(stored.doc.paragraphs.begin(), stored.doc.paragraphs.end(),
                          [](const Paragraph& p) { return p.kind == BlockKind::kBoilerplate; }));
  EXPECT_FALSE(Process("latin1.txt", kLatin1Article).doc.warnings.empty());
}

TEST_F(InterchangeRoundTripTest, RecordReadBackWritesTheSameRecord) {
  for (const auto& [id, bytes] :
       {std::pair{"policy.md", kPolicyArticle}, std::pair{"zh.md", kChineseArticle},
        std::pair{"latin1.txt", kLatin1Article}}) {
    const StoredDocument stored = Process(id, bytes);
    const StoredDocument back = ThroughJson(stored);
    EXPECT_EQ(ToInterchangeJson(back), ToInterchangeJson(stored)) << id;
    EXPECT_EQ(back.doc.original, stored.doc.original) << id;
    EXPECT_EQ(back.signature, stored.signature) << id;
  }
}

TEST_F(InterchangeRoundTripTest, StoreAndExportCannotTellALoadedRecordFromTheOriginal) {
  std::vector<StoredDocument> direct, loaded;
  for (const auto& [id, bytes] :
       {std::pair{"policy.md", kPolicyArticle}, std::pair{"zh.md", kChineseArticle},
        std::pair{"latin1.txt", kLatin1Article}}) {
    direct.push_back(Process(id, bytes));
    loaded.push_back(ThroughJson(direct.back()));
  }
  const std::string rows = StoredRows(direct);
  EXPECT_NE(rows.find("stances|"), std::string::npos);  // the dump holds what it compares
  EXPECT_EQ(StoredRows(loaded), rows);
}

// ---- hand-made records -------------------------------------------------------------------------

// A small document with one of everything (114 bytes of text); "é" is bytes 53 and 54.
StoredDocument SmallDocument() {
  StoredDocument stored = MakeStoredDocument(
      "a.txt", {{BlockKind::kTitle, {"Nvidia faults chip rule"}, ""},
                {BlockKind::kBody,
                 {"Nvidia said the rule was café talk.", "India sits in tier 2 of the rule."},
                 ""},
                {BlockKind::kBoilerplate, {"Share this story."}, "share"}});
  AddMention(stored, EntityType::kCompany, "Nvidia", "Nvidia", 1, true, 0.1f);
  AddQuote(stored, "café talk", "Nvidia", "");
  AddTier(stored, "IN", 2, 2, "tier 2");
  AddStance(stored, "Nvidia", "", "ai-diffusion-rule", Polarity::kOppose, "café talk",
            "2025-01-15");
  AddStance(stored, "Department of Commerce", "", "ai-diffusion-rule", Polarity::kSupport,
            "tier 2 of the rule", "", "US");
  stored.annotations.dates.push_back({SpanOf(stored.doc, "Share"), 3, "2025-01", true});
  stored.annotations.published = "2025-01-15";
  stored.doc.warnings = {"not valid UTF-8 at byte 3, decoded as windows-1252"};
  stored.signature.assign(kSignatureSize, 7);
  stored.signature[5] = 4294967295u;
  return stored;
}

TEST(InterchangeTest, HandMadeDocumentRoundTripsFieldByField) {
  const StoredDocument stored = SmallDocument();
  StatusOr<InterchangeRecord> back = FromInterchangeJson(ToInterchangeJson(stored));
  ASSERT_TRUE(back.ok()) << back.status().message();
  const StoredDocument& b = std::get<StoredDocument>(*back);
  EXPECT_EQ(b.doc.id, "a.txt");
  EXPECT_EQ(b.doc.source_path, "articles/a.txt");
  EXPECT_EQ(b.content_hash, "hash:a.txt");
  EXPECT_EQ(b.doc.meta.title, "Nvidia faults chip rule");
  EXPECT_EQ(b.doc.text, stored.doc.text);
  EXPECT_EQ(b.doc.paragraphs[2].kind, BlockKind::kBoilerplate);
  EXPECT_EQ(b.doc.paragraphs[2].reason, "share");
  EXPECT_EQ(b.doc.sentences[2].paragraph, 1u);
  EXPECT_EQ(b.doc.sentences[2].span, stored.doc.sentences[2].span);
  ASSERT_EQ(b.annotations.mentions.size(), 1u);
  EXPECT_TRUE(b.annotations.mentions[0].discovered);
  // 0.1f has no exact decimal: the record must still give back the very same float.
  EXPECT_EQ(std::memcmp(&b.annotations.mentions[0].confidence,
                        &stored.annotations.mentions[0].confidence, sizeof(float)),
            0);
  EXPECT_EQ(b.annotations.quotes[0].span, stored.annotations.quotes[0].span);
  EXPECT_EQ(b.annotations.tiers[0].reference_tier, 2);
  EXPECT_EQ(b.annotations.stances[0].polarity, Polarity::kOppose);
  EXPECT_EQ(b.annotations.stances[0].date, "2025-01-15");
  EXPECT_EQ(b.annotations.stances[0].country, "");
  EXPECT_EQ(b.annotations.stances[1].country, "US");
  EXPECT_TRUE(b.annotations.dates[0].relative);
  EXPECT_EQ(b.annotations.published, "2025-01-15");
  EXPECT_EQ(b.doc.warnings, stored.doc.warnings);
  EXPECT_EQ(b.signature, stored.signature);
}

TEST(InterchangeTest, StanceWithoutCountryFromAnOlderBuildReadsAsNoGovernment) {
  std::string line = ToInterchangeJson(SmallDocument());
  const std::string country = R"(,"country":"US")";
  ASSERT_NE(line.find(country), std::string::npos);
  line.erase(line.find(country), country.size());
  StatusOr<InterchangeRecord> back = FromInterchangeJson(line);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(std::get<StoredDocument>(*back).annotations.stances[1].country, "");
}

TEST(InterchangeTest, DocumentWithoutSignatureOrAnnotationsRoundTrips) {
  StoredDocument stored = MakeStoredDocument("short.txt", {{BlockKind::kBody, {"Too short."}, ""}});
  StatusOr<InterchangeRecord> back = FromInterchangeJson(ToInterchangeJson(stored));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(std::get<StoredDocument>(*back).signature.empty());
  EXPECT_EQ(ToInterchangeJson(std::get<StoredDocument>(*back)), ToInterchangeJson(stored));
}

TEST(InterchangeTest, OriginalIsWrittenOnlyWhenItDiffersFromTheText) {
  StoredDocument stored = SmallDocument();
  EXPECT_NE(ToInterchangeJson(stored).find(R"("original":null,)"), std::string::npos);
  stored.doc.original = "Ｎvidia faults chip rule";  // as read, before normalization
  StatusOr<InterchangeRecord> back = FromInterchangeJson(ToInterchangeJson(stored));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(std::get<StoredDocument>(*back).doc.original, "Ｎvidia faults chip rule");
  stored.doc.original = stored.doc.text;
  back = FromInterchangeJson(ToInterchangeJson(stored));
  EXPECT_EQ(std::get<StoredDocument>(*back).doc.original, stored.doc.text);
}

TEST(InterchangeTest, RecordIsOneLineThatStartsWithTheVersion) {
  StoredDocument stored = SmallDocument();
  stored.doc.text += "\nline two";
  const std::string line = ToInterchangeJson(stored);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.rfind("{\"stancetrack_record\":1,\"doc\":\"a.txt\",", 0), 0u) << line;
}

TEST(InterchangeTest, ProblemRoundTrips) {
  const std::string line = ToInterchangeJson(Problem{"feed.jsonl#3", "not valid JSON: oops"});
  EXPECT_EQ(line,
            R"({"stancetrack_record":1,"path":"feed.jsonl#3","error":"not valid JSON: oops"})");
  StatusOr<InterchangeRecord> back = FromInterchangeJson(line);
  ASSERT_TRUE(back.ok()) << back.status().message();
  const Problem& p = std::get<Problem>(*back);
  EXPECT_EQ(p.path, "feed.jsonl#3");
  EXPECT_EQ(p.reason, "not valid JSON: oops");
}

TEST(InterchangeTest, ProblemWithInvalidUtf8PathIsStillWritten) {
  const std::string line = ToInterchangeJson(Problem{"caf\xe9.txt", "cannot open"});
  StatusOr<InterchangeRecord> back = FromInterchangeJson(line);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(std::get<Problem>(*back).path, "caf\xef\xbf\xbd.txt");
}

TEST(InterchangeTest, DocumentWithInvalidUtf8IdIsWrittenWithAWarning) {
  StoredDocument stored = SmallDocument();
  stored.doc.id = "caf\xe9.txt";  // a Latin-1 file name
  StatusOr<InterchangeRecord> back = FromInterchangeJson(ToInterchangeJson(stored));
  ASSERT_TRUE(back.ok()) << back.status().message();
  const Document& doc = std::get<StoredDocument>(*back).doc;
  EXPECT_EQ(doc.id, "caf\xef\xbf\xbd.txt");
  EXPECT_EQ(doc.warnings.back(), "doc: not valid UTF-8, written with U+FFFD");
  EXPECT_EQ(doc.text, stored.doc.text);
}

// Hadoop Streaming's text output ends a line that has no tab with one.
TEST(InterchangeTest, TrailingWhiteSpaceIsAccepted) {
  EXPECT_TRUE(FromInterchangeJson(ToInterchangeJson(SmallDocument()) + "\t\r").ok());
}

TEST(InterchangeTest, UnknownFieldsAreIgnored) {
  Json record = Json::parse(ToInterchangeJson(SmallDocument()));
  record["added_by_a_later_version"] = {{"x", 1}};
  EXPECT_TRUE(FromInterchangeJson(record.dump()).ok());
}

// ---- validation: every error, pinned -----------------------------------------------------------

struct BadRecord {
  const char* name;
  std::function<void(Json&)> mutate;
  const char* message;
};

const BadRecord kBadRecords[] = {
    {"version missing", [](Json& r) { r.erase("stancetrack_record"); },
     "not a stancetrack record: no \"stancetrack_record\" field"},
    {"version 2", [](Json& r) { r["stancetrack_record"] = 2; },
     "stancetrack_record: version 2 is not supported; this build reads version 1 (extract and "
     "load with the same stancetrack release)"},
    {"version as text", [](Json& r) { r["stancetrack_record"] = "1"; },
     "stancetrack_record: version \"1\" is not supported; this build reads version 1 (extract "
     "and load with the same stancetrack release)"},
    {"doc missing", [](Json& r) { r.erase("doc"); }, "record: doc: missing"},
    {"doc empty", [](Json& r) { r["doc"] = ""; }, "record: doc: empty"},
    {"doc a number", [](Json& r) { r["doc"] = 7; }, "record: doc: expected a string, got 7"},
    {"text null", [](Json& r) { r["text"] = nullptr; }, "a.txt: text: expected a string, got null"},
    {"original a number", [](Json& r) { r["original"] = 5; },
     "a.txt: original: expected a string, or null for the same as text, got number"},
    {"meta an array", [](Json& r) { r["meta"] = Json::array(); },
     "a.txt: meta: expected an object, got array"},
    {"meta.title missing", [](Json& r) { r["meta"].erase("title"); }, "a.txt: meta.title: missing"},
    {"warnings an object", [](Json& r) { r["warnings"] = Json::object(); },
     "a.txt: warnings: expected an array, got object"},
    {"warning a number", [](Json& r) { r["warnings"][0] = 3; },
     "a.txt: warnings[0]: expected a string"},
    {"paragraph a number", [](Json& r) { r["paragraphs"][1] = 3; },
     "a.txt: paragraphs[1]: expected an object, got number"},
    {"paragraph end past the text", [](Json& r) { r["paragraphs"][2]["end"] = 999; },
     "a.txt: paragraphs[2].end: 999 is past the end of the text (114 bytes)"},
    {"negative begin", [](Json& r) { r["paragraphs"][0]["begin"] = -1; },
     "a.txt: paragraphs[0].begin: expected a non-negative integer, got -1"},
    {"fractional begin", [](Json& r) { r["paragraphs"][0]["begin"] = 1.5; },
     "a.txt: paragraphs[0].begin: expected a non-negative integer, got 1.5"},
    {"begin after end", [](Json& r) { r["sentences"][1]["end"] = 20; },
     "a.txt: sentences[1].end: 20 is before begin 25"},
    {"offset inside a character", [](Json& r) { r["quotes"][0]["begin"] = 54; },
     "a.txt: quotes[0].begin: 54 is inside a UTF-8 character"},
    {"unknown paragraph kind", [](Json& r) { r["paragraphs"][0]["kind"] = "menu"; },
     "a.txt: paragraphs[0].kind: \"menu\" is not one of body, title, boilerplate"},
    {"paragraph index out of range", [](Json& r) { r["sentences"][0]["paragraph"] = 3; },
     "a.txt: sentences[0].paragraph: 3 is not an index into the 3 paragraphs"},
    {"sentence index out of range", [](Json& r) { r["mentions"][0]["sentence"] = 4; },
     "a.txt: mentions[0].sentence: 4 is not an index into the 4 sentences"},
    {"sentence index with no sentences", [](Json& r) { r["sentences"] = Json::array(); },
     "a.txt: mentions[0].sentence: there are no sentences"},
    {"unknown entity type", [](Json& r) { r["mentions"][0]["type"] = "brand"; },
     "a.txt: mentions[0].type: \"brand\" is not one of company, organization, person, country, "
     "policy"},
    {"discovered as text", [](Json& r) { r["mentions"][0]["discovered"] = "yes"; },
     "a.txt: mentions[0].discovered: expected true or false, got string"},
    {"confidence above 1", [](Json& r) { r["mentions"][0]["confidence"] = 1.5; },
     "a.txt: mentions[0].confidence: 1.5 is not between 0 and 1"},
    {"confidence as text", [](Json& r) { r["stances"][0]["confidence"] = "high"; },
     "a.txt: stances[0].confidence: expected a number, got string"},
    {"unknown polarity", [](Json& r) { r["stances"][0]["polarity"] = "neutral"; },
     "a.txt: stances[0].polarity: \"neutral\" is not one of support, oppose, mixed"},
    {"tier 4", [](Json& r) { r["tiers"][0]["tier"] = 4; },
     "a.txt: tiers[0].tier: 4 is not a tier (1, 2 or 3)"},
    {"tier 0", [](Json& r) { r["tiers"][0]["tier"] = 0; },
     "a.txt: tiers[0].tier: 0 is not a tier (1, 2 or 3)"},
    {"reference tier 5", [](Json& r) { r["tiers"][0]["reference_tier"] = 5; },
     "a.txt: tiers[0].reference_tier: 5 is not a tier (0 for none, 1, 2 or 3)"},
    {"date relative missing", [](Json& r) { r["dates"][0].erase("relative"); },
     "a.txt: dates[0].relative: missing"},
    {"signature too short",
     [](Json& r) {
       r["signature"] = {1, 2, 3};
     },
     "a.txt: signature: expected 128 values or none, got 3 (made with other near-duplicate "
     "rules?)"},
    {"signature value over 32 bits", [](Json& r) { r["signature"][5] = 4294967296u; },
     "a.txt: signature[5]: 4294967296 does not fit in 32 bits"},
    {"signature value negative", [](Json& r) { r["signature"][0] = -7; },
     "a.txt: signature[0]: expected a non-negative integer, got -7"},
    {"integer beyond 64 bits",
     [](Json& r) { r["sentences"][0]["end"] = Json::parse("18446744073709551616"); },
     "a.txt: sentences[0].end: expected a non-negative integer, got 1.8446744073709552e+19"},
};

TEST(InterchangeValidationTest, EveryBadFieldIsNamedInTheMessage) {
  const std::string good = ToInterchangeJson(SmallDocument());
  ASSERT_TRUE(FromInterchangeJson(good).ok());
  for (const BadRecord& bad : kBadRecords) {
    Json record = Json::parse(good);
    bad.mutate(record);
    StatusOr<InterchangeRecord> read = FromInterchangeJson(record.dump());
    ASSERT_FALSE(read.ok()) << bad.name;
    EXPECT_EQ(read.status().code(), Status::Code::kInvalidArgument) << bad.name;
    EXPECT_EQ(read.status().message(), bad.message) << bad.name;
  }
}

TEST(InterchangeValidationTest, ProblemRecordWithWrongTypesIsRefused) {
  StatusOr<InterchangeRecord> read =
      FromInterchangeJson(R"({"stancetrack_record":1,"path":"x.txt","error":5})");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), "error: expected a string, got 5");
}

// Lines no record writer makes: each must be an error, never a crash or a hang.
TEST(InterchangeValidationTest, HostileLinesAreErrors) {
  const std::string good = ToInterchangeJson(SmallDocument());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const struct {
    std::string name, line, message_start;
  } kLines[] = {
      {"empty", "", "not valid JSON: "},
      {"truncated", good.substr(0, good.size() / 2), "not valid JSON: "},
      {"truncated after a key", R"({"stancetrack_record":1,"doc":)", "not valid JSON: "},
      {"not an object", "[1, 2]", "not a stancetrack record: a JSON array, not an object"},
      {"a string", "\"stancetrack_record\"", "not a stancetrack record: a JSON string"},
      {"number overflow", R"({"stancetrack_record":1e400})", "not valid JSON: "},
      {"deep nesting as a field", R"({"stancetrack_record":1,"doc":)" + deep + "}",
       "record: doc: expected a string, got array"},
      {"deep nesting unclosed", std::string(100000, '['), "not valid JSON: "},
      {"deep nesting of objects", std::string(50000, '{'), "not valid JSON: "},
      {"invalid UTF-8 in a string", "{\"stancetrack_record\":1,\"doc\":\"caf\xe9\"}",
       "not valid JSON: "},
      {"NUL byte", std::string("{\"stancetrack_record\":1") + '\0' + "}", "not valid JSON: "},
  };
  for (const auto& [name, line, message_start] : kLines) {
    StatusOr<InterchangeRecord> read = FromInterchangeJson(line);
    ASSERT_FALSE(read.ok()) << name;
    EXPECT_EQ(read.status().code(), Status::Code::kInvalidArgument) << name;
    EXPECT_EQ(read.status().message().rfind(message_start, 0), 0u)
        << name << ": " << read.status().message();
  }
}

}  // namespace
}  // namespace stancetrack::testing
