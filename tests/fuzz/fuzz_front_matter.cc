// Front matter on UTF-8 text (formats.h: ParseTextArticle, DeclaredFrontMatterCharset,
// NormalizePublishedDate). Checks: the body is a suffix of the input (front matter is only ever
// cut from the front), metadata values within kMaxMetadataValueBytes, the date normalized.
#include "pipeline/formats.h"
#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string_view bytes = fuzz::AsView(data, size);
  (void)DeclaredFrontMatterCharset(bytes);
  std::string utf8(bytes);
  size_t first_bad = 0;
  RepairUtf8(&utf8, &first_bad);
  ParsedArticle article = ParseTextArticle(utf8);
  FUZZ_CHECK(std::string_view(utf8).ends_with(article.body), "the body is the input's tail");
  const Metadata& m = article.meta;
  const std::string* values[] = {
      &m.title, &m.url, &m.published, &m.source, &m.language, &m.author, &article.declared_charset};
  for (const std::string* value : values) {
    FUZZ_CHECK(value->size() <= limits::kMaxMetadataValueBytes, "metadata value bounded");
    fuzz::CheckUtf8(*value, "metadata is UTF-8");
  }
  fuzz::CheckDate(m.published, false, true, "published");
  std::string again = NormalizePublishedDate(utf8);
  fuzz::CheckDate(again, false, true, "NormalizePublishedDate");
  FUZZ_CHECK(NormalizePublishedDate(again) == again, "NormalizePublishedDate is idempotent");
  return 0;
}
