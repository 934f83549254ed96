// Boilerplate marking (boilerplate.h) with the shipped cue tables, on a segmented article.
// Checks: spans unchanged, the title never marked, every marked paragraph has a reason, an
// unmarked one none; the author filled from a byline is valid UTF-8.
#include "pipeline/language.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kSegmented, &doc)) return 0;
  DetectParagraphLanguages(&doc);
  std::vector<Paragraph> before = doc.paragraphs;
  MarkBoilerplate(&doc, fuzz::FuzzBoilerplate());
  FUZZ_CHECK(doc.paragraphs.size() == before.size(), "every paragraph kept");
  for (size_t i = 0; i < before.size(); ++i) {
    const Paragraph& p = doc.paragraphs[i];
    FUZZ_CHECK(p.span == before[i].span, "spans unchanged");
    if (before[i].kind == BlockKind::kTitle) {
      FUZZ_CHECK(p.kind == BlockKind::kTitle, "the title is never marked");
    }
    FUZZ_CHECK((p.kind == BlockKind::kBoilerplate) == !p.reason.empty(), "a reason iff marked");
  }
  fuzz::CheckUtf8(doc.meta.author, "author is UTF-8");
  return 0;
}
