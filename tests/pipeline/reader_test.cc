#include "pipeline/reader.h"

#include <gtest/gtest.h>

#include "tests/pipeline/fake_file_system.h"

namespace stancetrack {
namespace {

std::vector<std::string> Ids(const SourceList& list) {
  std::vector<std::string> ids;
  for (const SourceFile& f : list.files) ids.push_back(f.id);
  return ids;
}

TEST(ReaderTest, ListsArticlesRecursivelyInIdOrder) {
  FakeFileSystem fs;
  fs.Add("in/b.txt", "b");
  fs.Add("in/a/z.md", "z");
  fs.Add("in/a/y.JSONL", "{}");
  fs.Add("in/photo.png", "not an article");
  SourceList list = ListSources(fs, {"in"});
  EXPECT_EQ(Ids(list), (std::vector<std::string>{"a/y.JSONL", "a/z.md", "b.txt"}));
  EXPECT_EQ(list.ignored, 1u);
  EXPECT_TRUE(list.problems.empty());
}

TEST(ReaderTest, AFileGivenDirectlyIsNamedByItsFileName) {
  FakeFileSystem fs;
  fs.Add("some/where/article.txt", "x");
  SourceList list = ListSources(fs, {"some/where/article.txt"});
  ASSERT_EQ(list.files.size(), 1u);
  EXPECT_EQ(list.files[0].id, "article.txt");
  EXPECT_EQ(list.files[0].path, "some/where/article.txt");
}

TEST(ReaderTest, MissingRootIsAProblemNotAnError) {
  FakeFileSystem fs;
  SourceList list = ListSources(fs, {"nowhere"});
  ASSERT_EQ(list.problems.size(), 1u);
  EXPECT_EQ(list.problems[0].path, "nowhere");
  EXPECT_EQ(list.problems[0].reason, "no such file or directory");
}

TEST(ReaderTest, JsonlSplitsIntoOneItemPerNonBlankLine) {
  SourceFile file{"d/feed.jsonl", "feed.jsonl"};
  std::string bytes = "{\"text\": \"one\"}\n\n  \n{\"text\": \"two\"}";
  std::vector<ReadItem> items = SplitSource(file, bytes);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "feed.jsonl#1");
  EXPECT_EQ(items[1].id, "feed.jsonl#4");
  EXPECT_EQ(items[1].bytes, "{\"text\": \"two\"}");
  EXPECT_NE(items[0].content_hash, items[1].content_hash);
}

TEST(ReaderTest, ContentHashIsStableHex) {
  std::string h = ContentHash("the same bytes");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, ContentHash("the same bytes"));
  EXPECT_NE(h, ContentHash("the same bytes."));
}

TEST(ReaderTest, TitleBecomesFirstParagraph) {
  SourceFile file{"a.md", "a.md"};
  std::string bytes = "---\ntitle: Oracle objects\n---\nOracle criticised the rule.\n";
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "Oracle objects\n\nOracle criticised the rule.\n");
  EXPECT_EQ(doc->id, "a.md");
  EXPECT_EQ(doc->encoding, "UTF-8");
}

TEST(ReaderTest, InvalidUtf8IsRepairedAndReported) {
  SourceFile file{"bad.txt", "bad.txt"};
  std::string bytes =
      "Price: \xA3"
      "5 million";
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original,
            "Price: \xEF\xBF\xBD"
            "5 million");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_EQ(doc->warnings[0],
            "not valid UTF-8 at byte 7: 1 invalid sequence(s) replaced with U+FFFD");
}

TEST(ReaderTest, ByteOrderMarkIsDropped) {
  SourceFile file{"bom.txt", "bom.txt"};
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, "\xEF\xBB\xBFText")[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "Text");
}

// Error paths: what yields no document, and the reason given.
TEST(ReaderTest, NoDocumentReasons) {
  struct Case {
    const char* path;
    const char* bytes;
    const char* reason;
  } cases[] = {
      {"empty.txt", "", "empty file"},
      {"blank.txt", " \n\t\n", "no article text"},
      {"only-front-matter.md", "---\nsource: x\n---\n", "no article text"},
      {"not-an-object.json", "42", "JSON is not an object"},
  };
  for (const Case& c : cases) {
    SourceFile file{c.path, c.path};
    StatusOr<Document> doc = ParseItem(file, {c.path, ContentHash(c.bytes), c.bytes});
    ASSERT_FALSE(doc.ok()) << c.path;
    EXPECT_EQ(doc.status().message(), c.reason) << c.path;
  }
}

TEST(ReaderTest, TitleOnlyRecordIsKeptWithAWarning) {
  SourceFile file{"f.jsonl", "f.jsonl"};
  StatusOr<Document> doc =
      ParseItem(file, SplitSource(file, R"({"title": "Headline only", "text": ""})")[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "Headline only\n\n");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_EQ(doc->warnings[0], "empty body: only the title is stored");
}

}  // namespace
}  // namespace stancetrack
