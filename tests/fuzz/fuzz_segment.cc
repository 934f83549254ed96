// Segmentation (segment.h) of any article: the bytes read as a Markdown file (front matter can
// declare the language, whose ICU sentence rules then apply), normalized, then segmented.
// Checks (CheckSegmented): paragraphs and sentences in order, not overlapping, on character
// boundaries, each sentence inside its paragraph and within kMaxSentenceBytes, each folded span
// inside Document::folded; the title paragraph first when there is a title.
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kSegmented, &doc)) return 0;
  for (size_t i = 1; i < doc.paragraphs.size(); ++i) {
    FUZZ_CHECK(doc.paragraphs[i].kind != BlockKind::kTitle, "only the first is the title");
  }
  return 0;
}
