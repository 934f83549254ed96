#include "pipeline/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/report_page.h"
#include "tests/pipeline/stored_document_builder.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::CountOccurrences;

using testing::AddStance;
using testing::Block;
using ::testing::HasSubstr;
using testing::MakeStoredDocument;
using ::testing::Not;

constexpr char kHostileTitle[] = "<script>alert(1)</script> \"><img src=x onerror=alert(1)>";
constexpr char kHostileSentence[] =
    "Evil Corp said </script><script>alert(2)</script> & \"><img src=x onerror=alert(3)> too.";

StoredDocument Article(const std::string& path, const std::string& title,
                       const std::vector<std::string>& sentences, const std::string& published,
                       const std::string& url) {
  StoredDocument d = MakeStoredDocument(
      path, {{BlockKind::kTitle, {title}, ""}, {BlockKind::kBody, sentences, ""}});
  d.doc.meta.url = url;
  d.doc.meta.published = published;
  d.doc.meta.source = "Example Wire";
  return d;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(":memory:", Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  // Three articles: one actor that changes its position, a hostile article, an undated one.
  void WriteArticles() {
    StoredDocument acme =
        Article("2025/acme.txt", "Acme pushes back on chip tiers",
                {"Acme Semiconductor said it opposes the AI Diffusion Rule.",
                 "In March Acme said it now backs the rule after talks with officials."},
                "2025-01-20", "https://news.example/acme");
    AddStance(acme, "Acme", "Dana Reyes", "ai-diffusion-rule", Polarity::kOppose,
              "it opposes the AI Diffusion Rule");
    AddStance(acme, "Acme", "", "ai-diffusion-rule", Polarity::kSupport, "now backs the rule",
              "2025-03-05");
    StoredDocument hostile = Article("2025/hostile.txt", kHostileTitle, {kHostileSentence},
                                     "2025-02-01", "javascript:alert(1)");
    AddStance(hostile, "Bad <Actor>", "\"><img src=x onerror=alert(4)>", "gain-ai-act",
              Polarity::kOppose, "Evil Corp said");
    StoredDocument undated = Article("undated.txt", "Chip makers weigh location checks",
                                     {"Nvidia had both praise and doubts for the bill."}, "", "");
    AddStance(undated, "Nvidia", "", "chip-security-act", Polarity::kMixed, "praise and doubts");
    Write({acme, hostile, undated});
  }

  int64_t Write(const std::vector<StoredDocument>& batch) {
    StatusOr<int64_t> run = store_->BeginRun("stancetrack ingest articles");
    EXPECT_TRUE(run.ok());
    EXPECT_TRUE(store_->Write(*run, batch).ok());
    return *run;
  }

  std::string Report(const ReportOptions& options = {}) {
    std::ostringstream out;
    Status status = WriteReport(*store_, options, &out);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out.str();
  }

  std::unique_ptr<Store> store_;
};

std::string StanceDataBlock(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"stance-data\">";
  const size_t begin = page.find(open);
  if (begin == std::string::npos) return "";
  const size_t end = page.find("</script>", begin);
  return page.substr(begin + open.size(), end - begin - open.size());
}

TEST_F(ReportTest, OnePointPerDatedStance) {
  WriteArticles();
  const std::string page = Report();
  StatusOr<Timeline> timeline = BuildTimeline(*store_, {});
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->points.size(), 3u);
  EXPECT_EQ(CountOccurrences(page, "class=\"point\""), 3);
  for (const StancePoint& p : timeline->points) {
    EXPECT_THAT(page, HasSubstr("data-stance=\"" + std::to_string(p.stance_id) + "\""));
  }
  EXPECT_THAT(page, HasSubstr("<section class=\"policy\" data-policy=\"ai-diffusion-rule\""));
  EXPECT_THAT(page, HasSubstr("<section class=\"policy\" data-policy=\"gain-ai-act\""));
  EXPECT_THAT(page, Not(HasSubstr("data-policy=\"chip-security-act\"")));  // undated only
  EXPECT_THAT(page, HasSubstr("<svg class=\"timeline-chart\""));
  EXPECT_THAT(page, HasSubstr("<div id=\"evidence\" aria-live=\"polite\">"));
}

