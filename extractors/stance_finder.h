// Internals of the stance extractor (stance.h), shared by its source files: the per-document
// StanceFinder, the values it works with, and the text helpers. Not for callers.
//
// stance.cc           the sentence loop: scopes of requests and opinions, emitting, aggregation
// stance_actors.cc    who holds a cue: mentions and actors.tsv phrases, subjects, quotes, frames
// stance_policies.cc  cue scanning, negation and hedges, which policy a cue is about
#ifndef STANCETRACK_EXTRACTORS_STANCE_FINDER_H_
#define STANCETRACK_EXTRACTORS_STANCE_FINDER_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/entities.h"
#include "extractors/stance.h"
#include "extractors/stance_lexicon.h"
#include "pipeline/document.h"

namespace stancetrack::stance_detail {

// Reach of the heuristics, in columns of text (Width: a CJK or Hangul character counts two, so
// a reach spans about as many words in every script). A subject stands within a clause or two
// before its verb; an action asked for follows its request within a clause or two ("urged the
// Commerce Department's Bureau of Industry and Security to rethink"), an action judged follows
// closely.
inline constexpr uint32_t kSubjectReach = 120;
inline constexpr uint32_t kRequestReach = 160;
inline constexpr uint32_t kOpinionReach = 80;
// Negations, auxiliaries, "by" and prepositions act on the words right next to them (a
// preposition's object may carry a title: "to US commerce secretary Gina Raimondo").
inline constexpr uint32_t kAdjacentGapBytes = 24;
inline constexpr int kObjectTitleWords = 3;
// A hedge ("may", "is weighing") weakens cues that follow it within this reach.
inline constexpr uint32_t kHedgeReach = 60;
// A modal ("should", "must") or a pluperfect auxiliary ("had") governs an action at most this
// many words after it ("should not be allowed", "should remain restricted", "had quietly
// introduced").
inline constexpr int kModalWords = 3;
// "The company" and "he" refer to a mention at most this many sentences back; a reference that
// names a kind of organization ("the ministry") fits fewer mentions and reaches further.
inline constexpr uint32_t kAnaphoraSentences = 3;
inline constexpr uint32_t kKindAnaphoraSentences = 8;
// "Welcomed the decision" is about the last government action the text reported at most this
// many sentences back.
inline constexpr uint32_t kDecisionSentences = 8;
// An apposition or relative clause between a name and its verb ("John Doe, chairman of the
// X Committee, said"; "Doe, who chairs the committee, said") holds at most this many words
// before the name inside it.
inline constexpr int kAppositionWords = 6;
// A country qualifies a policy noun across a possessive and a few words ("the US measures",
// "American chip restrictions"), or where words are not spaced (美国对华出口管制) a few
// characters.
inline constexpr int kQualifierWords = 2;
inline constexpr uint32_t kQualifierWidth = 12;
// "Reverse the decision", "urged it to reconsider": the words a reversal's object may take.
inline constexpr int kReversalObjectWords = 3;
// "The rule" refers to a policy named at most this many sentences back before falling back to
// the document's dominant policy.
inline constexpr uint32_t kRecentPolicySentences = 2;

// Confidence factors: how directly the actor and the policy were bound.
inline constexpr float kBySubject = 1.0f;
inline constexpr float kByQuote = 0.9f;
inline constexpr float kByFrame = 0.8f;
inline constexpr float kByAgent = 0.9f;
inline constexpr float kBySkippingObject = 0.7f;
inline constexpr float kByDefaultGovernment = 0.5f;
inline constexpr float kByReference = 0.85f;  // the actor was "the company", "he"
// The actor was named as the maker of the rule ("the Biden administration's framework"): it holds
// the rule, but the text states no position of its own.
inline constexpr float kByAuthorship = 0.7f;
inline constexpr float kExplicitPolicy = 1.0f;
inline constexpr float kHintedPolicy = 0.9f;
inline constexpr float kRecentPolicy = 0.8f;
inline constexpr float kDominantPolicy = 0.7f;
inline constexpr float kImpliedPolicy = 0.6f;

// Roles of people who hold positions in person rather than for an employer.
inline constexpr std::array<std::string_view, 6> kLegislativeRoles = {
    "senator", "representative", "congress", "lawmaker", "legislator", "parliament"};
// News agencies and outlets report positions; they are sources, not actors.
inline constexpr std::string_view kMediaSector = "media";
// Kinds of organization (organizations.tsv) that act for a government: state media and
// universities of a country report and study, they do not impose or lift rules.
inline constexpr std::array<std::string_view, 6> kGoverningKinds = {
    "executive", "agency", "ministry", "legislature", "committee", "court"};
// Kinds of organization (organizations.tsv) whose members are lawmakers.
inline constexpr std::array<std::string_view, 3> kLegislativeKinds = {"legislature", "committee",
                                                                      "party"};

struct Actor {
  std::string name;     // empty: names no actor
  std::string speaker;  // the person who voiced it
  std::string country;  // the government it belongs to; empty: not a government
  bool government() const { return !country.empty(); }
};

struct Candidate {
  Span span;
  Actor actor;
  bool object = false;          // follows a preposition ("to China")
  bool marked = false;          // a particle marks it as a subject (트럼프 행정부가)
  bool relative = false;        // a relative pronoun follows ("Amazon, which argued")
  bool joined = false;          // joined to the previous candidate by "and" or a comma
  bool reference = false;       // resolved from "the company", "he"
  bool apposed = false;         // inside an apposition of the candidate before ("Doe, chair of X,")
  uint32_t apposition_end = 0;  // where that apposition closes: a verb inside it is its own
                                // ("the act, which Microsoft backed, stalled": Microsoft backed)
  bool modifier = false;  // qualifies a policy noun right after it ("the US measures", 美方此举)
};

struct Cue {
  const CueRow* row = nullptr;
  Span span;
};

struct SentenceCues {
  std::vector<Cue> polar;                           // non-overlapping, in text order
  std::array<std::vector<Cue>, kCueKinds> by_kind;  // the other kinds, in text order

