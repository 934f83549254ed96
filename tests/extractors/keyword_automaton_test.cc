#include "extractors/keyword_automaton.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "pipeline/strings.h"

namespace stancetrack {
namespace {

using Occurrence = std::pair<int32_t, size_t>;  // keyword id, end

std::vector<Occurrence> Scanned(const KeywordAutomaton& automaton, std::string_view text) {
  std::vector<Occurrence> found;
  automaton.Scan(text, [&](int32_t id, size_t end) { found.push_back({id, end}); });
  std::sort(found.begin(), found.end());
  return found;
}

// Every occurrence by brute force, with the automaton's ASCII case folding.
std::vector<Occurrence> Naive(const std::vector<std::string>& keywords, std::string_view text) {
  const std::string lowered = AsciiLower(text);
  std::vector<Occurrence> found;
  for (size_t id = 0; id < keywords.size(); ++id) {
    const std::string keyword = AsciiLower(keywords[id]);
    for (size_t at = lowered.find(keyword); at != std::string::npos;
         at = lowered.find(keyword, at + 1)) {
      found.push_back({static_cast<int32_t>(id), at + keyword.size()});
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

KeywordAutomaton Built(const std::vector<std::string>& keywords) {
  KeywordAutomaton automaton;
  for (const std::string& keyword : keywords) automaton.Add(keyword);
  automaton.Build();
  return automaton;
}

TEST(KeywordAutomatonTest, FindsOverlappingAndNestedKeywordsInAnyCase) {
  const std::vector<std::string> keywords = {"he", "she", "his", "hers", "Export", "export curbs"};
  const KeywordAutomaton automaton = Built(keywords);
  const std::string text = "USHERS said she and his EXPORT CURBS";
  EXPECT_EQ(Scanned(automaton, text), Naive(keywords, text));
  EXPECT_EQ(Scanned(automaton, text).size(), 8u);  // she he hers, she he, his, export twice
}

TEST(KeywordAutomatonTest, ReportsAKeywordAddedTwiceUnderBothIds) {
  const KeywordAutomaton automaton = Built({"chip", "chip"});
  EXPECT_EQ(Scanned(automaton, "a chip"), (std::vector<Occurrence>{{0, 6}, {1, 6}}));
}

// A node with more children than fit in its lanes takes a row of its own; both kinds, and
// bytes outside ASCII, must agree with brute force on random keywords and texts.
TEST(KeywordAutomatonTest, AgreesWithBruteForceOnRandomKeywordsOverManyBytes) {
  std::mt19937 random(20261124);
  // Few letters make deep shared prefixes; the UTF-8 bytes of 出口 and É make wide nodes.
  const std::string alphabet = "abAB \xE5\x87\xBA\xE5\x8F\xA3\xC3\x89";
  const std::string wide = "abcdefghijklmnopqrstuvwxyz0123456789";
  auto random_string = [&](const std::string& from, size_t max_length) {
    std::string out(1 + random() % max_length, ' ');
    for (char& c : out) c = from[random() % from.size()];
    return out;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> keywords;
    for (int k = 0; k < 40; ++k) keywords.push_back(random_string(alphabet, 5));
    for (char c : wide) keywords.push_back(std::string("x") + c);  // a node with 36 children
    const KeywordAutomaton automaton = Built(keywords);
    const std::string text = random_string(alphabet + wide + "xX", 300);
    ASSERT_EQ(Scanned(automaton, text), Naive(keywords, text)) << "round " << round;
  }
}

TEST(KeywordAutomatonTest, FindsNothingWithoutKeywords) {
  const KeywordAutomaton automaton = Built({});
  EXPECT_TRUE(Scanned(automaton, "anything").empty());
}

}  // namespace
}  // namespace stancetrack
