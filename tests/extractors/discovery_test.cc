#include "extractors/discovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractors/extract.h"
#include "extractors/tsv.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using ::testing::HasSubstr;
using testing::MakeDocument;
using testing::WriteTextFile;

// One line per mention: "type:canonical@begin-end~confidence", with a leading '?' when the
// mention is discovered (not a lexicon match).
std::string Dump(const std::vector<Mention>& mentions) {
  std::string out;
  for (const Mention& m : mentions) {
    if (!out.empty()) out += ' ';
    out += std::string(m.discovered ? "?" : "") + std::string(EntityTypeName(m.type)) + ":" +
           m.canonical + "@" + std::to_string(m.span.begin) + "-" + std::to_string(m.span.end) +
           "~" + std::to_string(m.confidence).substr(0, 3);
  }
  return out;
}

// The shipped lexicons, loaded once for the suite: discovery must find what they lack.
class DiscoveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto entities = EntityLexicon::Load({DefaultLexiconDir()});
    ASSERT_TRUE(entities.ok()) << entities.status().ToString();
    entities_ = new EntityLexicon(std::move(*entities));
    auto discovery = DiscoveryLexicon::Load({DefaultLexiconDir()});
    ASSERT_TRUE(discovery.ok()) << discovery.status().ToString();
    discovery_ = new DiscoveryLexicon(std::move(*discovery));
  }
  static void TearDownTestSuite() {
    delete entities_;
    delete discovery_;
    entities_ = nullptr;
    discovery_ = nullptr;
  }
  static std::string Discover(const Document& doc) {
    return Dump(DiscoverEntities(doc, *discovery_, *entities_, FindEntities(doc, *entities_)));
  }
  static std::string Discover(const std::string& text, const std::string& language = "en") {
    return Discover(MakeDocument(text, language));
  }
  static EntityLexicon* entities_;
  static DiscoveryLexicon* discovery_;
};
EntityLexicon* DiscoveryTest::entities_ = nullptr;
DiscoveryLexicon* DiscoveryTest::discovery_ = nullptr;

struct Case {
  const char* text;
  const char* language;
  const char* mentions;
};

TEST_F(DiscoveryTest, FindsNamesOutsideTheLexiconsByTheirCues) {
  const Case cases[] = {
      // A legal-form suffix; a comma before it; a common word opening the sentence is dropped
      // when the document writes it in lower case too.
      {"Orvane Dynamics Inc. said on Tuesday it would expand.", "en",
       "?company:Orvane Dynamics@0-15~0.9"},
      {"Shares of Telmora Ltd. fell 4%.", "en", "?company:Telmora@10-17~0.9"},
      {"Kessling Labs, Inc. filed the suit.", "en", "?company:Kessling Labs@0-13~0.9"},
      {"Rival Pemberly Corp. declined. A rival had no comment.", "en",
       "?company:Pemberly@6-14~0.9"},
      // A title before the name; the title wins over the reporting verb after it.
      {"Chief Executive Marta Quillon said demand was strong.", "en",
       "?person:Marta Quillon@16-29~0.8"},
      {"Director General Amara Quist spoke first.", "en", "?person:Amara Quist@17-28~0.8"},
      {"Texas AG Kenrick Pallow said the probe would go on.", "en",
       "?person:Kenrick Pallow@9-23~0.7"},
      {"Sen. Harlan J. Voss warned of smuggling.", "en", "?person:Harlan J. Voss@5-19~0.8"},
      {"The bill's sponsor, Rep. Ursula van Treek, spoke.", "en",
       "?person:Ursula van Treek@25-41~0.8"},
      {"Handelsministerin Anke Vossberg erklärte, die Regel sei nötig.", "de",
       "?person:Anke Vossberg@18-31~0.8"},
      // The subject of a reporting verb, before or after it: a company by its words.
      {"Analysts disagreed, Dana Whitcombe said.", "en", "?person:Dana Whitcombe@20-34~0.7"},
      {"\"It is a mistake,\" said Priya Ramaswell, an economist.", "en",
       "?person:Priya Ramaswell@24-39~0.7"},
      {"Brindle Analytics said the rule was unworkable.", "en",
       "?company:Brindle Analytics@0-17~0.7"},
      {"The curbs will bite, according to Harrowgate Research.", "en",
       "?company:Harrowgate Research@34-53~0.7"},
      // Scripts without spaces: a surname after a title, a dotted transliteration, the name
      // before 公司 without its generic words, 株式会社 before the name, 주식회사 after it.
      // A Chinese name of Chinese text is written in pinyin; Japanese reads it otherwise.
      {"商务部发言人王小明表示反对。", "zh", "?person:Wang Xiaoming@18-27~0.7"},
      {"商务部发言人欧阳明表示反对。", "zh", "?person:Ouyang Ming@18-27~0.7"},
      {"商务部发言人王小明は反対を表明した。", "ja", "?person:王小明@18-27~0.6"},
      {"该公司副总裁约翰·多伊表示。", "zh", "?person:约翰·多伊@18-32~0.6"},
      // A name runs straight into the words after it, which end it: 则, 投资.
      {"商务部发言人王小明则表示反对。", "zh", "?person:Wang Xiaoming@18-27~0.7"},
      {"该公司副总裁约翰·多伊投资了一家工厂。", "zh", "?person:约翰·多伊@18-32~0.6"},
      // A known name after the dot: the lexicon's person, not a discovered first name.
      {"作为美国总统唐纳德·特朗普的顾问。", "zh", ""},
      // A foreign government's officer: the characters spell a foreign name by its sound.
      {"法国总统马卡尔表示反对。", "zh", "?person:马卡尔@12-21~0.6"},
      {"俄罗斯外交部长谢尔金表示。", "zh", "?person:谢尔金@21-30~0.6"},
      {"中国驻法国大使王小明表示。", "zh", "?person:Wang Xiaoming@21-30~0.7"},
      {"商务部发言人王小明（Wang Xiaoming）表示反对。", "zh",
       "?person:Wang Xiaoming@18-27~0.6 ?person:Wang Xiaoming@30-43~0.6"},
      {"寒星科技公司周二宣布扩产。", "zh", "?company:寒星@0-6~0.6"},
      {"株式会社ミナトデバイスは発表した。", "ja", "?company:ミナトデバイス@12-33~0.6"},
      {"한빛반도체 주식회사는 밝혔다.", "ko", "?company:한빛반도체@0-15~0.6"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Discover(c.text, c.language), c.mentions) << c.text;
  }
}

