// PatternFilter: which of many RE2 patterns may match a text, from one pass over the text, so
// that only those few are searched. Each pattern's atoms (the literals it cannot match without,
// RE2's FilteredRE2) go into one keyword automaton; a text's atoms select the patterns.
//
// Input: patterns with their RE2 options, then texts. Output: for a text, the indices of the
// patterns that may match it (ascending): every pattern that matches, and some that do not
// (those with no atom of kMinAtomBytes or more are always listed). Atoms are looked for in the
// text's simple case folding, the equivalence of RE2's case-insensitive matching, so that
// "Según" and "STRAẞE" hold the atoms "según" and "straße".
// Cost: Compile is linear in the patterns; Candidates is one pass over the text (over its
// folding, when it has bytes outside ASCII) plus the work on the atoms found.
// Ownership and threads: Add and Compile first, on one thread; then Candidates and pattern()
// are const and safe on many threads. Errors: Add returns RE2's error for a pattern that does
// not compile, and adds nothing.
#ifndef STANCETRACK_EXTRACTORS_PATTERN_FILTER_H_
#define STANCETRACK_EXTRACTORS_PATTERN_FILTER_H_

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/keyword_automaton.h"

namespace stancetrack {

// Where an occurrence of a keyword must meet a word's edge: at neither end, at its start, or at
// both ends. An occurrence with an ASCII letter, digit or '_' on such a side is not reported:
// most occurrences of a short keyword ("e", "in") are inside words.
enum class WordEdges { kNone, kLeading, kBoth };

class PatternFilter {
 public:
  // Atoms shorter than this (in bytes) are not worth a lookup: a pattern whose every literal is
  // that short ("us", "EU") is a candidate for every text. One Han character is 3 bytes.
  static constexpr int kMinAtomBytes = 3;

  // Compiles `pattern` as pattern(size()) and returns "" or RE2's error.
  std::string Add(std::string_view pattern, const RE2::Options& options);
  // A keyword to look for in the same pass (ids from 0, in order of adding), case-insensitively
  // as the atoms are: Candidates reports where it occurs with `edges`. Before Compile.
  void AddKeyword(std::string_view keyword, WordEdges edges);
  void Compile();

  size_t size() const { return static_cast<size_t>(filter_.NumRegexps()); }
  // Pattern `i` as compiled by Add.
  const RE2& pattern(int i) const { return filter_.GetRE2(i); }

  struct KeywordHit {
    int32_t keyword;
    size_t end;  // exclusive, in the text given to Candidates
  };
  // An occurrence of one of strings() in a text, as a scan reports it.
  struct StringHit {
    int32_t id;  // in strings()
    size_t end;  // exclusive
  };
  // What the automaton looks for, case-folded: the atoms, then the keywords. After Compile.
  const std::vector<std::string>& strings() const { return strings_; }
  // The edges each of strings() must meet: kNone for the atoms.
  const std::vector<WordEdges>& string_edges() const { return string_edges_; }

  // The patterns that may match `text`: `*scratch`, or a list the filter keeps (valid while it
  // lives), which saves copying it. Sets `keywords` to every occurrence of the added keywords,
  // in order of end. Where case folding changed the length of a character of `text` (K to k),
  // the occurrences' ends would not be offsets in `text`: `keywords` is then left empty and
  // `*aligned` false.
  const std::vector<int>& Candidates(std::string_view text, std::vector<int>* scratch,
                                     std::vector<KeywordHit>* keywords, bool* aligned) const;
  // The same from `hits`, the occurrences of strings() in a text that a scan shared with other
  // filters found (FilterGroup), and from whether that scan was `aligned`.
  const std::vector<int>& CandidatesOf(std::span<const StringHit> hits, bool aligned,
                                       std::vector<int>* scratch,
                                       std::vector<KeywordHit>* keywords) const;

 private:
  re2::FilteredRE2 filter_{kMinAtomBytes};
  std::vector<std::string> keywords_;  // until Compile
  std::vector<WordEdges> keyword_edges_;
  // The atoms, case-folded, then the keywords; automaton ids from atoms_ on are keywords.
  KeywordAutomaton automaton_;
  int32_t atoms_ = 0;
  std::vector<std::string> strings_;
  std::vector<WordEdges> string_edges_;
  std::vector<int> without_atoms_;             // the candidates of a text that holds no atom
  std::vector<std::vector<int>> by_one_atom_;  // those of a text that holds only atom i
};

// Several filters' strings in one automaton, so that a text is scanned once for all of them.
// The filters must be compiled first and outlive the group. Immutable after construction;
// Scan is const and safe on many threads.
class FilterGroup {
 public:
  FilterGroup() = default;
  explicit FilterGroup(std::vector<const PatternFilter*> filters);

  size_t size() const { return filters_.size(); }
  // The index of `filter` in the group, or -1.
  int IndexOf(const PatternFilter* filter) const;
  struct Hit {
    uint32_t filter;  // index in the group
    PatternFilter::StringHit hit;
  };
  // Appends to `hits` the occurrences of every filter's strings in `text`: for each filter,
  // those its own scan in Candidates would find, in order of end (in another order where
  // several end together). Returns whether case folding kept every character's length, as
  // Candidates' `aligned`.
  bool Scan(std::string_view text, std::vector<Hit>* hits) const;

 private:
  // A filter that has one of the group's strings.
  struct Owner {
    uint32_t filter;
    int32_t id;  // the string's id in the filter
    WordEdges edges;
  };
  std::vector<const PatternFilter*> filters_;
  KeywordAutomaton automaton_;
  std::vector<std::vector<Owner>> owners_;  // by the group's string id
  std::vector<uint32_t> lengths_;           // of the strings, in bytes
};

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_PATTERN_FILTER_H_
