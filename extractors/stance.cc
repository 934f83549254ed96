// FindStances and AggregateStances (contract in stance.h): the sentence loop over the
// StanceFinder of stance_finder.h, and the folding of evidence into stances.
#include "extractors/stance.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "extractors/stance_finder.h"

namespace stancetrack {
namespace stance_detail {

// ---------------------------------------------------------------------------------------------
// Sentences

std::string StanceFinder::SpeakerFor(const Actor& actor, uint32_t s,
                                     const std::vector<Candidate>& candidates) const {
  if (!actor.speaker.empty()) return actor.speaker;
  for (const Candidate& c : candidates) {
    if (c.actor.name == actor.name && !c.actor.speaker.empty()) return c.actor.speaker;
  }
  for (const Quote& q : so_far_.quotes) {
    if (q.sentence == s && q.speaker_org == actor.name && q.speaker != actor.name) return q.speaker;
  }
  return "";
}

void StanceFinder::Emit(uint32_t s, const Binding& binding, const PolicyChoice& policy, int sign,
                        float weight, const SentenceCues& cues, const Span& cue,
                        const std::vector<Candidate>& candidates, bool own_policy) {
  if (policy.policy.empty() || sign == 0) return;
  for (const Actor& other : binding.also) {
    Emit(s, Binding{other, binding.factor, {}}, policy, sign, weight, cues, cue, candidates,
         own_policy);
  }
  Stance stance;
  stance.actor = binding.actor.name;
  stance.country = binding.actor.country;
  stance.speaker = SpeakerFor(binding.actor, s, candidates);
  stance.policy = own_policy ? OwnPolicy(binding.actor, policy.policy) : policy.policy;
  if (stance.policy != policy.policy && policy.factor == kExplicitPolicy) {
    owned_[policy.at.begin] = stance.policy;
  }
  stance.polarity = sign > 0 ? Polarity::kSupport : Polarity::kOppose;
  stance.confidence =
      std::clamp(weight * binding.factor * policy.factor * Hedge(cues, cue), 0.0f, 1.0f);
  stance.sentence = s;
  stance.date = DateAt(s, cue);
  found_.push_back(std::move(stance));
}

// Whether action `x` is what opinion or request `o` is about: it follows within reach ("urged
// BIS to rethink", "praised Trump for scrapping"), in the same clause, with no policy named in
// between for an opinion (then the opinion is about that policy: "criticised the rule, which
// restricts"); a request may name it first ("called for the rule to be withdrawn").
bool StanceFinder::IsObjectOf(uint32_t s, const Cue& o, const Cue& x) const {
  bool request = o.row->kind == CueKind::kRequest || o.row->kind == CueKind::kRequestAfter;
  uint32_t reach = request ? kRequestReach : kOpinionReach;
  Span between = o.row->kind == CueKind::kRequestAfter ? Span{x.span.end, o.span.begin}
                                                       : Span{o.span.end, x.span.begin};
  if (between.begin > between.end || Width(doc_.text, between.begin, between.end) > reach) {
    return false;
  }
  std::string_view gap = between.Of(doc_.text);
  // A request reaches across a comma ("urged BIS, in a letter, to rethink"); an opinion does not.
  if (gap.find('|') != std::string_view::npos) return false;
  if (request ? gap.find_first_of(";:.") != std::string_view::npos
              : HasClauseBreak(between.begin, between.end)) {
    return false;
  }
  // A reporting verb opens a clause of its own: "called on Congress to act, and said the
  // decision to allow sales ...".
  if (request) return !HasCue((*cues_[s])[CueKind::kReport], between);
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && between.Contains(m->span)) return false;
  }
  const std::vector<Cue>& refs = (*cues_[s])[CueKind::kPolicy];
  return std::none_of(refs.begin(), refs.end(),
                      [&](const Cue& r) { return between.Contains(r.span); });
}

