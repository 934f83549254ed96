// The stance extractor's cues and policies: scanning a sentence, negation, hedges, and which
// policy a cue is about (stance_finder.h).
#include <algorithm>
#include <array>
#include <limits>
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

namespace {

// Full-width punctuation of Chinese and Japanese text, which ends a clause as ",.;:!?()" do.
constexpr std::array<std::string_view, 15> kWidePunctuation = {
    "\xEF\xBC\x8C", "\xE3\x80\x82", "\xEF\xBC\x9B", "\xEF\xBC\x9A", "\xEF\xBC\x81",
    "\xEF\xBC\x9F", "\xE3\x80\x81", "\xEF\xBC\x88", "\xEF\xBC\x89", "\xE3\x80\x8C",
    "\xE3\x80\x8D", "\xE3\x80\x8E", "\xE3\x80\x8F", "\xE3\x80\x8A", "\xE3\x80\x8B"};

// The first bytes of those: a byte that is none of them starts no wide punctuation, which
// settles most bytes of any text without a comparison.
constexpr std::array<bool, 256> kWidePunctuationLead = [] {
  std::array<bool, 256> lead{};
  for (std::string_view p : kWidePunctuation) lead[static_cast<unsigned char>(p[0])] = true;
  return lead;
}();

bool WidePunctuationAt(std::string_view text, uint32_t i) {
  if (i >= text.size() || !kWidePunctuationLead[static_cast<unsigned char>(text[i])]) return false;
  return std::any_of(kWidePunctuation.begin(), kWidePunctuation.end(),
                     [&](std::string_view p) { return text.substr(i, p.size()) == p; });
}

}  // namespace

int Words(std::string_view text, uint32_t from, uint32_t to) {
  int seen = 0;
  bool in_word = false;
  for (uint32_t i = from; i < to && i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\n') {
      in_word = false;
      continue;
    }
    if (std::string_view(",.;:!?()\"").find(c) != std::string_view::npos) return -1;
    if (WidePunctuationAt(text, i)) return -1;
    if (!in_word) ++seen;
    in_word = true;
  }
  return seen;
}

