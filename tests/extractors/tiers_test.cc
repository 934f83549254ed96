#include "extractors/tiers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "extractors/tsv.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::MakeDocument;
using testing::WriteTextFile;

namespace fs = std::filesystem;

// Countries with their reference tiers (one deliberately different from what a test sentence
// says, to check disagreements surface), and an empty rest of the entity world.
const char* const kCountries =
    "US\tUnited States\tUS|U.S.\tAmerican\t美国\t\t\t\t\t\t1\ttest\t\ttest\n"
    "JP\tJapan\t\tJapanese\t日本\t\t\t\t\t\t1\ttest\t\ttest\n"
    "IN\tIndia\t\tIndian\t印度\t\t\t\t\t\t2\ttest\t\ttest\n"
    "BR\tBrazil\t\tBrazilian\t巴西\t\t\t\t\t\t2\ttest\t\ttest\n"
    "IL\tIsrael\t\tIsraeli\t以色列\t\t\t\t\t\t2\ttest\t\ttest\n"
    "MX\tMexico\t\tMexican\t墨西哥\t\t\t\t\t\t2\ttest\t\ttest\n"
    "PT\tPortugal\t\tPortuguese\t葡萄牙\t\t\t\t\t\t2\ttest\t\ttest\n"
    "GR\tGreece\t\tGreek\t希腊\t\t\t\t\t\t2\ttest\t\ttest\n"
    "RU\tRussia\t\tRussian\t俄罗斯\t\t\t\t\t\t3\ttest\t\ttest\n"
    "IR\tIran\t\tIranian\t伊朗\t\t\t\t\t\t3\ttest\t\ttest\n"
    "KP\tNorth Korea\t\tNorth Korean\t朝鲜\t\t\t\t\t\t3\ttest\t\ttest\n"
    "CU\tCuba\t\tCuban\t古巴\t\t\t\t\t\t3\ttest\t\ttest\n"
    "SY\tSyria\t\tSyrian\t叙利亚\t\t\t\t\t\t3\ttest\t\ttest\n"
    "CN\tChina\t\tChinese\t中国\t\t\t\t\t\t3\ttest\t\ttest\n"
    "DE\tGermany\t\tGerman\t德国\t\t\t\t\t\t1\ttest\t\ttest\n";

const char* const kTierCues =
    "en\ttier\ttier[ -]?(?:1|one)|first[ -]tier\t1\n"
    "en\ttier\ttier[ -]?(?:2|two)|second[ -]tier\t2\n"
    "en\ttier\ttier[ -]?(?:3|three)|third[ -]tier\t3\n"
    "en\tfalse-friend\t(?:first|second|third)[ -]tier (?:cities|suppliers?)\t\n"
    "en\tlockout\t(?:fully|entirely) locked out\t\n"
    "en\ttier-word\ttiers?\t\n"
    "en\texclusion\texcluded from|left out of\t\n"
    "en\tback-reference\t(?:those|these) countries\t\n"
    "en\tclause-break\twhile|;\t\n"
    "en\tcontext\tthree-tier|(?:ai|artificial intelligence) diffusion\t\n"
    "zh\ttier\t第二[层層]级\t2\n"
    "zh\tcontext\tAI扩散\t\n";

fs::path WriteLexicon(const std::string& name, const std::string& tier_cues) {
  fs::path dir = testing::FreshTestDir("tiers_test_" + name);
  WriteTextFile(dir / "countries.tsv", kCountries);
  for (const char* empty : {"companies.tsv", "organizations.tsv", "people.tsv", "policies.tsv"}) {
    WriteTextFile(dir / empty, "");
  }
  WriteTextFile(dir / "tier_cues.tsv", tier_cues);
  return dir;
}

// "CODE:tier" per assertion, with "!ref" appended where the text disagrees with the reference.
std::string Dump(const std::vector<TierAssertion>& tiers) {
  std::string out;
  for (const TierAssertion& t : tiers) {
    if (!out.empty()) out += ' ';
    out += t.country + ":" + std::to_string(t.tier);
    if (DisagreesWithReference(t)) out += "!" + std::to_string(t.reference_tier);
  }
  return out;
}

class TiersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::path dir = WriteLexicon("world", kTierCues);
    auto entities = EntityLexicon::Load({dir.string()});
    ASSERT_TRUE(entities.ok()) << entities.status().ToString();
    entities_ = new EntityLexicon(std::move(*entities));
    auto tiers = TierLexicon::Load({dir.string()});
    ASSERT_TRUE(tiers.ok()) << tiers.status().ToString();
    tiers_ = new TierLexicon(std::move(*tiers));
  }
  static void TearDownTestSuite() {
    delete entities_;
    delete tiers_;
  }
  static std::vector<TierAssertion> Find(const Document& doc) {
    return FindTiers(doc, *tiers_, *entities_, FindEntities(doc, *entities_));
  }
  static std::string Find(const std::string& text, const std::string& language = "en") {
    return Dump(Find(MakeDocument(text, language)));
  }

  static EntityLexicon* entities_;
  static TierLexicon* tiers_;
};
EntityLexicon* TiersTest::entities_ = nullptr;
TierLexicon* TiersTest::tiers_ = nullptr;

