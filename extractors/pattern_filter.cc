#include "extractors/pattern_filter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace stancetrack {
namespace {

// Whether `atom` holds a letter outside ASCII that has case (é, ß, but not 中). FilteredRE2
// lower-cases atoms by Unicode's rules, so such an atom may stand for an upper-case spelling
// the automaton would not see.
bool HasNonAsciiCasedLetter(std::string_view atom) {
  for (int32_t i = 0; i < static_cast<int32_t>(atom.size());) {
    UChar32 c;
    U8_NEXT(atom.data(), i, static_cast<int32_t>(atom.size()), c);
    if (c >= 0x80 && u_hasBinaryProperty(c, UCHAR_CASED)) return true;
  }
  return false;
}

}  // namespace

std::string PatternFilter::Add(std::string_view pattern, const RE2::Options& options) {
  int id = 0;
  if (filter_.Add(pattern, options, &id) == RE2::NoError) return "";
  std::string error = RE2(pattern, options).error();
  return error.empty() ? "cannot compile" : error;
}

void PatternFilter::Compile() {
  std::vector<std::string> atoms;
  if (size() > 0) filter_.Compile(&atoms);  // RE2 logs a complaint when there is no pattern
  for (int id = 0; id < static_cast<int>(atoms.size()); ++id) {
    if (HasNonAsciiCasedLetter(atoms[id])) {
      always_present_.push_back(id);
    } else {
      automaton_.Add(atoms[id]);
      atom_of_keyword_.push_back(id);
    }
  }
  automaton_.Build();
}

void PatternFilter::Candidates(std::string_view text, std::vector<int>* candidates) const {
  std::vector<int> found = always_present_;
  automaton_.Scan(text,
                  [&](int32_t keyword, size_t) { found.push_back(atom_of_keyword_[keyword]); });
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  filter_.AllPotentials(found, candidates);
}

}  // namespace stancetrack
