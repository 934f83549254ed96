// Interchange records (interchange.h: FromInterchangeJson) on any line, as `stancetrack load`
// reads them. Checks: a record or an error that says why; an accepted document's spans inside
// its text and its indices in range (what the reader promises to validate); and writing an
// accepted record back gives a line that reads back to the same line (a fixed point), so
// extract -> load -> extract loses nothing.
#include <variant>

#include "pipeline/interchange.h"
#include "pipeline/store.h"
#include "tests/fuzz/fuzz_support.h"

namespace stancetrack::fuzz {
namespace {

void CheckDocument(const StoredDocument& stored) {
  const Document& doc = stored.doc;
  for (const Paragraph& p : doc.paragraphs) CheckSpanIn(p.span, doc.text, "paragraph");
  for (const Sentence& s : doc.sentences) {
    CheckSpanIn(s.span, doc.text, "sentence");
    FUZZ_CHECK(s.paragraph < doc.paragraphs.size(), "sentence's paragraph exists");
  }
  const Annotations& a = stored.annotations;
  for (const Mention& m : a.mentions) {
    CheckSpanIn(m.span, doc.text, "mention");
    FUZZ_CHECK(m.sentence < doc.sentences.size(), "mention's sentence exists");
    FUZZ_CHECK(m.confidence >= 0 && m.confidence <= 1, "confidence in [0, 1]");
  }
  for (const Quote& q : a.quotes) CheckSpanIn(q.span, doc.text, "quote");
  for (const TierAssertion& t : a.tiers) {
    CheckSpanIn(t.span, doc.text, "tier");
    FUZZ_CHECK(t.tier >= 1 && t.tier <= 3, "tier 1-3");
  }
  for (const Stance& s : a.stances) {
    FUZZ_CHECK(s.sentence < doc.sentences.size(), "stance's sentence exists");
  }
}

template <typename Record>
void CheckRoundTrip(const Record& record) {
  std::string line = ToInterchangeJson(record);
  StatusOr<InterchangeRecord> again = FromInterchangeJson(line);
  FUZZ_CHECK(again.ok(), again.status().message());
  const Record* same = std::get_if<Record>(&*again);
  FUZZ_CHECK(same != nullptr, "the same kind of record");
  FUZZ_CHECK(ToInterchangeJson(*same) == line, line);
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  StatusOr<InterchangeRecord> record = FromInterchangeJson(fuzz::AsView(data, size));
  if (!record.ok()) {
    FUZZ_CHECK(!record.status().message().empty(), "an error says why");
    return 0;
  }
  if (const StoredDocument* stored = std::get_if<StoredDocument>(&*record)) {
    fuzz::CheckDocument(*stored);
    fuzz::CheckRoundTrip(*stored);
  } else {
    fuzz::CheckRoundTrip(std::get<Problem>(*record));
  }
  return 0;
}
