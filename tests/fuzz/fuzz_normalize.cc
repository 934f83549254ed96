// Normalization on any bytes (normalize.h: Normalize, FoldForMatching, FoldedSize, RepairUtf8).
// Checks (CheckNormalized): text and folded valid UTF-8, both offset maps in range and
// non-decreasing, folded equal to FoldForMatching(original) and as long as FoldedSize(text);
// RepairUtf8 reports a first bad byte inside the input and leaves valid UTF-8 unchanged.
#include "pipeline/normalize.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string_view bytes = fuzz::AsView(data, size);
  std::string repaired(bytes);
  size_t first_bad = bytes.size();
  size_t replaced = RepairUtf8(&repaired, &first_bad);
  FUZZ_CHECK((replaced == 0) == (repaired == bytes), "only invalid input changes");
  FUZZ_CHECK(replaced == 0 || first_bad < bytes.size(), "the first bad byte is in the input");
  fuzz::CheckUtf8(repaired, "repaired is UTF-8");

  Document doc;
  doc.original = std::string(bytes);
  Normalize(&doc);
  fuzz::CheckNormalized(doc);
  return 0;
}
