#include "pipeline/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/pipeline/stored_document_builder.h"

namespace stancetrack {
namespace {

using testing::AddMention;
using testing::AddQuote;
using testing::AddStance;
using testing::AddTier;
using testing::Block;
using testing::MakeStoredDocument;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kWouldWrite[] =
    "query: refused, the statement would change the database (stancetrack query is read-only)";

// The document of the round-trip test: every annotation kind, every paragraph kind.
StoredDocument AcmeDocument() {
  StoredDocument stored = MakeStoredDocument(
      "2025/acme.txt",
      {{BlockKind::kTitle, {"Acme Semiconductor pushes back on chip tiers"}, ""},
       {BlockKind::kBody,
        {"Acme Semiconductor said on Monday that it opposes the AI Diffusion Rule.",
         "\"We cannot plan a factory around caps that move every quarter,\" said Dana Reyes, "
         "its chief executive."},
        ""},
       {BlockKind::kBody, {"The rule puts Poland in the second tier."}, ""},
       {BlockKind::kBoilerplate, {"Share this story with a colleague."}, "share-prompt"}});
  Document& doc = stored.doc;
  doc.meta = {doc.meta.title, "https://news.example/acme", "2025-01-20", "Example Wire", "en",
              "Lee Park"};
  doc.warnings = {"invalid UTF-8 at byte 12, replaced"};
  stored.annotations.published = "2025-01-20";
  AddMention(stored, EntityType::kCompany, "Acme Semiconductor", "Acme Semiconductor", 1);
  AddMention(stored, EntityType::kPolicy, "ai-diffusion-rule", "AI Diffusion Rule");
  AddMention(stored, EntityType::kPerson, "Dana Reyes", "Dana Reyes", 0, true, 0.5f);
  AddMention(stored, EntityType::kCountry, "PL", "Poland");
  AddQuote(stored, "We cannot plan a factory around caps that move every quarter,", "Dana Reyes",
           "Acme Semiconductor");
  AddTier(stored, "PL", 2, 2, "second tier");
  AddStance(stored, "Acme Semiconductor", "Dana Reyes", "ai-diffusion-rule", Polarity::kOppose,
            "it opposes the AI Diffusion Rule", "2025-01-20");
  return stored;
}

// ---- reading back -----------------------------------------------------------------------------

std::string Dump(const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    std::ostringstream out;
    out << *d;
    return out.str();
  }
  return std::get<std::string>(value);
}

// Each result row as "value|value|...", NULL as "NULL".
std::vector<std::string> Rows(const Store& store, std::string_view sql,
                              const std::vector<Value>& params = {}) {
  std::vector<std::string> rows;
  const Status status = store.Query(sql, params, [&](const auto&, const std::vector<Value>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i > 0 ? "|" : "") + Dump(row[i]);
    rows.push_back(line);
    return true;
  });
  EXPECT_TRUE(status.ok()) << sql << "\n" << status.ToString();
  return rows;
}

std::string One(const Store& store, std::string_view sql, const std::vector<Value>& params = {}) {
  const std::vector<std::string> rows = Rows(store, sql, params);
  return rows.size() == 1 ? rows[0] : "<" + std::to_string(rows.size()) + " rows>";
}

// Rows of every table that hangs off documents, as "table=count" (what a rewrite must replace).
std::vector<std::string> ChildCounts(const Store& store) {
  std::vector<std::string> counts;
  for (const char* table : {"document_warnings", "paragraphs", "sentences", "mentions", "quotes",
                            "tier_assertions", "stances"}) {
    counts.push_back(std::string(table) + "=" +
                     One(store, std::string("SELECT count(*) FROM ") + table));
  }
  return counts;
}

// Rows whose document is gone: there must never be any.
std::string Orphans(const Store& store) {
  return One(store,
             "SELECT (SELECT count(*) FROM document_warnings WHERE document_id NOT IN "
             "(SELECT id FROM documents)) + (SELECT count(*) FROM paragraphs WHERE document_id "
             "NOT IN (SELECT id FROM documents)) + (SELECT count(*) FROM sentences WHERE "
             "document_id NOT IN (SELECT id FROM documents)) + (SELECT count(*) FROM mentions "
             "WHERE document_id NOT IN (SELECT id FROM documents)) + (SELECT count(*) FROM "
             "quotes WHERE document_id NOT IN (SELECT id FROM documents)) + (SELECT count(*) "
             "FROM tier_assertions WHERE document_id NOT IN (SELECT id FROM documents)) + "
             "(SELECT count(*) FROM stances WHERE document_id NOT IN (SELECT id FROM documents))");
}

std::vector<std::string> FtsMatch(const Store& store, const std::string& words) {
  return Rows(store,
              "SELECT d.path FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
              "WHERE documents_fts MATCH ?1 ORDER BY d.path",
              {words});
}

// ---- raw SQLite, for what a Store must not be able to do ---------------------------------------

// The first column of the first row of `sql`, run on a connection of its own.
std::string RawOne(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value = "<error>";
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int, char** row, char**) {
          *static_cast<std::string*>(out) = row[0] != nullptr ? row[0] : "NULL";
          return 1;  // one row is enough
        },
        &value, nullptr);
  }
  sqlite3_close(db);
  return value;
}

int RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(path.c_str(), &db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

// SQLITE_OK when the search index of the database at `path` agrees with its documents.
int FtsIntegrityCheck(const std::string& path) {
  return RawExec(path,
                 "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)");
}

// ---- fixtures -----------------------------------------------------------------------------------

std::string TempPath(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "store_test";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
}

enum class Backing { kMemory, kFile };

// Tests that hold on ":memory:" and on a real file alike.
class StoreTest : public ::testing::TestWithParam<Backing> {
 protected:
  void SetUp() override {
    path_ = ":memory:";
    if (GetParam() == Backing::kFile) {
      path_ = TempPath(TestFileName());
      RemoveDatabase(path_);
    }
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    StatusOr<int64_t> run = store_->BeginRun("stancetrack ingest articles");
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    run_ = *run;
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == Backing::kFile) RemoveDatabase(path_);
  }

  static std::string TestFileName() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    return name + ".db";
  }

  Status Write(const std::vector<StoredDocument>& batch) { return store_->Write(run_, batch); }

  std::string path_;
  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

INSTANTIATE_TEST_SUITE_P(MemoryAndFile, StoreTest,
                         ::testing::Values(Backing::kMemory, Backing::kFile), [](const auto& info) {
                           return info.param == Backing::kMemory ? "Memory" : "File";
                         });

// ---- writing and reading back -----------------------------------------------------------------

