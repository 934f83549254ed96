#include "extractors/keyword_automaton.h"

namespace stancetrack {

KeywordAutomaton::KeywordAutomaton() : nodes_(1), pending_(1) { root_.fill(0); }

void KeywordAutomaton::Add(std::string_view keyword) {
  uint32_t node = 0;
  for (char c : keyword) node = Child(node, static_cast<uint8_t>(AsciiLower(c)));
  uint32_t id = static_cast<uint32_t>(next_output_.size());
  next_output_.push_back(nodes_[node].output);
  nodes_[node].output = static_cast<int32_t>(id);
}

// Breadth-first, so that a node's failure target is final before its children need it.
void KeywordAutomaton::Build() {
  std::vector<uint32_t> queue;
  for (const auto& [byte, child] : pending_[0]) queue.push_back(child);
  for (size_t head = 0; head < queue.size(); ++head) {
    uint32_t node = queue[head];
    for (const auto& [byte, child] : pending_[node]) {
      uint32_t fail = nodes_[node].fail;
      while (fail != 0 && Find(pending_[fail], byte) < 0) fail = nodes_[fail].fail;
      int32_t next = Find(pending_[fail], byte);
      nodes_[child].fail = next >= 0 ? static_cast<uint32_t>(next) : 0;
      const Node& f = nodes_[nodes_[child].fail];
      nodes_[child].dict = f.output >= 0 ? static_cast<int32_t>(nodes_[child].fail) : f.dict;
      queue.push_back(child);
    }
  }
  Flatten();
}

int32_t KeywordAutomaton::Find(const Edges& edges, uint8_t byte) {
  for (const auto& [b, child] : edges) {
    if (b == byte) return static_cast<int32_t>(child);
  }
  return -1;
}

uint32_t KeywordAutomaton::Child(uint32_t node, uint8_t byte) {
  int32_t child = Find(pending_[node], byte);
  if (child >= 0) return static_cast<uint32_t>(child);
  nodes_.emplace_back();
  pending_.emplace_back();
  pending_[node].emplace_back(byte, static_cast<uint32_t>(nodes_.size() - 1));
  return static_cast<uint32_t>(nodes_.size() - 1);
}

// Moves the build-time edge lists into lanes and edge_targets_, or rows of dense_; the root
// gets a direct table.
void KeywordAutomaton::Flatten() {
  for (size_t n = 0; n < nodes_.size(); ++n) {
    Node& node = nodes_[n];
    const Edges& edges = pending_[n];
    node.dense = edges.size() > kLanes;
    if (node.dense) {
      node.first_edge = static_cast<uint32_t>(dense_.size());
      dense_.resize(dense_.size() + 256, 0);
      for (const auto& [byte, child] : edges) dense_[node.first_edge + byte] = child;
      continue;
    }
    node.first_edge = static_cast<uint32_t>(edge_targets_.size());
    for (size_t lane = 0; lane < edges.size(); ++lane) {
      node.lanes |= uint64_t{edges[lane].first} << (8 * lane);
      node.lane_mask |= uint64_t{0x80} << (8 * lane);
      edge_targets_.push_back(edges[lane].second);
    }
  }
  for (const auto& [byte, child] : pending_[0]) root_[byte] = child;
  pending_.clear();
  pending_.shrink_to_fit();
}

}  // namespace stancetrack
