#include "extractors/tiers.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "extractors/cue_matcher.h"
#include "extractors/tsv.h"

namespace stancetrack {
namespace {

// How far (bytes of text) a tier cue reaches for the countries it places: a list introduced by
// the cue ("the third tier of countries that would be locked out ... including China, Iran and
// North Korea") fits, a country in another clause of a long sentence usually does not.
constexpr uint32_t kTierReachBytes = 200;

// The United States sets the tiers and stands in the first; it is placed only when named right
// at a tier 1 cue ("Tier 1: the US and ..."), never because "U.S. allies" stand near one or
// "Countries in the second tier hear that America does not trust them".
constexpr uint32_t kUsReachBytes = 16;
constexpr std::string_view kUnitedStates = "US";

// An exclusion ("excluded from") cancels a tier cue that follows within this many bytes.
constexpr uint32_t kExclusionGapBytes = 24;

enum class TierKind {
  kTier,
  kFalseFriend,
  kLockout,
  kTierWord,
  kExclusion,
  kBackReference,
  kClauseBreak,
  kContext
};

constexpr std::array<std::pair<std::string_view, TierKind>, 8> kKindNames = {{
    {"tier", TierKind::kTier},
    {"false-friend", TierKind::kFalseFriend},
    {"lockout", TierKind::kLockout},
    {"tier-word", TierKind::kTierWord},
    {"exclusion", TierKind::kExclusion},
    {"back-reference", TierKind::kBackReference},
    {"clause-break", TierKind::kClauseBreak},
    {"context", TierKind::kContext},
}};

struct TierRow {
  TierKind kind = TierKind::kTier;
  int tier = 0;
};

// A tier cue of one sentence that can place countries.
struct LiveCue {
  int tier = 0;
  Span span;
};

uint32_t Distance(const Span& a, const Span& b) {
  if (a.end <= b.begin) return b.begin - a.end;
  if (b.end <= a.begin) return a.begin - b.end;
  return 0;
}

bool Overlaps(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

StatusOr<TierRow> ParseRow(const TsvRow& row) {
  TierRow parsed;
  auto kind = std::find_if(kKindNames.begin(), kKindNames.end(),
                           [&](const auto& k) { return k.first == row.fields[1]; });
  if (kind == kKindNames.end()) {
    return Status::InvalidArgument(row.Where() + ": unknown kind '" + row.fields[1] + "'");
  }
  parsed.kind = kind->second;
  if (row.fields[2].empty()) return Status::InvalidArgument(row.Where() + ": empty pattern");
  const std::string& tier = row.fields[3];
  if (parsed.kind == TierKind::kTier) {
    if (tier != "1" && tier != "2" && tier != "3") {
      return Status::InvalidArgument(row.Where() + ": tier must be 1, 2 or 3, got '" + tier + "'");
    }
    parsed.tier = tier[0] - '0';
  } else if (parsed.kind == TierKind::kLockout) {
    parsed.tier = 3;
  }
  return parsed;
}

}  // namespace

struct TierLexicon::Impl {
  std::vector<TierRow> rows;
  CueMatcher matcher;
};

TierLexicon::TierLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TierLexicon::TierLexicon(TierLexicon&&) noexcept = default;
TierLexicon& TierLexicon::operator=(TierLexicon&&) noexcept = default;
TierLexicon::~TierLexicon() = default;

size_t TierLexicon::size() const { return impl_->rows.size(); }
std::vector<const CueMatcher*> TierLexicon::cue_matchers() const { return {&impl_->matcher}; }

StatusOr<TierLexicon> TierLexicon::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> table = ReadLexiconTable(dirs, "tier_cues.tsv", 4, 3);
  if (!table.ok()) return table.status();
  std::vector<TierRow> rows;
  std::vector<CueSource> sources;
  for (const TsvRow& row : *table) {
    StatusOr<TierRow> parsed = ParseRow(row);
    if (!parsed.ok()) return parsed.status();
    rows.push_back(*parsed);
    sources.push_back({row.Where(), row.fields[0], row.fields[2]});
  }
  StatusOr<CueMatcher> matcher = CueMatcher::Compile(sources);
  if (!matcher.ok()) return matcher.status();
  return TierLexicon(std::unique_ptr<Impl>(new Impl{std::move(rows), std::move(matcher).value()}));
}

namespace {

struct SentenceCues {
  std::vector<LiveCue> live;
  std::vector<Span> breaks;  // "while", ";": a country belongs to a cue of its own clause
  bool back_reference = false;
  bool context = false;
};

// The tier cues of one sentence that place countries, from its hits in text order.
SentenceCues Classify(const std::vector<TierRow>& rows, const std::vector<CueMatcher::Hit>& hits) {
  SentenceCues cues;
  bool tier_words = false;
  std::vector<Span> exclusions;
  std::vector<Span> false_friends;
  for (const CueMatcher::Hit& hit : hits) {
    if (rows[hit.cue].kind == TierKind::kFalseFriend) false_friends.push_back(hit.span);
  }
  std::vector<LiveCue> lockouts;
  for (const CueMatcher::Hit& hit : hits) {
    const TierRow& row = rows[hit.cue];
    switch (row.kind) {
      case TierKind::kTier: {
        tier_words = true;
        bool excluded = std::any_of(exclusions.begin(), exclusions.end(), [&](const Span& e) {
          return e.end <= hit.span.begin && hit.span.begin - e.end <= kExclusionGapBytes;
        });
        excluded = excluded || std::any_of(false_friends.begin(), false_friends.end(),
                                           [&](const Span& f) { return Overlaps(f, hit.span); });
        bool inside = !cues.live.empty() && cues.live.back().span.Contains(hit.span);
        if (!excluded && !inside) cues.live.push_back({row.tier, hit.span});
        break;
      }
      case TierKind::kLockout:
        lockouts.push_back({row.tier, hit.span});
        break;
      case TierKind::kTierWord:
        tier_words = true;
        break;
      case TierKind::kFalseFriend:
        break;
      case TierKind::kExclusion:
        exclusions.push_back(hit.span);
        break;
      case TierKind::kBackReference:
        cues.back_reference = true;
        break;
      case TierKind::kClauseBreak:
        cues.breaks.push_back(hit.span);
        break;
      case TierKind::kContext:
        cues.context = true;
        break;
    }
  }
  if (tier_words) cues.live.insert(cues.live.end(), lockouts.begin(), lockouts.end());
  return cues;
}

// The country mentions of sentence `s` (a US mention only within reach of `near`, if given).
std::vector<const Mention*> CountriesOf(const std::vector<Mention>& mentions, uint32_t s,
                                        const std::vector<LiveCue>* near) {
  std::vector<const Mention*> countries;
  for (const Mention& m : mentions) {
    if (m.sentence != s || m.type != EntityType::kCountry) continue;
    if (m.canonical == kUnitedStates) {
      bool at_cue = near && std::any_of(near->begin(), near->end(), [&](const LiveCue& c) {
                      return c.tier == 1 && Distance(c.span, m.span) <= kUsReachBytes;
                    });
      if (!at_cue) continue;
    }
    countries.push_back(&m);
  }
  return countries;
}

// The cue a country belongs to: the nearest within reach, preferring its own clause ("puts
// Mexico in Tier 2 while China is in Tier 3").
const LiveCue* NearestCue(const SentenceCues& cues, const Span& span) {
  auto cost = [&](const LiveCue& cue) {
    Span between{std::min(cue.span.end, span.end), std::max(cue.span.begin, span.begin)};
    bool split = std::any_of(cues.breaks.begin(), cues.breaks.end(),
                             [&](const Span& b) { return between.Contains(b); });
    return Distance(cue.span, span) + (split ? kTierReachBytes : 0);
  };
  const LiveCue* best = nullptr;
  for (const LiveCue& cue : cues.live) {
    if (Distance(cue.span, span) > kTierReachBytes) continue;
    if (!best || cost(cue) < cost(*best)) best = &cue;
  }
  return best;
}

bool EndsWithColon(const Document& doc, uint32_t s) {
  std::string_view text = doc.sentences[s].span.Of(doc.text);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  return !text.empty() && (text.back() == ':' || text.ends_with("："));
}

class TierCollector {
 public:
  TierCollector(const EntityLexicon& entities, uint32_t sentence)
      : entities_(entities), sentence_(sentence) {}