TEST_P(StoreTest, RoundTripKeepsEveryAnnotationKind) {
  const StoredDocument acme = AcmeDocument();
  ASSERT_TRUE(Write({acme}).ok());

  struct Case {
    const char* sql;
    std::vector<std::string> rows;
  };
  const Case cases[] = {
      {"SELECT path, source_path, content_hash, title, url, published, source, author, "
       "declared_language, language, encoding, duplicate_of, run_id, bytes = length(CAST(text "
       "AS BLOB)), (SELECT original FROM document_originals WHERE document_id = documents.id) = "
       "text FROM documents",
       {"2025/acme.txt|articles/2025/acme.txt|hash:2025/acme.txt|Acme Semiconductor pushes back "
        "on chip tiers|https://news.example/acme|2025-01-20|Example Wire|Lee Park|en|en|UTF-8|"
        "NULL|1|1|1"}},
      {"SELECT idx, message FROM document_warnings", {"0|invalid UTF-8 at byte 12, replaced"}},
      {"SELECT p.idx, p.kind, p.reason, p.language, CAST(substr(CAST(d.text AS BLOB), "
       "p.begin + 1, p.end - p.begin) AS TEXT) FROM paragraphs p JOIN documents d ON d.id = "
       "p.document_id ORDER BY p.idx",
       {"0|title|NULL|en|Acme Semiconductor pushes back on chip tiers",
        "1|body|NULL|en|Acme Semiconductor said on Monday that it opposes the AI Diffusion "
        "Rule. \"We cannot plan a factory around caps that move every quarter,\" said Dana "
        "Reyes, its chief executive.",
        "2|body|NULL|en|The rule puts Poland in the second tier.",
        "3|boilerplate|share-prompt|en|Share this story with a colleague."}},
      {"SELECT sentence, paragraph, text FROM sentence_text WHERE sentence IN (1, 3) "
       "ORDER BY sentence",
       {"1|1|Acme Semiconductor said on Monday that it opposes the AI Diffusion Rule.",
        "3|2|The rule puts Poland in the second tier."}},
      {"SELECT e.type, e.canonical, m.sentence, CAST(substr(CAST(d.text AS BLOB), m.begin + 1, "
       "m.end - m.begin) AS TEXT), m.discovered, m.confidence FROM mentions m JOIN entities e "
       "ON e.id = m.entity_id JOIN documents d ON d.id = m.document_id ORDER BY m.begin",
       {"company|Acme Semiconductor|1|Acme Semiconductor|0|1",
        "policy|ai-diffusion-rule|1|AI Diffusion Rule|0|1", "person|Dana Reyes|2|Dana Reyes|1|0.5",
        "country|PL|3|Poland|0|1"}},
      {"SELECT path, published, speaker, speaker_org, sentence, quote FROM quote_text",
       {"2025/acme.txt|2025-01-20|Dana Reyes|Acme Semiconductor|2|We cannot plan a factory "
        "around caps that move every quarter,"}},
      {"SELECT t.country, t.tier, t.reference_tier, t.sentence, CAST(substr(CAST(d.text AS "
       "BLOB), t.begin + 1, t.end - t.begin) AS TEXT) FROM tier_assertions t JOIN documents d "
       "ON d.id = t.document_id",
       {"PL|2|2|3|second tier"}},
      {"SELECT path, published, actor, speaker, policy, polarity, confidence, date, sentence, "
       "evidence FROM stance_evidence",
       {"2025/acme.txt|2025-01-20|Acme Semiconductor|Dana Reyes|ai-diffusion-rule|oppose|0.75|"
        "2025-01-20|1|Acme Semiconductor said on Monday that it opposes the AI Diffusion Rule."}},
      {"SELECT type, canonical, documents, mentions FROM mention_counts ORDER BY type",
       {"company|Acme Semiconductor|1|1", "country|PL|1|1", "person|Dana Reyes|1|1",
        "policy|ai-diffusion-rule|1|1"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Rows(*store_, c.sql), c.rows) << c.sql;
  }
}

// Paragraphs, sentences and mentions go in statements of 32, 16, ..., 1 rows: 95 of each take
// every size (32 + 32 + 16 + 8 + 4 + 2 + 1), and every row must come back once, in order, with
// its own values.
TEST_P(StoreTest, ManyRowsOfADocumentComeBackInOrder) {
  std::vector<Block> blocks;
  for (int i = 0; i < 95; ++i) {
    blocks.push_back({BlockKind::kBody, {"Vendor " + std::to_string(i) + " ships chips."}, ""});
  }
  StoredDocument stored = MakeStoredDocument("2025/many.txt", blocks);
  for (int i = 0; i < 95; ++i) {
    AddMention(stored, EntityType::kCompany, "Vendor " + std::to_string(i),
               "Vendor " + std::to_string(i) + " ");
  }
  ASSERT_TRUE(Write({stored}).ok());

  std::vector<std::string> expected;
  for (int i = 0; i < 95; ++i) {
    const std::string n = std::to_string(i);
    const std::string sentence = "Vendor " + n + " ships chips.";
    expected.push_back(n + "|" + n + "|" + sentence + "|" + sentence + "|Vendor " + n + " ");
  }
  EXPECT_EQ(Rows(*store_,
                 "SELECT p.idx, s.sentence, CAST(substr(CAST(d.text AS BLOB), p.begin + 1, "
                 "p.end - p.begin) AS TEXT), s.text, CAST(substr(CAST(d.text AS BLOB), "
                 "m.begin + 1, m.end - m.begin) AS TEXT) FROM paragraphs p JOIN sentence_text "
                 "s ON s.paragraph = p.idx JOIN mentions m ON m.sentence = s.sentence JOIN "
                 "documents d ON d.id = m.document_id ORDER BY m.id"),
            expected);
  EXPECT_EQ(One(*store_, "SELECT count(*) || '|' || count(DISTINCT entity_id) FROM mentions"),
            "95|95");
}

TEST_P(StoreTest, EmptyMetadataIsStoredAsNull) {
  StoredDocument bare =
      MakeStoredDocument("bare.txt", {{BlockKind::kBody, {"Nothing to add."}, ""}});
  bare.doc.encoding.clear();
  bare.doc.language.clear();
  bare.doc.paragraphs[0].language.clear();
  AddTier(bare, "IN", 2, 0, "Nothing");
  AddStance(bare, "Example Council", "", "gain-ai-act", Polarity::kMixed, "Nothing");
  ASSERT_TRUE(Write({bare}).ok());
  EXPECT_EQ(One(*store_,
                "SELECT title, url, published, source, author, declared_language, language, "
                "encoding, duplicate_of FROM documents"),
            "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
  EXPECT_EQ(One(*store_, "SELECT reason, language FROM paragraphs"), "NULL|NULL");
  EXPECT_EQ(One(*store_, "SELECT reference_tier FROM tier_assertions"), "NULL");
  EXPECT_EQ(One(*store_, "SELECT speaker, date, polarity, country FROM stances"),
            "NULL|NULL|mixed|NULL");
}

TEST_P(StoreTest, PublishedFallsBackToMetadataWhenExtractorsFoundNone) {
  StoredDocument stored =
      MakeStoredDocument("dated.txt", {{BlockKind::kBody, {"A short note."}, ""}});
  stored.doc.meta.published = "2024-10-07";
  StoredDocument dateline =
      MakeStoredDocument("dateline.txt", {{BlockKind::kBody, {"Another."}, ""}});
  dateline.annotations.published = "2024-12-02";
  dateline.duplicate_of = "dated.txt";
  ASSERT_TRUE(Write({stored, dateline}).ok());
  EXPECT_THAT(Rows(*store_, "SELECT path, published, duplicate_of FROM documents ORDER BY path"),
              ElementsAre("dated.txt|2024-10-07|NULL", "dateline.txt|2024-12-02|dated.txt"));
}

TEST_P(StoreTest, RewriteReplacesEveryRowOfTheOldVersion) {
  StoredDocument old_version = AcmeDocument();
  old_version.doc.text.replace(old_version.doc.text.find("Monday"), 6, "Sunday");
  ASSERT_TRUE(Write({old_version}).ok());
  StoredDocument new_version = MakeStoredDocument(
      "2025/acme.txt",
      {{BlockKind::kBody, {"Acme Semiconductor now backs the rule on Friday."}, ""}});
  AddMention(new_version, EntityType::kCompany, "Acme Semiconductor", "Acme Semiconductor");
  AddStance(new_version, "Acme Semiconductor", "", "ai-diffusion-rule", Polarity::kSupport,
            "backs the rule");
  ASSERT_TRUE(Write({new_version}).ok());

  EXPECT_EQ(One(*store_, "SELECT count(*) FROM documents"), "1");
  EXPECT_THAT(ChildCounts(*store_),
              ElementsAre("document_warnings=0", "paragraphs=1", "sentences=1", "mentions=1",
                          "quotes=0", "tier_assertions=0", "stances=1"));
  EXPECT_EQ(Orphans(*store_), "0");
  EXPECT_EQ(One(*store_, "SELECT polarity, evidence FROM stance_evidence"),
            "support|Acme Semiconductor now backs the rule on Friday.");
  EXPECT_THAT(FtsMatch(*store_, "sunday"), IsEmpty());
  EXPECT_THAT(FtsMatch(*store_, "chip"), IsEmpty());  // the old title
  EXPECT_THAT(FtsMatch(*store_, "friday"), ElementsAre("2025/acme.txt"));
}

TEST_P(StoreTest, DeleteRemovesTheDocumentsAndTheirRowsOnly) {
  StoredDocument other =
      MakeStoredDocument("other.txt", {{BlockKind::kBody, {"Brightline waits."}, ""}});
  AddMention(other, EntityType::kCompany, "Brightline Systems", "Brightline");
  ASSERT_TRUE(Write({AcmeDocument(), other}).ok());
  ASSERT_TRUE(store_->Delete({"2025/acme.txt", "never-stored.txt"}).ok());

  EXPECT_THAT(Rows(*store_, "SELECT path FROM documents"), ElementsAre("other.txt"));
  EXPECT_THAT(ChildCounts(*store_),
              ElementsAre("document_warnings=0", "paragraphs=1", "sentences=1", "mentions=1",
                          "quotes=0", "tier_assertions=0", "stances=0"));
  EXPECT_EQ(Orphans(*store_), "0");
  EXPECT_THAT(FtsMatch(*store_, "semiconductor"), IsEmpty());
  EXPECT_THAT(FtsMatch(*store_, "brightline"), ElementsAre("other.txt"));
  EXPECT_THAT(Rows(*store_, "SELECT canonical, mentions FROM mention_counts"),
              ElementsAre("Brightline Systems|1"));
}

TEST_P(StoreTest, ContentHashesKnowEveryPathWithItsHash) {
  using Seen = ContentHashIndex::Seen;
  EXPECT_EQ(store_->ContentHashes()->size(), 0u);
  StoredDocument second = MakeStoredDocument("b/second.txt", {{BlockKind::kBody, {"Second."}, ""}});
  ASSERT_TRUE(Write({AcmeDocument(), second}).ok());
  StatusOr<ContentHashIndex> hashes = store_->ContentHashes();
  ASSERT_TRUE(hashes.ok());
  EXPECT_EQ(hashes->size(), 2u);
  EXPECT_EQ(hashes->Check("2025/acme.txt", "hash:2025/acme.txt"), Seen::kUnchanged);
  EXPECT_EQ(hashes->Check("b/second.txt", "hash:b/second.txt"), Seen::kUnchanged);
  EXPECT_EQ(hashes->Check("b/second.txt", "hash:2025/acme.txt"), Seen::kChanged);
  EXPECT_EQ(hashes->Check("b/third.txt", "hash:b/second.txt"), Seen::kNew);
}

TEST(ContentHashIndexTest, UpdateSaysWhatWasStoredThenRecords) {
  using Seen = ContentHashIndex::Seen;
  ContentHashIndex index;
  EXPECT_EQ(index.Update("a.txt", "h1"), Seen::kNew);
  EXPECT_EQ(index.Update("a.txt", "h1"), Seen::kUnchanged);
  EXPECT_EQ(index.Update("a.txt", "h2"), Seen::kChanged);
  EXPECT_EQ(index.Check("a.txt", "h2"), Seen::kUnchanged);
  EXPECT_EQ(index.Check("a.txt", "h1"), Seen::kChanged);
  // Paths that share a prefix or differ in one byte are different documents.
  EXPECT_EQ(index.Check("a.txt2", "h2"), Seen::kNew);
  EXPECT_EQ(index.Check("b.txt", "h2"), Seen::kNew);
  EXPECT_EQ(index.size(), 1u);
}

// ---- signatures and duplicate links -----------------------------------------------------------

// "path|published|duplicate_of|signature bytes in hex" for each document, by path.
std::vector<std::string> DumpSignatures(const Store& store) {
  return Rows(store,
              "SELECT d.path, coalesce(d.published, ''), coalesce(d.duplicate_of, ''), "
              "hex(s.minhash) FROM documents d LEFT JOIN document_signatures s "
              "ON s.document_id = d.id ORDER BY d.path");
}

TEST_P(StoreTest, SignaturesComeBackAsWrittenInPathOrder) {
  StoredDocument acme = AcmeDocument();
  acme.signature = {0, 1, 0x01020304, 0xffffffff};
  acme.duplicate_of = "2024/earlier.txt";
  StoredDocument bare =
      MakeStoredDocument("bare.txt", {{BlockKind::kBody, {"Nothing to add."}, ""}});
  ASSERT_TRUE(Write({bare, acme}).ok());
  // Little-endian 32-bit values, whatever the machine.
  EXPECT_EQ(One(*store_, "SELECT hex(minhash) FROM document_signatures"),
            "000000000100000004030201FFFFFFFF");
  EXPECT_THAT(DumpSignatures(*store_), ElementsAre("2025/acme.txt|2025-01-20|2024/earlier.txt|"
                                                   "000000000100000004030201FFFFFFFF",
                                                   "bare.txt|||"));
}

TEST_P(StoreTest, RewriteReplacesTheSignatureAndDeleteRemovesIt) {
  StoredDocument acme = AcmeDocument();
  acme.signature = {1, 2, 3};
  ASSERT_TRUE(Write({acme}).ok());
  acme.signature = {4, 5};
  ASSERT_TRUE(Write({acme}).ok());
  EXPECT_THAT(DumpSignatures(*store_), ElementsAre("2025/acme.txt|2025-01-20||0400000005000000"));
  acme.signature.clear();
  ASSERT_TRUE(Write({acme}).ok());
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM document_signatures"), "0");
  acme.signature = {6};
  ASSERT_TRUE(Write({acme}).ok());
  ASSERT_TRUE(store_->Delete({"2025/acme.txt"}).ok());
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM document_signatures"), "0");
}

// ---- near-duplicate linking's session ----------------------------------------------------------

// A document with a one-value signature, `value`, and the date `published` ("" for none).
StoredDocument Signed(const std::string& path, const std::string& published, uint32_t value) {
  StoredDocument stored = MakeStoredDocument(path, {{BlockKind::kBody, {"Some text."}, ""}});
  stored.doc.meta.published = published;
  stored.signature = {value};
  return stored;
}

// "rank:value" for every signed document, as ForEachSignature gives them.
std::vector<std::string> RankedValues(LinkSession* session) {
  std::vector<std::string> ranked;
  EXPECT_TRUE(session
                  ->ForEachSignature(1,
                                     [&](uint32_t rank, const std::vector<uint32_t>& signature) {
                                       ranked.push_back(std::to_string(rank) + ":" +
                                                        std::to_string(signature[0]));
                                       return Status::Ok();
                                     })
                  .ok());
  return ranked;
}

TEST_P(StoreTest, LinkSessionRanksSignedDocumentsDatedFirstThenByDateAndPath) {
  StoredDocument unsigned_doc = Signed("e.txt", "2025-01-01", 0);
  unsigned_doc.signature.clear();
  ASSERT_TRUE(Write({Signed("b.txt", "2025-02-02", 1), Signed("d.txt", "", 2),
                     Signed("c.txt", "2025-02-01", 3), Signed("a.txt", "", 4),
                     Signed("a2.txt", "2025-02-02", 5), unsigned_doc})
                  .ok());
  StatusOr<std::unique_ptr<LinkSession>> session = store_->BeginLinking("rules");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_FALSE((*session)->up_to_date());
  EXPECT_EQ((*session)->documents(), 5u);
  EXPECT_THAT(RankedValues(session->get()), ElementsAre("0:3", "1:5", "2:1", "3:4", "4:2"));
  StatusOr<std::vector<uint32_t>> signature = (*session)->Signature(3);
  ASSERT_TRUE(signature.ok());
  EXPECT_THAT(*signature, ElementsAre(4u));
}

TEST_P(StoreTest, LinkSessionStreamsChunksAndOriginals) {
  ASSERT_TRUE(Write({Signed("a.txt", "", 1)}).ok());
  StatusOr<std::unique_ptr<LinkSession>> session = store_->BeginLinking("rules");
  ASSERT_TRUE(session.ok());
  LinkSession& s = **session;
  ASSERT_TRUE(s.AppendChunk(7, "one").ok());
  ASSERT_TRUE(s.AppendChunk(8, "other stream").ok());
  ASSERT_TRUE(s.AppendChunk(7, std::string("t\0o", 3)).ok());
  std::vector<std::string> chunks;
  ASSERT_TRUE(s.ForEachChunk(7, [&](std::string_view bytes) {
                 chunks.emplace_back(bytes);
                 return Status::Ok();
               }).ok());
  EXPECT_THAT(chunks, ElementsAre("one", std::string("t\0o", 3)));
  for (uint32_t rank : {9u, 2u, 5u, 7u}) ASSERT_TRUE(s.AddOriginal(3, rank).ok());
  ASSERT_TRUE(s.AddOriginal(4, 1).ok());
  std::vector<uint32_t> ranks;
  ASSERT_TRUE(s.LatestOriginals(3, 3, &ranks).ok());
  EXPECT_THAT(ranks, ElementsAre(5u, 7u, 9u));
  ASSERT_TRUE(s.LatestOriginals(6, 3, &ranks).ok());
  EXPECT_THAT(ranks, IsEmpty());
}

TEST_P(StoreTest, LinkSessionFinishWritesLinksThenIsUpToDateUntilAWrite) {
  StoredDocument stale = Signed("c.txt", "2025-02-03", 3);
  stale.duplicate_of = "gone.txt";
  ASSERT_TRUE(
      Write({Signed("a.txt", "2025-02-01", 1), Signed("b.txt", "2025-02-02", 2), stale}).ok());
  {
    StatusOr<std::unique_ptr<LinkSession>> session = store_->BeginLinking("rules");
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->SetDuplicate(1, 0).ok());
    StatusOr<LinkSession::Counts> counts = (*session)->Finish();
    ASSERT_TRUE(counts.ok()) << counts.status().message();
    EXPECT_EQ(counts->duplicates, 1u);
    EXPECT_EQ(counts->changed, 2u);  // b.txt set, c.txt cleared
  }
  EXPECT_THAT(Rows(*store_, "SELECT path, duplicate_of FROM documents ORDER BY path"),
              ElementsAre("a.txt|NULL", "b.txt|a.txt", "c.txt|NULL"));
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM pragma_database_list WHERE name = 'linking'"), "0");
  StatusOr<std::unique_ptr<LinkSession>> again = store_->BeginLinking("rules");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->up_to_date());
  again->reset();
  StatusOr<std::unique_ptr<LinkSession>> other_rules = store_->BeginLinking("other rules");
  ASSERT_TRUE(other_rules.ok());
  EXPECT_FALSE((*other_rules)->up_to_date());
  other_rules->reset();
  ASSERT_TRUE(Write({Signed("d.txt", "2025-02-04", 4)}).ok());
  StatusOr<std::unique_ptr<LinkSession>> after_write = store_->BeginLinking("rules");
  ASSERT_TRUE(after_write.ok());
  EXPECT_FALSE((*after_write)->up_to_date());
}

