#include "pipeline/reader.h"

#include <gtest/gtest.h>

#include "pipeline/limits.h"
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
  fs.Add("in/page.HTM", "<p>page</p>");
  fs.Add("in/a/w.html", "<p>page</p>");
  SourceList list = ListSources(fs, {"in"});
  EXPECT_EQ(Ids(list),
            (std::vector<std::string>{"a/w.html", "a/y.JSONL", "a/z.md", "b.txt", "page.HTM"}));
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

// The walk must give what sorting the whole list gives: "b-c.txt" < "b.txt" < "b/x.txt" <
// "b0.txt" since '-' < '.' < '/' < '0', where sorting a directory's names alone would put the
// subdirectory "b" before all three files.
TEST(ReaderTest, WalkGivesFilesInTheOrderOfSortedIds) {
  FakeFileSystem fs;
  for (const char* path : {"in/b.txt", "in/b/x.txt", "in/b-c.txt", "in/b/a/y.md", "in/ab.txt",
                           "in/b0.txt", "in/B.txt", "in/b/z.html", "in/a/b/c/d.json"}) {
    fs.Add(path, "x");
  }
  EXPECT_EQ(Ids(ListSources(fs, {"in"})),
            (std::vector<std::string>{"B.txt", "a/b/c/d.json", "ab.txt", "b-c.txt", "b.txt",
                                      "b/a/y.md", "b/x.txt", "b/z.html", "b0.txt"}));
}

// Ids from several roots interleave. Of two files with one id, which the store would keep as
// one document, the first by path is read and the other is a problem; a root given twice is
// walked once.
TEST(ReaderTest, WalksOfSeveralRootsAreMergedByIdAndAnIdIsReadOnce) {
  FakeFileSystem fs;
  fs.Add("one/a.txt", "x");
  fs.Add("one/c.txt", "x");
  fs.Add("two/b.txt", "x");
  fs.Add("two/c.txt", "x");
  fs.Add("loose/b.md", "x");
  SourceList list = ListSources(fs, {"two", "one", "loose/b.md", "one"});
  std::vector<std::string> paths;
  for (const SourceFile& f : list.files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"one/a.txt", "loose/b.md", "two/b.txt", "one/c.txt"}));
  ASSERT_EQ(list.problems.size(), 1u);
  EXPECT_EQ(list.problems[0].path, "two/c.txt");
  EXPECT_EQ(list.problems[0].reason,
            "document id c.txt is also that of one/c.txt, which is read instead: name both from a "
            "folder above them (give ingest that folder, or extract --root)");
  EXPECT_EQ(CountSources(fs, {"two", "one", "loose/b.md", "one"}), 4u);
}

// Problems come as the walk meets them, between the files, and the walk goes on after them.
TEST(ReaderTest, WalkReportsProblemsAndGoesOn) {
  FakeFileSystem fs;
  fs.Add("in/a.txt", "x");
  fs.Add("in/z.txt", "x");
  fs.Add("in/notes.png", "x");
  SourceWalk walk(fs, {"in", "nowhere"});
  std::vector<std::string> seen;
  SourceFile file;
  Problem problem;
  for (SourceFiles::Result r; (r = walk.Next(&file, &problem)) != SourceFiles::Result::kEnd;) {
    seen.push_back(r == SourceFiles::Result::kFile ? file.id
                                                   : problem.path + ": " + problem.reason);
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"nowhere: no such file or directory", "a.txt", "z.txt"}));
  EXPECT_EQ(walk.ignored(), 1u);
  EXPECT_EQ(CountSources(fs, {"in", "nowhere"}), 2u);
}

