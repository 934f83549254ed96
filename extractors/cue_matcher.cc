#include "extractors/cue_matcher.h"

#include <re2/re2.h>
#include <unicode/uniset.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "extractors/pattern_filter.h"
#include "pipeline/limits.h"
#include "pipeline/strings.h"

namespace stancetrack {
RE2::Options FoldedMatchOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_max_mem(limits::kRegexMaxMemBytes);
  return options;
}

namespace {

// Characters that end a word in a language written with spaces. The Unicode classes are costly
// to compile (about 30 million instructions per row with its reverse program, more than
// matching a thousand sentences), so rows are matched with kAsciiEdge, and only a match that
// took a non-ASCII character for its edge is checked against this class.
constexpr std::string_view kWordEdge = R"([^\pL\pN_])";
// A cheap superset of kWordEdge: every character that is no letter, digit or '_' is also no
// ASCII letter, digit or '_', and the ASCII characters it admits are in kWordEdge too, so only
// a non-ASCII edge character can make the two disagree.
constexpr std::string_view kAsciiEdge = R"((?-i:[^A-Za-z0-9_]))";

bool IsHanLanguage(std::string_view language) { return language == "zh" || language == "ja"; }

// Which word edges a row's cue must have. Korean words take particles at their end (정부가), so
// a Korean cue must only start a word, and a particle not even that.
WordEdges EdgesOf(const CueSource& source) {
  if (IsHanLanguage(source.language) || (source.language == "ko" && source.attached)) {
    return WordEdges::kNone;
  }
  return source.language == "ko" ? WordEdges::kLeading : WordEdges::kBoth;
}

// Wraps a row's pattern so that group 1 is the cue and the edges fall on word boundaries where
// the language has them: each edge is `^` or `$`, or one character of `edge_class`.
std::string Wrap(const CueSource& source, std::string_view edge_class) {
  const std::string edge(edge_class);
  const std::string cue = "(" + source.pattern + ")";
  switch (EdgesOf(source)) {
    case WordEdges::kNone:
      return cue;
    case WordEdges::kLeading:
      return "(?:^|" + edge + ")" + cue;
    case WordEdges::kBoth:
      return "(?:^|" + edge + ")" + cue + "(?:" + edge + "|$)";
  }
  return cue;
}

// Whether rows of `row_language` apply to sentences in `language`.
bool Applies(std::string_view row_language, std::string_view language) {
  if (row_language == "*" || row_language == language) return true;
  return IsHanLanguage(row_language) && IsHanLanguage(language);
}

// An RE2 compiled on first use: most rows of a table never meet a sentence they could match,
// and a process that reads no articles compiles none.
class LazyRe2 {
 public:
  explicit LazyRe2(std::string pattern) : pattern_(std::move(pattern)) {}

  // nullptr if RE2 cannot build it (only its memory budget can fail: every pattern here is a
  // valid row pattern wrapped, or a constant).
  const RE2* Get() const {
    std::call_once(once_, [this] { re_ = std::make_unique<RE2>(pattern_, FoldedMatchOptions()); });
    return re_->ok() ? re_.get() : nullptr;
  }