  void Add(const Mention& country, const LiveCue& cue) {
    if (!seen_.insert({country.canonical, cue.tier}).second) return;
    TierAssertion tier;
    tier.country = country.canonical;
    tier.tier = cue.tier;
    const EntityInfo* info = entities_.Find(EntityType::kCountry, country.canonical);
    tier.reference_tier = info ? info->reference_tier : 0;
    tier.sentence = sentence_;
    tier.span = cue.span;
    found_.push_back(std::move(tier));
  }
  void set_sentence(uint32_t sentence) { sentence_ = sentence; }
  std::vector<TierAssertion> Take() { return std::move(found_); }

 private:
  const EntityLexicon& entities_;
  uint32_t sentence_;
  std::set<std::pair<std::string, int>> seen_;
  std::vector<TierAssertion> found_;
};

}  // namespace

std::vector<TierAssertion> FindTiers(const Document& doc, const TierLexicon& tiers,
                                     const EntityLexicon& entities,
                                     const std::vector<Mention>& mentions, const CueScan* scan) {
  const TierLexicon::Impl& lexicon = tiers.impl();
  std::vector<SentenceCues> cues(doc.sentences.size());
  bool context = false;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    if (!doc.IsContent(doc.sentences[s].paragraph)) continue;
    cues[s] = Classify(lexicon.rows, lexicon.matcher.Find(doc, s, SentenceLanguage(doc, s), scan));
    context = context || cues[s].context;
  }
  if (!context) return {};
  TierCollector collector(entities, 0);
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const std::vector<LiveCue>& live = cues[s].live;
    if (live.empty()) continue;
    collector.set_sentence(s);
    std::vector<const Mention*> here = CountriesOf(mentions, s, &live);
    for (const Mention* country : here) {
      if (const LiveCue* cue = NearestCue(cues[s], country->span)) collector.Add(*country, *cue);
    }
    if (!here.empty()) continue;
    std::vector<const Mention*> referred;
    if (cues[s].back_reference && s > 0 && doc.IsContent(doc.sentences[s - 1].paragraph)) {
      referred = CountriesOf(mentions, s - 1, nullptr);
    } else if (EndsWithColon(doc, s) && s + 1 < doc.sentences.size() &&
               doc.IsContent(doc.sentences[s + 1].paragraph)) {
      referred = CountriesOf(mentions, s + 1, nullptr);
    }
    for (const Mention* country : referred) collector.Add(*country, live.front());
  }
  return collector.Take();
}

}  // namespace stancetrack
