#include "pipeline/eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/pipeline/fake_file_system.h"

namespace stancetrack {
namespace {

using ::testing::StartsWith;

struct KeyCase {
  const char* input;
  const char* expected;
};

// Expected values come from score.py's own functions (fold, company, org, person, actor,
// key_of) run on these inputs.
TEST(EvalFoldTest, FoldsLikeScorePy) {
  const KeyCase cases[] = {
      {"Nvidia Corp.", "nvidia corp"},
      {"  Ｓｏｆｔｂａｎｋ　Ｇｒｏｕｐ ", "softbank group"},  // full width, ideographic space
      {"Crédit Agricole", "credit agricole"},
      {"R&D and M＆A", "r and d and m and a"},
      {"Taiwan’s chip-maker", "taiwan s chip maker"},
      {"ΣΟΦΟΣ ΚΑΙ ΝΕΟΣ", "σοφος και νεος"},  // final sigma
      {"İzmir Ünited", "izmir united"},
      {"ﬁnance ﬂow", "finance flow"},
      {"华为技术有限公司", "华为技术有限公司"},
      {"삼성", "\u1109\u1161\u11b7\u1109\u1165\u11bc"},  // NFKD leaves Hangul as jamo
      {"x² and ½ of Ⅻ", "x2 and 1 2 of xii"},
      {"hello_world #42!", "hello_world 42"},
      {"नमस्ते", "\u0928\u092e\u0938\u0924"},  // virama dropped, vowel signs are not \w
      {"Straße", "straße"},
      {"", ""},
      {"  ...  ", ""},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::Fold(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, CompanyKeyDropsLegalFormsAndMapsAliases) {
  const KeyCase cases[] = {
      {"Nvidia Corp.", "nvidia"},
      {"Advanced Micro Devices, Inc.", "amd"},
      {"Taiwan Semiconductor Manufacturing Co., Ltd.", "tsmc"},
      {"Alphabet Inc.", "google"},
      {"Meta Platforms, Inc.", "meta"},
      {"SK hynix Inc.", "sk hynix"},
      {"Samsung Group", "samsung"},
      {"Siemens AG", "siemens"},
      {"ASML Holding N.V.", "asml n v"},
      {"Co.", ""},
      {"The Coca-Cola Company", "the coca cola"},
      {"Huawei Technologies Co., Ltd.", "huawei"},
      {"Amazon Web Services", "amazon"},
      {"Open AI", "openai"},
      {"Inc Group Holdings", ""},
      {"Corporation for Public Broadcasting", "for public broadcasting"},
      {"Incorporated Ltd Acme", "acme"},
      {"NVDA", "nvidia"},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::CompanyKey(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, OrgKeyDropsOneLeadingTheOrUsAndMapsAliases) {
  const KeyCase cases[] = {
      {"the Commerce Department", "department of commerce"},
      {"U.S. Department of Commerce", "department of commerce"},
      {"US Department of Commerce", "department of commerce"},
      {"The U.S. Department of Commerce", "department of commerce"},
      {"BIS", "bureau of industry and security"},
      {"China's Ministry of Commerce", "ministry of commerce of china"},
      {"the", "the"},
      {"U.S.", "u s"},
      {"the US", "us"},
      {"Theory Institute", "theory institute"},
      {"SIA", "semiconductor industry association"},
      {"MOFCOM", "ministry of commerce of china"},
      {"The Ministry of Commerce", "ministry of commerce of china"},
      {"U.S. Congress", "congress"},
      {"Usage Council", "usage council"},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::OrgKey(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, PersonKeyDropsOneLeadingTitle) {
  const KeyCase cases[] = {
      {"Mr. Jensen Huang", "jensen huang"},
      {"Sen. Elizabeth Warren", "elizabeth warren"},
      {"Mrs. Dalloway", "dalloway"},
      {"CEO Lisa Su", "lisa su"},
      {"President", "president"},
      {"Dr Dr. Who", "dr who"},
      {"李强", "李强"},
      {"Zoë Ångström", "zoe angstrom"},
      {"Rep. Jane Doe-Smith", "jane doe smith"},
      {"Senator", "senator"},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::PersonKey(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, ActorKeyFoldsGovernmentBodies) {
  const KeyCase cases[] = {
      {"the Biden administration", "us government"},
      {"Commerce Department", "us government"},
      {"U.S.", "us government"},
      {"Beijing", "china government"},
      {"China's Ministry of Commerce", "china government"},
      {"the Chinese embassy", "china government"},
      {"the US Commerce Department", "us government"},
      {"US Commerce Department", "us government"},
      {"Semiconductor Industry Association", "semiconductor industry association"},
      {"SIA", "semiconductor industry association"},
      {"Congress", "congress"},
      {"Nvidia Corp", "nvidia"},
      {"Nvidia CEO Jensen Huang", "nvidia ceo jensen huang"},
      {"the White House", "us government"},
      {"Washington", "us government"},
      {"Chinese Government", "china government"},
      {"the United States", "us government"},
      {"", ""},
      {"Microsoft Corporation", "microsoft"},
      {"the U.S. government", "us government"},
      {"MOFCOM", "china government"},
      {"ITI", "information technology industry council"},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::ActorKey(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, DocKeyIsFileStemPlusLine) {
  const KeyCase cases[] = {
      {"sub/folder/name.txt", "name"},
      {"feed.jsonl#3", "feed#3"},
      {"a/b/feed.jsonl#12#x", "feed#12"},
      {".hidden", ".hidden"},
      {"archive.tar.gz", "archive.tar"},
      {"dir.v2/readme", "readme"},
      {"", ""},
      {"x.json#", "x#"},
      {"..x", "..x"},
      {"a.", "a"},
      {"#5", "#5"},
      {"plain", "plain"},
  };
  for (const KeyCase& c : cases) EXPECT_EQ(eval::DocKey(c.input), c.expected) << c.input;
}

TEST(EvalFoldTest, IsIndustryMeansGoldCompanyOrTradeGroup) {
  struct Case {
    std::vector<const char*> companies;
    const char* actor;
    bool expected;
  };
  const std::vector<const char*> two = {"Nvidia Corp.", "Micron Technology"};
  const Case cases[] = {
      {two, "nvidia", true},
      {two, "micron", true},
      {two, "intel", false},
      {two, "us government", false},
      {two, "semiconductor industry association", true},
      {two, "china chamber of commerce", true},
      {two, "information technology industry council", true},
      {two, "realliance", true},  // score.py searches substrings
      {two, "microsoft", false},
      {two, "alliance of chips", true},
      {{"US Government"}, "us government", false},  // a government even when listed
      {{"China Government Ltd"}, "china government", false},
      {{}, "", false},
  };
  for (const Case& c : cases) {
    std::set<std::string> keys;
    for (const char* name : c.companies) keys.insert(eval::CompanyKey(name));
    EXPECT_EQ(eval::IsIndustry(c.actor, keys), c.expected) << c.actor;
  }
}

// A gold folder and an export of our own that exercise every field: a stale gold file whose
// key a later one takes over, a gold file without "doc", a gold document with no record,
// JSONL "#N" keys, also_ok, pooled gold stances, a predicted stance given twice, a prediction
// without gold, a blank line, a "\r\n" line end and a line led by a no-break space.
struct GoldFile {
  const char* name;
  const char* json;
};
const GoldFile kGold[] = {
    {"a-old.json", R"({"doc": "archive/a.txt", "companies": ["Stale Example Ltd"]})"},
    {"a.json", R"({"doc": "news/a.txt", "published": "2025-01-15", "language": "en",
      "companies": ["Nvidia Corp.", "Advanced Micro Devices, Inc."],
      "organizations": ["the Commerce Department", "SIA"],
      "people": ["Mr. Jensen Huang", "Gina Example"], "countries": ["US", "CN", "NL"],
      "tiers": [{"country": "IN", "tier": 2}, {"country": "CN", "tier": 3}],
      "stances": [
        {"actor": "Nvidia", "policy": "ai-diffusion-rule", "polarity": "oppose",
         "also_ok": ["mixed"], "evidence": "An invented sentence."},
        {"actor": "Nvidia Corporation", "policy": "ai-diffusion-rule", "polarity": "support"},
        {"actor": "the Biden administration", "policy": "ai-diffusion-rule",
         "polarity": "support", "also_ok": []},
        {"actor": "Semiconductor Industry Association", "policy": "ai-diffusion-rule",
         "polarity": "oppose"},
        {"actor": "AMD", "policy": "us-chip-export-controls", "polarity": "oppose"}],
      "duplicate_of": null})"},
    {"b.json", R"({"doc": "feeds/wire.jsonl#2", "published": "2025-04-02", "language": "zh",
      "companies": ["Huawei Technologies Co., Ltd."], "countries": ["CN", "US"],
      "stances": [
        {"actor": "MOFCOM", "policy": "china-countermeasures", "polarity": "support"},
        {"actor": "Huawei", "policy": "us-chip-export-controls", "polarity": "oppose",
         "also_ok": ["mixed"]}],
      "duplicate_of": null})"},
    {"c.json", R"({"published": "2025-03-01", "language": "en", "companies": ["Intel"],
      "people": ["Sen. Pat Example"], "countries": ["US"], "tiers": [{"country": "il", "tier": 2}],
      "stances": [{"actor": "Sen. Pat Example", "policy": "chip-security-act",
                   "polarity": "support"}],
      "duplicate_of": "news/a.txt"})"},
    {"d.json", R"({"doc": "news/d.md", "language": "en", "companies": ["Micron Technology"],
      "organizations": ["Information Technology Industry Council"],
      "stances": [{"actor": "Micron", "policy": "ai-diffusion-rule", "polarity": "oppose"}]})"},
    {"e.json",
     R"({"doc": "feeds/wire.jsonl#3", "language": "de", "countries": [], "stances": []})"},
    {"notes.txt", "not a gold file"},
};
const char kExport[] =
    R"({"doc": "news/a.txt", "companies": ["Oracle"], "stances": []})"
    "\n\n"
    R"({"doc": "feeds/wire.jsonl#2", "published": "2025-04-02", "language": "ZH",)"
    R"( "companies": ["Huawei", "SMIC"], "organizations": [], "people": [], "countries": ["cn"],)"
    R"( "tiers": [], "stances": [{"actor": "China's Ministry of Commerce",)"
    R"( "policy": "china-countermeasures", "polarity": "support"}, {"actor": "Huawei",)"
    R"( "policy": "us-chip-export-controls", "polarity": "mixed"}], "duplicate_of": null})"
    "\n"
    R"({"doc": "news/a.txt", "published": "2025-01-15", "language": "en",)"
    R"( "companies": ["NVIDIA", "AMD", "Reuters"],)"
    R"( "organizations": ["U.S. Department of Commerce"],)"
    R"( "people": ["Jensen Huang"], "countries": ["US", "CN"],)"
    R"( "tiers": [{"country": "IN", "tier": 2}, {"country": "CN", "tier": 1}],)"
    R"( "stances": [{"actor": "NVIDIA", "policy": "ai-diffusion-rule", "polarity": "support"},)"
    R"( {"actor": "Nvidia Corp.", "policy": "ai-diffusion-rule", "polarity": "mixed"},)"
    R"( {"actor": "U.S. Department of Commerce", "policy": "ai-diffusion-rule",)"
    R"( "polarity": "support"},)"
    R"( {"actor": "SIA", "policy": "ai-diffusion-rule", "polarity": "support"},)"
    R"( {"actor": "Microsoft", "policy": "ai-diffusion-rule", "polarity": "oppose"}],)"
    R"( "duplicate_of": null})"
    "\r\n\xc2\xa0 "
    R"({"doc": "c.txt", "published": "2025-03-02", "language": "en",)"
    R"( "companies": ["Intel Corporation"], "people": ["Pat Example"], "countries": ["US", "IL"],)"
    R"( "tiers": [{"country": "IL", "tier": 2}], "stances": [{"actor": "Pat Example",)"
    R"( "policy": "chip-security-act", "polarity": "support"}], "duplicate_of": "news/a.txt"})"
    "\n"
    R"({"doc": "feeds/wire.jsonl#3", "language": "DE", "duplicate_of": "feeds/wire.jsonl#2"})"
    "\n"
    R"({"doc": "extra/unmatched.txt", "companies": ["Nobody Inc"]})"
    "\n";
// What score.py prints for kGold and kExport.
const char kExpectedReport[] =
    "documents: 5 gold, 1 without a record\n"
    "companies      P=0.667 R=0.800 F1=0.727  (tp 4, predicted 6, gold 5)\n"
    "organizations  P=1.000 R=0.333 F1=0.500  (tp 1, predicted 1, gold 3)\n"
    "people         P=1.000 R=0.667 F1=0.800  (tp 2, predicted 2, gold 3)\n"
    "countries      P=0.800 R=0.667 F1=0.727  (tp 4, predicted 5, gold 6)\n"
    "tiers          P=0.667 R=0.667 F1=0.667  (tp 2, predicted 3, gold 3)\n"
    "stances        P=0.571 R=0.500 F1=0.533  (tp 4, predicted 7, gold 8)\n"
    "stances_industry P=0.667 R=0.400 F1=0.500  (tp 2, predicted 3, gold 5)\n"
    "published      P=0.667 R=0.667 F1=0.667  (tp 2, predicted 3, gold 3)\n"
    "language       P=1.000 R=0.800 F1=0.889  (tp 4, predicted 4, gold 5)\n"
    "duplicate_of   P=0.500 R=1.000 F1=0.667  (tp 1, predicted 2, gold 1)\n";

class EvalTest : public ::testing::Test {
 protected:
  void AddGold(const std::string& name, const std::string& json) { fs_.Add("gold/" + name, json); }

  StatusOr<EvalReport> Run(std::string_view export_jsonl) {
    return Evaluate(fs_, "gold", export_jsonl, "export");
  }

  // "tp/predicted/gold" of one field, or the error.
  std::string Counts(std::string_view export_jsonl, std::string_view field) {
    StatusOr<EvalReport> report = Run(export_jsonl);
    if (!report.ok()) return report.status().message();
    for (const FieldScore& f : report->fields) {
      if (f.field == field) {
        return std::to_string(f.tp) + "/" + std::to_string(f.predicted) + "/" +
               std::to_string(f.gold);
      }
    }
    return "no field " + std::string(field);
  }

  FakeFileSystem fs_;
};

TEST_F(EvalTest, ReportMatchesScorePyOnFixture) {
  for (const GoldFile& g : kGold) AddGold(g.name, g.json);
  StatusOr<EvalReport> report = Run(kExport);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(FormatReport(*report), kExpectedReport);
  EXPECT_EQ(report->gold_documents, 5u);
  EXPECT_EQ(report->without_record, 1u);
  ASSERT_EQ(report->fields.size(), 10u);
  EXPECT_DOUBLE_EQ(report->fields[5].precision, 4.0 / 7);  // stances, unrounded
  EXPECT_DOUBLE_EQ(report->fields[5].f1, 2 * (4.0 / 7) * 0.5 / (4.0 / 7 + 0.5));
}

TEST_F(EvalTest, NothingToCountScoresOne) {
  StatusOr<EvalReport> report = Run("");
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_THAT(FormatReport(*report),
              StartsWith("documents: 0 gold, 0 without a record\n"
                         "companies      P=1.000 R=1.000 F1=1.000  (tp 0, predicted 0, gold 0)\n"));
}

TEST_F(EvalTest, PredictionsWithoutGoldScoreZero) {
  AddGold("x.json", R"({"doc": "x.txt"})");
  StatusOr<EvalReport> report = Run(R"({"doc": "x.txt", "companies": ["Acme"]})");
  ASSERT_TRUE(report.ok()) << report.status().message();
  const FieldScore& companies = report->fields[0];
  EXPECT_EQ(companies.field, "companies");
  EXPECT_EQ(companies.precision, 0.0);
  EXPECT_EQ(companies.recall, 0.0);
  EXPECT_EQ(companies.f1, 0.0);
}

TEST_F(EvalTest, GoldWithoutPredictionsScoresZeroRecall) {
  AddGold("x.json", R"({"doc": "x.txt", "people": ["Ann Example"]})");
  StatusOr<EvalReport> report = Run("");
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->without_record, 1u);
  EXPECT_EQ(report->fields[2].field, "people");
  EXPECT_EQ(report->fields[2].precision, 0.0);
  EXPECT_EQ(report->fields[2].recall, 0.0);
}

TEST_F(EvalTest, LaterRecordWithTheSameKeyWins) {
  AddGold("k-1.json", R"({"doc": "k.txt", "companies": ["Acme"]})");
  AddGold("k.json", R"({"doc": "other/k.md", "companies": ["Bolt"]})");
  EXPECT_EQ(Counts(R"({"doc": "k.txt", "companies": ["Bolt"]})"
                   "\n"
                   R"({"doc": "k.txt", "companies": ["Acme"]})",
                   "companies"),
            "0/1/1");
  EXPECT_EQ(Counts(R"({"doc": "k.txt", "companies": ["Acme"]})"
                   "\n"
                   R"({"doc": "k.html", "companies": ["Bolt"]})",
                   "companies"),
            "1/1/1");
}

TEST_F(EvalTest, GoldFileWithoutDocIsKeyedByItsName) {
  AddGold("q.json", R"({"doc": "", "companies": ["Acme"]})");
  EXPECT_EQ(Counts(R"({"doc": "dir/q.html", "companies": ["Acme Inc."]})", "companies"), "1/1/1");
}

TEST_F(EvalTest, GoldStancesPoolPolaritiesAndPredictedLastWins) {
  AddGold("s.json", R"({"doc": "s.txt", "stances": [
      {"actor": "Acme", "policy": "p", "polarity": "oppose"},
      {"actor": "Acme Inc.", "policy": "p", "polarity": "support", "also_ok": ["mixed"]}]})");
  auto predicted = [](const char* first, const char* last) {
    return std::string(R"({"doc": "s.txt", "stances": [{"actor": "ACME", "policy": "p", )") +
           R"("polarity": ")" + first + R"("}, {"actor": "acme corp", "policy": "p", )" +
           R"("polarity": ")" + last + R"("}]})";
  };
  EXPECT_EQ(Counts(predicted("neutral", "oppose"), "stances"), "1/1/1");
  EXPECT_EQ(Counts(predicted("oppose", "mixed"), "stances"), "1/1/1");
  EXPECT_EQ(Counts(predicted("oppose", "neutral"), "stances"), "0/1/1");
}

TEST_F(EvalTest, IndustryStancesFollowTheGoldCompanies) {
  AddGold("i.json", R"({"doc": "i.txt", "companies": ["Acme"], "stances": [
      {"actor": "Acme", "policy": "p", "polarity": "oppose"},
      {"actor": "the White House", "policy": "p", "polarity": "support"},
      {"actor": "Widget Alliance", "policy": "p", "polarity": "oppose"}]})");
  // One line: the export is JSON lines.
  const char* predicted = R"({"doc": "i.txt", "companies": ["Bolt"], "stances": [)"
                          R"({"actor": "Acme", "policy": "p", "polarity": "oppose"},)"
                          R"({"actor": "Bolt", "policy": "p", "polarity": "oppose"},)"
                          R"({"actor": "Washington", "policy": "p", "polarity": "support"}]})";
  EXPECT_EQ(Counts(predicted, "stances"), "2/3/3");
  EXPECT_EQ(Counts(predicted, "stances_industry"), "1/1/2");
}

TEST_F(EvalTest, FalsyValuesReadAsEmptyAndTiersAsPythonInt) {
  AddGold("f.json", R"({"doc": "f.txt", "companies": null, "tiers": [
      {"country": "in", "tier": "2"}, {"country": "fr", "tier": true}], "stances": {},
      "language": false, "published": 0})");
  EXPECT_EQ(Counts(R"({"doc": "f.txt", "tiers": [{"country": "IN", "tier": 2.0},)"
                   R"( {"country": "FR", "tier": 1}], "language": "", "people": []})",
                   "tiers"),
            "2/2/2");
  EXPECT_EQ(Counts(R"({"doc": "f.txt", "published": "2025"})", "published"), "0/1/0");
}

TEST_F(EvalTest, ErrorsNameTheFileOrLine) {
  struct Case {
    const char* gold;  // gold/a.json
    const char* export_jsonl;
    const char* message;  // a prefix where nlohmann's own words follow
  };
  const Case cases[] = {
      {R"({"doc": )", "", "gold/a.json: not JSON (parse error at line 1, column 9: "},
      {"[1, 2]", "", "gold/a.json: expected a JSON object, got array"},
      {R"({"companies": "Acme"})", "", R"(gold/a.json: "companies": expected a list, got string)"},
      {R"({"tiers": [{"country": "IN", "tier": "two"}]})", "",
       R"(gold/a.json: "tier": expected an integer, got string)"},
      {R"({"doc": 7})", "", R"(gold/a.json: "doc": expected a string, got number)"},
      {"{}", "{}\n\n{oops}\n", "export:3: not JSON (parse error at line 1, column 2: "},
      {"{}", "{}\r{}\r{", "export:3: not JSON ("},
      {"{}", R"({"stances": [{"actor": 5}]})",
       R"(export:1: "actor": expected a string, got number)"},
      {"{}", R"({"stances": ["x"]})",
       R"(export:1: "stances": expected a list of objects, got string)"},
      {"{}", R"(["a.txt"])", "export:1: expected a JSON object, got array"},
      {"{}", R"({"language": ["en"]})", R"(export:1: "language": expected a string, got array)"},
  };
  for (const Case& c : cases) {
    FakeFileSystem fs;
    fs.Add("gold/a.json", c.gold);
    StatusOr<EvalReport> report = Evaluate(fs, "gold", c.export_jsonl, "export");
    ASSERT_FALSE(report.ok()) << c.message;
    EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument) << c.message;
    EXPECT_THAT(report.status().message(), StartsWith(c.message));
  }
}

TEST_F(EvalTest, ExportNameAppearsInMessages) {
  StatusOr<EvalReport> report = Evaluate(fs_, "gold", "\n[]", "run.jsonl");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), "run.jsonl:2: expected a JSON object, got array");
}

