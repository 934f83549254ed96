// The stance extractor's actors: who holds a cue (stance_finder.h).
#include <algorithm>
#include <iterator>

#include "extractors/stance_finder.h"

namespace stancetrack::stance_detail {

// ---------------------------------------------------------------------------------------------
// Actors

Actor StanceFinder::ActorOfName(const std::string& name) const {
  if (const EntityInfo* org = entities_.Find(EntityType::kOrganization, name)) {
    bool governs = std::find(kGoverningKinds.begin(), kGoverningKinds.end(), org->role) !=
                   kGoverningKinds.end();
    return {name, "", governs ? org->country : ""};
  }
  const EntityInfo* company = entities_.Find(EntityType::kCompany, name);
  if (company && company->sector == kMediaSector) return {};  // "according to Reuters"
  return {name, "", ""};
}

// A person holds positions in person when a lawmaker, else speaks for their employer: a company,
// an organization, or the government of the country code they serve.
Actor StanceFinder::ActorOfPerson(const std::string& person) const {
  const EntityInfo* info = entities_.Find(EntityType::kPerson, person);
  if (!info) return {};
  std::string role = Lower(info->role);
  bool legislator = std::any_of(kLegislativeRoles.begin(), kLegislativeRoles.end(),
                                [&](std::string_view r) { return role.find(r) != role.npos; });
  Actor employer;
  if (entities_.Find(EntityType::kCountry, info->affiliation)) {
    const PolicyRow* own = lexicon_.GeneralPolicyOf(info->affiliation);
    employer = {own ? own->government : "", "", info->affiliation};
  } else if (!info->affiliation.empty()) {
    employer = ActorOfName(info->affiliation);
    const EntityInfo* org = entities_.Find(EntityType::kOrganization, info->affiliation);
    legislator = legislator || (org && std::find(kLegislativeKinds.begin(), kLegislativeKinds.end(),
                                                 org->role) != kLegislativeKinds.end());
  }
  if (legislator) return {person, person, employer.country};
  if (employer.name.empty()) return {};
  employer.speaker = person;
  return employer;
}

Actor StanceFinder::ActorOfQuote(const Quote& quote) const {
  if (!quote.speaker_org.empty()) {
    Actor actor = ActorOfName(quote.speaker_org);
    if (quote.speaker != quote.speaker_org) actor.speaker = quote.speaker;
    return actor;
  }
  if (entities_.Find(EntityType::kPerson, quote.speaker)) return ActorOfPerson(quote.speaker);
  if (entities_.Find(EntityType::kOrganization, quote.speaker) ||
      entities_.Find(EntityType::kCompany, quote.speaker)) {
    return ActorOfName(quote.speaker);
  }
  return {};
}

Actor StanceFinder::ActorOfMention(const Mention& mention) const {
  switch (mention.type) {
    case EntityType::kCompany:
    case EntityType::kOrganization:
      return ActorOfName(mention.canonical);
    case EntityType::kPerson:
      return ActorOfPerson(mention.canonical);
    default:
      return {};
  }
}

namespace {

// Whether a mention of `type` can be what `anaphor` refers to.
bool Fits(Anaphor anaphor, EntityType type) {
  switch (anaphor) {
    case Anaphor::kCompany:
      return type == EntityType::kCompany;
    case Anaphor::kOrganization:
      return type == EntityType::kOrganization;
    case Anaphor::kActor:
      return type == EntityType::kCompany || type == EntityType::kOrganization;
    case Anaphor::kPerson:
      return type == EntityType::kPerson;
    case Anaphor::kNone:
      return false;
  }
  return false;
}

}  // namespace

// What "he" or "the company" refers to: in the nearest sentence (this one first, then up to
// kAnaphoraSentences back) that names a fitting actor, the first one, which is usually its
// subject ("Huang praised Trump ... He said": Huang).
std::optional<Actor> StanceFinder::ResolveReference(Anaphor anaphor, uint32_t position,
                                                    uint32_t s) const {
  uint32_t first = s >= kAnaphoraSentences ? s - kAnaphoraSentences : 0;
  for (uint32_t t = s + 1; t-- > first;) {
    if (!doc_.IsContent(doc_.sentences[t].paragraph)) continue;
    for (const Mention* m : mentions_of_[t]) {
      if (m->span.end > position) break;
      if (!Fits(anaphor, m->type)) continue;
      Actor actor = ActorOfMention(*m);
      if (!actor.name.empty()) return actor;
    }
  }
  return std::nullopt;
}

std::vector<Candidate> StanceFinder::Candidates(uint32_t s) const {
  std::vector<std::pair<Candidate, bool>> all;  // bool: named by an actors.tsv phrase
  for (const Mention* m : mentions_of_[s]) all.push_back({{m->span, ActorOfMention(*m)}, false});
  for (const CueMatcher::Hit& hit :
       lexicon_.actor_matcher.Find(doc_, s, SentenceLanguage(doc_, s))) {
    const ActorRow& row = lexicon_.actors[hit.cue];
    if ((!row.from.empty() || !row.to.empty()) && !InWindow(reference_date_, row.from, row.to)) {
      continue;
    }
    Candidate c{hit.span, {row.actor, row.speaker, row.country}};
    if (row.anaphor != Anaphor::kNone) {
      c.actor = ResolveReference(row.anaphor, hit.span.begin, s).value_or(Actor{});
      c.reference = true;
    }
    all.push_back({std::move(c), true});
  }
  // Where a phrase and a mention overlap, the longer names the actor; at equal length the
  // phrase, which carries the stance-specific reading ("Trump" -> "Trump administration").
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(-static_cast<int64_t>(a.first.span.size()), !a.second,
                           a.first.span.begin) <
           std::make_tuple(-static_cast<int64_t>(b.first.span.size()), !b.second,
                           b.first.span.begin);
  });
  std::vector<Candidate> kept;
  for (auto& [candidate, phrase] : all) {
    bool clash = std::any_of(kept.begin(), kept.end(),
                             [&](const Candidate& k) { return Overlaps(k.span, candidate.span); });
    if (!clash) kept.push_back(std::move(candidate));
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate& a, const Candidate& b) { return a.span.begin < b.span.begin; });
  const SentenceCues& cues = *cues_[s];
  for (Candidate& c : kept) {
    // "to China", "in the previous administration" (the phrase may begin with the article the
    // preposition cue also took), "to US commerce secretary Gina Raimondo", "トランプ政権の".
    const std::vector<Cue>& prepositions = cues[CueKind::kPreposition];
    c.object = std::any_of(prepositions.begin(), prepositions.end(), [&](const Cue& p) {
      return Follows(doc_.text, p.span, c.span) ||
             (p.span.end <= c.span.begin &&
              Adjacent(doc_.text, p.span.end, c.span.begin, kObjectTitleWords) &&
              !HasCue(cues[CueKind::kConjunction], Span{p.span.end, c.span.begin}));
    });
    auto right_after = [&](const Cue& p) { return p.span.begin == c.span.end; };
    const std::vector<Cue>& object_after = cues[CueKind::kObjectAfter];
    const std::vector<Cue>& subject_after = cues[CueKind::kSubjectAfter];
    const std::vector<Cue>& relative = cues[CueKind::kRelative];
    c.object = c.object || std::any_of(object_after.begin(), object_after.end(), right_after);
    c.marked = std::any_of(subject_after.begin(), subject_after.end(), right_after);
    // Only a non-restrictive clause ("Amazon, which argued") says something of the actor.
    c.relative = std::any_of(relative.begin(), relative.end(), [&](const Cue& r) {
      return r.span.begin >= c.span.end &&
             OnlySeparators(doc_.text, c.span.end, r.span.begin, {}) &&
             doc_.text.substr(c.span.end, r.span.begin - c.span.end).find(',') != std::string::npos;
    });
  }
  // Joined by a comma or "and", not a bare space ("미국 트럼프 행정부" is one actor, twice named).
  for (size_t i = 1; i < kept.size(); ++i) {
    Span gap{kept[i - 1].span.end, kept[i].span.begin};
    std::string_view between = gap.Of(doc_.text);
    bool linked = between.find(',') != between.npos || between.find("、") != between.npos ||
                  HasCue(cues[CueKind::kConjunction], gap);
    kept[i].joined =
        linked && OnlySeparators(doc_.text, gap.begin, gap.end, cues[CueKind::kConjunction]);
  }
  return kept;
}