 private:
  std::string pattern_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

// A row wrapped twice: with kAsciiEdge, which finds its matches, and with kWordEdge, which
// decides where the first disagrees (see NextMatch).
struct Row {
  explicit Row(const CueSource& source)
      : edges(EdgesOf(source)), fast(Wrap(source, kAsciiEdge)), exact(Wrap(source, kWordEdge)) {}
  WordEdges edges;
  LazyRe2 fast;
  LazyRe2 exact;
};

// The rows that stand for a short list of literals RE2 reads byte for byte up to ASCII case
// ("the|a|an", "的|地|和", "(?:to|from)(?: the)?"; LiteralExpansion): they are the rows that
// meet most sentences. Their literals are keywords of the prefilter's pass over a sentence, and
// where they occur tells what RE2 would find, one search per match, for each of them.
struct LiteralRows {
  struct Literal {
    uint32_t row = 0;
    uint32_t alternative = 0;  // its place in the row: RE2 prefers the first that matches
    uint32_t length = 0;
    std::string exact;  // empty, or the bytes a case-sensitive group ("(?-i:US)") fixes, else 0
  };
  std::vector<Literal> literals;  // by keyword id
  std::vector<bool> is_literal;   // by row
};

}  // namespace

struct CueMatcher::Impl {
  std::vector<CueSource> sources;
  std::vector<std::unique_ptr<Row>> rows;
  LiteralRows literal_rows;
  // The bare rows, whose literals say which rows a sentence may match.
  PatternFilter prefilter;
  // The languages of the rows ("*" aside). A sentence in one of them reads the rows that apply
  // to it; a sentence in any other language reads every row.
  std::set<std::string, std::less<>> languages;
};
CueMatcher::CueMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CueMatcher::CueMatcher(CueMatcher&&) noexcept = default;
CueMatcher& CueMatcher::operator=(CueMatcher&&) noexcept = default;
CueMatcher::~CueMatcher() = default;

size_t CueMatcher::size() const { return impl_->rows.size(); }

namespace {

// The first match of `re` in text[pos, end), the whole sentence being its context. Asking for
// the whole match only lets RE2 run its DFA; asked for groups too, it backtracks over the whole
// sentence.
bool Locate(const RE2& re, std::string_view text, size_t pos, re2::StringPiece* whole) {
  return re.Match(text, pos, text.size(), RE2::UNANCHORED, whole, 1);
}

// Fills groups[1] for the match in groups[0], searching only its span. RE2 gives the same groups
// for the same match whichever engine runs.
bool Capture(const RE2& re, std::string_view text, re2::StringPiece groups[2]) {
  size_t from = groups[0].data() - text.data();
  return re.Match(text, from, from + groups[0].size(), RE2::ANCHOR_BOTH, groups, 2);
}

// A byte kAsciiEdge admits: any but an ASCII letter, digit or '_' (a UTF-8 lead or continuation
// byte included).
bool IsAsciiEdgeByte(unsigned char c) { return !IsAsciiWordByte(static_cast<char>(c)); }

// The length of the UTF-8 character that starts at text[i].
size_t CharLength(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

// Where the UTF-8 character that ends at text[end] begins.
size_t LastCharBegin(std::string_view text, size_t end) {
  size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

// The cue (group 1) of `whole`, a match of a row wrapped with kAsciiEdge and `edges`, where the
// wrapping alone decides it, which saves RE2 a second search: an edge inside the sentence is
// one character, since `^` and `$` hold only at its ends. False where the match starts at the
// sentence's start with a character kAsciiEdge admits, or ends at its end with one: that
// character may be the edge or part of the cue, and only RE2 knows which reading it preferred.
bool CueFromEdges(WordEdges edges, std::string_view text, re2::StringPiece whole,
                  re2::StringPiece* cue) {
  const size_t begin = whole.data() - text.data();
  const size_t end = begin + whole.size();
  size_t lead = 0, trail = 0;
  if (edges != WordEdges::kNone && begin > 0) lead = CharLength(text, begin);
  if (edges != WordEdges::kNone && begin == 0 && IsAsciiEdgeByte(text[0])) return false;
  if (edges == WordEdges::kBoth && end > 0) {
    const size_t last = LastCharBegin(text, end);
    if (end < text.size()) trail = end - last;
    if (end == text.size() && IsAsciiEdgeByte(text[last])) return false;
  }
  if (lead + trail > whole.size()) return false;
  *cue = re2::StringPiece(text.data() + begin + lead, whole.size() - lead - trail);
  return true;
}

// Whether the one character `c` is in kWordEdge. Compiled once per process, on first need.
bool IsWordEdge(re2::StringPiece c) {
  static const RE2* const word_edge = new RE2(kWordEdge, FoldedMatchOptions());
  return RE2::FullMatch(c, *word_edge);
}

// Whether the edge characters a kAsciiEdge match consumed (before and after the cue) are in
// kWordEdge. ASCII ones always are.
bool EdgesAreWordEdges(const re2::StringPiece groups[2]) {
  re2::StringPiece before(groups[0].data(), groups[1].data() - groups[0].data());
  re2::StringPiece after(groups[1].data() + groups[1].size(),
                         groups[0].data() + groups[0].size() - groups[1].data() - groups[1].size());
  for (re2::StringPiece edge : {before, after}) {
    if (!edge.empty() && static_cast<unsigned char>(edge[0]) >= 0x80 && !IsWordEdge(edge)) {
      return false;
    }
  }
  return true;
}

// The first match of `row` in text[pos, end): the whole match in groups[0], the cue in
// groups[1]. The kAsciiEdge form admits every match of the kWordEdge form and more, with the
// same order of preference, so where its first match has word edges it is also the first match
// of the exact form; otherwise the exact form searches again.
bool NextMatch(const Row& row, std::string_view text, size_t pos, re2::StringPiece groups[2]) {
  const RE2* fast = row.fast.Get();
  if (fast == nullptr || !Locate(*fast, text, pos, &groups[0])) return false;
  if (!CueFromEdges(row.edges, text, groups[0], &groups[1]) && !Capture(*fast, text, groups)) {
    return false;
  }
  if (EdgesAreWordEdges(groups)) return true;
  const RE2* exact = row.exact.Get();
  return exact != nullptr && Locate(*exact, text, pos, &groups[0]) && Capture(*exact, text, groups);
}

// Where a cue of a sentence's folded text goes: `hits`, as spans in Document::text.
struct HitSink {
  const Document& doc;
  uint32_t folded_begin;  // of the sentence in Document::folded
  std::vector<CueMatcher::Hit>* hits;

  void Add(uint32_t cue, size_t begin, size_t end) const {
    const auto at = [&](size_t i) { return folded_begin + static_cast<uint32_t>(i); };
    hits->push_back({cue, doc.folded_to_text.Map(Span{at(begin), at(end)})});
  }
};

// Every match of row `cue` in `text`, a sentence's folded text, as spans of group 1.
void MatchAll(const Row& row, uint32_t cue, std::string_view text, const HitSink& sink) {
  re2::StringPiece groups[2];
  size_t pos = 0;
  while (pos < text.size() && NextMatch(row, text, pos, groups)) {
    const size_t begin = groups[1].data() - text.data(), end = begin + groups[1].size();
    sink.Add(cue, begin, end);
    pos = std::max(end, begin + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Literal rows (LiteralRows): what RE2 would find, read off the literals' occurrences.

// Whether RE2 matches `c` case-insensitively by itself alone: no other character (or string)
// is its case variant, as for Han, kana, Hangul and punctuation.
bool HasNoCaseVariant(UChar32 c) {
  icu::UnicodeSet variants(c, c);
  variants.closeOver(USET_CASE_INSENSITIVE);
  return variants.size() == 1;
}

// One of the strings a pattern of literals stands for. Where a case-sensitive group ("(?-i:may)")
// wrote a byte, `exact` holds it; elsewhere a 0, and the byte matches in either case.
struct LiteralString {
  std::string text;
  std::string exact;  // as long as text
};

// The strings a pattern of literals can match, in RE2's order of preference, for the part of
// RE2's syntax that denotes finitely many: literals joined by '|', groups, case-sensitive groups,
// one-character classes ("[cs]") and '?' ("curbs?", "(?:to|from)(?: the)?"). A character must be
// ASCII, an escaped ASCII punctuation mark ("\."), or without case variants. RE2 prefers the
// alternatives of a choice in order and takes an optional part before skipping it, so at a given
// start the first string of the list that matches is the one RE2 finds. Anything else (\w, '*',
// ranges, other flags), or more than kMaxStrings strings, and the pattern is not one.
class LiteralExpansion {
 public:
  static std::optional<std::vector<LiteralString>> Of(std::string_view pattern) {
    LiteralExpansion parser(pattern);
    std::optional<Strings> strings = parser.Alternation();
    if (!strings || parser.i_ != pattern.size()) return std::nullopt;
    for (const LiteralString& s : *strings) {
      if (s.text.empty()) return std::nullopt;
    }
    return strings;
  }

 private:
  using Strings = std::vector<LiteralString>;
  // Each is a keyword of the prefilter's automaton: enough for a row of inflected verbs, few
  // enough that a sentence's occurrences stay cheaper than RE2's search.
  static constexpr size_t kMaxStrings = 256;

  explicit LiteralExpansion(std::string_view pattern) : p_(pattern) {}

  bool At(char c) const { return i_ < p_.size() && p_[i_] == c; }
  bool AtText(std::string_view s) const { return p_.substr(i_, s.size()) == s; }

  std::optional<Strings> Alternation() {
    Strings out;
    for (;;) {
      std::optional<Strings> sequence = Sequence();
      if (!sequence || out.size() + sequence->size() > kMaxStrings) return std::nullopt;
      out.insert(out.end(), sequence->begin(), sequence->end());
      if (!At('|')) return out;
      ++i_;
    }
  }

  std::optional<Strings> Sequence() {
    Strings out = {LiteralString{}};
    while (i_ < p_.size() && !At('|') && !At(')')) {
      std::optional<Strings> atom = Atom();
      if (!atom) return std::nullopt;
      if (At('?')) {
        ++i_;
        if (At('?')) return std::nullopt;  // lazy: skipping is preferred
        atom->push_back(LiteralString{});
      }
      if (out.size() * atom->size() > kMaxStrings) return std::nullopt;
      Strings product;
      for (const LiteralString& head : out) {
        for (const LiteralString& tail : *atom) {
          product.push_back({head.text + tail.text, head.exact + tail.exact});
        }
      }
      out = std::move(product);
    }
    return out;
  }

  std::optional<Strings> Atom() {
    if (At('(')) return Group();
    if (At('[')) return Class();
    std::optional<LiteralString> c = Character();
    if (!c) return std::nullopt;
    return Strings{*c};
  }

  // "(...)", "(?:...)", and "(?-i:...)" or "(?i:...)", which set whether case matters inside.
  std::optional<Strings> Group() {
    const bool outer_exact = exact_;
    if (AtText("(?:")) {
      i_ += 3;
    } else if (AtText("(?-i:")) {
      i_ += 5;
      exact_ = true;
    } else if (AtText("(?i:")) {
      i_ += 4;
      exact_ = false;
    } else if (AtText("(?")) {
      return std::nullopt;  // other flags, named groups
    } else {
      ++i_;
    }
    std::optional<Strings> inner = Alternation();
    exact_ = outer_exact;
    if (!inner || !At(')')) return std::nullopt;
    ++i_;
    return inner;
  }

  // "[cs]": a choice of single characters; negation and ranges are not literals.
  std::optional<Strings> Class() {
    ++i_;
    Strings out;
    while (i_ < p_.size() && !At(']')) {
      if (At('-') || At('[') || (At('^') && out.empty())) return std::nullopt;
      std::optional<LiteralString> c = Character();
      if (!c) return std::nullopt;
      out.push_back(*c);
    }
    if (!At(']') || out.empty()) return std::nullopt;
    ++i_;
    return out;
  }

  std::optional<LiteralString> Character() {
    std::optional<std::string> c = CharacterBytes();
    if (!c || c->front() == '\0') return std::nullopt;  // 0 marks a byte of either case
    const bool fixed = exact_ && c->size() == 1 && IsAsciiAlpha((*c)[0]);
    return LiteralString{*c, fixed ? *c : std::string(c->size(), '\0')};
  }

  std::optional<std::string> CharacterBytes() {
    constexpr std::string_view kSyntax = ".^$?*+()[]{}|";
    const char c = p_[i_];
    if (c == '\\') {
      const size_t next = i_ + 1;
      if (next == p_.size() || IsAsciiAlnum(p_[next]) ||
          static_cast<unsigned char>(p_[next]) >= 0x80) {
        return std::nullopt;  // \d, \pL, \x41 and the like
      }
      i_ += 2;
      return std::string(1, p_[next]);
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      if (kSyntax.find(c) != std::string_view::npos) return std::nullopt;
      ++i_;
      return std::string(1, c);
    }
    auto i = static_cast<int32_t>(i_);
    UChar32 code_point;
    U8_NEXT(p_.data(), i, static_cast<int32_t>(p_.size()), code_point);
    if (code_point < 0 || !HasNoCaseVariant(code_point)) return std::nullopt;
    std::string out(p_.substr(i_, static_cast<size_t>(i) - i_));
    i_ = static_cast<size_t>(i);
    return out;
  }

  std::string_view p_;
  size_t i_ = 0;
  bool exact_ = false;  // inside "(?-i:...)"
};

// Whether the character at text[i] is in kWordEdge.
bool WordEdgeAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return IsAsciiEdgeByte(c);
  return IsWordEdge(re2::StringPiece(text.data() + i, CharLength(text, i)));
}

// An occurrence of a literal in a sentence.
struct Occurrence {
  uint32_t row, begin, end, alternative;
  bool operator<(const Occurrence& o) const {
    return std::tie(row, begin, alternative) < std::tie(o.row, o.begin, o.alternative);
  }
};

// The matches of one row's wrapped pattern (kWordEdge) that RE2 would find, from the row's
// occurrences in order of position, then of alternative. RE2 takes the leftmost start of a
// whole match (edge characters included) at or after `pos`, there the first alternative with
// word edges, and resumes after the cue: a whole match's start only grows with the cue's, so
// one pass over the occurrences finds them all.
void MatchOccurrences(WordEdges edges, std::string_view text, std::span<const Occurrence> row,
                      const HitSink& sink) {
  size_t pos = 0;
  for (const Occurrence& o : row) {
    const bool leading_edge = edges != WordEdges::kNone && o.begin > 0;
    const size_t start = leading_edge ? LastCharBegin(text, o.begin) : o.begin;
    if (start < pos || (leading_edge && !WordEdgeAt(text, start))) continue;
    if (edges == WordEdges::kBoth && o.end < text.size() && !WordEdgeAt(text, o.end)) continue;
    sink.Add(o.row, o.begin, o.end);
    pos = std::max<size_t>(o.end, o.begin + 1);
  }
}

// The literal rows of `sources`, their literals added to `prefilter` as keywords.
LiteralRows LiteralRowsOf(const std::vector<CueSource>& sources, PatternFilter* prefilter) {
  LiteralRows out;
  out.is_literal.resize(sources.size());
  for (uint32_t row = 0; row < sources.size(); ++row) {
    const std::optional<std::vector<LiteralString>> alternatives =
        LiteralExpansion::Of(sources[row].pattern);
    if (!alternatives) continue;
    out.is_literal[row] = true;
    for (uint32_t i = 0; i < alternatives->size(); ++i) {
      const LiteralString& s = (*alternatives)[i];
      prefilter->AddKeyword(s.text, EdgesOf(sources[row]));
      const bool any_exact = s.exact.find_first_not_of('\0') != std::string::npos;
      out.literals.push_back(
          {row, i, static_cast<uint32_t>(s.text.size()), any_exact ? s.exact : std::string()});
    }
  }
  return out;
}

// Whether `occurrence` has the bytes of `exact` (LiteralString) where it fixes them.
bool HasExactBytes(std::string_view exact, std::string_view occurrence) {
  for (size_t i = 0; i < exact.size(); ++i) {
    if (exact[i] != '\0' && exact[i] != occurrence[i]) return false;
  }
  return true;
}

// Every match of every literal row that applies (`applies`) in `text`, from the occurrences of
// their literals.
template <typename Applies>
void MatchLiteralRows(const LiteralRows& rows, const std::vector<std::unique_ptr<Row>>& all,
                      const std::vector<PatternFilter::KeywordHit>& keywords, std::string_view text,
                      const Applies& applies, const HitSink& sink) {
  std::vector<Occurrence> found;
  found.reserve(keywords.size());
  for (const PatternFilter::KeywordHit& hit : keywords) {
    const LiteralRows::Literal& literal = rows.literals[static_cast<size_t>(hit.keyword)];
    const auto end = static_cast<uint32_t>(hit.end);
    const uint32_t begin = end - literal.length;
    if (!HasExactBytes(literal.exact, text.substr(begin, literal.length))) continue;
    found.push_back({literal.row, begin, end, literal.alternative});
  }
  std::sort(found.begin(), found.end());
  for (auto first = found.begin(); first != found.end();) {
    auto last =
        std::find_if(first, found.end(), [&](const Occurrence& o) { return o.row != first->row; });
    if (applies(first->row)) {
      MatchOccurrences(all[first->row]->edges, text, std::span(first, last), sink);
    }
    first = last;
  }
}

}  // namespace

// Each row compiles once bare, into the prefilter, which finds invalid patterns and patterns
// that match the empty string (wrapping changes neither); the atom set and the rows' wrapped
// RE2s are built on first use.
StatusOr<CueMatcher> CueMatcher::Compile(const std::vector<CueSource>& sources) {
  auto impl = std::make_unique<Impl>();
  impl->sources = sources;
  for (const CueSource& source : sources) {
    const int id = static_cast<int>(impl->prefilter.size());
    if (std::string error = impl->prefilter.Add(source.pattern, FoldedMatchOptions());
        !error.empty()) {
      return Status::InvalidArgument(source.where + ": invalid pattern '" + source.pattern +
                                     "': " + error);
    }
    if (RE2::FullMatch("", impl->prefilter.pattern(id))) {
      return Status::InvalidArgument(source.where + ": pattern '" + source.pattern +
                                     "' matches the empty string");
    }
    impl->rows.push_back(std::make_unique<Row>(source));
    if (source.language != "*") impl->languages.insert(source.language);
  }
  impl->literal_rows = LiteralRowsOf(sources, &impl->prefilter);
  impl->prefilter.Compile();
  return CueMatcher(std::move(impl));
}

const PatternFilter& CueMatcher::prefilter() const { return impl_->prefilter; }

std::vector<CueMatcher::Hit> CueMatcher::Find(const Document& doc, uint32_t sentence,
                                              std::string_view language,
                                              const CueScan* scan) const {
  const Sentence& s = doc.sentences[sentence];
  std::string_view text = s.folded.Of(doc.folded);
  std::vector<int> scratch;
  std::vector<PatternFilter::KeywordHit> keywords;
  const LiteralRows& literal_rows = impl_->literal_rows;
  // Where the literals' offsets are not the sentence's, RE2 matches the literal rows too.
  bool by_literals = true;
  std::span<const PatternFilter::StringHit> scanned;
  const std::vector<int>& candidates =
      scan != nullptr && scan->HitsOf(impl_->prefilter, sentence, &scanned, &by_literals)
          ? impl_->prefilter.CandidatesOf(scanned, by_literals, &scratch, &keywords)
          : impl_->prefilter.Candidates(text, &scratch, &keywords, &by_literals);
  const bool known = impl_->languages.count(language) > 0;
  auto applies = [&](uint32_t cue) {
    return !known || Applies(impl_->sources[cue].language, language);
  };
  std::vector<Hit> hits;
  const HitSink sink{doc, s.folded.begin, &hits};
  for (int candidate : candidates) {
    const uint32_t cue = static_cast<uint32_t>(candidate);
    if ((by_literals && literal_rows.is_literal[cue]) || !applies(cue)) continue;
    MatchAll(*impl_->rows[cue], cue, text, sink);
  }
  if (by_literals) MatchLiteralRows(literal_rows, impl_->rows, keywords, text, applies, sink);
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    if (a.span.end != b.span.end) return a.span.end > b.span.end;
    return a.cue < b.cue;
  });
  return hits;
}

bool CueScan::HitsOf(const PatternFilter& filter, uint32_t s,
                     std::span<const PatternFilter::StringHit>* hits, bool* aligned) const {
  const int table = group_ == nullptr ? -1 : group_->IndexOf(&filter);
  if (table < 0 || s >= scanned_.size() || scanned_[s] == 0) return false;
  const size_t i = s * group_->size() + static_cast<size_t>(table);
  *hits = std::span(hits_).subspan(first_[i], first_[i + 1] - first_[i]);
  *aligned = scanned_[s] == 1;
  return true;
}

CueScanner::CueScanner(const std::vector<const CueMatcher*>& matchers) {
  std::vector<const PatternFilter*> filters;
  for (const CueMatcher* matcher : matchers) filters.push_back(&matcher->prefilter());
  group_ = FilterGroup(std::move(filters));
}

CueScan CueScanner::Scan(const Document& doc) const {
  CueScan scan;
  scan.group_ = &group_;
  scan.first_.reserve(doc.sentences.size() * group_.size() + 1);
  scan.scanned_.assign(doc.sentences.size(), 0);
  std::vector<FilterGroup::Hit> hits;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const Sentence& sentence = doc.sentences[s];
    hits.clear();
    if (doc.IsContent(sentence.paragraph)) {
      scan.scanned_[s] = group_.Scan(sentence.folded.Of(doc.folded), &hits) ? 1 : 2;
    }
    for (uint32_t table = 0; table < group_.size(); ++table) {
      scan.first_.push_back(static_cast<uint32_t>(scan.hits_.size()));
      for (const FilterGroup::Hit& hit : hits) {
        if (hit.filter == table) scan.hits_.push_back(hit.hit);
      }
    }
  }
  scan.first_.push_back(static_cast<uint32_t>(scan.hits_.size()));
  return scan;
}

std::string_view SentenceLanguage(const Document& doc, uint32_t sentence) {
  const Sentence& s = doc.sentences[sentence];
  if (s.paragraph < doc.paragraphs.size() && !doc.paragraphs[s.paragraph].language.empty()) {
    return doc.paragraphs[s.paragraph].language;
  }
  return doc.language;
}

}  // namespace stancetrack
