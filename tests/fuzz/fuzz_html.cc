// The .html reader on raw bytes: the <meta charset> prescan, decoding, the nesting cut and the
// gumbo walk (html.h), through ParseItem as ingest calls it, and ParseHtmlArticle on the same
// bytes read as UTF-8. Checks: the cut within the page, every field valid UTF-8 and bounded, the
// date normalized, the body free of the markup's control characters (NUL).
#include <algorithm>

#include "pipeline/html.h"
#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "tests/fuzz/fuzz_support.h"

namespace stancetrack::fuzz {
namespace {

void CheckArticle(const ParsedArticle& article) {
  CheckUtf8(article.body, "body is UTF-8");
  const Metadata& m = article.meta;
  for (const std::string* value : {&m.title, &m.url, &m.source, &m.language, &m.author}) {
    CheckUtf8(*value, "metadata is UTF-8");
  }
  CheckDate(m.published, false, true, "published");
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string_view bytes = fuzz::AsView(data, size);
  (void)DeclaredHtmlCharset(bytes);
  std::string utf8(bytes);
  size_t first_bad = 0;
  RepairUtf8(&utf8, &first_bad);
  FUZZ_CHECK(HtmlNestingCut(utf8) <= utf8.size(), "the cut is inside the page");
  fuzz::CheckArticle(ParseHtmlArticle(utf8));

  std::optional<Document> doc = fuzz::ReadOneUnit({"in/page.html", "page.html"}, bytes);
  if (!doc) return 0;
  fuzz::CheckUtf8(doc->original, "original is UTF-8");
  fuzz::CheckDate(doc->meta.published, false, true, "published");
  return 0;
}
