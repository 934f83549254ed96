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
  // A lawmaker speaks in person, whatever chamber the quote names them for.
  if (entities_.Find(EntityType::kPerson, quote.speaker)) {
    Actor person = ActorOfPerson(quote.speaker);
    if (person.name == quote.speaker) return person;
  }
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
// subject ("Huang praised Trump ... He said": Huang). "The ministry" fits only organizations of
// the kinds its row names, as far as kKindAnaphoraSentences back; in English, whose words the
// canonical names share, only one whose name holds the phrase's last word ("the department":
// Department of Commerce, not a ministry elsewhere) reaches that far, any other as far as an
// untyped reference.
std::optional<Actor> StanceFinder::ResolveReference(const ActorRow& row, const Span& phrase,
                                                    uint32_t s) const {
  std::string_view words = phrase.Of(doc_.text);
  std::string head = Lower(words.substr(words.find_last_of(' ') + 1));
  auto kind_fits = [&](const Mention& m) {
    const EntityInfo* info = entities_.Find(EntityType::kOrganization, m.canonical);
    return info && std::find(row.kinds.begin(), row.kinds.end(), info->role) != row.kinds.end();
  };
  auto named_by_head = [&](const Mention& m) {
    return kind_fits(m) && Lower(m.canonical).find(head) != std::string::npos;
  };
  auto fits_kind = [&](const Mention& m) { return row.kinds.empty() || kind_fits(m); };
  if (!row.kinds.empty() && !row.english) {
    return LatestFitting(fits_kind, phrase.begin, s, kKindAnaphoraSentences, row.anaphor);
  }
  if (!row.kinds.empty()) {
    if (auto actor =
            LatestFitting(named_by_head, phrase.begin, s, kKindAnaphoraSentences, row.anaphor)) {
      return actor;
    }
  }
  return LatestFitting(fits_kind, phrase.begin, s, kAnaphoraSentences, row.anaphor);
}

