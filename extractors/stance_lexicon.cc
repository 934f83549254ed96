// Loading and validating the stance tables (stance_lexicon.h).
#include "extractors/stance_lexicon.h"

#include <re2/re2.h>

#include <array>
#include <charconv>
#include <set>
#include <utility>

#include "extractors/tsv.h"

namespace stancetrack {
namespace {

constexpr std::array<std::pair<std::string_view, CueKind>, 29> kKindNames = {{
    {"criticize", CueKind::kCriticize},
    {"support", CueKind::kSupport},
    {"request", CueKind::kRequest},
    {"request-after", CueKind::kRequestAfter},
    {"impose", CueKind::kImpose},
    {"lift", CueKind::kLift},
    {"reverse", CueKind::kReverse},
    {"evaluate", CueKind::kEvaluate},
    {"harm", CueKind::kHarm},
    {"report", CueKind::kReport},
    {"negation", CueKind::kNegation},
    {"negation-after", CueKind::kNegationAfter},
    {"hedge", CueKind::kHedge},
    {"modal", CueKind::kModal},
    {"passive", CueKind::kPassive},
    {"agent", CueKind::kAgent},
    {"preposition", CueKind::kPreposition},
    {"object-after", CueKind::kObjectAfter},
    {"subject-after", CueKind::kSubjectAfter},
    {"topic", CueKind::kTopic},
    {"relative", CueKind::kRelative},
    {"conjunction", CueKind::kConjunction},
    {"nominal", CueKind::kNominal},
    {"policy", CueKind::kPolicy},
    {"decision", CueKind::kDecision},
    {"anterior", CueKind::kAnterior},
    {"possessive", CueKind::kPossessive},
    {"other-policy", CueKind::kOtherPolicy},
    {"domain", CueKind::kDomain},
}};

constexpr std::array<std::pair<std::string_view, Anaphor>, 4> kAnaphorNames = {{
    {"@company", Anaphor::kCompany},
    {"@organization", Anaphor::kOrganization},
    {"@actor", Anaphor::kActor},
    {"@person", Anaphor::kPerson},
}};

Status Invalid(const TsvRow& row, const std::string& what) {
  return Status::InvalidArgument(row.Where() + ": " + what);
}

// A weight or factor in (0, 1].
StatusOr<float> ParseWeight(const TsvRow& row, const std::string& field) {
  float value = 0;
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || !(value > 0 && value <= 1)) {
    return Invalid(row, "weight must be a number in (0, 1], got '" + field + "'");
  }
  return value;
}

Status CheckDate(const TsvRow& row, const std::string& date) {
  if (date.empty() || RE2::FullMatch(date, R"(\d{4}-\d{2}-\d{2})")) return Status::Ok();
  return Invalid(row, "date must be YYYY-MM-DD or empty, got '" + date + "'");
}

StatusOr<CueRow> ParseCue(const TsvRow& row, const std::set<std::string>& policies) {
  const std::vector<std::string>& f = row.fields;
  auto kind = std::find_if(kKindNames.begin(), kKindNames.end(),
                           [&](const auto& k) { return k.first == f[1]; });
  if (kind == kKindNames.end()) return Invalid(row, "unknown kind '" + f[1] + "'");
  if (f[2].empty()) return Invalid(row, "empty pattern");
  CueRow cue;
  cue.language = f[0];
  cue.kind = kind->second;
  if (IsPolar(cue.kind)) {
    if (f[3] != "support" && f[3] != "oppose") {
      return Invalid(row, "polarity must be support or oppose, got '" + f[3] + "'");
    }
    cue.sign = f[3] == "support" ? 1 : -1;
  } else if (!f[3].empty()) {
    return Invalid(row, "kind " + f[1] + " takes no polarity");
  }
  StatusOr<float> weight = ParseWeight(row, f[4]);
  if (!weight.ok()) return weight.status();
  cue.weight = *weight;
  if (!f[5].empty() && !policies.count(f[5])) return Invalid(row, "unknown policy '" + f[5] + "'");
  if (!f[5].empty() && cue.kind != CueKind::kPolicy)
    return Invalid(row, "only policy rows name a policy");
  cue.policy = f[5];
  return cue;
}

StatusOr<ActorRow> ParseActor(const TsvRow& row) {
  const std::vector<std::string>& f = row.fields;
  if (f[1].empty() || f[4].empty()) return Invalid(row, "empty pattern or actor");
  ActorRow actor{f[4], f[5], f[6], f[2], f[3], Anaphor::kNone, {}, f[0] == "en"};
  if (f[4][0] == '@') {
    // "@organization/ministry|agency": the kinds after the slash narrow the reference.
    size_t slash = f[4].find('/');
    std::string name = f[4].substr(0, slash);
    auto anaphor = std::find_if(kAnaphorNames.begin(), kAnaphorNames.end(),
                                [&](const auto& a) { return a.first == name; });
    if (anaphor == kAnaphorNames.end()) return Invalid(row, "unknown reference '" + f[4] + "'");
    if (slash != std::string::npos) {
      if (anaphor->second != Anaphor::kOrganization) {
        return Invalid(row, "only @organization takes kinds, got '" + f[4] + "'");
      }
      actor.kinds = SplitList(std::string_view(f[4]).substr(slash + 1));
      if (actor.kinds.empty()) return Invalid(row, "no organization kind in '" + f[4] + "'");
    }
    actor.actor.clear();
    actor.anaphor = anaphor->second;
  }
  ST_RETURN_IF_ERROR(CheckDate(row, actor.from));
  ST_RETURN_IF_ERROR(CheckDate(row, actor.to));
  return actor;
}

StatusOr<PolicyRow> ParsePolicy(const TsvRow& row) {
  const std::vector<std::string>& f = row.fields;
  if (f[0].empty()) return Invalid(row, "empty policy id");
  if (f[6] != "general" && f[6] != "specific") {
    return Invalid(row, "scope must be general or specific, got '" + f[6] + "'");
  }
  StatusOr<float> weight = ParseWeight(row, f[5]);
  if (!weight.ok()) return weight.status();
  PolicyRow policy{f[0], f[1], f[2], f[3], f[4], *weight, f[6] == "general"};
  ST_RETURN_IF_ERROR(CheckDate(row, policy.from));
  ST_RETURN_IF_ERROR(CheckDate(row, policy.to));
  return policy;
}

// Particles and endings that attach to the word before them (Korean 가, 의, 않).
bool IsAttached(const CueRow& row) {
  return row.kind == CueKind::kSubjectAfter || row.kind == CueKind::kObjectAfter ||
         row.kind == CueKind::kNegationAfter || row.kind == CueKind::kConjunction;
}
bool IsAttached(const ActorRow&) { return false; }
bool IsAttached(const PolicyRow&) { return false; }

// Reads one table and parses each row with `parse`, collecting the cue sources of pattern
// column `pattern_column` (negative: none).
template <typename Row, typename Parse>
Status ReadTable(const std::vector<std::string>& dirs, std::string_view file, size_t columns,
                 size_t key_columns, int pattern_column, Parse parse, std::vector<Row>* rows,
                 std::vector<CueSource>* sources) {
  StatusOr<std::vector<TsvRow>> table = ReadLexiconTable(dirs, file, columns, key_columns);
  if (!table.ok()) return table.status();
  for (const TsvRow& row : *table) {
    StatusOr<Row> parsed = parse(row);
    if (!parsed.ok()) return parsed.status();
    rows->push_back(std::move(parsed).value());
    if (pattern_column >= 0) {
      sources->push_back(
          {row.Where(), row.fields[0], row.fields[pattern_column], IsAttached(rows->back())});
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsPolar(CueKind kind) { return kind <= CueKind::kHarm; }
bool IsAction(CueKind kind) {
  return kind == CueKind::kImpose || kind == CueKind::kLift || kind == CueKind::kReverse;
}

const PolicyRow* StanceLexicon::Impl::FindPolicy(std::string_view policy) const {
  for (const PolicyRow& row : policies) {
    if (row.policy == policy) return &row;
  }
  return nullptr;
}

const PolicyRow* StanceLexicon::Impl::GeneralPolicyOf(std::string_view country) const {
  for (const PolicyRow& row : policies) {
    if (row.general && row.country == country) return &row;
  }
  return nullptr;
}

StanceLexicon::StanceLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StanceLexicon::StanceLexicon(StanceLexicon&&) noexcept = default;
StanceLexicon& StanceLexicon::operator=(StanceLexicon&&) noexcept = default;
StanceLexicon::~StanceLexicon() = default;

size_t StanceLexicon::size() const { return impl_->cues.size(); }
std::vector<const CueMatcher*> StanceLexicon::cue_matchers() const {
  return {&impl_->cue_matcher, &impl_->actor_matcher};
}

StatusOr<StanceLexicon> StanceLexicon::Load(const std::vector<std::string>& dirs) {
  std::vector<PolicyRow> policies;
  std::vector<CueSource> none;
  ST_RETURN_IF_ERROR(
      ReadTable(dirs, "policy_context.tsv", 7, 1, -1, ParsePolicy, &policies, &none));
  std::set<std::string> ids;
  for (const PolicyRow& p : policies) ids.insert(p.policy);
  std::vector<CueRow> cues;
  std::vector<CueSource> cue_sources;
  auto parse_cue = [&](const TsvRow& row) { return ParseCue(row, ids); };
  ST_RETURN_IF_ERROR(ReadTable(dirs, "stance_cues.tsv", 6, 3, 2, parse_cue, &cues, &cue_sources));
  std::vector<ActorRow> actors;
  std::vector<CueSource> actor_sources;
  ST_RETURN_IF_ERROR(ReadTable(dirs, "actors.tsv", 7, 3, 1, ParseActor, &actors, &actor_sources));
  StatusOr<CueMatcher> cue_matcher = CueMatcher::Compile(cue_sources);
  if (!cue_matcher.ok()) return cue_matcher.status();
  StatusOr<CueMatcher> actor_matcher = CueMatcher::Compile(actor_sources);
  if (!actor_matcher.ok()) return actor_matcher.status();
  return StanceLexicon(std::unique_ptr<Impl>(
      new Impl{std::move(cues), std::move(cue_matcher).value(), std::move(actors),
               std::move(actor_matcher).value(), std::move(policies)}));
}

}  // namespace stancetrack
