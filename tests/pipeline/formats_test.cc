#include "pipeline/formats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/limits.h"

namespace stancetrack {
namespace {

TEST(FormatsTest, FrontMatterFillsMetadataAndBody) {
  ParsedArticle a = ParseTextArticle(
      "---\ntitle: \"Chipmakers push back\"\nurl: https://news.example.org/a\n"
      "published: 2025-02-27\nsource: example.org\nlanguage: en\n---\n\nBody line one.\n");
  EXPECT_EQ(a.meta.title, "Chipmakers push back");
  EXPECT_EQ(a.meta.url, "https://news.example.org/a");
  EXPECT_EQ(a.meta.published, "2025-02-27");
  EXPECT_EQ(a.meta.source, "example.org");
  EXPECT_EQ(a.meta.language, "en");
  EXPECT_EQ(a.body, "\nBody line one.\n");
  EXPECT_TRUE(a.warnings.empty());
}

TEST(FormatsTest, NoFrontMatterKeepsWholeText) {
  ParsedArticle a = ParseTextArticle("Nvidia said on Monday it would comply.\n");
  EXPECT_EQ(a.body, "Nvidia said on Monday it would comply.\n");
  EXPECT_TRUE(a.meta.title.empty());
}

// Found by fuzz_front_matter: the cut at kMaxMetadataValueBytes fell inside a character and
// left a title that is not UTF-8 (SQLite TEXT and JSON output need UTF-8).
TEST(FormatsTest, LongFrontMatterValueIsCutAtACharacterBoundary) {
  const size_t limit = limits::kMaxMetadataValueBytes;
  const std::string title = std::string(limit - 1, 'a') + "\u00e9 and more";  // é: 2 bytes
  ParsedArticle a =
      ParseTextArticle("---\ntitle: " + title + "\nauthor: " + title + "\n---\nText.");
  EXPECT_EQ(a.meta.title, std::string(limit - 1, 'a'));
  EXPECT_EQ(a.meta.author, std::string(limit - 1, 'a'));
  const std::string fits = std::string(limit - 2, 'a') + "\u00e9";
  EXPECT_EQ(ParseTextArticle("---\ntitle: " + fits + "\n---\nText.").meta.title, fits);
}

TEST(FormatsTest, EmptyPublishedIsNotAWarning) {
  ParsedArticle a = ParseTextArticle("---\ntitle: T\npublished: \n---\nText.");
  EXPECT_EQ(a.meta.published, "");
  EXPECT_TRUE(a.warnings.empty());
}

TEST(FormatsTest, UnclosedFrontMatterIsReadAsTextWithAWarning) {
  std::string text = "---\ntitle: Never closed\n\nThe rest of the article, no closing line.";
  ParsedArticle a = ParseTextArticle(text);
  EXPECT_EQ(a.body, text);
  EXPECT_TRUE(a.meta.title.empty());
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_EQ(a.warnings[0], "front matter opened with '---' but never closed; read as text");
}

// `encoding:` is a hint for the decoder, not metadata; it is read from the raw bytes.
TEST(FormatsTest, FrontMatterDeclaresACharset) {
  struct Case {
    const char* bytes;
    const char* charset;
  } cases[] = {
      {"---\ntitle: T\nencoding: gbk\n---\nText.", "gbk"},
      {"---\ncharset: \"Shift_JIS\"\n---\nText.", "Shift_JIS"},
      {"---\ntitle: \xB3\xF6\xBF\xDA\nencoding: gb2312\n---\n\xB9\xDC", "gb2312"},
      {"---\nencoding: big5\n\nnever closed", ""},
      {"encoding: gbk\nNo front matter.", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DeclaredFrontMatterCharset(c.bytes), c.charset) << c.bytes;
  }
  ParsedArticle a = ParseTextArticle("---\ntitle: T\nencoding: utf-8\n---\nText.");
  EXPECT_EQ(a.meta.title, "T");
  EXPECT_EQ(a.body, "Text.");
  EXPECT_TRUE(a.warnings.empty());
}

TEST(FormatsTest, JsonArticleFieldsAndBodyPreference) {
  StatusOr<ParsedArticle> a = ParseJsonArticle(
      R"({"title": "H20 sales resume", "body": "second", "text": "first",
          "date": "2025-07-15T08:00:00Z", "lang": "en", "id": 7})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->body, "first");
  EXPECT_EQ(a->meta.title, "H20 sales resume");
  EXPECT_EQ(a->meta.published, "2025-07-15");
  EXPECT_EQ(a->meta.language, "en");
}

// nlohmann-json throws out_of_range, not parse_error, for a number no double holds; one such
// line once aborted a whole ingest.
TEST(FormatsTest, JsonNumberTooLargeIsAnErrorNotACrash) {
  StatusOr<ParsedArticle> huge = ParseJsonArticle(R"({"title": "x", "text": "y", "n": 1e999})");
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), ::testing::StartsWith("not valid JSON: "));
}

TEST(FormatsTest, JsonErrorsSayWhatIsWrong) {
  StatusOr<ParsedArticle> broken = ParseJsonArticle(R"({"title": "x", )");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("not valid JSON"), std::string::npos);
  StatusOr<ParsedArticle> array = ParseJsonArticle("[1, 2]");
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.status().message(), "JSON is not an object");
}

// The JSON parser's memory grows with the nesting depth, so depth is checked before parsing.
TEST(FormatsTest, JsonNestedTooDeepIsAnErrorThatSaysWhere) {
  const size_t limit = limits::kMaxJsonDepth;
  struct Case {
    std::string name;
    std::string json;
    std::string error;  // "" when the article parses
  } cases[] = {
      {"arrays past the limit", std::string(limit + 1, '[') + std::string(limit + 1, ']'),
       "JSON nested deeper than 64 levels (limits::kMaxJsonDepth) at byte 64, not read"},
      {"an object past the limit", R"({"text": "t", "x": )" + std::string(limit, '{'),
       "JSON nested deeper than 64 levels (limits::kMaxJsonDepth) at byte 82, not read"},
      {"at the limit",
       R"({"text": "t", "x": )" + std::string(limit - 1, '[') + std::string(limit - 1, ']') + "}",
       ""},
      {"brackets inside strings", R"({"text": ")" + std::string(1000, '[') + R"(\"[["})", ""},
  };
  for (const Case& c : cases) {
    StatusOr<ParsedArticle> article = ParseJsonArticle(c.json);
    if (c.error.empty()) {
      EXPECT_TRUE(article.ok()) << c.name << ": " << article.status().message();
    } else {
      ASSERT_FALSE(article.ok()) << c.name;
      EXPECT_EQ(article.status().message(), c.error) << c.name;
    }
  }
}

TEST(FormatsTest, PublishedDateForms) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {{"2025-02-27", "2025-02-27"},
               {"2025/02/27", "2025-02-27"},
               {"2025-02-27T10:00:00Z", "2025-02-27"},
               {"2025-02-27 10:00", "2025-02-27"},
               {"27 February 2025", ""},
               {"2025-13-01", ""},
               {"2025-02", ""},
               {"2025-02-27junk", ""}};
  for (const Case& c : cases) EXPECT_EQ(NormalizePublishedDate(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace stancetrack
