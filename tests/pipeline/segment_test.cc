#include "pipeline/segment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/limits.h"
#include "pipeline/normalize.h"

namespace stancetrack {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

Document Segmented(std::string original, std::string language = "", std::string title = "") {
  Document doc;
  doc.original = std::move(original);
  doc.language = std::move(language);
  doc.meta.title = std::move(title);
  Normalize(&doc);
  Segment(&doc);
  return doc;
}

std::vector<std::string> ParagraphTexts(const Document& doc) {
  std::vector<std::string> texts;
  for (const Paragraph& p : doc.paragraphs) texts.emplace_back(p.span.Of(doc.text));
  return texts;
}

std::vector<std::string> SentenceTexts(const Document& doc) {
  std::vector<std::string> texts;
  for (const Sentence& s : doc.sentences) texts.emplace_back(s.span.Of(doc.text));
  return texts;
}

struct SegmentCase {
  std::string text;
  std::vector<std::string> expected;
};

TEST(ParagraphTest, SplitsAtBlankAndUnwrappedLineBreaks) {
  const SegmentCase cases[] = {
      {"First part.\n\nSecond part.", {"First part.", "Second part."}},
      {"One line ends.\nThe next starts.", {"One line ends.", "The next starts."}},
      {"A heading without a period\nBody Text", {"A heading without a period", "Body Text"}},
      {"This sentence wraps\nonto a second line.", {"This sentence wraps\nonto a second line."}},
      {"She said \u201Cno.\u201D\nand then left", {"She said \u201Cno.\u201D", "and then left"}},
      {"Is it over?\nmaybe not", {"Is it over?", "maybe not"}},
      {"  padded  \n\n \t \n\n  second  ", {"padded", "second"}},
      {"- item one\n- item two", {"- item one", "- item two"}},
      {"wrapped\r\nhere.\r\n\r\nNext.", {"wrapped\nhere.", "Next."}},
      {"\u3000\u5168\u89D2\u3002\n\u6B21\u3002", {"\u5168\u89D2\u3002", "\u6B21\u3002"}},
  };
  for (const SegmentCase& c : cases) {
    EXPECT_THAT(ParagraphTexts(Segmented(c.text)), ElementsAreArray(c.expected)) << c.text;
  }
}

TEST(ParagraphTest, MarksTheTitleOnlyWhenMetadataHasOne) {
  const Document titled =
      Segmented("Chip curbs widen\n\nThe agency acted.", "", "Chip curbs widen");
  ASSERT_EQ(titled.paragraphs.size(), 2u);
  EXPECT_EQ(titled.paragraphs[0].kind, BlockKind::kTitle);
  EXPECT_EQ(titled.paragraphs[1].kind, BlockKind::kBody);

  const Document untitled = Segmented("Chip curbs widen\n\nThe agency acted.");
  ASSERT_EQ(untitled.paragraphs.size(), 2u);
  EXPECT_EQ(untitled.paragraphs[0].kind, BlockKind::kBody);
}

TEST(ParagraphTest, EmptyAndBlankDocumentsHaveNothing) {
  for (const std::string text : {"", " \n\n\t\r\n\u3000\u200B"}) {
    const Document doc = Segmented(text, "", "a title");
    EXPECT_THAT(doc.paragraphs, IsEmpty());
    EXPECT_THAT(doc.sentences, IsEmpty());
  }
}

void ExpectSentences(const SegmentCase& c, const std::string& language) {
  EXPECT_THAT(SentenceTexts(Segmented(c.text, language)), ElementsAreArray(c.expected)) << c.text;
}

TEST(SentenceTest, EnglishAbbreviationsDoNotEndSentences) {
  const SegmentCase cases[] = {
      {"The U.S. economy grew. Exports fell.", {"The U.S. economy grew.", "Exports fell."}},
      {"The U.S. Commerce Department issued a rule. It took effect.",
       {"The U.S. Commerce Department issued a rule.", "It took effect."}},
      {"Chips were sold to the U.S. The buyers paid.",
       {"Chips were sold to the U.S.", "The buyers paid."}},
      {"Envoys from the U.K. and the E.U. met U.N. Staff there.",
       {"Envoys from the U.K. and the E.U. met U.N. Staff there."}},
      {"Mr. Haldane met Dr. Oyelaran and Mrs. Quist.",
       {"Mr. Haldane met Dr. Oyelaran and Mrs. Quist."}},
      {"Sen. Marlow and Gov. Reyes wrote to Gen. Osei. They asked for delays.",
       {"Sen. Marlow and Gov. Reyes wrote to Gen. Osei.", "They asked for delays."}},
      {"On Jan. 15 Nvidia filed comments. Then it waited.",
       {"On Jan. 15 Nvidia filed comments.", "Then it waited."}},
      {"By Sept. 30 Ridgeway Corp. had filed.", {"By Sept. 30 Ridgeway Corp. had filed."}},
      {"Nvidia Corp. said it would comply.", {"Nvidia Corp. said it would comply."}},
      {"Analysts watched Kestrel Inc. The company declined to comment.",
       {"Analysts watched Kestrel Inc.", "The company declined to comment."}},
      {"John Q. Adler spoke about chips.", {"John Q. Adler spoke about chips."}},
      {"It is the world's No. 2 chipmaker. Sales rose.",
       {"It is the world's No. 2 chipmaker.", "Sales rose."}},
      {"The talks ran until 9 p.m. local time. Nobody spoke.",
       {"The talks ran until 9 p.m. local time.", "Nobody spoke."}},
      {"Brandt vs. Lowe went to trial.", {"Brandt vs. Lowe went to trial."}},
      {"They met Dana Ruiz Jr. He smiled.", {"They met Dana Ruiz Jr.", "He smiled."}},
      {"They met in St. Paul. He left.", {"They met in St. Paul.", "He left."}},
  };
  for (const SegmentCase& c : cases) ExpectSentences(c, "en");
}

TEST(SentenceTest, QuotesEndAndStartSentences) {
  const SegmentCase cases[] = {
      {"Okafor said. \u201CIt is not good,\u201D he said.",
       {"Okafor said.", "\u201CIt is not good,\u201D he said."}},
      {"He said \"No.\" Then he left.", {"He said \"No.\"", "Then he left."}},
      {"She asked \u201CWhy?\u201D Nobody answered.",
       {"She asked \u201CWhy?\u201D", "Nobody answered."}},
      {"\u201CWho pays for this?\u201D she asked. \"Not us!\" he said.",
       {"\u201CWho pays for this?\u201D she asked.", "\"Not us!\" he said."}},
  };
  for (const SegmentCase& c : cases) ExpectSentences(c, "en");
}

TEST(SentenceTest, ChineseBreaksAfterFullStops) {
  const SegmentCase cases[] = {
      {"\u7F8E\u56FD\u6536\u7D27\u7BA1\u5236\u3002\u516C\u53F8\u53CD\u5BF9\uFF01"
       "\u8FD9\u5408\u7406\u5417\uFF1F\u4ED6\u8BF4\u3002",
       {"\u7F8E\u56FD\u6536\u7D27\u7BA1\u5236\u3002", "\u516C\u53F8\u53CD\u5BF9\uFF01",
        "\u8FD9\u5408\u7406\u5417\uFF1F", "\u4ED6\u8BF4\u3002"}},
      // The opening quote ICU leaves behind "？" moves to the sentence it opens.
      {"\u771F\u7684\u5417\uFF1F\u201C\u597D\uFF01\u201D\u4ED6\u8BF4\u3002",
       {"\u771F\u7684\u5417\uFF1F", "\u201C\u597D\uFF01\u201D", "\u4ED6\u8BF4\u3002"}},
      // Found by fuzz_dates: an abbreviation right after Han characters (no space between)
      // still does not end the sentence, so "Feb. 24" stays one date in one sentence.
      {"\u516C\u544A\u4E8EFeb. 24\u53D1\u5E03\u3002\u4ED6\u8BF4\u3002",
       {"\u516C\u544A\u4E8EFeb. 24\u53D1\u5E03\u3002", "\u4ED6\u8BF4\u3002"}},
  };
  for (const SegmentCase& c : cases) ExpectSentences(c, "zh");
}

TEST(SentenceTest, JapaneseBreaksAfterFullStopsAndQuotes) {
  const SegmentCase cases[] = {
      {"\u898F\u5236\u304C\u5F37\u5316\u3055\u308C\u305F\u3002\u300C\u305D\u3046\u3060\uFF01"
       "\u300D\u6B21\u306E\u8A71\u3002",
       {"\u898F\u5236\u304C\u5F37\u5316\u3055\u308C\u305F\u3002",
        "\u300C\u305D\u3046\u3060\uFF01\u300D", "\u6B21\u306E\u8A71\u3002"}},
      // The quotative particle after a quote continues the sentence that names the speaker.
      {"\u300C\u53CD\u5BFE\u3060\uFF01\u300D\u3068\u793E\u9577\u306F\u8FF0\u3079\u305F"
       "\u3002\u4EE5\u4E0A\u3002",
       {"\u300C\u53CD\u5BFE\u3060\uFF01\u300D\u3068\u793E\u9577\u306F\u8FF0\u3079\u305F\u3002",
        "\u4EE5\u4E0A\u3002"}},
  };
  for (const SegmentCase& c : cases) ExpectSentences(c, "ja");
}

TEST(SentenceTest, KoreanBreaksAtPeriods) {
  ExpectSentences({"\uBBF8\uAD6D\uC740 \uADDC\uC81C\uB97C \uAC15\uD654\uD588\uB2E4. "
                   "\uAE30\uC5C5\uB4E4\uC740 \uBC18\uB300\uD588\uB2E4.",
                   {"\uBBF8\uAD6D\uC740 \uADDC\uC81C\uB97C \uAC15\uD654\uD588\uB2E4.",
                    "\uAE30\uC5C5\uB4E4\uC740 \uBC18\uB300\uD588\uB2E4."}},
                  "ko");
}

TEST(SentenceTest, GermanFrenchAndSpanishAbbreviations) {
  ExpectSentences({"Es gibt z.B. Chips aus Taiwan. Das Gesetz Nr. 5 gilt bzw. Gilt bald.",
                   {"Es gibt z.B. Chips aus Taiwan.", "Das Gesetz Nr. 5 gilt bzw. Gilt bald."}},
                  "de");
  ExpectSentences(
      {"El Sr. Ortega y la Sra. Vidal hablaron.", {"El Sr. Ortega y la Sra. Vidal hablaron."}},
      "es");
  ExpectSentences({"M. Perrin a parl\u00E9. Mme Garnier aussi.",
                   {"M. Perrin a parl\u00E9.", "Mme Garnier aussi."}},
                  "fr");
}

TEST(SentenceTest, UsesMetadataLanguageAndToleratesUnknownOnes) {
  for (const std::string language : {"", "xx", "pt-BR", "zh_Hant", "EN", "!!"}) {
    EXPECT_THAT(SentenceTexts(Segmented("One. Two.", language)), ElementsAre("One.", "Two."))
        << language;
  }
  Document doc;
  doc.original = "Mr. Vance left. Done.";
  doc.meta.language = "en";
  Normalize(&doc);
  Segment(&doc);
  EXPECT_THAT(SentenceTexts(doc), ElementsAre("Mr. Vance left.", "Done."));
}

TEST(SentenceTest, NeverCrossesAParagraph) {
  const Document doc = Segmented("No period here\nNew Line. Second\n\nthird one");
  EXPECT_THAT(SentenceTexts(doc),
              ElementsAre("No period here", "New Line.", "Second", "third one"));
  ASSERT_EQ(doc.sentences.size(), 4u);
  EXPECT_EQ(doc.sentences[0].paragraph, 0u);
  EXPECT_EQ(doc.sentences[1].paragraph, 1u);
  EXPECT_EQ(doc.sentences[2].paragraph, 1u);
  EXPECT_EQ(doc.sentences[3].paragraph, 2u);
}

TEST(SentenceTest, WrappedLinesStayInOneSentence) {
  EXPECT_THAT(SentenceTexts(Segmented("The rule\nwas rescinded. Firms cheered.")),
              ElementsAre("The rule\nwas rescinded.", "Firms cheered."));
}

TEST(SentenceTest, FoldedSpanIsTheSameSentenceInFoldedText) {
  const Document doc = Segmented(
      "\u201CWe\u2019re\u00A0ready,\u201D said Ana\u200B Ruiz. \uFF2E\uFF56\uFF49\uFF44\uFF49"
      "\uFF41 agreed\u2026 mostly. Then\u3000it ended.");
  ASSERT_EQ(doc.sentences.size(), 3u);
  for (const Sentence& s : doc.sentences) {
    EXPECT_EQ(s.folded.Of(doc.folded), FoldForMatching(s.span.Of(doc.text)));
  }
  EXPECT_EQ(doc.sentences[1].folded.Of(doc.folded), "Nvidia agreed... mostly.");
}

TEST(SentenceTest, FoldedSpansAreEmptyWithoutFoldedText) {
  Document doc;
  doc.text = "Only text. No fold.";
  Segment(&doc);
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_TRUE(doc.sentences[1].folded.empty());
}

TEST(SentenceLimitTest, CutsLongSentencesAtSpaces) {
  std::string words;
  while (words.size() < 3 * limits::kMaxSentenceBytes) words += "export ";
  const Document doc = Segmented(words + "end.");
  ASSERT_GE(doc.sentences.size(), 3u);
  for (const Sentence& s : doc.sentences) {
    EXPECT_LE(s.span.size(), limits::kMaxSentenceBytes);
    const std::string_view text = s.span.Of(doc.text);
    EXPECT_TRUE(text.starts_with("export")) << text.substr(0, 20);
    EXPECT_TRUE(text.ends_with("export") || text.ends_with("end.")) << text.substr(0, 20);
  }
  EXPECT_EQ(doc.sentences.front().span.begin, 0u);
  EXPECT_EQ(doc.sentences.back().span.end, doc.text.size());
}

TEST(SentenceLimitTest, CutsLongSentencesWithoutSpacesAtCharacters) {
  std::string han;
  for (size_t i = 0; i < limits::kMaxSentenceBytes / 2; ++i) han += "\u6C49";  // 3 bytes each
  const Document doc = Segmented(han, "zh");
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_EQ(doc.sentences[0].span.size(), limits::kMaxSentenceBytes / 3 * 3);
  EXPECT_EQ(doc.sentences[1].span.begin, doc.sentences[0].span.end);
  EXPECT_EQ(doc.sentences[1].span.end, han.size());
}

TEST(SegmentThreadTest, ConcurrentCallsAgreeWithASingleCall) {
  const std::string texts[] = {"Mr. Hale spoke. The U.S. Treasury listened.",
                               "\u8FD9\u662F\u4E00\u53E5\u3002\u8FD9\u662F\u4E8C\u53E5\u3002",
                               "Herr Dr. Weber sprach z.B. lange. Dann ging er."};
  const std::string languages[] = {"en", "zh", "de"};
  std::vector<std::vector<std::string>> expected;
  for (int i = 0; i < 3; ++i) expected.push_back(SentenceTexts(Segmented(texts[i], languages[i])));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        const int i = (t + round) % 3;
        if (SentenceTexts(Segmented(texts[i], languages[i])) != expected[i]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
  EXPECT_EQ(expected[2].size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Invariants on hostile input.

bool IsBoundary(const std::string& s, uint32_t offset) {
  return offset == s.size() ||
         (offset < s.size() && (static_cast<uint8_t>(s[offset]) & 0xC0) != 0x80);
}

std::string RandomText(std::mt19937* rng) {
  static const std::string kPieces[] = {
      ".",      " ",        "\n",       "\r",           "\n\n",   "U.S.",   "Mr.",
      "\u3002", "\uFF01",   "\u201C",   "\u201D",       "\u2026", "\u200B", "\u00A0",
      "\u3000", "e\u0301",  "\u0301",   "\uFF21",       "\u300C", "abc",    "The",
      "\xFF",   "\xE2\x80", "\xF0\x9F", "\xED\xA0\x80", "\uFEFF", "\u2028", "?\u201D "};
  std::uniform_int_distribution<int> length(0, 120);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<int> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string text;
  for (int n = length(*rng); n > 0; --n) {
    if (kind(*rng) == 0) {
      text.push_back(static_cast<char>(byte(*rng)));
    } else {
      text += kPieces[piece(*rng)];
    }
  }
  return text;
}

void ExpectInvariants(const Document& doc) {
  std::string repaired = doc.text;
  size_t first_bad = 0;
  EXPECT_EQ(RepairUtf8(&repaired, &first_bad), 0u);
  EXPECT_EQ(FoldForMatching(doc.original), doc.folded);
  EXPECT_EQ(doc.text_to_original.Map(static_cast<uint32_t>(doc.text.size())), doc.original.size());
  EXPECT_EQ(doc.folded_to_text.Map(static_cast<uint32_t>(doc.folded.size())), doc.text.size());
  uint32_t last = 0;
  for (const Paragraph& p : doc.paragraphs) {
    EXPECT_LE(last, p.span.begin);
    EXPECT_LT(p.span.begin, p.span.end);
    EXPECT_LE(p.span.end, doc.text.size());
    EXPECT_TRUE(IsBoundary(doc.text, p.span.begin) && IsBoundary(doc.text, p.span.end));
    last = p.span.end;
  }
  last = 0;
  uint32_t last_folded = 0;
  for (const Sentence& s : doc.sentences) {
    ASSERT_LT(s.paragraph, doc.paragraphs.size());
    EXPECT_TRUE(doc.paragraphs[s.paragraph].span.Contains(s.span));
    EXPECT_LE(last, s.span.begin);
    EXPECT_LT(s.span.begin, s.span.end);
    EXPECT_LE(s.span.size(), limits::kMaxSentenceBytes);
    EXPECT_TRUE(IsBoundary(doc.text, s.span.begin) && IsBoundary(doc.text, s.span.end));
    EXPECT_LE(last_folded, s.folded.begin);
    EXPECT_LE(s.folded.begin, s.folded.end);
    EXPECT_LE(s.folded.end, doc.folded.size());
    EXPECT_EQ(s.folded.Of(doc.folded), FoldForMatching(s.span.Of(doc.text)));
    last = s.span.end;
    last_folded = s.folded.end;
  }
}

TEST(SegmentFuzzTest, RandomBytesKeepEveryInvariant) {
  std::mt19937 rng(20250515);
  for (int i = 0; i < 3000; ++i) {
    const Document doc = Segmented(RandomText(&rng), i % 2 == 0 ? "en" : "ja");
    ExpectInvariants(doc);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "input #" << i << ": " << doc.original;
      break;
    }
  }
}

}  // namespace
}  // namespace stancetrack
