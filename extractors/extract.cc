#include "extractors/extract.h"

#include <algorithm>
#include <future>
#include <iterator>

namespace stancetrack {
namespace {

// Merges two runs of mentions that are each in text order (by begin, longer first).
void MergeInTextOrder(std::vector<Mention> more, std::vector<Mention>* mentions) {
  size_t middle = mentions->size();
  mentions->insert(mentions->end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
  std::inplace_merge(mentions->begin(), mentions->begin() + middle, mentions->end(),
                     [](const Mention& a, const Mention& b) {
                       if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
                       return a.span.end > b.span.end;
                     });
}

}  // namespace

StatusOr<Lexicons> Lexicons::Load(const std::vector<std::string>& dirs) {
  // The date patterns take about as long to compile as all the other tables: on a second thread.
  std::future<StatusOr<DateLexicon>> loading_dates =
      std::async(std::launch::async, [&dirs] { return DateLexicon::Load(dirs); });
  StatusOr<EntityLexicon> entities = EntityLexicon::Load(dirs);
  StatusOr<DiscoveryLexicon> discovery = DiscoveryLexicon::Load(dirs);
  StatusOr<QuoteLexicon> quotes = QuoteLexicon::Load(dirs);
  StatusOr<TierLexicon> tiers = TierLexicon::Load(dirs);
  StatusOr<StanceLexicon> stances = StanceLexicon::Load(dirs);
  StatusOr<DateLexicon> dates = loading_dates.get();
  for (const Status* status : {&entities.status(), &discovery.status(), &dates.status(),
                               &quotes.status(), &tiers.status(), &stances.status()}) {
    if (!status->ok()) return *status;
  }
  Lexicons out{std::move(*entities), std::move(*discovery), std::move(*dates), std::move(*quotes),
               std::move(*tiers),    std::move(*stances),   CueScanner()};
  std::vector<const CueMatcher*> tables;
  for (const auto& of : {out.discovery.cue_matchers(), out.quotes.cue_matchers(),
                         out.tiers.cue_matchers(), out.stances.cue_matchers()}) {
    tables.insert(tables.end(), of.begin(), of.end());
  }
  out.cue_scanner = CueScanner(tables);  // the tables live in heap objects that moves keep
  return out;
}

Annotations Annotate(const Document& doc, const Lexicons& lexicons) {
  Annotations out;
  out.mentions = FindEntities(doc, lexicons.entities);
  const CueScan scan = lexicons.cue_scanner.Scan(doc);
  std::vector<Mention> discovered =
      DiscoverEntities(doc, lexicons.discovery, lexicons.entities, out.mentions, &scan);
  MergeInTextOrder(std::move(discovered), &out.mentions);
  DateFindings dates = FindDates(doc, lexicons.dates);
  out.published = std::move(dates.published);
  out.dates = std::move(dates.dates);
  out.quotes = FindQuotes(doc, lexicons.quotes, lexicons.entities, out.mentions, &scan);
  out.tiers = FindTiers(doc, lexicons.tiers, lexicons.entities, out.mentions, &scan);
  out.stances = FindStances(doc, lexicons.stances, lexicons.entities, out, &scan);
  return out;
}

}  // namespace stancetrack
