#include "pipeline/eval.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <span>

#include "pipeline/limits.h"
#include "pipeline/reader.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

using Tokens = std::vector<std::string>;

struct Alias {
  std::string_view from, to;
};

// The tables of score.py, entry for entry. Its suffix pattern "holdings?" is both words here.
// clang-format off
constexpr std::string_view kLegalForms[] = {
    "incorporated", "inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc",
    "ag", "sa", "nv", "se", "gmbh", "holding", "holdings", "group"};
constexpr Alias kCompanyAliases[] = {
    {"advanced micro devices", "amd"}, {"taiwan semiconductor manufacturing", "tsmc"},
    {"taiwan semiconductor", "tsmc"}, {"semiconductor manufacturing international", "smic"},
    {"alphabet", "google"}, {"facebook", "meta"}, {"meta platforms", "meta"},
    {"amazon web services", "amazon"}, {"aws", "amazon"}, {"msft", "microsoft"},
    {"nvda", "nvidia"}, {"huawei technologies", "huawei"}, {"openai", "openai"},
    {"open ai", "openai"}, {"samsung electronics", "samsung"}, {"sk hynix", "sk hynix"},
    {"hynix", "sk hynix"}, {"applied materials", "applied materials"},
    {"lam research", "lam research"}, {"tokyo electron", "tokyo electron"}, {"intel", "intel"},
    {"micron technology", "micron"}};
constexpr Alias kOrgAliases[] = {
    {"bis", "bureau of industry and security"},
    {"commerce department", "department of commerce"},
    {"us department of commerce", "department of commerce"},
    {"u s department of commerce", "department of commerce"},
    {"commerce", "department of commerce"},
    {"sia", "semiconductor industry association"},
    {"iti", "information technology industry council"},
    {"mofcom", "ministry of commerce of china"},
    {"chinese ministry of commerce", "ministry of commerce of china"},
    {"china s ministry of commerce", "ministry of commerce of china"},
    {"ministry of commerce", "ministry of commerce of china"},
    {"white house", "white house"}, {"congress", "congress"}};
// score.py's GOVERNMENT: a stance by any of these names is the government's.
constexpr std::string_view kUsGovernmentNames[] = {
    "us government", "u s government", "united states", "us", "u s", "washington",
    "biden administration", "trump administration", "white house", "department of commerce",
    "bureau of industry and security", "commerce", "us commerce department",
    "office of science and technology policy"};
constexpr std::string_view kChinaGovernmentNames[] = {
    "chinese government", "china", "beijing", "ministry of commerce of china",
    "china ministry of commerce", "chinese embassy", "cyberspace administration of china",
    "china ministry of foreign affairs", "state administration for market regulation",
    "chinese ministry of foreign affairs"};
struct Government {
  std::string_view key;
  std::span<const std::string_view> names;
};
constexpr Government kGovernments[] = {{"us government", kUsGovernmentNames},
                                       {"china government", kChinaGovernmentNames}};
constexpr std::string_view kPersonTitles[] = {
    "mr", "ms", "mrs", "dr", "sen", "senator", "rep", "president", "ceo"};
constexpr std::string_view kTradeGroupWords[] = {
    "association", "council", "industry", "chamber", "alliance"};
// clang-format on

bool IsOneOf(std::span<const std::string_view> words, std::string_view s) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

// The alias of `key`, or `key` itself when the table has none.
std::string Lookup(std::span<const Alias> table, std::string key) {
  for (const Alias& a : table) {
    if (a.from == key) return std::string(a.to);
  }
  return key;
}

// Python's \w on str: str.isalnum() (letters, and characters with a numeric value) or '_'.
bool IsWordChar(UChar32 c) {
  return c == '_' || u_isalpha(c) || u_getNumericValue(c) != U_NO_NUMERIC_VALUE;
}

// Python's str.isspace(), which str.strip() uses: category Zs or bidi class WS, B or S.
bool IsPythonSpace(UChar32 c) {
  UCharDirection d = u_charDirection(c);
  return u_charType(c) == U_SPACE_SEPARATOR || d == U_WHITE_SPACE_NEUTRAL ||
         d == U_BLOCK_SEPARATOR || d == U_SEGMENT_SEPARATOR;
}

