#include "extractors/dates.h"

#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "extractors/cue_matcher.h"
#include "extractors/tsv.h"
#include "pipeline/normalize.h"

namespace stancetrack {
namespace {

namespace chr = std::chrono;

// What one dates.tsv value means.
enum class Unit : uint8_t { kMonthName, kWeekday, kWeekdayInWeek, kDays, kWeeks, kMonths, kYears };
struct Meaning {
  Unit unit = Unit::kDays;
  int number = 0;   // month 1..12, ISO weekday 1..7, or the offset in units (weeks for
                    // kWeekdayInWeek)
  int weekday = 0;  // kWeekdayInWeek only
};

// A date must not touch a letter or digit of a script that separates words with spaces; Han,
// kana and Hangul neighbours are fine ("于2025年", "24일에").
constexpr char kNotWordChar[] = R"([^\p{Latin}\p{Greek}\p{Cyrillic}\pN])";
// After a relative word digits may follow: its month ("今年4月", "去年12月").
constexpr char kNotLetter[] = R"([^\p{Latin}\p{Greek}\p{Cyrillic}])";

std::string Bounded(const std::string& core, const char* after = kNotWordChar) {
  return std::string("(?:^|") + kNotWordChar + ")(" + core + ")(?:" + after + "|$)";
}

std::unique_ptr<RE2> Compile(const std::string& pattern, bool case_sensitive = false) {
  RE2::Options options = FoldedMatchOptions();
  options.set_case_sensitive(case_sensitive);
  options.set_longest_match(true);
  return std::make_unique<RE2>(pattern, options);
}

// A form as a pattern: literal, folded like article text, any run of spaces matching any.
std::string FormPattern(const std::string& form) {
  std::string folded = FoldForMatching(form), out;
  size_t start = 0;
  while (start < folded.size()) {
    size_t space = folded.find(' ', start);
    if (space == std::string::npos) space = folded.size();
    if (space > start) {
      if (!out.empty()) out += R"(\s+)";
      out += RE2::QuoteMeta(folded.substr(start, space - start));
    }
    start = space + 1;
  }
  return out;
}

// Month names are matched as the table writes them, capitalized (a sentence start) or in
// capitals ("FEB. 24"), never in other cases: English "may" is no month.
std::vector<std::string> CaseVariants(const std::string& form) {
  std::string capitalized = form, capitals = form;
  auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; };
  if (!capitalized.empty()) capitalized[0] = upper(capitalized[0]);
  std::transform(capitals.begin(), capitals.end(), capitals.begin(), upper);
  return {form, capitalized, capitals};
}

// Forms grouped by meaning: each group becomes one capturing group of an alternation, so the
// group that matched tells the meaning.
struct Alternation {
  std::vector<Meaning> meanings;
  std::vector<std::vector<std::string>> forms;