// Whether the text between two offsets holds nothing but white space and at most `words` words,
// without punctuation (a negation or auxiliary does not act across a comma).
bool Adjacent(std::string_view text, uint32_t from, uint32_t to, int words) {
  if (from > to || to - from > kAdjacentGapBytes) return false;
  int seen = Words(text, from, to);
  return seen >= 0 && seen <= words;
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

bool PossessiveAt(std::string_view text, uint32_t at) {
  std::string_view rest = text.substr(std::min<size_t>(at, text.size()));
  return rest.starts_with("'s") || rest.starts_with("\xE2\x80\x99s") ||
         ((rest.starts_with("'") || rest.starts_with("\xE2\x80\x99")) && at > 0 &&
          (text[at - 1] == 's' || text[at - 1] == 'S'));
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
         lexicon_.cue_matcher.Find(doc_, s, SentenceLanguage(doc_, s), scan_)) {
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
    // A policy word inside a name is part of the name: "Bill Huizenga", "the Rules Committee".
    for (CueKind kind : {CueKind::kPolicy, CueKind::kDecision}) {
      std::erase_if(cues.by_kind[static_cast<size_t>(kind)], [&](const Cue& r) {
        return std::any_of(mentions_of_[s].begin(), mentions_of_[s].end(), [&](const Mention* m) {
          return m->type != EntityType::kPolicy && m->type != EntityType::kCountry &&
                 m->span.Contains(r.span);
        });
      });
    }
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
  // Generic phrases ("export controls") count only where nothing more specific is named; one
  // qualified by a country ("Dutch controls", "the US measures") says whose policy it is.
  for (bool generic : {false, true}) {
    for (const Mention& m : so_far_.mentions) {
      if (m.type != EntityType::kPolicy || m.sentence >= cues_.size() || !cues_[m.sentence]) {
        continue;
      }
      if ((m.confidence <= kGenericPolicyConfidence) != generic) continue;
      auto owned = owned_.find(m.span.begin);
      count(owned == owned_.end() ? m.canonical : owned->second, m.confidence);
    }
    for (uint32_t s = 0; s < cues_.size() && !generic; ++s) {
      if (!cues_[s]) continue;
      // A list of products in one sentence ("gallium, germanium and antimony") is one reference.
      std::map<std::string, float> hinted;
      for (const Cue& cue : (*cues_[s])[CueKind::kPolicy]) {
        if (!cue.row->policy.empty()) {
          hinted[cue.row->policy] = std::max(hinted[cue.row->policy], cue.row->weight);
        } else if (const PolicyRow* own = lexicon_.GeneralPolicyOf(CountryBefore(s, cue.span))) {
          count(own->policy, kGenericPolicyConfidence);
        }
      }
      for (const auto& [policy, weight] : hinted) count(policy, weight);
    }
    if (!order.empty()) break;
  }
  std::string best;
  for (const std::string& policy : order) {
    if (best.empty() || score[policy] > score[best]) best = policy;
  }
  return best;
}

// The country named right before a generic policy word ("Dutch controls", "the US measures"),
// not as the object of a preposition ("curbs on China"); empty if none. Unlike Qualifier, it
// needs no actor candidates, so it serves before the sentence loop.
std::string StanceFinder::CountryBefore(uint32_t s, const Span& ref) const {
  const SentenceCues& cues = *cues_[s];
  bool verb = std::any_of(cues.polar.begin(), cues.polar.end(),
                          [&](const Cue& p) { return Overlaps(p.span, ref); });
  if (verb) return "";  // 美国限制出口: a verb, not a policy noun
  for (auto m = mentions_of_[s].rbegin(); m != mentions_of_[s].rend(); ++m) {
    if ((*m)->span.end > ref.begin || (*m)->type != EntityType::kCountry) continue;
    if (AfterPreposition(cues, (*m)->span) || !QualifierGap(s, Span{(*m)->span.end, ref.begin})) {
      return "";
    }
    return (*m)->canonical;
  }
  return "";
}

// Whether a country name and a policy word may stand this far apart for the name to qualify
// the word: a possessive, then at most kQualifierWords words, or where words are not spaced
// (美国对华出口管制) kQualifierWidth columns, and no cue that would make the name a speaker or a
// subject ("China said curbs ...", "China bans exports").
bool StanceFinder::QualifierGap(uint32_t s, const Span& gap) const {
  const SentenceCues& cues = *cues_[s];
  uint32_t from = gap.begin;
  std::string_view text = std::string_view(doc_.text).substr(gap.begin, gap.end - gap.begin);
  for (std::string_view ending : {"'s", "\xE2\x80\x99s"}) {
    if (text.starts_with(ending)) from += static_cast<uint32_t>(ending.size());
  }
  int words = Words(doc_.text, from, gap.end);
  bool spaced = text.find(' ') != std::string_view::npos;
  return words >= 0 && words <= kQualifierWords &&
         (spaced || Width(doc_.text, from, gap.end) <= kQualifierWidth) &&
         !HasCue(cues.polar, gap) && !HasCue(cues[CueKind::kReport], gap);
}

// Whether the document's content is about the field the tracked rules govern: it names a policy
// (or a generic one, "export controls"), a product or list that implies one (H20, the Entity
// List), or the field itself ("chips", 半导体). Without, a "ban" or "embargo" and the government
// that imposed it are another story's: Libya's trade embargo, a drug taken off the market.
bool StanceFinder::AboutTheField() const {
  for (uint32_t s = 0; s < cues_.size(); ++s) {
    if (!cues_[s]) continue;
    const SentenceCues& cues = *cues_[s];
    if (!cues[CueKind::kDomain].empty()) return true;
    if (std::any_of(cues[CueKind::kPolicy].begin(), cues[CueKind::kPolicy].end(),
                    [](const Cue& cue) { return !cue.row->policy.empty(); })) {
      return true;
    }
    if (std::any_of(mentions_of_[s].begin(), mentions_of_[s].end(),
                    [](const Mention* m) { return m->type == EntityType::kPolicy; })) {
      return true;
    }
  }
  return false;
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

// Whether an action is only named: right after a nominal ("about restricting", "time to
// scrap"), or joined to a verb that is ("time to revise or scrap").
bool StanceFinder::Named(const SentenceCues& cues, const Span& cue) const {
  const std::vector<Cue>& nominal = cues[CueKind::kNominal];
  bool named = std::any_of(nominal.begin(), nominal.end(), [&](const Cue& n) {
    Span gap{n.span.end, cue.begin};
    return Follows(doc_.text, n.span, cue) ||
           (n.span.end <= cue.begin && Adjacent(doc_.text, gap.begin, gap.end, 2) &&
            HasCue(cues[CueKind::kConjunction], gap));
  });
  // What a topic phrase is about is named: "in response to Washington banning sales", 就美国发布
  // 规则答记者问.
  const std::vector<Cue>& topics = cues[CueKind::kTopic];
  return named || std::any_of(topics.begin(), topics.end(), [&](const Cue& t) {
           return t.span.end <= cue.begin && !HasClauseBreak(t.span.end, cue.begin) &&
                  Width(doc_.text, t.span.end, cue.begin) <= kOpinionReach;
         });
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

const Cue* StanceFinder::Modal(const SentenceCues& cues, const Span& cue) const {
  for (const Cue& m : cues[CueKind::kModal]) {
    if (m.span.end <= cue.begin && Adjacent(doc_.text, m.span.end, cue.begin, kModalWords)) {
      return &m;
    }
  }
  return nullptr;
}

bool StanceFinder::Anterior(const SentenceCues& cues, const Span& cue) const {
  for (const Cue& a : cues[CueKind::kAnterior]) {
    if (a.span.end > cue.begin || !Adjacent(doc_.text, a.span.end, cue.begin, kModalWords)) {
      continue;
    }
    // "Commerce said it had rescinded the rule": reported speech moves the news a tense back.
    const std::vector<Cue>& reports = cues[CueKind::kReport];
    if (std::none_of(reports.begin(), reports.end(),
                     [&](const Cue& r) { return r.span.end <= a.span.begin; })) {
      return true;
    }
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

// The policy a topic marker puts first ("In response to the H20 ban, ...", 针对H20禁令，...): the
// first policy named after it in its clause, if any.
std::string StanceFinder::TopicPolicy(uint32_t s) const {
  for (const Cue& topic : (*cues_[s])[CueKind::kTopic]) {
    const Mention* named = nullptr;
    for (const Mention* m : mentions_of_[s]) {
      if (m->type == EntityType::kPolicy && m->confidence > kGenericPolicyConfidence &&
          m->span.begin >= topic.span.end && !HasClauseBreak(topic.span.end, m->span.begin)) {
        named = m;
        break;
      }
    }
    const Cue* hinted = nullptr;
    for (const Cue& c : (*cues_[s])[CueKind::kPolicy]) {
      if (!c.row->policy.empty() && c.span.begin >= topic.span.end &&
          !HasClauseBreak(topic.span.end, c.span.begin)) {
        hinted = &c;
        break;
      }
    }
    if (named && (!hinted || named->span.begin <= hinted->span.begin)) return named->canonical;
    if (hinted) return hinted->row->policy;
  }
  return "";
}

// Whether text[from, to) holds punctuation that ends a clause, in any script (the enumeration
// comma 、 joins items of one clause).
bool StanceFinder::HasClauseBreak(uint32_t from, uint32_t to) const {
  for (uint32_t i = from; i < to && i < doc_.text.size(); ++i) {
    if (std::string_view(",;:.").find(doc_.text[i]) != std::string_view::npos) return true;
    if (WidePunctuationAt(doc_.text, i) &&
        std::string_view(doc_.text).substr(i, 3) != "\xE3\x80\x81")
      return true;
  }
  return false;
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
// The policy references of sentence `s`, ranked: 3 a policy named (or a rule outside the tables,
// with no policy), 2 a product or list implying one or a generic phrase a country qualifies, 1
// a generic phrase meaning the policy in `context`.
std::vector<PolicyRef> StanceFinder::PolicyRefs(uint32_t s, const std::string& context,
                                                float context_factor, bool topic) const {
  std::vector<PolicyRef> refs;
  bool context_named = false;
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && m->confidence > kGenericPolicyConfidence) {
      refs.push_back({3, m->span, m->canonical, kExplicitPolicy});
      context_named = context_named || m->canonical == context;
    }
  }
  // A generic phrase ("export controls", "chip-control rules") means the rule in context, unless
  // the sentence names that rule itself ("rescind the AI Diffusion Rule and strengthen export
  // controls"): then it means its own; a topic the sentence opens with it means in any case.
  // Qualified by a country, it means that country's policy ("the US measures" in an article
  // about China's countermeasures) and says as much as a product name does.
  auto generic = [&](const Span& span, bool decision) {
    std::string country = Qualifier(s, span);
    std::string policy = country.empty() ? context : QualifiedPolicy(country, context);
    if (!policy.empty()) {
      refs.push_back({country.empty() ? 1 : 2, span, policy, context_factor, decision});
    }
  };
  for (const Mention* m : mentions_of_[s]) {
    if (m->type != EntityType::kPolicy || m->confidence > kGenericPolicyConfidence) continue;
    if (context.empty() || (context_named && !topic)) {
      refs.push_back({3, m->span, m->canonical, kExplicitPolicy});
    } else {
      generic(m->span, false);
    }
  }
  for (const Cue& cue : (*cues_[s])[CueKind::kPolicy]) {
    if (!cue.row->policy.empty()) {
      refs.push_back({2, cue.span, cue.row->policy, kHintedPolicy});
    } else {
      generic(cue.span, false);
    }
  }
  for (const Cue& cue : (*cues_[s])[CueKind::kDecision]) generic(cue.span, true);
  // A rule this table does not track, named as explicitly as one it does: "reverse the
  // executive order" is about neither.
  for (const Cue& cue : (*cues_[s])[CueKind::kOtherPolicy]) refs.push_back({3, cue.span, "", 1});
  return refs;
}

PolicyChoice StanceFinder::ResolvePolicy(uint32_t s, const Span& at, bool action) const {
  std::string topic = TopicPolicy(s);
  std::string recent = topic.empty() ? RecentPolicy(s) : topic;
  std::string context = recent.empty() ? dominant_ : recent;
  float context_factor = recent.empty() ? kDominantPolicy : kRecentPolicy;
  std::vector<PolicyRef> refs = PolicyRefs(s, context, context_factor, !topic.empty());
  auto distance = [&](const Span& span) {
    // Objects follow their verb: a reference after the cue is preferred at equal distance.
    return span.begin >= at.end ? span.begin - at.end : at.begin - std::min(at.begin, span.end) + 8;
  };
  const PolicyRef* best = nullptr;
  for (const PolicyRef& ref : refs) {
    if (!best || ref.rank > best->rank ||
        (ref.rank == best->rank && distance(ref.span) < distance(best->span))) {
      best = &ref;
    }
  }
  // An opinion nearer to "the move" than to any rule is about the act ("dropped the act from
  // the bill, a move Huang called wise"), when the text has reported one.
  if (!action && best && !best->decision && LastEvent(s, "")) {
    for (const PolicyRef& ref : refs) {
      if (ref.decision && distance(ref.span) < distance(best->span)) best = &ref;
    }
  }
  if (best && best->policy.empty()) return {};
  if (best) return {best->policy, best->factor, true, best->decision, best->span};
  if (!action) return {};
  return {context, context.empty() ? 0.0f : kImpliedPolicy, false, false, {}};
}

// The country named right before a generic reference, possibly across a possessive and two
// words that are no cue: "the US measures", "American chip restrictions", 美国对华出口管制.
std::string StanceFinder::Qualifier(uint32_t s, const Span& ref) const {
  const SentenceCues& cues = *cues_[s];
  // A policy noun that is also a cue's verb (禁售, "bans") is no noun a country can qualify.
  if (std::any_of(cues.polar.begin(), cues.polar.end(),
                  [&](const Cue& p) { return Overlaps(p.span, ref); })) {
    return "";
  }
  auto qualifies = [&](const Span& name) {
    return name.end <= ref.begin && QualifierGap(s, Span{name.end, ref.begin});
  };
  // The nearest name before the reference decides.
  std::string country;
  uint32_t nearest = 0;
  auto consider = [&](const Span& name, const std::string& code) {
    if (!code.empty() && name.end >= nearest && qualifies(name)) {
      country = code;
      nearest = name.end;
    }
  };
  // A country after a preposition is the target ("restrictions on China", 対中規制), not the
  // owner; one before a particle of possession (米国の規制) is the owner.
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kCountry && !AfterPreposition(cues, m->span)) {
      consider(m->span, m->canonical);
    }
  }
  for (const Candidate& c : candidates_) {
    if (!AfterPreposition(cues, c.span)) consider(c.span, c.actor.country);
  }
  return country;
}

// Whether a name is the object of a preposition: right after one, or opening with one the name
// includes (対中, 对华: "toward China").
bool StanceFinder::AfterPreposition(const SentenceCues& cues, const Span& name) const {
  const std::vector<Cue>& prepositions = cues[CueKind::kPreposition];
  return std::any_of(prepositions.begin(), prepositions.end(), [&](const Cue& p) {
    return Follows(doc_.text, p.span, name) ||
           (p.span.begin == name.begin && p.span.end < name.end);
  });
}

std::string StanceFinder::QualifiedPolicy(const std::string& country,
                                          const std::string& context) const {
  const PolicyRow* row = lexicon_.FindPolicy(context);
  if (row && row->country == country) return context;
  const PolicyRow* own = lexicon_.GeneralPolicyOf(country);
  return own ? own->policy : context;
}

// The first policy noun after a possessive, across at most kQualifierWords words that hold no
// cue ("'s new export rules", "its AI rule"): a policy's name or a generic noun ("framework",
// "bill"). A product (H20) is no policy noun, "the Trump administration's H20 reversal" no rule
// of its own; a noun that is also a cue's verb is none either.
std::optional<Span> StanceFinder::OwnedNoun(uint32_t s, uint32_t from) const {
  const SentenceCues& cues = *cues_[s];
  std::optional<Span> best;
  auto consider = [&](const Span& ref) {
    bool verb = std::any_of(cues.polar.begin(), cues.polar.end(),
                            [&](const Cue& p) { return Overlaps(p.span, ref); });
    if (verb || ref.begin < from || (best && best->begin <= ref.begin)) return;
    if (QualifierGap(s, Span{from, ref.begin})) best = ref;
  };
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && m->confidence > kGenericPolicyConfidence) {
      consider(m->span);
    }
  }
  for (const Cue& cue : cues[CueKind::kPolicy]) {
    if (cue.row->policy.empty()) consider(cue.span);
  }
  return best;
}

