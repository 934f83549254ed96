#include "pipeline/boilerplate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractors/tsv.h"
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using ::stancetrack::testing::FreshTestDir;
using ::stancetrack::testing::WriteTextFile;

// Article sentences that carry no cue, to give each case a realistic body around it.
const std::string kBody1 =
    "The Commerce Department said on Monday that new licence rules for advanced processors "
    "would take effect next month, according to two officials.";
const std::string kBody2 =
    "Chipmakers said the requirements would raise costs for customers in dozens of countries "
    "and slow shipments to new data centres.";
const std::string kBody3 =
    "Analysts expect further changes once the agency has reviewed comments from industry "
    "groups later this year.";
const std::string kBody4 =
    "Officials declined to say how many licence applications had been filed so far, citing "
    "the confidentiality of the process.";
const std::string kZh1 =
    "美国商务部周一表示，针对先进处理器的新许可规则将于下月生效，多家企业正在评估影响。";
const std::string kZh2 =
    "业内人士认为，相关要求将提高海外客户的采购成本，并可能推迟数据中心的建设进度。";
const std::string kDe1 =
    "Das US-Handelsministerium hat am Montag neue Lizenzregeln für leistungsstarke Prozessoren "
    "angekündigt, die im kommenden Monat in Kraft treten sollen.";
const std::string kDe2 =
    "Chiphersteller rechnen mit höheren Kosten für Kunden in Dutzenden Ländern und mit "
    "Verzögerungen bei neuen Rechenzentren.";
const std::string kFr1 =
    "Le département américain du Commerce a annoncé lundi de nouvelles règles de licence pour "
    "les processeurs avancés, qui entreront en vigueur le mois prochain.";
const std::string kFr2 =
    "Les fabricants de puces estiment que ces exigences augmenteront les coûts pour leurs "
    "clients dans des dizaines de pays.";

class BoilerplateTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    StatusOr<BoilerplateRules> loaded = BoilerplateRules::Load({DefaultLexiconDir()});
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    rules_ = new BoilerplateRules(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete rules_;
    rules_ = nullptr;
  }

  // A document of `paragraphs` (one per block, blank lines between), with a title paragraph
  // first when `title` is given, normalized, segmented, its paragraphs' languages detected, and
  // marked.
  static Document Marked(const std::vector<std::string>& paragraphs, const std::string& title = "",
                         const BoilerplateRules* rules = nullptr) {
    Document doc;
    doc.meta.title = title;
    doc.original = title.empty() ? "" : title + "\n\n";
    for (const std::string& p : paragraphs) doc.original += p + "\n\n";
    Normalize(&doc);
    Segment(&doc);
    DetectParagraphLanguages(&doc);
    MarkBoilerplate(&doc, rules ? *rules : *rules_);
    return doc;
  }

  // One line per paragraph: "reason | text" for boilerplate, "- | text" otherwise.
  static std::string Dump(const Document& doc) {
    std::string out;
    for (const Paragraph& p : doc.paragraphs) {
      out += (p.kind == BlockKind::kBoilerplate ? p.reason : "-") + " | " +
             std::string(p.span.Of(doc.text)) + "\n";
    }
    return out;
  }

  static BoilerplateRules* rules_;
};

BoilerplateRules* BoilerplateTest::rules_ = nullptr;

struct Case {
  std::vector<std::string> paragraphs;
  size_t index;        // the paragraph under test
  const char* reason;  // its expected reason; "" = stays article text
};

void ExpectCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Document doc = BoilerplateTest::Marked(c.paragraphs);
    ASSERT_EQ(doc.paragraphs.size(), c.paragraphs.size()) << BoilerplateTest::Dump(doc);
    const Paragraph& p = doc.paragraphs[c.index];
    std::string got = p.kind == BlockKind::kBoilerplate ? p.reason : "";
    EXPECT_EQ(got, c.reason) << "paragraph " << c.index << " of:\n" << BoilerplateTest::Dump(doc);
  }
}

