#include "pipeline/language.h"

#include <gtest/gtest.h>

#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace stancetrack {
namespace {

Document Prepared(const std::string& text, const std::string& declared) {
  Document doc;
  doc.original = text;
  doc.meta.language = declared;
  Normalize(&doc);
  Segment(&doc);
  DetectParagraphLanguages(&doc);
  IdentifyLanguages(&doc);
  return doc;
}

TEST(LanguageTest, DetectsTheLanguagesOfTheCorpus) {
  struct Case {
    const char* text;
    const char* language;
  } cases[] = {
      {"The Commerce Department said the new rule would cap exports of advanced chips to "
       "dozens of countries, and chipmakers warned it would push buyers to rival suppliers.",
       "en"},
      {"美国商务部周一公布新规，限制先进人工智能芯片向多数国家出口，芯片企业对此表示强烈反对。",
       "zh"},
      {"Das US-Handelsministerium hat am Montag neue Regeln für den Export von KI-Chips "
       "vorgestellt, die Hersteller kritisierten die Beschränkungen scharf.",
       "de"},
      {"Le département américain du Commerce a présenté lundi de nouvelles règles sur "
       "l'exportation de puces, que les fabricants ont vivement critiquées.",
       "fr"},
  };
  for (const Case& c : cases) {
    bool reliable = false;
    EXPECT_EQ(DetectLanguage(c.text, &reliable), c.language) << c.text;
    EXPECT_TRUE(reliable) << c.text;
  }
}

TEST(LanguageTest, ForeignParagraphKeepsItsOwnLanguage) {
  Document doc = Prepared(
      "Microsoft asked the administration to ease the limits on chips for data centers in "
      "allied countries, saying the caps would push them toward Chinese suppliers.\n"
      "免责声明：本文仅代表作者个人观点，不构成任何投资建议，市场有风险，投资需谨慎。\n",
      "");
  EXPECT_EQ(doc.language, "en");
  ASSERT_EQ(doc.paragraphs.size(), 2u);
  EXPECT_EQ(doc.paragraphs[0].language, "en");
  EXPECT_EQ(doc.paragraphs[1].language, "zh");
}

TEST(LanguageTest, ShortTextFallsBackToTheDeclaredLanguage) {
  Document doc = Prepared("Nvidia: 12%", "DE");
  EXPECT_EQ(doc.language, "de");
  ASSERT_EQ(doc.paragraphs.size(), 1u);
  EXPECT_EQ(doc.paragraphs[0].language, "de");
}

// Found by fuzz_language: a two-byte declared language that is not two letters ("\0h" in a
// broken front matter) became the document's language code. It counts as no declaration.
TEST(LanguageTest, DeclaredLanguageThatIsNoCodeIsIgnored) {
  const std::string undeclared = Prepared("Nvidia: 12%", "").language;
  for (const std::string& declared :
       {std::string("\0h", 2), std::string("e1"), std::string("é"), std::string("--")}) {
    Document doc = Prepared("Nvidia: 12%", declared);
    EXPECT_EQ(doc.language, undeclared) << declared;
    EXPECT_EQ(doc.paragraphs[0].language, undeclared) << declared;
  }
  EXPECT_EQ(Prepared("Nvidia: 12%", "fr-CA").language, "fr");
}

TEST(LanguageTest, EmptyTextHasNoLanguage) {
  bool reliable = true;
  EXPECT_EQ(DetectLanguage("", &reliable), "");
  EXPECT_FALSE(reliable);
}

}  // namespace
}  // namespace stancetrack
