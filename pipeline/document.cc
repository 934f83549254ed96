#include "pipeline/document.h"

#include <algorithm>

namespace stancetrack {

void OffsetMap::Add(uint32_t to, uint32_t from) {
  if (!anchors_.empty() && anchors_.back().to == to) {
    anchors_.back().from = from;
    return;
  }
  anchors_.push_back({to, from});
}

uint32_t OffsetMap::Map(uint32_t to) const {
  // The last anchor at or before `to`; before the first anchor the strings agree.
  auto after = std::upper_bound(anchors_.begin(), anchors_.end(), to,
                                [](uint32_t value, const Anchor& a) { return value < a.to; });
  if (after == anchors_.begin()) return to;
  const Anchor& a = *(after - 1);
  return a.from + (to - a.to);
}

}  // namespace stancetrack