TEST_F(BoilerplateTest, MarksEachKindOfBoilerplateWithItsReason) {
  ExpectCases({
      {{"Home | World | Markets | Technology", kBody1, kBody2, kBody3}, 0, "menu"},
      {{"首页 > 新闻 > 科技", kZh1, kZh2}, 0, "menu"},
      {{"Photo: A wafer inspection tool at a trade fair / AFP", kBody1, kBody2}, 0, "photo-credit"},
      {{kBody1, "An engineer checks a server rack at a data centre in Oregon. (Reuters)", kBody2,
        kBody3, kBody4},
       1,
       "photo-credit"},
      {{"图／新华社", kZh1, kZh2}, 0, "photo-credit"},
      {{kBody1, kBody2, kBody3, "Share this story"}, 3, "share-prompt"},
      {{kBody1, "Facebook Icon Twitter Icon Email Icon", kBody2, kBody3, kBody4},
       1,
       "share-prompt"},
      {{kBody1, kBody2, "Sign up for our weekly policy newsletter to get the latest on trade."},
       2,
       "newsletter"},
      {{kBody1, "Subscribe to continue reading this article.", kBody2}, 1, "paywall"},
      {{"We use cookies to personalise content and to analyse our traffic.", kBody1, kBody2},
       0,
       "cookie-notice"},
      {{kBody1, kBody2, "ADVERTISEMENT", kBody3, kBody4}, 2, "advertisement"},
      {{kBody1, kBody2, "© 2025 Example Media Group. All rights reserved."}, 2, "copyright"},
      {{kBody1, kBody2, "免责声明：本文内容仅供参考，不构成任何投资建议。"}, 2, "disclaimer"},
      {{kDe1, kDe2, "Hinweis: Dieser Beitrag stellt keine Anlageberatung dar."}, 2, "disclaimer"},
      {{kFr1, kFr2, "Avertissement : cet article ne constitue pas un conseil en investissement."},
       2,
       "disclaimer"},
      {{kBody1, kBody2, "Disclaimer: The author holds no position in the companies named."},
       2,
       "disclaimer"},
      {{kBody1,
        "Export rules will change again before summer, I hear. https://t.co/AbCdEf123 — Chip "
        "Watcher (@chipwatcher) March 3, 2025",
        kBody2, kBody3, kBody4},
       1,
       "embedded-post"},
      {{kBody1, kBody2, kBody3,
        "Jordan Miles is a senior correspondent covering trade policy from Brussels."},
       3,
       "author-bio"},
      {{kBody1, kBody2, kBody3, "Dana Lee covers semiconductors and export controls."},
       3,
       "author-bio"},
      {{kFr1, kFr2, "« Coffee lover. Music fanatic. Travel expert. Proud introvert. »"},
       2,
       "author-bio"},
      {{"By Jane Doe and Omar Haddad", kBody1, kBody2}, 0, "byline"},
      {{kZh1, kZh2, "责任编辑：王敏"}, 2, "byline"},
      {{kBody1, kBody2, "(Reporting by Ana Ruiz; Editing by Tom Lee)"}, 2, "byline"},
      {{"Trade Wire Daily is a service of Example Publishing Group.", kBody1, kBody2, kBody3},
       0,
       "masthead"},
  });
}

TEST_F(BoilerplateTest, OpenersMarkTheListOrTheRestAfterThem) {
  ExpectCases({
      {{kBody1, kBody2, kBody3, "Related:", "- Chip tool makers brace for new limits",
        "- Cloud providers weigh overseas expansion"},
       5,
       "related-links"},
      {{kZh1, kZh2, "相关阅读：", "芯片设备企业迎来新一轮限制"}, 3, "related-links"},
      {{kBody1, kBody2, kBody3, "12 Comments", "Great article, thanks for writing this up!"},
       4,
       "comments"},
      {{kBody1, kBody2, kBody3, "About Example Corp",
        "Example Corp designs networking chips for data centres in 40 countries."},
       4,
       "author-bio"},
      // An opener stops at the first paragraph that is not a list item.
      {{kBody1, "Read more: Cloud providers weigh overseas expansion", kBody2, kBody3}, 2, ""},
  });
}

TEST_F(BoilerplateTest, ShortLinesNextToBoilerplateJoinIt) {
  ExpectCases({
      // In the tail, a short line next to a share prompt is part of the footer.
      {{kBody1, kBody2, kBody3, "Share this story", "Tech Desk"}, 4, "share-prompt"},
      // Inside the article only labels of a few words join ("Senior Editor" next to a share
      // bar), not a heading.
      {{kBody1, kBody2, "Facebook Icon Twitter Icon", "Tech Desk", kBody3, kBody4},
       3,
       "share-prompt"},
      {{kBody1, kBody2, "ADVERTISEMENT", "What the new rule requires from exporters", kBody3,
        kBody4},
       3,
       ""},
      // A line with a date is a dateline, which the date extractor reads.
      {{kBody1, kBody2, kBody3, "Share this story", "Updated March 3, 2025"}, 4, ""},
  });
}

TEST_F(BoilerplateTest, BlockQuoteOfAnEmbeddedPostIsMarkedWhole) {
  Document doc = Marked({kBody1, "> The new caps are a gift to rival suppliers.",
                         "> — Pat Example (@patexample) April 2, 2025", kBody2, kBody3});
  EXPECT_EQ(Dump(doc), "- | " + kBody1 + "\n" +
                           "embedded-post | > The new caps are a gift to rival suppliers.\n"
                           "embedded-post | > — Pat Example (@patexample) April 2, 2025\n"
                           "- | " +
                           kBody2 + "\n- | " + kBody3 + "\n");
}

