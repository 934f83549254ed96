#include "extractors/dates.h"

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

const DateLexicon& Shipped() {
  static const DateLexicon* lexicon = [] {
    StatusOr<DateLexicon> loaded = DateLexicon::Load({DefaultLexiconDir()});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new DateLexicon(std::move(loaded).value());
  }();
  return *lexicon;
}

// One line per date: "2025-02-24 <February 24, 2025>", " ~" when resolved against context.
std::vector<std::string> Dump(const Document& doc, const DateFindings& found) {
  std::vector<std::string> lines;
  for (const DateMention& d : found.dates) {
    lines.push_back(d.date + " <" + std::string(d.span.Of(doc.text)) + ">" +
                    (d.relative ? " ~" : ""));
  }
  return lines;
}

struct Case {
  std::string language;
  std::string published;
  std::string text;
  std::vector<std::string> dates;
};

void ExpectDates(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Document doc = MakeDocument(c.text, c.language, c.published);
    EXPECT_THAT(Dump(doc, FindDates(doc, Shipped())), ElementsAreArray(c.dates))
        << c.language << " [" << c.published << "]: " << c.text;
  }
}

TEST(FindDatesTest, ReadsAbsoluteDatesInEveryLanguage) {
  ExpectDates({
      {"en",
       "",
       "The licence rule was signed on March 3, 2025, in Washington.",
       {"2025-03-03 <March 3, 2025>"}},
      {"en", "", "Officials met on Sept. 9, 2024 to review it.", {"2024-09-09 <Sept. 9, 2024>"}},
      {"en", "", "Officials met on 14 Nov 2024 in Geneva.", {"2024-11-14 <14 Nov 2024>"}},
      {"en",
       "",
       "Filed 2025-03-17 and amended 2025/04/02.",
       {"2025-03-17 <2025-03-17>", "2025-04-02 <2025/04/02>"}},
      {"en",
       "",
       "Updated at 2025-05-06T08:30:00Z by the desk.",
       {"2025-05-06 <2025-05-06T08:30:00Z>"}},
      {"de",
       "",
       "Die Regel gilt seit dem 17.03.2025 für alle Händler.",
       {"2025-03-17 <17.03.2025>"}},
      {"de", "", "Am 3. März 2025 legte das Ministerium nach.", {"2025-03-03 <3. März 2025>"}},
      {"de", "2025-03-10", "Die Regeln gelten seit dem 15. Mai.", {"2025-05-15 <15. Mai> ~"}},
      {"fr", "", "Le 3 mars 2025, la Commission a réagi.", {"2025-03-03 <3 mars 2025>"}},
      {"fr",
       "",
       "Depuis le 1er avril 2025, les ventes sont suspendues.",
       {"2025-04-01 <1er avril 2025>"}},
      {"es",
       "",
       "El 3 de marzo de 2025 el ministerio respondió.",
       {"2025-03-03 <3 de marzo de 2025>"}},
      {"zh", "", "商务部于2025年3月3日发布了新的许可要求。", {"2025-03-03 <2025年3月3日>"}},
      {"ja", "", "同省は2025年3月3日に新たな規制を発表した。", {"2025-03-03 <2025年3月3日>"}},
      {"ko", "", "정부는 2025년 3월 3일 새 규정을 발표했다.", {"2025-03-03 <2025년 3월 3일>"}},
  });
}

TEST(FindDatesTest, ReadsMonthAndYearAsYearMonth) {
  ExpectDates({
      {"en",
       "",
       "The framework arrived in January 2025 and left by May 2025.",
       {"2025-01 <January 2025>", "2025-05 <May 2025>"}},
      {"es", "", "La norma se publicó en enero de 2025.", {"2025-01 <enero de 2025>"}},
      {"zh", "", "该规则于2025年1月公布。", {"2025-01 <2025年1月>"}},
      {"de", "", "Seit Oktober 2023 gelten strengere Regeln.", {"2023-10 <Oktober 2023>"}},
  });
}

TEST(FindDatesTest, RejectsImpossibleDates) {
  ExpectDates({
      {"en", "", "A memo dated February 30, 2025 never existed.", {}},
      {"en", "", "Reference numbers such as 2025-13-01 and 2025-02-30 are not dates.", {}},
      {"en", "", "The archive from 1850-01-01 is out of range.", {}},
      {"zh", "", "文件日期为2025年2月30日。", {}},
      {"de", "", "Am 31.04.2025 geschah nichts.", {}},
      {"en", "", "Chip order 12025-02-24 is a part number.", {}},
  });
}

TEST(FindDatesTest, MonthNamesKeepTheirCase) {
  ExpectDates({
      {"en",
       "",
       "WASHINGTON, FEB. 24, 2025 - The department acted.",
       {"2025-02-24 <FEB. 24, 2025>"}},
      {"fr", "", "Février 2025 restera dans les mémoires.", {"2025-02 <Février 2025>"}},
  });
}

