// Language identification (language.h, CLD2) on a segmented, marked article, and DetectLanguage
// on the raw bytes made valid UTF-8. Checks: every code, the document's and each paragraph's,
// is empty or ISO 639-1 (two lower-case letters), whatever the metadata declares.
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "tests/fuzz/fuzz_support.h"

namespace stancetrack::fuzz {
namespace {

void CheckCode(const std::string& code) {
  if (code.empty()) return;
  FUZZ_CHECK(code.size() == 2, code);
  for (char c : code) FUZZ_CHECK(c >= 'a' && c <= 'z', code);
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string utf8(fuzz::AsView(data, size));
  size_t first_bad = 0;
  RepairUtf8(&utf8, &first_bad);
  bool reliable = false;
  fuzz::CheckCode(DetectLanguage(utf8, &reliable));

  Document doc;
  if (!fuzz::PrepareDocument(utf8, fuzz::Stages::kIdentified, &doc)) return 0;
  fuzz::CheckCode(doc.language);
  for (const Paragraph& p : doc.paragraphs) fuzz::CheckCode(p.language);
  return 0;
}