const Quote* StanceFinder::QuoteAround(const Span& span) const {
  for (const Quote& q : so_far_.quotes) {
    if (q.span.Contains(span)) return &q;
  }
  return nullptr;
}

// The nearest actor before `cue` (and after `lower_bound`) that is not an object, with the
// actors joined to it. With `government_only`, non-governmental actors are passed over ("allow
// Nvidia to sell"); with `first`, the sentence's first actor is taken, at any distance.
std::optional<Binding> StanceFinder::Subject(const std::vector<Candidate>& candidates,
                                             const Span& cue, uint32_t lower_bound,
                                             bool government_only, bool first) const {
  auto in_reach = [&](const Candidate& c) {
    return c.span.end <= cue.begin && c.span.begin >= lower_bound &&
           (first || Width(doc_.text, c.span.end, cue.begin) <= kSubjectReach);
  };
  if (first) {
    auto c = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) {
      return in_reach(c) && !c.object && !c.actor.name.empty();
    });
    if (c == candidates.end()) return std::nullopt;
    return Binding{c->actor, kBySubject * (c->reference ? kByReference : 1.0f), {}};
  }
  // Where particles mark subjects, an unmarked actor is a modifier ("중국 시장용").
  bool marking = std::any_of(candidates.begin(), candidates.end(),
                             [&](const Candidate& c) { return c.marked && in_reach(c); });
  bool skipped = false;
  for (auto c = candidates.rbegin(); c != candidates.rend(); ++c) {
    if (c->span.end > cue.begin) continue;
    if (!in_reach(*c)) break;
    if ((c->object && !c->relative) || c->actor.name.empty() || (marking && !c->marked)) continue;
    if (government_only && !c->actor.government()) {
      skipped = true;
      continue;
    }
    float factor = skipped ? kBySkippingObject : kBySubject;
    Binding binding{c->actor, factor * (c->reference ? kByReference : 1.0f), {}};
    for (auto j = c; j->joined && std::next(j) != candidates.rend(); ++j) {
      const Actor& other = std::next(j)->actor;
      if (!other.name.empty() && (!government_only || other.government())) {
        binding.also.push_back(other);
      }
    }
    return binding;
  }
  return std::nullopt;
}