TEST_F(DiscoveryTest, ResolvesShortFormsToEntitiesNamedBefore) {
  const Case cases[] = {
      // A discovered name repeated, its possessive first word, a person's surname.
      {"Brindle Analytics Corp. grew. Later Brindle Analytics hired staff.", "en",
       "?company:Brindle Analytics@0-17~0.9 ?company:Brindle Analytics@36-53~0.9"},
      {"Orvane Dynamics Inc. makes sensors. Orvane's chips sell well.", "en",
       "?company:Orvane Dynamics@0-15~0.9 ?company:Orvane Dynamics@36-42~0.6"},
      {"Chief Executive Marta Quillon spoke. Quillon said sales rose.", "en",
       "?person:Marta Quillon@16-29~0.8 ?person:Marta Quillon@37-44~0.6"},
      // A company nominal: the last company in subject position, a lexicon one or not.
      {"Nvidia reported results. The company said demand rose.", "en", "company:Nvidia@25-36~0.6"},
      {"Orvane Dynamics Inc. reported results. The chipmaker said demand rose.", "en",
       "?company:Orvane Dynamics@0-15~0.9 ?company:Orvane Dynamics@39-52~0.6"},
      {"Microsoft President Brad Smith spoke. He said the company would comply.", "en",
       "company:Microsoft@46-57~0.6"},
      {"黄仁勋周二到访。该公司表示将遵守规定。", "zh", "company:Nvidia@24-33~0.6"},
      // "The Company" written as a defined term is no nominal.
      {"Orvane Dynamics Inc. signed. The Company shall indemnify the Buyer.", "en",
       "?company:Orvane Dynamics@0-15~0.9"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Discover(c.text, c.language), c.mentions) << c.text;
  }
}