TEST(ReaderTest, ListedSourcesGivesProblemsFirstThenFiles) {
  SourceList list;
  list.files = {{"p/a.txt", "a.txt"}, {"p/b.txt", "b.txt"}};
  list.problems = {{"bad", "why"}};
  list.ignored = 3;
  ListedSources listed(std::move(list));
  SourceFile file;
  Problem problem;
  ASSERT_EQ(listed.Next(&file, &problem), SourceFiles::Result::kProblem);
  EXPECT_EQ(problem.reason, "why");
  ASSERT_EQ(listed.Next(&file, &problem), SourceFiles::Result::kFile);
  EXPECT_EQ(file.id, "a.txt");
  ASSERT_EQ(listed.Next(&file, &problem), SourceFiles::Result::kFile);
  EXPECT_EQ(file.path, "p/b.txt");
  EXPECT_EQ(listed.Next(&file, &problem), SourceFiles::Result::kEnd);
  EXPECT_EQ(listed.ignored(), 3u);
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

// What SourceUnits gives for one file: each unit as "id bytes", each problem as "id: reason".
std::vector<std::string> ReadUnits(const FileSystem& fs, const SourceFile& file) {
  SourceUnits units(fs, file);
  std::vector<std::string> out;
  ReadItem item;
  Problem problem;
  for (SourceUnits::Result r; (r = units.Next(&item, &problem)) != SourceUnits::Result::kEnd;) {
    if (r == SourceUnits::Result::kUnit) {
      EXPECT_EQ(item.content_hash, ContentHash(item.bytes));
      out.push_back(item.id + " " + std::string(item.bytes));
    } else {
      out.push_back(problem.path + ": " + problem.reason);
    }
  }
  return out;
}

std::vector<std::string> Described(const std::vector<ReadItem>& items) {
  std::vector<std::string> out;
  for (const ReadItem& item : items) out.push_back(item.id + " " + std::string(item.bytes));
  return out;
}

TEST(SourceUnitsTest, JsonlLinesAreTheUnitsSplitSourceGives) {
  FakeFileSystem fs;
  const std::string bytes = "{\"text\": \"one\"}\r\n\n \t\n{\"text\": \"two\"}";
  fs.Add("d/feed.jsonl", bytes);
  const SourceFile file{"d/feed.jsonl", "feed.jsonl"};
  EXPECT_EQ(ReadUnits(fs, file), Described(SplitSource(file, bytes)));
  EXPECT_EQ(ReadUnits(fs, file).size(), 2u);
}

TEST(SourceUnitsTest, Utf16JsonlIsSplitByCodeUnit) {
  FakeFileSystem fs;
  std::string bytes;
  for (char c : std::string("{\"a\": 1}\n{}\n")) bytes += {c, '\0'};
  bytes[1] = '\n';  // a 0x0A byte inside a code unit is no line break
  fs.Add("u.jsonl", bytes);
  const SourceFile file{"u.jsonl", "u.jsonl"};
  const std::vector<std::string> units = ReadUnits(fs, file);
  EXPECT_EQ(units, Described(SplitSource(file, bytes)));
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[1].substr(0, 10), "u.jsonl#2 ");
}

// A .jsonl file is read a line at a time: a dump larger than any one document is read whole, and
// a line over the limit is one problem, the lines after it still read.
TEST(SourceUnitsTest, JsonlFileLargerThanADocumentIsReadLineByLine) {
  FakeFileSystem fs;
  const std::string line = "{\"text\": \"" + std::string(1000, 'w') + "\"}\n";
  std::string bytes;
  while (bytes.size() <= limits::kMaxDocumentBytes) bytes += line;
  const size_t lines = bytes.size() / line.size();
  bytes += std::string(limits::kMaxJsonlLineBytes + 1, 'x') + "\n{}\n";
  fs.Add("dump.jsonl", bytes);
  const std::vector<std::string> units = ReadUnits(fs, {"dump.jsonl", "dump.jsonl"});
  ASSERT_EQ(units.size(), lines + 2);
  EXPECT_EQ(units[lines - 1],
            "dump.jsonl#" + std::to_string(lines) + " " + line.substr(0, line.size() - 1));
  EXPECT_EQ(units[lines], "dump.jsonl#" + std::to_string(lines + 1) +
                              ": longer than 16 MiB (limits::kMaxJsonlLineBytes), not read");
  EXPECT_EQ(units[lines + 1], "dump.jsonl#" + std::to_string(lines + 2) + " {}");
}

TEST(SourceUnitsTest, OtherFilesAreOneUnitOrOneProblem) {
  FakeFileSystem fs;
  fs.Add("a.txt", "Some text.");
  fs.Add("big.md", std::string(limits::kMaxDocumentBytes + 1, 'x'));
  fs.AddUnreadable("locked.jsonl");
  EXPECT_EQ(ReadUnits(fs, {"a.txt", "a.txt"}), std::vector<std::string>{"a.txt Some text."});
  EXPECT_EQ(ReadUnits(fs, {"big.md", "big.md"}),
            std::vector<std::string>{"big.md: big.md: too large"});
  EXPECT_EQ(ReadUnits(fs, {"locked.jsonl", "locked.jsonl"}),
            std::vector<std::string>{"locked.jsonl: locked.jsonl: cannot open: Permission denied"});
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

// The scraper case: a pound sign saved as the single byte 0xA3 in otherwise ASCII text.
TEST(ReaderTest, Latin1ByteIsDecodedAsWindows1252AndReported) {
  SourceFile file{"latin.txt", "latin.txt"};
  std::string bytes =
      "Price: \xA3"
      "5 million";
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "Price: £5 million");
  EXPECT_EQ(doc->encoding, "windows-1252");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_EQ(doc->warnings[0], "not valid UTF-8 at byte 7, decoded as windows-1252");
}

TEST(ReaderTest, DamagedUtf8IsRepairedAndReported) {
  SourceFile file{"bad.txt", "bad.txt"};
  std::string bytes = "Zürich, Genève, Malmö: \xA3";
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "Zürich, Genève, Malmö: \xEF\xBF\xBD");
  EXPECT_EQ(doc->encoding, "UTF-8");
  EXPECT_EQ(doc->warnings, std::vector<std::string>{"not valid UTF-8 at byte 26: 1 invalid "
                                                    "sequence(s) replaced with U+FFFD"});
}