bool StanceFinder::CountryAsSuch(const Actor& actor) const {
  const PolicyRow* own = lexicon_.GeneralPolicyOf(actor.country);
  return own && own->government == actor.name;
}

const Event* StanceFinder::LastEvent(uint32_t s, const std::string& policy) const {
  const Event* latest = nullptr;
  for (auto e = events_.rbegin(); e != events_.rend(); ++e) {
    if (e->sentence + kDecisionSentences < s) break;
    if (!policy.empty() && e->policy != policy) continue;
    if (!latest || e->month > latest->month ||
        (e->month == latest->month && latest->background && !e->background)) {
      latest = &*e;
    }
  }
  return latest;
}

std::string StanceFinder::DateAt(uint32_t s, const Span& cue) const {
  const DateMention* first_before = nullptr;
  const DateMention* in_clause = nullptr;
  uint32_t nearest = std::numeric_limits<uint32_t>::max();
  // A date past the publication is when something ends or takes effect ("suspended the ban
  // until next November"), not when a position was held.
  auto published_by = [&](const std::string& date) {
    return so_far_.published.empty() || date <= so_far_.published.substr(0, date.size());
  };
  for (const DateMention& d : so_far_.dates) {
    if (d.sentence != s || d.date.empty() || !published_by(d.date)) continue;
    const bool before = d.span.end <= cue.begin;
    if (before && first_before == nullptr) first_before = &d;
    const uint32_t from = before ? d.span.end : cue.end;
    const uint32_t to = before ? cue.begin : d.span.begin;
    if (from <= to && to - from < nearest && !HasClauseBreak(from, to)) {
      nearest = to - from;
      in_clause = &d;
    }
  }
  if (in_clause != nullptr) return in_clause->date;
  return first_before != nullptr ? first_before->date : so_far_.published;
}