// The actions that requests and opinions are about: the first action each is about, up to the
// next request or opinion. Actions asked for are not events; actions judged are events only of
// an actor named after the opinion.
StanceFinder::Scopes StanceFinder::FindScopes(uint32_t s) const {
  const std::vector<Cue>& polar = cues_[s]->polar;
  Scopes scopes{std::vector<const Cue*>(polar.size(), nullptr),
                std::vector<bool>(polar.size(), false), std::vector<bool>(polar.size(), false),
                std::vector<uint32_t>(polar.size(), 0)};
  for (size_t i = 0; i < polar.size(); ++i) {
    CueKind kind = polar[i].row->kind;
    if (kind == CueKind::kRequestAfter) {
      for (size_t j = i;
           j-- > 0 && IsAction(polar[j].row->kind) && IsObjectOf(s, polar[i], polar[j]);) {
        if (!scopes.object_of[i]) scopes.object_of[i] = &polar[j];
        scopes.requested[j] = true;
      }
      continue;
    }
    if (kind != CueKind::kRequest && kind != CueKind::kCriticize && kind != CueKind::kSupport) {
      continue;
    }
    for (size_t j = i + 1; j < polar.size(); ++j) {
      const Cue& x = polar[j];
      if (!IsAction(x.row->kind) || !IsObjectOf(s, polar[i], x)) break;
      if (!scopes.object_of[i]) scopes.object_of[i] = &x;
      scopes.requested[j] = scopes.requested[j] || kind == CueKind::kRequest;
      scopes.judged[j] = true;
      scopes.lower_bound[j] = std::max(scopes.lower_bound[j], polar[i].span.end);
    }
  }
  return scopes;
}

// A government action: an event of its holder, or, after "should", wanted by whoever says so.
void StanceFinder::FindAction(uint32_t s, size_t i, const Scopes& scopes) {
  const SentenceCues& cues = *cues_[s];
  const Cue& cue = cues.polar[i];
  // Asked for, or only named ("decisions about restricting exports"): no event.
  if (scopes.requested[i] || (!scopes.judged[i] && Named(cues, cue.span))) return;
  PolicyChoice policy = ResolvePolicy(s, cue.span, true);
  int sign = ActionSign(s, cue, policy.policy);
  // "X said the chip should remain restricted": wanted by X, not done.
  if (const Cue* modal = Modal(cues, cue.span)) {
    uint32_t frame_start = 0;
    std::optional<Binding> holder = FrameHolder(cues, candidates_, cue.span, &frame_start);
    if (holder) {
      Emit(s, *holder, policy, sign, cue.row->weight * modal->row->weight, cues, cue.span,
           candidates_, false);
    }
    return;
  }
  std::optional<Binding> holder =
      ActionHolder(s, candidates_, cue, scopes.lower_bound[i], scopes.judged[i], policy.policy);
  // Only an act the text reports as done is one "the decision" may refer to; it is on its
  // holder's own policy ("China's ministry criticised the Dutch decision").
  if (!policy.policy.empty() && Hedge(cues, cue.span) == 1.0f) {
    events_.push_back({s, holder ? OwnPolicy(holder->actor, policy.policy) : policy.policy, sign,
                       DateAt(s, cue.span).substr(0, 7), Anterior(cues, cue.span)});
  }
  if (holder) Emit(s, *holder, policy, sign, cue.row->weight, cues, cue.span, candidates_, true);
}

// An opinion, request or judgement, composed with the action it is about, if any.
void StanceFinder::FindOpinion(uint32_t s, size_t i, const Scopes& scopes) {
  const SentenceCues& cues = *cues_[s];
  const Cue& cue = cues.polar[i];
  CueKind kind = cue.row->kind;
  if (Negated(cues, cue.span)) return;
  const Cue* object = scopes.object_of[i];
  std::optional<Binding> holder;
  if (kind == CueKind::kEvaluate || kind == CueKind::kHarm) {
    uint32_t frame_start = 0;
    holder = FrameHolder(cues, candidates_, cue.span, &frame_start);
    for (size_t j = 0; j < i; ++j) {
      const Cue& x = cues.polar[j];
      if (IsAction(x.row->kind) && x.span.begin >= frame_start) object = &x;
    }
  } else {
    holder = OpinionHolder(cues, candidates_, cue.span);
  }
  bool request = kind == CueKind::kRequest || kind == CueKind::kRequestAfter;
  if (!holder || (request && !object)) return;
  PolicyChoice policy = ResolvePolicy(s, object ? object->span : cue.span, object != nullptr);
  if (!policy.referenced && !object) return;
  int sign = cue.row->sign * (object ? ActionSign(s, *object, policy.policy) : 1);
  // An opinion about "the decision" is about the last act the text reported: welcoming a
  // permission to sell is opposition to the restriction.
  if (!object && policy.decision) {
    if (const Event* last = LastEvent(s, "")) {
      policy.policy = last->policy;
      sign *= last->sign;
    }
  }
  // What harms a policy is held against it by someone who supports it.
  if (kind == CueKind::kHarm && !object && policy.at.begin >= cue.span.end) sign = -sign;
  // A government asking for restrictions asks for its own ("敦促企业限制采购"); it may ask
  // another to lift theirs.
  bool own_policy = request && object->row->kind == CueKind::kImpose;
  Emit(s, *holder, policy, sign, cue.row->weight, cues, cue.span, candidates_, own_policy);
}