  const std::vector<Cue>& operator[](CueKind kind) const {
    return by_kind[static_cast<size_t>(kind)];
  }
};

struct Binding {
  Actor actor;
  float factor = 0;
  std::vector<Actor> also;  // actors joined to it ("SIA and Nvidia criticised")
};

struct PolicyChoice {
  std::string policy;
  float factor = 0;
  bool referenced = false;  // the sentence itself refers to a policy
  bool decision = false;    // by a reference to an act ("the decision"), not to a rule
  Span at;                  // where, if it does
};

// A reference to a policy in a sentence, ranked by how clearly it names one (ResolvePolicy).
struct PolicyRef {
  int rank = 0;
  Span span;
  std::string policy;  // empty: a rule outside the tables
  float factor = 0;
  bool decision = false;  // a reference to an act ("the decision")
};

// A government action the text reports as done (not asked for, not only named), in text order.
struct Event {
  uint32_t sentence = 0;
  std::string policy;
  int sign = 0;             // +1 imposes or keeps the restriction, -1 loosens or lifts it
  std::string month;        // YYYY-MM of its date (StanceFinder::DateAt), or empty
  bool background = false;  // told as before the news ("had introduced the rule in January")
};

// Text helpers (stance_policies.cc). Offsets are into Document::text.
bool Overlaps(const Span& a, const Span& b);
std::string Lower(std::string_view s);  // ASCII lower case
// A partial date (YYYY, YYYY-MM) padded to a day inside it, so periods compare as strings.
std::string FullDate(const std::string& date);
// Whether `date` lies in [from, to] (either bound may be empty: open).
bool InWindow(const std::string& date, const std::string& from, const std::string& to);
bool IsQuestion(std::string_view sentence);
// Words in text[from, to), or -1 if it holds punctuation.
int Words(std::string_view text, uint32_t from, uint32_t to);
// Whether text[from, to) is short, holds at most `words` words and no punctuation.
bool Adjacent(std::string_view text, uint32_t from, uint32_t to, int words);
// Display columns of text[from, to): CJK and Hangul characters count two.
uint32_t Width(std::string_view text, uint32_t from, uint32_t to);
// Whether `next` comes right after `marker` (they may share an article).
bool Follows(std::string_view text, const Span& marker, const Span& next);
// Whether text at `at` opens with a possessive ending: "the Biden administration's", "the
// states'".
bool PossessiveAt(std::string_view text, uint32_t at);
// Whether one of `cues` lies within `within`.
bool HasCue(const std::vector<Cue>& cues, const Span& within);
// Whether text[from, to) holds only spaces, commas and at most one of `conjunctions`.
bool OnlySeparators(std::string_view text, uint32_t from, uint32_t to,
                    const std::vector<Cue>& conjunctions);

// One document's stances: built per call of FindStances, used once, then discarded.
class StanceFinder {
 public:
  StanceFinder(const Document& doc, const StanceLexicon::Impl& lexicon,
               const EntityLexicon& entities, const Annotations& so_far, const CueScan* scan)
      : doc_(doc), lexicon_(lexicon), entities_(entities), so_far_(so_far), scan_(scan) {}

