#include "tests/fuzz/fuzz_support.h"

#include <unicode/utf8.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "extractors/tsv.h"
#include "pipeline/language.h"
#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace stancetrack::fuzz {
namespace {

bool IsBoundary(std::string_view s, uint32_t offset) {
  return offset == s.size() || !U8_IS_TRAIL(static_cast<uint8_t>(s[offset]));
}

// Offsets inside a character have no counterpart (MapBuilder in normalize.cc maps a rewritten
// character's inner boundaries to its start): only character boundaries are checked.
void CheckMap(const OffsetMap& map, std::string_view derived, size_t source_size,
              std::string_view what) {
  uint32_t previous = 0;
  for (uint32_t to = 0; to <= derived.size(); ++to) {
    if (!IsBoundary(derived, to)) continue;
    uint32_t from = map.Map(to);
    FUZZ_CHECK(from <= source_size, what);
    FUZZ_CHECK(from >= previous, what);
    previous = from;
  }
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

void CheckNumber(std::string_view digits, int low, int high, std::string_view what) {
  FUZZ_CHECK(AllDigits(digits), what);
  int value = std::atoi(std::string(digits).c_str());
  FUZZ_CHECK(value >= low && value <= high, what);
}

}  // namespace

void Fail(const char* condition, const char* file, int line, std::string_view note) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s (%.*s)\n", file, line, condition,
               static_cast<int>(note.size()), note.data());
  std::abort();
}

// Loaded up front, in LLVMFuzzerInitialize below, not inside the first run: that keeps
// lexicon loading out of every execution's time and coverage.
std::optional<Lexicons>& LexiconSlot() {
  static std::optional<Lexicons> slot;
  return slot;
}
std::optional<BoilerplateRules>& BoilerplateSlot() {
  static std::optional<BoilerplateRules> slot;
  return slot;
}

const Lexicons& FuzzLexicons() { return *LexiconSlot(); }
const BoilerplateRules& FuzzBoilerplate() { return *BoilerplateSlot(); }

void LoadResources() {
  std::vector<std::string> dirs = {DefaultLexiconDir()};
  StatusOr<Lexicons> lexicons = Lexicons::Load(dirs);
  FUZZ_CHECK(lexicons.ok(), lexicons.status().message());
  LexiconSlot().emplace(std::move(*lexicons));
  StatusOr<BoilerplateRules> rules = BoilerplateRules::Load(dirs);
  FUZZ_CHECK(rules.ok(), rules.status().message());
  BoilerplateSlot().emplace(std::move(*rules));
}

std::optional<Document> ParseChecked(const SourceFile& file, const ReadItem& item) {
  StatusOr<Document> doc = ParseItem(file, item);
  if (!doc.ok()) {
    FUZZ_CHECK(!doc.status().message().empty(), "an error says why");
    return std::nullopt;
  }
  FUZZ_CHECK(doc->id == item.id, "the document keeps the unit's id");
  return std::move(*doc);
}

std::optional<Document> ReadOneUnit(const SourceFile& file, std::string_view bytes) {
  std::vector<ReadItem> items = SplitSource(file, bytes);
  FUZZ_CHECK(items.size() == 1 && items[0].id == file.id, "a file of this format is one unit");
  return ParseChecked(file, items[0]);
}

bool PrepareDocument(std::string_view bytes, Stages stages, Document* doc) {
  std::optional<Document> read = ReadOneUnit({"fuzz.md", "fuzz.md"}, bytes);
  if (!read) return false;
  *doc = std::move(*read);
  Normalize(doc);
  CheckNormalized(*doc);
  Segment(doc);
  CheckSegmented(*doc);
  if (stages == Stages::kSegmented) return true;
  DetectParagraphLanguages(doc);
  size_t paragraphs = doc->paragraphs.size();
  MarkBoilerplate(doc, FuzzBoilerplate());
  FUZZ_CHECK(doc->paragraphs.size() == paragraphs, "marking keeps every paragraph");
  if (stages == Stages::kMarked) return true;
  IdentifyLanguages(doc);
  return true;
}

void CheckUtf8(std::string_view s, std::string_view what) {
  std::string copy(s);
  size_t first_bad = 0;
  FUZZ_CHECK(RepairUtf8(&copy, &first_bad) == 0, what);
}

void CheckSpanIn(Span span, std::string_view text, std::string_view what) {
  FUZZ_CHECK(span.begin <= span.end, what);
  FUZZ_CHECK(span.end <= text.size(), what);
  FUZZ_CHECK(IsBoundary(text, span.begin) && IsBoundary(text, span.end), what);
}

void CheckNormalized(const Document& doc) {
  CheckUtf8(doc.text, "text is UTF-8");
  CheckUtf8(doc.folded, "folded is UTF-8");
  CheckMap(doc.text_to_original, doc.text, doc.original.size(), "text_to_original");
  CheckMap(doc.folded_to_text, doc.folded, doc.text.size(), "folded_to_text");
  FUZZ_CHECK(FoldForMatching(doc.original) == doc.folded, "folded = FoldForMatching(original)");
  FUZZ_CHECK(FoldedSize(doc.text) == doc.folded.size(), "FoldedSize(text) = folded's size");
}

void CheckSegmented(const Document& doc) {
  uint32_t end = 0;
  for (const Paragraph& p : doc.paragraphs) {
    CheckSpanIn(p.span, doc.text, "paragraph span");
    FUZZ_CHECK(p.span.begin >= end, "paragraphs in order, not overlapping");
    FUZZ_CHECK(!p.span.empty(), "no empty paragraph");
    end = p.span.end;
  }
  end = 0;
  for (const Sentence& s : doc.sentences) {
    CheckSpanIn(s.span, doc.text, "sentence span");
    CheckSpanIn(s.folded, doc.folded, "sentence folded span");
    FUZZ_CHECK(s.span.begin >= end, "sentences in order, not overlapping");
    FUZZ_CHECK(s.span.size() <= limits::kMaxSentenceBytes, "sentence within kMaxSentenceBytes");
    FUZZ_CHECK(s.paragraph < doc.paragraphs.size(), "sentence's paragraph exists");
    FUZZ_CHECK(doc.paragraphs[s.paragraph].span.Contains(s.span), "sentence inside paragraph");
    end = s.span.end;
  }
}

void CheckInContentSentence(const Document& doc, uint32_t sentence, Span span,
                            std::string_view what) {
  CheckSpanIn(span, doc.text, what);
  FUZZ_CHECK(sentence < doc.sentences.size(), what);
  FUZZ_CHECK(doc.sentences[sentence].span.Contains(span), what);
  FUZZ_CHECK(doc.IsContent(doc.sentences[sentence].paragraph), what);
}

void CheckDate(std::string_view date, bool allow_partial, bool allow_empty, std::string_view what) {
  if (date.empty()) {
    FUZZ_CHECK(allow_empty, what);
    return;
  }
  FUZZ_CHECK(date.size() == 10 || (allow_partial && (date.size() == 4 || date.size() == 7)), what);
  CheckNumber(date.substr(0, 4), 0, 9999, what);
  if (date.size() < 7) return;
  FUZZ_CHECK(date[4] == '-', what);
  CheckNumber(date.substr(5, 2), 1, 12, what);
  if (date.size() < 10) return;
  FUZZ_CHECK(date[7] == '-', what);
  CheckNumber(date.substr(8, 2), 1, 31, what);
}

}  // namespace stancetrack::fuzz

// Every target links this file, so this one initializer serves them all (the readers' targets
// load the lexicons too, which costs them a fraction of a second once).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stancetrack::fuzz::LoadResources();
  return 0;
}
