#include "extractors/entities.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "extractors/keyword_automaton.h"
#include "extractors/tsv.h"
#include "pipeline/normalize.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

// Column layouts of the tables; each file's header comments explain the columns.
namespace country_col {
enum : size_t { kCode, kName, kAliases, kDemonyms, kZh, kJa, kKo, kDe, kFr, kEs };
enum : size_t { kTier = kEs + 1, kTierSource, kExcluded, kSources, kCount };
}  // namespace country_col
// companies.tsv and organizations.tsv: kCountry is the government and kKind the organization
// kind in the latter, the sector in the former.
namespace body_col {
enum : size_t { kCanonical, kAliases, kCountry, kKind, kExcluded, kSources, kCount };
}
namespace person_col {
enum : size_t { kCanonical, kAliases, kSurnames, kAffiliation, kRole, kExcluded, kSources, kCount };
}
namespace policy_col {
enum : size_t { kId, kAlias, kKind, kLanguage, kSource, kCount };
}

constexpr std::array<std::string_view, 12> kOrganizationKinds = {
    "executive", "agency",      "ministry",   "legislature",   "committee",   "party",
    "court",     "trade-group", "think-tank", "international", "state-media", "university"};

// The boundary rule a character imposes where it starts or ends an alias: the neighbouring
// text character must not be of the same class (see entities.h). kNone: no rule.
enum class Edge : uint8_t { kNone, kWord, kKana, kHangul };

Edge EdgeOf(UChar32 c) {
  if (c < 0) return Edge::kNone;
  if (c == 0x30FC) return Edge::kKana;  // the long-vowel mark is script Common but part of words
  UErrorCode error = U_ZERO_ERROR;
  switch (uscript_getScript(c, &error)) {
    case USCRIPT_KATAKANA:
      return Edge::kKana;
    case USCRIPT_HANGUL:
      return Edge::kHangul;
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN:
      return Edge::kNone;  // written without spaces: a word may end anywhere
    default:
      return u_isalnum(c) ? Edge::kWord : Edge::kNone;
  }
}

UChar32 FirstCodePoint(std::string_view s) {
  if (s.empty()) return -1;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
  return c;
}

UChar32 LastCodePoint(std::string_view s) {
  if (s.empty()) return -1;
  int32_t i = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_PREV(s.data(), 0, i, c);
  return c;
}

enum class PatternKind : uint8_t { kAlias, kExcluded, kSurname };

struct Pattern {
  PatternKind kind = PatternKind::kAlias;
  Edge start = Edge::kNone, end = Edge::kNone;
  uint32_t target = 0;              // entity index; for kSurname an index into Impl::surname_groups
  uint32_t offset = 0, length = 0;  // the folded alias, case kept, in Impl::pool
  float confidence = 1.0f;
};

}  // namespace

struct EntityLexicon::Impl {
  std::vector<EntityInfo> entities;
  std::unordered_map<std::string, uint32_t> by_key;  // KeyOf(type, canonical) -> entity
  std::vector<Pattern> patterns;                     // indexed by automaton pattern id
  std::string pool;
  std::vector<std::vector<uint32_t>> surname_groups;  // people who share one surname
  KeywordAutomaton automaton;

  static std::string KeyOf(EntityType type, std::string_view canonical) {
    return std::string(1, static_cast<char>('0' + static_cast<int>(type))) + AsciiLower(canonical);
  }
};

namespace {

// Builds an Impl from table rows, validating as it goes.
class Builder {
 public:
  explicit Builder(EntityLexicon::Impl* impl) : impl_(impl) {}

  StatusOr<uint32_t> AddEntity(const TsvRow& row, EntityInfo info) {
    if (info.canonical.empty()) return Status::InvalidArgument(row.Where() + ": empty name");
    uint32_t index = static_cast<uint32_t>(impl_->entities.size());
    auto [it, inserted] =
        impl_->by_key.emplace(EntityLexicon::Impl::KeyOf(info.type, info.canonical), index);
    if (!inserted) {
      return Status::InvalidArgument(row.Where() + ": " + std::string(EntityTypeName(info.type)) +
                                     " \"" + info.canonical + "\" is defined twice");
    }
    impl_->entities.push_back(std::move(info));
    return index;
  }

