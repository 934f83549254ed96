#include "extractors/cue_matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <mutex>
#include <set>

namespace stancetrack {
namespace {

// Memory RE2 may use for one table's combined automaton. The default (8 MiB) is sized for a
// single pattern; a table of a few hundred alternatives needs more, and the budget is spent
// once per run, not per article.
constexpr int64_t kSetMaxMemBytes = 64 << 20;

// Characters that end a word in a language written with spaces. The Unicode classes are costly
// to compile (about a millisecond each, twice per row), so only the verifier of a row that some
// sentence may match carries them.
constexpr std::string_view kWordEdge = R"([^\pL\pN_])";
// A cheap superset of kWordEdge for the combined set: every character that is no letter, digit
// or '_' is also no ASCII letter, digit or '_'. The set only preselects rows; the verifier
// decides.
constexpr std::string_view kAsciiEdge = R"((?-i:[^A-Za-z0-9_]))";

bool IsHanLanguage(std::string_view language) { return language == "zh" || language == "ja"; }

// Wraps a row's pattern so that group 1 is the cue and the edges fall on word boundaries where
// the language has them. Korean words take particles at their end (정부가), so a Korean cue
// must only start a word, and a particle not even that.
std::string Wrap(const CueSource& source, std::string_view edge_class) {
  const std::string& lang = source.language;
  std::string edge(edge_class);
  if (IsHanLanguage(lang) || (lang == "ko" && source.attached)) return "(" + source.pattern + ")";
  if (lang == "ko") return "(?:^|" + edge + ")(" + source.pattern + ")";
  return "(?:^|" + edge + ")(" + source.pattern + ")(?:" + edge + "|$)";
}

RE2::Options MatchOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

// Whether rows of `row_language` apply to sentences of the set's language `set_language`.
bool Applies(std::string_view row_language, std::string_view set_language) {
  if (row_language == "*" || row_language == set_language) return true;
  return IsHanLanguage(row_language) && IsHanLanguage(set_language);
}

// A row's exact pattern, compiled on first use: most rows of a table never meet a sentence they
// could match, and a process that reads no articles compiles none.
class Verifier {
 public:
  Verifier(std::string language, std::string pattern)
      : language_(std::move(language)), pattern_(std::move(pattern)) {}

  const std::string& language() const { return language_; }

  // nullptr if RE2 cannot build it (only its memory budget can fail: the bare pattern compiled
  // at load, and wrapping a valid pattern keeps it valid).
  const RE2* Get() const {
    std::call_once(once_, [this] { re_ = std::make_unique<RE2>(pattern_, MatchOptions()); });
    return re_->ok() ? re_.get() : nullptr;
  }

 private:
  std::string language_;
  std::string pattern_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

}  // namespace

struct CueMatcher::Impl {
  std::vector<std::unique_ptr<Verifier>> rows;
  std::unique_ptr<RE2::Set> set;                 // every row, with kAsciiEdge
  std::set<std::string, std::less<>> languages;  // of the rows, "*" left out
};

CueMatcher::CueMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CueMatcher::CueMatcher(CueMatcher&&) noexcept = default;
CueMatcher& CueMatcher::operator=(CueMatcher&&) noexcept = default;
CueMatcher::~CueMatcher() = default;

size_t CueMatcher::size() const { return impl_->rows.size(); }

// Each row compiles once bare, which finds invalid patterns and patterns that match the empty
// string (wrapping changes neither), and once into the combined set with cheap edges.
StatusOr<CueMatcher> CueMatcher::Compile(const std::vector<CueSource>& sources) {
  auto impl = std::make_unique<Impl>();
  RE2::Options set_options = MatchOptions();
  set_options.set_max_mem(kSetMaxMemBytes);
  impl->set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const CueSource& source : sources) {
    RE2 bare(source.pattern, MatchOptions());
    if (!bare.ok()) {
      return Status::InvalidArgument(source.where + ": invalid pattern '" + source.pattern +
                                     "': " + bare.error());
    }
    if (RE2::FullMatch("", bare)) {
      return Status::InvalidArgument(source.where + ": pattern '" + source.pattern +
                                     "' matches the empty string");
    }
    std::string error;
    if (impl->set->Add(Wrap(source, kAsciiEdge), &error) < 0) {
      return Status::InvalidArgument(source.where + ": " + error);
    }
    impl->rows.push_back(std::make_unique<Verifier>(source.language, Wrap(source, kWordEdge)));
    if (source.language != "*") impl->languages.insert(source.language);
  }
  if (!impl->set->Compile()) return Status::Internal("cue table too large to compile");
  return CueMatcher(std::move(impl));
}

std::vector<CueMatcher::Hit> CueMatcher::Find(const Document& doc, uint32_t sentence,
                                              std::string_view language) const {
  const Sentence& s = doc.sentences[sentence];
  std::string_view text = s.folded.Of(doc.folded);
  // A language the table knows reads its own rows; any other sentence reads them all.
  bool known = impl_->languages.count(language) > 0;
  std::vector<int> matched;
  if (impl_->rows.empty() || !impl_->set->Match(text, &matched)) return {};
  std::vector<Hit> hits;
  for (int m : matched) {
    const Verifier& row = *impl_->rows[m];
    if (known && !Applies(row.language(), language)) continue;
    const RE2* re = row.Get();
    if (re == nullptr) continue;
    re2::StringPiece groups[2];
    size_t pos = 0;
    while (pos < text.size() && re->Match(text, pos, text.size(), RE2::UNANCHORED, groups, 2)) {
      uint32_t begin = static_cast<uint32_t>(groups[1].data() - text.data());
      uint32_t end = begin + static_cast<uint32_t>(groups[1].size());
      hits.push_back({static_cast<uint32_t>(m),
                      doc.folded_to_text.Map(Span{s.folded.begin + begin, s.folded.begin + end})});
      pos = std::max<size_t>(end, begin + 1);
    }
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    if (a.span.end != b.span.end) return a.span.end > b.span.end;
    return a.cue < b.cue;
  });
  return hits;
}

std::string_view SentenceLanguage(const Document& doc, uint32_t sentence) {
  const Sentence& s = doc.sentences[sentence];
  if (s.paragraph < doc.paragraphs.size() && !doc.paragraphs[s.paragraph].language.empty()) {
    return doc.paragraphs[s.paragraph].language;
  }
  return doc.language;
}

}  // namespace stancetrack
