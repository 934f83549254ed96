#include "pipeline/duplicates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <sqlite3.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "extractors/extract.h"
#include "pipeline/boilerplate.h"
#include "pipeline/ingest.h"
#include "pipeline/limits.h"
#include "pipeline/store.h"
#include "tests/pipeline/fake_file_system.h"
#include "tests/pipeline/shipped_resources.h"

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

// ICU folds some phrases whose every character is also simplified ("份子" to "分子"): a text is
// folded whenever it holds the source of a rule, not only a traditional character.
TEST(ContentSignatureTest, PhrasesOfSimplifiedCharactersAreFoldedToo) {
  const std::string simplified = std::string(kSimplified) + "不少知识分子对此表示担忧。";
  const std::string phrase = std::string(kSimplified) + "不少知识份子对此表示担忧。";
  EXPECT_EQ(Similarity(SignatureOf(simplified), SignatureOf(phrase)), 1.0);
}

// The folding rewrites only the runs of Han around the characters that change: texts mixing
// both scripts, phrases whose rules differ from their characters' ("乾坤" is not "干坤", "名著"
// not "名着"), punctuation and Latin words must come out as ICU's transliterator makes the
// whole text. The
// texts are short, so that a character folded otherwise changes a minimum of the signature.
TEST(ContentSignatureTest, FoldingRunByRunEqualsTransliteratingTheWholeText) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> whole(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  const std::vector<std::string> pieces = {
      "乾坤", "乾",     "份子",   "知识", "薑片", "薑",   "餘地",   "著名", "名著",
      "狼藉", "著",     "後",     "「",   "」",   "，",   "。",     " ",    "chip",
      "2025", "商務部", "许可证", "芯片", "出口", "規定", "半導體", "企业"};
  std::mt19937 random(20261124);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 24; ++i) text += pieces[random() % pieces.size()];
    icu::UnicodeString reference = icu::UnicodeString::fromUTF8(text);
    whole->transliterate(reference);
    std::string expected;
    reference.toUTF8String(expected);
    EXPECT_EQ(SignatureOf(text), SignatureOf(expected)) << text << "\n" << expected;
  }
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

// Four words make a shingle, so n distinct words make n - 3 distinct shingles. Repeats count
// once: "a b c d e f g a b c d e f g ..." has seven distinct shingles however long it is.
TEST(ContentSignatureTest, TextBelowTheMinimumShinglesHasNoSignature) {
  const std::string seven_shingles = "one two three four five six seven eight nine ten";
  const std::string eight_shingles = seven_shingles + " eleven";
  EXPECT_THAT(SignatureOf(seven_shingles), IsEmpty());
  EXPECT_THAT(SignatureOf(eight_shingles), SizeIs(kSignatureSize));
  std::string seven_repeated;
  for (int i = 0; i < 20; ++i) seven_repeated += "red amber green blue white grey black ";
  EXPECT_THAT(SignatureOf(seven_repeated), IsEmpty());
  EXPECT_THAT(SignatureOf(seven_repeated + "violet"), SizeIs(kSignatureSize));
  EXPECT_THAT(SignatureOf({{BlockKind::kBoilerplate, kWire}}), IsEmpty());
  EXPECT_THAT(SignatureOf(""), IsEmpty());
}

// Japanese has no spaces: read as words, this sentence would be one token and no shingle.
TEST(ContentSignatureTest, CjkCharactersAreTokensOfTheirOwn) {
  EXPECT_THAT(SignatureOf("半導体メーカー各社は新しい輸出規制への対応を急いでいる"),
              SizeIs(kSignatureSize));
}