  Status AddAliases(const TsvRow& row, std::string_view field, uint32_t entity,
                    PatternKind kind = PatternKind::kAlias, float confidence = 1.0f) {
    for (const std::string& alias : SplitList(field)) {
      ST_RETURN_IF_ERROR(AddPattern(row, alias, kind, entity, confidence));
    }
    return Status::Ok();
  }

  // Surnames shared by several people form one group, resolved per document.
  Status AddSurnames(const TsvRow& row, std::string_view field, uint32_t person) {
    for (const std::string& surname : SplitList(field)) {
      auto [it, inserted] = surname_group_.emplace(FoldForMatching(surname), 0);
      if (inserted) {
        it->second = static_cast<uint32_t>(impl_->surname_groups.size());
        impl_->surname_groups.emplace_back();
        ST_RETURN_IF_ERROR(AddPattern(row, surname, PatternKind::kSurname, it->second, 1.0f));
      }
      impl_->surname_groups[it->second].push_back(person);
    }
    return Status::Ok();
  }

  Status AddPattern(const TsvRow& row, std::string_view text, PatternKind kind, uint32_t target,
                    float confidence) {
    std::string folded = FoldForMatching(text);
    if (folded.empty()) return Status::InvalidArgument(row.Where() + ": empty alias");
    auto [it, inserted] =
        alias_owner_.emplace(AsciiLower(folded), static_cast<uint32_t>(impl_->patterns.size()));
    if (!inserted) {
      const Pattern& earlier = impl_->patterns[it->second];
      bool same = earlier.kind == kind && earlier.target == target;
      if (same && impl_->pool.compare(earlier.offset, earlier.length, folded) == 0) {
        return Status::Ok();  // the same name again, e.g. "China" in English and German
      }
      // A surname may also be another entity's alias (the alias wins ties); any other clash
      // would make one name mean two things.
      bool surname_and_alias =
          (kind == PatternKind::kSurname) != (earlier.kind == PatternKind::kSurname) &&
          (kind == PatternKind::kAlias || earlier.kind == PatternKind::kAlias);
      if (!same && !surname_and_alias) {
        return Status::InvalidArgument(row.Where() + ": \"" + std::string(text) +
                                       "\" is already a name or phrase of " + Describe(earlier) +
                                       " (" + where_[it->second] + ")");
      }
    }
    Pattern p{kind,
              EdgeOf(FirstCodePoint(folded)),
              EdgeOf(LastCodePoint(folded)),
              target,
              static_cast<uint32_t>(impl_->pool.size()),
              static_cast<uint32_t>(folded.size()),
              confidence};
    if (p.end == Edge::kHangul) p.end = Edge::kNone;  // particles attach to the end of a word
    impl_->pool += folded;
    impl_->patterns.push_back(p);
    where_.push_back(row.Where());
    impl_->automaton.Add(folded);
    return Status::Ok();
  }

 private:
  std::string Describe(const Pattern& p) const {
    if (p.kind == PatternKind::kSurname) return "a surname";
    const EntityInfo& e = impl_->entities[p.target];
    return std::string(EntityTypeName(e.type)) + " " + e.canonical;
  }

  EntityLexicon::Impl* impl_;
  std::vector<std::string> where_;  // per pattern: the row that defined it, for messages
  std::unordered_map<std::string, uint32_t> alias_owner_;  // lower-cased alias -> pattern
  std::unordered_map<std::string, uint32_t> surname_group_;
};

Status CheckCountry(const EntityLexicon::Impl& impl, const TsvRow& row, const std::string& code,
                    std::string_view what) {
  if (code.empty() || impl.by_key.count(EntityLexicon::Impl::KeyOf(EntityType::kCountry, code))) {
    return Status::Ok();
  }
  return Status::InvalidArgument(row.Where() + ": " + std::string(what) + " \"" + code +
                                 "\" is not a code in countries.tsv");
}

StatusOr<int> ParseTier(const TsvRow& row) {
  const std::string& field = row.fields[country_col::kTier];
  if (field.size() == 1 && field[0] >= '0' && field[0] <= '3') return field[0] - '0';
  return Status::InvalidArgument(row.Where() + ": tier must be 0, 1, 2 or 3, got \"" + field +
                                 "\"");
}

Status LoadCountries(const std::vector<TsvRow>& rows, Builder* b) {
  using namespace country_col;
  for (const TsvRow& row : rows) {
    StatusOr<int> tier = ParseTier(row);
    if (!tier.ok()) return tier.status();
    const std::string& code = row.fields[kCode];
    if (code.size() != 2 ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      return Status::InvalidArgument(row.Where() + ": \"" + code +
                                     "\" is not an ISO 3166-1 alpha-2 code");
    }
    EntityInfo info;
    info.type = EntityType::kCountry;
    info.canonical = code;
    info.name = row.fields[kName];
    info.country = code;
    info.reference_tier = *tier;
    StatusOr<uint32_t> index = b->AddEntity(row, std::move(info));
    if (!index.ok()) return index.status();
    for (size_t col : {kName, kAliases, kDemonyms, kZh, kJa, kKo, kDe, kFr, kEs}) {
      ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[col], *index));
    }
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kExcluded], *index, PatternKind::kExcluded));
  }
  return Status::Ok();
}

