// Discovery: companies and people the lexicons do not know, and short forms that point back to
// an entity named earlier in the same document.
//
// Input: a segmented Document, the DiscoveryLexicon, the EntityLexicon and `known`, the
// mentions FindEntities found in the same Document (in text order). Output: new mentions only,
// in text order (by begin, longer first); the caller merges them with `known`. Paragraphs where
// !doc.IsContent(p) are skipped.
//
// (1) Names outside the lexicons, found next to a cue of discovery.tsv or reporting_verbs.tsv:
//   a legal-form suffix after capitalized words, not running on into another name
//     ("Sayari Analytics Inc.", not "Texas AG Ken Paxton")                  company 0.9
//   a title before a capitalized name of 2-4 words ("Chief Executive Jane Roe") person 0.8
//   a name of 2-4 words as the subject of a reporting verb, before it ("Jane Roe said") or
//     after it ("said Jane Roe", "according to Jane Roe"): a company when a word of it is a
//     company word (Technologies, Analytics...), a person when every word looks like a name
//     (Roe, O'Brien, initials, particles like "van"), else nothing                   0.7
//   after a Chinese title, two or three Han characters starting with a listed surname
//     (发言人王小明), romanized in a Chinese sentence (see below)                  0.7
//   a name in a script without spaces, whose start or end is a guess               0.6
//     after a Chinese title: the same name in a Japanese sentence, or a transliteration
//     joined by middle dots (约翰·多伊);
//     before 公司 (or after 株式会社): up to 6 Han or 12 Katakana characters, generic words
//     such as 科技 cut off, nothing when a lexicon mention comes right before (美国芯片公司
//     describes); the Hangul word before 주식회사.
// The canonical name is the text's own words, whitespace collapsed, without suffix or title;
// a name in a script without case followed by a romanization in brackets, 王小明（Wang
// Xiaoming）, takes it (and is the lexicon's when the brackets hold a lexicon mention); else a
// surname-led Chinese name in a Chinese sentence is written in pinyin, as English news and the
// lexicons write such names (王小明 is Wang Xiaoming, 欧阳明 Ouyang Ming; romanize.h), unless
// the title is an office of a country other than China, Taiwan, Hong Kong or Macao
// (法国总统马克龙: a foreign name spelled by sound, kept as written).
// Words never inside a name: `stop` rows (The, Monday, January, 的, 表示), the cues themselves;
// a Chinese person's name also ends where a `name-end` row starts (李斌则表示, 拉里·佩奇投资).
// Nothing is found in capitalized words of a paragraph whose every word of four or more
// letters is capitalized (a headline in Title Case gives no case signal), nor in a name with a
// `not-name` word (Ministry, Valley, New Delhi: organizations and places are not companies or
// people). The first word of a sentence is dropped from a name when the document also writes
// it in lower case ("Rival Sayari Inc." is Sayari). A name overlapping a lexicon mention of a
// company, organization, person or policy, lying wholly inside a country mention, or equal to
// a lexicon name is the lexicon's: not returned. These mentions have discovered = true.
//
// (2) Short forms, each resolved only to an entity named before it, with discovered = true when
// the target was discovered, false when it is a lexicon entity:
//   a discovered name repeated ("Sayari Analytics" after "Sayari Analytics Inc.")  its own score
//   a discovered person's surname alone ("Roe", not inside a longer name)           0.6
//   the first word of a company's two-or-more-word name as a possessive ("Sayari's") 0.6
//   a company nominal ("the chipmaker", "the company", 该公司; company-anaphor rows of
//     reporting_verbs.tsv): the last company in subject position, meaning the first company
//     or organization mention of its sentence, or the company of a lexicon person named first
//     there; only when that subject is a company, at most kMaxNominalSentences back.    0.6
//     A nominal written in lower case in the table must be lower case in the text after its
//     first letter: "The company said" counts, "The Company" (a defined term) does not.
// Confidence scale: 1 is a lexicon match; the scores above rank the evidence, from a legal
// suffix (rarely wrong) to a guessed boundary or a resolved short form (right most of the time).
// Where two candidates overlap, the higher score wins.
//
// Not read: Chinese "X说" (where the name starts is not known), Japanese and Korean titles
// (they follow the name), the apposition "Jane Roe, chief executive of X, said".
//
// Ownership: DiscoveryLexicon is immutable after Load and shared by all threads (const methods
// are thread-safe). DiscoverEntities is a pure function. Errors: Load reports "file:line:
// reason" for a malformed row, an unknown kind or language, or an invalid pattern.
#ifndef STANCETRACK_EXTRACTORS_DISCOVERY_H_
#define STANCETRACK_EXTRACTORS_DISCOVERY_H_

#include <memory>
#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/cue_matcher.h"
#include "extractors/entities.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

// The confidence of each kind of evidence (see above).
inline constexpr float kSuffixConfidence = 0.9f;
inline constexpr float kTitleConfidence = 0.8f;
inline constexpr float kSpeakerConfidence = 0.7f;
inline constexpr float kRomanizedConfidence = 0.7f;
inline constexpr float kUnspacedConfidence = 0.6f;
inline constexpr float kShortFormConfidence = 0.6f;

// The export record (pipeline/export.h) lists a discovered name from this confidence up: a
// legal suffix, a title or a reporting verb next to it, or a Chinese name after a title that
// starts with a listed surname, romanized. Other names read in scripts without spaces stay in
// the store only: their boundaries are guesses, and their gold names are in English.
inline constexpr float kMinListedConfidence = kSpeakerConfidence;

// How many sentences back "the company" looks for the company it stands for: further back, a
// reader would name the company again.
inline constexpr uint32_t kMaxNominalSentences = 5;

class DiscoveryLexicon {
 public:
  // Reads discovery.tsv (columns: language, kind, pattern; layered by all three, see tsv.h)
  // and the verb, speaker-verb, verb-speaker and company-anaphor rows of reporting_verbs.tsv
  // from `dirs`, and compiles them into one matcher.
  static StatusOr<DiscoveryLexicon> Load(const std::vector<std::string>& dirs);

  DiscoveryLexicon(DiscoveryLexicon&&) noexcept;
  DiscoveryLexicon& operator=(DiscoveryLexicon&&) noexcept;
  ~DiscoveryLexicon();

  size_t size() const;  // number of cue rows
  // Its cue tables, for a CueScanner.
  std::vector<const CueMatcher*> cue_matchers() const;

  // Implementation detail, shared with DiscoverEntities.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit DiscoveryLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `scan`, if given, is a CueScan of `doc` that covers the lexicon's cue table.
std::vector<Mention> DiscoverEntities(const Document& doc, const DiscoveryLexicon& discovery,
                                      const EntityLexicon& entities,
                                      const std::vector<Mention>& known,
                                      const CueScan* scan = nullptr);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_DISCOVERY_H_
