#include "extractors/cue_matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <set>

namespace stancetrack {
namespace {

// Memory RE2 may use for one table's combined automaton. The default (8 MiB) is sized for a
// single pattern; a table of a few hundred alternatives needs more, and the budget is spent
// once per run, not per article.
constexpr int64_t kSetMaxMemBytes = 64 << 20;

// Characters that end a word in a language written with spaces.
constexpr std::string_view kWordEdge = R"([^\pL\pN_])";

bool IsHanLanguage(std::string_view language) { return language == "zh" || language == "ja"; }

// Wraps a row's pattern so that group 1 is the cue and the edges fall on word boundaries where
// the language has them. Korean words take particles at their end (정부가), so a Korean cue
// must only start a word, and a particle not even that.
std::string Wrap(const CueSource& source) {
  const std::string& lang = source.language;
  std::string edge(kWordEdge);
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

}  // namespace

struct CueMatcher::Impl {
  std::vector<std::unique_ptr<RE2>> patterns;
  // One set per language of the table; "" holds every row.
  std::map<std::string, std::unique_ptr<RE2::Set>, std::less<>> sets;
  std::map<std::string, std::vector<int>, std::less<>> set_rows;  // set index -> row index
};

CueMatcher::CueMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CueMatcher::CueMatcher(CueMatcher&&) noexcept = default;
CueMatcher& CueMatcher::operator=(CueMatcher&&) noexcept = default;
CueMatcher::~CueMatcher() = default;

size_t CueMatcher::size() const { return impl_->patterns.size(); }

StatusOr<CueMatcher> CueMatcher::Compile(const std::vector<CueSource>& sources) {
  auto impl = std::make_unique<Impl>();
  std::set<std::string, std::less<>> languages = {""};
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
    impl->patterns.push_back(std::make_unique<RE2>(Wrap(source), MatchOptions()));
    if (source.language != "*") languages.insert(source.language);
  }
  RE2::Options set_options = MatchOptions();
  set_options.set_max_mem(kSetMaxMemBytes);
  for (const std::string& language : languages) {
    auto set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
    std::vector<int>& rows = impl->set_rows[language];
    for (size_t i = 0; i < sources.size(); ++i) {
      if (!language.empty() && !Applies(sources[i].language, language)) continue;
      std::string error;
      if (set->Add(impl->patterns[i]->pattern(), &error) < 0) {
        return Status::InvalidArgument(sources[i].where + ": " + error);
      }
      rows.push_back(static_cast<int>(i));
    }
    if (!set->Compile()) return Status::Internal("cue table too large to compile");
    impl->sets[language] = std::move(set);
  }
  return CueMatcher(std::move(impl));
}

std::vector<CueMatcher::Hit> CueMatcher::Find(const Document& doc, uint32_t sentence,
                                              std::string_view language) const {
  const Sentence& s = doc.sentences[sentence];
  std::string_view text = s.folded.Of(doc.folded);
  auto set = impl_->sets.find(language);
  if (set == impl_->sets.end()) set = impl_->sets.find("");
  const std::vector<int>& rows = impl_->set_rows.find(set->first)->second;
  std::vector<int> matched;
  if (!set->second->Match(text, &matched)) return {};
  std::vector<Hit> hits;
  for (int m : matched) {
    const RE2& re = *impl_->patterns[rows[m]];
    re2::StringPiece groups[2];
    size_t pos = 0;
    while (pos < text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, groups, 2)) {
      uint32_t begin = static_cast<uint32_t>(groups[1].data() - text.data());
      uint32_t end = begin + static_cast<uint32_t>(groups[1].size());
      hits.push_back({static_cast<uint32_t>(rows[m]),
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