// Companies and organizations share a layout: name, aliases, country, kind, exclusions.
Status LoadNamedBodies(const std::vector<TsvRow>& rows, EntityType type,
                       const EntityLexicon::Impl& impl, Builder* b) {
  using namespace body_col;
  for (const TsvRow& row : rows) {
    const std::string& kind = row.fields[kKind];
    bool company = type == EntityType::kCompany;
    ST_RETURN_IF_ERROR(
        CheckCountry(impl, row, row.fields[kCountry], company ? "country" : "government"));
    if (!company && std::find(kOrganizationKinds.begin(), kOrganizationKinds.end(), kind) ==
                        kOrganizationKinds.end()) {
      return Status::InvalidArgument(row.Where() + ": unknown organization kind \"" + kind + "\"");
    }
    EntityInfo info;
    info.type = type;
    info.canonical = row.fields[kCanonical];
    info.name = row.fields[kCanonical];
    info.country = row.fields[kCountry];
    info.role = company ? "" : kind;
    info.sector = company ? kind : "";
    StatusOr<uint32_t> index = b->AddEntity(row, std::move(info));
    if (!index.ok()) return index.status();
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kCanonical], *index));
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kAliases], *index));
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kExcluded], *index, PatternKind::kExcluded));
  }
  return Status::Ok();
}

Status LoadPeople(const std::vector<TsvRow>& rows, const EntityLexicon::Impl& impl, Builder* b) {
  using namespace person_col;
  for (const TsvRow& row : rows) {
    const std::string& affiliation = row.fields[kAffiliation];
    bool known = affiliation.empty();
    for (EntityType t : {EntityType::kCompany, EntityType::kOrganization, EntityType::kCountry}) {
      known = known || impl.by_key.count(EntityLexicon::Impl::KeyOf(t, affiliation)) > 0;
    }
    if (!known) {
      return Status::InvalidArgument(row.Where() + ": affiliation \"" + affiliation +
                                     "\" is not a company, organization or country code");
    }
    EntityInfo info;
    info.type = EntityType::kPerson;
    info.canonical = row.fields[kCanonical];
    info.name = row.fields[kCanonical];
    info.affiliation = affiliation;
    info.role = row.fields[kRole];
    StatusOr<uint32_t> index = b->AddEntity(row, std::move(info));
    if (!index.ok()) return index.status();
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kCanonical], *index));
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kAliases], *index));
    ST_RETURN_IF_ERROR(b->AddSurnames(row, row.fields[kSurnames], *index));
    ST_RETURN_IF_ERROR(b->AddAliases(row, row.fields[kExcluded], *index, PatternKind::kExcluded));
  }
  return Status::Ok();
}

Status CheckPolicyRow(const TsvRow& row) {
  using namespace policy_col;
  const std::string& id = row.fields[kId];
  const std::string& kind = row.fields[kKind];
  bool id_ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!id_ok) {
    return Status::InvalidArgument(row.Where() + ": policy id \"" + id +
                                   "\" must be lower-case letters, digits and '-'");
  }
  if (kind != "name" && kind != "alias" && kind != "generic") {
    return Status::InvalidArgument(row.Where() + ": kind must be name, alias or generic, got \"" +
                                   kind + "\"");
  }
  return Status::Ok();
}