TEST_F(BoilerplateTest, LeavesNewsSentencesThatStartLikeCues) {
  const std::vector<std::string> sentences = {
      "Photographs released by the agency show trucks loading chips at the port.",
      "Shares of Nvidia fell 3% after the announcement, according to traders.",
      "Share prices of equipment makers rose on the news.",
      "Related restrictions on memory chips take effect in January, the agency said.",
      "By Friday, the agency had received more than 200 comments on the draft rule.",
      "Advertising revenue at the company rose 12% in the quarter.",
      "Comments from industry groups are due by March 15, the department said.",
      "Read more about the rule in the Federal Register, the agency said.",
      "See the full list of countries in the table below.",
      "Credit Suisse analysts said the curbs would hit revenue.",
      "Copyright law was not part of the talks, officials said.",
      "Sign up for our newsletter, the director told members, \"because the rules change every "
      "month.\"",
      "Its director told reporters: \"Sign up for our newsletter if you ship chips abroad.\"",
      "记者：美国为何选择在此时调整对华出口政策？",
      "| Japan | Tier 1 | No caps |",
      "Nvidia | AMD",
      "Jensen Huang is the chief executive of Nvidia and a frequent critic of the rules.",
      "The Entity List covers more than 600 Chinese companies and research institutes.",
      "Arm Holdings is a unit of SoftBank Group and licenses its designs to chipmakers.",
      "Nvidia Corp is a major contributor to the industry group's lobbying budget.",
      "The rule was drafted with the Environmental Protection Agency (EPA).",
      "The guidance is for informational purposes only, the agency said.",
      "分析师表示，上述预测仅供参考。",
      "Disclosure",
  };
  for (const std::string& sentence : sentences) {
    for (size_t at : {0u, 2u, 4u}) {  // head, middle, tail
      std::vector<std::string> paragraphs = {kBody1, kBody2, kBody3, kBody4};
      paragraphs.insert(paragraphs.begin() + at, sentence);
      ExpectCases({{paragraphs, at, ""}});
    }
  }
}

TEST_F(BoilerplateTest, NeverMarksTheTitle) {
  Document doc = Marked({kBody1, kBody2}, "Sign up for our newsletter");
  ASSERT_EQ(doc.paragraphs.size(), 3u);
  EXPECT_EQ(doc.paragraphs[0].kind, BlockKind::kTitle);
}

TEST_F(BoilerplateTest, BylineNamesTheAuthorWhenTheMetadataDoesNot) {
  EXPECT_EQ(Marked({"By Jane Doe and Omar Haddad", kBody1, kBody2}).meta.author,
            "Jane Doe and Omar Haddad");
  EXPECT_EQ(Marked({"Written by: Ana Ruiz", kBody1, kBody2}).meta.author, "Ana Ruiz");
  EXPECT_EQ(Marked({kBody1, kBody2, "(Reporting by Ana Ruiz; Editing by Tom Lee)"}).meta.author,
            "Ana Ruiz");
  EXPECT_EQ(Marked({kBody1, kBody2}).meta.author, "");
}

TEST_F(BoilerplateTest, BylineLeadingArticleTextNamesTheAuthorButStaysText) {
  Document doc = Marked({"[테크뉴스=홍길동 기자] 미국 상무부가 새로운 수출 규정을 발표했다.",
                         "업계는 비용 증가를 우려하고 있다고 전했다."});
  EXPECT_EQ(doc.meta.author, "홍길동");
  EXPECT_EQ(doc.paragraphs[0].kind, BlockKind::kBody);
}

TEST_F(BoilerplateTest, MetadataAuthorWins) {
  Document doc;
  doc.meta.author = "Metadata Author";
  doc.original = "By Jane Doe\n\n" + kBody1 + "\n\n" + kBody2 + "\n";
  Normalize(&doc);
  Segment(&doc);
  DetectParagraphLanguages(&doc);
  MarkBoilerplate(&doc, *rules_);
  EXPECT_EQ(doc.meta.author, "Metadata Author");
  EXPECT_EQ(doc.paragraphs[0].reason, "byline");
}

TEST_F(BoilerplateTest, ForeignLanguageDisclaimerInTheMiddleIsMarked) {
  // "仅供参考" alone is an edge cue: in the middle of the page it counts because the paragraph
  // is in another language than the article.
  ExpectCases({{{kBody1, kBody2, kBody3, "本文内容仅供参考，读者据此操作风险自负，与本站无关。",
                 kBody4, kBody1, kBody2},
                3,
                "disclaimer"}});
}