TEST_P(StoreTest, LinkSessionLeftUnfinishedChangesNothing) {
  ASSERT_TRUE(Write({Signed("a.txt", "2025-02-01", 1), Signed("b.txt", "2025-02-02", 2)}).ok());
  for (int attempt = 0; attempt < 2; ++attempt) {
    StatusOr<std::unique_ptr<LinkSession>> session = store_->BeginLinking("rules");
    ASSERT_TRUE(session.ok()) << session.status().message();
    EXPECT_FALSE((*session)->up_to_date());
    ASSERT_TRUE((*session)->SetDuplicate(1, 0).ok());
  }  // destroyed before Finish: rolled back, and a second session starts afresh
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"), "0");
}

TEST_P(StoreTest, SetDuplicatesWritesLinksAndNulls) {
  StoredDocument a = MakeStoredDocument("a.txt", {{BlockKind::kBody, {"First."}, ""}});
  StoredDocument b = MakeStoredDocument("b.txt", {{BlockKind::kBody, {"Second."}, ""}});
  StoredDocument c = MakeStoredDocument("c.txt", {{BlockKind::kBody, {"Third."}, ""}});
  c.duplicate_of = "a.txt";
  ASSERT_TRUE(Write({a, b, c}).ok());
  ASSERT_TRUE(store_->SetDuplicates({{"b.txt", "a.txt"}, {"c.txt", ""}}).ok());
  EXPECT_THAT(Rows(*store_, "SELECT path, duplicate_of FROM documents ORDER BY path"),
              ElementsAre("a.txt|NULL", "b.txt|a.txt", "c.txt|NULL"));
}