// One row per name of a policy; the row of kind "name" also gives the policy its display name.
Status LoadPolicies(const std::vector<TsvRow>& rows, EntityLexicon::Impl* impl, Builder* b) {
  using namespace policy_col;
  std::unordered_map<uint32_t, const TsvRow*> first_row;  // per policy, for messages
  for (const TsvRow& row : rows) {
    ST_RETURN_IF_ERROR(CheckPolicyRow(row));
    const std::string& id = row.fields[kId];
    auto it = impl->by_key.find(EntityLexicon::Impl::KeyOf(EntityType::kPolicy, id));
    uint32_t index = it == impl->by_key.end() ? 0 : it->second;
    if (it == impl->by_key.end()) {
      EntityInfo info;
      info.type = EntityType::kPolicy;
      info.canonical = id;
      StatusOr<uint32_t> added = b->AddEntity(row, std::move(info));
      if (!added.ok()) return added.status();
      index = *added;
      first_row[index] = &row;
    }
    bool name = row.fields[kKind] == "name";
    EntityInfo& info = impl->entities[index];
    if (name && !info.name.empty()) {
      return Status::InvalidArgument(row.Where() + ": policy \"" + id + "\" has a second name");
    }
    if (name) info.name = row.fields[kAlias];
    float confidence = row.fields[kKind] == "generic" ? kGenericPolicyConfidence : 1.0f;
    ST_RETURN_IF_ERROR(
        b->AddPattern(row, row.fields[kAlias], PatternKind::kAlias, index, confidence));
  }
  for (const auto& [index, row] : first_row) {
    if (impl->entities[index].name.empty()) {
      return Status::InvalidArgument(row->Where() + ": policy \"" + row->fields[kId] +
                                     "\" has no row of kind name");
    }
  }
  return Status::Ok();
}

StatusOr<std::unique_ptr<EntityLexicon::Impl>> BuildImpl(const std::vector<std::string>& dirs) {
  auto impl = std::make_unique<EntityLexicon::Impl>();
  Builder builder(impl.get());
  auto countries = ReadLexiconTable(dirs, "countries.tsv", country_col::kCount);
  if (!countries.ok()) return countries.status();
  ST_RETURN_IF_ERROR(LoadCountries(*countries, &builder));
  for (auto [file, type] : {std::pair{"companies.tsv", EntityType::kCompany},
                            std::pair{"organizations.tsv", EntityType::kOrganization}}) {
    auto rows = ReadLexiconTable(dirs, file, body_col::kCount);
    if (!rows.ok()) return rows.status();
    ST_RETURN_IF_ERROR(LoadNamedBodies(*rows, type, *impl, &builder));
  }
  auto people = ReadLexiconTable(dirs, "people.tsv", person_col::kCount);
  if (!people.ok()) return people.status();
  ST_RETURN_IF_ERROR(LoadPeople(*people, *impl, &builder));
  auto policies = ReadLexiconTable(dirs, "policies.tsv", policy_col::kCount, 2);
  if (!policies.ok()) return policies.status();
  ST_RETURN_IF_ERROR(LoadPolicies(*policies, impl.get(), &builder));
  impl->automaton.Build();
  return impl;
}

// ---- Matching -------------------------------------------------------------------------------

struct Candidate {
  uint32_t begin, end;  // in Document::folded
  uint32_t pattern;

  uint32_t size() const { return end - begin; }
};

// The case rule: an upper-case ASCII letter of the alias must be upper case in the text.
bool CaseMatches(std::string_view alias, std::string_view text) {
  for (size_t i = 0; i < alias.size(); ++i) {
    if (alias[i] >= 'A' && alias[i] <= 'Z' && text[i] != alias[i]) return false;
  }
  return true;
}

bool BoundariesHold(const Pattern& p, std::string_view folded, uint32_t begin, uint32_t end) {
  if (p.start != Edge::kNone && begin > 0 &&
      EdgeOf(LastCodePoint(folded.substr(0, begin))) == p.start) {
    return false;
  }
  return p.end == Edge::kNone || end >= folded.size() ||
         EdgeOf(FirstCodePoint(folded.substr(end))) != p.end;
}

// Every alias occurrence in the sentence that passes the case and boundary rules.
void CollectCandidates(const EntityLexicon::Impl& impl, std::string_view folded, Span sentence,
                       std::vector<Candidate>* out) {
  out->clear();
  std::string_view pool = impl.pool;
  impl.automaton.Scan(sentence.Of(folded), [&](int32_t id, size_t end_in_sentence) {
    const Pattern& p = impl.patterns[id];
    uint32_t end = sentence.begin + static_cast<uint32_t>(end_in_sentence);
    uint32_t begin = end - p.length;
    if (CaseMatches(pool.substr(p.offset, p.length), folded.substr(begin, p.length)) &&
        BoundariesHold(p, folded, begin, end)) {
      out->push_back({begin, end, static_cast<uint32_t>(id)});
    }
  });
}