TEST_F(BoilerplateTest, DocumentLanguageCountsContentOnly) {
  Document doc = Marked(
      {kBody1, kBody2,
       "免责声明：本网站转载的文章仅代表作者个人观点，与本站立场无关，所涉内容不构成任何投资建议，"
       "读者据此操作风险自负。"});
  IdentifyLanguages(&doc);
  EXPECT_EQ(doc.language, "en");
  ASSERT_EQ(doc.paragraphs.size(), 3u);
  EXPECT_EQ(doc.paragraphs[2].kind, BlockKind::kBoilerplate);
  EXPECT_EQ(doc.paragraphs[2].reason, "disclaimer");
  EXPECT_EQ(doc.paragraphs[2].language, "zh");
}

TEST_F(BoilerplateTest, UserKeepRowProtectsText) {
  std::filesystem::path dir = FreshTestDir("boilerplate-keep");
  WriteTextFile(dir / "boilerplate.tsv", "en\tstart\tshare this story\tkeep\talways\t-\n");
  StatusOr<BoilerplateRules> rules = BoilerplateRules::Load({DefaultLexiconDir(), dir.string()});
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  Document doc = Marked({kBody1, kBody2, kBody3, "Share this story"}, "", &*rules);
  EXPECT_EQ(doc.paragraphs[3].kind, BlockKind::kBody) << Dump(doc);
}

TEST_F(BoilerplateTest, EmptyDocumentIsLeftAlone) {
  Document doc = Marked({});
  EXPECT_TRUE(doc.paragraphs.empty());
  EXPECT_EQ(doc.meta.author, "");
}

// Every pass visits each paragraph a bounded number of times: a page of tens of thousands of
// widget lines is marked in one go, not pass after pass.
TEST_F(BoilerplateTest, LongPagesOfShortLinesAreMarkedInOnePass) {
  std::vector<std::string> paragraphs = {kBody1, kBody2, kBody3, "Related:"};
  for (int i = 0; i < 20000; ++i) paragraphs.push_back("- Headline number " + std::to_string(i));
  for (int i = 0; i < 20000; ++i) paragraphs.push_back("Comments");
  Document doc = Marked(paragraphs);
  ASSERT_EQ(doc.paragraphs.size(), paragraphs.size());
  for (size_t i = 3; i < doc.paragraphs.size(); ++i) {
    ASSERT_EQ(doc.paragraphs[i].kind, BlockKind::kBoilerplate) << i;
  }
  EXPECT_EQ(doc.paragraphs.back().reason, "comments");
}

// ---- Errors -------------------------------------------------------------------------------

TEST(BoilerplateRulesTest, ReportsBadRowsWithTheirLocation) {
  struct ErrorCase {
    const char* row;
    const char* message;  // after "path:1: "
  } cases[] = {
      {"en\tsomewhere\tfoo\tmenu\talways\t-",
       "unknown where 'somewhere' (start|whole|end|anywhere|lead)"},
      {"en\tstart\tfoo\tmenu\tsometimes\t-", "unknown when 'sometimes' (always|edge)"},
      {"en\tstart\tfoo\tmenu\talways\tall", "unknown opens 'all' (-|list|rest)"},
      {"en\tstart\tfoo\tMenu!\talways\t-", "reason 'Menu!' must be lower-case words joined by '-'"},
      {"en\tstart\t(foo\tmenu\talways\t-", "invalid pattern '(foo': missing ): (foo"},
      {"en\tanywhere\tx?\tmenu\talways\t-", "pattern 'x?' matches the empty string"},
      {"ko\tlead\t\\[\\p{Hangul}+ 기자\\]\tbyline\talways\t-",
       "a lead row must name the author with a capture group"},
      {"en\tstart\tfoo\tkeep\talways\tlist", "a keep row cannot open a list or the rest"},
  };
  for (const ErrorCase& c : cases) {
    std::filesystem::path dir = FreshTestDir("boilerplate-errors");
    WriteTextFile(dir / "boilerplate.tsv", std::string(c.row) + "\n");
    StatusOr<BoilerplateRules> rules = BoilerplateRules::Load({DefaultLexiconDir(), dir.string()});
    ASSERT_FALSE(rules.ok()) << c.row;
    EXPECT_EQ(rules.status().message(), (dir / "boilerplate.tsv").string() + ":1: " + c.message);
  }
}

TEST(BoilerplateRulesTest, MissingTableIsAnError) {
  std::filesystem::path dir = FreshTestDir("boilerplate-missing");
  StatusOr<BoilerplateRules> rules = BoilerplateRules::Load({dir.string()});
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("boilerplate.tsv"), std::string::npos)
      << rules.status().message();
}

TEST(BoilerplateRulesTest, ShippedTableLoads) {
  StatusOr<BoilerplateRules> rules = BoilerplateRules::Load({DefaultLexiconDir()});
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_GT(rules->size(), 100u);
}

}  // namespace
}  // namespace stancetrack
