// The tables behind StanceLexicon (stance.h), as FindStances reads them. Internal to the stance
// extractor: callers use stance.h.
//
// stance_cues.tsv   language, kind, pattern, polarity, weight, policy
//   Polar kinds (polarity support|oppose, weight in (0,1] = how strongly the cue shows it):
//     criticize, support   opinions, bound to their subject
//     request              "urged ... to": wants the action that follows (polarity support)
//     request-after        the same where the action comes first (Korean 제한하라고 촉구)
//     impose, lift         government actions: imposing/keeping vs. rescinding/allowing
//     reverse              undoing the decision that stands ("reconsider", "reverse",
//                          "rescind"): oppose where it stands as a restriction, support where
//                          the last action the text reports on the policy loosened it ("urged
//                          the administration to reconsider" after sales were allowed)
//     evaluate             judgements ("overreach"), bound through a quote or reporting verb
//     harm                 judgements by effect ("harms", "erodes"), bound the same way:
//                          oppose when the policy does the harm, support when it suffers it
//                          ("smuggling is eroding the export controls")
//   Other kinds (polarity empty): report (reporting verbs), negation (before the cue),
//     negation-after (after it: Japanese, Korean), hedge (weight = confidence factor), modal
//     ("should", "must": an action right after it is wanted by whoever says so, not done;
//     weight = confidence factor), passive
//     (auxiliaries), agent ("by"), preposition (marks the next actor as an object), object-after
//     (a particle that marks the actor before it as no subject: Japanese の/に, Korean 의),
//     subject-after (a particle that marks a subject: が, 가; where a sentence has one, only
//     marked actors are subjects), topic ("in response to", 针对: the policy named right after
//     it, in its clause, is what the sentence's generic references mean), relative ("which": the
//     actor before it is the subject of what follows, even after a preposition), conjunction
//     ("and": actors joined by it share a position; a reporting verb after it has the sentence's
//     subject), nominal (a word after which an action is named, not done: "about restricting"),
//     policy (a reference to a policy: with a policy id, a product or list implying that policy;
//     without, a generic "the rule"), decision (a reference to a government's act: "the decision",
//     "the move", 此举; an opinion about it is about the last action the text reports),
//     anterior (a pluperfect auxiliary: "had", "hatte"; an act told in it outside reported
//     speech happened before the news, and "the decision" is about a later one if there is one),
//     possessive (a possessive pronoun: "its", "their"; a government body or administration named
//     last before it made the rule it owns: "the Biden administration said its rule ..."),
//     other-policy (a rule this table does not track: "tariffs", "executive order"; a cue about
//     it yields nothing), domain (the field the tracked rules govern: "chips", "export
//     controls", 半导体; a document with none, and no policy named or implied, yields nothing).
// actors.tsv        language, pattern, from, to, actor, speaker, country
//   Government and other actors named by a phrase ("the Trump administration" -> "Trump
//   administration", country US). actor "@company", "@organization", "@actor" (either) or
//   "@person" makes the phrase refer back ("the company", "he"); "@organization/ministry|agency"
//   refers back only to organizations of those kinds (organizations.tsv: "the ministry" is no
//   committee). from/to (YYYY-MM-DD, optional)
//   bound the reference date for phrases whose referent changes ("the previous administration");
//   rows are keyed by language, pattern and from, so one phrase may have several periods.
// policy_context.tsv  policy, country, government, from, to, weight, scope
//   Per policy: the country that imposes it and the actor its unattributed actions belong to,
//   the period it is news (from/to), its weight in choosing a document's dominant policy, and
//   scope general|specific (a country's general policy receives its government's own actions).
#ifndef STANCETRACK_EXTRACTORS_STANCE_LEXICON_H_
#define STANCETRACK_EXTRACTORS_STANCE_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/cue_matcher.h"
#include "extractors/stance.h"

namespace stancetrack {

enum class CueKind : uint8_t {
  kCriticize,
  kSupport,
  kRequest,
  kRequestAfter,
  kImpose,
  kLift,
  kReverse,
  kEvaluate,
  kHarm,
  kReport,
  kNegation,
  kNegationAfter,
  kHedge,
  kModal,
  kPassive,
  kAgent,
  kPreposition,
  kObjectAfter,
  kSubjectAfter,
  kTopic,
  kRelative,
  kConjunction,
  kNominal,
  kPolicy,
  kDecision,
  kAnterior,
  kPossessive,
  kOtherPolicy,
  kDomain,
};
inline constexpr size_t kCueKinds = static_cast<size_t>(CueKind::kDomain) + 1;

bool IsPolar(CueKind kind);
bool IsAction(CueKind kind);  // impose, lift or reverse

struct CueRow {
  std::string language;
  CueKind kind = CueKind::kCriticize;
  int sign = 0;  // +1 support, -1 oppose, 0 for kinds without polarity
  float weight = 1.0f;
  std::string policy;  // kPolicy rows: the policy implied, empty for a generic reference
};

// What an actors.tsv phrase names.
enum class Anaphor : uint8_t { kNone, kCompany, kOrganization, kActor, kPerson };

struct ActorRow {
  std::string actor;    // canonical actor; empty when `anaphor` is set
  std::string speaker;  // the person it names, if any ("President Trump")
  std::string country;  // the government it belongs to, empty for non-governmental actors
  std::string from;     // reference-date window, YYYY-MM-DD or empty
  std::string to;
  Anaphor anaphor = Anaphor::kNone;
  std::vector<std::string> kinds;  // organization kinds an anaphor may refer to; empty: any
  bool english = false;            // the phrase is English, as canonical names are
};

struct PolicyRow {
  std::string policy;
  std::string country;     // who imposes it
  std::string government;  // the actor its unattributed actions belong to
  std::string from;        // period in which it is news, YYYY-MM-DD or empty
  std::string to;
  float weight = 1.0f;
  bool general = false;
};

struct StanceLexicon::Impl {
  std::vector<CueRow> cues;
  CueMatcher cue_matcher;
  std::vector<ActorRow> actors;
  CueMatcher actor_matcher;
  std::vector<PolicyRow> policies;

  const PolicyRow* FindPolicy(std::string_view policy) const;
  // The general policy of a country ("CN" -> china-countermeasures), or nullptr.
  const PolicyRow* GeneralPolicyOf(std::string_view country) const;
};

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_STANCE_LEXICON_H_
