// Lexicon entities (entities.h: FindEntities, one Aho-Corasick pass over every alias) in an
// article run through the pipeline up to language id. Checks: mentions in text order (by begin,
// longer first), each inside a content sentence on character boundaries, with a canonical name
// the lexicon knows for its type and a confidence in (0, 1].
#include "extractors/entities.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  const EntityLexicon& lexicon = fuzz::FuzzLexicons().entities;
  std::vector<Mention> mentions = FindEntities(doc, lexicon);
  for (size_t i = 0; i < mentions.size(); ++i) {
    const Mention& m = mentions[i];
    fuzz::CheckInContentSentence(doc, m.sentence, m.span, m.canonical);
    FUZZ_CHECK(!m.span.empty(), m.canonical);
    const Span previous = i == 0 ? Span{} : mentions[i - 1].span;
    FUZZ_CHECK(i == 0 || m.span.begin > previous.begin ||
                   (m.span.begin == previous.begin && m.span.end <= previous.end),
               "mentions in text order");
    FUZZ_CHECK(lexicon.Find(m.type, m.canonical) != nullptr, m.canonical);
    FUZZ_CHECK(m.confidence > 0 && m.confidence <= 1, m.canonical);
  }
  return 0;
}
