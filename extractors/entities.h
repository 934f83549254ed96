// Entities: who and what an article names, found by one pass of one matcher.
//
// EntityLexicon holds the companies, organizations, people, countries and policies of the
// lexicon tables (companies.tsv, organizations.tsv, people.tsv, countries.tsv, policies.tsv;
// each file's header comments name its columns), with every alias, ticker, demonym and
// foreign-language name compiled into a single Aho-Corasick automaton over the folded text
// (normalize.h), built once per run by Load.
//
// FindEntities scans each content sentence once (paragraphs where !doc.IsContent(p) are
// skipped) and returns the mentions in text order. Where matches overlap, the longest wins
// (ties: the earlier one), so "Taiwan Semiconductor Manufacturing Company" is TSMC, not Taiwan;
// a country named inside a kept organization or policy name is a mention as well ("Cyberspace
// Administration of China" also names CN, "Dutch export controls" NL), so mentions may nest.
// The rules a match must pass:
//   Case. Only ASCII letters have case here: an upper-case letter of the alias must be upper
//     case in the text, a lower-case one matches either. So "AMD", "US", "BIS", "H20" match
//     only as written ("us" is not the US), "Intel" matches "Intel" and "INTEL" but not
//     "intel", and an all-lower-case alias ("export controls") matches in any case. A
//     capitalized common word at the start of a sentence ("Apple pie...") is not told apart:
//     the lexicons avoid such aliases or list the phrase as an exclusion.
//   Word boundaries, by the script of the alias's first and last character:
//     letters and digits of spaced scripts (Latin, Greek, Cyrillic...): the neighbouring
//       character must not be one (ICU u_isalnum), so "Arm" is not found in "Armenia", while
//       "Microsoft's", "US-made" and "H20芯片" match;
//     Katakana: the neighbour must not be Katakana or the long-vowel mark (タイ is not in
//     タイトル); Hangul: must not follow Hangul (particles may follow: 엔비디아는); Han, Hiragana
//     and other unspaced scripts: anywhere.
//   Exclusions: a row may list phrases that contain one of its names but do not mean the
//     entity ("New Mexico" for Mexico, "Trump administration" for Donald Trump); every match
//     inside such a phrase is dropped, while a match that only overlaps it stays ("Joe Biden"
//     in "Joe Biden administration").
// Each match is a Mention with discovered=false and confidence 1, except a policy named by a
// generic reference (kind "generic" in policies.tsv: "export controls", "出口管制"), which gets
// kGenericPolicyConfidence: the phrase may mean another rule, later stages decide from context.
// A person's surname alone ("Huang"; the surnames column of people.tsv) is a mention of that
// person only after the same document has named them in full earlier; when several people
// mentioned so far share it, the most recently mentioned one.
//
// Ownership: EntityLexicon is immutable after Load and shared by all threads (const methods are
// thread-safe). FindEntities is a pure function. Errors: Load reports "file:line: reason" for a
// malformed row, an unknown country code or affiliation, or an alias that names two entities.
#ifndef STANCETRACK_EXTRACTORS_ENTITIES_H_
#define STANCETRACK_EXTRACTORS_ENTITIES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/annotations.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

// Confidence of a policy mention made through a generic reference.
inline constexpr float kGenericPolicyConfidence = 0.5f;

// What the lexicon knows about one entity beyond its names.
struct EntityInfo {
  EntityType type = EntityType::kCompany;
  std::string canonical;    // the name stored: "Nvidia", "Brad Smith", "US", "ai-diffusion-rule"
  std::string name;         // display name: canonical, except countries ("United States") and
                            // policies ("AI Diffusion Rule")
  std::string country;      // company: home country; organization: the government it belongs
                            // to (ISO alpha-2), empty for non-governmental bodies
  std::string affiliation;  // person: the company or organization they speak for, or the ISO
                            // alpha-2 code of the government they serve
  std::string role;         // person: "CEO", "President", "Senator"...; organization: its kind
                            // ("agency", "trade-group", "think-tank", "legislature", "ministry")
  std::string sector;       // company: "chips", "foundry", "cloud", "ai-lab", "media"...
  int reference_tier = 0;   // country: tier under the AI Diffusion Rule (reference data), 0 = none
};

class EntityLexicon {
 public:
  // Loads and validates the five tables from `dirs` (layered, see tsv.h) and compiles the matcher.
  static StatusOr<EntityLexicon> Load(const std::vector<std::string>& dirs);

  EntityLexicon(EntityLexicon&&) noexcept;
  EntityLexicon& operator=(EntityLexicon&&) noexcept;
  ~EntityLexicon();

  // The entity of that type and canonical name (compared case-insensitively), or nullptr.
  const EntityInfo* Find(EntityType type, std::string_view canonical) const;

  // Every entity, in load order: countries, companies, organizations, people, policies.
  const std::vector<EntityInfo>& entities() const;

  size_t size() const;  // number of entities of all types

  // Implementation detail, shared with FindEntities.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit EntityLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Mentions of lexicon entities in the content sentences of `doc`, in text order.
std::vector<Mention> FindEntities(const Document& doc, const EntityLexicon& lexicon);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_ENTITIES_H_