  void Add(const Meaning& meaning, const std::vector<std::string>& more) {
    for (size_t i = 0; i < meanings.size(); ++i) {
      if (meanings[i].unit == meaning.unit && meanings[i].number == meaning.number &&
          meanings[i].weekday == meaning.weekday) {
        forms[i].insert(forms[i].end(), more.begin(), more.end());
        return;
      }
    }
    meanings.push_back(meaning);
    forms.push_back(more);
  }
  // With `case_variants`, for a pattern compiled case-sensitively.
  std::string Pattern(bool case_variants) const {
    std::string out = "(?:";
    for (size_t i = 0; i < forms.size(); ++i) {
      out += i ? "|(" : "(";
      std::string group;
      for (const std::string& form : forms[i]) {
        for (const std::string& variant :
             case_variants ? CaseVariants(form) : std::vector<std::string>{form}) {
          if (!group.empty()) group += '|';
          group += FormPattern(variant);
        }
      }
      out.append(group).append(")");
    }
    return out + ")";
  }
};

// kMonthAlone: a month named alone after a lead word ("in April", "seit März"); it holds no
// digit, so unlike the other absolute shapes it is searched for in every paragraph.
enum class Shape : uint8_t { kAbsolute, kMonthAlone, kRelative };

// One compiled pattern and where its parts are. Group 1 is always the whole date (Bounded).
struct Pattern {
  std::unique_ptr<RE2> re;
  std::string core;  // the pattern without its boundaries
  Shape shape = Shape::kAbsolute;
  int year = 0, month = 0, day = 0;  // capturing groups of the numbers, 0 = none
  int first_word = 0;                // first group of the word alternation, 0 = none
  std::vector<Meaning> words;        // the meaning of each group of the alternation
};

struct LanguagePatterns {
  std::vector<Pattern> patterns;
  std::unique_ptr<RE2> cue;  // a publication cue filling a whole prefix, nullptr if none
  // The cores of the language's absolute patterns and of the numeric ones in one alternation,
  // case and boundaries aside: one search tells whether a paragraph may hold an absolute date,
  // where each pattern would search it in turn (most paragraphs with a number hold none).
  // Null if it does not compile (a large user lexicon): every pattern searches then.
  std::unique_ptr<RE2> any_absolute;
};

// Chinese and Japanese share their words: a short CJK paragraph is often identified as either,
// and the words they share (昨日, 今年) mean the same in both.
std::string_view TableLanguage(std::string_view language) {
  return language == "ja" ? "zh" : language;
}

struct LanguageTable {
  Alternation months, relatives;  // relatives: weekdays, weekday-in-week and offsets
  std::vector<std::string> cues;
  std::vector<std::string> month_leads;  // words before a month named alone ("in", "since")
};

// One alternation of `forms` as patterns, for a group of its own or none.
std::string FormsPattern(const std::vector<std::string>& forms) {
  std::string alternation;
  for (const std::string& form : forms) alternation.append("|").append(FormPattern(form));
  return alternation.substr(1);
}

}  // namespace

struct DateLexicon::Impl {
  std::map<std::string, LanguagePatterns, std::less<>> by_language;  // "" = all languages
  std::vector<Pattern> numeric;  // language-free: ISO, CJK and Korean dates
  std::unique_ptr<RE2> place_prefix, dateline_end;

  const LanguagePatterns& For(std::string_view language) const {
    auto it = by_language.find(TableLanguage(language));
    return it == by_language.end() ? by_language.find("")->second : it->second;
  }
};

