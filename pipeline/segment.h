// Segmentation: normalized text -> paragraphs and sentences.
//
// Input: Document::text and Document::folded (after Normalize) and Document::language, else
// Document::meta.language, else English. Output: Document::paragraphs and Document::sentences
// (previous values are replaced), in text order, not overlapping, each starting and ending on a
// character boundary and covering its content without leading or trailing white space
// (zero-width characters count as white space here).
//   Paragraphs: split at blank lines and at single line breaks, except where a line break only
//   wraps a sentence: the line does not end with sentence-final punctuation (. ! ? … 。！？,
//   possibly followed by closing quotes or brackets) and the next line starts with a lower-case
//   letter. A Document whose meta.title is set gets its first paragraph marked
//   BlockKind::kTitle (readers put the title first). Other paragraph fields keep defaults.
//   Sentences: ICU's sentence BreakIterator for the document language, never crossing a
//   paragraph, then corrected: no break after abbreviations news uses ("Mr.", "Jan. 15",
//   "Nvidia Corp. said", "No. 2", "z.B.", initials and dotted acronyms such as "U.S." unless the
//   next word opens a sentence, e.g. "The"), nor between a quote and the words after it that
//   name its speaker (`"Why?" he asked.`, 「…！」と述べた); opening quotes and brackets that ICU
//   leaves at the end of a sentence (CJK text has no space before them) move to the next one;
//   sentences longer than limits::kMaxSentenceBytes are cut at the last space before the limit, or
//   at the last character boundary when there is none. Sentence::folded is the same sentence in
//   Document::folded (clamped to its size, so it is empty rather than out of range when folded was
//   not filled).
//
// Errors: none (ICU failures fall back to one sentence per paragraph). Thread-safety: safe from
// many threads; break iterators are cloned per call from immutable prototypes.
#ifndef STANCETRACK_PIPELINE_SEGMENT_H_
#define STANCETRACK_PIPELINE_SEGMENT_H_

#include "pipeline/document.h"

namespace stancetrack {

void Segment(Document* doc);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_SEGMENT_H_
