#include "pipeline/timeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/pipeline/stored_document_builder.h"

namespace stancetrack {
namespace {

using testing::AddMention;
using testing::AddStance;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeStoredDocument;

constexpr char kRule[] = "tier-rule";

// One sentence by Acme about kRule, published on `date` (empty: no date).
StoredDocument Story(const std::string& path, const std::string& date, const std::string& text) {
  StoredDocument stored = MakeStoredDocument(path, {{BlockKind::kBody, {text}, ""}});
  stored.doc.meta.published = date;
  return stored;
}

StoredDocument AcmeSays(const std::string& path, const std::string& date, Polarity polarity,
                        float confidence = 0.75f) {
  StoredDocument s = Story(path, date, "Acme spoke about the tier rule in " + path + ".");
  AddStance(s, "Acme", "", kRule, polarity, "Acme spoke");
  s.annotations.stances.back().confidence = confidence;
  return s;
}

// A story that names Acme and the rule, with no position.
StoredDocument AcmeNamed(const std::string& path, const std::string& date) {
  StoredDocument s = Story(path, date, "Acme was named next to the tier rule in " + path + ".");
  AddMention(s, EntityType::kCompany, "Acme", "Acme");
  AddMention(s, EntityType::kPolicy, kRule, "tier rule");
  return s;
}

class TimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    StatusOr<int64_t> run = store_->BeginRun("test");
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }
  void Write(const std::vector<StoredDocument>& batch) {
    Status status = store_->Write(run_, batch);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  Timeline Build(const TimelineOptions& options = {}) {
    StatusOr<Timeline> t = BuildTimeline(*store_, options);
    EXPECT_TRUE(t.ok()) << t.status().message();
    return t.ok() ? *t : Timeline();
  }
  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

std::vector<std::string> Polarities(const Timeline& t) {
  std::vector<std::string> out;
  for (const TimelinePeriod& p : t.periods) out.push_back(p.period + " " + p.polarity);
  return out;
}

std::vector<std::string> Changes(const Timeline& t) {
  std::vector<std::string> out;
  for (const ChangePoint& c : t.changes) out.push_back(c.period + " " + c.from + ">" + c.to);
  return out;
}

TEST_F(TimelineTest, BothPolaritiesInOneMonthAreMixed) {
  Write({AcmeSays("a.txt", "2025-01-05", Polarity::kSupport),
         AcmeSays("b.txt", "2025-01-20", Polarity::kOppose),
         AcmeSays("c.txt", "2025-02-02", Polarity::kOppose)});
  Timeline t = Build();
  EXPECT_THAT(Polarities(t), ElementsAre("2025-01 mixed", "2025-02 oppose"));
  EXPECT_THAT(Changes(t), ElementsAre("2025-01 >mixed", "2025-02 mixed>oppose"));
  EXPECT_EQ(t.points.size(), 2u);  // the strongest of each period
}

// A table shows the strongest point of each period; a chart shows every point, each with the
// sentence, title and document that trace it.
TEST_F(TimelineTest, EveryPointWhenAskedEachWithItsEvidence) {
  std::vector<StoredDocument> stories = {AcmeSays("a.txt", "2025-01-05", Polarity::kSupport, 0.6f),
                                         AcmeSays("b.txt", "2025-01-20", Polarity::kSupport, 0.9f),
                                         AcmeSays("c.txt", "2025-02-02", Polarity::kOppose)};
  for (StoredDocument& s : stories) s.doc.meta.title = "Acme on " + s.doc.id;
  Write(stories);
  TimelineOptions every;
  every.every_point = true;
  for (const auto& [options, expected] :
       {std::pair{TimelineOptions{}, std::vector<std::string>{"b.txt", "c.txt"}},
        std::pair{every, std::vector<std::string>{"a.txt", "b.txt", "c.txt"}}}) {
    const Timeline t = Build(options);
    std::vector<std::string> documents;
    for (const StancePoint& p : t.points) {
      documents.push_back(p.document);
      EXPECT_THAT(p.evidence, HasSubstr("in " + p.document));
      EXPECT_EQ(p.story, p.document);
      EXPECT_EQ(p.title, "Acme on " + p.document);
    }
    EXPECT_EQ(documents, expected);
    ASSERT_EQ(t.periods.size(), 2u);
    EXPECT_EQ(t.points[*t.periods[0].strongest].document, "b.txt");
    EXPECT_EQ(t.points[*t.periods[1].strongest].document, "c.txt");
  }
}

TEST_F(TimelineTest, NearDuplicatesCountAsOneStory) {
  Write({AcmeSays("a.txt", "2025-03-01", Polarity::kOppose),
         AcmeSays("copy.txt", "2025-03-02", Polarity::kOppose),
         AcmeSays("other.txt", "2025-03-03", Polarity::kOppose)});
  ASSERT_TRUE(store_->SetDuplicates({{"copy.txt", "a.txt"}}).ok());
  Timeline t = Build();
  ASSERT_EQ(t.periods.size(), 1u);
  EXPECT_EQ(t.periods[0].stories, 2);
}

TEST_F(TimelineTest, TheStrongestEvidenceHasTheHighestConfidence) {
  Write({AcmeSays("a.txt", "2025-03-01", Polarity::kOppose, 0.6f),
         AcmeSays("b.txt", "2025-03-09", Polarity::kOppose, 0.9f),
         AcmeSays("c.txt", "2025-03-20", Polarity::kOppose, 0.9f)});
  Timeline t = Build();
  ASSERT_EQ(t.periods.size(), 1u);
  ASSERT_TRUE(t.periods[0].strongest.has_value());
  const StancePoint& p = t.points[*t.periods[0].strongest];
  EXPECT_EQ(p.document, "b.txt");  // the earlier of the two at 0.9
  EXPECT_THAT(p.evidence, HasSubstr("in b.txt"));
}

TEST_F(TimelineTest, SilenceIsANonePeriodAndNotAChange) {
  Write({AcmeSays("a.txt", "2025-01-05", Polarity::kOppose), AcmeNamed("b.txt", "2025-02-05"),
         AcmeSays("c.txt", "2025-03-05", Polarity::kOppose), AcmeNamed("d.txt", "2025-03-06"),
         AcmeSays("e.txt", "2025-04-05", Polarity::kSupport)});
  Timeline t = Build();
  EXPECT_THAT(Polarities(t),
              ElementsAre("2025-01 oppose", "2025-02 none", "2025-03 oppose", "2025-04 support"));
  EXPECT_THAT(Changes(t), ElementsAre("2025-01 >oppose", "2025-04 oppose>support"));
  EXPECT_FALSE(t.periods[1].strongest.has_value());
  EXPECT_EQ(t.periods[1].stories, 1);
}

// Actors and their entities reach SQL as JSON lists: a name with quotes and Han characters must
// still find the stories that name it.
TEST_F(TimelineTest, SilenceIsFoundForAnyActorName) {
  const std::string name = "Acme \"Chips\" 北京";
  StoredDocument says = Story("a.txt", "2025-01-05", "Acme spoke about the tier rule.");
  AddStance(says, name, "", kRule, Polarity::kOppose, "Acme spoke");
  StoredDocument named = Story("b.txt", "2025-02-05", "Acme was named next to the tier rule.");
  AddMention(named, EntityType::kCompany, name, "Acme");
  AddMention(named, EntityType::kPolicy, kRule, "tier rule");
  Write({says, named});
  Timeline t = Build();
  EXPECT_THAT(Polarities(t), ElementsAre("2025-01 oppose", "2025-02 none"));
  EXPECT_EQ(t.periods[1].actor, name);
}

TEST_F(TimelineTest, ActorsWithoutAPositionGetNoNonePeriods) {
  Write({AcmeNamed("b.txt", "2025-02-05")});
  EXPECT_TRUE(Build().periods.empty());
}

TEST_F(TimelineTest, UndatedStancesAreListedApart) {
  StoredDocument undated = AcmeSays("undated.txt", "", Polarity::kSupport);
  Write({undated, AcmeSays("a.txt", "2025-01-05", Polarity::kOppose)});
  Timeline t = Build();
  ASSERT_EQ(t.undated.size(), 1u);
  EXPECT_EQ(t.undated[0].document, "undated.txt");
  EXPECT_TRUE(t.undated[0].date.empty());
  EXPECT_THAT(Polarities(t), ElementsAre("2025-01 oppose"));
  ASSERT_EQ(t.undated_periods.size(), 1u);
  EXPECT_EQ(t.undated_periods[0].period, "undated");
  EXPECT_EQ(t.undated_periods[0].polarity, "support");
  EXPECT_EQ(t.undated_periods[0].strongest, std::optional<size_t>(0));
  EXPECT_EQ(t.periods[0].stances, 1);
}

// A table shows the strongest undated stance of each actor and how many there are, as it does
// for a period; a chart counts every one.
TEST_F(TimelineTest, UndatedStancesOfOneActorAreOnePeriod) {
  Write({AcmeSays("u1.txt", "", Polarity::kSupport, 0.5f),
         AcmeSays("u2.txt", "", Polarity::kOppose, 0.9f),
         AcmeSays("u3.txt", "", Polarity::kSupport, 0.6f)});
  const Timeline t = Build();
  ASSERT_EQ(t.undated_periods.size(), 1u);
  const TimelinePeriod& p = t.undated_periods[0];
  EXPECT_EQ(p.actor, "Acme");
  EXPECT_EQ(p.polarity, "mixed");
  EXPECT_EQ(p.stances, 3);
  EXPECT_EQ(p.stories, 3);
  ASSERT_EQ(t.undated.size(), 1u);
  EXPECT_EQ(t.undated[0].document, "u2.txt");
  EXPECT_THAT(t.undated[0].evidence, HasSubstr("u2.txt"));
  EXPECT_TRUE(t.changes.empty());  // an undated position is not a move in time

  TimelineOptions every;
  every.every_point = true;
  const Timeline all = Build(every);
  ASSERT_EQ(all.undated.size(), 3u);
  EXPECT_EQ(all.undated[0].document, "u1.txt");
  EXPECT_EQ(all.undated[all.undated_periods[0].strongest.value()].document, "u2.txt");
}

TEST_F(TimelineTest, TheStanceDateWinsOverThePublicationDate) {
  StoredDocument s = AcmeSays("late.txt", "2025-06-01", Polarity::kOppose);
  s.annotations.stances[0].date = "2025-04-15";
  Write({s});
  EXPECT_THAT(Polarities(Build()), ElementsAre("2025-04 oppose"));
}

TEST_F(TimelineTest, BoundsKeepPeriodsThatOverlapThem) {
  StoredDocument month_only = AcmeSays("m.txt", "2025-05", Polarity::kSupport);
  Write({AcmeSays("a.txt", "2025-04-30", Polarity::kOppose), month_only,
         AcmeSays("b.txt", "2025-06-01", Polarity::kOppose)});
  TimelineOptions options;
  options.from = "2025-05-10";
  options.to = "2025-05-31";
  EXPECT_THAT(Polarities(Build(options)), ElementsAre("2025-05 support"));
}

TEST_F(TimelineTest, ByWeekUsesIsoWeeks) {
  Write({AcmeSays("a.txt", "2024-12-30", Polarity::kOppose),
         AcmeSays("b.txt", "2025-01-06", Polarity::kSupport)});
  TimelineOptions options;
  options.by = "week";
  EXPECT_THAT(Polarities(Build(options)), ElementsAre("2025-W01 oppose", "2025-W02 support"));
}

TEST_F(TimelineTest, BadOptionsAreRefusedWithTheReason) {
  TimelineOptions by;
  by.by = "year";
  StatusOr<Timeline> t = BuildTimeline(*store_, by);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "--by must be month, week or day, not 'year'");
  TimelineOptions from;
  from.from = "May 2025";
  t = BuildTimeline(*store_, from);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "'May 2025' is not a date (YYYY-MM-DD or YYYY-MM)");
}

struct PeriodCase {
  const char* date;
  const char* by;
  const char* period;
};

TEST(PeriodOfTest, NamesThePeriodOfADate) {
  const PeriodCase cases[] = {
      {"2025-01-13", "month", "2025-01"},   {"2025-01-13", "day", "2025-01-13"},
      {"2025-01-13", "week", "2025-W03"},   {"2024-12-30", "week", "2025-W01"},
      {"2021-01-03", "week", "2020-W53"},   {"2026-12-31", "week", "2026-W53"},
      {"2025-07", "week", "2025-07"},       {"2025-07", "day", "2025-07"},
      {"2025-02-30", "week", "2025-02-30"},  // not a date: kept as written
  };
  for (const PeriodCase& c : cases) {
    EXPECT_EQ(PeriodOf(c.date, c.by), c.period) << c.date << " by " << c.by;
  }
}

}  // namespace
}  // namespace stancetrack
