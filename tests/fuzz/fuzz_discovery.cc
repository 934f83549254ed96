// Discovery of names the lexicons lack (discovery.h: DiscoverEntities) beside the lexicon's
// mentions, in an article run through the pipeline up to language id. Checks: every mention
// non-empty, inside a content sentence on character boundaries, with a canonical name in valid
// UTF-8 and a confidence in (0, 1]; one that is not marked discovered is a short form resolved
// to a lexicon entity ("the company" after "Oracle"), so the lexicon knows its name.
#include "extractors/discovery.h"
#include "extractors/entities.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  const Lexicons& lexicons = fuzz::FuzzLexicons();
  std::vector<Mention> known = FindEntities(doc, lexicons.entities);
  for (const Mention& m : DiscoverEntities(doc, lexicons.discovery, lexicons.entities, known)) {
    fuzz::CheckInContentSentence(doc, m.sentence, m.span, m.canonical);
    FUZZ_CHECK(!m.span.empty() && !m.canonical.empty(), m.canonical);
    FUZZ_CHECK(m.discovered || lexicons.entities.Find(m.type, m.canonical) != nullptr, m.canonical);
    fuzz::CheckUtf8(m.canonical, "canonical is UTF-8");
    FUZZ_CHECK(m.confidence > 0 && m.confidence <= 1, m.canonical);
  }
  return 0;
}
