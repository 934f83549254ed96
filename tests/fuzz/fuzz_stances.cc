// Stances (stance.h: FindStances, AggregateStances) through Annotate (extract.h), which runs
// every extractor in order, in an article run through the pipeline up to language id. Checks:
// each stance names an actor and a policy the lexicon knows, its evidence is a content sentence,
// its confidence in [0, 1], its date YYYY[-MM[-DD]] or empty; aggregation keeps (actor, policy,
// date) sorted and does not invent stances.
#include <tuple>

#include "extractors/entities.h"
#include "extractors/stance.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  const Lexicons& lexicons = fuzz::FuzzLexicons();
  Annotations annotations = Annotate(doc, lexicons);
  fuzz::CheckDate(annotations.published, false, true, "published");
  for (const Stance& s : annotations.stances) {
    FUZZ_CHECK(!s.actor.empty(), "an actor");
    FUZZ_CHECK(lexicons.entities.Find(EntityType::kPolicy, s.policy) != nullptr, s.policy);
    FUZZ_CHECK(s.sentence < doc.sentences.size(), "the evidence sentence exists");
    FUZZ_CHECK(doc.IsContent(doc.sentences[s.sentence].paragraph), "evidence is content");
    FUZZ_CHECK(s.confidence >= 0 && s.confidence <= 1, s.actor);
    fuzz::CheckDate(s.date, true, true, s.date);
  }
  std::vector<Stance> aggregated = AggregateStances(annotations.stances);
  FUZZ_CHECK(aggregated.size() <= annotations.stances.size(), "aggregation only merges");
  for (size_t i = 1; i < aggregated.size(); ++i) {
    const Stance& a = aggregated[i - 1];
    const Stance& b = aggregated[i];
    FUZZ_CHECK(std::tie(a.actor, a.policy, a.date) <= std::tie(b.actor, b.policy, b.date),
               "aggregated stances sorted by actor, policy, date");
  }
  return 0;
}