TEST(FindDatesTest, NumbersNearOrdinaryWordsAreNoDates) {
  ExpectDates({
      {"en", "", "Chip prices may 10x by the end of the decade.", {}},
      {"en", "", "Protesters march 10 blocks to the ministry.", {}},
      {"en", "", "The lab bought 24 H20 chips and 2025 servers.", {}},
      {"en", "", "Version 3.14.2025 of the tool is out.", {}},
  });
}

TEST(FindDatesTest, InfersTheYearOfPartialDatesFromThePublicationDate) {
  ExpectDates({
      {"en",
       "2025-03-10",
       "The rule was announced on Feb. 24 by the department.",
       {"2025-02-24 <Feb. 24> ~"}},
      {"zh", "2025-03-10", "美国商务部2月24日宣布新规。", {"2025-02-24 <2月24日> ~"}},
      {"en",
       "2025-01-05",
       "Talks began on December 20 and resume on March 3.",
       {"2024-12-20 <December 20> ~", "2025-03-03 <March 3> ~"}},
      {"en", "2025-01-16", "The caps take effect on May 15.", {"2025-05-15 <May 15> ~"}},
      {"en",
       "",
       "Talks began on December 20 after the rule of March 3, 2023.",
       {"2023-12-20 <December 20> ~", "2023-03-03 <March 3, 2023>"}},
      {"en", "", "Talks began on December 20 without any other clue.", {}},
  });
}

TEST(FindDatesTest, ReadsAMonthNamedAloneAfterALeadWord) {
  ExpectDates({
      {"en",
       "2025-07-20",
       "The department imposed the requirement in April and eased it in mid-July.",
       {"2025-04 <April> ~", "2025-07 <July> ~"}},
      {"en", "2025-07-20", "In early March, Nvidia objected.", {"2025-03 <March> ~"}},
      // The year that puts the month nearest the publication date.
      {"en",
       "2025-01-16",
       "Talks stalled in December; the caps apply from May.",
       {"2024-12 <December> ~", "2025-05 <May> ~"}},
      {"de", "2025-07-20", "Die Regierung verschärfte im April die Regeln.", {"2025-04 <April> ~"}},
      {"fr", "2025-07-20", "Washington a bloqué les ventes en avril.", {"2025-04 <avril> ~"}},
      // Without a lead word a month name is too often something else.
      {"en", "2025-07-20", "May said the rule was wrong. March on, said the minister.", {}},
      // Without a publication date, the latest year the article names; else none.
      {"en",
       "",
       "The rule of March 3, 2024 was tightened in June.",
       {"2024-03-03 <March 3, 2024>", "2024-06 <June> ~"}},
      {"en", "", "The rule was tightened in June.", {}},
  });
}

TEST(FindDatesTest, ReadsHanAndHangulMonthsAndDaysWithTheirRelativeWord) {
  ExpectDates({
      {"zh", "2025-07-22", "今年4月，该芯片被禁售。", {"2025-04 <今年4月> ~"}},
      {"zh", "2025-07-22", "去年12月，规则收紧。", {"2024-12 <去年12月> ~"}},
      {"zh", "2025-11-10", "禁令暂停至明年11月。", {"2026-11 <明年11月> ~"}},
      {"zh",
       "2025-07-22",
       "该芯片4月被禁售，7月中旬恢复销售。",
       {"2025-04 <4月> ~", "2025-07 <7月> ~"}},
      {"ko", "2025-08-22", "지난해 4월 규정이 바뀌었다.", {"2024-04 <지난해 4월> ~"}},
      {"ko", "2025-08-22", "정부는 지난 4월 수출을 금지했다.", {"2025-04 <4월> ~"}},
      // A month word before a day alone gives its month; a day alone names none ("3日内").
      {"zh", "2024-12-10", "美国商务部本月2日发布新规。", {"2024-12-02 <本月2日> ~"}},
      {"zh", "2025-03-05", "上月28日，规则生效。", {"2025-02-28 <上月28日> ~"}},
      {"ko", "2025-08-22", "정부는 지난달 28일 발표했다.", {"2025-07-28 <지난달 28일> ~"}},
      {"zh", "2025-07-22", "该企业须在3日内完成整改。", {}},
      // "3个月" is three months, no month; without a publication date a year word says nothing.
      {"zh", "2025-07-22", "禁令持续了3个月。", {}},
      {"zh", "", "今年4月，该芯片被禁售。", {}},
  });
}

