#include "extractors/quotes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "extractors/tsv.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::MakeDocument;
using testing::WriteTextFile;

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A small entity lexicon of the test's own: Alex Moreno has no affiliation in it, Gina Raimondo
// serves a government (a country code), the others speak for companies.
const EntityLexicon& Entities() {
  static const EntityLexicon* lexicon = [] {
    std::filesystem::path dir = testing::FreshTestDir("quotes_test_entities");
    WriteTextFile(dir / "countries.tsv",
                  "US\tUnited States\tU.S.\tAmerican\t美国\t\t\t\t\t\t1\t\t\t\n");
    WriteTextFile(dir / "companies.tsv",
                  "Microsoft\t微软\tUS\tcloud\t\t\n"
                  "Nvidia\t英伟达\tUS\tchips\t\t\n"
                  "Reuters\t\t\tmedia\t\t\n");
    WriteTextFile(dir / "organizations.tsv",
                  "Department of Commerce\tCommerce Department\tUS\tministry\t\t\n");
    WriteTextFile(dir / "people.tsv",
                  "Brad Smith\t\tSmith\tMicrosoft\tPresident\t\t\n"
                  "Jensen Huang\t黄仁勋\tHuang\tNvidia\tCEO\t\t\n"
                  "Gina Raimondo\t\tRaimondo\tUS\tSecretary of Commerce\t\t\n"
                  "Alex Moreno\t\tMoreno\t\tanalyst\t\t\n");
    WriteTextFile(dir / "policies.tsv", "ai-diffusion-rule\tAI Diffusion Rule\tname\ten\t\n");
    StatusOr<EntityLexicon> loaded = EntityLexicon::Load({dir.string()});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new EntityLexicon(std::move(loaded).value());
  }();
  return *lexicon;
}

const QuoteLexicon& Shipped() {
  static const QuoteLexicon* lexicon = [] {
    StatusOr<QuoteLexicon> loaded = QuoteLexicon::Load({DefaultLexiconDir()});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new QuoteLexicon(std::move(loaded).value());
  }();
  return *lexicon;
}

// One line per quote: "<words> | speaker | organization".
std::vector<std::string> Dump(const Document& doc, const std::vector<Quote>& quotes) {
  std::vector<std::string> lines;
  for (const Quote& q : quotes) {
    lines.push_back("<" + std::string(q.span.Of(doc.text)) + "> | " + q.speaker + " | " +
                    q.speaker_org);
  }
  return lines;
}

std::vector<std::string> Quotes(const std::string& text, const std::string& language) {
  Document doc = MakeDocument(text, language);
  std::vector<Mention> mentions = FindEntities(doc, Entities());
  return Dump(doc, FindQuotes(doc, Shipped(), Entities(), mentions));
}

struct Case {
  std::string language;
  std::string text;
  std::vector<std::string> quotes;
};

void ExpectQuotes(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_THAT(Quotes(c.text, c.language), ElementsAreArray(c.quotes))
        << c.language << ": " << c.text;
  }
}

TEST(FindQuotesTest, ReadsEveryKindOfQuoteMark) {
  ExpectQuotes({
      {"en",
       "\"We will keep selling chips abroad,\" Jensen Huang said.",
       {"<We will keep selling chips abroad> | Jensen Huang | Nvidia"}},
      {"en",
       "\u201cExport rules must be predictable,\u201d said Brad Smith.",
       {"<Export rules must be predictable> | Brad Smith | Microsoft"}},
      {"en",
       "\u201cWe\u2019re not against every rule,\u201d Brad Smith said.",
       {"<We\u2019re not against every rule> | Brad Smith | Microsoft"}},
      {"fr",
       "\u00ab Nous respecterons la nouvelle règle \u00bb, a déclaré Brad Smith.",
       {"<Nous respecterons la nouvelle règle> | Brad Smith | Microsoft"}},
      {"de",
       "\u00bbWir halten uns an alle Regeln\u00ab, sagte Jensen Huang.",
       {"<Wir halten uns an alle Regeln> | Jensen Huang | Nvidia"}},
      {"de",
       "\u201eDie Regeln sind zu streng\u201c, sagte Jensen Huang.",
       {"<Die Regeln sind zu streng> | Jensen Huang | Nvidia"}},
      {"zh",
       "黄仁勋表示：「我们会遵守所有的规定。」",
       {"<我们会遵守所有的规定。> | Jensen Huang | Nvidia"}},
      {"zh",
       "黄仁勋称：『中国市场对我们非常重要。』",
       {"<中国市场对我们非常重要。> | Jensen Huang | Nvidia"}},
  });
}