// "The Biden administration's framework", "Senator Doe's bill", "the ministry said its
// rules ...": a government body, administration or lawmaker named as the owner of a rule made it
// and holds it. A country's name as such ("China's countermeasures", "Washington's curbs") only
// says whose rule it is (Qualifier), and what the sentence says of the rule is someone else's
// view ("critics call it the administration's overreach" names no rule of its own).
void StanceFinder::FindAuthorship(uint32_t s, size_t first) {
  // What the sentence says the owner does or thinks of its rule is its position: "Commerce would
  // not enforce its rule".
  auto stated = [&](const Actor& actor) {
    return std::any_of(found_.begin() + static_cast<std::ptrdiff_t>(first), found_.end(),
                       [&](const Stance& st) { return st.actor == actor.name; });
  };
  auto emit = [&](const Actor& actor, const Span& noun) {
    if (!stated(actor)) EmitAuthorship(s, actor, noun);
  };
  for (const Candidate& c : candidates_) {
    if (!PossessiveAt(doc_.text, c.span.end)) continue;
    if (std::optional<Span> noun = OwnedNoun(s, c.span.end)) emit(c.actor, *noun);
  }
  // "its", "their": the actor named last before the pronoun owns the noun after it.
  for (const Cue& pronoun : (*cues_[s])[CueKind::kPossessive]) {
    auto owner = std::find_if(candidates_.rbegin(), candidates_.rend(), [&](const Candidate& c) {
      return c.span.end <= pronoun.span.begin && !c.actor.name.empty();
    });
    std::optional<Span> noun = OwnedNoun(s, pronoun.span.end);
    if (owner != candidates_.rend() && noun) emit(owner->actor, *noun);
  }
}

void StanceFinder::EmitAuthorship(uint32_t s, const Actor& actor, const Span& noun) {
  if (!actor.government() || CountryAsSuch(actor)) return;
  PolicyChoice policy = ResolvePolicy(s, noun, false);
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && m->span.begin == noun.begin &&
        m->confidence > kGenericPolicyConfidence) {
      policy = {m->canonical, kExplicitPolicy, true, false, m->span};
    }
  }
  Emit(s, Binding{actor, kByAuthorship, {}}, policy, 1, 1.0f, *cues_[s], noun, candidates_, false);
}

void StanceFinder::FindInSentence(uint32_t s) {
  const SentenceCues& cues = *cues_[s];
  bool refers = !cues[CueKind::kPolicy].empty() ||
                std::any_of(mentions_of_[s].begin(), mentions_of_[s].end(),
                            [](const Mention* m) { return m->type == EntityType::kPolicy; });
  if ((cues.polar.empty() && !refers) || IsQuestion(doc_.sentences[s].span.Of(doc_.text))) return;
  candidates_ = Candidates(s);
  size_t first = found_.size();
  if (!cues.polar.empty()) {
    Scopes scopes = FindScopes(s);
    for (size_t i = 0; i < cues.polar.size(); ++i) {
      if (IsAction(cues.polar[i].row->kind)) {
        FindAction(s, i, scopes);
      } else {
        FindOpinion(s, i, scopes);
      }
    }
  }
  FindAuthorship(s, first);
}

void StanceFinder::FindAll() {
  events_.clear();
  found_.clear();
  for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
    if (cues_[s]) FindInSentence(s);
  }
}

namespace {

// One stance per sentence, actor, policy and polarity: two cues in one sentence ("criticised ...
// and urged withdrawal") are one position, not two points on a timeline. The strongest is kept,
// with a speaker if any of them names one; first-found order is kept.
std::vector<Stance> Distinct(std::vector<Stance> found) {
  std::vector<Stance> out;
  for (Stance& s : found) {
    auto same = std::find_if(out.begin(), out.end(), [&](const Stance& o) {
      return o.sentence == s.sentence && o.polarity == s.polarity && o.actor == s.actor &&
             o.policy == s.policy;
    });
    if (same == out.end()) {
      out.push_back(std::move(s));
      continue;
    }
    if (s.confidence > same->confidence) std::swap(*same, s);
    if (same->speaker.empty()) same->speaker = s.speaker;
  }
  return out;
}

}  // namespace