namespace {

constexpr char kDay[] = R"((\d{1,2}))";
constexpr char kYear[] = R"((\d{4}))";

// `core` must not match without a digit: Candidates skips absolute patterns in paragraphs
// without one. Every date here has a day or a year in digits.
Pattern MakeAbsolute(const std::string& core, int year, int month, int day,
                     bool case_sensitive = false) {
  Pattern p;
  p.re = Compile(Bounded(core), case_sensitive);
  p.core = core;
  p.year = year, p.month = month, p.day = day;
  return p;
}

// The three month-name shapes: "February 24, 2025" (year optional), "24 février 2025" /
// "24. Februar" / "24 de febrero de 2025" (year optional), "January 2025" / "enero de 2025";
// and a month alone after one of `leads` ("in April", "mid-March"), where the month is the date.
// Group 1 is the whole date; the months take one group each from `first_word` on.
void AddMonthPatterns(const Alternation& months, const std::vector<std::string>& leads,
                      LanguagePatterns* out) {
  if (months.meanings.empty()) return;
  const std::string m = months.Pattern(/*case_variants=*/true);
  const int n = static_cast<int>(months.meanings.size());
  struct Layout {
    std::string core;
    int first_word, day, year;
  };
  const Layout layouts[] = {
      {m + R"(\s+)" + kDay + R"((?:st|nd|rd|th)?(?:,?\s+)" + kYear + ")?", 2, n + 2, n + 3},
      {kDay + std::string(R"((?:\.|er|º)?\s+(?:de\s+)?)") + m + R"((?:,?\s+(?:de\s+)?)" + kYear +
           ")?",
       3, 2, n + 3},
      {m + R"(,?\s+(?:de\s+)?)" + kYear, 2, 0, n + 2},
  };
  for (const Layout& layout : layouts) {
    Pattern p = MakeAbsolute(layout.core, layout.year, 0, layout.day, /*case_sensitive=*/true);
    p.first_word = layout.first_word;
    p.words = months.meanings;
    out->patterns.push_back(std::move(p));
  }
  if (leads.empty()) return;
  Pattern alone;
  // The lead in any case, the month as written; the lead stays outside the date's group.
  alone.re = Compile(std::string("(?:^|") + kNotWordChar + ")(?i:" + FormsPattern(leads) +
                         R"()(?:\s+|-)()" + m + ")(?:" + kNotWordChar + "|$)",
                     /*case_sensitive=*/true);
  alone.shape = Shape::kMonthAlone;
  alone.first_word = 2;
  alone.words = months.meanings;
  out->patterns.push_back(std::move(alone));
}

void AddWordPatterns(const LanguageTable& table, LanguagePatterns* out) {
  AddMonthPatterns(table.months, table.month_leads, out);
  if (!table.relatives.meanings.empty()) {
    Pattern p;
    p.re = Compile(Bounded(table.relatives.Pattern(/*case_variants=*/false), kNotLetter));
    p.shape = Shape::kRelative;
    p.first_word = 2;
    p.words = table.relatives.meanings;
    out->patterns.push_back(std::move(p));
  }
  if (!table.cues.empty()) {
    out->cue = Compile(R"(\s*(?:)" + FormsPattern(table.cues) + R"():?\s*)");
  }
}

std::vector<Pattern> NumericPatterns() {
  std::vector<Pattern> out;
  out.push_back(MakeAbsolute(R"((\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T[0-9:.]+Z?)?)", 2, 3, 4));
  out.push_back(MakeAbsolute(R"((\d{1,2})\.(\d{1,2})\.(\d{4}))", 4, 3, 2));
  out.push_back(
      MakeAbsolute(R"((?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號])", 2, 3, 4));
  out.push_back(MakeAbsolute(R"((\d{4})\s*年\s*(\d{1,2})\s*月)", 2, 3, 0));
  out.push_back(MakeAbsolute(R"((?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일)", 2, 3, 4));
  out.push_back(MakeAbsolute(R"((\d{4})\s*년\s*(\d{1,2})\s*월)", 2, 3, 0));
  // A month alone: "4月", "4월" ("今年4月", "지난 4월"); where a year or day goes with it, the
  // longer date above wins.
  out.push_back(MakeAbsolute(R"((\d{1,2})\s*[月월])", 0, 2, 0));
  // A day alone, which only a month word before it makes a date: "本月2日", "지난달 28일".
  out.push_back(MakeAbsolute(R"((\d{1,2})\s*[日号號일])", 0, 0, 2));
  return out;
}

std::unique_ptr<RE2> AnyAbsolute(const std::vector<Pattern>& patterns,
                                 const std::vector<Pattern>& numeric) {
  std::string alternation;
  for (const std::vector<Pattern>* list : {&patterns, &numeric}) {
    for (const Pattern& p : *list) {
      if (p.shape == Shape::kAbsolute) alternation.append("|(?:").append(p.core) += ')';
    }
  }
  std::unique_ptr<RE2> any = Compile(alternation.substr(1));
  return any->ok() ? std::move(any) : nullptr;
}

std::optional<int> ParseInt(std::string_view s) {
  int value = 0;
  if (s.empty() || s.size() > 4) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Meaning> ParseRelative(const std::string& value) {
  static const std::pair<std::string_view, Unit> kUnits[] = {{"day", Unit::kDays},
                                                             {"week", Unit::kWeeks},
                                                             {"month", Unit::kMonths},
                                                             {"year", Unit::kYears}};
  for (const auto& [name, unit] : kUnits) {
    if (value.size() < name.size() + 2 || value.compare(0, name.size(), name) != 0) continue;
    char sign = value[name.size()];
    std::optional<int> n = ParseInt(std::string_view(value).substr(name.size() + 1));
    if ((sign != '+' && sign != '-') || !n) return std::nullopt;
    return Meaning{unit, sign == '-' ? -*n : *n, 0};
  }
  return std::nullopt;
}

std::optional<Meaning> ParseWeekdayInWeek(const std::string& value) {
  size_t colon = value.find(':');
  if (colon == std::string::npos || colon < 2 || (value[0] != '+' && value[0] != '-')) {
    return std::nullopt;
  }
  std::optional<int> weeks = ParseInt(std::string_view(value).substr(1, colon - 1));
  std::optional<int> day = ParseInt(std::string_view(value).substr(colon + 1));
  if (!weeks || !day || *day < 1 || *day > 7) return std::nullopt;
  return Meaning{Unit::kWeekdayInWeek, value[0] == '-' ? -*weeks : *weeks, *day};
}

// Adds one validated row to its language's table.
Status AddRow(const TsvRow& row, LanguageTable* table) {
  const std::string &kind = row.fields[1], &value = row.fields[2];
  std::vector<std::string> forms = SplitList(row.fields[3]);
  if (forms.empty()) return Status::InvalidArgument(row.Where() + ": no forms");
  for (const std::string& form : forms) {
    if (FormPattern(form).empty()) {
      return Status::InvalidArgument(row.Where() + ": form '" + form + "' is empty once folded");
    }
  }
  std::optional<int> number = ParseInt(value);
  if (kind == "month") {
    if (!number || *number < 1 || *number > 12) {
      return Status::InvalidArgument(row.Where() + ": month must be 1..12, got '" + value + "'");
    }
    table->months.Add({Unit::kMonthName, *number, 0}, forms);
  } else if (kind == "weekday") {
    if (!number || *number < 1 || *number > 7) {
      return Status::InvalidArgument(row.Where() + ": weekday must be 1..7, got '" + value + "'");
    }
    table->relatives.Add({Unit::kWeekday, *number, 0}, forms);
  } else if (kind == "weekday-in-week" || kind == "relative") {
    std::optional<Meaning> meaning =
        kind == "relative" ? ParseRelative(value) : ParseWeekdayInWeek(value);
    if (!meaning) {
      return Status::InvalidArgument(row.Where() + ": bad " + kind + " value '" + value + "'");
    }
    table->relatives.Add(*meaning, forms);
  } else if (kind == "published-cue") {
    table->cues.insert(table->cues.end(), forms.begin(), forms.end());
  } else if (kind == "month-lead") {
    table->month_leads.insert(table->month_leads.end(), forms.begin(), forms.end());
  } else {
    return Status::InvalidArgument(row.Where() + ": unknown kind '" + kind + "'");
  }
  return Status::Ok();
}

Status CheckCompiled(const LanguagePatterns& set, const std::string& language) {
  for (const Pattern& p : set.patterns) {
    if (!p.re->ok()) {
      return Status::InvalidArgument("dates.tsv: the forms of language '" + language +
                                     "' do not compile: " + p.re->error());
    }
  }
  return Status::Ok();
}

}  // namespace

DateLexicon::DateLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DateLexicon::DateLexicon(DateLexicon&&) noexcept = default;
DateLexicon& DateLexicon::operator=(DateLexicon&&) noexcept = default;
DateLexicon::~DateLexicon() = default;

StatusOr<DateLexicon> DateLexicon::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> rows = ReadLexiconTable(dirs, "dates.tsv", 4, 3);
  if (!rows.ok()) return rows.status();
  std::map<std::string, LanguageTable> tables;  // "" collects every language
  tables[""];
  for (const TsvRow& row : *rows) {
    ST_RETURN_IF_ERROR(AddRow(row, &tables[std::string(TableLanguage(row.fields[0]))]));
    ST_RETURN_IF_ERROR(AddRow(row, &tables[""]));
  }
  auto impl = std::make_unique<Impl>();
  for (const auto& [language, table] : tables) {
    LanguagePatterns& set = impl->by_language[language];
    AddWordPatterns(table, &set);
    ST_RETURN_IF_ERROR(CheckCompiled(set, language));
  }
  impl->numeric = NumericPatterns();
  for (auto& [language, set] : impl->by_language) {
    set.any_absolute = AnyAbsolute(set.patterns, impl->numeric);
  }
  // "WASHINGTON, ", "San Francisco/Beijing, " or a Han wire prefix ("新华社北京").
  impl->place_prefix =
      Compile(R"(\s*(?:\p{Lu}[\pL\s.'/-]{0,40},\s*|\p{Han}{2,12}))", /*case_sensitive=*/true);
  // What may follow a dateline's date: an outlet in parentheses, a time, then a dash, colon,
  // bar, "电" (Chinese wire dispatch) or the end of the paragraph.
  impl->dateline_end = Compile(
      R"(^(?:\s*\([^)]{1,40}\))?(?:,?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*(?:-|:|\||电|$))");
  return DateLexicon(std::move(impl));
}