TEST(FindDatesTest, ResolvesRelativeDatesAgainstThePublicationDate) {
  // 2025-02-27 is a Thursday.
  const std::string published = "2025-02-27";
  ExpectDates({
      {"en",
       published,
       "The company said on Thursday that it would comply.",
       {"2025-02-27 <Thursday> ~"}},
      {"en",
       published,
       "Lawmakers wrote on Monday; the agency replied Friday.",
       {"2025-02-24 <Monday> ~", "2025-02-21 <Friday> ~"}},
      {"en",
       published,
       "Shares fell yesterday after a warning issued today.",
       {"2025-02-26 <yesterday> ~", "2025-02-27 <today> ~"}},
      {"en", published, "Last week the firm met officials.", {"2025-02-20 <Last week> ~"}},
      {"en",
       published,
       "Earlier this month the rule was delayed, unlike last month.",
       {"2025-02 <Earlier this month> ~", "2025-01 <last month> ~"}},
      {"en",
       published,
       "Sales this year may beat last year.",
       {"2025 <this year> ~", "2024 <last year> ~"}},
      {"zh",
       published,
       "公司昨天表示，上周的会谈和本月的计划都已确定。",
       {"2025-02-26 <昨天> ~", "2025-02-20 <上周> ~", "2025-02 <本月> ~"}},
      {"zh",
       published,
       "部长周一会见了代表，上周四则发表了讲话。",
       {"2025-02-24 <周一> ~", "2025-02-20 <上周四> ~"}},
      {"de",
       published,
       "Das Ministerium erklärte gestern, es prüfe die Lage.",
       {"2025-02-26 <gestern> ~"}},
      {"fr", published, "Le ministère a réagi hier soir.", {"2025-02-26 <hier> ~"}},
      // Chinese and Japanese share their words.
      {"ja", published, "同社は昨天の発表を修正した。", {"2025-02-26 <昨天> ~"}},
  });
}

TEST(FindDatesTest, RelativeWordsApplyOnlyInTheirLanguage) {
  ExpectDates({
      {"de", "2025-02-27", "Hier ist die Lage anders als im Ausland.", {}},
      {"en", "2025-02-27", "The hierarchy today is flat.", {"2025-02-27 <today> ~"}},
  });
}

TEST(FindDatesTest, DropsRelativeDatesWithoutAPublicationDate) {
  ExpectDates({{"en", "", "Yesterday the firm said it would comply on Thursday.", {}}});
}

TEST(FindDatesTest, AWeekdayBeforeADateBelongsToIt) {
  ExpectDates({{"en",
                "2025-03-01",
                "The rule was signed on Monday, Feb. 24, 2025, in the end.",
                {"2025-02-24 <Monday, Feb. 24, 2025>"}}});
}

struct DatelineCase {
  std::string text;
  std::string meta;
  std::string published;
};

TEST(FindDatesTest, TakesThePublicationDateFromMetadataOrADateline) {
  const DatelineCase cases[] = {
      {"WASHINGTON, Feb. 24, 2025 (Reuters) - The department acted.", "2025-03-01", "2025-03-01"},
      {"WASHINGTON, Jan. 15 (Reuters) - The rule of January 2025 was published.", "", "2025-01-15"},
      {"Chip curbs widen\n\nPublished March 4, 2025\n\nThe department acted.", "", "2025-03-04"},
      {"2025-02-24\n\nThe department acted.", "", "2025-02-24"},
      {"2025年2月24日 10:30\n\n商务部宣布了新的规定。", "", "2025-02-24"},
      {"24. Februar 2025 - Die Bundesregierung reagierte.", "", "2025-02-24"},
      {"新华社华盛顿2月24日电 美国商务部2025年1月发布的规则被撤销。", "", "2025-02-24"},
  };
  for (const DatelineCase& c : cases) {
    Document doc = MakeDocument(c.text, "", c.meta);
    EXPECT_EQ(FindDates(doc, Shipped()).published, c.published) << c.text;
  }
}

TEST(FindDatesTest, NoDatelineInsideEmbeddedPostsQuotesOrRunningText) {
  const std::string texts[] = {
      "- chipwatcher (@chipwatcher) October 28, 2024\n\nThe department acted.",
      "\"February 24, 2025 will be remembered,\" the minister said.",
      "February 24, 2025 was the day the rule took effect.",
      "Chip curbs\n\nBy A. Writer\n\nFirst paragraph.\n\nSecond paragraph.\n\n2025-02-24",
      "WASHINGTON, Jan. 15 (Reuters) - No year is given anywhere here.",
  };
  for (const std::string& text : texts) {
    Document doc = MakeDocument(text, "en");
    EXPECT_EQ(FindDates(doc, Shipped()).published, "") << text;
  }
}

TEST(FindDatesTest, SkipsBoilerplateParagraphs) {
  Document doc =
      MakeDocument("The rule came on March 3, 2025.\n\nShared on April 1, 2025 by a reader.", "en");
  ASSERT_EQ(doc.paragraphs.size(), 2u);
  doc.paragraphs[1].kind = BlockKind::kBoilerplate;
  doc.paragraphs[1].reason = "embedded-post";
  EXPECT_THAT(Dump(doc, FindDates(doc, Shipped())),
              ElementsAreArray({"2025-03-03 <March 3, 2025>"}));
}