// Which policy a generic reference means depends on what the document is about, and that on
// who acts on the policies it names: a second pass reads the document again when a government's
// own acts showed a named policy to be its own and that changed its dominant policy.
std::vector<Stance> StanceFinder::Run() {
  mentions_of_.resize(doc_.sentences.size());
  for (const Mention& m : so_far_.mentions) {
    if (m.sentence < mentions_of_.size()) mentions_of_[m.sentence].push_back(&m);
  }
  ScanSentences();
  if (!AboutTheField()) return {};
  ChooseReferenceDateAndDominantPolicy();
  FindAll();
  if (!owned_.empty()) {
    std::string dominant = DominantPolicy(reference_date_);
    if (dominant != dominant_) {
      dominant_ = std::move(dominant);
      FindAll();
    }
  }
  return Distinct(std::move(found_));
}

}  // namespace stance_detail

namespace {

// ---------------------------------------------------------------------------------------------
// Aggregation

int PolarityBits(Polarity p) {
  return p == Polarity::kSupport ? 1 : p == Polarity::kOppose ? 2 : 3;
}

Polarity PolarityOfBits(int bits) {
  return bits == 1 ? Polarity::kSupport : bits == 2 ? Polarity::kOppose : Polarity::kMixed;
}

// Merges `run` (same actor, policy and period) into its strongest stance.
Stance Merge(const std::vector<const Stance*>& run, int bits) {
  const Stance* best = run.front();
  for (const Stance* s : run) {
    if (s->confidence > best->confidence) best = s;
  }
  Stance merged = *best;
  merged.polarity = PolarityOfBits(bits);
  for (const Stance* s : run) {
    if (merged.speaker.empty()) merged.speaker = s->speaker;
  }
  return merged;
}

// Stances that merge into one, and the polarities they hold (PolarityBits).
struct Unit {
  std::vector<const Stance*> members;
  int bits = 0;
};

// Whether one sentence holds both positions ("restricts the sales while authorizing some").
bool OneSentenceHoldsBoth(const std::vector<const Stance*>& members) {
  std::map<uint32_t, int> bits_of_sentence;
  for (const Stance* s : members) {
    if ((bits_of_sentence[s->sentence] |= PolarityBits(s->polarity)) == 3) return true;
  }
  return false;
}

// A period's stances: one unit; but a government's positions are its acts, so where it takes
// each position in sentences of its own (a ban, then a permission, told one after the other),
// it changed its position: one unit per polarity, in the order the text first gives them.
std::vector<Unit> UnitsOfPeriod(const std::vector<const Stance*>& members) {
  Unit all{members, 0};
  for (const Stance* s : members) all.bits |= PolarityBits(s->polarity);
  const bool government = std::all_of(members.begin(), members.end(),
                                      [](const Stance* s) { return !s->country.empty(); });
  if (all.bits != 3 || !government || OneSentenceHoldsBoth(members)) return {std::move(all)};
  Unit support{{}, 1}, oppose{{}, 2};
  for (const Stance* s : members) {
    (s->polarity == Polarity::kSupport ? support : oppose).members.push_back(s);
  }
  auto first_sentence = [](const Unit& u) {
    uint32_t first = u.members.front()->sentence;
    for (const Stance* s : u.members) first = std::min(first, s->sentence);
    return first;
  };
  if (first_sentence(oppose) < first_sentence(support)) std::swap(support, oppose);
  return {std::move(support), std::move(oppose)};
}

}  // namespace

std::vector<Stance> FindStances(const Document& doc, const StanceLexicon& stance,
                                const EntityLexicon& entities, const Annotations& so_far,
                                const CueScan* scan) {
  return stance_detail::StanceFinder(doc, stance.impl(), entities, so_far, scan).Run();
}

std::vector<Stance> AggregateStances(const std::vector<Stance>& stances) {
  // (actor, policy) -> month -> stances of that month, in evidence order.
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<const Stance*>>>
      groups;
  for (const Stance& s : stances) groups[{s.actor, s.policy}][s.date.substr(0, 7)].push_back(&s);
  std::vector<Stance> out;
  for (const auto& [key, months] : groups) {
    Unit run;
    for (const auto& [month, members] : months) {
      for (Unit& unit : UnitsOfPeriod(members)) {
        if (!run.members.empty() && unit.bits != run.bits) {
          out.push_back(Merge(run.members, run.bits));
          run.members.clear();
        }
        run.bits = unit.bits;
        run.members.insert(run.members.end(), unit.members.begin(), unit.members.end());
      }
    }
    out.push_back(Merge(run.members, run.bits));
  }
  std::sort(out.begin(), out.end(), [](const Stance& a, const Stance& b) {
    return std::tie(a.actor, a.policy, a.date, a.sentence) <
           std::tie(b.actor, b.policy, b.date, b.sentence);
  });
  return out;
}

}  // namespace stancetrack