TEST_P(StoreTest, SetDuplicatesOfAnUnknownPathWritesNothing) {
  StoredDocument a = MakeStoredDocument("a.txt", {{BlockKind::kBody, {"First."}, ""}});
  StoredDocument b = MakeStoredDocument("b.txt", {{BlockKind::kBody, {"Second."}, ""}});
  ASSERT_TRUE(Write({a, b}).ok());
  const Status status = store_->SetDuplicates({{"b.txt", "a.txt"}, {"gone.txt", "a.txt"}});
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.message(), "set duplicate_of: no document gone.txt");
  EXPECT_THAT(Rows(*store_, "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
              ElementsAre("0"));
}

constexpr char kEntityIndexExists[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'mentions_by_entity'";

TEST_P(StoreTest, AFirstLoadBuildsTheEntityIndexAtItsEnd) {
  // SetUp began its run on a database without documents.
  EXPECT_EQ(One(*store_, kEntityIndexExists), "0");
  ASSERT_TRUE(Write({AcmeDocument()}).ok());
  ASSERT_TRUE(store_->BuildDeferredIndexes().ok());
  EXPECT_EQ(One(*store_, kEntityIndexExists), "1");
  EXPECT_EQ(One(*store_,
                "SELECT count(*) FROM mentions INDEXED BY mentions_by_entity "
                "WHERE entity_id = (SELECT id FROM entities WHERE canonical = 'PL')"),
            "1");
}

TEST_P(StoreTest, ARunOnADatabaseWithDocumentsKeepsTheEntityIndex) {
  ASSERT_TRUE(Write({AcmeDocument()}).ok());
  ASSERT_TRUE(store_->BuildDeferredIndexes().ok());
  ASSERT_TRUE(store_->BeginRun("stancetrack ingest more").ok());
  EXPECT_EQ(One(*store_, kEntityIndexExists), "1");
}

TEST_P(StoreTest, SentenceTextViewSlicesBytesOfMultiByteText) {
  const std::vector<std::string> sentences = {
      "Größere Käufer in Zürich prüfen die Regel.", "美国商务部表示，出口管制将继续。",
      "Chips 🚀 ship to Kraków — maybe.", "Plain ASCII closes it."};
  ASSERT_TRUE(Write({MakeStoredDocument("utf8.txt", {{BlockKind::kBody, sentences, ""}})}).ok());
  std::vector<std::string> expected;
  for (size_t i = 0; i < sentences.size(); ++i) {
    expected.push_back(std::to_string(i) + "|" + sentences[i]);
  }
  EXPECT_EQ(Rows(*store_, "SELECT sentence, text FROM sentence_text ORDER BY sentence"), expected);
}

TEST_P(StoreTest, FullTextSearchFoldsDiacriticsAndCase) {
  ASSERT_TRUE(
      Write({MakeStoredDocument("zh.txt", {{BlockKind::kBody, {"Zürich EXPORT curbs."}, ""}})})
          .ok());
  EXPECT_THAT(FtsMatch(*store_, "zurich export"), ElementsAre("zh.txt"));
  EXPECT_THAT(FtsMatch(*store_, "Curb*"), ElementsAre("zh.txt"));
}

TEST_P(StoreTest, FailedWriteLeavesTheDatabaseAsItWas) {
  StoredDocument kept =
      MakeStoredDocument("b.txt", {{BlockKind::kBody, {"The first draft stays."}, ""}});
  ASSERT_TRUE(Write({kept}).ok());

  StoredDocument fresh =
      MakeStoredDocument("a.txt", {{BlockKind::kBody, {"Zenith Labs spoke."}, ""}});
  AddMention(fresh, EntityType::kCompany, "Zenith Labs", "Zenith Labs");
  StoredDocument broken =
      MakeStoredDocument("b.txt", {{BlockKind::kBody, {"A second draft."}, ""}});
  AddStance(broken, "Zenith Labs", "", "gain-ai-act", static_cast<Polarity>(9), "second draft");
  const Status status = Write({fresh, broken});
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "b.txt: insert stance: CHECK constraint failed: "
            "polarity IN ('support', 'oppose', 'mixed')");

  EXPECT_THAT(Rows(*store_, "SELECT path FROM documents"), ElementsAre("b.txt"));
  EXPECT_THAT(Rows(*store_, "SELECT count(*) FROM entities"), ElementsAre("0"));
  EXPECT_THAT(FtsMatch(*store_, "first"), ElementsAre("b.txt"));
  EXPECT_THAT(FtsMatch(*store_, "second OR zenith"), IsEmpty());
  // The entity id cached during the failed write died with it: writing again must not reuse it.
  ASSERT_TRUE(Write({fresh}).ok());
  EXPECT_THAT(Rows(*store_, "SELECT canonical, documents FROM mention_counts"),
              ElementsAre("Zenith Labs|1"));
}

TEST_P(StoreTest, EntitiesAreSharedAcrossDocuments) {
  StoredDocument first =
      MakeStoredDocument("1.txt", {{BlockKind::kBody, {"Orbit Chips grew."}, ""}});
  AddMention(first, EntityType::kCompany, "Orbit Chips", "Orbit Chips");
  StoredDocument second = MakeStoredDocument(
      "2.txt", {{BlockKind::kBody, {"Orbit Chips hired.", "Orbit Chips paid."}, ""}});
  AddMention(second, EntityType::kCompany, "Orbit Chips", "Orbit Chips", 0);
  AddMention(second, EntityType::kCompany, "Orbit Chips", "Orbit Chips", 1);
  AddMention(second, EntityType::kPerson, "Orbit Chips", "Orbit");  // same name, other type
  ASSERT_TRUE(Write({first}).ok());
  ASSERT_TRUE(Write({second}).ok());
  EXPECT_THAT(Rows(*store_,
                   "SELECT type, canonical, documents, mentions FROM mention_counts "
                   "ORDER BY type"),
              ElementsAre("company|Orbit Chips|2|3", "person|Orbit Chips|1|1"));
}

TEST_P(StoreTest, RunsRecordCommandSummaryAndErrors) {
  ASSERT_TRUE(store_->RecordError(run_, "bad.html", "not valid UTF-8 at byte 7").ok());
  const RunSummary summary{3, 1, 10, 1, 2, 4096, 1.5};
  ASSERT_TRUE(store_->FinishRun(run_, summary).ok());
  EXPECT_EQ(One(*store_,
                "SELECT command, files_new, files_changed, files_unchanged, files_failed, "
                "files_pruned, bytes, seconds, finished_at >= started_at FROM runs"),
            "stancetrack ingest articles|3|1|10|1|2|4096|1.5|1");
  EXPECT_EQ(One(*store_,
                "SELECT started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"
                "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' FROM runs"),
            "1");
  EXPECT_EQ(One(*store_, "SELECT run_id, path, reason FROM ingest_errors"),
            "1|bad.html|not valid UTF-8 at byte 7");
}

TEST_P(StoreTest, FinishingAnUnknownRunIsNotFound) {
  const Status status = store_->FinishRun(run_ + 41, RunSummary{});
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.message(), "finish run: no run 42");
}

TEST_P(StoreTest, WriteForAnUnknownRunFailsOnTheForeignKey) {
  const Status status = store_->Write(run_ + 1, {AcmeDocument()});
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "2025/acme.txt: insert document: FOREIGN KEY constraint failed");
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM documents"), "0");
}