TEST_F(TiersTest, PlacesNamedCountriesInTiers) {
  struct Case {
    const char* text;
    const char* tiers;
  };
  const Case cases[] = {
      // A reference back to the countries of the sentence before.
      {"The firm wants looser limits for partners such as India, Brazil and Israel, it said. "
       "Those countries are in the second tier of a three-tier system.",
       "IN:2 BR:2 IL:2"},
      {"Tier Two countries such as Mexico face caps under the AI diffusion rule.", "MX:2"},
      // A lockout list introduced by the tier.
      {"Under the AI diffusion rule, the framework's third tier of countries that would be fully "
       "locked out of AI chips\xE2\x80\x94including Russia, Iran and North Korea\xE2\x80\x94gets "
       "nothing.",
       "RU:3 IR:3 KP:3"},
      // Lockout wording with tier wording but no ordinal.
      {"Under the AI diffusion rule, Cuba is among the tiers of buyers fully locked out.", "CU:3"},
      // An exclusion cancels the tier it names; the countries go to the next one.
      {"Under the AI diffusion rule, allies such as Portugal and Greece were left out of Tier 1 "
       "and put in the stricter Tier 2.",
       "PT:2 GR:2"},
      // A list after a colon.
      {"Under the three-tier system, Tier 3 covers the following:\n\nCuba, Syria and Russia.",
       "CU:3 SY:3 RU:3"},
      // The United States only when named at the cue; "U.S. allies" are not the US.
      {"Under the AI diffusion rule, U.S. allies including Israel are in the second tier.", "IL:2"},
      {"Under the three-tier system, Tier 1: the US and Japan.", "US:1 JP:1"},
      // It sets the tiers and stands in the first: never in another.
      {"Under the three-tier system, countries in Tier 2 hear that the US distrusts them.", ""},
      // A tier that contradicts the reference data is kept and flagged.
      {"Under the AI diffusion rule, Japan sits in tier 2.", "JP:2!1"},
      // Each country goes to the nearest tier cue.
      {"The AI diffusion rule puts Mexico in Tier 2 while China is in Tier 3.", "MX:2 CN:3"},
  };
  for (const Case& c : cases) EXPECT_EQ(Find(c.text), c.tiers) << c.text;
}

TEST_F(TiersTest, ReadsChineseTiers) {
  EXPECT_EQ(Find("根据AI扩散规则，印度被列入第二层级。", "zh"), "IN:2");
}

TEST_F(TiersTest, FindsNothingWithoutATierTheTextGives) {
  const char* const texts[] = {
      // Trusted countries without tier wording.
      "The AI diffusion rule lists trusted countries such as Japan and Germany.",
      // A tier phrase that means something else.
      "Under the three-tier system, second-tier cities in China grew.",
      // No tier-system wording anywhere in the document.
      "Tier 1 suppliers in Germany raised prices.",
      // Lockout wording without tier wording.
      "Under the AI diffusion rule, Iran is fully locked out.",
      // A back-reference with no countries before it.
      "The AI diffusion rule is long. Those countries are in the second tier.",
  };
  for (const char* text : texts) EXPECT_EQ(Find(text), "") << text;
}

TEST_F(TiersTest, KeepsOneAssertionPerCountryAndTierWithItsEvidence) {
  Document doc = MakeDocument(
      "Under the AI diffusion rule, India is in Tier 2. Critics note India is in Tier 2 again.");
  std::vector<TierAssertion> tiers = Find(doc);
  ASSERT_EQ(tiers.size(), 1u);
  EXPECT_EQ(tiers[0].sentence, 0u);
  EXPECT_EQ(tiers[0].span.Of(doc.text), "Tier 2");
  EXPECT_EQ(tiers[0].reference_tier, 2);
}

TEST_F(TiersTest, SkipsBoilerplateParagraphs) {
  Document doc = MakeDocument("Under the AI diffusion rule, Mexico is in Tier 2.\n\nMore news");
  doc.paragraphs[0].kind = BlockKind::kBoilerplate;
  EXPECT_EQ(Dump(Find(doc)), "");
}

TEST(TierReferenceTest, DisagreementNeedsAReference) {
  TierAssertion tier;
  tier.tier = 2;
  tier.reference_tier = 0;
  EXPECT_FALSE(DisagreesWithReference(tier));
  tier.reference_tier = 2;
  EXPECT_FALSE(DisagreesWithReference(tier));
  tier.reference_tier = 1;
  EXPECT_TRUE(DisagreesWithReference(tier));
}

TEST(TierLexiconTest, ReportsMalformedRowsWithTheirLine) {
  struct Case {
    const char* row;
    const char* error;
  };
  const Case cases[] = {
      {"en\tlevel\ttier 2\t2\n", "tier_cues.tsv:1: unknown kind 'level'"},
      {"en\ttier\ttier 4\t4\n", "tier_cues.tsv:1: tier must be 1, 2 or 3, got '4'"},
      {"en\ttier\t\t2\n", "tier_cues.tsv:1: empty pattern"},
      {"en\ttier\ttier (2\t2\n", "tier_cues.tsv:1: invalid pattern 'tier (2': missing ): tier (2"},
      {"en\ttier\ttier 2\n", "tier_cues.tsv:1: expected 4 tab-separated fields, got 3"},
  };
  int n = 0;
  for (const Case& c : cases) {
    fs::path dir = WriteLexicon("error" + std::to_string(n++), c.row);
    auto loaded = TierLexicon::Load({dir.string()});
    ASSERT_FALSE(loaded.ok()) << c.row;
    std::string message = loaded.status().ToString();
    EXPECT_EQ(message.substr(message.find("tier_cues.tsv")), c.error);
  }
}

TEST(TierLexiconTest, ShippedTableParses) {
  auto loaded = TierLexicon::Load({DefaultLexiconDir()});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_GT(loaded->size(), 0u);
}

}  // namespace
}  // namespace stancetrack
