// The .txt reader on raw bytes: charset detection and decoding (encoding.h), then front matter
// (formats.h), through ParseItem as ingest calls it. Checks: one unit per file, a document or an
// error that says why, the decoded text valid UTF-8 whatever the bytes, a charset named.
#include "pipeline/encoding.h"
#include "pipeline/formats.h"
#include "tests/fuzz/fuzz_support.h"

namespace stancetrack::fuzz {
namespace {

void CheckDecoded(std::string_view bytes) {
  DecodeOptions options;
  options.declared = DeclaredFrontMatterCharset;
  DecodedText decoded = DecodeText(bytes, options);
  CheckUtf8(decoded.utf8, "DecodeText gives UTF-8");
  FUZZ_CHECK(!decoded.encoding.empty(), "a charset is named");
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string_view bytes = fuzz::AsView(data, size);
  fuzz::CheckDecoded(bytes);
  std::optional<Document> doc = fuzz::ReadOneUnit({"in/fuzz.txt", "fuzz.txt"}, bytes);
  if (!doc) return 0;
  fuzz::CheckUtf8(doc->original, "original is UTF-8");
  fuzz::CheckDate(doc->meta.published, false, true, "published");
  FUZZ_CHECK(!doc->encoding.empty(), "encoding set");
  return 0;
}
