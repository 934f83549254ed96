// End-to-end tests of ingest split in two: `extract` writes records with no database, `load`
// stores them. The database they make must export byte for byte what `ingest` makes, whatever
// --jobs is; broken records are recorded, not fatal; `--stats` prints one line per stage.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/run_binary.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;

const char kTariffArticle[] =
    "---\ntitle: Lawmakers weigh chip export bill\npublished: 2025-03-02\n---\n"
    "Senator Mara Quill said the Chip Security Act would close gaps in export enforcement.\n";
const char kFoundryArticle[] =
    "---\ntitle: Foundry warns on curbs\npublished: 2025-03-04\n---\n"
    "A foundry executive said new export curbs on China would cost the industry dearly.\n";
const char kFeed[] =
    "{\"title\": \"Ministry answers curbs\", \"text\": \"China's commerce ministry said it would"
    " respond to the chip export controls.\", \"published\": \"2025-03-05\", \"id\": \"w-17\"}\n"
    "\n"
    "{\"title\": \"Cloud firm plans data centres\", \"text\": \"A cloud provider said it would"
    " build data centres in India despite the tier 2 caps.\", \"id\": 18}\n"
    "not json at all\n";

std::string CorpusArticles() {
  return (fs::path(STANCETRACK_SOURCE_DIR) / "corpus" / "articles").string();
}

class ExtractLoadTest : public ::testing::Test {
 protected:
  ExtractLoadTest() : scratch_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
  const fs::path& dir() const { return scratch_.path(); }
  Outcome Run(const std::string& args) { return RunStancetrack(dir(), args); }

  // The export of `db`, which must succeed.
  std::string Export(const std::string& db) {
    Outcome o = Run("export --db " + db);
    EXPECT_EQ(o.exit_status, 0) << o.err;
    return o.out;
  }

  // Runs `extract ARGS` (stdin from the file `input`) and writes its records to `records`.
  Outcome Extract(const std::string& args, const std::string& input, const std::string& records) {
    Outcome o = Run("extract " + args + " <" + input);
    WriteTextFile(dir() / records, o.out);
    return o;
  }

  // One query value of `db`.
  std::string QueryOne(const std::string& db, const std::string& sql) {
    Outcome o = Run("query --db " + db + " --format csv \"" + sql + "\"");
    EXPECT_EQ(o.exit_status, 0) << o.err;
    return o.out.substr(o.out.find('\n') + 1);
  }

 private:
  ScratchDir scratch_;
};

TEST_F(ExtractLoadTest, ExtractThenLoadExportsExactlyWhatIngestExports) {
  Outcome ingest = Run("ingest '" + CorpusArticles() + "' --db ingest.db --jobs 2");
  ASSERT_EQ(ingest.exit_status, 0) << ingest.err;
  const std::string expected = Export("ingest.db");
  ASSERT_GT(CountOccurrences(expected, "\n"), 20);

  // The folder listed whole: ids as ingest names them.
  WriteTextFile(dir() / "folder.txt", CorpusArticles() + "\n");
  Outcome extract = Extract("--jobs 2", "folder.txt", "records.jsonl");
  ASSERT_EQ(extract.exit_status, 0) << extract.err;
  Outcome load = Run("load records.jsonl --db loaded.db");
  ASSERT_EQ(load.exit_status, 0) << load.err;
  EXPECT_NE(load.out.find("load: " + std::to_string(CountOccurrences(expected, "\n")) +
                          " new, 0 changed, 0 unchanged, 0 failed"),
            std::string::npos)
      << load.out;
  EXPECT_EQ(Export("loaded.db"), expected);
}

TEST_F(ExtractLoadTest, FileListSplitInChunksWithRootKeepsIngestIds) {
  Outcome ingest = Run("ingest '" + CorpusArticles() + "' --db ingest.db --jobs 2");
  ASSERT_EQ(ingest.exit_status, 0) << ingest.err;
  // Two chunks in an order unlike the sorted one, as a splitter might hand them out.
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusArticles())) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.rbegin(), files.rend());
  std::string chunks[2];
  for (size_t i = 0; i < files.size(); ++i) chunks[i % 2] += files[i] + "\n";
  for (int i = 0; i < 2; ++i) {
    WriteTextFile(dir() / ("chunk-" + std::to_string(i)), chunks[i]);
    Outcome o = Extract("--jobs 1 --root '" + CorpusArticles() + "'", "chunk-" + std::to_string(i),
                        "part-" + std::to_string(i) + ".jsonl");
    ASSERT_EQ(o.exit_status, 0) << o.err;
  }
  Outcome load = Run("load part-0.jsonl part-1.jsonl --db loaded.db");
  ASSERT_EQ(load.exit_status, 0) << load.err;
  EXPECT_EQ(Export("loaded.db"), Export("ingest.db"));
}