struct Normalizers {
  const icu::Normalizer2* nfkc = nullptr;
  const icu::Normalizer2* nfkd = nullptr;
};

// ICU's instances are immutable singletons; both are null when ICU's data is missing.
const Normalizers& GetNormalizers() {
  static const Normalizers normalizers = [] {
    UErrorCode status = U_ZERO_ERROR;
    Normalizers n{icu::Normalizer2::getNFKCInstance(status),
                  icu::Normalizer2::getNFKDInstance(status)};
    return U_SUCCESS(status) ? n : Normalizers{};
  }();
  return normalizers;
}

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// The first steps of fold(): NFKC, NFKD without combining marks, lower case.
icu::UnicodeString Decompose(std::string_view utf8) {
  icu::UnicodeString s = FromUtf8(utf8);
  const Normalizers& n = GetNormalizers();
  if (n.nfkc != nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    s = n.nfkd->normalize(n.nfkc->normalize(s, status), status);
  }
  icu::UnicodeString kept;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    UChar32 c = s.char32At(i);
    if (u_getCombiningClass(c) == 0) kept.append(c);
  }
  return kept.toLower(icu::Locale::getRoot());
}

// fold() as a list of words: after it, a folded name is \w runs joined by single spaces, so
// score.py's \b-bounded and ^-anchored patterns amount to comparing whole words.
Tokens FoldTokens(std::string_view utf8) {
  icu::UnicodeString s = Decompose(utf8);
  Tokens tokens;
  icu::UnicodeString word;
  auto end_word = [&] {
    if (!word.isEmpty()) tokens.push_back(ToUtf8(word));
    word.remove();
  };
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    UChar32 c = s.char32At(i);
    if (IsWordChar(c)) {
      word.append(c);
      continue;
    }
    end_word();  // fold() turns ’ into ' first, but both end a word alike
    if (c == '&') tokens.push_back("and");
  }
  end_word();
  return tokens;
}

std::string Join(const Tokens& tokens, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < tokens.size(); ++i) {
    if (i > from) out += ' ';
    out += tokens[i];
  }
  return out;
}

// score.py's ^(the|us|u s)\s+ removed: a leading "the", "us" or "u s" with words after it.
std::string WithoutOrgPrefix(const Tokens& t) {
  if (t.size() > 1 && (t[0] == "the" || t[0] == "us")) return Join(t, 1);
  if (t.size() > 2 && t[0] == "u" && t[1] == "s") return Join(t, 2);
  return Join(t);
}

bool IsOrgAliasTarget(const std::string& key) {
  return std::any_of(std::begin(kOrgAliases), std::end(kOrgAliases),
                     [&](const Alias& a) { return a.to == key; });
}

// os.path.splitext's stem: the last dot starts the extension unless only dots precede it.
std::string_view Stem(std::string_view base) {
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || base.find_first_not_of('.') >= dot) return base;
  return base.substr(0, dot);
}

}  // namespace

