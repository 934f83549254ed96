// End-to-end tests of real-world input through the stancetrack binary: articles in the charsets
// scrapers produce, made at test time with iconv from UTF-8 fixtures, and a web page full of
// boilerplate, each compared with the export of the same article as clean UTF-8 text.
#include <gtest/gtest.h>
#include <iconv.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_binary.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kTestdata = fs::path(STANCETRACK_SOURCE_DIR) / "tests/pipeline/testdata";

class EncodingsTest : public ::testing::Test {
 protected:
  EncodingsTest() : scratch_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
  const fs::path& dir() const { return scratch_.path(); }
  Outcome Run(const std::string& args) { return RunStancetrack(dir(), args); }

  // Export records by document id.
  std::map<std::string, nlohmann::json> Export(const std::string& db) {
    Outcome o = Run("export --db " + db);
    EXPECT_EQ(o.exit_status, 0) << o.err;
    std::map<std::string, nlohmann::json> records;
    std::istringstream lines(o.out);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json record = nlohmann::json::parse(line);
      records[record["doc"]] = record;
    }
    return records;
  }

  std::string Query(const std::string& db, const std::string& sql,
                    const std::string& format = "csv") {
    Outcome o = Run("query --db " + db + " --format " + format + " \"" + sql + "\"");
    EXPECT_EQ(o.exit_status, 0) << o.err;
    return o.out;
  }

 private:
  ScratchDir scratch_;
};

// Each case: a fixture written in UTF-8, the charset iconv writes it in, a byte order mark to
// put in front, and the charset stancetrack must name.
struct Case {
  const char* fixture;
  const char* charset;
  const char* bom;
  const char* encoding;
};
constexpr Case kCases[] = {
    {"latin1.txt", "UTF-8", "\xEF\xBB\xBF", "UTF-8"},
    {"latin1.txt", "UTF-16LE", "\xFF\xFE", "UTF-16LE"},
    {"latin1.txt", "UTF-16BE", "\xFE\xFF", "UTF-16BE"},
    {"latin1.txt", "UTF-16LE", "", "UTF-16LE"},
    {"latin1.txt", "ISO-8859-1", "", "windows-1252"},
    {"cp1252.txt", "WINDOWS-1252", "", "windows-1252"},
    {"zh_hans.txt", "GB18030", "", "GB18030"},
    {"zh_hans.txt", "GBK", "", "GB18030"},
    {"zh_hant.txt", "BIG5", "", "Big5"},
    {"ja.txt", "SHIFT_JIS", "", "Shift_JIS"},
    {"ko.txt", "EUC-KR", "", "EUC-KR"},
    {"zh_hans.txt", "UTF-16LE", "\xFF\xFE", "UTF-16LE"},
};

std::string CaseName(const Case& c) {
  return std::string(c.charset) + (*c.bom ? "-bom-" : "-") + c.fixture;
}

// Where `bytes` stop being UTF-8, as glibc's iconv finds it.
size_t FirstInvalidUtf8(const std::string& bytes) {
  iconv_t cd = iconv_open("UTF-8", "UTF-8");
  std::string out(bytes.size() * 4, '\0');
  char* in = const_cast<char*>(bytes.data());
  char* to = out.data();
  size_t in_left = bytes.size(), out_left = out.size();
  iconv(cd, &in, &in_left, &to, &out_left);
  iconv_close(cd);
  return bytes.size() - in_left;
}

// The warning stored for a document read from `bytes` in `c.encoding`.
std::string ExpectedWarning(const Case& c, const std::string& bytes) {
  if (std::string_view(c.encoding) == "UTF-8") return "";
  if (*c.bom) return std::string("byte order mark, decoded as ") + c.encoding;
  if (bytes.find('\0') != std::string::npos) {
    return std::string("NUL bytes and no byte order mark, decoded as ") + c.encoding;
  }
  return "not valid UTF-8 at byte " + std::to_string(FirstInvalidUtf8(bytes)) + ", decoded as " +
         c.encoding;
}