// Signatures are stored and compared across runs, so every build must compute the same values,
// whatever instructions the processor has (MinHashOf is compiled for several): these are
// those of the first build that stored any.
TEST(ContentSignatureTest, SignaturesAreTheSameInEveryBuild) {
  const MinHash wire = SignatureOf(kWire);
  const MinHash traditional = SignatureOf(kTraditional);
  ASSERT_THAT(wire, SizeIs(kSignatureSize));
  ASSERT_THAT(traditional, SizeIs(kSignatureSize));
  EXPECT_THAT(
      std::vector<uint32_t>(wire.begin(), wire.begin() + 8),
      ElementsAre(32894806, 52604330, 11146507, 16185994, 42672909, 32332682, 27087934, 30132212));
  EXPECT_THAT(
      std::vector<uint32_t>(traditional.begin(), traditional.begin() + 8),
      ElementsAre(28337671, 54437173, 157085523, 7384314, 1965287, 127173344, 49343103, 11773574));
  EXPECT_EQ(std::accumulate(wire.begin(), wire.end(), uint64_t{0}), uint64_t{5535803512});
  EXPECT_EQ(std::accumulate(traditional.begin(), traditional.end(), uint64_t{0}),
            uint64_t{7484456661});
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

// ---- the linking rules ------------------------------------------------------------------------

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

struct SignedDoc {
  std::string path;
  std::string published;
  MinHash signature;
};

SignedDoc Doc(const std::string& path, const std::string& published, MinHash signature) {
  return {path, published, std::move(signature)};
}

StoredDocument Stored(const SignedDoc& d) {
  StoredDocument stored;
  stored.doc.id = d.path;
  stored.doc.source_path = "articles/" + d.path;
  stored.doc.meta.published = d.published;
  stored.doc.original = stored.doc.text = "text of " + d.path;
  stored.content_hash = "hash of " + d.path;
  stored.signature = d.signature;
  return stored;
}

std::unique_ptr<Store> OpenMemoryStore() {
  StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", Store::Mode::kReadWrite);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Writes `documents` in the order given, in batches of `batch`.
void WriteAll(Store* store, const std::vector<SignedDoc>& documents, size_t batch = 64) {
  StatusOr<int64_t> run = store->BeginRun("test");
  ASSERT_TRUE(run.ok());
  std::vector<StoredDocument> stored;
  for (size_t i = 0; i < documents.size(); ++i) {
    stored.push_back(Stored(documents[i]));
    if (stored.size() == batch || i + 1 == documents.size()) {
      ASSERT_TRUE(store->Write(*run, stored).ok());
      stored.clear();
    }
  }
}

// path -> duplicate_of, for every stored document.
std::map<std::string, std::string> StoredDuplicates(const Store& store) {
  std::map<std::string, std::string> links;
  EXPECT_TRUE(store
                  .Query("SELECT path, coalesce(duplicate_of, '') FROM documents", {},
                         [&](const auto&, const std::vector<Value>& row) {
                           links[TextOf(row[0])] = TextOf(row[1]);
                           return true;
                         })
                  .ok());
  return links;
}

// "path -> duplicate_of" for every document that has one, in the order of `documents`, as
// LinkDuplicates computes them in a fresh store.
std::vector<std::string> Links(const std::vector<SignedDoc>& documents,
                               double threshold = kDuplicateThreshold) {
  std::unique_ptr<Store> store = OpenMemoryStore();
  WriteAll(store.get(), documents);
  StatusOr<LinkStats> stats = LinkDuplicates(store.get(), threshold);
  EXPECT_TRUE(stats.ok()) << stats.status().message();
  std::map<std::string, std::string> stored = StoredDuplicates(*store);
  std::vector<std::string> links;
  for (const SignedDoc& d : documents) {
    if (!stored[d.path].empty()) links.push_back(d.path + " -> " + stored[d.path]);
  }
  return links;
}

TEST(LinkRulesTest, EarliestByPublishedThenPathIsTheOriginal) {
  EXPECT_THAT(Links({Doc("b.txt", "2025-03-02", StorySignature(1, 1, 100)),
                     Doc("a.txt", "2025-03-02", StorySignature(1, 2, 100)),
                     Doc("c.txt", "2025-03-01", StorySignature(1, 3, 100))}),
              ElementsAre("b.txt -> c.txt", "a.txt -> c.txt"));
  EXPECT_THAT(Links({Doc("b.txt", "2025-03-02", StorySignature(1, 1, 100)),
                     Doc("a.txt", "2025-03-02", StorySignature(1, 2, 100))}),
              ElementsAre("b.txt -> a.txt"));
}

TEST(LinkRulesTest, DatedDocumentsComeBeforeUndatedOnes) {
  EXPECT_THAT(Links({Doc("a.txt", "", StorySignature(1, 1, 100)),
                     Doc("z.txt", "2025-06-30", StorySignature(1, 2, 100)),
                     Doc("b.txt", "", StorySignature(1, 3, 100))}),
              ElementsAre("a.txt -> z.txt", "b.txt -> z.txt"));
}

TEST(LinkRulesTest, ThresholdIsTheLeastShareOfEqualValues) {
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

TEST(LinkRulesTest, DifferentStoriesAndUnsignedDocumentsStayApart) {
  EXPECT_THAT(Links({Doc("a.txt", "2025-01-01", StorySignature(1, 1, 128)),
                     Doc("b.txt", "2025-01-01", StorySignature(2, 1, 128)),
                     Doc("c.txt", "2025-01-01", {}), Doc("d.txt", "2025-01-01", {})}),
              IsEmpty());
}

// b is a near-duplicate of a, c of b, but c shares only a fifth of its text with a.
TEST(LinkRulesTest, ADuplicateIsNeverTheOriginalOfAnother) {
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

TEST(LinkRulesTest, InputOrderDoesNotMatter) {
  std::vector<SignedDoc> documents;
  for (uint32_t i = 0; i < 30; ++i) {
    const std::string day = "2025-01-" + std::to_string(10 + i % 7);
    documents.push_back(Doc("doc" + std::to_string(i) + ".txt", i % 5 == 0 ? "" : day,
                            StorySignature(i % 4, i, 40 + i)));
  }
  const std::vector<std::string> first = Links(documents);
  EXPECT_THAT(first, SizeIs(26));
  std::mt19937 random(17);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(documents.begin(), documents.end(), random);
    std::vector<std::string> again = Links(documents);
    std::vector<std::string> expected = first;
    std::sort(again.begin(), again.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(again, expected);
  }
}

// ---- the same links as the first, in-memory implementation --------------------------------

// How the links were first computed, with every signature and bucket in memory: the documents
// earliest first; LSH buckets of kBandRows values per band; each document the duplicate of the
// earliest original, among the last kMaxBucketNeighbours originals of each of its buckets,
// that is similar enough. A bucket is the band's values themselves (the implementation hashes
// them to 64 bits; the two differ only when two such hashes collide).
std::map<std::string, std::string> ReferenceLinks(const std::vector<SignedDoc>& documents,
                                                  double threshold = kDuplicateThreshold) {
  std::vector<const SignedDoc*> order;
  for (const SignedDoc& d : documents) order.push_back(&d);
  std::sort(order.begin(), order.end(), [](const SignedDoc* a, const SignedDoc* b) {
    return std::make_tuple(a->published.empty(), a->published, a->path) <
           std::make_tuple(b->published.empty(), b->published, b->path);
  });
  using Bucket = std::tuple<size_t, uint32_t, uint32_t>;  // band, its two values
  std::map<Bucket, std::vector<size_t>> originals;        // earliest first
  std::map<std::string, std::string> links;
  for (size_t i = 0; i < order.size(); ++i) {
    const MinHash& signature = order[i]->signature;
    std::vector<Bucket> buckets;
    for (size_t band = 0; signature.size() == kSignatureSize && band < kSignatureSize / 2; ++band) {
      buckets.emplace_back(band, signature[2 * band], signature[2 * band + 1]);
    }
    size_t best = i;
    for (const Bucket& bucket : buckets) {
      const std::vector<size_t>& before = originals[bucket];
      const size_t first =
          before.size() > kMaxBucketNeighbours ? before.size() - kMaxBucketNeighbours : 0;
      for (size_t k = first; k < before.size() && before[k] < best; ++k) {
        if (Similarity(signature, order[before[k]]->signature) >= threshold) {
          best = before[k];
          break;
        }
      }
    }
    links[order[i]->path] = best == i ? "" : order[best]->path;
    if (best != i) continue;
    for (const Bucket& bucket : buckets) originals[bucket].push_back(i);
  }
  return links;
}

// How many versions a story of RandomCorpus has (1 to `most`), and what percent of the
// story's values each keeps (`least_kept` plus 0 to `kept_span` - 1).
struct Versions {
  uint32_t most = 12;
  uint32_t least_kept = 20;
  uint32_t kept_span = 60;
};
// A story of many close copies, as in a benchmark corpus replicated many times: each document
// has hundreds of candidates.
constexpr Versions kManyCopies = {60, 85, 15};

// `documents` stories of Versions, each version keeping a random share of its story's
// values (so their similarities straddle the threshold), and `template_size` documents that
// agree on their first band and little else: a bucket far larger than kMaxBucketNeighbours.
// One in five of those also agree on every other odd value (similar enough, but sharing no
// other band), so whether they are linked depends on which originals that bucket lets them
// see. Dates from one month, a fifth undated; a few documents unsigned.
std::vector<SignedDoc> RandomCorpus(uint32_t seed, size_t documents, size_t template_size,
                                    Versions shape = {}) {
  std::mt19937 random(seed);
  auto uniform = [&](uint32_t n) {
    return std::uniform_int_distribution<uint32_t>(0, n - 1)(random);
  };
  std::vector<SignedDoc> corpus;
  auto add = [&](MinHash signature) {
    const uint32_t day = uniform(36);
    corpus.push_back(Doc(
        "doc" + std::to_string(uniform(1u << 30)) + "-" + std::to_string(corpus.size()) + ".txt",
        day >= 30 ? "" : "2025-04-" + std::to_string(10 + day / 2),
        uniform(50) == 0 ? MinHash() : std::move(signature)));
  };
  while (corpus.size() < documents) {
    MinHash story(kSignatureSize);
    for (uint32_t& value : story) value = random();
    const uint32_t versions = 1 + uniform(shape.most);
    const uint32_t keep = shape.least_kept + uniform(shape.kept_span);  // percent
    for (uint32_t v = 0; v < versions && corpus.size() < documents; ++v) {
      MinHash version = story;
      for (uint32_t& value : version) {
        if (uniform(100) >= keep) value = random();
      }
      add(std::move(version));
    }
  }
  MinHash shared(kSignatureSize);
  for (uint32_t& value : shared) value = random();
  for (size_t i = 0; i < template_size; ++i) {
    MinHash signature(kSignatureSize);
    for (size_t k = 0; k < kSignatureSize; ++k) {
      signature[k] = k < 2 || (i % 5 == 0 && k % 2 == 1 && k < 84) ? shared[k] : random();
    }
    add(std::move(signature));
  }
  return corpus;
}

class ReferenceTest : public ::testing::TestWithParam<size_t> {};  // sort_bytes

TEST_P(ReferenceTest, LinksEqualTheInMemoryImplementations) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const std::vector<SignedDoc> corpus = RandomCorpus(seed, 3000, 300);
    std::unique_ptr<Store> store = OpenMemoryStore();
    WriteAll(store.get(), corpus);
    StatusOr<LinkStats> stats = LinkDuplicates(store.get(), kDuplicateThreshold, GetParam());
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    const std::map<std::string, std::string> expected = ReferenceLinks(corpus);
    size_t linked = 0;
    for (const auto& [path, original] : expected) linked += !original.empty();
    EXPECT_GT(linked, 500u) << "seed " << seed;  // the corpus does have near-duplicates
    EXPECT_EQ(stats->duplicates, linked);
    EXPECT_EQ(StoredDuplicates(*store), expected) << "seed " << seed;
  }
}

// At the small sort memory the candidates of a 256th of these documents do not fit, and are
// split by rank.
TEST_P(ReferenceTest, ManyCopiesOfEachStoryLinkAsInMemory) {
  const std::vector<SignedDoc> corpus = RandomCorpus(4, 3000, 0, kManyCopies);
  std::unique_ptr<Store> store = OpenMemoryStore();
  WriteAll(store.get(), corpus);
  StatusOr<LinkStats> stats = LinkDuplicates(store.get(), kDuplicateThreshold, GetParam());
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(StoredDuplicates(*store), ReferenceLinks(corpus));
}

// The default memory, and so little that every pass spills and reads back many chunks.
INSTANTIATE_TEST_SUITE_P(SortMemory, ReferenceTest,
                         ::testing::Values(limits::kLinkSortBytes, size_t{128} << 10));

// ---- linking stored documents -----------------------------------------------------------------

class LinkDuplicatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenMemoryStore();
    ASSERT_NE(store_, nullptr);
    StatusOr<int64_t> run = store_->BeginRun("test");
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }

  void Write(const std::string& path, const std::string& published, MinHash signature) {
    ASSERT_TRUE(store_->Write(run_, {Stored(Doc(path, published, std::move(signature)))}).ok());
  }

  StatusOr<LinkStats> Link(double threshold = kDuplicateThreshold) {
    StatusOr<LinkStats> stats = LinkDuplicates(store_.get(), threshold);
    EXPECT_TRUE(stats.ok()) << stats.status().message();
    return stats;
  }

  // How many documents changed.
  size_t Changed() {
    StatusOr<LinkStats> stats = Link();
    return stats.ok() ? stats->changed : 0;
  }

  bool UpToDate(double threshold = kDuplicateThreshold) {
    StatusOr<LinkStats> stats = Link(threshold);
    return stats.ok() && stats->up_to_date;
  }

  std::vector<std::string> StoredLinks() {
    std::vector<std::string> links;
    for (const auto& [path, original] : StoredDuplicates(*store_)) {
      if (!original.empty()) links.push_back(path + " -> " + original);
    }
    return links;
  }

  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

TEST_F(LinkDuplicatesTest, WritesTheLinksThenOnlyWhatChanged) {
  Write("wire.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("copy.txt", "2025-02-02", StorySignature(1, 2, 100));
  Write("other.txt", "2025-02-01", StorySignature(2, 1, 100));
  EXPECT_EQ(Changed(), 1u);
  EXPECT_THAT(StoredLinks(), ElementsAre("copy.txt -> wire.txt"));
  EXPECT_EQ(Changed(), 0u);
}

TEST_F(LinkDuplicatesTest, AChangedDocumentIsRelinked) {
  Write("wire.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("copy.txt", "2025-02-02", StorySignature(1, 2, 100));
  Changed();
  Write("copy.txt", "2025-02-02", StorySignature(3, 1, 100));  // now another story
  EXPECT_EQ(Changed(), 0u);  // the rewrite stored it without a link, which is right
  EXPECT_THAT(StoredLinks(), IsEmpty());
  Write("wire.txt", "2025-02-03", StorySignature(3, 2, 100));  // now copy.txt's story, later
  EXPECT_EQ(Changed(), 1u);
  EXPECT_THAT(StoredLinks(), ElementsAre("wire.txt -> copy.txt"));
}

TEST_F(LinkDuplicatesTest, DeletingTheOriginalRelinksTheCopies) {
  Write("a.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("b.txt", "2025-02-02", StorySignature(1, 2, 100));
  Write("c.txt", "2025-02-03", StorySignature(1, 3, 100));
  Changed();
  EXPECT_THAT(StoredLinks(), ElementsAre("b.txt -> a.txt", "c.txt -> a.txt"));
  ASSERT_TRUE(store_->Delete({"a.txt"}).ok());
  EXPECT_EQ(Changed(), 2u);
  EXPECT_THAT(StoredLinks(), ElementsAre("c.txt -> b.txt"));
}

TEST_F(LinkDuplicatesTest, NothingChangedMeansNothingToDo) {
  Write("a.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("b.txt", "2025-02-02", StorySignature(1, 2, 100));
  StatusOr<LinkStats> first = Link();
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->up_to_date);
  EXPECT_EQ(first->documents, 2u);
  StatusOr<LinkStats> second = Link();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->up_to_date);
  EXPECT_EQ(second->documents, 0u);  // nothing was read
  EXPECT_THAT(StoredLinks(), ElementsAre("b.txt -> a.txt"));
}

TEST_F(LinkDuplicatesTest, WritingDeletingOrSettingALinkMakesTheLinksStale) {
  Write("a.txt", "2025-02-01", StorySignature(1, 1, 100));
  Write("b.txt", "2025-02-02", StorySignature(1, 2, 100));
  ASSERT_FALSE(UpToDate());
  ASSERT_TRUE(UpToDate());
  Write("c.txt", "2025-02-03", {});  // even a document without a signature
  EXPECT_FALSE(UpToDate());
  ASSERT_TRUE(store_->Delete({"c.txt"}).ok());
  EXPECT_FALSE(UpToDate());
  ASSERT_TRUE(store_->Delete({"gone.txt"}).ok());  // deletes nothing
  EXPECT_TRUE(UpToDate());
  ASSERT_TRUE(store_->SetDuplicates({{"b.txt", ""}}).ok());
  EXPECT_FALSE(UpToDate());
  EXPECT_THAT(StoredLinks(), ElementsAre("b.txt -> a.txt"));  // set right again
}

TEST_F(LinkDuplicatesTest, OtherRulesLinkAgain) {
  Write("a.txt", "2025-02-01", StorySignature(1, 1, 40));
  Write("b.txt", "2025-02-02", StorySignature(1, 2, 40));
  ASSERT_FALSE(UpToDate(0.5));
  EXPECT_THAT(StoredLinks(), IsEmpty());
  EXPECT_FALSE(UpToDate(0.3));
  EXPECT_THAT(StoredLinks(), ElementsAre("b.txt -> a.txt"));
  EXPECT_TRUE(UpToDate(0.3));
}

TEST_F(LinkDuplicatesTest, ASignatureOfTheWrongSizeIsCorruption) {
  Write("short.txt", "2025-02-01", {1, 2, 3});
  StatusOr<LinkStats> stats = LinkDuplicates(store_.get());
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(stats.status().message(),
            "document_signatures: the signature of short.txt has 3 values, expected 128");
  StatusOr<LinkStats> again = LinkDuplicates(store_.get());  // the failed run recorded nothing
  EXPECT_EQ(again.status().code(), Status::Code::kCorruption);
}

TEST(LinkDuplicatesFileTest, LinksAnEarlierRunLeftUndoneOnTheNextRun) {
  const std::string path = ::testing::TempDir() + "/duplicates_test_undone.db";
  std::remove(path.c_str());
  for (int run = 0; run < 2; ++run) {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(path, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().message();
    if (run == 0) {  // writes, then stops before linking
      WriteAll(store->get(), {Doc("a.txt", "2025-02-01", StorySignature(1, 1, 100)),
                              Doc("b.txt", "2025-02-02", StorySignature(1, 2, 100))});
      continue;
    }
    StatusOr<LinkStats> stats = LinkDuplicates(store->get());
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    EXPECT_FALSE(stats->up_to_date);
    EXPECT_EQ(stats->changed, 1u);
  }
  std::remove(path.c_str());
}

// ---- memory -----------------------------------------------------------------------------------

// Heap bytes in use, and the most since reset, as the replaced operator new below counts them.
std::atomic<size_t> heap_in_use{0};
std::atomic<size_t> heap_peak{0};

// The peak of heap (operator new) and SQLite memory while linking `documents` random
// documents (RandomCorpus) with `sort_bytes`, above what was in use before.
std::pair<size_t, size_t> LinkingPeakMemory(size_t documents, size_t sort_bytes,
                                            Versions shape = {}) {
  std::unique_ptr<Store> store = OpenMemoryStore();
  WriteAll(store.get(), RandomCorpus(7, documents, 200, shape), 256);
  const size_t heap_before = heap_in_use;
  heap_peak = heap_before;
  const auto sqlite_before = static_cast<size_t>(sqlite3_memory_used());
  sqlite3_memory_highwater(/*resetFlag=*/1);
  StatusOr<LinkStats> stats = LinkDuplicates(store.get(), kDuplicateThreshold, sort_bytes);
  EXPECT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_GT(stats.ok() ? stats->duplicates : 0, documents / 10);
  return {heap_peak - heap_before,
          static_cast<size_t>(sqlite3_memory_highwater(0)) - sqlite_before};
}

TEST(LinkMemoryTest, PeakMemoryDoesNotGrowWithTheDocuments) {
  const size_t sort_bytes = size_t{256} << 10;
  const auto [small_heap, small_sqlite] = LinkingPeakMemory(4000, sort_bytes);
  const auto [large_heap, large_sqlite] = LinkingPeakMemory(20000, sort_bytes);
  // One bit per document is all that grows: 2 KB here.
  EXPECT_LT(large_heap, small_heap + small_heap / 10) << small_heap;
  EXPECT_LT(large_heap, 2 * sort_bytes);
  // SQLite's page caches and sorter, whatever the number of documents.
  EXPECT_LT(large_sqlite, size_t{12} << 20) << small_sqlite;
}

// With many copies of each story, the candidates of a 256th of the documents are several times
// the sort memory, yet linking stays within it.
TEST(LinkMemoryTest, ManyCandidatesPerDocumentStayWithinTheSortMemory) {
  const size_t sort_bytes = size_t{64} << 10;
  const auto [heap, sqlite] = LinkingPeakMemory(3000, sort_bytes, kManyCopies);
  EXPECT_LT(heap, 2 * sort_bytes) << "SQLite " << sqlite;
}

// ---- through ingest ---------------------------------------------------------------------------

std::string Article(const std::string& title, const std::string& published,
                    const std::string& body) {
  return "---\ntitle: " + title + "\npublished: " + published + "\n---\n" + body + "\n";
}

class IngestDuplicatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.Add("articles/wire.txt", Article("Helix halts exports", "2025-02-01", kWire));
    fs_.Add("articles/copy.txt", Article("Helix stops shipments", "2025-02-02", kWireEdited));
    fs_.Add("articles/zh/hans.txt", Article("芯片出口新规", "2025-02-03", kSimplified));
    fs_.Add("articles/zh/hant.txt", Article("芯片出口新規", "", kTraditional));
    fs_.Add("articles/other.txt", Article("Libraries stay open", "2025-02-01", kUnrelated));
  }

  // Ingests articles/ into `store` (opened on first use) and returns the stored links.
  std::vector<std::string> Ingest(std::unique_ptr<Store>* store, int jobs, bool prune = false,
                                  std::function<void()> processed = {}) {
    if (*store == nullptr) {
      StatusOr<std::unique_ptr<Store>> opened = Store::Open(":memory:", Store::Mode::kReadWrite);
      EXPECT_TRUE(opened.ok());
      *store = std::move(opened).value();
    }
    IngestOptions options;
    options.roots = {"articles"};
    options.jobs = jobs;
    options.prune = prune;
    options.processed = std::move(processed);
    StatusOr<IngestResult> result =
        stancetrack::Ingest(store->get(), *testing::ShippedResources(), fs_, options, {}, {});
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

  FakeFileSystem fs_;
};

TEST_F(IngestDuplicatesTest, CopiesAreLinkedTheSameWhateverTheJobs) {
  for (int jobs : {1, 4}) {
    std::unique_ptr<Store> store;
    EXPECT_THAT(Ingest(&store, jobs),
                ElementsAre("copy.txt -> wire.txt", "zh/hant.txt -> zh/hans.txt"))
        << jobs << " jobs";
  }
}

// The CLI frees the lexicons in `processed`: it comes once, after the last document is stored
// and before any link is, and the links are made after it all the same.
TEST_F(IngestDuplicatesTest, ProcessedComesOnceBetweenTheLastWriteAndTheLinks) {
  std::unique_ptr<Store> store;
  auto count = [&](const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(store
                    ->Query(sql, {},
                            [&](const auto&, const std::vector<Value>& row) {
                              n = std::get<int64_t>(row[0]);
                              return true;
                            })
                    .ok());
    return n;
  };
  std::vector<std::pair<int64_t, int64_t>> calls;  // (documents, links) at each call
  const std::vector<std::string> links = Ingest(&store, 2, false, [&] {
    calls.emplace_back(count("SELECT count(*) FROM documents"),
                       count("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"));
  });
  EXPECT_THAT(calls, ElementsAre(std::make_pair(int64_t{5}, int64_t{0})));
  EXPECT_THAT(links, SizeIs(2));
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

// Count the heap for LinkMemoryTest. The other forms of new and delete go through these in the
// standard library; AddressSanitizer defines its own, of which the nothrow new must then free
// through the delete below.
void* operator new(std::size_t size) {
  void* block = std::malloc(size == 0 ? 1 : size);
  if (block == nullptr) throw std::bad_alloc();
  const size_t in_use = stancetrack::heap_in_use += malloc_usable_size(block);
  size_t peak = stancetrack::heap_peak;
  while (in_use > peak && !stancetrack::heap_peak.compare_exchange_weak(peak, in_use)) {
  }
  return block;
}

void operator delete(void* block) noexcept {
  if (block == nullptr) return;
  stancetrack::heap_in_use -= malloc_usable_size(block);
  std::free(block);
}

void operator delete(void* block, std::size_t /*size*/) noexcept { operator delete(block); }

void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