// Front matter keys are ASCII in any charset, so `encoding:` can be read before decoding.
TEST(ReaderTest, FrontMatterEncodingIsAHint) {
  SourceFile file{"short.md", "short.md"};
  std::string bytes =
      "---\nencoding: gbk\n---\n\xB3\xF6\xBF\xDA\xB9\xDC\xD6\xC6";  // 出口管制 in GBK
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "出口管制");
  EXPECT_EQ(doc->encoding, "GB18030");
}

TEST(ReaderTest, HtmlPageGivesItsTextAndMetadata) {
  SourceFile file{"site/page.htm", "page.htm"};
  std::string bytes =
      "<html lang=en><head><title>Site | Rule news</title>"
      "<meta property=\"og:title\" content=\"Rule news\">"
      "<meta property=\"article:published_time\" content=\"2025-05-13T08:00:00Z\"></head>"
      "<body><nav>Home</nav><p>The rule was rescinded.</p></body></html>";
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->original, "Rule news\n\nThe rule was rescinded.");
  EXPECT_EQ(doc->meta.published, "2025-05-13");
  EXPECT_EQ(doc->meta.language, "en");
}

TEST(ReaderTest, HtmlMetaCharsetIsAHint) {
  SourceFile file{"gbk.html", "gbk.html"};
  std::string bytes =
      "<meta charset=\"gb2312\"><title>x</title><p>\xB3\xF6\xBF\xDA\xB9\xDC\xD6\xC6</p>";  // 出口管制
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, bytes)[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->original, "x\n\n出口管制");
  EXPECT_EQ(doc->encoding, "GB18030");
}

// A UTF-16 JSONL file splits at U+000A code units: the byte 0x0A inside U+0A0A (Gurmukhi) is
// not a line break, and each line decodes on its own.
TEST(ReaderTest, Utf16JsonlSplitsIntoLinesByCodeUnit) {
  SourceFile file{"feed.jsonl", "feed.jsonl"};
  std::u16string text = u"{\"text\": \"one \u0A0A\"}\n\n{\"text\": \"two\"}\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t unit : text) {
    bytes += static_cast<char>(unit & 0xFF);
    bytes += static_cast<char>(unit >> 8);
  }
  std::vector<ReadItem> items = SplitSource(file, bytes);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "feed.jsonl#1");
  EXPECT_EQ(items[1].id, "feed.jsonl#3");
  StatusOr<Document> first = ParseItem(file, items[0]);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->original, "one \u0A0A");
  EXPECT_EQ(first->encoding, "UTF-16LE");
  StatusOr<Document> second = ParseItem(file, items[1]);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->original, "two");
}

// JSON is UTF-8 by definition: a line in another charset is repaired, not reinterpreted.
TEST(ReaderTest, JsonlLinesAreNeverGuessedIntoAnotherCharset) {
  SourceFile file{"feed.jsonl", "feed.jsonl"};
  StatusOr<Document> doc = ParseItem(file, SplitSource(file,
                                                       "{\"text\": \"Price \xA3"
                                                       "5\"}\n")[0]);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->encoding, "UTF-8");
  EXPECT_EQ(doc->original,
            "Price \xEF\xBF\xBD"
            "5");
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
      {"archive.txt", "PK\x03\x04\x14\x06\x08\x08\x01\x02\x03\x1c\x1d\x1e\x1f",
       "binary data, not text: 13 control characters in 15 bytes"},
      {"program.html",
       "\x7f"
       "ELF\x02\x01\x01\x03\x04\x05\x06\x07\x08<p>x</p>",
       "binary data, not text: 10 control characters in 21 bytes"},
  };
  for (const Case& c : cases) {
    SourceFile file{c.path, c.path};
    std::string_view bytes = c.bytes;
    StatusOr<Document> doc = ParseItem(file, {c.path, ContentHash(bytes), bytes});
    ASSERT_FALSE(doc.ok()) << c.path;
    EXPECT_EQ(doc.status().message(), c.reason) << c.path;
  }
}

// Linux file names are bytes; ids and paths go to SQLite TEXT and JSON, which need UTF-8.
TEST(ReaderTest, FileNameBytesThatAreNotUtf8AreEscapedInTheId) {
  FakeFileSystem fs;
  fs.Add("in/caf\xe9 \xff.txt", "x");
  fs.Add("in/d\xc3\xa9j\xc3/ok.md", "x");
  fs.Add("in/\xe7\xa0\x81.txt", "x");  // valid UTF-8 stays as it is
  SourceList list = ListSources(fs, {"in"});
  EXPECT_EQ(Ids(list), (std::vector<std::string>{"caf%E9 %FF.txt", "d\xc3\xa9j%C3/ok.md",
                                                 "\xe7\xa0\x81.txt"}));
  SourceFile file = list.files[0];
  StatusOr<Document> doc = ParseItem(file, SplitSource(file, "Some text.")[0]);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->id, "caf%E9 %FF.txt");
  EXPECT_EQ(doc->source_path, "in/caf%E9 %FF.txt");
  EXPECT_EQ(doc->warnings, std::vector<std::string>{
                               "path is not valid UTF-8: each byte that is not is stored as %XX"});
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