TEST(FindDatesTest, ResolvesWithThePublishedDateADatelineGives) {
  Document doc = MakeDocument("WASHINGTON, Feb. 27, 2025 (AP) - Officials met on Monday.", "en");
  DateFindings found = FindDates(doc, Shipped());
  EXPECT_EQ(found.published, "2025-02-27");
  EXPECT_THAT(Dump(doc, found),
              ElementsAreArray({"2025-02-27 <Feb. 27, 2025>", "2025-02-24 <Monday> ~"}));
}

TEST(FindDatesTest, NamesTheSentenceAndMapsTypographyBackToTheText) {
  Document doc =
      MakeDocument("The curbs widened.\u00a0Then on March\u00a03,\u00a02025 they eased.", "en");
  DateFindings found = FindDates(doc, Shipped());
  ASSERT_EQ(found.dates.size(), 1u);
  EXPECT_EQ(found.dates[0].sentence, 1u);
  EXPECT_EQ(found.dates[0].span.Of(doc.text), "March\u00a03,\u00a02025");
}

// Lexicon errors and layering, on tables written for the test.
class DateLexiconFilesTest : public ::testing::Test {
 protected:
  std::string Dir(const std::string& name, const std::string& table) {
    std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) / ("dates_test_" + name);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "dates.tsv") << "# language\tkind\tvalue\tforms\n" << table;
    return dir.string();
  }
};

TEST_F(DateLexiconFilesTest, ReportsMalformedRowsWithFileAndLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"en\tseason\t1\tspring\n", ":2: unknown kind 'season'"},
      {"en\tmonth\t13\tSmarch\n", ":2: month must be 1..12, got '13'"},
      {"en\tweekday\t0\tNoday\n", ":2: weekday must be 1..7, got '0'"},
      {"en\trelative\tfortnight-1\tlast fortnight\n", ":2: bad relative value 'fortnight-1'"},
      {"zh\tweekday-in-week\t4\t上周四\n", ":2: bad weekday-in-week value '4'"},
      {"en\tmonth\t1\t | \n", ":2: no forms"},
      {"en\tmonth\t1\t\u200b\n", ":2: form '\u200b' is empty once folded"},
      {"en\tmonth\t1\n", ":2: expected 4 tab-separated fields, got 3"},
  };
  for (const auto& [table, message] : cases) {
    std::string dir = Dir("bad", table);
    StatusOr<DateLexicon> lexicon = DateLexicon::Load({dir});
    ASSERT_FALSE(lexicon.ok()) << table;
    EXPECT_EQ(lexicon.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(lexicon.status().message(), dir + "/dates.tsv" + message);
  }
}

TEST_F(DateLexiconFilesTest, MissingTableIsAnIoError) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "dates_test_none";
  std::filesystem::create_directories(dir);
  StatusOr<DateLexicon> lexicon = DateLexicon::Load({dir.string()});
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().code(), Status::Code::kIoError);
  EXPECT_THAT(lexicon.status().message(), HasSubstr("dates.tsv: cannot open lexicon table"));
}

TEST_F(DateLexiconFilesTest, LaterDirectoriesReplaceForms) {
  std::string base = Dir("base", "en\trelative\tday-1\tyesterday\nen\tmonth\t3\tMarch\n");
  std::string user = Dir("user", "en\trelative\tday-1\tthe day before\n");
  StatusOr<DateLexicon> lexicon = DateLexicon::Load({base, user});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  Document doc = MakeDocument("It fell the day before, not yesterday, after March 3, 2025.", "en",
                              "2025-03-10");
  EXPECT_THAT(Dump(doc, FindDates(doc, *lexicon)),
              ElementsAreArray({"2025-03-09 <the day before> ~", "2025-03-03 <March 3, 2025>"}));
}

TEST_F(DateLexiconFilesTest, ATableWithoutWordsStillReadsNumericDates) {
  StatusOr<DateLexicon> lexicon = DateLexicon::Load({Dir("empty", "")});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  Document doc = MakeDocument("Filed on 2025-03-17, a Monday.", "en", "2025-03-20");
  EXPECT_THAT(Dump(doc, FindDates(doc, *lexicon)), ElementsAreArray({"2025-03-17 <2025-03-17>"}));
}

TEST(FindDatesTest, EmptyDocumentHasNoDates) {
  Document doc = MakeDocument("", "en");
  DateFindings found = FindDates(doc, Shipped());
  EXPECT_EQ(found.published, "");
  EXPECT_THAT(found.dates, IsEmpty());
}

}  // namespace
}  // namespace stancetrack