TEST_F(ExtractLoadTest, OneJobAndFourJobsExportTheSameBytes) {
  Outcome one = Run("ingest '" + CorpusArticles() + "' --db one.db --jobs 1");
  ASSERT_EQ(one.exit_status, 0) << one.err;
  Outcome four = Run("ingest '" + CorpusArticles() + "' --db four.db --jobs 4");
  ASSERT_EQ(four.exit_status, 0) << four.err;
  EXPECT_EQ(Export("one.db"), Export("four.db"));
}

TEST_F(ExtractLoadTest, ExtractWritesTheSameRecordsWhateverTheJobs) {
  WriteTextFile(dir() / "folder.txt", CorpusArticles() + "\n");
  Outcome one = Run("extract --jobs 1 <folder.txt");
  Outcome four = Run("extract --jobs 4 <folder.txt");
  ASSERT_EQ(one.exit_status, 0) << one.err;
  EXPECT_EQ(one.out, four.out);
}

TEST_F(ExtractLoadTest, LoadRecordsABrokenLineAndStoresTheRest) {
  WriteTextFile(dir() / "in" / "bill.txt", kTariffArticle);
  WriteTextFile(dir() / "in" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "folder.txt", "in\n");
  Outcome extract = Extract("", "folder.txt", "good.jsonl");
  ASSERT_EQ(extract.exit_status, 0) << extract.err;
  const std::string good = ReadAll(dir() / "good.jsonl");
  const size_t first_end = good.find('\n');
  // Line 1 cut short, as a killed writer leaves it; line 2 whole.
  WriteTextFile(dir() / "broken.jsonl",
                good.substr(0, first_end / 2) + "\n" + good.substr(first_end + 1));
  Outcome load = Run("load broken.jsonl --db t.db");
  EXPECT_EQ(load.exit_status, 1) << load.err;
  EXPECT_NE(load.err.find("broken.jsonl:1: not valid JSON: "), std::string::npos) << load.err;
  EXPECT_NE(load.out.find("load: 1 new, 0 changed, 0 unchanged, 1 failed"), std::string::npos)
      << load.out;
  EXPECT_EQ(QueryOne("t.db", "SELECT path FROM documents"), "foundry.txt\r\n");
  EXPECT_EQ(QueryOne("t.db", "SELECT path FROM ingest_errors"), "broken.jsonl:1\r\n");
}