TEST_F(EncodingsTest, EveryCharsetGivesTheSameTextAndExportAsUtf8) {
  fs::create_directories(dir() / "utf8");
  for (const Case& c : kCases) {
    fs::path source = kTestdata / "encoding" / c.fixture;
    fs::copy_file(source, dir() / "utf8" / CaseName(c));
    fs::path encoded = dir() / "encoded" / CaseName(c);
    WriteTextFile(encoded, c.bom);
    std::string iconv = "iconv -f UTF-8 -t " + std::string(c.charset) + " '" + source.string() +
                        "' >> '" + encoded.string() + "'";
    ASSERT_EQ(std::system(iconv.c_str()), 0) << iconv;
  }
  ASSERT_EQ(Run("ingest utf8 --db utf8.db").exit_status, 0);
  Outcome o = Run("ingest encoded --db encoded.db");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  EXPECT_NE(
      o.out.find(std::to_string(std::size(kCases)) + " new, 0 changed, 0 unchanged, 0 failed"),
      std::string::npos)
      << o.out;

  std::string texts = "SELECT path, text FROM documents ORDER BY path";
  EXPECT_EQ(Query("encoded.db", texts), Query("utf8.db", texts));
  std::map<std::string, nlohmann::json> expected = Export("utf8.db");
  EXPECT_EQ(expected.size(), std::size(kCases));
  EXPECT_EQ(Export("encoded.db"), expected);
  for (const Case& c : kCases) {
    std::string sql =
        "SELECT d.encoding, coalesce(group_concat(w.message, '|'), '') AS warnings "
        "FROM documents d LEFT JOIN document_warnings w ON w.document_id = d.id "
        "WHERE d.path = '" +
        CaseName(c) + "'";
    nlohmann::json row = {
        {"encoding", c.encoding},
        {"warnings", ExpectedWarning(c, ReadAll(dir() / "encoded" / CaseName(c)))}};
    EXPECT_EQ(Query("encoded.db", sql, "jsonl"), row.dump() + "\n") << CaseName(c);
  }
}

// A page with menus, scripts, a cookie banner, share buttons, related links, comments and
// JSON-LD metadata yields what the plain-text version of its article yields, with the title,
// url, date and author taken from the page.
TEST_F(EncodingsTest, WebPageGivesTheSameExportAsItsArticleInPlainText) {
  fs::create_directories(dir() / "page");
  fs::create_directories(dir() / "plain");
  fs::copy_file(kTestdata / "html" / "microsoft_tiers.html", dir() / "page" / "article.html");
  fs::copy_file(kTestdata / "html" / "microsoft_tiers.md", dir() / "plain" / "article.md");
  ASSERT_EQ(Run("ingest page --db page.db").exit_status, 0);
  ASSERT_EQ(Run("ingest plain --db plain.db").exit_status, 0);
  std::map<std::string, nlohmann::json> page = Export("page.db"), plain = Export("plain.db");
  ASSERT_EQ(page.size(), 1u);
  ASSERT_EQ(plain.size(), 1u);
  nlohmann::json from_page = page.begin()->second, from_plain = plain.begin()->second;
  EXPECT_EQ(from_page["doc"], "article.html");
  from_page.erase("doc");
  from_plain.erase("doc");
  EXPECT_EQ(from_page, from_plain);
  EXPECT_FALSE(from_page["companies"].empty());
  EXPECT_FALSE(from_page["stances"].empty());
  EXPECT_EQ(Query("page.db", "SELECT title, url, published, author, source FROM documents"),
            "title,url,published,author,source\r\n"
            "Microsoft pushes back on chip export tiers,"
            "https://daily.example.com/tech/microsoft-chip-tiers,2025-01-16,Jane Doe,"
            "Example Daily\r\n");
  std::string text = "SELECT rtrim(text, char(10)) AS text FROM documents";
  EXPECT_EQ(Query("page.db", text), Query("plain.db", text));
}

}  // namespace
}  // namespace stancetrack::testing