  std::vector<Stance> Run();

 private:
  // Document level.
  void ScanSentences();
  bool AboutTheField() const;
  void ChooseReferenceDateAndDominantPolicy();
  std::string DominantPolicy(const std::string& date) const;
  float PeriodWeight(const std::string& policy, const std::string& date) const;

  // Actors.
  Actor ActorOfName(const std::string& name) const;
  Actor ActorOfPerson(const std::string& person) const;
  Actor ActorOfQuote(const Quote& quote) const;
  Actor ActorOfMention(const Mention& mention) const;
  std::optional<Actor> ResolveReference(const ActorRow& row, const Span& phrase, uint32_t s) const;
  template <typename Pred>
  std::optional<Actor> LatestFitting(const Pred& fits, uint32_t position, uint32_t s,
                                     uint32_t reach, Anaphor anaphor) const;
  void MarkRoles(uint32_t s, std::vector<Candidate>* candidates) const;
  void MarkAppositionsAndModifiers(uint32_t s, std::vector<Candidate>* candidates) const;
  void ResolvePronounsAfterReports(uint32_t s, std::vector<Candidate>* candidates) const;
  std::vector<Candidate> Candidates(uint32_t s) const;
  const Quote* QuoteAround(const Span& span) const;
  std::optional<Binding> Subject(const std::vector<Candidate>& candidates, const Span& cue,
                                 uint32_t lower_bound, bool government_only,
                                 bool first = false) const;
  std::optional<Binding> Agent(const SentenceCues& cues, const std::vector<Candidate>& candidates,
                               const Span& cue) const;
  std::optional<Binding> OpinionHolder(const SentenceCues& cues,
                                       const std::vector<Candidate>& candidates,
                                       const Span& cue) const;
  uint32_t QuoteFrameStart(const Quote& quote, const SentenceCues& cues) const;
  bool AfterConjunction(const SentenceCues& cues, const Span& verb) const;
  std::optional<Binding> FrameHolder(const SentenceCues& cues,
                                     const std::vector<Candidate>& candidates, const Span& cue,
                                     uint32_t* frame_start) const;
  std::optional<Binding> ActionHolder(uint32_t s, const std::vector<Candidate>& candidates,
                                      const Cue& action, uint32_t lower_bound, bool in_scope,
                                      const std::string& policy) const;
  bool PolicyBefore(uint32_t s, const Span& cue) const;
  bool ReportedByNonGovernment(uint32_t s, const std::vector<Candidate>& candidates,
                               const Span& span) const;