TEST(FindQuotesTest, AttributesThroughEachPattern) {
  ExpectQuotes({
      // X told <outlet>, with a colon introduction: the outlet is the listener.
      {"en",
       "Brad Smith told Reuters: \"The caps will push buyers elsewhere.\"",
       {"<The caps will push buyers elsewhere.> | Brad Smith | Microsoft"}},
      {"en",
       "According to Jensen Huang, \"the market for our chips there is now closed.\"",
       {"<the market for our chips there is now closed.> | Jensen Huang | Nvidia"}},
      {"en",
       "Brad Smith said the rule would \"hurt American allies for years.\"",
       {"<hurt American allies for years.> | Brad Smith | Microsoft"}},
      {"en",
       "\"Demand remains strong everywhere,\" Nvidia said in a statement.",
       {"<Demand remains strong everywhere> | Nvidia | Nvidia"}},
      {"en",
       "\"The rule protects national security,\" the Commerce Department said.",
       {"<The rule protects national security> | Department of Commerce | Department of "
        "Commerce"}},
      {"en",
       "\"We disagree,\" Brad Smith said, \"and we will say so in public.\"",
       {"<We disagree> | Brad Smith | Microsoft",
        "<and we will say so in public.> | Brad Smith | Microsoft"}},
  });
}

TEST(FindQuotesTest, ExecutivesSpeakForTheCompanyTheTextNames) {
  ExpectQuotes({
      // The lexicon gives Alex Moreno no affiliation: the organization comes from the text.
      {"en",
       "Microsoft adviser Alex Moreno said in an interview on Tuesday that the rule went too "
       "far. \"Their message is that allies are second-class partners,\" he said.",
       {"<Their message is that allies are second-class partners> | Alex Moreno | Microsoft"}},
      {"en",
       "Microsoft President Brad Smith said in an interview that the rule went too far. "
       "\"Their message is that allies are second-class partners,\" he said.",
       {"<Their message is that allies are second-class partners> | Brad Smith | Microsoft"}},
      {"en",
       "\"The caps are simply unworkable,\" said Nvidia analyst Alex Moreno.",
       {"<The caps are simply unworkable> | Alex Moreno | Nvidia"}},
      {"en",
       "\"The caps are simply unworkable,\" Alex Moreno, Nvidia's chief economist, said.",
       {"<The caps are simply unworkable> | Alex Moreno | Nvidia"}},
      {"en",
       "\"Export caps will surely backfire,\" Alex Moreno, who met Nvidia executives, said.",
       {"<Export caps will surely backfire> | Alex Moreno | "}},
      // A government served is no organization to speak for.
      {"en",
       "\"We will enforce the rule fully,\" Gina Raimondo said.",
       {"<We will enforce the rule fully> | Gina Raimondo | "}},
  });
}

TEST(FindQuotesTest, AnaphorsCarryTheSpeakerAcrossSentences) {
  ExpectQuotes({
      {"en",
       "Nvidia reported record sales on Wednesday. \"We will comply with every rule,\" the "
       "company said.",
       {"<We will comply with every rule> | Nvidia | Nvidia"}},
      {"en",
       "Brad Smith spoke first. \"The rule is a mistake,\" he said. \"It must go,\" he added.",
       {"<The rule is a mistake> | Brad Smith | Microsoft",
        "<It must go> | Brad Smith | Microsoft"}},
      // "the company" of a person who spoke is the company they speak for.
      {"en",
       "\"We oppose the caps,\" Brad Smith said. \"We will keep talking,\" the company added.",
       {"<We oppose the caps> | Brad Smith | Microsoft",
        "<We will keep talking> | Microsoft | Microsoft"}},
      {"en",
       "The Commerce Department issued the rule on Monday. \"Compliance is mandatory for all,\" "
       "the agency said.",
       {"<Compliance is mandatory for all> | Department of Commerce | Department of Commerce"}},
      {"zh",
       "英伟达首席执行官黄仁勋周三出席了活动。他表示：“我们将继续服务中国客户。”",
       {"<我们将继续服务中国客户。> | Jensen Huang | Nvidia"}},
      {"en",
       "Nvidia executives met officials on Monday. \"We asked for a delay,\" they said.",
       {"<We asked for a delay> | Nvidia | Nvidia"}},
      // Names inside a quote neither speak nor become subjects.
      {"en",
       "\"Jensen Huang is wrong about the caps,\" Brad Smith said.",
       {"<Jensen Huang is wrong about the caps> | Brad Smith | Microsoft"}},
      {"en",
       "\"Brad Smith is wrong about the caps,\" he said.",
       {"<Brad Smith is wrong about the caps> |  | "}},
  });
}