// Whether a reversal undoes the last act on its policy rather than a rule it names: its object
// is a reference to an act ("reverse the decision") or it has none ("urged it to reconsider.").
bool StanceFinder::ReversesLastEvent(uint32_t s, const Cue& reversal) const {
  const SentenceCues& cues = *cues_[s];
  auto object_within = [&](const Span& span) {
    return span.begin >= reversal.span.end &&
           Adjacent(doc_.text, reversal.span.end, span.begin, kReversalObjectWords);
  };
  for (const Cue& d : cues[CueKind::kDecision]) {
    if (object_within(d.span)) return true;
  }
  for (const Cue& p : cues[CueKind::kPolicy]) {
    if (object_within(p.span)) return false;
  }
  for (const Mention* m : mentions_of_[s]) {
    if (m->type == EntityType::kPolicy && object_within(m->span)) return false;
  }
  // Intransitive: punctuation, the end of the sentence or "and" follows.
  uint32_t end = doc_.sentences[s].span.end;
  uint32_t next = reversal.span.end;
  while (next < end && doc_.text[next] == ' ') ++next;
  if (next >= end ||
      std::string_view(",.;:!?)\"").find(doc_.text[next]) != std::string_view::npos) {
    return true;
  }
  return std::any_of(cues[CueKind::kConjunction].begin(), cues[CueKind::kConjunction].end(),
                     [&](const Cue& c) { return c.span.begin == next; });
}

// The polarity of an action: a negation reverses it ("would not enforce"); a reversal of a
// loosening tightens ("urged the administration to reconsider" after it allowed sales).
int StanceFinder::ActionSign(uint32_t s, const Cue& action, const std::string& policy) const {
  int sign = action.row->sign;
  if (action.row->kind == CueKind::kReverse && ReversesLastEvent(s, action)) {
    if (const Event* last = LastEvent(s, policy)) sign = -last->sign;
  }
  return Negated(*cues_[s], action.span) ? -sign : sign;
}

// A government imposing restrictions of its own holds its own country's policy.
std::string StanceFinder::OwnPolicy(const Actor& actor, const std::string& policy) const {
  const PolicyRow* row = lexicon_.FindPolicy(policy);
  if (!actor.government() || !row || row->country == actor.country) return policy;
  const PolicyRow* own = lexicon_.GeneralPolicyOf(actor.country);
  return own ? own->policy : policy;
}

}  // namespace stancetrack::stance_detail
