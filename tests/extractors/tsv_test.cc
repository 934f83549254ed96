#include "extractors/tsv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace stancetrack {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the test temp dir, removed at the end of the test.
class TsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / (std::string("tsv_test_") + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Write(const std::string& dir, const std::string& name, const std::string& body) {
    fs::create_directories(root_ / dir);
    fs::path path = root_ / dir / name;
    std::ofstream(path, std::ios::binary) << body;
    return path.string();
  }
  std::string Dir(const std::string& dir) const { return (root_ / dir).string(); }

  fs::path root_;
};

std::vector<std::vector<std::string>> Fields(const std::vector<TsvRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const TsvRow& row : rows) out.push_back(row.fields);
  return out;
}

TEST_F(TsvTest, SkipsCommentsAndBlankLinesAndKeepsEmptyFields) {
  std::string path = Write("a", "t.tsv",
                           "# name\tvalue\n"
                           "# a second comment line\n"
                           "\n"
                           "alpha\t1\n"
                           "beta\t\n"
                           "\t3\r\n");
  auto rows = ReadTsv(path, 2);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Fields(*rows),
            (std::vector<std::vector<std::string>>{{"alpha", "1"}, {"beta", ""}, {"", "3"}}));
  EXPECT_EQ((*rows)[0].Where(), path + ":4");
  EXPECT_EQ((*rows)[2].line, 6);
}

TEST_F(TsvTest, WrongFieldCountNamesFileAndLine) {
  std::string path = Write("a", "t.tsv", "# a\tb\tc\nx\ty\tz\nx\ty\n");
  auto rows = ReadTsv(path, 3);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(rows.status().message(), path + ":3: expected 3 tab-separated fields, got 2");
}

TEST_F(TsvTest, TooManyFieldsIsAnErrorToo) {
  std::string path = Write("a", "t.tsv", "x\ty\tz\t\n");
  auto rows = ReadTsv(path, 3);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), path + ":1: expected 3 tab-separated fields, got 4");
}

TEST_F(TsvTest, MissingFileIsAnIoError) {
  std::string path = Dir("nowhere") + "/t.tsv";
  auto rows = ReadTsv(path, 2);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Status::Code::kIoError);
  EXPECT_EQ(rows.status().message(), path + ": cannot open lexicon table");
}

TEST_F(TsvTest, LaterDirectoryOverridesRowsByKeyAndAddsNewOnes) {
  Write("shipped", "t.tsv", "Nvidia\tUS\nASML\tNL\n");
  std::string user = Write("user", "t.tsv", "# override\nnvidia\tXX\nRapidus\tJP\n");
  auto rows = ReadLexiconTable({Dir("shipped"), Dir("user")}, "t.tsv", 2);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // The override keeps the shipped row's place; the key compares case-insensitively.
  EXPECT_EQ(Fields(*rows), (std::vector<std::vector<std::string>>{
                               {"nvidia", "XX"}, {"ASML", "NL"}, {"Rapidus", "JP"}}));
  EXPECT_EQ((*rows)[0].Where(), user + ":2");
}

TEST_F(TsvTest, KeyOfSeveralColumns) {
  Write("shipped", "t.tsv", "p\tx\t1\np\ty\t1\n");
  Write("user", "t.tsv", "p\ty\t2\n");
  auto rows = ReadLexiconTable({Dir("shipped"), Dir("user")}, "t.tsv", 3, 2);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Fields(*rows),
            (std::vector<std::vector<std::string>>{{"p", "x", "1"}, {"p", "y", "2"}}));
}

TEST_F(TsvTest, LaterDirectoryMayLackTheFile) {
  Write("shipped", "t.tsv", "a\t1\n");
  fs::create_directories(root_ / "empty");
  auto rows = ReadLexiconTable({Dir("shipped"), Dir("empty")}, "t.tsv", 2);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 1u);
}

TEST_F(TsvTest, FirstDirectoryMustHaveTheFile) {
  Write("user", "t.tsv", "a\t1\n");
  auto rows = ReadLexiconTable({Dir("shipped"), Dir("user")}, "t.tsv", 2);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Status::Code::kIoError);
}

TEST_F(TsvTest, ErrorInALaterDirectoryIsReported) {
  Write("shipped", "t.tsv", "a\t1\n");
  std::string user = Write("user", "t.tsv", "b\n");
  auto rows = ReadLexiconTable({Dir("shipped"), Dir("user")}, "t.tsv", 2);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), user + ":1: expected 2 tab-separated fields, got 1");
}

TEST_F(TsvTest, DuplicateKeyInOneFileIsAnError) {
  std::string path = Write("shipped", "t.tsv", "Intel\tUS\nAMD\tUS\nINTEL\tUS\n");
  auto rows = ReadLexiconTable({Dir("shipped")}, "t.tsv", 2);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), path + ":3: duplicate key \"INTEL\", first at line 1");
}

TEST(SplitListTest, SplitsTrimsAndDropsEmptyItems) {
  struct Case {
    const char* field;
    std::vector<std::string> items;
  };
  const Case cases[] = {
      {"", {}},
      {"one", {"one"}},
      {"a|b|c", {"a", "b", "c"}},
      {" a | b ", {"a", "b"}},
      {"a||b|", {"a", "b"}},
      {"|", {}},
      {"英伟达|英偉達", {"英伟达", "英偉達"}},
      {"U.S.|the U.S.", {"U.S.", "the U.S."}},
  };
  for (const Case& c : cases) EXPECT_EQ(SplitList(c.field), c.items) << "field: " << c.field;
}

TEST(DefaultLexiconDirTest, PointsAtTheShippedTables) {
  EXPECT_TRUE(fs::exists(fs::path(DefaultLexiconDir()) / "companies.tsv")) << DefaultLexiconDir();
}

}  // namespace
}  // namespace stancetrack
