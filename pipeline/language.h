// Language identification with CLD2 (Debian's libcld2): ISO 639-1 codes for a document and
// for each of its paragraphs.
//
// Two steps around MarkBoilerplate, which needs each paragraph's language and must come before
// the document's. DetectParagraphLanguages runs after Segment: each paragraph gets CLD2's
// answer when CLD2 finds it reliable, else stays empty. IdentifyLanguages runs after
// MarkBoilerplate: the document's language is the one that holds the most characters (not bytes: a
// CJK character is three bytes) among the reliable content paragraphs, else the declared
// meta.language, else CLD2's guess for the whole text. Paragraphs CLD2 cannot judge (short
// captions, lists of names) then take the document's language. So a Chinese disclaimer under an
// English article keeps "zh" and the article stays "en".
//
// Errors: none; text CLD2 cannot judge gets the fallback. Thread-safety: CLD2's detector keeps
// no state between calls; safe from many threads.
#ifndef STANCETRACK_PIPELINE_LANGUAGE_H_
#define STANCETRACK_PIPELINE_LANGUAGE_H_

#include <string>
#include <string_view>

#include "pipeline/document.h"

namespace stancetrack {

void DetectParagraphLanguages(Document* doc);
void IdentifyLanguages(Document* doc);

// CLD2's answer for `utf8` alone: the ISO 639-1 code, or empty when unknown; `reliable` says
// whether CLD2 trusts it.
std::string DetectLanguage(std::string_view utf8, bool* reliable);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_LANGUAGE_H_