namespace {

// A date as matched, before it is resolved.
struct Candidate {
  Span folded;  // in Document::folded
  uint32_t paragraph = 0;
  int year = 0, month = 0, day = 0;  // absolute parts, 0 = not given
  std::optional<Meaning> relative;   // a weekday or relative expression
  // The relative year or month word right before a month or day alone, which it belongs to:
  // "今年4月" (year+0), "지난해 4월" (year-1), "本月2日" (month+0), "先月28日" (month-1).
  std::optional<Meaning> anchor;
  bool MonthAlone() const { return !relative && month && !year && !day; }
  bool DayAlone() const { return !relative && day && !month && !year; }
};

int Number(const std::vector<re2::StringPiece>& groups, int group) {
  if (group == 0 || groups[group].data() == nullptr) return 0;
  return ParseInt(groups[group]).value_or(0);
}

Candidate Read(const Pattern& p, const std::vector<re2::StringPiece>& groups) {
  Candidate c;
  const Meaning* word = nullptr;
  for (size_t i = 0; i < p.words.size() && word == nullptr; ++i) {
    if (groups[p.first_word + i].data() != nullptr) word = &p.words[i];
  }
  if (p.shape == Shape::kRelative) {
    c.relative = *word;
    return c;
  }
  c.year = Number(groups, p.year);
  c.month = p.month ? Number(groups, p.month) : word ? word->number : 0;
  c.day = Number(groups, p.day);
  return c;
}

// Every match of `p` in `text`, the folded text of one paragraph starting at `base`.
void Scan(const Pattern& p, std::string_view text, uint32_t base, uint32_t paragraph,
          std::vector<Candidate>* out) {
  const int n = 1 + p.re->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(n);
  size_t pos = 0;
  while (pos < text.size() &&
         p.re->Match(text, pos, text.size(), RE2::UNANCHORED, groups.data(), n)) {
    const size_t begin = groups[1].data() - text.data(), end = begin + groups[1].size();
    Candidate c = Read(p, groups);
    c.folded = {static_cast<uint32_t>(base + begin), static_cast<uint32_t>(base + end)};
    c.paragraph = paragraph;
    out->push_back(std::move(c));
    // The boundary character after the date may open the next one.
    pos = end > pos ? end : pos + 1;
  }
}

bool IsWeekday(const Candidate& c) { return c.relative && c.relative->unit == Unit::kWeekday; }
// Whether relative word `word` gives the year of a month alone, or the month of a day alone.
bool Anchors(const Candidate& word, const Candidate& c) {
  if (!word.relative) return false;
  return (word.relative->unit == Unit::kYears && c.MonthAlone()) ||
         (word.relative->unit == Unit::kMonths && c.DayAlone());
}

bool OnlySeparators(std::string_view s) {
  return s.find_first_not_of(", ") == std::string_view::npos;
}

// Longest first where matches overlap; "Monday, Feb. 24" becomes one date, and so does a
// relative word and the month or day alone after it ("今年4月", "本月2日").
std::vector<Candidate> Settle(std::vector<Candidate> all, std::string_view folded) {
  std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    return a.folded.begin != b.folded.begin ? a.folded.begin < b.folded.begin
                                            : a.folded.size() > b.folded.size();
  });
  std::vector<Candidate> kept;
  for (Candidate& c : all) {
    if (!kept.empty() && c.folded.begin < kept.back().folded.end) continue;
    const Candidate* before = kept.empty() ? nullptr : &kept.back();
    const bool adjacent =
        before != nullptr &&
        OnlySeparators(folded.substr(before->folded.end, c.folded.begin - before->folded.end));
    if (adjacent && IsWeekday(*before) && !c.relative && c.month) {
      c.folded.begin = before->folded.begin;
      kept.pop_back();
    } else if (adjacent && Anchors(*before, c)) {
      c.anchor = before->relative;
      c.folded.begin = before->folded.begin;
      kept.pop_back();
    }
    kept.push_back(std::move(c));
  }
  return kept;
}

