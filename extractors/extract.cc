#include "extractors/extract.h"

namespace stancetrack {

StatusOr<Lexicons> Lexicons::Load(const std::vector<std::string>& dirs) {
  StatusOr<EntityLexicon> entities = EntityLexicon::Load(dirs);
  if (!entities.ok()) return entities.status();
  StatusOr<DateLexicon> dates = DateLexicon::Load(dirs);
  if (!dates.ok()) return dates.status();
  StatusOr<QuoteLexicon> quotes = QuoteLexicon::Load(dirs);
  if (!quotes.ok()) return quotes.status();
  StatusOr<TierLexicon> tiers = TierLexicon::Load(dirs);
  if (!tiers.ok()) return tiers.status();
  StatusOr<StanceLexicon> stances = StanceLexicon::Load(dirs);
  if (!stances.ok()) return stances.status();
  return Lexicons{std::move(*entities), std::move(*dates), std::move(*quotes), std::move(*tiers),
                  std::move(*stances)};
}

Annotations Annotate(const Document& doc, const Lexicons& lexicons) {
  Annotations out;
  out.mentions = FindEntities(doc, lexicons.entities);
  DateFindings dates = FindDates(doc, lexicons.dates);
  out.published = std::move(dates.published);
  out.dates = std::move(dates.dates);
  out.quotes = FindQuotes(doc, lexicons.quotes, lexicons.entities, out.mentions);
  out.tiers = FindTiers(doc, lexicons.tiers, lexicons.entities, out.mentions);
  out.stances = FindStances(doc, lexicons.stances, lexicons.entities, out);
  return out;
}

}  // namespace stancetrack