namespace eval {

std::string Fold(std::string_view name) { return Join(FoldTokens(name)); }

std::string CompanyKey(std::string_view name) {
  Tokens tokens = FoldTokens(name);
  std::erase_if(tokens, [](const std::string& t) { return IsOneOf(kLegalForms, t); });
  return Lookup(kCompanyAliases, Join(tokens));
}

std::string OrgKey(std::string_view name) {
  return Lookup(kOrgAliases, WithoutOrgPrefix(FoldTokens(name)));
}

std::string PersonKey(std::string_view name) {
  Tokens tokens = FoldTokens(name);
  return Join(tokens, tokens.size() > 1 && IsOneOf(kPersonTitles, tokens[0]) ? 1 : 0);
}

std::string ActorKey(std::string_view name) {
  std::string bare = WithoutOrgPrefix(FoldTokens(name));
  std::string org = Lookup(kOrgAliases, bare);
  for (const std::string* key : {&org, &bare}) {
    for (const Government& g : kGovernments) {
      if (IsOneOf(g.names, *key)) return std::string(g.key);
    }
  }
  return IsOrgAliasTarget(org) ? org : CompanyKey(name);
}

bool IsIndustry(const std::string& actor_key, const std::set<std::string>& company_keys) {
  for (const Government& g : kGovernments) {
    if (actor_key == g.key) return false;
  }
  if (company_keys.contains(actor_key)) return true;
  return std::any_of(std::begin(kTradeGroupWords), std::end(kTradeGroupWords),
                     [&](std::string_view w) { return actor_key.find(w) != std::string::npos; });
}

std::string DocKey(std::string_view doc) {
  size_t hash = doc.find('#');
  std::string_view path = doc.substr(0, hash);
  std::string key(Stem(path.substr(path.rfind('/') + 1)));  // npos + 1 == 0: no folder
  if (hash != std::string_view::npos) {
    std::string_view line = doc.substr(hash + 1);
    key += '#';
    key += line.substr(0, line.find('#'));
  }
  return key;
}

}  // namespace eval

namespace {

using Json = nlohmann::json;

// The value sets score.py compares per field; stances are compared apart.
enum SetField {
  kCompanies,
  kOrganizations,
  kPeople,
  kCountries,
  kTiers,
  kPublished,
  kLanguage,
  kDuplicateOf,
  kSetFieldCount
};
constexpr int kStances = -1, kIndustryStances = -2;

struct FieldSpec {
  const char* name;
  int set;  // a SetField, or kStances / kIndustryStances
};
// score.py's FIELDS, in its order.
constexpr FieldSpec kFields[] = {{"companies", kCompanies},
                                 {"organizations", kOrganizations},
                                 {"people", kPeople},
                                 {"countries", kCountries},
                                 {"tiers", kTiers},
                                 {"stances", kStances},
                                 {"stances_industry", kIndustryStances},
                                 {"published", kPublished},
                                 {"language", kLanguage},
                                 {"duplicate_of", kDuplicateOf}};

// (actor key, policy as JSON text) -> accepted polarities as JSON text. Policies and
// polarities are compared as the values they are, as score.py does, so they stay JSON.
using StanceMap = std::map<std::pair<std::string, std::string>, std::set<std::string>>;

// One document record reduced to what score.py compares. A predicted record's stances hold
// one polarity each: the last one given for that actor and policy.
struct Record {
  std::array<std::set<std::string>, kSetFieldCount> sets;
  StanceMap stances;
};

// `where`: a gold file path or "export:3".
Status WrongType(const std::string& where, const char* field, const char* expected, const Json& v) {
  return Status::InvalidArgument(where + ": \"" + field + "\": expected " + expected + ", got " +
                                 v.type_name());
}

// Python's truth value: null, false, 0, "", [] and {} are false.
bool Truthy(const Json& v) {
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  return !v.is_null() && !v.empty();
}

const Json& Get(const Json& object, const char* key) {
  static const Json kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// score.py's `s or ""`: a falsy value reads as "", any other value must be a string.
StatusOr<std::string> Text(const Json& v, const std::string& where, const char* field) {
  if (!Truthy(v)) return std::string();
  if (!v.is_string()) return WrongType(where, field, "a string", v);
  return v.get<std::string>();
}

// score.py's `rec.get(field) or []`: the elements of a list, none for a falsy value.
StatusOr<const Json*> List(const Json& object, const char* field, const std::string& where) {
  static const Json kEmpty = Json::array();
  const Json& v = Get(object, field);
  if (!Truthy(v)) return &kEmpty;
  if (!v.is_array()) return WrongType(where, field, "a list", v);
  return &v;
}

// Python's int(t.get("tier") or 0) for the values a JSON file can hold.
StatusOr<int64_t> TierNumber(const Json& v, const std::string& where) {
  if (!Truthy(v)) return int64_t{0};
  if (v.is_boolean()) return int64_t{1};
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float() && std::fabs(v.get<double>()) < 9e18) {
    return static_cast<int64_t>(v.get<double>());  // int() truncates toward zero
  }
  if (v.is_string()) {
    std::string_view s = Trim(v.get_ref<const std::string&>());
    if (s.starts_with('+')) s.remove_prefix(1);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size()) return n;
  }
  return WrongType(where, "tier", "an integer", v);
}