// Most articles need no normalization: their original is the text, stored once.
TEST_P(StoreTest, OriginalIsStoredOnlyWhereItDiffersFromTheText) {
  StoredDocument same = AcmeDocument();
  StoredDocument repaired = AcmeDocument();
  repaired.doc.id = "2025/acme-repaired.txt";
  repaired.doc.original = "Acme \xE2\x80\x9Cquoted\xE2\x80\x9D as read";
  ASSERT_TRUE(Write({same, repaired}).ok());
  EXPECT_EQ(One(*store_, "SELECT original FROM documents WHERE path = '2025/acme.txt'"), "");
  EXPECT_EQ(One(*store_,
                "SELECT o.original = d.text FROM document_originals o JOIN documents d"
                " ON d.id = o.document_id WHERE d.path = '2025/acme.txt'"),
            "1");
  EXPECT_EQ(One(*store_,
                "SELECT original FROM document_originals"
                " WHERE path = '2025/acme-repaired.txt'"),
            repaired.doc.original);
}

TEST_P(StoreTest, NewDatabaseHasTheCurrentSchemaVersion) {
  EXPECT_EQ(One(*store_, "PRAGMA user_version"), std::to_string(Store::kSchemaVersion));
  EXPECT_EQ(One(*store_, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(One(*store_, "PRAGMA busy_timeout"), std::to_string(Store::kBusyTimeoutMs));
}

// ---- Query --------------------------------------------------------------------------------------

struct Refusal {
  std::string sql;
  std::string message;
};

// Statements that would change the database or the connection; refused in either mode.
std::vector<Refusal> Refusals(const std::string& attach_path) {
  const std::string pragma = "query: PRAGMA ";
  const std::string note = " (stancetrack query is read-only)";
  return {
      {"UPDATE documents SET title = 'changed'", kWouldWrite},
      {"INSERT INTO entities(type, canonical) VALUES ('company', 'Intruder')", kWouldWrite},
      {"REPLACE INTO entities(id, type, canonical) VALUES (1, 'company', 'Intruder')", kWouldWrite},
      {"DELETE FROM stances", kWouldWrite},
      {"WITH doomed AS (SELECT id FROM documents) DELETE FROM documents WHERE id IN doomed",
       kWouldWrite},
      {"DROP TABLE stances", kWouldWrite},
      {"DROP VIEW stance_evidence", kWouldWrite},
      {"CREATE TABLE notes(x)", kWouldWrite},
      {"CREATE TEMP TABLE notes(x)", kWouldWrite},
      {"ALTER TABLE documents ADD COLUMN extra TEXT", kWouldWrite},
      {"INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')", kWouldWrite},
      {"VACUUM", kWouldWrite},
      {"VACUUM INTO '" + attach_path + "'", kWouldWrite},
      {"ANALYZE", kWouldWrite},
      {"PRAGMA user_version = 99", pragma + "user_version with a value is refused" + note},
      {"PRAGMA journal_mode = DELETE", pragma + "journal_mode with a value is refused" + note},
      {"PRAGMA foreign_keys = OFF", pragma + "foreign_keys with a value is refused" + note},
      {"ATTACH DATABASE '" + attach_path + "' AS other", "query: ATTACH is refused" + note},
      {"DETACH DATABASE main", "query: DETACH is refused" + note},
      {"BEGIN IMMEDIATE", "query: BEGIN is refused" + note},
      {"COMMIT", "query: COMMIT is refused" + note},
      {"SAVEPOINT keep", "query: SAVEPOINT is refused" + note},
      {"SELECT load_extension('/tmp/nothing.so')", "query: not authorized"},
      {"SELECT fts3_tokenizer('simple', x'4141414141414141')",
       "query: fts3_tokenizer() is refused" + note},
      {"SELECT hex(fts3_tokenizer('simple'))", "query: fts3_tokenizer() is refused" + note},
  };
}

void ExpectRefusedAndUnchanged(const Store& store, const std::string& attach_path) {
  const std::vector<std::string> before = ChildCounts(store);
  for (const Refusal& refusal : Refusals(attach_path)) {
    const Status status = store.Query(refusal.sql, {}, [](const auto&, const auto&) {
      ADD_FAILURE() << "a refused statement produced a row";
      return true;
    });
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << refusal.sql;
    EXPECT_EQ(status.message(), refusal.message) << refusal.sql;
  }
  EXPECT_EQ(ChildCounts(store), before);
  EXPECT_EQ(One(store, "SELECT path, title FROM documents"),
            "2025/acme.txt|Acme Semiconductor pushes back on chip tiers");
  EXPECT_EQ(One(store, "SELECT count(*) FROM entities"), "4");
  EXPECT_EQ(One(store, "PRAGMA user_version"), std::to_string(Store::kSchemaVersion));
  EXPECT_FALSE(std::filesystem::exists(attach_path));
}

TEST_P(StoreTest, QueryRefusesEveryStatementThatWouldWrite) {
  ASSERT_TRUE(Write({AcmeDocument()}).ok());
  ExpectRefusedAndUnchanged(*store_, TempPath("attached-by-query.db"));
  // The write path still works after the refusals: the query guard is gone again.
  ASSERT_TRUE(store_->Delete({"2025/acme.txt"}).ok());
}

TEST_P(StoreTest, NestedQueriesFromARowCallbackAreGuardedToo) {
  ASSERT_TRUE(Write({AcmeDocument()}).ok());
  std::vector<std::string> seen;
  const Status outer = store_->Query(
      "SELECT id, path FROM documents", {}, [&](const auto&, const std::vector<Value>& row) {
        seen.push_back(
            One(*store_, "SELECT count(*) FROM sentences WHERE document_id = ?1", {row[0]}));
        const Status inner = store_->Query("DETACH DATABASE main", {},
                                           [](const auto&, const auto&) { return true; });
        seen.push_back(inner.message());
        return true;
      });
  ASSERT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_THAT(seen, ElementsAre("5", "query: DETACH is refused (stancetrack query is read-only)"));
  // Outside Query() the guard is off again: the Store's own transactions go through.
  EXPECT_TRUE(store_->Delete({"2025/acme.txt"}).ok());
  EXPECT_EQ(store_->Query("COMMIT", {}, [](const auto&, const auto&) { return true; }).message(),
            "query: COMMIT is refused (stancetrack query is read-only)");
}

TEST_P(StoreTest, QueryAllowsReadingPragmas) {
  EXPECT_THAT(Rows(*store_, "PRAGMA table_info(tier_assertions)"), ::testing::SizeIs(8));
  EXPECT_EQ(One(*store_, "SELECT count(*) FROM pragma_index_list('stances')"), "3");
  EXPECT_EQ(One(*store_, "PRAGMA quick_check(1)"), "ok");
}

TEST_P(StoreTest, QueryRunsOneStatementAtATime) {
  struct Case {
    const char* sql;
    std::string result;  // the row, or the error message
  };
  const Case cases[] = {
      {"SELECT 1", "1"},
      {"SELECT 2;", "2"},
      {"  SELECT 3 ;  ;\n\t", "3"},
      {";; SELECT 4", "4"},
      {"SELECT 5; -- a note", "5"},
      {"SELECT 6 /* a note */ ;", "6"},
      {"SELECT 1; SELECT 2", "query: one statement at a time"},
      {"SELECT 1; DELETE FROM stances", "query: one statement at a time"},
      {"SELECT 1; garbage", "query: one statement at a time"},
      {"", "query: no statement to run"},
      {" ; -- only a note", "query: no statement to run"},
      {"SELEC 1", "query: near \"SELEC\": syntax error"},
      {"SELECT x FROM nowhere", "query: no such table: nowhere"},
  };
  for (const Case& c : cases) {
    std::string result;
    const Status status = store_->Query(c.sql, {}, [&](const auto&, const auto& row) {
      result += Dump(row[0]);
      return true;
    });
    EXPECT_EQ(status.ok() ? result : status.message(), c.result) << c.sql;
  }
}

TEST_P(StoreTest, QueryReturnsTypedValuesAndColumnNames) {
  std::vector<std::string> columns;
  std::vector<Value> values;
  const Status status = store_->Query("SELECT ?1 AS i, ?2 AS f, ?3 AS t, ?4 AS n, x'00ff' AS b",
                                      {int64_t{7}, 2.5, std::string("ü"), std::monostate{}},
                                      [&](const auto& names, const auto& row) {
                                        columns = names;
                                        values = row;
                                        return true;
                                      });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_THAT(columns, ElementsAre("i", "f", "t", "n", "b"));
  EXPECT_THAT(values, ElementsAre(Value(int64_t{7}), Value(2.5), Value(std::string("ü")),
                                  Value(std::monostate{}), Value(std::string("\0\xff", 2))));
}

TEST_P(StoreTest, QueryStopsWhenTheCallbackSaysSo) {
  int calls = 0;
  const Status status = store_->Query(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n", {},
      [&](const auto&, const auto&) { return ++calls < 3; });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(calls, 3);
}

TEST_P(StoreTest, QueryRefusesAWrongNumberOfParameters) {
  const Status status =
      store_->Query("SELECT ?1 + ?2", {int64_t{1}}, [](const auto&, const auto&) { return true; });
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "query: the statement takes 2 parameters, 1 given");
}

TEST_P(StoreTest, QueryReportsErrorsWhileStepping) {
  const Status status = store_->Query("SELECT abs(-9223372036854775807 - 1)", {},
                                      [](const auto&, const auto&) { return true; });
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "query: integer overflow");
}

