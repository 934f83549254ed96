#include "pipeline/duplicates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "extractors/extract.h"
#include "extractors/tsv.h"
#include "pipeline/boilerplate.h"
#include "pipeline/ingest.h"
#include "tests/pipeline/fake_file_system.h"

namespace stancetrack {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// ---- texts ------------------------------------------------------------------------------------

constexpr char kWire[] =
    "Helix Microdevices said on Wednesday that it would stop shipping its fastest accelerator "
    "boards to customers in three countries after the Commerce Department told the company that "
    "a licence would be needed for each order. The chipmaker expects the change to cut quarterly "
    "revenue by about four hundred million dollars, chief financial officer Maria Olsen told "
    "analysts on a conference call. Shares of the Austin company fell seven percent in late "
    "trading. Olsen said the firm had already applied for licences covering its largest data "
    "centre clients and hoped to hear back within two months. Industry groups warned that the "
    "rules would push buyers toward suppliers outside the United States.";

// kWire as another outlet ran it: a few words changed, one sentence cut, one added.
constexpr char kWireEdited[] =
    "Helix Microdevices said on Wednesday evening that it would stop shipping its fastest "
    "accelerator boards to customers in three countries after the Commerce Department told the "
    "company that a licence would be needed for each order. The chipmaker expects the change to "
    "cut quarterly revenue by roughly 400 million dollars, chief financial officer Maria Olsen "
    "told analysts on a conference call. The company did not name the countries. Olsen said the "
    "firm had already applied for licences covering its largest data centre clients and hoped to "
    "hear back within two months. Industry groups warned that the rules would push buyers toward "
    "suppliers outside the United States.";

// kWire with its typography changed: case, full-width letters, curly quotes, dashes.
constexpr char kWireRetyped[] =
    "HELIX MICRODEVICES said on Wednesday that it would stop shipping its fastest accelerator "
    "boards to customers in three countries — after the Commerce Department told the company "
    "that a “licence” would be needed for each order. The chipmaker expects the change to cut "
    "quarterly revenue by about four hundred million dollars, chief financial officer Maria "
    "Olsen told analysts on a conference call. Shares of the Ａｕｓｔｉｎ company fell seven "
    "percent in late trading. Olsen said the firm had already applied for licences covering its "
    "largest data centre clients and hoped to hear back within two months. Industry groups "
    "warned that the rules would push buyers toward suppliers outside the United States.";

// The same event, written independently: shares names and phrases, not text.
constexpr char kSameTopic[] =
    "Lawmakers questioned on Thursday whether the licence requirement that halted Helix "
    "Microdevices shipments of accelerator boards would slow research at American firms. Two "
    "senators asked the Commerce Department to publish how many applications it had approved "
    "since the rule took effect, and whether data centre operators abroad had turned to other "
    "suppliers. A department spokesman said the agency reviews each request on its merits.";

constexpr char kUnrelated[] =
    "The Brookfield city council voted late on Monday to keep its public libraries open until "
    "nine in the evening on weekdays, after a survey found that students and shift workers "
    "wanted more time to use the reading rooms. The change will cost the city about two hundred "
    "thousand dollars a year, which the council plans to cover by delaying repairs to a car park.";

constexpr char kSimplified[] =
    "商务部周三宣布，将对部分高性能芯片的出口实施新的许可证要求。一位发言人表示，这些规定旨在"
    "保护国家安全，同时尽量减少对正常贸易的影响。多家半导体企业表示，他们正在评估新规对供应链和"
    "海外销售的影响。";

constexpr char kTraditional[] =
    "商務部週三宣布，將對部分高性能芯片的出口實施新的許可證要求。一位發言人表示，這些規定旨在"
    "保護國家安全，同時儘量減少對正常貿易的影響。多家半導體企業表示，他們正在評估新規對供應鏈和"
    "海外銷售的影響。";

// ---- building documents -----------------------------------------------------------------------

struct Block {
  BlockKind kind;
  std::string text;
};

Document MakeDocument(const std::vector<Block>& blocks) {
  Document doc;
  for (const Block& block : blocks) {
    if (!doc.text.empty()) doc.text += "\n\n";
    const auto begin = static_cast<uint32_t>(doc.text.size());
    doc.text += block.text;
    doc.paragraphs.push_back({{begin, static_cast<uint32_t>(doc.text.size())}, block.kind, "", ""});
  }
  return doc;
}

MinHash SignatureOf(const std::vector<Block>& blocks) {
  StatusOr<MinHash> signature = ContentSignature(MakeDocument(blocks));
  EXPECT_TRUE(signature.ok()) << signature.status().message();
  return signature.ok() ? *signature : MinHash();
}

MinHash SignatureOf(const std::string& body) { return SignatureOf({{BlockKind::kBody, body}}); }

// ---- signatures -------------------------------------------------------------------------------

TEST(ContentSignatureTest, NearIdenticalTextsAreCloseAndDifferentTextsFar) {
  struct Case {
    const char* name;
    const char* a;
    const char* b;
    double min;
    double max;
  };
  const Case cases[] = {
      {"same text", kWire, kWire, 1.0, 1.0},
      {"typography and case only", kWire, kWireRetyped, 1.0, 1.0},
      {"small edits", kWire, kWireEdited, 0.5, 0.9},
      {"same event, own words", kWire, kSameTopic, 0.0, kDuplicateThreshold - 0.1},
      {"unrelated", kWire, kUnrelated, 0.0, 0.05},
  };
  for (const Case& c : cases) {
    const double similarity = Similarity(SignatureOf(c.a), SignatureOf(c.b));
    EXPECT_GE(similarity, c.min) << c.name;
    EXPECT_LE(similarity, c.max) << c.name;
  }
}

TEST(ContentSignatureTest, TraditionalAndSimplifiedChineseAreOneText) {
  const MinHash simplified = SignatureOf(kSimplified);
  ASSERT_THAT(simplified, SizeIs(kSignatureSize));
  EXPECT_EQ(Similarity(simplified, SignatureOf(kTraditional)), 1.0);
}

TEST(ContentSignatureTest, BoilerplateIsLeftOutAndTheTitleCounts) {
  const MinHash plain = SignatureOf({{BlockKind::kBody, kWire}});
  const MinHash with_boilerplate =
      SignatureOf({{BlockKind::kBoilerplate, "Sign in | Subscribe | Markets | Technology"},
                   {BlockKind::kBody, kWire},
                   {BlockKind::kBoilerplate, kUnrelated}});
  EXPECT_EQ(with_boilerplate, plain);
  const MinHash titled = SignatureOf(
      {{BlockKind::kTitle, "Helix halts accelerator exports"}, {BlockKind::kBody, kWire}});
  EXPECT_NE(titled, plain);
  EXPECT_GT(Similarity(titled, plain), 0.8);
}

// Four words make a shingle, so n distinct words make n - 3 distinct shingles.
TEST(ContentSignatureTest, TextBelowTheMinimumShinglesHasNoSignature) {
  const std::string seven_shingles = "one two three four five six seven eight nine ten";
  const std::string eight_shingles = seven_shingles + " eleven";
  EXPECT_THAT(SignatureOf(seven_shingles), IsEmpty());
  EXPECT_THAT(SignatureOf(eight_shingles), SizeIs(kSignatureSize));
  EXPECT_THAT(SignatureOf({{BlockKind::kBoilerplate, kWire}}), IsEmpty());
  EXPECT_THAT(SignatureOf(""), IsEmpty());
}

// Japanese has no spaces: read as words, this sentence would be one token and no shingle.
TEST(ContentSignatureTest, CjkCharactersAreTokensOfTheirOwn) {
  EXPECT_THAT(SignatureOf("半導体メーカー各社は新しい輸出規制への対応を急いでいる"),
              SizeIs(kSignatureSize));
}

TEST(ContentSignatureTest, EveryThreadComputesTheSameSignature) {
  const MinHash expected = SignatureOf(kTraditional);
  std::vector<MinHash> results(4);
  std::vector<std::thread> threads;
  for (MinHash& result : results) {
    threads.emplace_back([&result] {
      for (int i = 0; i < 20; ++i) result = SignatureOf(kTraditional);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const MinHash& result : results) EXPECT_EQ(result, expected);
}

TEST(SimilarityTest, EmptyOrMismatchedSignaturesShareNothing) {
  EXPECT_EQ(Similarity({}, {}), 0.0);
  EXPECT_EQ(Similarity({1, 2}, {1, 2, 3}), 0.0);
  EXPECT_EQ(Similarity({1, 2, 3, 4}, {1, 2, 0, 0}), 0.5);
}

// ---- assigning duplicates ---------------------------------------------------------------------

// A signature that agrees with every other signature of `story` on its first `shared` values
// and with no other signature anywhere else.
MinHash StorySignature(uint32_t story, uint32_t variant, size_t shared) {
  MinHash signature(kSignatureSize);
  for (uint32_t i = 0; i < kSignatureSize; ++i) {
    signature[i] =
        i < shared ? story * 100000 + i : 0x80000000u | (story * 100000 + variant * 1000 + i);
  }
  return signature;
}

DocumentSignature Doc(const std::string& path, const std::string& published, MinHash signature) {
  return {path, published, "", std::move(signature)};
}

// "path -> duplicate_of" for every document that has one, in input order.
std::vector<std::string> Links(const std::vector<DocumentSignature>& documents,
                               double threshold = kDuplicateThreshold) {
  const std::vector<std::string> duplicate_of = AssignDuplicates(documents, threshold);
  std::vector<std::string> links;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (!duplicate_of[i].empty()) links.push_back(documents[i].path + " -> " + duplicate_of[i]);
  }
  return links;
}

TEST(AssignDuplicatesTest, EarliestByPublishedThenPathIsTheOriginal) {
  EXPECT_THAT(Links({Doc("b.txt", "2025-03-02", StorySignature(1, 1, 100)),
                     Doc("a.txt", "2025-03-02", StorySignature(1, 2, 100)),
                     Doc("c.txt", "2025-03-01", StorySignature(1, 3, 100))}),
              ElementsAre("b.txt -> c.txt", "a.txt -> c.txt"));
  EXPECT_THAT(Links({Doc("b.txt", "2025-03-02", StorySignature(1, 1, 100)),
                     Doc("a.txt", "2025-03-02", StorySignature(1, 2, 100))}),
              ElementsAre("b.txt -> a.txt"));
}

TEST(AssignDuplicatesTest, DatedDocumentsComeBeforeUndatedOnes) {
  EXPECT_THAT(Links({Doc("a.txt", "", StorySignature(1, 1, 100)),
                     Doc("z.txt", "2025-06-30", StorySignature(1, 2, 100)),
                     Doc("b.txt", "", StorySignature(1, 3, 100))}),
              ElementsAre("a.txt -> z.txt", "b.txt -> z.txt"));
}

TEST(AssignDuplicatesTest, ThresholdIsTheLeastShareOfEqualValues) {
  const size_t at_threshold = kSignatureSize / 4;  // 0.25 exactly
  EXPECT_THAT(Links({Doc("a.txt", "2025-01-01", StorySignature(1, 1, at_threshold)),
                     Doc("b.txt", "2025-01-02", StorySignature(1, 2, at_threshold))},
                    0.25),
              ElementsAre("b.txt -> a.txt"));
  EXPECT_THAT(Links({Doc("a.txt", "2025-01-01", StorySignature(1, 1, at_threshold - 1)),
                     Doc("b.txt", "2025-01-02", StorySignature(1, 2, at_threshold - 1))},
                    0.25),
              IsEmpty());
}

TEST(AssignDuplicatesTest, DifferentStoriesAndUnsignedDocumentsStayApart) {
  EXPECT_THAT(
      Links({Doc("a.txt", "2025-01-01", StorySignature(1, 1, 128)),
             Doc("b.txt", "2025-01-01", StorySignature(2, 1, 128)), Doc("c.txt", "2025-01-01", {}),
             Doc("d.txt", "2025-01-01", {}), Doc("e.txt", "2025-01-01", {1, 2, 3})}),
      IsEmpty());
}

// b is a near-duplicate of a, c of b, but c shares only a fifth of its text with a.
TEST(AssignDuplicatesTest, ADuplicateIsNeverTheOriginalOfAnother) {
  const MinHash a = StorySignature(1, 1, 0);
  MinHash b = StorySignature(1, 2, 0);
  std::copy(a.begin(), a.begin() + 77, b.begin());
  MinHash c = StorySignature(1, 3, 0);
  std::copy(b.begin() + 51, b.end(), c.begin() + 51);
  ASSERT_GE(Similarity(b, c), kDuplicateThreshold);
  ASSERT_LT(Similarity(a, c), kDuplicateThreshold);
  EXPECT_THAT(Links({Doc("a.txt", "2025-01-01", a), Doc("b.txt", "2025-01-02", b),
                     Doc("c.txt", "2025-01-03", c)}),
              ElementsAre("b.txt -> a.txt"));
}

TEST(AssignDuplicatesTest, InputOrderDoesNotMatter) {
  std::vector<DocumentSignature> documents;
  for (uint32_t i = 0; i < 30; ++i) {
    const std::string day = "2025-01-" + std::to_string(10 + i % 7);
    documents.push_back(Doc("doc" + std::to_string(i) + ".txt", i % 5 == 0 ? "" : day,
                            StorySignature(i % 4, i, 40 + i)));
  }
  std::map<std::string, std::string> expected;
  const std::vector<std::string> first = AssignDuplicates(documents);
  for (size_t i = 0; i < documents.size(); ++i) expected[documents[i].path] = first[i];
  std::mt19937 random(17);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(documents.begin(), documents.end(), random);
    const std::vector<std::string> again = AssignDuplicates(documents);
    for (size_t i = 0; i < documents.size(); ++i) {
      EXPECT_EQ(again[i], expected[documents[i].path]) << documents[i].path;
    }
  }
}

// ---- linking stored documents -----------------------------------------------------------------

class LinkDuplicatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    StatusOr<int64_t> run = store_->BeginRun("test");
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }

  void Write(const std::string& path, const std::string& published, MinHash signature) {
    StoredDocument stored;
    stored.doc.id = path;
    stored.doc.source_path = "articles/" + path;
    stored.doc.meta.published = published;
    stored.doc.original = stored.doc.text = "text of " + path;
    stored.content_hash = "hash of " + path;
    stored.signature = std::move(signature);
    ASSERT_TRUE(store_->Write(run_, {stored}).ok());
  }

  // Links, and returns how many documents changed.
  size_t Link() {
    StatusOr<LinkStats> stats = LinkDuplicates(store_.get());
    EXPECT_TRUE(stats.ok()) << stats.status().message();
    return stats.ok() ? stats->changed : 0;
  }

  std::vector<std::string> StoredLinks() {
    std::vector<std::string> links;
    EXPECT_TRUE(store_
                    ->Query("SELECT path || ' -> ' || duplicate_of FROM documents "
                            "WHERE duplicate_of IS NOT NULL ORDER BY path",
                            {},
                            [&](const auto&, const std::vector<Value>& row) {
                              links.push_back(std::get<std::string>(row[0]));
                              return true;
                            })
                    .ok());
    return links;
  }

  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