TEST_F(ReportTest, HostileArticleTextStaysText) {
  WriteArticles();
  const std::string page = Report();
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, Not(HasSubstr("<img")));
  EXPECT_THAT(page, Not(HasSubstr("javascript:")));
  // Attribute values hold escaped text only ("&quot;"), so dropping them leaves the bare tags.
  const std::string tags = std::regex_replace(page, std::regex("=\"[^\"]*\""), "=\"\"");
  EXPECT_FALSE(std::regex_search(tags, std::regex("<[^>]*\\ssrc="))) << "a tag loads something";
  EXPECT_EQ(CountOccurrences(page, "<script"), 2);  // the data block and the report's own script
  EXPECT_THAT(page, HasSubstr("data-actor=\"Bad &lt;Actor&gt;\""));
  EXPECT_THAT(page, HasSubstr("<span class=\"doc\">2025/hostile.txt</span>"));  // no link
  EXPECT_THAT(page, HasSubstr("<a class=\"doc\" href=\"https://news.example/acme\""));
}

TEST_F(ReportTest, StanceDataCannotCloseItsScriptElement) {
  WriteArticles();
  const std::string block = StanceDataBlock(Report());
  ASSERT_FALSE(block.empty());
  EXPECT_EQ(block.find_first_of("<>&"), std::string::npos);
  EXPECT_THAT(block, HasSubstr("\\u003c/script\\u003e"));
  const nlohmann::json data = nlohmann::json::parse(block);
  ASSERT_EQ(data.size(), 3u);
  bool found = false;
  for (const auto& [id, point] : data.items()) {
    if (point["actor"] != "Bad <Actor>") continue;
    found = true;
    EXPECT_EQ(point["sentence"], kHostileSentence);  // whole, and the same once parsed
    EXPECT_EQ(point["title"], kHostileTitle);
    EXPECT_EQ(point["url"], "");  // never a javascript: url
    EXPECT_EQ(point["document"], "2025/hostile.txt");
  }
  EXPECT_TRUE(found);
}

TEST_F(ReportTest, OnlyTheReportsScriptCarriesTheNonce) {
  WriteArticles();
  const std::string page = Report();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page, m,
      std::regex(
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:; script-src 'nonce-([0-9a-f]{32})'\">")));
  const std::string nonce = m[1];
  EXPECT_EQ(CountOccurrences(page, nonce), 2);
  EXPECT_THAT(page, HasSubstr("<script nonce=\"" + nonce + "\">"));
}

TEST_F(ReportTest, LinksOnlyToSectionsAndArticles) {
  WriteArticles();
  const std::string page = Report();
  const std::regex href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), href); it != std::sregex_iterator();
       ++it) {
    const std::string target = (*it)[1];
    EXPECT_TRUE(target.starts_with("#") || target == "https://news.example/acme") << target;
  }
}

TEST_F(ReportTest, TablesShowChangesActorsAndUndated) {
  WriteArticles();
  const std::string page = Report();
  EXPECT_THAT(page, HasSubstr("<table class=\"changes\">"));
  EXPECT_THAT(
      page,
      HasSubstr("<td>ai-diffusion-rule</td><td>Acme</td><td class=\"date\">2025-01</td><td><span "
                "class=\"first\">first position</span> <span class=\"badge "
                "oppose\">oppose</span></td>"));
  EXPECT_THAT(
      page,
      HasSubstr("<td class=\"date\">2025-03</td><td><span class=\"badge oppose\">oppose</span> → "
                "<span class=\"badge support\">support</span></td><td><a "
                "class=\"doc\" href=\"https://news.example/acme\""));
  EXPECT_THAT(page, HasSubstr("<table class=\"actors\">"));
  EXPECT_THAT(
      page,
      HasSubstr("<tr><td>Acme</td><td>ai-diffusion-rule</td><td class=\"num\">1</td>"
                "<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"date\">2025-01-20</td>"
                "<td class=\"date\">2025-03-05</td><td>Dana Reyes</td></tr>"));
  EXPECT_THAT(page, HasSubstr("<table class=\"undated\">"));
  EXPECT_THAT(page, HasSubstr("<td>chip-security-act</td><td>Nvidia</td><td></td><td><span "
                              "class=\"badge mixed\">mixed</span></td><td class=\"evidence\">"
                              "Nvidia had both praise and doubts for the bill.</td>"));
}