TEST(FindQuotesTest, AFollowingQuoteInTheParagraphKeepsItsSpeaker) {
  ExpectQuotes({
      {"en",
       "\"The rule is a mistake,\" Brad Smith said. \"Allies deserve better.\"",
       {"<The rule is a mistake> | Brad Smith | Microsoft",
        "<Allies deserve better.> | Brad Smith | Microsoft"}},
      {"en",
       "\"The rule is a mistake,\" Brad Smith said.\n\n\"Allies deserve better.\"",
       {"<The rule is a mistake> | Brad Smith | Microsoft", "<Allies deserve better.> |  | "}},
      // A quote with an attribution of its own does not continue the previous speaker.
      {"en",
       "\"We oppose the caps,\" Nvidia said. \"It will take months,\" he said.",
       {"<We oppose the caps> | Nvidia | Nvidia", "<It will take months> |  | "}},
  });
}

TEST(FindQuotesTest, AttributesThroughClausesAndNeighbouringParagraphs) {
  ExpectQuotes({
      // After "and" the reporting verb shares the clause's first subject, not the nearest name.
      {"en",
       "Brad Smith met Jensen Huang in Taipei and said: \"The caps will not last.\"",
       {"<The caps will not last.> | Brad Smith | Microsoft"}},
      // A paragraph that is a quote is the statement the paragraph before announced.
      {"en",
       "Microsoft released the following statement from Brad Smith on Monday.\n\n"
       "\"We will comply with every rule.\"",
       {"<We will comply with every rule.> | Brad Smith | Microsoft"}},
      // A name in marks between speaker and verb neither speaks nor ends the search.
      {"zh",
       "英伟达旗下账号「北极星」直言：「这项规则毫无必要。」",
       {"<这项规则毫无必要。> | Nvidia | Nvidia"}},
  });
}

TEST(FindQuotesTest, AQuoteMaySpanSentencesOfItsParagraph) {
  Document doc = MakeDocument(
      "\"The rule is far too broad. It hurts our allies. We oppose it,\" Brad Smith said.", "en");
  ASSERT_GE(doc.sentences.size(), 3u);
  std::vector<Quote> quotes = FindQuotes(doc, Shipped(), Entities(), FindEntities(doc, Entities()));
  EXPECT_THAT(Dump(doc, quotes),
              ElementsAreArray(
                  {"<The rule is far too broad. It hurts our allies. We oppose it> | Brad Smith | "
                   "Microsoft"}));
  EXPECT_EQ(quotes[0].sentence, 0u);
}

// Folding drops zero-width spaces, so the end of a paragraph's folded text maps to the end of
// the ones the paragraph ends with, which are not part of it: a quote left open must still end
// inside its paragraph (a fuzz_quotes finding).
TEST(FindQuotesTest, AnOpenQuoteEndsInsideItsParagraphBeforeZeroWidthSpaces) {
  for (const char* text : {"Analysts wrote \"the rule is far too broad\u200b\u200b",
                           "Analysts wrote \"the rule is far too broad\u200b\n\nNext paragraph."}) {
    Document doc = MakeDocument(text, "en");
    std::vector<Quote> quotes =
        FindQuotes(doc, Shipped(), Entities(), FindEntities(doc, Entities()));
    ASSERT_EQ(quotes.size(), 1u) << text;
    EXPECT_TRUE(doc.paragraphs[0].span.Contains(quotes[0].span)) << text;
    EXPECT_EQ(quotes[0].span.Of(doc.text), "the rule is far too broad") << text;
  }
}

TEST(FindQuotesTest, KeepsQuotesWithoutASpeaker) {
  ExpectQuotes({
      {"en",
       "The memo ended with one line: \"Nobody expected the rules to change this fast.\"",
       {"<Nobody expected the rules to change this fast.> |  | "}},
      // "he" refers to nobody named before it.
      {"en",
       "\"We are studying the rule closely,\" he said.",
       {"<We are studying the rule closely> |  | "}},
      // A quote left open runs to the end of its paragraph.
      {"en",
       "\"This will cost us customers in dozens of countries\n\nNext paragraph.",
       {"<This will cost us customers in dozens of countries> |  | "}},
  });
}