// ---- the example queries of README.md ("The database") ---------------------------------------

// A small database for the README's example queries: four articles, two of them Acme's.
std::vector<StoredDocument> ExampleCorpus() {
  StoredDocument brightline = MakeStoredDocument(
      "2025/brightline.txt",
      {{BlockKind::kTitle, {"Brightline Systems joins critics of the export tiers"}, ""},
       {BlockKind::kBody,
        {"Brightline Systems urged Washington to rescind the AI Diffusion Rule.",
         "India and Poland were listed as tier 2 countries.",
         "The Chip Trade Council backed the October controls."},
        ""}});
  brightline.annotations.published = "2025-02-03";
  AddMention(brightline, EntityType::kCompany, "Brightline Systems", "Brightline Systems", 1);
  AddMention(brightline, EntityType::kPolicy, "ai-diffusion-rule", "AI Diffusion Rule");
  AddMention(brightline, EntityType::kCountry, "IN", "India");
  AddMention(brightline, EntityType::kCountry, "PL", "Poland");
  AddMention(brightline, EntityType::kOrganization, "Chip Trade Council", "Chip Trade Council");
  AddTier(brightline, "IN", 2, 2, "tier 2");
  AddTier(brightline, "PL", 2, 2, "tier 2");
  AddStance(brightline, "Brightline Systems", "", "ai-diffusion-rule", Polarity::kOppose,
            "urged Washington to rescind");
  AddStance(brightline, "Chip Trade Council", "", "us-chip-export-controls", Polarity::kSupport,
            "backed the October controls", "2025-02-01");

  StoredDocument march = MakeStoredDocument(
      "2025/acme-march.txt",
      {{BlockKind::kBody,
        {"In Zürich, Acme Semiconductor repeated its objection to the diffusion rule.",
         "\"The caps punish our customers in India,\" Dana Reyes said."},
        ""}});
  march.annotations.published = "2025-03-11";
  AddMention(march, EntityType::kCompany, "Acme Semiconductor", "Acme Semiconductor");
  AddMention(march, EntityType::kCountry, "IN", "India");
  AddMention(march, EntityType::kPerson, "Dana Reyes", "Dana Reyes");
  AddQuote(march, "The caps punish our customers in India,", "Dana Reyes", "Acme Semiconductor");
  AddStance(march, "Acme Semiconductor", "Dana Reyes", "ai-diffusion-rule", Polarity::kOppose,
            "repeated its objection", "2025-03-10");

  StoredDocument commerce =
      MakeStoredDocument("2025/zh-commerce.txt",
                         {{BlockKind::kBody,
                           {"美国商务部表示，出口管制将继续执行。", "该规则把印度列为第二层级。"},
                           ""}});
  commerce.doc.language = "zh";
  commerce.annotations.published = "2025-01-15";
  AddMention(commerce, EntityType::kOrganization, "Department of Commerce", "美国商务部");
  AddMention(commerce, EntityType::kCountry, "IN", "印度");
  AddTier(commerce, "IN", 2, 2, "第二层级");
  AddStance(commerce, "Department of Commerce", "", "ai-diffusion-rule", Polarity::kSupport,
            "出口管制将继续执行", "", "US");
  return {AcmeDocument(), brightline, march, commerce};
}

TEST_P(StoreTest, AGovernmentStanceKeepsItsCountry) {
  ASSERT_TRUE(Write(ExampleCorpus()).ok());
  EXPECT_EQ(One(*store_,
                "SELECT group_concat(actor || '=' || ifnull(country, 'none'), ', ') "
                "FROM (SELECT actor, country FROM stances ORDER BY actor)"),
            "Acme Semiconductor=none, Acme Semiconductor=none, Brightline Systems=none, "
            "Chip Trade Council=none, Department of Commerce=US");
}

TEST_P(StoreTest, ReadmeExampleQueriesAnswerTheirQuestions) {
  ASSERT_TRUE(Write(ExampleCorpus()).ok());
  struct Case {
    const char* question;
    const char* sql;  // verbatim in README.md
    std::vector<std::string> rows;
  };
  const Case cases[] = {
      {"Which companies opposed the AI Diffusion Rule, and when?",
       R"sql(SELECT coalesce(v.date, v.published) AS day, v.actor, v.path, v.evidence
FROM stance_evidence v
WHERE v.policy = 'ai-diffusion-rule' AND v.polarity = 'oppose'
  AND v.actor IN (SELECT canonical FROM entities WHERE type = 'company')
ORDER BY day, v.actor;)sql",
       {"2025-01-20|Acme Semiconductor|2025/acme.txt|Acme Semiconductor said on Monday that it "
        "opposes the AI Diffusion Rule.",
        "2025-02-03|Brightline Systems|2025/brightline.txt|Brightline Systems urged Washington "
        "to rescind the AI Diffusion Rule.",
        "2025-03-10|Acme Semiconductor|2025/acme-march.txt|In Zürich, Acme Semiconductor "
        "repeated its objection to the diffusion rule."}},
      {"Stances by month",
       R"sql(SELECT substr(coalesce(s.date, d.published), 1, 7) AS month, s.policy,
       sum(s.polarity = 'support') AS support,
       sum(s.polarity = 'oppose') AS oppose,
       sum(s.polarity = 'mixed') AS mixed
FROM stances s JOIN documents d ON d.id = s.document_id
WHERE coalesce(s.date, d.published) IS NOT NULL
GROUP BY month, s.policy
ORDER BY month, s.policy;)sql",
       {"2025-01|ai-diffusion-rule|1|1|0", "2025-02|ai-diffusion-rule|0|1|0",
        "2025-02|us-chip-export-controls|1|0|0", "2025-03|ai-diffusion-rule|0|1|0"}},
      {"Every quote of a speaker",
       R"sql(SELECT published, path, speaker_org, quote
FROM quote_text
WHERE speaker = 'Dana Reyes'
ORDER BY published, path;)sql",
       {"2025-01-20|2025/acme.txt|Acme Semiconductor|We cannot plan a factory around caps that "
        "move every quarter,",
        "2025-03-11|2025/acme-march.txt|Acme Semiconductor|The caps punish our customers in "
        "India,"}},
      {"Which tier-2 countries are named most?",
       R"sql(SELECT c.canonical AS country, c.documents, c.mentions
FROM mention_counts c
WHERE c.type = 'country'
  AND c.canonical IN (SELECT country FROM tier_assertions WHERE tier = 2)
ORDER BY c.documents DESC, c.mentions DESC, c.canonical;)sql",
       {"IN|3|3", "PL|2|2"}},
      {"Full-text search",
       R"sql(SELECT d.path, d.published,
       snippet(documents_fts, 1, '[', ']', '...', 6) AS excerpt
FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
WHERE documents_fts MATCH 'rescind OR zurich'
ORDER BY rank, d.path;)sql",
       {"2025/acme-march.txt|2025-03-11|In [Zürich], Acme Semiconductor repeated its...",
        "2025/brightline.txt|2025-02-03|...Washington to [rescind] the AI Diffusion..."}},
      {"Search Chinese text (not segmented by the FTS tokenizer)",
       R"sql(SELECT path, published FROM documents
WHERE instr(text, '出口管制') > 0
ORDER BY published;)sql",
       {"2025/zh-commerce.txt|2025-01-15"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Rows(*store_, c.sql), c.rows) << c.question;
  }
}

// ---- files: versions, modes, concurrency
// ----------------------------------------------------------

class StoreFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath(std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                     ".db");
    RemoveDatabase(path_);
  }
  void TearDown() override { RemoveDatabase(path_); }

  std::unique_ptr<Store> Open(Store::Mode mode) {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, mode);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // A database holding AcmeDocument(), closed again.
  void CreateWithAcme() {
    std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
    ASSERT_NE(store, nullptr);
    StatusOr<int64_t> run = store->BeginRun("stancetrack ingest");
    ASSERT_TRUE(run.ok());
    ASSERT_TRUE(store->Write(*run, {AcmeDocument()}).ok());
  }

  // A database holding AcmeDocument() taken back to an older schema by `back_sql`, then opened
  // for writing, which migrates it to this version.
  std::unique_ptr<Store> OpenMigrated(const std::string& back_sql) {
    CreateWithAcme();
    EXPECT_EQ(RawExec(path_, back_sql), SQLITE_OK);
    std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
    if (store != nullptr) {
      EXPECT_EQ(One(*store, "PRAGMA user_version"), std::to_string(Store::kSchemaVersion));
    }
    return store;
  }

  std::string path_;
};

