// Tier assertions (tiers.h: FindTiers) after the entity pass, in an article run through the
// pipeline up to language id. Checks: tier 1-3, the country a two-letter code the lexicon knows
// with its reference tier, the words inside a content sentence on character boundaries.
#include "extractors/entities.h"
#include "extractors/tiers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  const Lexicons& lexicons = fuzz::FuzzLexicons();
  std::vector<Mention> mentions = FindEntities(doc, lexicons.entities);
  for (const TierAssertion& t : FindTiers(doc, lexicons.tiers, lexicons.entities, mentions)) {
    FUZZ_CHECK(t.tier >= 1 && t.tier <= 3, t.country);
    const EntityInfo* country = lexicons.entities.Find(EntityType::kCountry, t.country);
    FUZZ_CHECK(t.country.size() == 2 && country != nullptr, t.country);
    FUZZ_CHECK(t.reference_tier == country->reference_tier, t.country);
    fuzz::CheckInContentSentence(doc, t.sentence, t.span, t.country);
  }
  return 0;
}