std::string Upper(std::string_view s) {
  icu::UnicodeString u = FromUtf8(s);
  return ToUtf8(u.toUpper(icu::Locale::getRoot()));
}

std::string Lower(std::string_view s) {
  icu::UnicodeString u = FromUtf8(s);
  return ToUtf8(u.toLower(icu::Locale::getRoot()));
}

// Adds key(name) for every name of a list field.
Status AddNames(const Json& rec, const char* field, std::string (*key)(std::string_view),
                const std::string& where, std::set<std::string>* out) {
  StatusOr<const Json*> list = List(rec, field, where);
  if (!list.ok()) return list.status();
  for (const Json& x : **list) {
    StatusOr<std::string> name = Text(x, where, field);
    if (!name.ok()) return name.status();
    out->insert(key(*name));
  }
  return Status::Ok();
}

// Each tier as "TIER COUNTRY": the number has no space, so the pair is recoverable.
Status AddTiers(const Json& rec, const std::string& where, std::set<std::string>* out) {
  StatusOr<const Json*> list = List(rec, "tiers", where);
  if (!list.ok()) return list.status();
  for (const Json& t : **list) {
    if (!t.is_object()) return WrongType(where, "tiers", "a list of objects", t);
    StatusOr<std::string> country = Text(Get(t, "country"), where, "country");
    if (!country.ok()) return country.status();
    StatusOr<int64_t> tier = TierNumber(Get(t, "tier"), where);
    if (!tier.ok()) return tier.status();
    out->insert(std::to_string(*tier) + " " + Upper(*country));
  }
  return Status::Ok();
}

// published, language, duplicate_of: one value or none.
Status AddSingles(const Json& rec, const std::string& where, Record* r) {
  const Json& published = Get(rec, "published");
  if (Truthy(published)) r->sets[kPublished].insert(published.dump());
  StatusOr<std::string> language = Text(Get(rec, "language"), where, "language");
  if (!language.ok()) return language.status();
  if (!language->empty()) r->sets[kLanguage].insert(Lower(*language));
  StatusOr<std::string> duplicate = Text(Get(rec, "duplicate_of"), where, "duplicate_of");
  if (!duplicate.ok()) return duplicate.status();
  if (!duplicate->empty()) r->sets[kDuplicateOf].insert(eval::DocKey(*duplicate));
  return Status::Ok();
}

Status AddStances(const Json& rec, bool gold, const std::string& where, StanceMap* out) {
  StatusOr<const Json*> list = List(rec, "stances", where);
  if (!list.ok()) return list.status();
  for (const Json& s : **list) {
    if (!s.is_object()) return WrongType(where, "stances", "a list of objects", s);
    StatusOr<std::string> actor = Text(Get(s, "actor"), where, "actor");
    if (!actor.ok()) return actor.status();
    std::set<std::string>& accepted = (*out)[{eval::ActorKey(*actor), Get(s, "policy").dump()}];
    if (!gold) accepted.clear();
    accepted.insert(Get(s, "polarity").dump());
    if (!gold) continue;
    StatusOr<const Json*> also_ok = List(s, "also_ok", where);
    if (!also_ok.ok()) return also_ok.status();
    for (const Json& polarity : **also_ok) accepted.insert(polarity.dump());
  }
  return Status::Ok();
}