TEST_F(StoreFileTest, FileDatabaseRunsInWalModeWithNormalSync) {
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawOne(path_, "PRAGMA journal_mode"), "wal");  // kept in the file
  EXPECT_EQ(One(*store, "PRAGMA synchronous"), "1");       // NORMAL, per connection
}

TEST_F(StoreFileTest, ReopeningKeepsTheDataAndTheSchema) {
  CreateWithAcme();
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, "SELECT path FROM documents"), "2025/acme.txt");
  EXPECT_EQ(One(*store, "PRAGMA user_version"), std::to_string(Store::kSchemaVersion));
}

TEST_F(StoreFileTest, FtsIndexStaysConsistentThroughRewritesAndDeletes) {
  CreateWithAcme();
  {
    std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
    ASSERT_NE(store, nullptr);
    StatusOr<int64_t> run = store->BeginRun("again");
    ASSERT_TRUE(run.ok());
    StoredDocument untitled = AcmeDocument();
    untitled.doc.meta.title.clear();  // NULL title goes through the triggers too
    ASSERT_TRUE(store->Write(*run, {untitled, MakeStoredDocument("x.txt", {})}).ok());
    ASSERT_TRUE(store->Delete({"x.txt"}).ok());
  }
  EXPECT_EQ(FtsIntegrityCheck(path_), SQLITE_OK);
}

// The writer indexes a batch for search after writing it; a path written twice in one batch
// replaces its first version, which must leave the index as if it had never been there.
TEST_F(StoreFileTest, APathWrittenTwiceInOneBatchIsSearchableOnceAsItsLastVersion) {
  {
    std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
    ASSERT_NE(store, nullptr);
    StatusOr<int64_t> run = store->BeginRun("twice");
    ASSERT_TRUE(run.ok());
    const StoredDocument first =
        MakeStoredDocument("x.txt", {{BlockKind::kBody, {"Quotas on accelerators."}, ""}});
    const StoredDocument second =
        MakeStoredDocument("x.txt", {{BlockKind::kBody, {"Licences for wafers."}, ""}});
    ASSERT_TRUE(store->Write(*run, {AcmeDocument(), first, second}).ok());
    EXPECT_EQ(FtsMatch(*store, "quotas"), std::vector<std::string>{});
    EXPECT_EQ(FtsMatch(*store, "wafers"), std::vector<std::string>{"x.txt"});
    EXPECT_EQ(FtsMatch(*store, "factory"), std::vector<std::string>{"2025/acme.txt"});
  }
  EXPECT_EQ(FtsIntegrityCheck(path_), SQLITE_OK);
}

// Makes a file of this version one of version 6: stances without their country.
// Makes a file of this version one of version 7: FTS5's default crisis merge.
constexpr char kBackToVersion7[] =
    "DELETE FROM documents_fts_config WHERE k = 'crisismerge'; PRAGMA user_version = 7;";

// Makes a file of this version one of version 6: also no country column in stances.
const std::string kBackToVersion6 =
    std::string(kBackToVersion7) +
    "ALTER TABLE stances DROP COLUMN country; PRAGMA user_version = 6;";

// Makes a file of this version one of version 5: every original stored whole, no view.
const std::string kBackToVersion5 =
    std::string(kBackToVersion6) +
    "DROP VIEW document_originals; UPDATE documents SET original = text WHERE original = ''; "
    "PRAGMA user_version = 5;";

// Makes a file of this version one of version 4: FTS5's default merge setting, as before 5.
const std::string kBackToVersion4 =
    std::string(kBackToVersion5) +
    "DELETE FROM documents_fts_config WHERE k = 'automerge'; PRAGMA user_version = 4;";

// Makes a file of this version one of version 3: also puts back the trigger migration 4 drops.
const std::string kBackToVersion3 =
    std::string(kBackToVersion4) +
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END; "
    "PRAGMA user_version = 3;";

// Makes a file of this version one of version 2: also drops what migration 3 adds.
const std::string kBackToVersion2 =
    std::string(kBackToVersion3) +
    "DROP TRIGGER link_state_document_insert; DROP TRIGGER link_state_document_delete; "
    "DROP TRIGGER link_state_document_update; DROP TRIGGER link_state_signature_insert; "
    "DROP TRIGGER link_state_signature_delete; DROP TRIGGER link_state_signature_update; "
    "DROP TABLE link_state; DROP INDEX documents_by_duplicate_of; PRAGMA user_version = 2;";

TEST_F(StoreFileTest, AFirstLoadStoppedBeforeItsEndGetsTheEntityIndexOnTheNextOpen) {
  {
    std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
    ASSERT_NE(store, nullptr);
    StatusOr<int64_t> run = store->BeginRun("stancetrack ingest");
    ASSERT_TRUE(run.ok());
    ASSERT_TRUE(store->Write(*run, {AcmeDocument()}).ok());
    EXPECT_EQ(One(*store, kEntityIndexExists), "0");
  }
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, kEntityIndexExists), "1");
}

TEST_F(StoreFileTest, SearchIndexMergesSixteenSegmentsAtATimeAndRarelyAllAtOnce) {
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, "SELECT v FROM documents_fts_config WHERE k = 'automerge'"), "16");
  EXPECT_EQ(One(*store, "SELECT v FROM documents_fts_config WHERE k = 'crisismerge'"), "64");
}

TEST_F(StoreFileTest, MigratingVersion6GivesTheStoredStancesNoCountry) {
  std::unique_ptr<Store> store = OpenMigrated(kBackToVersion6);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, "SELECT count(*) || '|' || count(country) FROM stances"), "1|0");
}

TEST_F(StoreFileTest, MigratingVersion5KeepsTheOriginalsStoredWhole) {
  std::unique_ptr<Store> store = OpenMigrated(kBackToVersion5);
  ASSERT_NE(store, nullptr);
  const std::string text = One(*store, "SELECT text FROM documents");
  EXPECT_EQ(One(*store, "SELECT original FROM documents"), text);
  EXPECT_EQ(One(*store, "SELECT original FROM document_originals"), text);
}

TEST_F(StoreFileTest, MigratingVersions4And7SetsTheSearchIndexMergesAndKeepsItsDocuments) {
  for (const std::string& back : {kBackToVersion4, std::string(kBackToVersion7)}) {
    std::unique_ptr<Store> store = OpenMigrated(back);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(One(*store,
                  "SELECT group_concat(k || '=' || v, ' ') FROM documents_fts_config "
                  "WHERE k IN ('automerge', 'crisismerge')"),
              "automerge=16 crisismerge=64")
        << back;
    EXPECT_EQ(FtsMatch(*store, "factory"), (std::vector<std::string>{"2025/acme.txt"}));
    store.reset();
    EXPECT_EQ(FtsIntegrityCheck(path_), SQLITE_OK);
    std::filesystem::remove(path_);
  }
}

TEST_F(StoreFileTest, MigratingVersion1AddsSignaturesAndMakesEveryDocumentChanged) {
  std::unique_ptr<Store> store =
      OpenMigrated(kBackToVersion2 + "DROP TABLE document_signatures; PRAGMA user_version = 1;");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, "SELECT count(*) FROM document_signatures"), "0");
  // No stored hash matches a file, so the next ingest processes (and signs) every document.
  EXPECT_EQ(One(*store, "SELECT content_hash FROM documents"), "");
}