TEST_F(ReportTest, FailuresListOnlyInputsStillNotStored) {
  const int64_t first = Write({});
  ASSERT_TRUE(store_->RecordError(first, "broken.html", "not valid <UTF-8> at byte 12").ok());
  ASSERT_TRUE(store_->RecordError(first, "fixed.txt", "could not read the file").ok());
  const int64_t second = Write({Article("fixed.txt", "Fixed", {"Now it reads."}, "", "")});
  ASSERT_TRUE(store_->RecordError(second, "broken.html", "still not valid UTF-8").ok());
  const std::string page = Report();
  const size_t table = page.find("<table class=\"failures\">");
  ASSERT_NE(table, std::string::npos);
  const std::string failures = page.substr(table, page.find("</table>", table) - table);
  EXPECT_THAT(failures,
              HasSubstr("<td>broken.html</td><td>still not valid UTF-8</td><td class=\"date\">"));
  EXPECT_THAT(failures, Not(HasSubstr("not valid &lt;UTF-8&gt;")));  // an older failure
  EXPECT_THAT(failures, Not(HasSubstr("fixed.txt")));
  EXPECT_TRUE(std::regex_search(
      failures, std::regex("<td class=\"date\">\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z</td>")));
}

TEST_F(ReportTest, EmptyDatabaseGivesACompletePage) {
  const std::string page = Report();
  EXPECT_THAT(page, HasSubstr("No failures: every input was stored."));
  EXPECT_THAT(page, HasSubstr("No dated stances to chart."));
  EXPECT_THAT(page, HasSubstr("<table class=\"changes\">"));
  EXPECT_THAT(page, HasSubstr("<table class=\"actors\">"));
  EXPECT_EQ(StanceDataBlock(page), "{}");
  EXPECT_EQ(CountOccurrences(page, "class=\"point\""), 0);
  EXPECT_TRUE(page.ends_with("</html>\n"));
}

TEST_F(ReportTest, SameDatabaseSameBytes) {
  WriteArticles();
  EXPECT_EQ(Report(), Report());
}

TEST_F(ReportTest, TitleAndFiltersAreEscaped) {
  WriteArticles();
  ReportOptions options;
  options.title = "Q1 <b>review</b>";
  options.timeline.policy = "gain-ai-act";
  const std::string page = Report(options);
  EXPECT_THAT(page, HasSubstr("<title>Q1 &lt;b&gt;review&lt;/b&gt;</title>"));
  EXPECT_THAT(page, HasSubstr("<h1>Q1 &lt;b&gt;review&lt;/b&gt;</h1>"));
  EXPECT_THAT(page, HasSubstr("<p class=\"filters\">Showing only policy gain-ai-act.</p>"));
  EXPECT_EQ(CountOccurrences(page, "class=\"point\""), 1);
}

TEST_F(ReportTest, BadOptionsWriteNothing) {
  ReportOptions options;
  options.timeline.by = "year";
  std::ostringstream out;
  const Status status = WriteReport(*store_, options, &out);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'year'"));
  EXPECT_EQ(out.str(), "");
}

TEST_F(ReportTest, FailingStreamIsAnIoError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  EXPECT_EQ(WriteReport(*store_, {}, &out).code(), Status::Code::kIoError);
}

TEST(IsWebUrlTest, OnlyHttpAndHttpsBecomeLinks) {
  const struct {
    std::string url;
    bool web;
  } kCases[] = {
      {"https://news.example/a", true}, {"http://news.example/a", true},
      {"HTTPS://NEWS.EXAMPLE", true},   {"javascript:alert(1)", false},
      {"JavaScript:alert(1)", false},   {" https://news.example", false},
      {"data:text/html,hi", false},     {"https://", false},
      {"/relative/path", false},        {"", false},
  };
  for (const auto& c : kCases) EXPECT_EQ(IsWebUrl(c.url), c.web) << c.url;
}

}  // namespace
}  // namespace stancetrack
