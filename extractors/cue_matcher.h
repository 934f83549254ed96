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
// it.
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
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

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
  // (empty: unknown).
  std::vector<Hit> Find(const Document& doc, uint32_t sentence, std::string_view language) const;

  size_t size() const;

 private:
  struct Impl;
  explicit CueMatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The language extractors read a sentence in: its paragraph's, else the document's.
std::string_view SentenceLanguage(const Document& doc, uint32_t sentence);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_CUE_MATCHER_H_
