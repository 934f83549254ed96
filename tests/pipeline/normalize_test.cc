#include "pipeline/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stancetrack {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Document Normalized(std::string original) {
  Document doc;
  doc.original = std::move(original);
  Normalize(&doc);
  return doc;
}

bool IsBoundary(const std::string& s, uint32_t offset) {
  return offset == s.size() ||
         (offset < s.size() && (static_cast<uint8_t>(s[offset]) & 0xC0) != 0x80);
}

// Byte offsets of every character boundary of `s`, including its end.
std::vector<uint32_t> Boundaries(const std::string& s) {
  std::vector<uint32_t> boundaries;
  for (uint32_t i = 0; i <= s.size(); ++i) {
    if (IsBoundary(s, i)) boundaries.push_back(i);
  }
  return boundaries;
}

struct NormalizeCase {
  std::string original;
  std::string text;
};

TEST(NormalizeTest, ComposesToNfc) {
  const NormalizeCase cases[] = {
      {"Cafe\u0301 society", "Caf\u00E9 society"},    // e + combining acute
      {"A\u030Angstr\u00F6m", "\u00C5ngstr\u00F6m"},  // A + ring above
      {"\u212B unit", "\u00C5 unit"},                 // the Angstrom sign is a singleton
      {"a\u0301\u0316", "\u00E1\u0316"},              // marks reordered, then composed
      {"\u1100\u1161\u11A8", "\uAC01"},               // Hangul jamo
      {"\u0958 qa", "\u0915\u093C qa"},               // excluded from composition
      {"plain ASCII stays", "plain ASCII stays"},
  };
  for (const NormalizeCase& c : cases) {
    const Document doc = Normalized(c.original);
    EXPECT_EQ(doc.text, c.text) << c.original;
    EXPECT_EQ(doc.text_to_original.Map(static_cast<uint32_t>(doc.text.size())), c.original.size())
        << c.original;
    EXPECT_THAT(doc.warnings, IsEmpty());
  }
}

TEST(NormalizeTest, MapsComposedTextBackToTheDecomposedOriginal) {
  const Document doc = Normalized("Cafe\u0301 society");
  // "Caf" [0,3), "é" [3,5), " society" from 5; in the original the "e" and the mark take [3,6).
  EXPECT_EQ(doc.text_to_original.Map(3u), 3u);
  EXPECT_EQ(doc.text_to_original.Map(5u), 6u);
  EXPECT_EQ(doc.text_to_original.Map(Span{5, 13}).Of(doc.original), " society");
}

TEST(NormalizeTest, CleanNfcTextTakesTheIdentityPath) {
  const Document doc = Normalized("Export rules, r\u00E9vis\u00E9es, 2025.");
  EXPECT_EQ(doc.text, doc.original);
  EXPECT_TRUE(doc.text_to_original.identity());
  EXPECT_TRUE(doc.folded_to_text.identity());
  EXPECT_EQ(doc.folded, doc.text);
}

TEST(NormalizeTest, ReplacesInvalidUtf8AndWarnsOnce) {
  const Document doc = Normalized(
      "ab\xFF"
      "cd\xE2\x80");
  EXPECT_EQ(doc.text, "ab\uFFFDcd\uFFFD");
  EXPECT_THAT(doc.warnings,
              ElementsAre("invalid UTF-8 at byte 2, 2 sequences replaced with U+FFFD"));
  EXPECT_EQ(doc.text_to_original.Map(2u), 2u);  // the first U+FFFD starts at the bad byte
  EXPECT_EQ(doc.text_to_original.Map(5u), 3u);  // "c" follows the one bad byte
  EXPECT_EQ(doc.text_to_original.Map(10u), 7u);
}

TEST(NormalizeTest, SingleInvalidSequenceIsCountedInTheSingular) {
  const Document doc = Normalized("x\xC3");
  EXPECT_THAT(doc.warnings,
              ElementsAre("invalid UTF-8 at byte 1, 1 sequence replaced with U+FFFD"));
}