bool MayHoldCountry(const EntityLexicon::Impl& impl, const Pattern& p) {
  if (p.kind != PatternKind::kAlias) return false;
  EntityType type = impl.entities[p.target].type;
  return type == EntityType::kOrganization || type == EntityType::kPolicy;
}

bool IsCountryAlias(const EntityLexicon::Impl& impl, const Pattern& p) {
  return p.kind == PatternKind::kAlias && impl.entities[p.target].type == EntityType::kCountry;
}

// Whether `body`, a government body, is named right after another country than its own: then it
// is that country's body ("India's Ministry of Commerce", 俄罗斯外交部), which the lexicon names
// only when it has a name of its own (美国商务部), not the one a bare name ("Ministry of
// Commerce", 外交部) means in this domain's press.
bool OtherCountrysBody(const EntityLexicon::Impl& impl, std::string_view folded,
                       const Candidate& country, const Candidate& body) {
  const EntityInfo& info = impl.entities[impl.patterns[body.pattern].target];
  if (info.type != EntityType::kOrganization || info.country.empty() || country.end > body.begin) {
    return false;
  }
  std::string_view gap = folded.substr(country.end, body.begin - country.end);
  if (gap.size() >= 2 && gap.substr(0, 2) == "'s") gap.remove_prefix(2);
  if (gap.find_first_not_of(" ") != std::string_view::npos) return false;
  return impl.entities[impl.patterns[country.pattern].target].canonical != info.country;
}

// Chooses among the candidates of one sentence. Drops those inside an excluded phrase, then
// keeps the longest of overlapping ones (then the earliest; aliases before surnames). An
// excluded phrase only silences what it contains: "Joe Biden" survives "Biden administration"
// in "Joe Biden administration". A country named inside a kept organization or policy name
// ("Cyberspace Administration of China", "Dutch export controls") is kept as well, since the
// name does name the country. One Selector serves all sentences of a document, so its per-byte
// scratch vectors are allocated once.
class Selector {
 public:
  explicit Selector(const EntityLexicon::Impl& impl) : impl_(impl) {}

  // Leaves the kept candidates in text order, outer before nested.
  void Select(Span sentence, std::vector<Candidate>* candidates) {
    std::vector<Candidate>& all = *candidates;
    std::sort(all.begin(), all.end(), [&](const Candidate& a, const Candidate& b) {
      if (a.size() != b.size()) return a.size() > b.size();
      if (a.begin != b.begin) return a.begin < b.begin;
      return impl_.patterns[a.pattern].kind < impl_.patterns[b.pattern].kind;
    });
    base_ = sentence.begin;
    excluded_.assign(sentence.size(), false);
    owner_.assign(sentence.size(), -1);
    nested_.assign(sentence.size(), false);
    keep_.assign(all.size(), false);
    MarkExcluded(all);
    KeepLongest(all);
    KeepNestedCountries(all);
    size_t kept = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (keep_[i]) all[kept++] = all[i];
    }
    all.resize(kept);
    std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
  }

 private:
  bool IsExcluded(const Candidate& c) const {
    return impl_.patterns[c.pattern].kind == PatternKind::kExcluded;
  }
  template <typename T>
  auto Bytes(std::vector<T>& v, const Candidate& c) const {
    return std::make_pair(v.begin() + (c.begin - base_), v.begin() + (c.end - base_));
  }

  void MarkExcluded(const std::vector<Candidate>& all) {
    for (const Candidate& c : all) {
      if (!IsExcluded(c)) continue;
      auto [begin, end] = Bytes(excluded_, c);
      std::fill(begin, end, true);
    }
  }

  void KeepLongest(const std::vector<Candidate>& all) {
    for (size_t i = 0; i < all.size(); ++i) {
      auto [silent_begin, silent_end] = Bytes(excluded_, all[i]);
      if (IsExcluded(all[i]) || std::find(silent_begin, silent_end, false) == silent_end) continue;
      auto [begin, end] = Bytes(owner_, all[i]);
      if (std::any_of(begin, end, [](int32_t o) { return o >= 0; })) continue;
      std::fill(begin, end, static_cast<int32_t>(i));
      keep_[i] = true;
    }
  }

  void KeepNestedCountries(const std::vector<Candidate>& all) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (keep_[i] || !IsCountryAlias(impl_, impl_.patterns[all[i].pattern])) continue;
      auto [owner_begin, owner_end] = Bytes(owner_, all[i]);
      int32_t outer = *owner_begin;
      if (outer < 0 || *(owner_end - 1) != outer ||
          !MayHoldCountry(impl_, impl_.patterns[all[outer].pattern])) {
        continue;
      }
      auto [begin, end] = Bytes(nested_, all[i]);
      if (std::find(begin, end, true) != end) continue;
      std::fill(begin, end, true);
      keep_[i] = true;
    }
  }

  const EntityLexicon::Impl& impl_;
  uint32_t base_ = 0;           // folded offset of the sentence
  std::vector<bool> excluded_;  // per sentence byte: inside an excluded phrase
  std::vector<int32_t> owner_;  // per sentence byte: the kept candidate covering it, or -1
  std::vector<bool> nested_;    // per sentence byte: covered by a kept nested country
  std::vector<bool> keep_;      // per candidate
};