  // Cues and policies.
  bool Negated(const SentenceCues& cues, const Span& cue) const;
  bool HasClauseBreak(uint32_t from, uint32_t to) const;
  const Cue* Modal(const SentenceCues& cues, const Span& cue) const;
  // Whether an action is told in the pluperfect outside reported speech ("The administration had
  // introduced the rule", not "Commerce said it had rescinded the rule").
  bool Anterior(const SentenceCues& cues, const Span& cue) const;
  bool Named(const SentenceCues& cues, const Span& cue) const;
  float Hedge(const SentenceCues& cues, const Span& cue) const;
  PolicyChoice ResolvePolicy(uint32_t s, const Span& at, bool action) const;
  std::vector<PolicyRef> PolicyRefs(uint32_t s, const std::string& context, float context_factor,
                                    bool topic) const;
  std::string RecentPolicy(uint32_t s) const;
  std::string TopicPolicy(uint32_t s) const;
  std::string OwnPolicy(const Actor& actor, const std::string& policy) const;
  // The country whose policy a generic reference at `ref` means ("the US measures", 美方规则),
  // empty if the reference stands unqualified.
  std::string Qualifier(uint32_t s, const Span& ref) const;
  std::string CountryBefore(uint32_t s, const Span& ref) const;
  bool QualifierGap(uint32_t s, const Span& gap) const;
  bool AfterPreposition(const SentenceCues& cues, const Span& name) const;
  std::string QualifiedPolicy(const std::string& country, const std::string& context) const;
  // The policy noun a possessive ending at `from` ("the Biden administration's", "its") owns:
  // where it stands, if one does.
  std::optional<Span> OwnedNoun(uint32_t s, uint32_t from) const;
  // Whether `actor` is a country's government as such ("US Government", "Chinese government"),
  // the actor a country's name stands for, rather than an administration, agency or lawmaker.
  bool CountryAsSuch(const Actor& actor) const;
  // The latest event in time among those at most kDecisionSentences before sentence `s` (on
  // `policy`, if not empty): of the latest month, one not told as background, the last in the
  // text. "Nvidia welcomed the decision" is about the rescission, not about the rule's
  // introduction the text tells as earlier. nullptr if there is none.
  const Event* LastEvent(uint32_t s, const std::string& policy) const;
  // When what sentence `s` says at `cue` happened (Stance::date): the date nearest the cue in
  // its clause; else the first date before the cue ("In April, the chip was banned"); else the
  // publication date. A date after the cue in another clause is of something else ("called
  // scrapping the rule right, after arguing since January that ..."), and so is one past the
  // publication date ("suspended the ban until next November").
  std::string DateAt(uint32_t s, const Span& cue) const;
  int ActionSign(uint32_t s, const Cue& action, const std::string& policy) const;
  bool ReversesLastEvent(uint32_t s, const Cue& reversal) const;

  // Sentences.
  struct Scopes {
    std::vector<const Cue*> object_of;  // per polar cue: the action it is about
    std::vector<bool> requested, judged;
    std::vector<uint32_t> lower_bound;  // per action: where its own subject may begin
  };
  bool IsObjectOf(uint32_t s, const Cue& opinion, const Cue& action) const;
  Scopes FindScopes(uint32_t s) const;
  void FindInSentence(uint32_t s);
  void FindAction(uint32_t s, size_t i, const Scopes& scopes);
  void FindOpinion(uint32_t s, size_t i, const Scopes& scopes);
  // Owners of rules named in sentence `s` whose position the stances from found_[first] on do
  // not already state.
  void FindAuthorship(uint32_t s, size_t first);
  void EmitAuthorship(uint32_t s, const Actor& actor, const Span& noun);
  void FindAll();
  void Emit(uint32_t s, const Binding& binding, const PolicyChoice& policy, int sign, float weight,
            const SentenceCues& cues, const Span& cue, const std::vector<Candidate>& candidates,
            bool own_policy);
  std::string SpeakerFor(const Actor& actor, uint32_t s,
                         const std::vector<Candidate>& candidates) const;

  const Document& doc_;
  const StanceLexicon::Impl& lexicon_;
  const EntityLexicon& entities_;
  const Annotations& so_far_;
  const CueScan* scan_;                                   // may be null
  std::vector<std::optional<SentenceCues>> cues_;         // per sentence; empty for boilerplate
  std::vector<std::vector<const Mention*>> mentions_of_;  // per sentence, in text order
  std::string reference_date_;
  std::string dominant_;
  std::vector<Event> events_;
  // Policies named as the object of a government's own act ("The Dutch government widened its
  // export controls on chipmaking equipment": the Dutch controls), by the mention's begin: what
  // the document is about counts them as the government's own (DominantPolicy).
  std::map<uint32_t, std::string> owned_;
  std::vector<Candidate> candidates_;  // of the sentence FindInSentence works on
  std::vector<Stance> found_;
};

}  // namespace stancetrack::stance_detail

#endif  // STANCETRACK_EXTRACTORS_STANCE_FINDER_H_
