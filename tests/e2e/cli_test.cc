// End-to-end tests of the stancetrack binary: exit statuses, messages, incremental ingest,
// read-only query, export shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_binary.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;

const char kNvidiaArticle[] =
    "---\ntitle: Nvidia criticises new chip export rule\npublished: 2025-01-14\n"
    "language: en\n---\n"
    "Nvidia on Monday criticised the AI Diffusion Rule announced by the U.S. Department of "
    "Commerce, saying it would hurt American companies.\n"
    "The rule sorts countries such as India and Israel into a second tier.\n";
const char kOracleArticle[] =
    "---\ntitle: Oracle warns on export limits\npublished: 2025-01-10\nlanguage: en\n---\n"
    "Oracle said the proposed limits on chip exports to Malaysia and Mexico went too far.\n";

class CliTest : public ::testing::Test {
 protected:
  CliTest() : scratch_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    WriteTextFile(dir() / "in" / "2025" / "nvidia.txt", kNvidiaArticle);
    WriteTextFile(dir() / "in" / "oracle.md", kOracleArticle);
  }
  const fs::path& dir() const { return scratch_.path(); }
  Outcome Run(const std::string& args) { return RunStancetrack(dir(), args); }

  std::vector<nlohmann::json> Export() {
    Outcome o = Run("export --db t.db");
    EXPECT_EQ(o.exit_status, 0) << o.err;
    std::vector<nlohmann::json> records;
    std::istringstream lines(o.out);
    for (std::string line; std::getline(lines, line);)
      records.push_back(nlohmann::json::parse(line));
    return records;
  }

 private:
  ScratchDir scratch_;
};

TEST_F(CliTest, IngestThenExportGivesOneRecordPerDocumentWithEveryKey) {
  Outcome o = Run("ingest in --db t.db");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  EXPECT_NE(o.out.find("2 new, 0 changed, 0 unchanged, 0 failed"), std::string::npos) << o.out;
  std::vector<nlohmann::json> records = Export();
  ASSERT_EQ(records.size(), 2u);
  for (const char* key : {"doc", "published", "language", "companies", "organizations", "people",
                          "countries", "tiers", "stances", "duplicate_of"}) {
    EXPECT_TRUE(records[0].contains(key)) << key;
  }
  EXPECT_EQ(records[0]["doc"], "2025/nvidia.txt");
  EXPECT_EQ(records[0]["published"], "2025-01-14");
  EXPECT_EQ(records[1]["doc"], "oracle.md");
}

TEST_F(CliTest, SecondIngestChangesNothingAndSaysUnchanged) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  std::vector<nlohmann::json> first = Export();
  Outcome again = Run("ingest in --db t.db");
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_NE(again.out.find("0 new, 0 changed, 2 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(Export(), first);
}

TEST_F(CliTest, ChangedFileIsReprocessedAlone) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  WriteTextFile(dir() / "in" / "oracle.md", std::string(kOracleArticle) + "Oracle added more.\n");
  Outcome o = Run("ingest in --db t.db");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  EXPECT_NE(o.out.find("0 new, 1 changed, 1 unchanged"), std::string::npos) << o.out;
  Outcome count = Run("query --db t.db --format csv \"SELECT COUNT(*) AS n FROM documents\"");
  EXPECT_EQ(count.out, "n\r\n2\r\n");
}

TEST_F(CliTest, PruneRemovesDocumentsWhoseFilesAreGone) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  fs::remove(dir() / "in" / "oracle.md");
  Outcome o = Run("ingest in --db t.db --prune");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  EXPECT_NE(o.out.find("1 pruned"), std::string::npos) << o.out;
  EXPECT_EQ(Export().size(), 1u);
}