// Each paragraph's range in Document::folded, from its sentences; empty when it has none.
std::vector<Span> FoldedParagraphs(const Document& doc) {
  std::vector<Span> ranges(doc.paragraphs.size());
  for (const Sentence& s : doc.sentences) {
    Span& r = ranges[s.paragraph];
    r = r.empty() ? s.folded : Span{std::min(r.begin, s.folded.begin), s.folded.end};
  }
  return ranges;
}

std::string_view LanguageOf(const Document& doc, uint32_t paragraph) {
  const std::string& own = doc.paragraphs[paragraph].language;
  return own.empty() ? std::string_view(doc.language) : std::string_view(own);
}

std::vector<Candidate> Candidates(const Document& doc, const DateLexicon::Impl& lex,
                                  const std::vector<Span>& ranges) {
  std::vector<Candidate> out;
  for (uint32_t p = 0; p < doc.paragraphs.size(); ++p) {
    if (!doc.IsContent(p) || ranges[p].empty()) continue;
    const std::string_view text = ranges[p].Of(doc.folded);
    // Every absolute date has a number in ASCII digits (folding made wide digits ASCII): a
    // paragraph without one is searched for weekdays and relative dates only.
    const LanguagePatterns& patterns = lex.For(LanguageOf(doc, p));
    const bool absolute =
        text.find_first_of("0123456789") != std::string_view::npos &&
        (patterns.any_absolute == nullptr || RE2::PartialMatch(text, *patterns.any_absolute));
    std::vector<Candidate> here;
    if (absolute) {
      for (const Pattern& pattern : lex.numeric) Scan(pattern, text, ranges[p].begin, p, &here);
    }
    for (const Pattern& pattern : patterns.patterns) {
      if (absolute || pattern.shape != Shape::kAbsolute) {
        Scan(pattern, text, ranges[p].begin, p, &here);
      }
    }
    for (Candidate& c : Settle(std::move(here), doc.folded)) out.push_back(std::move(c));
  }
  return out;
}