TEST_F(DiscoveryTest, DiscoversNothingWithoutACueOrWhereTheLexiconKnowsTheName) {
  const Case cases[] = {
      // Sentence-initial capitals, legal defined terms, headlines in Title Case.
      {"Analysts said the rules would hurt.", "en", ""},
      {"Yesterday Washington said little.", "en", ""},
      {"The Company shall indemnify the Purchaser under Section 4.", "en", ""},
      {"Chip Curbs Leave Orvane Dynamics Said To Weigh Exit", "en", ""},
      {"Orvane Dynamics Inc. Posts Record Quarter Despite Curbs", "en", ""},
      // Places, months, weekdays and organizations before "said".
      {"Beijing said the curbs were unfair.", "en", ""},
      {"New Delhi said it would respond.", "en", ""},
      {"In January Tokyo said it would comply.", "en", ""},
      {"On Monday Seoul said nothing.", "en", ""},
      {"The Foreign Ministry said the move was unjustified.", "en", ""},
      {"Silicon Valley said little about the rule.", "en", ""},
      {"Former Commerce Secretary said nothing.", "en", ""},
      // Names the lexicon knows, whatever the cue.
      {"Nvidia Corp. said on Monday it would comply.", "en", ""},
      {"Microsoft President Brad Smith said the rule was wrong.", "en", ""},
      {"Jensen Huang said the market was large.", "en", ""},
      // A nominal with nothing before it, with an organization as the last subject, naming
      // the company right after it, or too far from its company.
      {"The company said demand rose.", "en", ""},
      {"The Commerce Department issued rules. The company said it would comply.", "en", ""},
      {"Nvidia sold chips. Later the startup DeepSeek released a model.", "en", ""},
      {"Nvidia sold chips. It rained. It rained. It rained. It rained. It rained. "
       "The company said it would comply.",
       "en", ""},
      // Chinese: a title before words that are no name, descriptions before 公司.
      {"总统指示有关部门加强管制。", "zh", ""},
      {"美国芯片设计公司的产品受限。", "zh", ""},
      {"英伟达副总裁内德·芬克尔（Ned Finkle）表示反对。", "zh", ""},
      {"该公司表示反对。", "zh", ""},
      // An anonymized name, a surname with a form of address: no name.
      {"该公司副总裁沈某表示反对。", "zh", ""},
      {"班主任王老师表示反对。", "zh", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Discover(c.text, c.language), c.mentions) << c.text;
  }
}

TEST_F(DiscoveryTest, SurnameBeforeTheFullNameIsNotResolved) {
  EXPECT_EQ(Discover("Quillon spoke first. Then CEO Marta Quillon said sales rose."),
            "?person:Marta Quillon@30-43~0.8");
}

TEST_F(DiscoveryTest, SkipsBoilerplateParagraphs) {
  Document doc = MakeDocument("Orvane Dynamics Inc. grew.\n\nSign up: Telmora Ltd. offers.");
  ASSERT_EQ(doc.paragraphs.size(), 2u);
  doc.paragraphs[1].kind = BlockKind::kBoilerplate;
  EXPECT_EQ(Discover(doc), "?company:Orvane Dynamics@0-15~0.9");
}

TEST(DiscoveryAnnotateTest, MergesDiscoveredMentionsInTextOrderBeforeQuotes) {
  StatusOr<Lexicons> lexicons = Lexicons::Load({DefaultLexiconDir()});
  ASSERT_TRUE(lexicons.ok()) << lexicons.status().ToString();
  Document doc = MakeDocument(
      "Nvidia and Orvane Dynamics Inc. disagreed. \"The rule is a mistake,\" said Priya "
      "Ramaswell.");
  Annotations out = Annotate(doc, *lexicons);
  EXPECT_EQ(Dump(out.mentions),
            "company:Nvidia@0-6~1.0 ?company:Orvane Dynamics@11-26~0.9 "
            "?person:Priya Ramaswell@73-88~0.7");
  ASSERT_EQ(out.quotes.size(), 1u);
  EXPECT_EQ(out.quotes[0].speaker, "Priya Ramaswell");
}

TEST(DiscoveryLexiconTest, ShippedTableParses) {
  StatusOr<DiscoveryLexicon> lexicon = DiscoveryLexicon::Load({DefaultLexiconDir()});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  EXPECT_GT(lexicon->size(), 20u);
}

TEST(DiscoveryLexiconTest, ReportsMalformedRowsWithTheirLine) {
  const struct {
    const char* row;
    const char* message;
  } cases[] = {
      {"en\ttitle\n", "discovery.tsv:2: expected 3"},
      {"en\tnickname\tBuddy\n", "discovery.tsv:2: unknown kind 'nickname'"},
      {"english\ttitle\tCEO\n", "discovery.tsv:2: language must be * or an ISO 639-1 code"},
      {"en\ttitle\t\n", "discovery.tsv:2: empty pattern"},
      {"en\ttitle\t(CEO\n", "discovery.tsv:2: invalid pattern '(CEO'"},
  };
  for (const auto& c : cases) {
    std::filesystem::path dir = testing::FreshTestDir("discovery_test_rows");
    WriteTextFile(dir / "discovery.tsv", std::string("# language\tkind\tpattern\n") + c.row);
    StatusOr<DiscoveryLexicon> lexicon = DiscoveryLexicon::Load({DefaultLexiconDir(), dir});
    ASSERT_FALSE(lexicon.ok()) << c.row;
    EXPECT_THAT(lexicon.status().message(), HasSubstr(c.message)) << c.row;
  }
}

}  // namespace
}  // namespace stancetrack
