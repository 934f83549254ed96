// Tiers: where the text itself places a named country in a tier of the AI Diffusion Rule.
//
// Input: a segmented Document, the TierLexicon, the EntityLexicon (for each country's reference
// tier) and the document's mentions (FindEntities). Output: TierAssertions in text order, one
// per (country, tier) of the document, the first sentence that says it.
//
// A tier cue ("second tier", "Tier 2", "第二层级", "zweite Stufe", ...; tier_cues.tsv) ties
// countries to its tier when
//   - they are named in the same sentence, near the cue, each country going to the nearest cue
//     of its own clause ("Mexico is in Tier 2 while China is in Tier 3"), and cues after an
//     exclusion do not count ("excluded from Tier 1 ... and placed in Tier 2");
//   - the sentence names none but refers back ("Those countries are in the second tier"): the
//     countries of the preceding sentence; or ends in ':' ("Tier 2 includes:"): those of the
//     following sentence.
// "Locked out"/"barred entirely" wording means tier 3 only in a sentence that also speaks of
// tiers. Lists of "trusted countries" or "allies" without tier wording get nothing, and the
// United States is only placed when named right at the cue (it sets the tiers, and "U.S.
// allies" is not the US), and only in tier 1. Nothing is found in a document without tier-system
// wording anywhere (a "Tier 1 supplier" in a car story is not the chip rule), nor in boilerplate
// paragraphs.
//
// Ownership: TierLexicon is immutable after Load and shared by all threads; FindTiers is pure.
// Errors: Load reports "path:line: reason" for a malformed row, an unknown kind, a tier outside
// 1..3 or an invalid pattern.
#ifndef STANCETRACK_EXTRACTORS_TIERS_H_
#define STANCETRACK_EXTRACTORS_TIERS_H_

#include <memory>
#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/cue_matcher.h"
#include "extractors/entities.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

class TierLexicon {
 public:
  // Reads tier_cues.tsv from `dirs` (layered, see tsv.h). Columns: language, kind, pattern,
  // tier. Kinds: tier (the pattern names tier 1-3), false-friend ("second-tier cities": cancels
  // a tier cue it overlaps), lockout (tier 3, only beside tier wording), tier-word ("tier",
  // "层级": the wording that makes a lockout count), exclusion ("excluded from": the next tier
  // cue does not place), back-reference ("those countries"), clause-break ("while", ";"),
  // context (wording that shows the document is about the tier system).
  static StatusOr<TierLexicon> Load(const std::vector<std::string>& dirs);

  TierLexicon(TierLexicon&&) noexcept;
  TierLexicon& operator=(TierLexicon&&) noexcept;
  ~TierLexicon();

  size_t size() const;  // number of cue rows
  // Its cue tables, for a CueScanner.
  std::vector<const CueMatcher*> cue_matchers() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit TierLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `scan`, if given, is a CueScan of `doc` that covers the lexicon's cue table.
std::vector<TierAssertion> FindTiers(const Document& doc, const TierLexicon& tiers,
                                     const EntityLexicon& entities,
                                     const std::vector<Mention>& mentions,
                                     const CueScan* scan = nullptr);

// Whether the text puts the country in another tier than the reference data does (a reference
// of 0 means the lexicon has none, which is no disagreement). Reports flag these: either the
// article is wrong or the reference is out of date.
inline bool DisagreesWithReference(const TierAssertion& tier) {
  return tier.reference_tier != 0 && tier.tier != tier.reference_tier;
}

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_TIERS_H_