// Tracks where each person was last named in full, to resolve later surnames.
class PersonMemory {
 public:
  void Saw(uint32_t person, uint32_t offset) {
    for (auto& [p, at] : seen_) {
      if (p == person) {
        at = offset;
        return;
      }
    }
    seen_.emplace_back(person, offset);
  }

  // The most recently named person of the group, or -1 when none was named yet.
  int64_t Resolve(const std::vector<uint32_t>& group) const {
    int64_t best = -1;
    uint32_t best_at = 0;
    for (const auto& [p, at] : seen_) {
      if ((best < 0 || at >= best_at) && std::find(group.begin(), group.end(), p) != group.end()) {
        best = p;
        best_at = at;
      }
    }
    return best;
  }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> seen_;
};

}  // namespace

EntityLexicon::EntityLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EntityLexicon::EntityLexicon(EntityLexicon&&) noexcept = default;
EntityLexicon& EntityLexicon::operator=(EntityLexicon&&) noexcept = default;
EntityLexicon::~EntityLexicon() = default;

StatusOr<EntityLexicon> EntityLexicon::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::unique_ptr<Impl>> impl = BuildImpl(dirs);
  if (!impl.ok()) return impl.status();
  return EntityLexicon(std::move(*impl));
}

const EntityInfo* EntityLexicon::Find(EntityType type, std::string_view canonical) const {
  auto it = impl_->by_key.find(Impl::KeyOf(type, canonical));
  return it == impl_->by_key.end() ? nullptr : &impl_->entities[it->second];
}

const std::vector<EntityInfo>& EntityLexicon::entities() const { return impl_->entities; }

size_t EntityLexicon::size() const { return impl_->entities.size(); }

std::vector<Mention> FindEntities(const Document& doc, const EntityLexicon& lexicon) {
  const EntityLexicon::Impl& impl = lexicon.impl();
  std::vector<Mention> mentions;
  std::vector<Candidate> candidates;
  Selector selector(impl);
  PersonMemory memory;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const Sentence& sentence = doc.sentences[s];
    if (!doc.IsContent(sentence.paragraph) || sentence.folded.end > doc.folded.size()) continue;
    CollectCandidates(impl, doc.folded, sentence.folded, &candidates);
    selector.Select(sentence.folded, &candidates);
    const Candidate* country = nullptr;  // the latest country named before `c`
    for (const Candidate& c : candidates) {
      const Pattern& p = impl.patterns[c.pattern];
      if (country && OtherCountrysBody(impl, doc.folded, *country, c)) continue;
      if (IsCountryAlias(impl, p)) country = &c;
      int64_t entity = p.target;
      if (p.kind == PatternKind::kSurname) {
        entity = memory.Resolve(impl.surname_groups[p.target]);
        if (entity < 0) continue;
      } else if (impl.entities[entity].type == EntityType::kPerson) {
        memory.Saw(p.target, c.begin);
      }
      const EntityInfo& info = impl.entities[entity];
      Span span = doc.folded_to_text.Map(Span{c.begin, c.end});
      mentions.push_back(Mention{info.type, info.canonical, span, s, false, p.confidence});
    }
  }
  return mentions;
}

}  // namespace stancetrack