StatusOr<Record> ParseRecord(const Json& rec, bool gold, const std::string& where) {
  if (!rec.is_object()) {
    return Status::InvalidArgument(where + ": expected a JSON object, got " + rec.type_name());
  }
  Record r;
  ST_RETURN_IF_ERROR(AddNames(rec, "companies", eval::CompanyKey, where, &r.sets[kCompanies]));
  ST_RETURN_IF_ERROR(AddNames(rec, "organizations", eval::OrgKey, where, &r.sets[kOrganizations]));
  ST_RETURN_IF_ERROR(AddNames(rec, "people", eval::PersonKey, where, &r.sets[kPeople]));
  ST_RETURN_IF_ERROR(AddNames(rec, "countries", Upper, where, &r.sets[kCountries]));
  ST_RETURN_IF_ERROR(AddTiers(rec, where, &r.sets[kTiers]));
  ST_RETURN_IF_ERROR(AddSingles(rec, where, &r));
  ST_RETURN_IF_ERROR(AddStances(rec, gold, where, &r.stances));
  return r;
}

StatusOr<Json> ParseJson(std::string_view text, const std::string& where) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    std::string_view reason = e.what();  // "[json.exception.parse_error.101] parse error at..."
    reason.remove_prefix(std::min(reason.size(), reason.find("] ") + 2));
    return Status::InvalidArgument(where + ": not JSON (" + std::string(reason) + ")");
  }
}

using Records = std::map<std::string, Record>;  // by DocKey; a later record replaces one before

// Parses one record and files it under DocKey of its "doc", or of `unnamed` (a gold file's
// name) when it has none; a record filed under the same key before is replaced.
Status AddRecord(std::string_view text, bool gold, const std::string& where,
                 const std::string& unnamed, Records* out) {
  StatusOr<Json> json = ParseJson(text, where);
  if (!json.ok()) return json.status();
  StatusOr<Record> record = ParseRecord(*json, gold, where);
  if (!record.ok()) return record.status();
  StatusOr<std::string> doc = Text(Get(*json, "doc"), where, "doc");
  if (!doc.ok()) return doc.status();
  (*out)[eval::DocKey(doc->empty() ? unnamed : *doc)] = std::move(*record);
  return Status::Ok();
}

StatusOr<Records> ReadGold(const FileSystem& fs, const std::string& dir) {
  std::vector<std::string> names;
  ST_RETURN_IF_ERROR(fs.ListDirectory(dir, &names));
  std::erase_if(names, [](const std::string& n) { return !n.ends_with(".json"); });
  std::sort(names.begin(), names.end());  // byte order is code point order, as Python sorts
  Records gold;
  for (const std::string& name : names) {
    std::string path = (std::filesystem::path(dir) / name).string();
    StatusOr<std::string> bytes = fs.ReadFile(path, limits::kMaxDocumentBytes);
    if (!bytes.ok()) return bytes.status();
    ST_RETURN_IF_ERROR(AddRecord(*bytes, /*gold=*/true, path, name, &gold));
  }
  return gold;
}

// Python's str.strip(): Unicode white space off both ends.
std::string_view StripPythonSpace(std::string_view s) {
  int32_t begin = 0, end = static_cast<int32_t>(s.size());
  while (begin < end) {
    int32_t i = begin;
    UChar32 c;
    U8_NEXT(s.data(), i, end, c);
    if (c < 0 || !IsPythonSpace(c)) break;
    begin = i;
  }
  while (end > begin) {
    int32_t i = end;
    UChar32 c;
    U8_PREV(s.data(), begin, i, c);
    if (c < 0 || !IsPythonSpace(c)) break;
    end = i;
  }
  return s.substr(begin, end - begin);
}

// Lines end at "\n", "\r\n" or "\r", as in Python's text mode; blank lines are skipped.
StatusOr<Records> ReadExport(std::string_view text, std::string_view name) {
  Records pred;
  size_t number = 0;
  while (!text.empty()) {
    size_t end = std::min(text.find_first_of("\r\n"), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end);
    text.remove_prefix(text.starts_with("\r\n") ? 2 : std::min<size_t>(text.size(), 1));
    std::string where = std::string(name) + ":" + std::to_string(++number);
    if (line.size() > limits::kMaxJsonlLineBytes) {
      return Status::InvalidArgument(where + ": line longer than limits::kMaxJsonlLineBytes");
    }
    line = StripPythonSpace(line);
    if (line.empty()) continue;
    ST_RETURN_IF_ERROR(AddRecord(line, /*gold=*/false, where, "", &pred));
  }
  return pred;
}

