// The stance timeline of the bundled corpus/ against its gold: `timeline --policy
// ai-diffusion-rule --format json` must show every actor of the gold, in every month the gold
// has a position for it, with an accepted polarity, and the same change points.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pipeline/eval.h"
#include "tests/e2e/run_binary.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kPolicy = "ai-diffusion-rule";

// One actor under its naming variants ("Ministry of Commerce of China", "China Ministry of
// Commerce"): the folded words without function words, sorted.
std::string ActorName(const std::string& actor) {
  std::istringstream words(eval::Fold(actor));
  std::vector<std::string> kept;
  for (std::string w; words >> w;) {
    if (w != "the" && w != "of" && w != "s") kept.push_back(w);
  }
  std::sort(kept.begin(), kept.end());
  std::string name;
  for (const std::string& w : kept) name += w + " ";
  return name;
}

struct GoldPeriod {
  std::set<std::string> polarities;  // the gold's own, one per stance
  std::set<std::string> accepted;    // polarities every stance of the period accepts
  bool first = true;
};

// actor name -> month -> what the gold says, for kPolicy.
using GoldTimeline = std::map<std::string, std::map<std::string, GoldPeriod>>;

void AddGoldStance(const Json& s, const std::string& month, GoldTimeline* gold) {
  GoldPeriod& p = (*gold)[ActorName(s["actor"])][month];
  std::set<std::string> ok = {s["polarity"].get<std::string>()};
  for (const Json& also : s["also_ok"]) ok.insert(also.get<std::string>());
  p.polarities.insert(s["polarity"].get<std::string>());
  if (p.first) {
    p.accepted = ok;
  } else {
    std::erase_if(p.accepted, [&](const std::string& x) { return !ok.contains(x); });
  }
  p.first = false;
}

GoldTimeline ReadGold(const fs::path& dir) {
  GoldTimeline gold;
  for (const auto& entry : fs::directory_iterator(dir)) {
    Json record = Json::parse(ReadAll(entry.path()));
    for (const Json& s : record["stances"]) {
      if (s["policy"] != kPolicy) continue;
      std::string date = s.value("date", Json()).is_string()
                             ? s["date"].get<std::string>()
                             : record["published"].get<std::string>();
      AddGoldStance(s, date.substr(0, 7), &gold);
    }
  }
  for (auto& [actor, months] : gold) {
    for (auto& [month, p] : months) {
      if (p.polarities.size() > 1) p.accepted.insert("mixed");
      if (p.polarities.size() == 1) p.accepted.insert(*p.polarities.begin());
    }
  }
  return gold;
}

// The gold's change points of one actor: month -> the new position.
std::map<std::string, std::string> GoldChanges(const std::map<std::string, GoldPeriod>& months) {
  std::map<std::string, std::string> changes;
  std::string last;
  for (const auto& [month, p] : months) {
    std::string now = p.polarities.size() > 1 ? "mixed" : *p.polarities.begin();
    if (now != last) changes[month] = now;
    last = now;
  }
  return changes;
}

class TimelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir("timeline");
    fs::path articles = fs::path(STANCETRACK_SOURCE_DIR) / "corpus" / "articles";
    Outcome ingest = RunStancetrack(scratch_->path(), "ingest '" + articles.string() + "'");
    ASSERT_EQ(ingest.exit_status, 0) << ingest.err;
    Outcome timeline =
        RunStancetrack(scratch_->path(), std::string("timeline --format json --policy ") + kPolicy);
    ASSERT_EQ(timeline.exit_status, 0) << timeline.err;
    output_ = new Json(Json::parse(timeline.out));
  }
  static void TearDownTestSuite() {
    delete output_;
    delete scratch_;
  }
  static ScratchDir* scratch_;
  static Json* output_;
};
ScratchDir* TimelineTest::scratch_ = nullptr;
Json* TimelineTest::output_ = nullptr;

TEST_F(TimelineTest, EveryGoldActorHasTheGoldPositionInEveryMonth) {
  ASSERT_NE(output_, nullptr);
  GoldTimeline gold = ReadGold(fs::path(STANCETRACK_SOURCE_DIR) / "corpus" / "gold");
  ASSERT_GE(gold.size(), 8u);  // the corpus README's ai-diffusion-rule actors
  std::map<std::string, std::map<std::string, std::string>> shown;  // actor -> month -> polarity
  std::set<std::string> extra;
  for (const Json& p : (*output_)["periods"]) {
    if (p["polarity"] == "none") continue;
    std::string actor = ActorName(p["actor"]);
    shown[actor][p["period"]] = p["polarity"];
    if (!gold.contains(actor)) extra.insert(p["actor"].get<std::string>());
  }
  for (const auto& [actor, months] : gold) {
    SCOPED_TRACE("actor " + actor);
    EXPECT_TRUE(shown.contains(actor)) << "missing from the timeline";
    for (const auto& [month, p] : months) {
      if (!shown[actor].contains(month)) {
        ADD_FAILURE() << "no position in " << month;
        continue;
      }
      EXPECT_TRUE(p.accepted.contains(shown[actor][month]))
          << month << ": shown " << shown[actor][month];
    }
    for (const auto& [month, polarity] : shown[actor]) {
      EXPECT_TRUE(months.contains(month)) << "a position the gold does not have: " << month;
    }
  }
  for (const std::string& actor : extra) std::printf("actor not in the gold: %s\n", actor.c_str());
}

TEST_F(TimelineTest, ChangePointsOfGoldActorsAreTheGolds) {
  ASSERT_NE(output_, nullptr);
  GoldTimeline gold = ReadGold(fs::path(STANCETRACK_SOURCE_DIR) / "corpus" / "gold");
  std::map<std::string, std::map<std::string, std::string>> shown;  // actor -> month -> new
  for (const Json& c : (*output_)["change_points"]) {
    shown[ActorName(c["actor"])][c["period"]] = c["to"];
    EXPECT_FALSE(c["documents"].empty());
  }
  for (const auto& [actor, months] : gold) {
    SCOPED_TRACE("actor " + actor);
    std::map<std::string, std::string> expected = GoldChanges(months);
    std::vector<std::string> want, got;
    for (const auto& [month, to] : expected) want.push_back(month);
    for (const auto& [month, to] : shown[actor]) got.push_back(month);
    EXPECT_EQ(got, want);
    for (const auto& [month, to] : shown[actor]) {
      if (months.contains(month)) {
        EXPECT_TRUE(months.at(month).accepted.contains(to)) << month;
      }
    }
  }
}

TEST_F(TimelineTest, EveryPeriodWithAPositionCarriesItsEvidence) {
  ASSERT_NE(output_, nullptr);
  ASSERT_FALSE((*output_)["periods"].empty());
  for (const Json& p : (*output_)["periods"]) {
    SCOPED_TRACE(p.dump());
    EXPECT_EQ(p["policy"], kPolicy);
    EXPECT_GE(p["stories"].get<int>(), 1);
    if (p["polarity"] == "none") {
      EXPECT_TRUE(p["evidence"].is_null());
      continue;
    }
    EXPECT_FALSE(p["evidence"]["evidence"].get<std::string>().empty());
    EXPECT_EQ(p["evidence"]["date"].get<std::string>().substr(0, 7), p["period"]);
  }
}

}  // namespace
}  // namespace stancetrack::testing