TEST_F(CliTest, BadFilesAreReportedByNameAndOthersGoOn) {
  WriteTextFile(dir() / "in" / "empty.txt", "");
  WriteTextFile(dir() / "in" / "latin1.txt",
                "Costs rose to \xA3"
                "3bn for Nvidia.\n");
  WriteTextFile(dir() / "in" / "broken.json", "{\"title\": ");
  Outcome o = Run("ingest in --db t.db");
  EXPECT_EQ(o.exit_status, 1) << o.out << o.err;
  EXPECT_NE(o.err.find("empty.txt: empty file"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("broken.json: not valid JSON"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("latin1.txt: warning: not valid UTF-8 at byte 14"), std::string::npos)
      << o.err;
  EXPECT_NE(o.out.find("3 new, 0 changed, 0 unchanged, 2 failed"), std::string::npos) << o.out;
  Outcome errors =
      Run("query --db t.db --format csv \"SELECT path, reason FROM ingest_errors "
          "ORDER BY path\"");
  EXPECT_NE(errors.out.find("empty.txt,empty file"), std::string::npos) << errors.out;
}

// A first ingest defers mentions_by_entity to its end (Store::BeginRun); it must be there after.
TEST_F(CliTest, FirstIngestEndsWithEveryIndex) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  Outcome o =
      Run("query --db t.db --format csv \"SELECT name FROM sqlite_master "
          "WHERE name = 'mentions_by_entity'\"");
  EXPECT_EQ(o.out, "name\r\nmentions_by_entity\r\n") << o.err;
}

TEST_F(CliTest, QueryRefusesWritesAndChangesNothing) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  Outcome o = Run("query --db t.db \"UPDATE documents SET title=''\"");
  EXPECT_NE(o.exit_status, 0);
  EXPECT_NE(o.err.find("read-only"), std::string::npos) << o.err;
  Outcome attach = Run("query --db t.db \"ATTACH DATABASE 'x.db' AS x\"");
  EXPECT_NE(attach.exit_status, 0);
  EXPECT_FALSE(fs::exists(dir() / "x.db"));
  Outcome titles =
      Run("query --db t.db --format csv \"SELECT COUNT(*) AS n FROM documents "
          "WHERE title <> ''\"");
  EXPECT_EQ(titles.out, "n\r\n2\r\n");
}

TEST_F(CliTest, QueryFormats) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  std::string sql = "\"SELECT path, published FROM documents ORDER BY path\"";
  EXPECT_EQ(Run("query --db t.db --format jsonl " + sql).out,
            "{\"path\":\"2025/nvidia.txt\",\"published\":\"2025-01-14\"}\n"
            "{\"path\":\"oracle.md\",\"published\":\"2025-01-10\"}\n");
  EXPECT_EQ(Run("query --db t.db --format table " + sql).out,
            "path             published\n"
            "---------------  ----------\n"
            "2025/nvidia.txt  2025-01-14\n"
            "oracle.md        2025-01-10\n");
}

TEST_F(CliTest, QueryPrintsATableByDefault) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  EXPECT_EQ(Run("query --db t.db \"SELECT COUNT(*) AS n FROM documents\"").out, "n\n-\n2\n");
}

TEST_F(CliTest, LongTableCellsAreCutButCsvKeepsThemWhole) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  std::string sql = "\"SELECT printf('%.150c', 'x') AS long_cell\"";
  std::string table = Run("query --db t.db " + sql).out;
  EXPECT_NE(table.find(std::string(99, 'x') + "…\n"), std::string::npos) << table;
  EXPECT_EQ(table.find(std::string(100, 'x')), std::string::npos) << table;
  EXPECT_EQ(Run("query --db t.db --format csv " + sql).out,
            "long_cell\r\n" + std::string(150, 'x') + "\r\n");
}

TEST_F(CliTest, MissingDatabaseIsAClearError) {
  Outcome o = Run("export --db nothing-here.db");
  EXPECT_EQ(o.exit_status, 3);
  EXPECT_NE(o.err.find("nothing-here.db"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir() / "nothing-here.db"));
}

