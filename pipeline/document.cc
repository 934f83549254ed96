#include "pipeline/document.h"

#include <algorithm>

namespace stancetrack {

void OffsetMap::Add(uint32_t to, uint32_t from) {
  if (!anchors_.empty() && anchors_.back().to == to) {
    anchors_.back().from = from;
    return;
  }
  anchors_.push_back({to, from, from});
}

// Two anchors at `to`: an end maps to the first (`from`), a beginning to the second.
void OffsetMap::AddDropped(uint32_t to, uint32_t from, uint32_t from_end) {
  Add(to, from);
  Add(to, from_end);
}

const OffsetMap::Anchor* OffsetMap::AnchorAtOrBefore(uint32_t to) const {
  auto after = std::upper_bound(anchors_.begin(), anchors_.end(), to,
                                [](uint32_t value, const Anchor& a) { return value < a.to; });
  return after == anchors_.begin() ? nullptr : &*(after - 1);
}

uint32_t OffsetMap::Map(uint32_t to) const {
  const Anchor* a = AnchorAtOrBefore(to);
  return a == nullptr ? to : a->from + (to - a->to);
}

uint32_t OffsetMap::MapEnd(uint32_t to) const {
  const Anchor* a = AnchorAtOrBefore(to);
  if (a == nullptr) return to;
  return a->to == to ? a->end_from : a->from + (to - a->to);
}

Span OffsetMap::Map(Span span) const {
  const uint32_t begin = Map(span.begin);
  return {begin, span.empty() ? begin : std::max(begin, MapEnd(span.end))};
}

}  // namespace stancetrack
