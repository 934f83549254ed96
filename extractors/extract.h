// Extract: every extractor over one document, in dependency order.
//
//   entities -> discovery (names outside the lexicons, short forms; merged into the mentions)
//   -> dates -> quotes (need person mentions) -> tiers (need country mentions)
//   -> stances (need all of the above)
//
// Lexicons bundles the lexicon of each extractor; Load reads them all from the shipped
// directory plus the user's --lexicon directories (later ones add rows and override earlier
// ones, see tsv.h). Annotate is a pure function of a segmented Document and the Lexicons.
//
// Ownership: Lexicons is immutable after Load and shared read-only by all worker threads. Load
// compiles the date patterns on a thread of its own, joined before it returns.
// Errors: Load returns the first lexicon error with "file:line: reason"; Annotate cannot fail.
#ifndef STANCETRACK_EXTRACTORS_EXTRACT_H_
#define STANCETRACK_EXTRACTORS_EXTRACT_H_

#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "extractors/dates.h"
#include "extractors/discovery.h"
#include "extractors/entities.h"
#include "extractors/quotes.h"
#include "extractors/stance.h"
#include "extractors/tiers.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

struct Lexicons {
  EntityLexicon entities;
  DiscoveryLexicon discovery;
  DateLexicon dates;
  QuoteLexicon quotes;
  TierLexicon tiers;
  StanceLexicon stances;
  // The cue tables of discovery, quotes, tiers and stances, scanned together per document.
  CueScanner cue_scanner;

  // Reads the lexicons from `dirs` in order (the first is normally DefaultLexiconDir()).
  static StatusOr<Lexicons> Load(const std::vector<std::string>& dirs);
};

Annotations Annotate(const Document& doc, const Lexicons& lexicons);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_EXTRACT_H_
