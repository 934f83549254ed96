// Quotes: the direct quotes of an article and who said them.
//
// Input: a segmented Document (normalize.h, segment.h), the QuoteLexicon (reporting_verbs.tsv:
// reporting verbs and the anaphors that stand for a speaker, per language), the EntityLexicon,
// and the mentions FindEntities found in the same Document. Output: the quotes of the content
// paragraphs (boilerplate is skipped) in text order.
//
// Quote marks, in the folded text: '"' (every typographic double quote folds to it), « »
// (either way round), 「」 and 『』. 《》 mark titles, not quotes. A quote lies within one
// paragraph and may span its sentences; one left open runs to the end of its paragraph (the
// news convention for a quote continued in the next paragraph). Quotes inside a quote belong to
// it. Single quotes 'like this' count only where attributed, and a quote of at most
// kMaxScareQuoteWords words (a CJK character counting as half a word) without attribution is
// a scare quote ("the so-called "diffusion" rule"), not a quote: both are dropped.
// Quote::span is the words inside the marks, without surrounding spaces or a trailing comma;
// Quote::sentence is the sentence where those words begin.
//
// Attribution, first after the quote (the rest of the sentence of its closing mark, up to the
// next quote), then before it (its sentence up to the opening mark, from the previous quote):
//   a reporting verb of the lexicon, with the speaker where the verb's kind allows:
//     "X said", "X told Reuters", "said X", "according to X", "X said in an interview: "..."",
//     "史密斯表示：「...」";
//   the speaker is a person, company or organization mention (not one inside a quote), the
//     nearest to the verb; "Brad Smith, Microsoft's president, said" is Brad Smith for Microsoft;
//   after a conjunction ("X called on Congress to act and said "..."") the verb shares the
//     clause's first subject, not the nearest name;
//   or an anaphor right next to the verb ("he said", "the company said", "他表示"), resolved to
//     the last person / company / organization / anyone named as a speaker or as a subject (the
//     first such mention of a sentence) before it.
// Speaker and organization: a person speaks as the person's canonical name, for the company or
// organization named right before their title ("Microsoft President Brad Smith", "微软总裁史密斯")
// or in an apposition after them, else for the EntityLexicon affiliation when that names a
// company or organization (a government served, given as a country code, is no organization:
// speaker_org stays empty). A company or organization speaks for itself (speaker_org = speaker).
// A quote without attribution of its own that follows an attributed quote in the same paragraph
// is that speaker's: '"It is a mistake," he said. "We will say so."'; one that opens a paragraph
// is the speaker's whom the paragraph before announced with a lead-in ("released the following
// statement from X"). A name or scare quote in marks ("旗下账号「北极星」直言：「...」") does not
// cut the words around a quote where its reporting verb is sought.
// A quote without a known speaker (unattributed, or attributed to an anaphor that refers to
// nobody named before) is still returned, with empty speaker and speaker_org: the store keeps
// every quote, and the text may say who spoke in a way these rules do not read.
//
// Ownership: QuoteLexicon is immutable after Load and shared by all threads (const methods are
// thread-safe). FindQuotes is a pure function; `mentions` must be FindEntities' output for
// `doc` (in text order). Errors: Load reports "file:line: reason" for a malformed row.
#ifndef STANCETRACK_EXTRACTORS_QUOTES_H_
#define STANCETRACK_EXTRACTORS_QUOTES_H_

#include <memory>
#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/cue_matcher.h"
#include "extractors/entities.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

// A quote this short and unattributed is a scare quote ("so-called "chip war"").
inline constexpr int kMaxScareQuoteWords = 2;

class QuoteLexicon {
 public:
  // Loads and validates reporting_verbs.tsv from `dirs` (layered, see tsv.h; every row adds)
  // and compiles its patterns.
  static StatusOr<QuoteLexicon> Load(const std::vector<std::string>& dirs);

  QuoteLexicon(QuoteLexicon&&) noexcept;
  QuoteLexicon& operator=(QuoteLexicon&&) noexcept;
  ~QuoteLexicon();

  // Its cue tables, for a CueScanner.
  std::vector<const CueMatcher*> cue_matchers() const;

  // Implementation detail, shared with FindQuotes.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit QuoteLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `scan`, if given, is a CueScan of `doc` that covers the lexicon's cue table.
std::vector<Quote> FindQuotes(const Document& doc, const QuoteLexicon& quotes,
                              const EntityLexicon& entities, const std::vector<Mention>& mentions,
                              const CueScan* scan = nullptr);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_QUOTES_H_