TEST_F(StoreFileTest, ASignatureOfBrokenLengthIsCorruption) {
  CreateWithAcme();
  ASSERT_EQ(RawExec(path_,
                    "INSERT INTO document_signatures(document_id, minhash) "
                    "SELECT id, x'010203' FROM documents"),
            SQLITE_OK);
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  ASSERT_NE(store, nullptr);
  StatusOr<std::unique_ptr<LinkSession>> session = store->BeginLinking("rules");
  ASSERT_TRUE(session.ok()) << session.status().message();
  const Status status =
      (*session)->ForEachSignature(4, [](uint32_t, const auto&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_EQ(status.message(),
            "document_signatures: the signature of 2025/acme.txt is 3 bytes, not a whole number "
            "of 32-bit values");
}

// Version 4 indexes documents for search from the writer, so a migrated file must not keep the
// trigger that did: each document would be indexed twice.
TEST_F(StoreFileTest, MigratingVersion3IndexesEachDocumentOnce) {
  std::unique_ptr<Store> store = OpenMigrated(kBackToVersion3);
  ASSERT_NE(store, nullptr);
  StatusOr<int64_t> run = store->BeginRun("after the upgrade");
  ASSERT_TRUE(run.ok());
  StoredDocument rewritten = AcmeDocument();
  rewritten.doc.id = "2025/acme-again.txt";
  ASSERT_TRUE(store->Write(*run, {rewritten}).ok());
  EXPECT_EQ(FtsMatch(*store, "factory"),
            (std::vector<std::string>{"2025/acme-again.txt", "2025/acme.txt"}));
  store.reset();
  EXPECT_EQ(FtsIntegrityCheck(path_), SQLITE_OK);
}

TEST_F(StoreFileTest, MigratingVersion2MakesTheLinksStale) {
  std::unique_ptr<Store> store = OpenMigrated(kBackToVersion2);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(*store, "SELECT rules FROM link_state"), "NULL");
  StatusOr<std::unique_ptr<LinkSession>> session = store->BeginLinking("rules");
  ASSERT_TRUE(session.ok());
  EXPECT_FALSE((*session)->up_to_date());
}

// A reader of several queries (a timeline) sees one state: a write committed between two of
// its queries shows only after the snapshot.
TEST_F(StoreFileTest, ReadSnapshotDoesNotSeeWritesCommittedDuringIt) {
  CreateWithAcme();
  std::unique_ptr<Store> writer = Open(Store::Mode::kReadWrite);
  std::unique_ptr<Store> reader = Open(Store::Mode::kReadOnly);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  StoredDocument later = AcmeDocument();
  later.doc.id = "2025/later.txt";
  std::vector<std::string> seen;
  const Status status = reader->InReadSnapshot([&] {
    seen.push_back(One(*reader, "SELECT count(*) FROM documents"));
    StatusOr<int64_t> run = writer->BeginRun("stancetrack ingest");
    if (!run.ok()) return run.status();
    ST_RETURN_IF_ERROR(writer->Write(*run, {later}));
    seen.push_back(One(*reader, "SELECT count(*) FROM documents"));
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "1"}));
  EXPECT_EQ(One(*reader, "SELECT count(*) FROM documents"), "2");
}

TEST_F(StoreFileTest, ReadSnapshotReturnsWhatItsBodyReturns) {
  CreateWithAcme();
  std::unique_ptr<Store> reader = Open(Store::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  const Status status = reader->InReadSnapshot([] { return Status::NotFound("no such policy"); });
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.message(), "no such policy");
}

TEST_F(StoreFileTest, ReadOnlyRefusesToLink) {
  CreateWithAcme();
  std::unique_ptr<Store> store = Open(Store::Mode::kReadOnly);
  ASSERT_NE(store, nullptr);
  StatusOr<std::unique_ptr<LinkSession>> session = store->BeginLinking("rules");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(), "link duplicates: the database was opened read-only");
}

TEST_F(StoreFileTest, ReadOnlyRefusesToSetDuplicates) {
  CreateWithAcme();
  std::unique_ptr<Store> store = Open(Store::Mode::kReadOnly);
  ASSERT_NE(store, nullptr);
  const Status status = store->SetDuplicates({{"2025/acme.txt", "x.txt"}});
  EXPECT_EQ(status.code(), Status::Code::kInternal);
  EXPECT_EQ(status.message(), "set duplicates: the database was opened read-only");
  EXPECT_EQ(One(*store, "SELECT duplicate_of FROM documents"), "NULL");
}

TEST_F(StoreFileTest, NewerSchemaVersionIsRefused) {
  CreateWithAcme();
  const std::string newer = std::to_string(Store::kSchemaVersion + 1);
  ASSERT_EQ(RawExec(path_, "PRAGMA user_version = " + newer), SQLITE_OK);
  const std::string expected = path_ + ": database schema version " + newer +
                               " is newer than this stancetrack supports (version " +
                               std::to_string(Store::kSchemaVersion) + "): upgrade stancetrack";
  for (Store::Mode mode : {Store::Mode::kReadWrite, Store::Mode::kReadOnly}) {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kUnsupported);
    EXPECT_EQ(store.status().message(), expected);
  }
}

TEST_F(StoreFileTest, ReadOnlyRefusesAnOlderSchema) {
  std::ofstream(path_).flush();  // an empty file: a valid SQLite database of version 0
  StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, Store::Mode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(store.status().message(),
            path_ + ": database schema version 0 is older than this stancetrack's (version " +
                std::to_string(Store::kSchemaVersion) +
                "): run `stancetrack ingest` to upgrade it");
}

TEST_F(StoreFileTest, AnotherProgramsDatabaseIsRefusedAndLeftAsItWas) {
  ASSERT_EQ(RawExec(path_,
                    "CREATE TABLE documents(id INTEGER PRIMARY KEY, body TEXT);"
                    "INSERT INTO documents(body) VALUES ('notes');"
                    "CREATE INDEX documents_by_body ON documents(body);"),
            SQLITE_OK);
  const std::string expected =
      path_ +
      ": not a stancetrack database: it holds 2 tables or other schema objects of another "
      "program (schema version 0); give --db a new file";
  for (Store::Mode mode : {Store::Mode::kReadWrite, Store::Mode::kReadOnly}) {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kUnsupported);
    EXPECT_EQ(store.status().message(), expected);
  }
  EXPECT_EQ(RawOne(path_, "SELECT count(*) FROM sqlite_master"), "2");
  EXPECT_EQ(RawOne(path_, "SELECT body FROM documents"), "notes");
}

TEST_F(StoreFileTest, ATextFileIsNotADatabase) {
  std::ofstream(path_) << "These are notes, not a database, and they go on for a while so "
                          "that SQLite reads a full header's worth of bytes from them.\n";
  for (Store::Mode mode : {Store::Mode::kReadWrite, Store::Mode::kReadOnly}) {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
    EXPECT_THAT(store.status().message(), HasSubstr("file is not a database"));
  }
}

TEST_F(StoreFileTest, ReadOnlyOnAMissingFileIsNotFoundAndCreatesNothing) {
  StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, Store::Mode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store.status().message(),
            "no database at " + path_ + ": run `stancetrack ingest` first");
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(StoreFileTest, ReadOnlyRefusesWritesAndLeavesTheDataUnchanged) {
  CreateWithAcme();
  std::unique_ptr<Store> reader = Open(Store::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  ExpectRefusedAndUnchanged(*reader, TempPath("attached-by-reader.db"));
  EXPECT_EQ(RawOne(path_, "PRAGMA journal_mode"), "wal");

  EXPECT_EQ(reader->Write(1, {AcmeDocument()}).message(),
            "write: the database was opened read-only");
  EXPECT_EQ(reader->Delete({"2025/acme.txt"}).code(), Status::Code::kInternal);
  EXPECT_FALSE(reader->BeginRun("x").ok());
  EXPECT_EQ(One(*reader, "SELECT count(*) FROM documents"), "1");
  EXPECT_EQ(reader->ContentHashes()->Check("2025/acme.txt", "hash:2025/acme.txt"),
            ContentHashIndex::Seen::kUnchanged);
}

TEST_F(StoreFileTest, TwoStoresOnOneFileSeeEachOthersCommits) {
  std::unique_ptr<Store> first = Open(Store::Mode::kReadWrite);
  std::unique_ptr<Store> second = Open(Store::Mode::kReadWrite);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  StatusOr<int64_t> run = first->BeginRun("first");
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(first->Write(*run, {AcmeDocument()}).ok());
  EXPECT_EQ(One(*second, "SELECT path FROM documents"), "2025/acme.txt");
  StoredDocument other =
      MakeStoredDocument("other.txt", {{BlockKind::kBody, {"Orbit Chips."}, ""}});
  AddMention(other, EntityType::kCompany, "Acme Semiconductor", "Orbit Chips");
  ASSERT_TRUE(second->Write(*run, {other}).ok());  // its entity cache starts from the file
  EXPECT_EQ(One(*first, "SELECT documents FROM mention_counts WHERE type = 'company'"), "2");
}

TEST_F(StoreFileTest, SecondWriterGetsBusyWhileAnotherHoldsTheWriteLock) {
  CreateWithAcme();
  std::unique_ptr<Store> store = Open(Store::Mode::kReadWrite);
  std::unique_ptr<Store> reader = Open(Store::Mode::kReadOnly);
  ASSERT_NE(store, nullptr);
  ASSERT_NE(reader, nullptr);
  // Another ingest in the middle of its transaction.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; DELETE FROM stances;", nullptr, nullptr, nullptr),
            SQLITE_OK);

  const auto start = std::chrono::steady_clock::now();
  const Status status = store->Write(1, {MakeStoredDocument("late.txt", {})});
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), Status::Code::kBusy);
  EXPECT_EQ(status.message(),
            "begin write transaction: another stancetrack ingest is writing to this database "
            "(gave up after 5000 ms)");
  EXPECT_GE(waited, std::chrono::milliseconds(Store::kBusyTimeoutMs / 2));
  // WAL: readers are not blocked and see the last commit, not the writer's pending delete.
  EXPECT_EQ(One(*reader, "SELECT count(*) FROM stances"), "1");

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(store->Write(1, {MakeStoredDocument("late.txt", {})}).ok());
  EXPECT_EQ(One(*reader, "SELECT count(*) FROM documents"), "2");
}

}  // namespace
}  // namespace stancetrack