// The first fitting actor of the nearest sentence (this one first, up to `reach` back) that has
// one, named before `position`.
template <typename Pred>
std::optional<Actor> StanceFinder::LatestFitting(const Pred& fits, uint32_t position, uint32_t s,
                                                 uint32_t reach, Anaphor anaphor) const {
  uint32_t first = s >= reach ? s - reach : 0;
  for (uint32_t t = s + 1; t-- > first;) {
    if (!doc_.IsContent(doc_.sentences[t].paragraph)) continue;
    for (const Mention* m : mentions_of_[t]) {
      if (m->span.end > position) break;
      if (!Fits(anaphor, m->type) || !fits(*m)) continue;
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
       lexicon_.actor_matcher.Find(doc_, s, SentenceLanguage(doc_, s), scan_)) {
    const ActorRow& row = lexicon_.actors[hit.cue];
    if ((!row.from.empty() || !row.to.empty()) && !InWindow(reference_date_, row.from, row.to)) {
      continue;
    }
    Candidate c{hit.span, {row.actor, row.speaker, row.country}};
    if (row.anaphor != Anaphor::kNone) {
      c.actor = ResolveReference(row, hit.span, s).value_or(Actor{});
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
  MarkRoles(s, &kept);
  MarkAppositionsAndModifiers(s, &kept);
  ResolvePronounsAfterReports(s, &kept);
  return kept;
}

// What the words around each candidate say of its role: object of a preposition, marked as a
// subject, followed by a relative clause, joined to the one before.
void StanceFinder::MarkRoles(uint32_t s, std::vector<Candidate>* candidates) const {
  std::vector<Candidate>& kept = *candidates;
  const SentenceCues& cues = *cues_[s];
  for (Candidate& c : kept) {
    // "to China", "in the previous administration" (the phrase may begin with the article the
    // preposition cue also took), "to US commerce secretary Gina Raimondo", "トランプ政権の".
    const std::vector<Cue>& prepositions = cues[CueKind::kPreposition];
    // The words between may be a title, not another clause ("charges after the U.S.
    // government": "after" opens one).
    auto title_only = [&](const Span& gap) {
      for (CueKind kind : {CueKind::kConjunction, CueKind::kPreposition, CueKind::kNominal,
                           CueKind::kRelative, CueKind::kReport, CueKind::kAgent}) {
        if (HasCue(cues[kind], gap)) return false;
      }
      return true;
    };
    c.object = std::any_of(prepositions.begin(), prepositions.end(), [&](const Cue& p) {
      return Follows(doc_.text, p.span, c.span) ||
             (p.span.end <= c.span.begin &&
              Adjacent(doc_.text, p.span.end, c.span.begin, kObjectTitleWords) &&
              title_only(Span{p.span.end, c.span.begin}));
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
}

// "The U.S. government said it would require licences": a reference right after a reporting
// verb is that verb's subject, whatever was named last.
void StanceFinder::ResolvePronounsAfterReports(uint32_t s,
                                               std::vector<Candidate>* candidates) const {
  for (const Cue& r : (*cues_[s])[CueKind::kReport]) {
    auto pronoun = std::find_if(candidates->begin(), candidates->end(), [&](const Candidate& c) {
      return c.reference && c.span.begin >= r.span.end &&
             Adjacent(doc_.text, r.span.end, c.span.begin, 0);
    });
    if (pronoun == candidates->end()) continue;
    std::optional<Binding> subject = Subject(*candidates, r.span, 0, false);
    if (subject) pronoun->actor = subject->actor;
  }
}

namespace {

// Whether text[from, to) is a comma, then 1 to `words` words without punctuation: the opening of
// an apposition or a relative clause (", chairman of the", ", who chairs the"). No words, or
// only a conjunction, continue a list ("GeoComply, Multibeam, and Fortaegis").
bool OpensApposition(std::string_view text, uint32_t from, uint32_t to, int words,
                     const std::vector<Cue>& conjunctions) {
  std::string_view gap = text.substr(from, to - from);
  size_t comma = gap.find_first_not_of(' ');
  if (comma == gap.npos || gap[comma] != ',') return false;
  Span inside{from + static_cast<uint32_t>(comma) + 1, to};
  int count = Words(text, inside.begin, inside.end);
  if (count == 1 && HasCue(conjunctions, inside)) return false;
  return count >= 1 && count <= words;
}

// Whether text[from, to) is nothing, spaces, or a possessive ending: "the US measures",
// "Washington's curbs", "美方此举".
bool Possessive(std::string_view text, uint32_t from, uint32_t to) {
  std::string_view gap = text.substr(from, to - from);
  for (std::string_view ending : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"}) {
    if (gap.starts_with(ending)) {
      gap.remove_prefix(ending.size());
      break;
    }
  }
  return gap.find_first_not_of(' ') == gap.npos;
}

}  // namespace

// An actor inside an apposition or relative clause of the actor before it is no subject of the
// verb after the clause; an actor that qualifies a policy noun ("the US measures") is none
// either: it says whose policy it is (Qualifier).
void StanceFinder::MarkAppositionsAndModifiers(uint32_t s,
                                               std::vector<Candidate>* candidates) const {
  const std::string_view text = doc_.text;
  const Span sentence = doc_.sentences[s].span;
  for (size_t i = 1; i < candidates->size(); ++i) {
    Candidate& c = (*candidates)[i];
    if (!OpensApposition(text, (*candidates)[i - 1].span.end, c.span.begin, kAppositionWords,
                         (*cues_[s])[CueKind::kConjunction])) {
      continue;
    }
    size_t close = text.find_first_of(",.;:", c.span.end);
    c.apposed = close < sentence.end && text[close] == ',';
    c.apposition_end = static_cast<uint32_t>(close);
  }
  std::vector<Span> refs;
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy) refs.push_back(m->span);
  }
  const SentenceCues& cues = *cues_[s];
  for (CueKind kind : {CueKind::kPolicy, CueKind::kDecision}) {
    for (const Cue& cue : cues[kind]) refs.push_back(cue.span);
  }
  // A noun that is also the verb of a cue is no policy noun: "the US bans exports", 美国限制出口.
  std::erase_if(refs, [&](const Span& r) {
    return std::any_of(cues.polar.begin(), cues.polar.end(),
                       [&](const Cue& p) { return Overlaps(p.span, r); });
  });
  for (Candidate& c : *candidates) {
    c.modifier = std::any_of(refs.begin(), refs.end(), [&](const Span& r) {
      return r.begin >= c.span.end && Possessive(text, c.span.end, r.begin);
    });
  }
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
  // A name inside an apposition is no subject of the verb after it, but is of one inside it.
  auto apposed = [&](const Candidate& c) { return c.apposed && cue.begin >= c.apposition_end; };
  if (first) {
    auto c = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) {
      return in_reach(c) && !c.object && !apposed(c) && !c.modifier && !c.actor.name.empty();
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
    if ((c->object && !c->relative) || apposed(*c) || c->modifier || c->actor.name.empty() ||
        (marking && !c->marked)) {
      continue;
    }
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

// The agent of a passive: the actor right after "by" following the cue, perhaps after a title
// ("sponsored by Senator Jim Banks").
std::optional<Binding> StanceFinder::Agent(const SentenceCues& cues,
                                           const std::vector<Candidate>& candidates,
                                           const Span& cue) const {
  for (const Cue& agent : cues[CueKind::kAgent]) {
    if (!Adjacent(doc_.text, cue.end, agent.span.begin, 2)) continue;
    for (const Candidate& c : candidates) {
      if (c.actor.name.empty() || c.span.begin <= agent.span.begin) continue;
      if (Follows(doc_.text, agent.span, c.span) ||
          Adjacent(doc_.text, agent.span.end, c.span.begin, kObjectTitleWords)) {
        return Binding{c.actor, kByAgent, {}};
      }
      break;  // the first actor after "by" is the agent or there is none
    }
  }
  return std::nullopt;
}

// Who holds an opinion cue: the speaker of the quote around it, else its subject; in the
// passive the agent, if the text names one: after the cue ("was criticised by Nvidia") or
// between the passive marker and the cue (遭到中方反对).
std::optional<Binding> StanceFinder::OpinionHolder(const SentenceCues& cues,
                                                   const std::vector<Candidate>& candidates,
                                                   const Span& cue) const {
  if (const Quote* quote = QuoteAround(cue)) {
    Actor actor = ActorOfQuote(*quote);
    if (actor.name.empty()) return std::nullopt;  // the quote's words belong to its speaker
    return Binding{actor, kByQuote, {}};
  }
  for (const Cue& p : cues[CueKind::kPassive]) {
    if (cue.Contains(p.span) || p.span.begin >= cue.end) continue;    // "is opposed to"
    if (p.span.end > cue.begin) return Agent(cues, candidates, cue);  // "was criticised"
    if (Width(doc_.text, p.span.end, cue.begin) > kOpinionReach ||
        HasClauseBreak(p.span.end, cue.begin)) {
      continue;
    }
    for (const Candidate& c : candidates) {
      if (c.span.begin >= p.span.end && c.span.end <= cue.begin && !c.object && !c.modifier &&
          !c.actor.name.empty()) {
        return Binding{c.actor, kByAgent, {}};
      }
    }
    return std::nullopt;  // 引发外界质疑: met with doubts of no one named
  }
  return Subject(candidates, cue, 0, false, AfterConjunction(cues, cue));
}

// "X said the rule left gaps, and called for tighter limits": the verb after "and" has the
// subject the sentence began with, not the nearest name.
bool StanceFinder::AfterConjunction(const SentenceCues& cues, const Span& verb) const {
  const std::vector<Cue>& conjunctions = cues[CueKind::kConjunction];
  return std::any_of(conjunctions.begin(), conjunctions.end(), [&](const Cue& c) {
    return c.span.end <= verb.begin && Adjacent(doc_.text, c.span.end, verb.begin, 0);
  });
}

// Where the words a quote's speaker judges begin: the quote, or the reporting verb before it in
// its sentence when the quote finishes what the speaker said ("said the decision to allow sales
// "risks ..."").
uint32_t StanceFinder::QuoteFrameStart(const Quote& quote, const SentenceCues& cues) const {
  uint32_t start = quote.span.begin;
  const Span sentence = doc_.sentences[quote.sentence].span;
  for (const Cue& r : cues[CueKind::kReport]) {
    if (r.span.end > quote.span.begin || r.span.begin < sentence.begin) continue;
    bool other_quote =
        std::any_of(so_far_.quotes.begin(), so_far_.quotes.end(), [&](const Quote& q) {
          return &q != &quote && q.span.begin >= r.span.end && q.span.end <= quote.span.begin;
        });
    if (!other_quote) start = std::min(start, r.span.end);
  }
  return start;
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
    *frame_start = QuoteFrameStart(*quote, cues);
    if (!actor.name.empty()) return Binding{actor, kByQuote, {}};
  }
  std::vector<const Cue*> frames;
  for (auto r = cues[CueKind::kReport].rbegin(); r != cues[CueKind::kReport].rend(); ++r) {
    if (r->span.end <= cue.begin) frames.push_back(&*r);
  }
  for (const Cue& r : cues[CueKind::kReport]) {
    if (r.span.begin >= cue.end) frames.push_back(&r);
  }
  for (const Cue* frame : frames) {
    *frame_start = frame->span.end <= cue.begin ? frame->span.end : 0;
    // "X called on Congress to act and said ...": the verb after "and" is the subject's.
    std::optional<Binding> subject =
        Subject(candidates, frame->span, 0, false, AfterConjunction(cues, frame->span));
    if (subject) {
      subject->factor *= kByFrame;
      return subject;
    }
    // "..., said Kip Levin": a name right after a verb that follows the judgement; after one
    // that opens it ("said the US measures ...") the name begins what was said.
    if (frame->span.begin < cue.end) continue;
    for (const Candidate& c : candidates) {
      if (!c.actor.name.empty() && !c.modifier &&
          Adjacent(doc_.text, frame->span.end, c.span.begin, 0)) {
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

// Whether `span` is said by someone named who is no government: it follows a reporting verb
// whose subject is a company or trade group, or precedes one ("..., Oracle said").
bool StanceFinder::ReportedByNonGovernment(uint32_t s, const std::vector<Candidate>& candidates,
                                           const Span& span) const {
  const SentenceCues& cues = *cues_[s];
  for (const Cue& r : cues[CueKind::kReport]) {
    std::optional<Binding> speaker = r.span.end <= span.begin
                                         ? Subject(candidates, r.span, 0, false)
                                         : Subject(candidates, r.span, span.end, false);
    if (speaker && !speaker->actor.government()) return true;
  }
  return false;
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
  // What a reporting verb introduces has its own subject: "Warren said the decision to allow
  // sales ..." is no act of Warren's; right after the verb the action is its subject's
  // (美国政府宣布将批准: announced it would approve).
  for (const Cue& r : cues[CueKind::kReport]) {
    if (r.span.end <= action.span.begin && !Adjacent(doc_.text, r.span.end, action.span.begin, 1)) {
      lower_bound = std::max(lower_bound, r.span.end);
    }
  }
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
  // What a company says a rule would do ("the bill would restrict competition, the company
  // said") is its reading of the rule, no act of the government's.
  if (ReportedByNonGovernment(s, candidates, action.span)) return std::nullopt;
  const PolicyRow* row = lexicon_.FindPolicy(policy);
  if (!row || row->government.empty()) return std::nullopt;
  return Binding{Actor{row->government, "", row->country}, kByDefaultGovernment, {}};
}

}  // namespace stancetrack::stance_detail