// Civil dates.

std::optional<chr::year_month_day> Civil(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  chr::year_month_day date{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                           chr::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string Format(int year, int month = 0, int day = 0) {
  char out[16];
  if (day) {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  } else if (month) {
    std::snprintf(out, sizeof out, "%04d-%02d", year, month);
  } else {
    std::snprintf(out, sizeof out, "%04d", year);
  }
  return out;
}

std::string Format(const chr::year_month_day& date) {
  return Format(static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
}

std::optional<chr::year_month_day> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  std::optional<int> y = ParseInt(s.substr(0, 4)), m = ParseInt(s.substr(5, 2)),
                     d = ParseInt(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  return Civil(*y, *m, *d);
}

// The month `months` months from the publication date's.
chr::year_month MonthsFrom(const chr::year_month_day& published, int months) {
  return chr::year_month{published.year(), published.month()} + chr::months{months};
}

std::string Resolve(const Meaning& m, const chr::year_month_day& published) {
  const chr::sys_days day{published};
  const int iso = static_cast<int>(chr::weekday{day}.iso_encoding());
  switch (m.unit) {
    case Unit::kDays:
      return Format(chr::year_month_day{day + chr::days{m.number}});
    case Unit::kWeeks:
      return Format(chr::year_month_day{day + chr::days{7 * m.number}});
    case Unit::kMonths: {
      const chr::year_month month = MonthsFrom(published, m.number);
      return Format(static_cast<int>(month.year()), static_cast<unsigned>(month.month()));
    }
    case Unit::kYears:
      return Format(static_cast<int>(published.year()) + m.number);
    case Unit::kWeekday:
      return Format(chr::year_month_day{day - chr::days{(iso - m.number + 7) % 7}});
    case Unit::kWeekdayInWeek:
      return Format(chr::year_month_day{day + chr::days{7 * m.number + m.weekday - iso}});
    case Unit::kMonthName:
      break;
  }
  return "";
}

// A month and day without a year: the year that puts it nearest the publication date, the
// earlier one on a tie ("May 15" in a January article is this May, "December 20" last December).
std::optional<chr::year_month_day> NearestYear(int month, int day,
                                               const chr::year_month_day& published) {
  const chr::sys_days reference{published};
  std::optional<chr::year_month_day> best;
  chr::days best_distance{0};
  for (int year = static_cast<int>(published.year()) - 1; year <= int(published.year()) + 1;
       ++year) {
    std::optional<chr::year_month_day> date = Civil(year, month, day);
    if (!date) continue;
    const chr::days distance = chr::abs(chr::sys_days{*date} - reference);
    if (!best || distance < best_distance) best = date, best_distance = distance;
  }
  return best;
}

// A month without a year: the one nearest the publication date, the earlier on a tie ("in
// April" in a July article is this April, "in December" in a January one last December).
std::string NearestMonth(int month, const chr::year_month_day& published) {
  const int year = static_cast<int>(published.year());
  const int now = year * 12 + static_cast<int>(static_cast<unsigned>(published.month())) - 1;
  int best = (year - 1) * 12 + month - 1;
  for (int at = best + 12; at <= (year + 1) * 12 + month - 1; at += 12) {
    if (std::abs(at - now) < std::abs(best - now)) best = at;
  }
  return Format(best / 12, best % 12 + 1);
}

// What the resolver knows about the article.
struct Context {
  std::optional<chr::year_month_day> published;
  int latest_year = 0;  // the latest year the article's own dates give, 0 if none
};

// A month alone as YYYY-MM: its year word's year, else the nearest to the publication date,
// else in the latest year the article names; "" without any.
std::string ResolveMonthAlone(const Candidate& c, const Context& context) {
  if (c.month < 1 || c.month > 12) return "";
  if (context.published && c.anchor) {
    return Format(static_cast<int>(context.published->year()) + c.anchor->number, c.month);
  }
  if (c.anchor) return "";
  if (context.published) return NearestMonth(c.month, *context.published);
  return context.latest_year ? Format(context.latest_year, c.month) : "";
}

// A day alone with its month word ("本月2日") in that month of the publication date; "" without
// both (a day alone names no month: "3日内" is "within three days").
std::string ResolveDayAlone(const Candidate& c, const Context& context) {
  if (!c.anchor || !context.published) return "";
  const chr::year_month month = MonthsFrom(*context.published, c.anchor->number);
  std::optional<chr::year_month_day> date =
      Civil(static_cast<int>(month.year()), static_cast<int>(static_cast<unsigned>(month.month())),
            c.day);
  return date ? Format(*date) : "";
}

// The date `c` names, YYYY-MM-DD / YYYY-MM / YYYY, or "" when it is invalid or unresolvable.
std::string Resolve(const Candidate& c, const Context& context) {
  if (c.relative) return context.published ? Resolve(*c.relative, *context.published) : "";
  if (c.MonthAlone()) return ResolveMonthAlone(c, context);
  if (c.DayAlone()) return ResolveDayAlone(c, context);
  if (c.year && !c.day) {
    return Civil(c.year, c.month, 1) ? Format(c.year, c.month) : "";
  }
  std::optional<chr::year_month_day> date;
  if (c.year) {
    date = Civil(c.year, c.month, c.day);
  } else if (context.published) {
    date = NearestYear(c.month, c.day, *context.published);
  } else if (context.latest_year) {
    date = Civil(context.latest_year, c.month, c.day);
  }
  return date ? Format(*date) : "";
}

int LatestYear(const std::vector<Candidate>& candidates) {
  int latest = 0;
  for (const Candidate& c : candidates) {
    if (c.year && Civil(c.year, c.month, c.day ? c.day : 1)) latest = std::max(latest, c.year);
  }
  return latest;
}

// Whether `c` stands where a dateline stands: at the start of its paragraph, alone, after a
// place or a publication cue, and followed by the end of the dateline.
bool IsDateline(const Candidate& c, const Span& paragraph, const Document& doc,
                const DateLexicon::Impl& lex) {
  if (c.relative || !c.day) return false;
  const std::string_view folded = doc.folded;
  const std::string_view prefix = folded.substr(paragraph.begin, c.folded.begin - paragraph.begin);
  const std::string_view rest = folded.substr(c.folded.end, paragraph.end - c.folded.end);
  const RE2* cue = lex.For(LanguageOf(doc, c.paragraph)).cue.get();
  if (cue != nullptr && RE2::FullMatch(prefix, *cue)) return true;
  const bool placed = OnlySeparators(prefix) || RE2::FullMatch(prefix, *lex.place_prefix);
  return placed && RE2::PartialMatch(rest, *lex.dateline_end);
}

// The paragraphs a dateline may stand in: up to the kDatelineParagraphs-th content paragraph.
uint32_t DatelineEnd(const Document& doc, const std::vector<Span>& ranges) {
  size_t content = 0;
  for (uint32_t p = 0; p < doc.paragraphs.size(); ++p) {
    content += doc.IsContent(p) && !ranges[p].empty();
    if (content == kDatelineParagraphs) return p + 1;
  }
  return static_cast<uint32_t>(doc.paragraphs.size());
}

std::string Dateline(const Document& doc, const DateLexicon::Impl& lex,
                     const std::vector<Candidate>& candidates, const std::vector<Span>& ranges,
                     int latest_year) {
  const uint32_t end = DatelineEnd(doc, ranges);
  for (const Candidate& c : candidates) {
    if (c.paragraph >= end) break;
    if (!IsDateline(c, ranges[c.paragraph], doc, lex)) continue;
    std::string date = Resolve(c, Context{std::nullopt, latest_year});
    if (!date.empty()) return date;
  }
  return "";
}

uint32_t SentenceAt(const Document& doc, uint32_t folded_offset) {
  auto after =
      std::upper_bound(doc.sentences.begin(), doc.sentences.end(), folded_offset,
                       [](uint32_t offset, const Sentence& s) { return offset < s.folded.begin; });
  return after == doc.sentences.begin() ? 0
                                        : static_cast<uint32_t>(after - doc.sentences.begin() - 1);
}

}  // namespace

DateFindings FindDates(const Document& doc, const DateLexicon& dates) {
  const DateLexicon::Impl& lex = dates.impl();
  const std::vector<Span> ranges = FoldedParagraphs(doc);
  const std::vector<Candidate> candidates = Candidates(doc, lex, ranges);
  Context context;
  context.latest_year = LatestYear(candidates);
  DateFindings findings;
  findings.published = doc.meta.published.empty()
                           ? Dateline(doc, lex, candidates, ranges, context.latest_year)
                           : doc.meta.published;
  context.published = ParseIsoDate(findings.published);
  for (const Candidate& c : candidates) {
    std::string date = Resolve(c, context);
    if (date.empty()) continue;
    const bool relative = c.relative.has_value() || c.year == 0;
    findings.dates.push_back({doc.folded_to_text.Map(c.folded), SentenceAt(doc, c.folded.begin),
                              std::move(date), relative});
  }
  return findings;
}

}  // namespace stancetrack
