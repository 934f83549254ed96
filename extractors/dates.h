// Dates: the publication date of an article and the dates its text names, resolved.
//
// Input: a segmented Document (normalize.h, segment.h) and the DateLexicon (dates.tsv: month
// and weekday names, relative expressions and publication cues per language). Output: a
// DateFindings value.
//
// published: Document::meta.published when set; else the first dateline in the first
// kDatelineParagraphs content paragraphs: a date at the very start of the paragraph, alone or
// after a place ("WASHINGTON, Jan. 15 (Reuters) -"), a Han wire prefix ("新华社北京2月24日电") or
// a publication cue ("Published February 24, 2025"), and followed by the end of the paragraph, a
// time, an outlet in parentheses and a dash, colon or bar (not by running text). A date inside an
// embedded post, a quote or a boilerplate paragraph never qualifies. A dateline without a year
// takes the latest year any dated mention of the article gives; without one there is no
// published date. Empty when nothing qualifies.
//
// dates: every date of the content paragraphs in text order, each as DateMention::date:
//   absolute  "February 24, 2025", "Feb. 24, 2025", "24 Feb 2025", "24. Februar 2025",
//             "24 février 2025", "24 de febrero de 2025", "2025-02-24", "2025/02/24",
//             "24.02.2025", "2025年2月24日", "2025년 2월 24일" -> YYYY-MM-DD;
//             "January 2025", "enero de 2025", "2025年1月" -> YYYY-MM. Impossible dates
//             (February 30) and years outside [kMinYear, kMaxYear] are dropped.
//   partial   "February 24", "2月24日": the year is the one that puts the date nearest the
//             publication date (the earlier one on a tie); with no publication date, the latest
//             year the article's own dates give; else dropped.
//   month     a month alone, YYYY-MM with its year found as a partial date's: a month name
//             after a lead word of its language ("in April", "mid-March", "im April": dates.tsv
//             month-lead rows; a bare name is too often something else, "May" the name), or a
//             Han or Hangul month ("4月", "지난 4월"). A year word right before it gives the year
//             ("今年4月", "去年12月", "지난해 4월"), resolved against the publication date only.
//   day       a Han or Hangul day alone after a month word: "本月2日", "上月28日", "지난달 28일"
//             (that day of that month); a day alone without one is no date ("3日内").
//   relative  weekday names ("on Thursday": the most recent such day on or before the
//             publication date), "上周四" (that day of the week before), "yesterday", "last
//             week" (published - 7 days), "this month"/"earlier this month" (YYYY-MM), "last
//             month", "this year" (YYYY), 昨天, 上周, 本月, gestern ... as dates.tsv lists them.
//             Dropped when there is no publication date.
// DateMention::relative is true when the publication date or the article's year supplied any
// part of the date (relative, partial, month and day dates). Where matches overlap the longest
// wins; a weekday written just before an absolute date ("Monday, Feb. 24") is part of that
// date, not a mention of its own, and so is a year word before a month alone, or a month word
// before a day alone. Words match at word boundaries of alphabetic scripts (a relative word may
// run into digits: "今年4月"); weekday, relative and lead words in any case, month names as
// written, capitalized or in capitals ("may" is no month). Words apply in paragraphs of their
// language (Chinese and Japanese share theirs; all languages where the language is unknown or
// has no rows).
//
// Ownership: DateLexicon is immutable after Load and shared by all threads (const methods are
// thread-safe). FindDates is a pure function. Errors: Load reports "file:line: reason" for a
// malformed dates.tsv row (unknown kind, bad value, no forms).
#ifndef STANCETRACK_EXTRACTORS_DATES_H_
#define STANCETRACK_EXTRACTORS_DATES_H_

#include <memory>
#include <string>
#include <vector>

#include "extractors/annotations.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

// Years a date may name: outside them "2025-02-24"-shaped numbers are ids, not dates.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2100;

// Datelines stand in the first few content paragraphs (after a title and a byline at most).
inline constexpr size_t kDatelineParagraphs = 3;

class DateLexicon {
 public:
  // Loads and validates dates.tsv from `dirs` (layered, see tsv.h; key: language, kind, value)
  // and compiles the matchers.
  static StatusOr<DateLexicon> Load(const std::vector<std::string>& dirs);

  DateLexicon(DateLexicon&&) noexcept;
  DateLexicon& operator=(DateLexicon&&) noexcept;
  ~DateLexicon();

  // Implementation detail, shared with FindDates.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit DateLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct DateFindings {
  std::string published;  // YYYY-MM-DD, empty if unknown
  std::vector<DateMention> dates;
};

DateFindings FindDates(const Document& doc, const DateLexicon& dates);

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_DATES_H_