// The agent of a passive: the actor right after "by" following the cue.
std::optional<Binding> StanceFinder::Agent(const SentenceCues& cues,
                                           const std::vector<Candidate>& candidates,
                                           const Span& cue) const {
  for (const Cue& agent : cues[CueKind::kAgent]) {
    if (!Adjacent(doc_.text, cue.end, agent.span.begin, 2)) continue;
    for (const Candidate& c : candidates) {
      if (!c.actor.name.empty() && Follows(doc_.text, agent.span, c.span)) {
        return Binding{c.actor, kByAgent, {}};
      }
    }
  }
  return std::nullopt;
}

// Who holds an opinion cue: the speaker of the quote around it, else its subject.
std::optional<Binding> StanceFinder::OpinionHolder(const std::vector<Candidate>& candidates,
                                                   const Span& cue) const {
  if (const Quote* quote = QuoteAround(cue)) {
    Actor actor = ActorOfQuote(*quote);
    if (actor.name.empty()) return std::nullopt;  // the quote's words belong to its speaker
    return Binding{actor, kByQuote, {}};
  }
  return Subject(candidates, cue, 0, false);
}

// Who holds a judgement: the quote's speaker, else the subject of a reporting verb before it
// ("He described the rule as a failure"), else of one after it ("..., Oracle said"), or the
// speaker named right after that verb ("..., said Kip Levin"). *frame_start: where the words
// the holder is judging begin (the quote, or what follows the reporting verb).
std::optional<Binding> StanceFinder::FrameHolder(const SentenceCues& cues,
                                                 const std::vector<Candidate>& candidates,
                                                 const Span& cue, uint32_t* frame_start) const {
  if (const Quote* quote = QuoteAround(cue)) {
    Actor actor = ActorOfQuote(*quote);
    *frame_start = quote->span.begin;
    if (!actor.name.empty()) return Binding{actor, kByQuote, {}};
  }
  std::vector<const Cue*> frames;
  for (auto r = cues[CueKind::kReport].rbegin(); r != cues[CueKind::kReport].rend(); ++r) {
    if (r->span.end <= cue.begin) frames.push_back(&*r);
  }
  for (const Cue& r : cues[CueKind::kReport]) {
    if (r.span.begin >= cue.end) frames.push_back(&r);
  }
  const std::vector<Cue>& conjunctions = cues[CueKind::kConjunction];
  for (const Cue* frame : frames) {
    *frame_start = frame->span.end <= cue.begin ? frame->span.end : 0;
    // "X called on Congress to act and said ...": the verb after "and" is the subject's.
    bool after_and = std::any_of(conjunctions.begin(), conjunctions.end(), [&](const Cue& c) {
      return Adjacent(doc_.text, c.span.end, frame->span.begin, 0);
    });
    std::optional<Binding> subject = Subject(candidates, frame->span, 0, false, after_and);
    if (subject) {
      subject->factor *= kByFrame;
      return subject;
    }
    for (const Candidate& c : candidates) {
      if (!c.actor.name.empty() && Adjacent(doc_.text, frame->span.end, c.span.begin, 0)) {
        return Binding{c.actor, kByFrame, {}};
      }
    }
  }
  return std::nullopt;
}

