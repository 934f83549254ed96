// Normalization: decoded article text -> the stored form and the matching form.
//
// Input: Document::original (UTF-8; may still hold invalid sequences when a caller built it by
// hand), at most limits::kMaxDocumentBytes long so that every offset fits in 32 bits. Output,
// written into the same Document (previous values are replaced):
//   text              NFC of original; invalid UTF-8 becomes U+FFFD (never an error), one
//                     U+FFFD per maximal ill-formed subpart as Unicode recommends; "\r\n" and a
//                     lone "\r" become "\n", so later stages see one kind of line break
//   text_to_original  maps offsets of text back into original
//   folded            text with typography folded for matching: typographic quotes and primes
//                     to ' and " (guillemets « » and corner brackets 「」『』 are kept, quote
//                     detection reads them), dashes and the minus sign to '-', NBSP,
//                     ideographic and other spaces to ' ', zero-width characters and the soft
//                     hyphen removed, full-width ASCII to ASCII, "…" to "...". Case is kept
//                     (entity matching decides case itself); line breaks are kept.
//   folded_to_text    maps offsets of folded back into text
// Both maps are exact at every character boundary, with one refinement: where several code
// points are rewritten together (a combining sequence recomposed by NFC, "…" becoming "..."),
// the boundaries inside the rewritten piece map to its start. An offset just after a removed
// character maps to the position after it.
// Invalid UTF-8 adds one warning to Document::warnings:
//   "invalid UTF-8 at byte 4012, 3 sequences replaced with U+FFFD"
//
// Errors: none; normalization never fails on bytes. Thread-safety: the functions are safe to
// call from many threads (ICU's normalizer instances are immutable singletons).
#ifndef STANCETRACK_PIPELINE_NORMALIZE_H_
#define STANCETRACK_PIPELINE_NORMALIZE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "pipeline/document.h"

namespace stancetrack {

// Fills doc->text, doc->folded and both offset maps from doc->original. Cost: one validity scan
// and one NFC check when the text is already clean NFC (nearly always), then one folding pass.
void Normalize(Document* doc);

// The matching form of a short string (a lexicon alias, a cue), folded exactly as Normalize
// folds article text (repair, line breaks, NFC, then folding), so that the two compare equal:
// FoldForMatching(doc.original) == doc.folded after Normalize(&doc).
std::string FoldForMatching(std::string_view utf8);

// The byte length of the folded form of `text`, which must already be normalized (a piece of
// Document::text cut at character boundaries). Folding rewrites each code point on its own, so
// the folded offset of text offset t is FoldedSize(text.substr(0, t)); Segment walks this way
// to find each sentence in Document::folded without an inverse map.
size_t FoldedSize(std::string_view text);

// Replaces every invalid UTF-8 sequence (each maximal ill-formed subpart) with U+FFFD. Returns
// the number replaced and, through first_bad, the byte offset of the first one (unchanged when
// none). The string is left untouched when it is valid.
size_t RepairUtf8(std::string* utf8, size_t* first_bad);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_NORMALIZE_H_
