#include "extractors/quotes.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <span>

#include "extractors/cue_matcher.h"
#include "extractors/tsv.h"

namespace stancetrack {
namespace {

// How far from a quote its reporting verb may stand. After the quote the verb comes at once
// (", Brad Smith, Microsoft's president, said"); before it, an introduction may run longer
// ("Smith said in an interview with a newspaper on Tuesday that the rule would "...").
constexpr uint32_t kMaxTrailingGapBytes = 80;
constexpr uint32_t kMaxLeadingGapBytes = 160;
// "said Microsoft President Brad Smith": the speaker follows the verb within a few words.
constexpr uint32_t kMaxVerbToSpeakerBytes = 48;
// "Microsoft President", "Nvidia's chief executive": a title between an organization and a name.
constexpr size_t kMaxTitleGapBytes = 48;

enum class QuoteCue : uint8_t {
  kVerb,
  kSpeakerVerb,
  kVerbSpeaker,
  kPersonAnaphor,
  kCompanyAnaphor,
  kOrgAnaphor,
  kAnyAnaphor,
  kConjunction,
  kLeadIn,
};

std::optional<QuoteCue> ParseKind(std::string_view name) {
  static constexpr std::pair<std::string_view, QuoteCue> kNames[] = {
      {"verb", QuoteCue::kVerb},
      {"speaker-verb", QuoteCue::kSpeakerVerb},
      {"verb-speaker", QuoteCue::kVerbSpeaker},
      {"person-anaphor", QuoteCue::kPersonAnaphor},
      {"company-anaphor", QuoteCue::kCompanyAnaphor},
      {"org-anaphor", QuoteCue::kOrgAnaphor},
      {"any-anaphor", QuoteCue::kAnyAnaphor},
      {"conjunction", QuoteCue::kConjunction},
      {"lead-in", QuoteCue::kLeadIn},
  };
  for (const auto& [n, kind] : kNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

bool IsVerb(QuoteCue kind) { return kind <= QuoteCue::kVerbSpeaker; }
bool IsAnaphor(QuoteCue kind) {
  return kind >= QuoteCue::kPersonAnaphor && kind <= QuoteCue::kAnyAnaphor;
}

std::unique_ptr<RE2> Compile(const char* pattern) {
  return std::make_unique<RE2>(pattern, FoldedMatchOptions());
}

}  // namespace

struct QuoteLexicon::Impl {
  explicit Impl(CueMatcher matcher) : cues(std::move(matcher)) {}

  CueMatcher cues;
  std::vector<QuoteCue> kinds;  // of each cue row, by its index in the matcher
  // Words between an organization and a person's name that form a title ("'s chief executive").
  std::unique_ptr<RE2> title = Compile(R"((?:['’]s?)?[\pL\pN\p{Zs}\s.&'’-]*)");
  // Words that join two noun phrases instead: "Microsoft and Brad Smith".
  std::unique_ptr<RE2> not_title = Compile(
      R"((?:^|[^\pL])(?:and|or|with|to|for|by|at|in|on|from|than|as|but|versus|vs)(?:[^\pL]|$)|[和与與及])");
  // Between an anaphor and its verb: nothing, or one adverb ("he also said").
  std::unique_ptr<RE2> adjacent = Compile(R"([\s\p{Zs}]*(?:[a-z]{1,10}[\s\p{Zs}]+)?)");
  // "Brad Smith, Microsoft's president, said": an apposition between a name and its verb.
  std::unique_ptr<RE2> apposition_open = Compile(R"([\s\p{Zs}]*,[^,]{0,40})");
  std::unique_ptr<RE2> apposition_close = Compile(R"([^,]{0,40},[\s\p{Zs}]*)");
  // A relative clause is no apposition: "Smith, who met Nvidia executives, said".
  std::unique_ptr<RE2> relative_clause =
      Compile(R"((?:^|[^\pL])(?:who|whom|whose|which|that)(?:[^\pL]|$))");
};

QuoteLexicon::QuoteLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QuoteLexicon::QuoteLexicon(QuoteLexicon&&) noexcept = default;
QuoteLexicon& QuoteLexicon::operator=(QuoteLexicon&&) noexcept = default;
QuoteLexicon::~QuoteLexicon() = default;
std::vector<const CueMatcher*> QuoteLexicon::cue_matchers() const { return {&impl_->cues}; }

StatusOr<QuoteLexicon> QuoteLexicon::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> rows = ReadLexiconTable(dirs, "reporting_verbs.tsv", 3, 3);
  if (!rows.ok()) return rows.status();
  std::vector<CueSource> sources;
  std::vector<QuoteCue> kinds;
  for (const TsvRow& row : *rows) {
    std::optional<QuoteCue> kind = ParseKind(row.fields[1]);
    if (row.fields[0].empty()) return Status::InvalidArgument(row.Where() + ": no language");
    if (!kind) {
      return Status::InvalidArgument(row.Where() + ": unknown kind '" + row.fields[1] + "'");
    }
    if (row.fields[2].empty()) return Status::InvalidArgument(row.Where() + ": no pattern");
    sources.push_back({row.Where(), row.fields[0], row.fields[2]});
    kinds.push_back(*kind);
  }
  StatusOr<CueMatcher> matcher = CueMatcher::Compile(sources);
  if (!matcher.ok()) return matcher.status();
  auto impl = std::make_unique<Impl>(std::move(matcher).value());
  impl->kinds = std::move(kinds);
  return QuoteLexicon(std::move(impl));
}

namespace {

// A quote as its marks delimit it, in Document::text.
struct Marked {
  Span open;   // the opening mark
  Span inner;  // the quoted words
  Span close;  // the closing mark; empty (at the paragraph's end) when the quote runs on
  bool single = false;
};

// The same in the folded text of one paragraph, as offsets into it.
struct FoldedQuote {
  size_t open, inner_begin, inner_end, close_end;
  bool single;
};

struct MarkPair {
  std::string_view open, close;
};
constexpr MarkPair kMarkPairs[] = {
    {"\"", "\""}, {"«", "»"}, {"»", "«"}, {"「", "」"}, {"『", "』"},
};

const MarkPair* OpenerAt(std::string_view text, size_t i) {
  // Every opener is '"' or starts with a non-ASCII byte: most bytes need no comparison.
  if (text[i] != '"' && static_cast<unsigned char>(text[i]) < 0x80) return nullptr;
  // A straight quote after a digit is an inch mark: 19" wide.
  if (text[i] == '"' && i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') return nullptr;
  for (const MarkPair& pair : kMarkPairs) {
    // The first byte alone rules out a mark at nearly every byte of CJK text.
    if (pair.open.front() == text[i] && text.substr(i).starts_with(pair.open)) return &pair;
  }
  return nullptr;
}

// Double quotes, guillemets and corner brackets; a quote left open runs to the end.
std::vector<FoldedQuote> StrongQuotes(std::string_view text) {
  std::vector<FoldedQuote> out;
  for (size_t i = 0; i < text.size();) {
    const MarkPair* pair = OpenerAt(text, i);
    if (pair == nullptr) {
      ++i;
      continue;
    }
    const size_t inner = i + pair->open.size();
    const size_t close = std::min(text.find(pair->close, inner), text.size());
    const size_t end = std::min(close + pair->close.size(), text.size());
    out.push_back({i, inner, close, end, false});
    i = end;
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Bytes of non-ASCII characters count as letters: an apostrophe before "é" is inside a word.
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool OpensSingle(std::string_view text, size_t i) {
  const bool after_gap = i == 0 || IsSpace(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '-';
  return after_gap && i + 1 < text.size() && IsWordByte(text[i + 1]);
}

bool ClosesSingle(std::string_view text, size_t i) {
  return i > 0 && !IsSpace(text[i - 1]) && (i + 1 == text.size() || !IsWordByte(text[i + 1]));
}

// Single-quoted words in text[begin, end): apostrophes inside words ("don't") are no marks, and
// of two openers before a closer the later one counts ("the '90s were 'great'").
void SingleQuotes(std::string_view text, size_t begin, size_t end, std::vector<FoldedQuote>* out) {
  size_t open = std::string_view::npos;
  for (size_t i = begin; i < end; ++i) {
    if (text[i] != '\'') continue;
    if (open != std::string_view::npos && ClosesSingle(text, i)) {
      out->push_back({open, open + 1, i, i + 1, true});
      open = std::string_view::npos;
    } else if (OpensSingle(text, i)) {
      open = i;
    }
  }
}

std::vector<FoldedQuote> QuotesOf(std::string_view text) {
  std::vector<FoldedQuote> quotes = StrongQuotes(text);
  size_t gap = 0;
  const size_t strong = quotes.size();
  for (size_t q = 0; q <= strong; ++q) {
    size_t next = q < strong ? quotes[q].open : text.size();
    SingleQuotes(text, gap, next, &quotes);
    if (q < strong) gap = quotes[q].close_end;
  }
  std::sort(quotes.begin(), quotes.end(),
            [](const FoldedQuote& a, const FoldedQuote& b) { return a.open < b.open; });
  return quotes;
}

// The quoted words without surrounding spaces or the comma that stands in for a full stop.
std::pair<size_t, size_t> Trimmed(std::string_view text, size_t begin, size_t end) {
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && (IsSpace(text[end - 1]) || text[end - 1] == ',')) --end;
  return {begin, end};
}

// Every quote of the content paragraphs, in text order.
std::vector<Marked> MarkedQuotes(const Document& doc) {
  std::vector<Marked> out;
  for (size_t s = 0; s < doc.sentences.size();) {
    const uint32_t paragraph = doc.sentences[s].paragraph;
    const uint32_t base = doc.sentences[s].folded.begin;
    uint32_t end = base;
    for (; s < doc.sentences.size() && doc.sentences[s].paragraph == paragraph; ++s) {
      end = std::max(end, doc.sentences[s].folded.end);
    }
    if (!doc.IsContent(paragraph)) continue;
    const std::string_view text = std::string_view(doc.folded).substr(base, end - base);
    for (const FoldedQuote& q : QuotesOf(text)) {
      auto [inner_begin, inner_end] = Trimmed(text, q.inner_begin, q.inner_end);
      if (inner_begin == inner_end) continue;
      auto map = [&](size_t b, size_t e) {
        return doc.folded_to_text.Map(
            Span{static_cast<uint32_t>(base + b), static_cast<uint32_t>(base + e)});
      };
      out.push_back({map(q.open, q.inner_begin), map(inner_begin, inner_end),
                     map(q.inner_end, q.close_end), q.single});
    }
  }
  return out;
}

// Words as a reader counts them; a run of CJK characters counts one word per two characters.
int WordCount(std::string_view text) {
  int words = 0;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;
    int cjk = 0;
    for (; i < text.size() && !IsSpace(text[i]); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      cjk += c >= 0xE3 && c <= 0xE9;  // lead bytes of U+3000..U+9FFF: kana and Han
    }
    words += cjk ? (cjk + 1) / 2 : 1;
  }
  return words;
}

struct Cue {
  Span span;
  QuoteCue kind;
};

struct Speaker {
  std::string name;  // empty: an anaphor that refers to nobody known
  std::string org;
  EntityType type = EntityType::kPerson;
  EntityType org_type = EntityType::kCompany;
};

bool Inside(const std::vector<Marked>& quotes, const Span& span) {
  auto after = std::upper_bound(quotes.begin(), quotes.end(), span.begin,
                                [](uint32_t pos, const Marked& q) { return pos < q.inner.begin; });
  return after != quotes.begin() && (after - 1)->inner.Contains(span);
}

uint32_t SentenceOf(const Document& doc, uint32_t pos) {
  auto after = std::upper_bound(doc.sentences.begin(), doc.sentences.end(), pos,
                                [](uint32_t p, const Sentence& s) { return p < s.span.begin; });
  return after == doc.sentences.begin() ? 0
                                        : static_cast<uint32_t>(after - doc.sentences.begin() - 1);
}

// Spans in text order that do not overlap (cues, mentions): the first that begins at or after
// `pos`, and one past the last that ends at or before it.
template <typename T, typename SpanOf>
size_t FirstFrom(const std::vector<T>& items, uint32_t pos, SpanOf span_of) {
  return std::partition_point(items.begin(), items.end(),
                              [&](const T& t) { return span_of(t).begin < pos; }) -
         items.begin();
}
template <typename T, typename SpanOf>
size_t EndBy(const std::vector<T>& items, uint32_t pos, SpanOf span_of) {
  return std::partition_point(items.begin(), items.end(),
                              [&](const T& t) { return span_of(t).end <= pos; }) -
         items.begin();
}

bool IsActor(EntityType type) {
  return type == EntityType::kPerson || type == EntityType::kCompany ||
         type == EntityType::kOrganization;
}

// Finds who said each quote of one document, keeping the speakers and subjects named so far.
class Attributor {
 public:
  Attributor(const Document& doc, const QuoteLexicon::Impl& lex, const EntityLexicon& entities,
             const std::vector<Mention>& mentions, const std::vector<Marked>& quotes,
             const CueScan* scan)
      : doc_(doc), lex_(lex), scan_(scan), entities_(entities), quotes_(quotes) {
    for (const Mention& m : mentions) {
      if (IsActor(m.type) && !Inside(quotes_, m.span)) actors_.push_back(&m);
    }
    FindCues();
    FindSubjects();
  }

  // The speaker of quotes_[q], recorded for later anaphors: nullopt when the text attributes
  // the quote to nobody, an empty name when to an anaphor that refers to nobody known.
  std::optional<Speaker> Attribute(size_t q) {
    // A name or a scare quote in marks ("央视旗下「玉渊谭天」直言") does not end the words
    // around a quote that hold its reporting verb.
    const Marked* prev = nullptr;
    for (size_t p = q; p-- > 0 && !prev;) prev = Slight(quotes_[p]) ? nullptr : &quotes_[p];
    const Marked* next = nullptr;
    for (size_t n = q + 1; n < quotes_.size() && !next; ++n) {
      next = Slight(quotes_[n]) ? nullptr : &quotes_[n];
    }
    std::optional<std::pair<Speaker, uint32_t>> found = After(quotes_[q], next);
    if (!found) found = Before(quotes_[q], prev);
    if (!found) return std::nullopt;
    if (!found->first.name.empty()) Record(found->second, found->first);
    return found->first;
  }

  // The speaker a paragraph announces for the quote that makes up the next one: "released the
  // following statement from SIA President John Neuffer", "Nvidia issued this statement:".
  std::optional<Speaker> LeadIn(uint32_t paragraph) const {
    const Span para = doc_.paragraphs[paragraph].span;
    for (size_t c = EndBy(cues_, para.end, CueSpan);
         c-- > 0 && cues_[c].span.begin >= para.begin;) {
      if (cues_[c].kind != QuoteCue::kLeadIn) continue;
      std::optional<Speaker> speaker = SpeakerAfter(cues_[c].span.end, para.end);
      return speaker ? speaker : SubjectBefore(cues_[c].span.begin, para.begin);
    }
    return std::nullopt;
  }

 private:
  std::string_view Text(uint32_t begin, uint32_t end) const {
    return begin < end ? std::string_view(doc_.text).substr(begin, end - begin)
                       : std::string_view();
  }

  bool Slight(const Marked& m) const {
    return m.single || WordCount(m.inner.Of(doc_.text)) <= kMaxScareQuoteWords;
  }

  static Span CueSpan(const Cue& c) { return c.span; }
  static Span ActorSpan(const Mention* m) { return m->span; }

  // Reporting verbs and anaphors outside quotes, longest where two overlap.
  void FindCues() {
    for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
      if (!doc_.IsContent(doc_.sentences[s].paragraph)) continue;
      for (const CueMatcher::Hit& hit : lex_.cues.Find(doc_, s, SentenceLanguage(doc_, s), scan_)) {
        if (Inside(quotes_, hit.span)) continue;
        if (!cues_.empty() && hit.span.begin < cues_.back().span.end) continue;
        cues_.push_back({hit.span, lex_.kinds[hit.cue]});
      }
    }
  }

  // The first person, company and organization of each sentence are its subjects.
  void FindSubjects() {
    uint32_t sentence = UINT32_MAX;
    bool seen[3] = {};
    for (const Mention* m : actors_) {
      if (m->sentence != sentence) {
        sentence = m->sentence;
        std::fill(std::begin(seen), std::end(seen), false);
      }
      bool& first = seen[Slot(m->type)];
      if (first) continue;
      first = true;
      Record(m->span.begin, SpeakerOf(*m, nullptr));
    }
  }

  // Events are kept by the kind of actor, as anaphors ask for one kind: person, company,
  // organization.
  static size_t Slot(EntityType type) {
    return type == EntityType::kPerson ? 0 : type == EntityType::kCompany ? 1 : 2;
  }

  // A speaker or subject named at `pos`, for later anaphors; a person's organization with them.
  void Record(uint32_t pos, const Speaker& speaker) {
    events_[Slot(speaker.type)].emplace(pos, speaker);
    if (speaker.type == EntityType::kPerson && !speaker.org.empty()) {
      events_[Slot(speaker.org_type)].emplace(
          pos, Speaker{speaker.org, speaker.org, speaker.org_type, speaker.org_type});
    }
  }

  // What an anaphor at `pos` refers to: the last event of the kind it names before it; "they"
  // takes the latest of any kind, a company where several stand at the same place.
  Speaker Resolve(QuoteCue kind, uint32_t pos) const {
    static constexpr size_t kAny[] = {1, 2, 0};
    const size_t one[] = {kind == QuoteCue::kPersonAnaphor    ? 0u
                          : kind == QuoteCue::kCompanyAnaphor ? 1u
                                                              : 2u};
    const std::span<const size_t> slots = kind == QuoteCue::kAnyAnaphor
                                              ? std::span<const size_t>(kAny)
                                              : std::span<const size_t>(one);
    const std::pair<const uint32_t, Speaker>* best = nullptr;
    for (size_t slot : slots) {
      auto it = events_[slot].lower_bound(pos);
      if (it == events_[slot].begin()) continue;
      --it;
      if (best == nullptr || it->first > best->first) best = &*it;
    }
    return best != nullptr ? best->second : Speaker{};
  }

  // The organization named right before a person's title: "Microsoft President Brad Smith".
  const Mention* TitleOrg(const Mention& person) const {
    const size_t at = FirstFrom(actors_, person.span.begin, ActorSpan);
    if (at == 0) return nullptr;
    const Mention* org = actors_[at - 1];
    return org->type != EntityType::kPerson && IsTitle(org->span.end, person.span.begin) ? org
                                                                                         : nullptr;
  }

  bool IsTitle(uint32_t begin, uint32_t end) const {
    std::string_view gap = Text(begin, end);
    if (gap.size() > kMaxTitleGapBytes || !RE2::FullMatch(gap, *lex_.title) ||
        RE2::PartialMatch(gap, *lex_.not_title)) {
      return false;
    }
    // No reporting verb inside: "Microsoft said Brad Smith" is no title.
    const size_t cue = EndBy(cues_, begin, CueSpan);
    return cue == cues_.size() || cues_[cue].span.begin >= end;
  }

  // The company or organization a person's lexicon entry says they speak for.
  const EntityInfo* LexiconOrg(const Mention& person) const {
    const EntityInfo* info = entities_.Find(EntityType::kPerson, person.canonical);
    if (info == nullptr || info->affiliation.empty()) return nullptr;
    const EntityInfo* org = entities_.Find(EntityType::kCompany, info->affiliation);
    return org != nullptr ? org : entities_.Find(EntityType::kOrganization, info->affiliation);
  }

  // An actor as a speaker; `org` is the organization the text names for a person, if any.
  Speaker SpeakerOf(const Mention& actor, const Mention* org) const {
    if (actor.type != EntityType::kPerson) {
      return Speaker{actor.canonical, actor.canonical, actor.type, actor.type};
    }
    Speaker s{actor.canonical, "", actor.type};
    if (org == nullptr) org = TitleOrg(actor);
    if (org != nullptr) {
      s.org = org->canonical, s.org_type = org->type;
    } else if (const EntityInfo* info = LexiconOrg(actor)) {
      s.org = info->canonical, s.org_type = info->type;
    }
    return s;
  }

  std::optional<std::pair<Speaker, uint32_t>> After(const Marked& q, const Marked* next) const {
    if (q.close.empty()) return std::nullopt;
    const Sentence& s = doc_.sentences[SentenceOf(doc_, q.close.begin)];
    const Span region{q.close.end, std::min(s.span.end, next ? next->open.begin : UINT32_MAX)};
    for (size_t i = FirstFrom(cues_, region.begin, CueSpan); i < cues_.size(); ++i) {
      const Cue& verb = cues_[i];
      if (verb.span.end > region.end || verb.span.begin - region.begin > kMaxTrailingGapBytes) {
        break;
      }
      if (IsVerb(verb.kind)) return AroundVerb(verb, region);
    }
    return std::nullopt;
  }

  std::optional<std::pair<Speaker, uint32_t>> Before(const Marked& q, const Marked* prev) const {
    const Sentence& s = doc_.sentences[SentenceOf(doc_, q.open.begin)];
    const uint32_t begin = std::max(s.span.begin, prev ? prev->close.end : 0u);
    const Span region{begin, std::max(begin, q.open.begin)};
    for (size_t i = EndBy(cues_, region.end, CueSpan); i-- > 0;) {
      const Cue& verb = cues_[i];
      if (verb.span.begin < region.begin || region.end - verb.span.end > kMaxLeadingGapBytes) {
        break;
      }
      if (IsVerb(verb.kind)) return AroundVerb(verb, region);
    }
    return std::nullopt;
  }

  std::optional<std::pair<Speaker, uint32_t>> AroundVerb(const Cue& verb, Span region) const {
    std::optional<Speaker> speaker;
    if (verb.kind != QuoteCue::kVerbSpeaker) speaker = SubjectBefore(verb.span.begin, region.begin);
    if (!speaker && verb.kind != QuoteCue::kSpeakerVerb) {
      speaker = SpeakerAfter(verb.span.end, region.end);
    }
    if (!speaker) return std::nullopt;
    return std::make_pair(std::move(*speaker), verb.span.begin);
  }

  bool Adjacent(uint32_t begin, uint32_t end) const {
    return RE2::FullMatch(Text(begin, end), *lex_.adjacent);
  }

  // The speaker standing before a verb at `pos`, not before `limit`.
  std::optional<Speaker> SubjectBefore(uint32_t pos, uint32_t limit) const {
    const size_t cue = EndBy(cues_, pos, CueSpan);
    if (cue > 0 && cues_[cue - 1].span.begin >= limit && Adjacent(cues_[cue - 1].span.end, pos)) {
      const Cue& before = cues_[cue - 1];
      if (IsAnaphor(before.kind)) return Resolve(before.kind, before.span.begin);
      // "X called on Congress to act and said": the verb after "and" is the first subject's.
      if (before.kind == QuoteCue::kConjunction) return FirstSubject(limit, before.span.begin);
    }
    const size_t actor = EndBy(actors_, pos, ActorSpan);
    if (actor == 0 || actors_[actor - 1]->span.begin < limit) return std::nullopt;
    const Mention& nearest = *actors_[actor - 1];
    if (nearest.type == EntityType::kPerson) return SpeakerOf(nearest, nullptr);
    for (size_t p = actor - 1; p-- > 0 && actors_[p]->span.begin >= limit;) {
      if (actors_[p]->type != EntityType::kPerson) continue;
      if (std::optional<Speaker> s = Apposed(*actors_[p], nearest, pos)) return s;
      break;
    }
    return SpeakerOf(nearest, nullptr);
  }

  // The subject a clause in [limit, end) opens with: an anaphor, a person, or an organization
  // with the titled person after it ("Nvidia CEO Jensen Huang").
  std::optional<Speaker> FirstSubject(uint32_t limit, uint32_t end) const {
    const size_t a = FirstFrom(actors_, limit, ActorSpan);
    const bool named = a < actors_.size() && actors_[a]->span.end <= end;
    for (size_t c = FirstFrom(cues_, limit, CueSpan); c < cues_.size(); ++c) {
      if (cues_[c].span.end > end || (named && cues_[c].span.begin > actors_[a]->span.begin)) {
        break;
      }
      if (IsAnaphor(cues_[c].kind)) return Resolve(cues_[c].kind, cues_[c].span.begin);
    }
    if (!named) return std::nullopt;
    const Mention& first = *actors_[a];
    if (first.type != EntityType::kPerson && a + 1 < actors_.size() &&
        actors_[a + 1]->type == EntityType::kPerson && actors_[a + 1]->span.end <= end &&
        IsTitle(first.span.end, actors_[a + 1]->span.begin)) {
      return SpeakerOf(*actors_[a + 1], &first);
    }
    return SpeakerOf(first, nullptr);
  }

  // "Brad Smith, Microsoft's president, said": the person speaks, for the organization named in
  // the apposition unless it is a relative clause ("Smith, who met Nvidia, said").
  std::optional<Speaker> Apposed(const Mention& person, const Mention& org, uint32_t verb) const {
    const std::string_view open = Text(person.span.end, org.span.begin);
    const std::string_view close = Text(org.span.end, verb);
    if (!RE2::FullMatch(open, *lex_.apposition_open) ||
        !RE2::FullMatch(close, *lex_.apposition_close)) {
      return std::nullopt;
    }
    const bool relative = RE2::PartialMatch(open, *lex_.relative_clause);
    return SpeakerOf(person, relative ? nullptr : &org);
  }

  // The speaker right after a verb at `pos` ("said he", "according to X"), before `limit`.
  std::optional<Speaker> SpeakerAfter(uint32_t pos, uint32_t limit) const {
    const size_t cue = FirstFrom(cues_, pos, CueSpan);
    if (cue < cues_.size() && IsAnaphor(cues_[cue].kind) && cues_[cue].span.end <= limit &&
        Adjacent(pos, cues_[cue].span.begin)) {
      return Resolve(cues_[cue].kind, cues_[cue].span.begin);
    }
    const size_t a = FirstFrom(actors_, pos, ActorSpan);
    if (a == actors_.size() || actors_[a]->span.end > limit ||
        actors_[a]->span.begin - pos > kMaxVerbToSpeakerBytes) {
      return std::nullopt;
    }
    // "said Microsoft President Brad Smith": the person after the title speaks.
    const bool titled = actors_[a]->type != EntityType::kPerson && a + 1 < actors_.size() &&
                        actors_[a + 1]->type == EntityType::kPerson &&
                        actors_[a + 1]->span.end <= limit &&
                        IsTitle(actors_[a]->span.end, actors_[a + 1]->span.begin);
    return titled ? SpeakerOf(*actors_[a + 1], actors_[a]) : SpeakerOf(*actors_[a], nullptr);
  }

  const Document& doc_;
  const QuoteLexicon::Impl& lex_;
  const CueScan* scan_;  // may be null
  const EntityLexicon& entities_;
  const std::vector<Marked>& quotes_;
  std::vector<const Mention*> actors_;  // persons, companies and organizations outside quotes
  std::vector<Cue> cues_;               // in text order
  std::multimap<uint32_t, Speaker> events_[3];  // by Slot, then position
};

}  // namespace

std::vector<Quote> FindQuotes(const Document& doc, const QuoteLexicon& quotes,
                              const EntityLexicon& entities, const std::vector<Mention>& mentions,
                              const CueScan* scan) {
  const std::vector<Marked> marked = MarkedQuotes(doc);
  Attributor attributor(doc, quotes.impl(), entities, mentions, marked, scan);
  std::vector<Quote> out;
  std::optional<Speaker> previous;  // of the last quote of the paragraph
  uint32_t paragraph = UINT32_MAX;
  for (size_t q = 0; q < marked.size(); ++q) {
    const Marked& m = marked[q];
    const uint32_t sentence = SentenceOf(doc, m.inner.begin);
    if (doc.sentences[sentence].paragraph != paragraph) {
      previous.reset();
      // A paragraph that is a quote may be the statement the paragraph before announced.
      const uint32_t p = doc.sentences[sentence].paragraph;
      if (p > 0 && m.open.begin == doc.paragraphs[p].span.begin)
        previous = attributor.LeadIn(p - 1);
    }
    paragraph = doc.sentences[sentence].paragraph;
    std::optional<Speaker> speaker = attributor.Attribute(q);
    if (!speaker) speaker = previous;  // '"...," he said. "...."': the same speaker goes on
    if (!speaker && (m.single || WordCount(m.inner.Of(doc.text)) <= kMaxScareQuoteWords)) {
      continue;
    }
    Quote quote;
    quote.span = m.inner;
    quote.sentence = sentence;
    if (speaker) quote.speaker = speaker->name, quote.speaker_org = speaker->org;
    out.push_back(std::move(quote));
    previous = std::move(speaker);
  }
  return out;
}

}  // namespace stancetrack
