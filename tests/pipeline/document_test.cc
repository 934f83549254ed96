#include "pipeline/document.h"

#include <gtest/gtest.h>

namespace stancetrack {
namespace {

TEST(OffsetMapTest, IdentityWithoutAnchors) {
  OffsetMap map;
  EXPECT_TRUE(map.identity());
  EXPECT_EQ(map.Map(0u), 0u);
  EXPECT_EQ(map.Map(42u), 42u);
}

TEST(OffsetMapTest, ShiftsAfterEachAnchor) {
  // Source "a\xE2\x80\x9Cb" (a, left double quote, b) folded to "a\"b": the 3-byte quote
  // becomes 1 byte, so everything after it is 2 bytes further on in the source.
  OffsetMap map;
  map.Add(1, 1);
  map.Add(2, 4);
  EXPECT_EQ(map.Map(0u), 0u);
  EXPECT_EQ(map.Map(1u), 1u);
  EXPECT_EQ(map.Map(2u), 4u);
  EXPECT_EQ(map.Map(3u), 5u);
  EXPECT_EQ(map.Map(Span{1, 3}), (Span{1, 5}));
}

TEST(OffsetMapTest, LaterAnchorAtSameOffsetWins) {
  OffsetMap map;
  map.Add(5, 7);
  map.Add(5, 9);  // a removed character: the derived offset stays, the source moves on
  EXPECT_EQ(map.Map(5u), 9u);
  EXPECT_EQ(map.Map(6u), 10u);
}

TEST(OffsetMapTest, SpansEndBeforeDroppedCharactersAndStartAfterThem) {
  // Source "ab\u200B\u200Bc" folded to "abc": the two zero-width spaces (3 bytes each) are
  // dropped at derived offset 2.
  OffsetMap map;
  map.AddDropped(2, 2, 5);
  map.AddDropped(2, 5, 8);
  EXPECT_EQ(map.Map(2u), 8u);
  EXPECT_EQ(map.MapEnd(2u), 2u);
  EXPECT_EQ(map.MapEnd(3u), 9u);
  EXPECT_EQ(map.Map(Span{0, 2}), (Span{0, 2}));  // "ab" without the spaces after it
  EXPECT_EQ(map.Map(Span{2, 3}), (Span{8, 9}));  // "c" without the spaces before it
  EXPECT_EQ(map.Map(Span{2, 2}), (Span{8, 8}));  // empty stays empty
}

TEST(OffsetMapTest, DroppedAfterAReplacementKeepsTheReplacementsEnd) {
  // Source "\u201Cx\u200B" (a left quote, x, a zero-width space) folded to "\"x".
  OffsetMap map;
  map.Add(1, 3);
  map.AddDropped(2, 4, 7);
  EXPECT_EQ(map.Map(Span{0, 2}), (Span{0, 4}));
  EXPECT_EQ(map.Map(2u), 7u);
}

TEST(SpanTest, ContainsAndOf) {
  Span outer{2, 10}, inner{3, 5};
  EXPECT_TRUE(outer.Contains(inner));
  EXPECT_FALSE(inner.Contains(outer));
  EXPECT_EQ(inner.Of("0123456789"), "34");
  EXPECT_EQ(inner.size(), 2u);
}

}  // namespace
}  // namespace stancetrack
