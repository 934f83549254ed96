// KeywordAutomaton: finds every occurrence of many keywords in a text in one pass
// (Aho-Corasick over bytes), for the entity aliases and the cue tables' atoms.
//
// Input: keywords (UTF-8 bytes), added one at a time; each gets the next id, from 0, and a
// keyword may be added twice (both ids are reported). Bytes are compared after ASCII
// lower-casing on both sides; other bytes must be equal.
// Output: Scan reports (id, end) for every occurrence, end exclusive, in order of end.
// Cost: a scan is linear in the text plus the occurrences; memory is linear in the keywords'
// bytes. Ownership and threads: Add and Build before any Scan; after Build the automaton is
// immutable and Scan may run on many threads at once. No errors.
#ifndef STANCETRACK_EXTRACTORS_KEYWORD_AUTOMATON_H_
#define STANCETRACK_EXTRACTORS_KEYWORD_AUTOMATON_H_

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/strings.h"

namespace stancetrack {

class KeywordAutomaton {
 public:
  KeywordAutomaton();

  void Add(std::string_view keyword);
  // Computes the failure and output links; call once, after the last Add.
  void Build();
  size_t size() const { return next_output_.size(); }

  // Calls on_match(id, end) for every keyword occurrence in `text`.
  template <typename OnMatch>
  void Scan(std::string_view text, OnMatch&& on_match) const {
    uint32_t state = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      state = Step(state, static_cast<uint8_t>(AsciiLower(text[i])));
      int32_t node = nodes_[state].output >= 0 ? static_cast<int32_t>(state) : nodes_[state].dict;
      for (; node >= 0; node = nodes_[node].dict) {
        for (int32_t id = nodes_[node].output; id >= 0; id = next_output_[id]) on_match(id, i + 1);
      }
    }
  }

 private:
  using Edges = std::vector<std::pair<uint8_t, uint32_t>>;
  // A node with at most kLanes children keeps their bytes in the lanes of one word and their
  // targets in edge_targets_ from first_edge; one with more has a row of 256 targets in dense_
  // from first_edge (0: no child, as the root is nobody's child).
  static constexpr size_t kLanes = 8;
  struct Node {
    uint64_t lanes = 0;      // child bytes, the first in the lowest byte
    uint64_t lane_mask = 0;  // the high bit of each lane in use
    uint32_t first_edge = 0;
    bool dense = false;
    uint32_t fail = 0;
    int32_t output = -1;  // last keyword id ending here; earlier ones via next_output_
    int32_t dict = -1;    // nearest node on the failure chain that has an output
  };

  static int32_t Find(const Edges& edges, uint8_t byte);
  uint32_t Child(uint32_t node, uint8_t byte);
  void Flatten();
  // Inline: it runs once per byte of every scanned text.
  uint32_t Step(uint32_t state, uint8_t byte) const;

  std::vector<Node> nodes_;
  std::vector<uint32_t> edge_targets_;
  std::vector<uint32_t> dense_;
  std::vector<int32_t> next_output_;
  std::array<uint32_t, 256> root_;
  std::vector<Edges> pending_;  // edges while building
};

// A node is looked up without a search or a call: a row for the few nodes with many children,
// else a word-at-a-time test of which lane holds the byte.
inline uint32_t KeywordAutomaton::Step(uint32_t state, uint8_t byte) const {
  constexpr uint64_t kOnes = 0x0101010101010101;
  while (state != 0) {
    const Node& n = nodes_[state];
    if (n.dense) {
      if (const uint32_t child = dense_[n.first_edge + byte]; child != 0) return child;
    } else {
      // Lanes equal to `byte` become zero; the lowest zero lane gets its high bit set (a lane
      // above a zero one may too, by the borrow, which the lowest never sees).
      const uint64_t x = n.lanes ^ (kOnes * byte);
      const uint64_t zero = (x - kOnes) & ~x & n.lane_mask;
      if (zero != 0) return edge_targets_[n.first_edge + (std::countr_zero(zero) >> 3)];
    }
    state = n.fail;
  }
  return root_[byte];
}

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_KEYWORD_AUTOMATON_H_
