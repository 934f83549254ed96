// CueMatcher: the rows of one cue table (tier_cues.tsv, stance_cues.tsv, actors.tsv,
// reporting_verbs.tsv) compiled so that each sentence is scanned once for all of them, and then
// only by the few rows it may match.
//
// Input: cue sources, each an RE2 pattern with the language it belongs to ("en", "zh", ...; "*"
// for every language) and the "file:line" it came from. Patterns match the folded text of a
// sentence (normalize.h: typographic quotes are ' and ", dashes are '-'), case-insensitively.
// For languages written with spaces between words the pattern must match whole words; Korean
// cues must start a word, except particles (`attached`), which attach to the word before them;
// Chinese and Japanese cues match anywhere. Sentences of a language the table knows are matched
// against that language's rows (Chinese and Japanese share theirs: short CJK sentences are often
// identified as either), any other sentence against all rows.
//
// Output: hits, each naming the row (its index in the sources) and the matched words as a Span
// in Document::text, sorted by position, longer first where two start together.
//
// Cost: Compile compiles every row bare and takes its atoms, the literals it cannot match
// without (RE2's FilteredRE2). Find scans the sentence once with one keyword automaton over
// every atom of the table and every literal of its literal rows (rows that stand for a short
// list of literals, such as "the|a|an" or "(?:to|from)(?: the)?", which meet most sentences). The
// literal rows' matches are read off where their literals occur, as RE2 would find them; of the
// other rows, only those whose atoms the sentence holds (and the few with no atom of three bytes or
// more) are searched, each with its own DFA, their Unicode word edges checked only where a match's
// edge character is not ASCII. A row's wrapped RE2s are built the first time a sentence may match
// it. Several tables read the same sentences (Annotate reads five); a CueScanner puts their
// automata's strings in one, so that a CueScan of a document passes over each sentence once
// for all of them, and Find given that scan does not scan again.
//
// Ownership: immutable after Compile as far as callers can tell, shared by all threads (Find is
// const and thread-safe; what is built on first use is built under a once-flag). Errors:
// Compile reports "file:line: invalid pattern '...': reason" and patterns that match the empty
// string (they would match everywhere).
#ifndef STANCETRACK_EXTRACTORS_CUE_MATCHER_H_
#define STANCETRACK_EXTRACTORS_CUE_MATCHER_H_

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/pattern_filter.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

class CueScan;

// The options of every RE2 that matches folded text: case-insensitive, errors returned rather
// than logged, at most limits::kRegexMaxMemBytes for the pattern and its automaton's cache.
re2::RE2::Options FoldedMatchOptions();

struct CueSource {
  std::string where;      // "path:line", for messages
  std::string language;   // ISO 639-1, or "*" for every language
  std::string pattern;    // RE2 syntax
  bool attached = false;  // a particle that may attach to the word before it (Korean 가, 의)
};

class CueMatcher {
 public:
  struct Hit {
    uint32_t cue = 0;  // index into the sources given to Compile
    Span span;         // in Document::text
  };

  static StatusOr<CueMatcher> Compile(const std::vector<CueSource>& sources);

  CueMatcher(CueMatcher&&) noexcept;
  CueMatcher& operator=(CueMatcher&&) noexcept;
  ~CueMatcher();

  // Every match of every row in sentence `sentence` of `doc`, for a sentence in `language`
  // (empty: unknown). With `scan`, a CueScan of `doc` that covers this table, the sentence is
  // not scanned again; the hits are the same.
  std::vector<Hit> Find(const Document& doc, uint32_t sentence, std::string_view language,
                        const CueScan* scan = nullptr) const;

  size_t size() const;

 private:
  friend class CueScanner;
  struct Impl;
  explicit CueMatcher(std::unique_ptr<Impl> impl);
  const PatternFilter& prefilter() const;
  std::unique_ptr<Impl> impl_;
};

// The scan of one document's content sentences for several tables at once (CueScanner::Scan):
// each sentence's bytes pass through one automaton, not one per table. A value, for one thread;
// it refers to the CueScanner that made it.
class CueScan {
 private:
  friend class CueScanner;
  friend class CueMatcher;
  // The occurrences of `filter`'s strings in sentence `s` and whether they are aligned; false
  // if the scan did not cover them (another table, a sentence outside the content).
  bool HitsOf(const PatternFilter& filter, uint32_t s,
              std::span<const PatternFilter::StringHit>* hits, bool* aligned) const;

  const FilterGroup* group_ = nullptr;
  // Every sentence's hits, by sentence, then table: those of table t in sentence s are
  // hits_[first_[i]] to hits_[first_[i + 1]], i = s * group size + t. One vector for the
  // document, not one per sentence and table.
  std::vector<PatternFilter::StringHit> hits_;
  std::vector<uint32_t> first_;
  std::vector<uint8_t> scanned_;  // by sentence: 0 not scanned, 1 aligned, 2 not aligned
};

// The cue tables Annotate reads, grouped for CueScan. The matchers must outlive it (Lexicons
// holds both). Immutable after construction; Scan is const and safe on many threads.
class CueScanner {
 public:
  CueScanner() = default;
  explicit CueScanner(const std::vector<const CueMatcher*>& matchers);

  CueScan Scan(const Document& doc) const;

 private:
  FilterGroup group_;
};

// The language extractors read a sentence in: its paragraph's, else the document's.
std::string_view SentenceLanguage(const Document& doc, uint32_t sentence);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_CUE_MATCHER_H_