TEST_F(CliTest, AMalformedLexiconStopsTheRunBeforeAnyDocumentIsStored) {
  WriteTextFile(dir() / "mine" / "companies.tsv", "# my companies\nAcme Chips\tAcme\n");
  Outcome o = Run("ingest in --db t.db --lexicon mine");
  EXPECT_EQ(o.exit_status, 3) << o.out << o.err;
  EXPECT_NE(o.err.find("companies.tsv:2: expected"), std::string::npos) << o.err;
  Outcome count = Run("query --db t.db --format csv \"SELECT COUNT(*) AS n FROM documents\"");
  EXPECT_EQ(count.out, "n\r\n0\r\n");
  // Without it, a re-run finishes the job.
  Outcome rerun = Run("ingest in --db t.db");
  ASSERT_EQ(rerun.exit_status, 0) << rerun.err;
  EXPECT_NE(rerun.out.find("2 new"), std::string::npos) << rerun.out;
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  for (const char* command :
       {"ingest", "query", "export", "entities", "stances", "show", "timeline"}) {
    Outcome o = Run(std::string(command) + " --help");
    EXPECT_EQ(o.exit_status, 0) << command;
    EXPECT_NE(o.out.find("--db"), std::string::npos) << command;
  }
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  Outcome o = Run("ingets in");
  EXPECT_EQ(o.exit_status, 2);
}

TEST_F(CliTest, ShowMarksEntitiesOfADocument) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  Outcome o = Run("show --db t.db oracle.md");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  EXPECT_NE(o.out.find("document: oracle.md"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("[Oracle]{company:Oracle}"), std::string::npos) << o.out;
  EXPECT_EQ(Run("show --db t.db missing.txt").exit_status, 3);
}

TEST_F(CliTest, ExportOfOnePolicyHasOnlyTheDocumentsAboutIt) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  Outcome o = Run("export --db t.db --policy ai-diffusion-rule");
  ASSERT_EQ(o.exit_status, 0) << o.err;
  std::istringstream lines(o.out);
  std::vector<std::string> docs;
  for (std::string line; std::getline(lines, line);) {
    docs.push_back(nlohmann::json::parse(line)["doc"]);
  }
  EXPECT_EQ(docs, std::vector<std::string>{"2025/nvidia.txt"});
  EXPECT_EQ(Run("export --db t.db --policy no-such-policy").out, "");
}

// Colour only on a terminal (`script` gives the command a pseudo-terminal), never with NO_COLOR.
TEST_F(CliTest, TimelineIsColouredOnlyOnATerminalWithoutNoColor) {
  ASSERT_EQ(Run("ingest in --db t.db").exit_status, 0);
  Outcome piped = Run("timeline --db t.db");
  ASSERT_EQ(piped.exit_status, 0) << piped.err;
  EXPECT_NE(piped.out.find("oppose"), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find("\x1b["), std::string::npos);
  WriteTextFile(dir() / "tty.sh", "exec '" STANCETRACK_BINARY "' timeline --db t.db\n");
  const std::string cd = "cd '" + dir().string() + "' && ";
  const std::string in_terminal = "script -qec 'sh tty.sh' tty.txt >/dev/null";
  ASSERT_EQ(std::system((cd + "env -u NO_COLOR " + in_terminal).c_str()), 0);
  EXPECT_NE(ReadAll(dir() / "tty.txt").find("\x1b[31moppose\x1b[0m"), std::string::npos)
      << ReadAll(dir() / "tty.txt");
  ASSERT_EQ(std::system((cd + "NO_COLOR=1 " + in_terminal).c_str()), 0);
  EXPECT_NE(ReadAll(dir() / "tty.txt").find("oppose"), std::string::npos);
  EXPECT_EQ(ReadAll(dir() / "tty.txt").find("\x1b["), std::string::npos);
}

}  // namespace
}  // namespace stancetrack::testing