TEST(NormalizeTest, UnifiesLineEndings) {
  const Document doc = Normalized("a\r\nb\rc\n");
  EXPECT_EQ(doc.text, "a\nb\nc\n");
  EXPECT_EQ(doc.text_to_original.Map(2u), 3u);  // "b"
  EXPECT_EQ(doc.text_to_original.Map(4u), 5u);  // "c"
  EXPECT_EQ(doc.text_to_original.Map(6u), 7u);
}

TEST(NormalizeTest, EmptyDocument) {
  const Document doc = Normalized("");
  EXPECT_EQ(doc.text, "");
  EXPECT_EQ(doc.folded, "");
  EXPECT_TRUE(doc.text_to_original.identity());
  EXPECT_THAT(doc.warnings, IsEmpty());
}

TEST(NormalizeTest, ReplacesEarlierResults) {
  Document doc = Normalized("a\u2019b");
  doc.original = "plain";
  Normalize(&doc);
  EXPECT_EQ(doc.text, "plain");
  EXPECT_EQ(doc.folded, "plain");
  EXPECT_TRUE(doc.folded_to_text.identity());
}

struct FoldCase {
  std::string text;
  std::string folded;
};

const FoldCase kFoldCases[] = {
    {"\u201CTariffs,\u201D she said", "\"Tariffs,\" she said"},
    {"the company\u2019s \u2018tier\u2019", "the company's 'tier'"},
    {"\u201ALow\u201B \u201EHigh\u201F", "'Low' \"High\""},
    {"6\u2032 and 2\u2033, o\u02BCclock", "6' and 2\", o'clock"},
    {"2022\u20132025 \u2014 a dash\u2010y \u2212 minus", "2022-2025 - a dash-y - minus"},
    {"no\u00A0break\u202Fnarrow\u2009thin\u205Fmath", "no break narrow thin math"},
    {"\u3000\u5168\u89D2", " \u5168\u89D2"},  // ideographic space
    {"zero\u200Bwidth\u200C\u200D\u2060join\uFEFF", "zerowidthjoin"},
    {"co\u00ADoperate", "cooperate"},
    {"\uFF2E\uFF56\uFF49\uFF44\uFF49\uFF41\uFF01 \uFF11\uFF12", "Nvidia! 12"},
    {"wait\u2026", "wait..."},
    {"\u00ABnon\u00BB \u300C\u306F\u3044\u300D \u300E\u5F15\u300F",
     "\u00ABnon\u00BB \u300C\u306F\u3044\u300D \u300E\u5F15\u300F"},
    {"Case Kept\nand lines\n", "Case Kept\nand lines\n"},
    {"\u2002en \u2003em", " en  em"},
};

TEST(FoldTest, FoldsTypography) {
  for (const FoldCase& c : kFoldCases) {
    EXPECT_EQ(Normalized(c.text).folded, c.folded) << c.text;
    EXPECT_EQ(FoldForMatching(c.text), c.folded) << c.text;
    EXPECT_EQ(FoldedSize(c.text), c.folded.size()) << c.text;
  }
}

TEST(FoldTest, FoldForMatchingEqualsTheFoldedDocument) {
  const std::string originals[] = {
      "Nvidia\u2019s \u201Cchip\u201D rules\r\nare cafe\u0301 talk\xFF",
      "\uFF21\uFF29 \u2014 \u3000\u51FA\u53E3\u7BA1\u5236\u2026",
      "\xE2\x80\x9C\xC3(",
      "",
  };
  for (const std::string& original : originals) {
    EXPECT_EQ(FoldForMatching(original), Normalized(original).folded) << original;
  }
}

