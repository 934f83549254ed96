// Annotations: what the extractors find in one Document.
//
// Every annotation points into Document::text by byte offsets and names the sentence it came
// from (an index into Document::sentences), so any figure can be traced to its evidence.
// Canonical names are the lexicon's: companies and organizations by their English short name
// ("Microsoft", "Semiconductor Industry Association"), people by full name, countries by
// ISO 3166-1 alpha-2 ("US"), policies by id ("ai-diffusion-rule").
//
// Ownership: plain values; an Annotations is only meaningful with the Document it was made from.
#ifndef STANCETRACK_EXTRACTORS_ANNOTATIONS_H_
#define STANCETRACK_EXTRACTORS_ANNOTATIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"

namespace stancetrack {

enum class EntityType : uint8_t { kCompany = 0, kOrganization, kPerson, kCountry, kPolicy };

// "company", "organization", "person", "country", "policy": the names stored in the database.
std::string_view EntityTypeName(EntityType type);

struct Mention {
  EntityType type = EntityType::kCompany;
  std::string canonical;  // lexicon canonical name, or the text's own for discovered entities
  Span span;              // the words in Document::text
  uint32_t sentence = 0;
  bool discovered = false;  // not in a lexicon: found by a pattern, with lower confidence
  float confidence = 1.0f;
};

// A direct quote and who said it.
struct Quote {
  Span span;  // the quoted words, without the quote marks
  uint32_t sentence = 0;
  std::string speaker;      // a person (canonical) or, when no person is named, an organization
  std::string speaker_org;  // the organization the speaker speaks for, empty if unknown
};

// The text places a country in a tier of the AI Diffusion Rule.
struct TierAssertion {
  std::string country;     // ISO 3166-1 alpha-2
  int tier = 0;            // 1, 2 or 3
  int reference_tier = 0;  // the lexicon's tier for that country, 0 if none
  uint32_t sentence = 0;
  Span span;  // the words that carry the tier ("second tier", "Tier 2 countries such as India")
};

// A date the text names ("February 24, 2025", "2025年2月24日", "last Thursday"), resolved.
struct DateMention {
  Span span;
  uint32_t sentence = 0;
  std::string date;       // YYYY-MM-DD; YYYY-MM or YYYY when the text gives no day
  bool relative = false;  // resolved against the publication date ("Thursday", "last week")
};

enum class Polarity : uint8_t { kSupport = 0, kOppose, kMixed };
std::string_view PolarityName(Polarity polarity);  // "support", "oppose", "mixed"

struct Stance {
  std::string actor;    // company, organization, government body or lawmaker (canonical)
  std::string speaker;  // the person who voiced it, empty if none
  std::string policy;   // policy id
  Polarity polarity = Polarity::kSupport;
  float confidence = 0.0f;
  uint32_t sentence = 0;  // the evidence sentence
  std::string date;       // YYYY-MM-DD the position was held, empty if unknown
  // ISO alpha-2 of the government the actor belongs to ("US" for the Department of Commerce);
  // empty when the actor is not a government body (a company, a trade group, a lawmaker).
  std::string country;
};

struct Annotations {
  std::vector<Mention> mentions;  // in text order
  std::vector<Quote> quotes;
  std::vector<TierAssertion> tiers;
  std::vector<Stance> stances;
  std::vector<DateMention> dates;
  std::string published;  // YYYY-MM-DD: metadata, else a dateline; empty if unknown
};

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_ANNOTATIONS_H_