// Whether a policy is named shortly before `cue`: the subject of an action may be the policy
// itself ("This regulatory action imposes ...", "H20获得出口许可").
bool StanceFinder::PolicyBefore(uint32_t s, const Span& cue) const {
  auto before = [&](const Span& span) {
    return span.end <= cue.begin && Width(doc_.text, span.end, cue.begin) <= kSubjectReach;
  };
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && before(m->span)) return true;
  }
  const std::vector<Cue>& refs = (*cues_[s])[CueKind::kPolicy];
  return std::any_of(refs.begin(), refs.end(), [&](const Cue& r) { return before(r.span); });
}

// Who took a government action: the agent of a passive, else a government subject, else, when
// no actor is named and the action is passive or its subject is the policy itself, the
// government whose policy it is.
std::optional<Binding> StanceFinder::ActionHolder(uint32_t s,
                                                  const std::vector<Candidate>& candidates,
                                                  const Cue& action, uint32_t lower_bound,
                                                  bool in_scope, const std::string& policy) const {
  const SentenceCues& cues = *cues_[s];
  bool passive = std::any_of(cues[CueKind::kPassive].begin(), cues[CueKind::kPassive].end(),
                             [&](const Cue& p) {
                               return Overlaps(p.span, action.span) ||
                                      Adjacent(doc_.text, p.span.end, action.span.begin, 1) ||
                                      Adjacent(doc_.text, action.span.end, p.span.begin, 1);
                             });
  std::optional<Binding> holder = Agent(cues, candidates, action.span);
  const Quote* quote = QuoteAround(action.span);
  if (quote) lower_bound = std::max(lower_bound, quote->span.begin);
  if (!holder && !passive) {
    std::optional<Binding> nearest = Subject(candidates, action.span, lower_bound, false);
    if (nearest && !nearest->actor.government()) {
      nearest = Subject(candidates, action.span, lower_bound, true);
      if (!nearest) return std::nullopt;  // a company acting ("Nvidia resumed sales")
    }
    holder = nearest;
  }
  if (holder) return holder->actor.government() ? holder : std::nullopt;
  if (quote) {
    Actor speaker = ActorOfQuote(*quote);
    if (speaker.government()) return Binding{speaker, kByQuote, {}};
  }
  if (in_scope || (!passive && !PolicyBefore(s, action.span))) return std::nullopt;
  const PolicyRow* row = lexicon_.FindPolicy(policy);
  if (!row || row->government.empty()) return std::nullopt;
  return Binding{Actor{row->government, "", row->country}, kByDefaultGovernment, {}};
}

}  // namespace stancetrack::stance_detail