TEST_F(ExtractLoadTest, SecondLoadOfTheSameRecordsChangesNothing) {
  WriteTextFile(dir() / "in" / "bill.txt", kTariffArticle);
  WriteTextFile(dir() / "in" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "folder.txt", "in\n");
  ASSERT_EQ(Extract("", "folder.txt", "r.jsonl").exit_status, 0);
  ASSERT_EQ(Run("load r.jsonl --db t.db").exit_status, 0);
  const std::string first = Export("t.db");
  Outcome again = Run("load - --db t.db <r.jsonl");
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_NE(again.out.find("load: 0 new, 0 changed, 2 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(Export("t.db"), first);
}

TEST_F(ExtractLoadTest, ProblemsTravelFromExtractToTheDatabase) {
  WriteTextFile(dir() / "in" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "in" / "empty.txt", "");
  WriteTextFile(dir() / "list.txt", "in\nmissing.txt\n");
  Outcome extract = Extract("", "list.txt", "r.jsonl");
  EXPECT_EQ(extract.exit_status, 1);
  EXPECT_NE(extract.err.find("missing.txt: no such file or directory"), std::string::npos)
      << extract.err;
  EXPECT_NE(extract.out.find(R"({"stancetrack_record":1,"path":"empty.txt","error":"empty file"})"),
            std::string::npos)
      << extract.out;
  Outcome load = Run("load r.jsonl --db t.db");
  EXPECT_EQ(load.exit_status, 1);
  EXPECT_EQ(QueryOne("t.db", "SELECT path || ': ' || reason FROM ingest_errors ORDER BY path"),
            "empty.txt: empty file\r\nmissing.txt: no such file or directory\r\n");
}

// Listed without --root, a/foundry.txt and b/foundry.txt are both `foundry.txt`: one document
// would silently replace the other, so the second is a problem and the first is stored.
TEST_F(ExtractLoadTest, TwoFilesOfOneIdAreOneDocumentAndOneProblem) {
  WriteTextFile(dir() / "a" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "b" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "list.txt", "b/foundry.txt\na/foundry.txt\na/foundry.txt\n");
  Outcome extract = Extract("", "list.txt", "r.jsonl");
  EXPECT_EQ(extract.exit_status, 1);
  EXPECT_NE(extract.err.find("b/foundry.txt: document id foundry.txt is also that of "
                             "a/foundry.txt, which is read instead"),
            std::string::npos)
      << extract.err;
  Outcome load = Run("load r.jsonl --db t.db");
  EXPECT_EQ(load.exit_status, 1);
  EXPECT_EQ(QueryOne("t.db", "SELECT path || ' ' || source_path FROM documents"),
            "foundry.txt a/foundry.txt\r\n");
  EXPECT_EQ(QueryOne("t.db", "SELECT path FROM ingest_errors"), "b/foundry.txt\r\n");
}

TEST_F(ExtractLoadTest, JsonlOnStdinGetsTheIdsIngestGivesTheFile) {
  WriteTextFile(dir() / "feed.jsonl", kFeed);
  Outcome ingest = Run("ingest feed.jsonl --db ingest.db");
  EXPECT_EQ(ingest.exit_status, 1) << ingest.err;  // line 4 is not JSON
  Outcome extract = Extract("--jsonl --name feed.jsonl", "feed.jsonl", "r.jsonl");
  EXPECT_EQ(extract.exit_status, 1);
  EXPECT_NE(extract.err.find("feed.jsonl#4: not valid JSON"), std::string::npos) << extract.err;
  EXPECT_EQ(Run("load r.jsonl --db loaded.db").exit_status, 1);
  EXPECT_EQ(Export("loaded.db"), Export("ingest.db"));
  EXPECT_EQ(QueryOne("loaded.db", "SELECT group_concat(path, ' ') FROM documents"),
            "feed.jsonl#1 feed.jsonl#3\r\n");
}

TEST_F(ExtractLoadTest, JsonlIdFieldNamesDocumentsByTheirOwnIds) {
  WriteTextFile(dir() / "feed.jsonl", kFeed);
  Outcome extract = Extract("--jsonl --id-field id", "feed.jsonl", "r.jsonl");
  EXPECT_EQ(extract.exit_status, 1);
  EXPECT_NE(extract.err.find("stdin.jsonl#4: not valid JSON"), std::string::npos) << extract.err;
  ASSERT_EQ(Run("load r.jsonl --db t.db").exit_status, 1);
  EXPECT_EQ(QueryOne("t.db", "SELECT group_concat(path, ' ') FROM documents"), "18 w-17\r\n");
}

TEST_F(ExtractLoadTest, BadExtractOptionsAreUsageErrors) {
  WriteTextFile(dir() / "empty", "");
  const struct {
    std::string args, message;
  } kCases[] = {
      {"--jsonl --name feed.txt",
       "stancetrack: --name feed.txt: must end in .jsonl (it names the file the lines are from)\n"},
      {"--id-field id", "stancetrack: --id-field applies to --jsonl input only\n"},
      {"--jsonl --root in", "stancetrack: --root applies to a list of paths, not to --jsonl\n"},
  };
  for (const auto& [args, message] : kCases) {
    Outcome o = Run("extract " + args + " <empty");
    EXPECT_EQ(o.exit_status, 2) << args;
    EXPECT_EQ(o.err, message) << args;
    EXPECT_EQ(o.out, "") << args;
  }
}

TEST_F(ExtractLoadTest, LoadRefusesRecordsOfAnotherVersion) {
  WriteTextFile(dir() / "new.jsonl", "{\"stancetrack_record\":2,\"doc\":\"x.txt\"}\n");
  Outcome load = Run("load new.jsonl --db t.db");
  EXPECT_EQ(load.exit_status, 1);
  EXPECT_NE(load.err.find("new.jsonl:1: stancetrack_record: version 2 is not supported; this "
                          "build reads version 1"),
            std::string::npos)
      << load.err;
}

TEST_F(ExtractLoadTest, LoadOfAMissingFileIsRecordedAndTheOthersLoaded) {
  WriteTextFile(dir() / "in" / "foundry.txt", kFoundryArticle);
  WriteTextFile(dir() / "folder.txt", "in\n");
  ASSERT_EQ(Extract("", "folder.txt", "r.jsonl").exit_status, 0);
  Outcome load = Run("load gone.jsonl r.jsonl --db t.db");
  EXPECT_EQ(load.exit_status, 1);
  EXPECT_NE(load.err.find("gone.jsonl: cannot open: No such file or directory"), std::string::npos)
      << load.err;
  EXPECT_EQ(QueryOne("t.db", "SELECT COUNT(*) FROM documents"), "1\r\n");
}

TEST_F(ExtractLoadTest, IngestStatsPrintsEveryStage) {
  WriteTextFile(dir() / "in" / "bill.txt", kTariffArticle);
  Outcome o = Run("ingest in --db t.db --stats");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  double percent = 0;
  for (const char* stage : {"read", "parse", "normalize", "segment", "boilerplate", "language",
                            "annotate", "signature", "write", "link"}) {
    std::smatch match;
    const std::regex line(std::string("\ningest: stage ") + stage +
                          " ([0-9]+\\.[0-9]{3}) s \\(([0-9]+\\.[0-9])%\\)\n");
    ASSERT_TRUE(std::regex_search(o.out, match, line)) << stage << "\n" << o.out;
    percent += std::stod(match[2]);
  }
  EXPECT_NEAR(percent, 100, 0.6);
  EXPECT_EQ(CountOccurrences(o.out, "ingest: stage "), 10);
}

}  // namespace
}  // namespace stancetrack::testing
