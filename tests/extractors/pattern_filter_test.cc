#include "extractors/pattern_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace stancetrack {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// Keyword ids: 0 must be a whole word, 1 must start one, 2 may be anywhere.
PatternFilter InThreeWays() {
  PatternFilter filter;
  filter.AddKeyword("in", WordEdges::kBoth);
  filter.AddKeyword("in", WordEdges::kLeading);
  filter.AddKeyword("in", WordEdges::kNone);
  filter.Compile();
  return filter;
}

// (keyword id, end) of every occurrence Candidates reports in `text`.
std::vector<std::pair<int32_t, size_t>> Keywords(const PatternFilter& filter,
                                                 std::string_view text) {
  std::vector<int> scratch;
  std::vector<PatternFilter::KeywordHit> hits;
  bool aligned = false;
  filter.Candidates(text, &scratch, &hits, &aligned);
  EXPECT_TRUE(aligned);
  std::vector<std::pair<int32_t, size_t>> out;
  for (const PatternFilter::KeywordHit& hit : hits) out.emplace_back(hit.keyword, hit.end);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PatternFilterTest, AKeywordInsideAnAsciiWordIsReportedOnlyWhereItNeedsNoEdge) {
  const PatternFilter filter = InThreeWays();
  EXPECT_THAT(Keywords(filter, "in"), ElementsAre(Pair(0, 2), Pair(1, 2), Pair(2, 2)));
  EXPECT_THAT(Keywords(filter, "IN."), ElementsAre(Pair(0, 2), Pair(1, 2), Pair(2, 2)));
  EXPECT_THAT(Keywords(filter, "win"), ElementsAre(Pair(2, 3)));
  EXPECT_THAT(Keywords(filter, "inn"), ElementsAre(Pair(1, 2), Pair(2, 2)));
  EXPECT_THAT(Keywords(filter, "_in 2in in9"),
              ElementsAre(Pair(1, 10), Pair(2, 3), Pair(2, 7), Pair(2, 10)));
  EXPECT_THAT(Keywords(filter, "tin"), ElementsAre(Pair(2, 3)));
  EXPECT_THAT(Keywords(filter, "out"), IsEmpty());
}

// Outside ASCII the filter cannot tell a letter from a mark cheaply: the caller decides.
TEST(PatternFilterTest, ACharacterOutsideAsciiBesideAKeywordLeavesItReported) {
  const PatternFilter filter = InThreeWays();
  EXPECT_THAT(Keywords(filter, "\u00e9in\u00e9"),  // éiné
              ElementsAre(Pair(0, 4), Pair(1, 4), Pair(2, 4)));
  EXPECT_THAT(Keywords(filter, "\u201cin\u201d"),  // “in”
              ElementsAre(Pair(0, 5), Pair(1, 5), Pair(2, 5)));
}

// A group scans once for several filters and reports, for each, what its own scan reports.
TEST(PatternFilterTest, AGroupAppliesEachFiltersOwnEdges) {
  PatternFilter whole, anywhere;
  whole.AddKeyword("in", WordEdges::kBoth);
  anywhere.AddKeyword("in", WordEdges::kNone);
  whole.Compile();
  anywhere.Compile();
  const FilterGroup group({&whole, &anywhere});
  std::vector<FilterGroup::Hit> hits;
  EXPECT_TRUE(group.Scan("win in", &hits));
  std::vector<std::pair<uint32_t, size_t>> found;
  for (const FilterGroup::Hit& hit : hits) found.emplace_back(hit.filter, hit.hit.end);
  std::sort(found.begin(), found.end());
  EXPECT_THAT(found, ElementsAre(Pair(0, 6), Pair(1, 3), Pair(1, 6)));
}

}  // namespace
}  // namespace stancetrack
