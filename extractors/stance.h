// Stances: who the text shows supporting or opposing which policy.
//
// Input: a segmented Document, the StanceLexicon, the EntityLexicon, and the annotations found so
// far (mentions, quotes, tiers, dates, published). Output of FindStances: one Stance per piece
// of evidence (at most one per sentence, actor, policy and polarity), in text order;
// AggregateStances then folds them into one per (actor, policy, period). The driver calls both.
//
// A cue (stance_cues.tsv) counts only when it is bound to an actor:
//   - opinion cues ("criticised", "welcomed", "is opposed to", 反对, 支持) to their subject, the
//     nearest actor before them that is not the object of a preposition ("to China"), not inside
//     an apposition or relative clause of the name before ("Doe, chairman of the X Committee,
//     said": Doe) and not a qualifier of a policy noun ("the US measures", 美方此举); after "and"
//     to the clause's first subject; in the passive to the agent ("criticised by Nvidia",
//     遭到中方反对), else to nobody;
//   - requests ("urged ... to", "is pushing ... to", 呼吁) to their subject, with the polarity
//     of the action asked for: "urged BIS to rethink the rule" is opposition by the urger, and
//     the action is not an event of BIS;
//   - judgements ("overreach", "a failure", "过度") only inside a quote with a known speaker or
//     beside a reporting verb whose subject is an actor ("He described the rule as a failure");
//   - government actions ("rescinded", "banned", "approved exports", 禁售, 批准出口) to a
//     government subject (actors.tsv phrases, government organizations, lawmakers) after any
//     reporting verb that introduces them ("Warren said the decision to allow sales": not
//     Warren's act), the agent of a passive ("announced by the Biden administration"), else the
//     government whose policy it is ("the H20 could no longer be sold": the US Government),
//     unless a company reports it; an action after "should" is wanted by whoever says so;
//   - authorship: a government body, administration or lawmaker named as the maker of a rule
//     ("the Biden administration's framework", "Senator Doe's bill") holds it; a country's name
//     as such ("Washington's curbs") only says whose rule it is.
// An opinion about an action composes with it: welcoming a rescission is opposition, criticising
// a decision to allow sales is support. An opinion about "the decision" or "the move" composes
// with the latest action in time the text reported as done (one it tells as earlier, "had
// introduced the rule", yields to the news); a reversal ("urged it to reconsider") of an
// action that loosened a restriction tightens it. Executives speak for their company (actor =
// company, speaker = the person); lawmakers are actors in person, even quoted for a chamber;
// pronouns and "the company" refer to the latest fitting mention within a few sentences ("the
// ministry" to a ministry, further back), a pronoun right after a reporting verb to its
// subject. Negation cancels opinions and reverses actions ("would not enforce"); hedges lower
// the confidence; questions, actions only named ("time to scrap", "the proposal to restrict")
// and sentences in boilerplate yield nothing, and so does a journalist's framing ("Critics
// say"), which names no actor. A document whose content names no policy, no product or list
// implying one, and nothing of the field ("chips", "export controls", 半导体: domain cues)
// yields nothing: its bans are another story's (Libya's embargo).
//
// Policies: a policy mention in the sentence, else a product or list that implies one (H20,
// the Entity List), else a generic reference ("the rule", "these curbs", 规则) resolved to the
// policy a topic phrase names ("in response to the H20 ban", 针对H20禁令), the policy named in
// the last two sentences or the document's dominant policy (mentions weighted by specificity
// and by whether the publication date falls in the policy's period; policy_context.tsv; a
// policy named as the object of a government's own act counts as that government's own: "the
// Dutch government widened its export controls on chipmaking equipment"). A generic reference a
// country qualifies ("the Dutch decision", "American restrictions") means that country's policy. A
// reference to a rule outside the tables ("tariffs") yields nothing. Opinions need a reference in
// their sentence; actions imply one. A government imposing restrictions of its own (China, the
// Netherlands) holds its own country's policy. Stance.date is the first date the sentence names,
// else the publication date.
//
// Ownership: StanceLexicon is immutable after Load and shared by all threads; FindStances and
// AggregateStances are pure functions. Errors: Load reports "path:line: reason".
#ifndef STANCETRACK_EXTRACTORS_STANCE_H_
#define STANCETRACK_EXTRACTORS_STANCE_H_

#include <memory>
#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/cue_matcher.h"
#include "extractors/entities.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

class StanceLexicon {
 public:
  // Reads from `dirs` (layered, see tsv.h):
  //   stance_cues.tsv     language, kind, pattern, polarity, weight, policy
  //   actors.tsv          language, pattern, from, to, actor, speaker, country
  //   policy_context.tsv  policy, country, government, from, to, weight, scope
  // Patterns are RE2, matched case-insensitively over the folded text (cue_matcher.h).
  static StatusOr<StanceLexicon> Load(const std::vector<std::string>& dirs);

  StanceLexicon(StanceLexicon&&) noexcept;
  StanceLexicon& operator=(StanceLexicon&&) noexcept;
  ~StanceLexicon();

  size_t size() const;  // number of cue rows
  // Its cue tables, for a CueScanner.
  std::vector<const CueMatcher*> cue_matchers() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit StanceLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `scan`, if given, is a CueScan of `doc` that covers the lexicon's two cue tables.
std::vector<Stance> FindStances(const Document& doc, const StanceLexicon& stance,
                                const EntityLexicon& entities, const Annotations& so_far,
                                const CueScan* scan = nullptr);

// One stance per (actor, policy, period): same-polarity evidence merges (the strongest is kept,
// with the first speaker named); support and oppose in the same month become `mixed`; a
// position that changes from one month to another (a ban in April, a permission in July) stays
// one stance per run of months. Stances without a date share one period. A government
// (Stance::country) that takes each position in the same period but in sentences of their own
// changed its position (a ban, then a permission, told without months): one stance per
// polarity, not `mixed`; a sentence holding both ("restricts sales while authorizing some")
// keeps the period `mixed`. Output is sorted by actor, policy, date.
std::vector<Stance> AggregateStances(const std::vector<Stance>& stances);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_STANCE_H_