TEST_F(EvalTest, UnreadableGoldFileIsAnError) {
  fs_.AddUnreadable("gold/a.json");
  StatusOr<EvalReport> report = Run("");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), "gold/a.json: cannot open: Permission denied");
}

TEST(EvalDiskTest, MissingGoldFolderIsAnIoError) {
  StatusOr<EvalReport> report = Evaluate("/nonexistent/stancetrack-eval-gold", "");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kIoError);
  EXPECT_THAT(report.status().message(), StartsWith("/nonexistent/stancetrack-eval-gold: "));
}

// The fixture on disk in a fresh temporary folder, removed afterwards.
class DiskFixture {
 public:
  DiskFixture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "eval_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
  }
  ~DiskFixture() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  bool ok() const { return !dir_.empty(); }
  std::string Write(const std::string& name, std::string_view text) {
    std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// Standard output of a shell command.
std::string Output(const std::string& command) {
  std::string out;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// Reads ../shared/tools/score.py, the reference this port must agree with.
TEST(SharedScorerAgreement, EvalPrintsWhatScorePyPrints) {
  const std::string score_py = STANCETRACK_SOURCE_DIR "/../shared/tools/score.py";
  if (!std::filesystem::exists(score_py)) GTEST_SKIP() << "no " << score_py;
  if (std::system("python3 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  DiskFixture disk;
  ASSERT_TRUE(disk.ok());
  for (const GoldFile& g : kGold) disk.Write(std::string("gold/") + g.name, g.json);
  for (std::string_view export_jsonl : {std::string_view(kExport), std::string_view()}) {
    std::string export_path = disk.Write("export.jsonl", export_jsonl);
    StatusOr<EvalReport> report = Evaluate(disk.dir() + "/gold", export_jsonl);
    ASSERT_TRUE(report.ok()) << report.status().message();
    std::string expected =
        Output("python3 '" + score_py + "' '" + disk.dir() + "/gold' '" + export_path + "'");
    EXPECT_EQ(FormatReport(*report), expected);
  }
}

}  // namespace
}  // namespace stancetrack
