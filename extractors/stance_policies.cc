// The stance extractor's cues and policies: scanning a sentence, negation, hedges, and which
// policy a cue is about (stance_finder.h).
#include <algorithm>
#include <map>

#include "extractors/stance_finder.h"

namespace stancetrack::stance_detail {

bool Overlaps(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// Pads a partial date (YYYY, YYYY-MM) to a day inside it, so periods compare as strings.
std::string FullDate(const std::string& date) {
  if (date.size() == 4) return date + "-07-01";
  if (date.size() == 7) return date + "-15";
  return date;
}

bool InWindow(const std::string& date, const std::string& from, const std::string& to) {
  if (date.empty()) return from.empty() && to.empty();
  return (from.empty() || from <= date) && (to.empty() || date <= to);
}

bool IsQuestion(std::string_view sentence) {
  while (!sentence.empty() &&
         std::string_view(" \n\"')]").find(sentence.back()) != std::string_view::npos) {
    sentence.remove_suffix(1);
  }
  return sentence.ends_with('?') || sentence.ends_with("？") || sentence.ends_with("?”");
}

// Whether the text between two offsets holds nothing but white space and at most `words` words,
// without punctuation (a negation or auxiliary does not act across a comma).
bool Adjacent(std::string_view text, uint32_t from, uint32_t to, int words) {
  if (from > to || to - from > kAdjacentGapBytes) return false;
  int seen = 0;
  bool in_word = false;
  for (uint32_t i = from; i < to; ++i) {
    char c = text[i];
    if (c == ' ' || c == '\n') {
      in_word = false;
      continue;
    }
    if (std::string_view(",.;:!?()\"").find(c) != std::string_view::npos) return false;
    if (!in_word && ++seen > words) return false;
    in_word = true;
  }
  return true;
}

// Display columns of text[from, to): one per character, two for characters of three or more
// UTF-8 bytes (CJK, Hangul), which carry about twice the meaning of a Latin letter.
uint32_t Width(std::string_view text, uint32_t from, uint32_t to) {
  uint32_t width = 0;
  for (uint32_t i = from; i < to && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) width += c >= 0xE0 ? 2 : 1;  // count lead bytes only
  }
  return width;
}

// Whether `next` comes right after `marker` ("by the Biden administration"); the two may share
// an article both patterns took.
bool Follows(std::string_view text, const Span& marker, const Span& next) {
  return next.begin > marker.begin &&
         (next.begin <= marker.end || Adjacent(text, marker.end, next.begin, 0));
}

bool HasCue(const std::vector<Cue>& cues, const Span& within) {
  return std::any_of(cues.begin(), cues.end(),
                     [&](const Cue& c) { return within.Contains(c.span); });
}

// Whether text[from, to) holds only spaces, commas and at most one of `conjunctions` ("and"):
// the words between the items of a list ("GeoComply, Multibeam, and Fortaegis").
bool OnlySeparators(std::string_view text, uint32_t from, uint32_t to,
                    const std::vector<Cue>& conjunctions) {
  if (from > to) return false;
  Span skip{to, to};
  for (const Cue& c : conjunctions) {
    if (c.span.begin >= from && c.span.end <= to) {
      skip = c.span;
      break;
    }
  }
  for (uint32_t i = from; i < to; ++i) {
    if (i >= skip.begin && i < skip.end) continue;
    if (text[i] == ' ' || text[i] == ',') continue;
    if (text.substr(i, 3) == "、") {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Document level

void StanceFinder::ScanSentences() {
  cues_.resize(doc_.sentences.size());
  for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
    if (!doc_.IsContent(doc_.sentences[s].paragraph)) continue;
    SentenceCues& cues = cues_[s].emplace();
    std::vector<Cue> polar;
    for (const CueMatcher::Hit& hit :
         lexicon_.cue_matcher.Find(doc_, s, SentenceLanguage(doc_, s))) {
      const CueRow& row = lexicon_.cues[hit.cue];
      Cue cue{&row, hit.span};
      if (IsPolar(row.kind)) {
        polar.push_back(cue);
      } else {
        cues.by_kind[static_cast<size_t>(row.kind)].push_back(cue);
      }
    }
    // Where polar cues overlap ("lift the ban" and "ban"), the longest reading wins.
    std::stable_sort(polar.begin(), polar.end(),
                     [](const Cue& a, const Cue& b) { return a.span.size() > b.span.size(); });
    for (const Cue& cue : polar) {
      bool covered = std::any_of(cues.polar.begin(), cues.polar.end(),
                                 [&](const Cue& kept) { return Overlaps(kept.span, cue.span); });
      if (!covered) cues.polar.push_back(cue);
    }
    std::sort(cues.polar.begin(), cues.polar.end(),
              [](const Cue& a, const Cue& b) { return a.span.begin < b.span.begin; });
    std::erase_if(cues.by_kind[static_cast<size_t>(CueKind::kReport)], [&](const Cue& r) {
      return std::any_of(cues.polar.begin(), cues.polar.end(),
                         [&](const Cue& p) { return Overlaps(p.span, r.span); });
    });
  }
}

float StanceFinder::PeriodWeight(const std::string& policy, const std::string& date) const {
  const PolicyRow* row = lexicon_.FindPolicy(policy);
  if (!row) return 1.0f;
  bool current = !date.empty() && (!row->from.empty() || !row->to.empty()) &&
                 InWindow(date, row->from, row->to);
  return row->weight * (current ? 2.0f : 1.0f);
}

std::string StanceFinder::DominantPolicy(const std::string& date) const {
  std::map<std::string, float> score;
  std::vector<std::string> order;
  auto count = [&](const std::string& policy, float weight) {
    if (!score.count(policy)) order.push_back(policy);
    score[policy] += weight * PeriodWeight(policy, date);
  };
  // Generic phrases ("export controls") count only where nothing more specific is named.
  for (bool generic : {false, true}) {
    for (const Mention& m : so_far_.mentions) {
      if (m.type != EntityType::kPolicy || m.sentence >= cues_.size() || !cues_[m.sentence]) {
        continue;
      }
      if ((m.confidence <= kGenericPolicyConfidence) == generic) count(m.canonical, m.confidence);
    }
    for (const std::optional<SentenceCues>& cues : cues_) {
      if (!cues || generic) continue;
      for (const Cue& cue : (*cues)[CueKind::kPolicy]) {
        if (!cue.row->policy.empty()) count(cue.row->policy, cue.row->weight);
      }
    }
    if (!order.empty()) break;
  }
  std::string best;
  for (const std::string& policy : order) {
    if (best.empty() || score[policy] > score[best]) best = policy;
  }
  return best;
}

// The date the document speaks from: its publication date, else the latest date it names, else
// the end of the period of the policy it is about.
void StanceFinder::ChooseReferenceDateAndDominantPolicy() {
  reference_date_ = so_far_.published;
  if (reference_date_.empty()) {
    for (const DateMention& d : so_far_.dates) {
      if (!d.relative && !d.date.empty()) reference_date_ = std::max(reference_date_, d.date);
    }
  }
  reference_date_ = FullDate(reference_date_);
  dominant_ = DominantPolicy(reference_date_);
  if (reference_date_.empty()) {
    if (const PolicyRow* row = lexicon_.FindPolicy(dominant_)) reference_date_ = row->to;
  }
}

// ---------------------------------------------------------------------------------------------
// Cues and policies

bool StanceFinder::Named(const SentenceCues& cues, const Span& cue) const {
  const std::vector<Cue>& nominal = cues[CueKind::kNominal];
  return std::any_of(nominal.begin(), nominal.end(),
                     [&](const Cue& n) { return Follows(doc_.text, n.span, cue); });
}

bool StanceFinder::Negated(const SentenceCues& cues, const Span& cue) const {
  for (const Cue& n : cues[CueKind::kNegation]) {
    // A negation written without spaces (不, 没有) must touch its cue ("不断" is no negation);
    // one in a spaced script may stand two words before it ("does not strongly oppose").
    int words = static_cast<unsigned char>(doc_.text[n.span.begin]) >= 0x80 ? 0 : 2;
    if (Adjacent(doc_.text, n.span.end, cue.begin, words)) return true;
  }
  for (const Cue& n : cues[CueKind::kNegationAfter]) {
    if (Adjacent(doc_.text, cue.end, n.span.begin, 1)) return true;
  }
  return false;
}

float StanceFinder::Hedge(const SentenceCues& cues, const Span& cue) const {
  float factor = 1.0f;
  for (const Cue& h : cues[CueKind::kHedge]) {
    bool near = h.span.begin < cue.end &&
                (h.span.end >= cue.begin || Width(doc_.text, h.span.end, cue.begin) <= kHedgeReach);
    if (near) factor = std::min(factor, h.row->weight);
  }
  return factor;
}

std::string StanceFinder::RecentPolicy(uint32_t s) const {
  uint32_t first = s >= kRecentPolicySentences ? s - kRecentPolicySentences : 0;
  for (auto m = so_far_.mentions.rbegin(); m != so_far_.mentions.rend(); ++m) {
    if (m->sentence >= s || m->type != EntityType::kPolicy) continue;
    if (m->sentence < first) break;
    if (m->confidence <= kGenericPolicyConfidence) continue;  // "export controls" says too little
    if (doc_.IsContent(doc_.sentences[m->sentence].paragraph)) return m->canonical;
  }
  return "";
}

// The policy a cue at `at` is about. Ranks: a policy named in the sentence, a product or list
// implying one (H20), a generic phrase ("export controls", "the rule") meaning the policy named
// in the last sentences or else the dominant one; the nearest of the best rank.
PolicyChoice StanceFinder::ResolvePolicy(uint32_t s, const Span& at, bool action) const {
  struct Ref {
    int rank;
    Span span;
    std::string policy;
    float factor;
  };
  std::vector<Ref> refs;
  std::string recent = RecentPolicy(s);
  std::string context = recent.empty() ? dominant_ : recent;
  float context_factor = recent.empty() ? kDominantPolicy : kRecentPolicy;
  bool context_named = false;
  for (const Mention* m : mentions_of_[s]) {
    if (m->type != EntityType::kPolicy) continue;
    if (m->confidence > kGenericPolicyConfidence) {
      refs.push_back({3, m->span, m->canonical, kExplicitPolicy});
      context_named = context_named || m->canonical == context;
    }
  }
  // A generic phrase ("export controls", "chip-control rules") means the rule in context, unless
  // the sentence names that rule itself ("rescind the AI Diffusion Rule and strengthen export
  // controls"): then it means its own.
  for (const Mention* m : mentions_of_[s]) {
    if (m->type != EntityType::kPolicy || m->confidence > kGenericPolicyConfidence) continue;
    if (context.empty() || context_named) {
      refs.push_back({3, m->span, m->canonical, kExplicitPolicy});
    } else {
      refs.push_back({1, m->span, context, context_factor});
    }
  }
  for (const Cue& cue : (*cues_[s])[CueKind::kPolicy]) {
    if (!cue.row->policy.empty()) {
      refs.push_back({2, cue.span, cue.row->policy, kHintedPolicy});
    } else if (!context.empty()) {
      refs.push_back({1, cue.span, context, context_factor});
    }
  }
  auto distance = [&](const Span& span) {
    // Objects follow their verb: a reference after the cue is preferred at equal distance.
    return span.begin >= at.end ? span.begin - at.end : at.begin - std::min(at.begin, span.end) + 8;
  };
  const Ref* best = nullptr;
  for (const Ref& ref : refs) {
    if (!best || ref.rank > best->rank ||
        (ref.rank == best->rank && distance(ref.span) < distance(best->span))) {
      best = &ref;
    }
  }
  if (best) return {best->policy, best->factor, true, best->span};
  if (!action) return {};
  return {context, context.empty() ? 0.0f : kImpliedPolicy, false, {}};
}

// A government imposing restrictions of its own holds its own country's policy.
std::string StanceFinder::OwnPolicy(const Actor& actor, const std::string& policy) const {
  const PolicyRow* row = lexicon_.FindPolicy(policy);
  if (!actor.government() || !row || row->country == actor.country) return policy;
  const PolicyRow* own = lexicon_.GeneralPolicyOf(actor.country);
  return own ? own->policy : policy;
}

}  // namespace stancetrack::stance_detail