struct Counts {
  int64_t tp = 0, predicted = 0, gold = 0;
};

Counts CompareSets(const std::set<std::string>& gold, const std::set<std::string>& pred) {
  Counts c{0, static_cast<int64_t>(pred.size()), static_cast<int64_t>(gold.size())};
  for (const std::string& v : pred) c.tp += static_cast<int64_t>(gold.count(v));
  return c;
}

// Both sides keep only the actors that are industry for the gold record (score.py's
// is_industry(gold, k)).
Counts CompareStances(const Record& gold, const Record& pred, bool industry_only) {
  auto kept = [&](const StanceMap::key_type& key) {
    return !industry_only || eval::IsIndustry(key.first, gold.sets[kCompanies]);
  };
  Counts c;
  for (const auto& [key, accepted] : gold.stances) c.gold += kept(key);
  for (const auto& [key, polarity] : pred.stances) {
    if (!kept(key)) continue;
    ++c.predicted;
    auto it = gold.stances.find(key);
    if (it != gold.stances.end() && it->second.contains(*polarity.begin())) ++c.tp;
  }
  return c;
}

FieldScore Score(const char* field, const Counts& c) {
  FieldScore s{field, c.tp, c.predicted, c.gold};
  s.precision = c.predicted ? static_cast<double>(c.tp) / c.predicted : (c.gold ? 0.0 : 1.0);
  s.recall = c.gold ? static_cast<double>(c.tp) / c.gold : (c.predicted ? 0.0 : 1.0);
  double sum = s.precision + s.recall;
  s.f1 = sum ? 2 * s.precision * s.recall / sum : 0.0;
  return s;
}

EvalReport Compare(const Records& gold, const Records& pred) {
  static const Record kNoRecord;
  EvalReport report;
  report.gold_documents = gold.size();
  std::array<Counts, std::size(kFields)> totals;
  for (const auto& [key, g] : gold) {
    auto it = pred.find(key);
    report.without_record += it == pred.end();
    const Record& p = it == pred.end() ? kNoRecord : it->second;
    for (size_t f = 0; f < std::size(kFields); ++f) {
      int set = kFields[f].set;
      Counts c = set >= 0 ? CompareSets(g.sets[set], p.sets[set])
                          : CompareStances(g, p, set == kIndustryStances);
      totals[f].tp += c.tp;
      totals[f].predicted += c.predicted;
      totals[f].gold += c.gold;
    }
  }
  for (size_t f = 0; f < std::size(kFields); ++f) {
    report.fields.push_back(Score(kFields[f].name, totals[f]));
  }
  return report;
}

}  // namespace

StatusOr<EvalReport> Evaluate(const FileSystem& fs, const std::string& gold_dir,
                              std::string_view export_jsonl, std::string_view export_name) {
  if (GetNormalizers().nfkc == nullptr) {
    return Status::Internal("eval: ICU normalization data is missing");
  }
  StatusOr<Records> gold = ReadGold(fs, gold_dir);
  if (!gold.ok()) return gold.status();
  StatusOr<Records> pred = ReadExport(export_jsonl, export_name);
  if (!pred.ok()) return pred.status();
  return Compare(*gold, *pred);
}

StatusOr<EvalReport> Evaluate(const std::string& gold_dir, std::string_view export_jsonl,
                              std::string_view export_name) {
  return Evaluate(RealFileSystem(), gold_dir, export_jsonl, export_name);
}

std::string FormatReport(const EvalReport& report) {
  std::string out = "documents: " + std::to_string(report.gold_documents) + " gold, " +
                    std::to_string(report.without_record) + " without a record\n";
  for (const FieldScore& f : report.fields) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%-14s P=%.3f R=%.3f F1=%.3f  (tp %lld, predicted %lld, gold %lld)\n",
                  f.field.c_str(), f.precision, f.recall, f.f1, static_cast<long long>(f.tp),
                  static_cast<long long>(f.predicted), static_cast<long long>(f.gold));
    out += line;
  }
  return out;
}

}  // namespace stancetrack
