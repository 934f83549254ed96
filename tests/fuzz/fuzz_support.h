// Shared by the libFuzzer targets of tests/fuzz: how an input becomes a Document, the lexicons
// every extractor target loads once, and the invariant checks the targets assert.
//
// Input: the raw bytes libFuzzer hands a target. A target either feeds them to one entry point
// as they are (the readers, normalization) or reads them as a Markdown article (front matter,
// then text) and runs the pipeline's stages up to the one it fuzzes, in ProcessDocument's order
// (run_pipeline.h), so that extractors see documents shaped like real ones: metadata (the
// publication date relative dates resolve against, the declared language), paragraphs,
// sentences, boilerplate marks.
//
// Errors: a broken invariant is a bug: FUZZ_CHECK prints the condition, file, line and a note
// to stderr and aborts, which libFuzzer reports as a crash with the reproducer's path.
// Thread-safety: one thread (libFuzzer runs a target on one thread per process).
#ifndef STANCETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define STANCETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/extract.h"
#include "pipeline/boilerplate.h"
#include "pipeline/document.h"
#include "pipeline/reader.h"

namespace stancetrack::fuzz {

[[noreturn]] void Fail(const char* condition, const char* file, int line, std::string_view note);

#define FUZZ_CHECK(condition, note) \
  ((condition) ? (void)0 : ::stancetrack::fuzz::Fail(#condition, __FILE__, __LINE__, (note)))

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The shipped lexicons and boilerplate rules (DefaultLexiconDir()), loaded once before the first
// run by the LLVMFuzzerInitialize of fuzz_support.cc, which aborts if they fail.
const Lexicons& FuzzLexicons();
const BoilerplateRules& FuzzBoilerplate();

// ParseItem(file, item), as ingest calls it. Checks that a refusal says why and that a document
// keeps the unit's id. nullopt: the unit yields no document.
std::optional<Document> ParseChecked(const SourceFile& file, const ReadItem& item);

// `bytes` as the whole of `file`, a format read as one unit (not .jsonl): checks that SplitSource
// gives one unit, named by the file's id, then ParseChecked.
std::optional<Document> ReadOneUnit(const SourceFile& file, std::string_view bytes);

// The pipeline's stages a document has been through.
enum class Stages { kSegmented, kMarked, kIdentified };

// `bytes` read as a Markdown file (ParseItem: decoding, front matter), then normalized,
// segmented and, up to `stages`, marked for boilerplate and given its languages. Checks the
// invariants of each stage it runs (CheckNormalized, CheckSegmented). Returns false when the
// reader yields no document (the bytes hold no article).
bool PrepareDocument(std::string_view bytes, Stages stages, Document* doc);

// Invariants (each aborts through Fail when broken):
// valid UTF-8.
void CheckUtf8(std::string_view s, std::string_view what);
// `span` lies inside `text` and begins and ends on character boundaries.
void CheckSpanIn(Span span, std::string_view text, std::string_view what);
// Normalize's output: text and folded valid UTF-8, both maps in range and non-decreasing,
// folded equal to FoldForMatching(original) and as long as FoldedSize(text).
void CheckNormalized(const Document& doc);
// Segment's output: paragraphs and sentences in order, not overlapping, on character
// boundaries, each sentence inside its paragraph and no longer than kMaxSentenceBytes.
void CheckSegmented(const Document& doc);
// A mention's span lies inside its sentence, which is a content sentence.
void CheckInContentSentence(const Document& doc, uint32_t sentence, Span span,
                            std::string_view what);
// "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a month 1-12 and a day 1-31 (`allow_partial`: the
// shorter forms too); empty is accepted when `allow_empty`.
void CheckDate(std::string_view date, bool allow_partial, bool allow_empty, std::string_view what);

}  // namespace stancetrack::fuzz

#endif  // STANCETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_