TEST(FindQuotesTest, ScareQuotesAndTitlesAreNotQuotes) {
  ExpectQuotes({
      {"en", "The so-called \"chip war\" keeps growing.", {}},
      {"en", "Analysts call it the 'diffusion' rule, and it isn't popular.", {}},
      {"en", "Officials had 'no comment at all' on the companies' plans.", {}},
      {"zh", "微软发布了对《人工智能扩散框架》的评论。", {}},
      {"zh", "这就是所谓的「卡脖子」问题。", {}},
      {"en", "The rack is 19\" wide and 6\" deep.", {}},
      {"en", "Brad Smith said the rule was a mistake.", {}},
  });
}

TEST(FindQuotesTest, AttributedSingleAndShortQuotesAreKept) {
  ExpectQuotes({
      {"en",
       "'We are ready for the review,' Brad Smith said.",
       {"<We are ready for the review> | Brad Smith | Microsoft"}},
      {"en", "\"Unworkable,\" Jensen Huang said.", {"<Unworkable> | Jensen Huang | Nvidia"}},
  });
}

TEST(FindQuotesTest, SkipsBoilerplateParagraphs) {
  Document doc = MakeDocument(
      "\"We will comply with the rule,\" Jensen Huang said.\n\n"
      "\"Subscribe now for all our coverage,\" the newsletter says.",
      "en");
  ASSERT_EQ(doc.paragraphs.size(), 2u);
  doc.paragraphs[1].kind = BlockKind::kBoilerplate;
  doc.paragraphs[1].reason = "share-prompt";
  std::vector<Quote> quotes = FindQuotes(doc, Shipped(), Entities(), FindEntities(doc, Entities()));
  EXPECT_THAT(Dump(doc, quotes),
              ElementsAreArray({"<We will comply with the rule> | Jensen Huang | Nvidia"}));
}

TEST(FindQuotesTest, UnclosedSingleQuotesStayCheap) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += " 'x";
  EXPECT_THAT(Quotes(text, "en"), IsEmpty());
}

TEST(FindQuotesTest, NoQuotesInAnEmptyDocument) {
  Document doc = MakeDocument("", "en");
  EXPECT_THAT(FindQuotes(doc, Shipped(), Entities(), {}), IsEmpty());
}

TEST(QuoteLexiconTest, ReportsMalformedRowsWithFileAndLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"en\tsaying\tsaid\n", ":2: unknown kind 'saying'"},
      {"en\tverb\t\n", ":2: no pattern"},
      {"\tverb\tsaid\n", ":2: no language"},
      {"en\tverb\tsaid(\n", ":2: invalid pattern 'said('"},
      {"en\tverb\n", ":2: expected 3 tab-separated fields, got 2"},
  };
  for (const auto& [table, message] : cases) {
    std::filesystem::path dir = testing::FreshTestDir("quotes_test_bad");
    WriteTextFile(dir / "reporting_verbs.tsv", "# language\tkind\tpattern\n" + table);
    StatusOr<QuoteLexicon> lexicon = QuoteLexicon::Load({dir.string()});
    ASSERT_FALSE(lexicon.ok()) << table;
    EXPECT_EQ(lexicon.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(lexicon.status().message(),
                HasSubstr((dir / "reporting_verbs.tsv").string() + message));
  }
}

TEST(QuoteLexiconTest, MissingTableIsAnIoError) {
  StatusOr<QuoteLexicon> lexicon =
      QuoteLexicon::Load({testing::FreshTestDir("quotes_test_none").string()});
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().code(), Status::Code::kIoError);
  EXPECT_THAT(lexicon.status().message(), HasSubstr("reporting_verbs.tsv: cannot open"));
}

TEST(QuoteLexiconTest, ALaterDirectoryAddsVerbs) {
  std::filesystem::path user = testing::FreshTestDir("quotes_test_user");
  WriteTextFile(user / "reporting_verbs.tsv", "en\tverb\tquipped\n");
  StatusOr<QuoteLexicon> lexicon = QuoteLexicon::Load({DefaultLexiconDir(), user.string()});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  Document doc = MakeDocument("\"Rules are rules, after all,\" Jensen Huang quipped.", "en");
  EXPECT_THAT(Dump(doc, FindQuotes(doc, *lexicon, Entities(), FindEntities(doc, Entities()))),
              ElementsAreArray({"<Rules are rules, after all> | Jensen Huang | Nvidia"}));
}

}  // namespace
}  // namespace stancetrack