// Every character boundary of a derived string maps to a character boundary of its source,
// and the character there derives from the source character(s) it maps to.
TEST(OffsetMapsTest, MapExactlyThroughBothStages) {
  const std::string original =
      "\u201C\uFF2E\uFF56\uFF49\uFF44\uFF49\uFF41\u2019s\u00A0chips\u200B are\u3000fast,\u201D "
      "said Jose\u0301.\r\nEnd";
  const Document doc = Normalized(original);
  for (uint32_t f : Boundaries(doc.folded)) {
    EXPECT_TRUE(IsBoundary(doc.text, doc.folded_to_text.Map(f))) << f;
  }
  for (uint32_t t : Boundaries(doc.text)) {
    EXPECT_TRUE(IsBoundary(doc.original, doc.text_to_original.Map(t))) << t;
  }
  const std::vector<uint32_t> folded = Boundaries(doc.folded);
  for (size_t i = 0; i + 1 < folded.size(); ++i) {
    const Span in_text = doc.folded_to_text.Map(Span{folded[i], folded[i + 1]});
    EXPECT_EQ(FoldForMatching(in_text.Of(doc.text)),
              doc.folded.substr(folded[i], folded[i + 1] - folded[i]))
        << folded[i];
  }

  const auto Original = [&](std::string_view folded_word) {
    const auto at = static_cast<uint32_t>(doc.folded.find(folded_word));
    const Span in_text =
        doc.folded_to_text.Map(Span{at, at + static_cast<uint32_t>(folded_word.size())});
    return std::string(doc.text_to_original.Map(in_text).Of(doc.original));
  };
  EXPECT_EQ(Original("Nvidia's"), "\uFF2E\uFF56\uFF49\uFF44\uFF49\uFF41\u2019s");
  EXPECT_EQ(Original("chips are fast"), "chips\u200B are\u3000fast");
  EXPECT_EQ(Original("\"Nvidia"), "\u201C\uFF2E\uFF56\uFF49\uFF44\uFF49\uFF41");
  EXPECT_EQ(Original("Jos\u00E9.\nEnd"), "Jose\u0301.\r\nEnd");
}

TEST(OffsetMapsTest, EllipsisDotsMapToTheEllipsis) {
  const Document doc = Normalized("so\u2026 yes");
  EXPECT_EQ(doc.folded, "so... yes");
  EXPECT_EQ(doc.folded_to_text.Map(2u), 2u);
  EXPECT_EQ(doc.folded_to_text.Map(3u), 2u);  // inside "...": the ellipsis' start
  EXPECT_EQ(doc.folded_to_text.Map(4u), 2u);
  EXPECT_EQ(doc.folded_to_text.Map(5u), 5u);
  EXPECT_EQ(doc.folded_to_text.Map(6u), 6u);
}

struct RepairCase {
  std::string input;
  std::string repaired;
  size_t replaced;
  size_t first_bad;
};

TEST(RepairUtf8Test, ReplacesEachMaximalIllFormedSubpart) {
  const RepairCase cases[] = {
      {"valid \u00E9\u4E2D\U0001F600", "valid \u00E9\u4E2D\U0001F600", 0, 99},
      {"\xC0\xAF", "\uFFFD\uFFFD", 2, 0},                      // overlong: no valid lead byte
      {"ab\xE2\x80", "ab\uFFFD", 1, 2},                        // truncated at the end
      {"x\xED\xA0\x80y", "x\uFFFD\uFFFD\uFFFDy", 3, 1},        // a surrogate
      {"\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD", 4, 0},  // above U+10FFFF
      {"ok\x80"
       "ok\xE4\xB8"
       "ok",
       "ok\uFFFDok\uFFFDok", 2, 2},
  };
  for (const RepairCase& c : cases) {
    std::string s = c.input;
    size_t first_bad = 99;
    EXPECT_EQ(RepairUtf8(&s, &first_bad), c.replaced) << c.input;
    EXPECT_EQ(s, c.repaired) << c.input;
    EXPECT_EQ(first_bad, c.first_bad) << c.input;
  }
}

}  // namespace
}  // namespace stancetrack