TEST_F(LinkDuplicatesTest, WritesTheLinksThenOnlyWhatChanged) {
  Write("wire.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("copy.txt", "2025-02-02", StorySignature(1, 2, 100));
  Write("other.txt", "2025-02-01", StorySignature(2, 1, 100));
  EXPECT_EQ(Link(), 1u);
  EXPECT_THAT(StoredLinks(), ElementsAre("copy.txt -> wire.txt"));
  EXPECT_EQ(Link(), 0u);
}

TEST_F(LinkDuplicatesTest, AChangedDocumentIsRelinked) {
  Write("wire.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("copy.txt", "2025-02-02", StorySignature(1, 2, 100));
  Link();
  Write("copy.txt", "2025-02-02", StorySignature(3, 1, 100));  // now another story
  EXPECT_EQ(Link(), 0u);  // the rewrite stored it without a link, which is right
  EXPECT_THAT(StoredLinks(), IsEmpty());
  Write("wire.txt", "2025-02-03", StorySignature(3, 2, 100));  // now copy.txt's story, later
  EXPECT_EQ(Link(), 1u);
  EXPECT_THAT(StoredLinks(), ElementsAre("wire.txt -> copy.txt"));
}

TEST_F(LinkDuplicatesTest, DeletingTheOriginalRelinksTheCopies) {
  Write("a.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("b.txt", "2025-02-02", StorySignature(1, 2, 100));
  Write("c.txt", "2025-02-03", StorySignature(1, 3, 100));
  Link();
  EXPECT_THAT(StoredLinks(), ElementsAre("b.txt -> a.txt", "c.txt -> a.txt"));
  ASSERT_TRUE(store_->Delete({"a.txt"}).ok());
  EXPECT_EQ(Link(), 2u);
  EXPECT_THAT(StoredLinks(), ElementsAre("c.txt -> b.txt"));
}

TEST_F(LinkDuplicatesTest, ASignatureOfTheWrongSizeIsCorruption) {
  Write("short.txt", "2025-02-01", {1, 2, 3});
  StatusOr<LinkStats> stats = LinkDuplicates(store_.get());
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(stats.status().message(),
            "document_signatures: the signature of short.txt has 3 values, expected 128");
}

// ---- through ingest ---------------------------------------------------------------------------

std::string Article(const std::string& title, const std::string& published,
                    const std::string& body) {
  return "---\ntitle: " + title + "\npublished: " + published + "\n---\n" + body + "\n";
}

class IngestDuplicatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<Lexicons> lexicons = Lexicons::Load({DefaultLexiconDir()});
    ASSERT_TRUE(lexicons.ok()) << lexicons.status().message();
    lexicons_ = new Lexicons(std::move(lexicons).value());
    StatusOr<BoilerplateRules> boilerplate = BoilerplateRules::Load({DefaultLexiconDir()});
    ASSERT_TRUE(boilerplate.ok()) << boilerplate.status().message();
    boilerplate_ = new BoilerplateRules(std::move(boilerplate).value());
  }
  static void TearDownTestSuite() {
    delete lexicons_;
    delete boilerplate_;
  }

  void SetUp() override {
    fs_.Add("articles/wire.txt", Article("Helix halts exports", "2025-02-01", kWire));
    fs_.Add("articles/copy.txt", Article("Helix stops shipments", "2025-02-02", kWireEdited));
    fs_.Add("articles/zh/hans.txt", Article("芯片出口新规", "2025-02-03", kSimplified));
    fs_.Add("articles/zh/hant.txt", Article("芯片出口新規", "", kTraditional));
    fs_.Add("articles/other.txt", Article("Libraries stay open", "2025-02-01", kUnrelated));
  }

  // Ingests articles/ into `store` (opened on first use) and returns the stored links.
  std::vector<std::string> Ingest(std::unique_ptr<Store>* store, int jobs, bool prune = false) {
    if (*store == nullptr) {
      StatusOr<std::unique_ptr<Store>> opened = Store::Open(":memory:", Store::Mode::kReadWrite);
      EXPECT_TRUE(opened.ok());
      *store = std::move(opened).value();
    }
    IngestOptions options;
    options.roots = {"articles"};
    options.jobs = jobs;
    options.prune = prune;
    StatusOr<IngestResult> result =
        stancetrack::Ingest(store->get(), {*lexicons_, *boilerplate_}, fs_, options, {});
    EXPECT_TRUE(result.ok()) << result.status().message();
    std::vector<std::string> links;
    EXPECT_TRUE((*store)
                    ->Query("SELECT path || ' -> ' || duplicate_of FROM documents "
                            "WHERE duplicate_of IS NOT NULL ORDER BY path",
                            {},
                            [&](const auto&, const std::vector<Value>& row) {
                              links.push_back(std::get<std::string>(row[0]));
                              return true;
                            })
                    .ok());
    return links;
  }

  static Lexicons* lexicons_;
  static BoilerplateRules* boilerplate_;
  FakeFileSystem fs_;
};

Lexicons* IngestDuplicatesTest::lexicons_ = nullptr;
BoilerplateRules* IngestDuplicatesTest::boilerplate_ = nullptr;

TEST_F(IngestDuplicatesTest, CopiesAreLinkedTheSameWhateverTheJobs) {
  for (int jobs : {1, 4}) {
    std::unique_ptr<Store> store;
    EXPECT_THAT(Ingest(&store, jobs),
                ElementsAre("copy.txt -> wire.txt", "zh/hant.txt -> zh/hans.txt"))
        << jobs << " jobs";
  }
}

TEST_F(IngestDuplicatesTest, ReingestingAChangedFileRelinks) {
  std::unique_ptr<Store> store;
  Ingest(&store, 2);
  fs_.Add("articles/copy.txt", Article("Brookfield libraries", "2025-02-02", kUnrelated));
  EXPECT_THAT(Ingest(&store, 2),
              ElementsAre("copy.txt -> other.txt", "zh/hant.txt -> zh/hans.txt"));
}

TEST_F(IngestDuplicatesTest, PruningTheOriginalRelinksTheCopies) {
  fs_.Add("articles/third.txt", Article("Helix export halt", "2025-02-05", kWireRetyped));
  std::unique_ptr<Store> store;
  EXPECT_THAT(Ingest(&store, 2), ElementsAre("copy.txt -> wire.txt", "third.txt -> wire.txt",
                                             "zh/hant.txt -> zh/hans.txt"));
  FakeFileSystem without_wire;
  for (const char* path : {"copy.txt", "zh/hans.txt", "zh/hant.txt", "other.txt", "third.txt"}) {
    StatusOr<std::string> bytes = fs_.ReadFile(std::string("articles/") + path, 1 << 20);
    ASSERT_TRUE(bytes.ok());
    without_wire.Add(std::string("articles/") + path, *bytes);
  }
  fs_ = without_wire;
  EXPECT_THAT(Ingest(&store, 2, /*prune=*/true),
              ElementsAre("third.txt -> copy.txt", "zh/hant.txt -> zh/hans.txt"));
}

}  // namespace
}  // namespace stancetrack
