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
                        const std::vector<Candidate>& candidates) {
  if (policy.policy.empty() || sign == 0) return;
  for (const Actor& other : binding.also) {
    Emit(s, Binding{other, binding.factor, {}}, policy, sign, weight, cues, cue, candidates);
  }
  Stance stance;
  stance.actor = binding.actor.name;
  stance.speaker = SpeakerFor(binding.actor, s, candidates);
  stance.policy = policy.policy;
  stance.polarity = sign > 0 ? Polarity::kSupport : Polarity::kOppose;
  stance.confidence =
      std::clamp(weight * binding.factor * policy.factor * Hedge(cues, cue), 0.0f, 1.0f);
  stance.sentence = s;
  stance.date = so_far_.published;
  for (const DateMention& d : so_far_.dates) {
    if (d.sentence == s && !d.date.empty()) {
      stance.date = d.date;
      break;
    }
  }
  found_.push_back(std::move(stance));
}

// Whether action `x` is what opinion or request `o` is about: it follows within reach ("urged
// BIS to rethink", "praised Trump for scrapping"), in the same clause, with no policy named in
// between (then the opinion is about that policy: "criticised the rule, which restricts").
bool StanceFinder::IsObjectOf(uint32_t s, const Cue& o, const Cue& x) const {
  bool request = o.row->kind == CueKind::kRequest || o.row->kind == CueKind::kRequestAfter;
  uint32_t reach = request ? kRequestReach : kOpinionReach;
  Span between = o.row->kind == CueKind::kRequestAfter ? Span{x.span.end, o.span.begin}
                                                       : Span{o.span.end, x.span.begin};
  if (between.begin > between.end || Width(doc_.text, between.begin, between.end) > reach) {
    return false;
  }
  std::string_view gap = between.Of(doc_.text);
  if (gap.find_first_of(request ? "|;:." : "|;:.,") != std::string_view::npos) return false;
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

void StanceFinder::FindInSentence(uint32_t s) {
  const SentenceCues& cues = *cues_[s];
  if (cues.polar.empty() || IsQuestion(doc_.sentences[s].span.Of(doc_.text))) return;
  std::vector<Candidate> candidates = Candidates(s);
  Scopes scopes = FindScopes(s);
  auto action_sign = [&](const Cue& x) {
    return Negated(cues, x.span) ? -x.row->sign : x.row->sign;
  };
  for (size_t i = 0; i < cues.polar.size(); ++i) {
    const Cue& cue = cues.polar[i];
    CueKind kind = cue.row->kind;
    if (IsAction(kind)) {
      // Asked for, or only named ("decisions about restricting exports"): no event.
      if (scopes.requested[i] || (!scopes.judged[i] && Named(cues, cue.span))) continue;
      PolicyChoice policy = ResolvePolicy(s, cue.span, true);
      std::optional<Binding> holder =
          ActionHolder(s, candidates, cue, scopes.lower_bound[i], scopes.judged[i], policy.policy);
      if (!holder) continue;
      policy.policy = OwnPolicy(holder->actor, policy.policy);
      Emit(s, *holder, policy, action_sign(cue), cue.row->weight, cues, cue.span, candidates);
      continue;
    }
    if (Negated(cues, cue.span)) continue;
    const Cue* object = scopes.object_of[i];
    std::optional<Binding> holder;
    bool judgement = kind == CueKind::kEvaluate || kind == CueKind::kHarm;
    if (judgement) {
      uint32_t frame_start = 0;
      holder = FrameHolder(cues, candidates, cue.span, &frame_start);
      for (size_t j = 0; j < i; ++j) {
        const Cue& x = cues.polar[j];
        if (IsAction(x.row->kind) && x.span.begin >= frame_start) object = &x;
      }
    } else {
      holder = OpinionHolder(candidates, cue.span);
    }
    bool request = kind == CueKind::kRequest || kind == CueKind::kRequestAfter;
    if (!holder || (request && !object)) continue;
    PolicyChoice policy = ResolvePolicy(s, object ? object->span : cue.span, object != nullptr);
    if (!policy.referenced && !object) continue;
    // A government asking for restrictions asks for its own ("敦促企业限制采购"); it may ask
    // another to lift theirs.
    if (request && object->row->kind == CueKind::kImpose) {
      policy.policy = OwnPolicy(holder->actor, policy.policy);
    }
    int sign = cue.row->sign * (object ? action_sign(*object) : 1);
    // What harms a policy is held against it by someone who supports it.
    if (kind == CueKind::kHarm && !object && policy.at.begin >= cue.span.end) sign = -sign;
    Emit(s, *holder, policy, sign, cue.row->weight, cues, cue.span, candidates);
  }
}

std::vector<Stance> StanceFinder::Run() {
  mentions_of_.resize(doc_.sentences.size());
  for (const Mention& m : so_far_.mentions) {
    if (m.sentence < mentions_of_.size()) mentions_of_[m.sentence].push_back(&m);
  }
  ScanSentences();
  ChooseReferenceDateAndDominantPolicy();
  for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
    if (cues_[s]) FindInSentence(s);
  }
  return std::move(found_);
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

}  // namespace

std::vector<Stance> FindStances(const Document& doc, const StanceLexicon& stance,
                                const EntityLexicon& entities, const Annotations& so_far) {
  return stance_detail::StanceFinder(doc, stance.impl(), entities, so_far).Run();
}

std::vector<Stance> AggregateStances(const std::vector<Stance>& stances) {
  // (actor, policy) -> month -> stances of that month, in evidence order.
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<const Stance*>>>
      groups;
  for (const Stance& s : stances) groups[{s.actor, s.policy}][s.date.substr(0, 7)].push_back(&s);
  std::vector<Stance> out;
  for (const auto& [key, months] : groups) {
    std::vector<const Stance*> run;
    int run_bits = 0;
    for (const auto& [month, members] : months) {
      int bits = 0;
      for (const Stance* s : members) bits |= PolarityBits(s->polarity);
      if (!run.empty() && bits != run_bits) {
        out.push_back(Merge(run, run_bits));
        run.clear();
      }
      run_bits = bits;
      run.insert(run.end(), members.begin(), members.end());
    }
    out.push_back(Merge(run, run_bits));
  }
  std::sort(out.begin(), out.end(), [](const Stance& a, const Stance& b) {
    return std::tie(a.actor, a.policy, a.date, a.sentence) <
           std::tie(b.actor, b.policy, b.date, b.sentence);
  });
  return out;
}

}  // namespace stancetrack
