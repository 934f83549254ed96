// Eval: precision, recall and F1 of exported document records against gold records.
//
// A port of shared/tools/score.py that prints the same numbers for the same input, so that
// `stancetrack eval` and the reference scorer never disagree. Input: a folder of NAME.json gold
// files (the document record of DESIGN.md, with optional "also_ok" polarities on stances) and
// the text `stancetrack export` writes (one JSON record per line). A record is matched to its
// gold file by DocKey of its "doc" (a gold file without "doc" uses its file name). Output: one
// micro-averaged score per field, in score.py's order (companies, organizations, people,
// countries, tiers, stances, stances_industry, published, language, duplicate_of).
//
// Matching follows score.py rule by rule: names are folded (Fold) and canonicalized per field
// (CompanyKey, OrgKey, PersonKey, ActorKey); countries and tiers compare upper-cased; a later
// record with the same key replaces an earlier one; a gold stance accepts its polarity and its
// also_ok ones (stances of one gold record with the same actor and policy pool them), a
// predicted one holds the last polarity given; stances_industry keeps the stances whose actor
// IsIndustry for the gold record; a gold document without a record counts as one with no
// values. Where score.py would crash ("companies" not a list, a name not a string), Evaluate
// returns an error instead. Unicode data is ICU's (15.0 in ICU 72), so only characters new
// since Python's Unicode version (14.0 in Python 3.11) may fold differently.
//
// Errors: a gold folder or file that cannot be read is kIoError naming the path; a gold file
// over limits::kMaxDocumentBytes or an export line over limits::kMaxJsonlLineBytes, a file or
// line that is not JSON or not an object, or a value of the wrong type is kInvalidArgument
// naming the gold file or "EXPORT_NAME:LINE" ("export:3: not JSON (...)"); missing ICU data is
// kInternal. Ownership: nothing is kept after a call returns. Thread-safety: all functions are
// pure and safe to call from many threads.
#ifndef STANCETRACK_PIPELINE_EVAL_H_
#define STANCETRACK_PIPELINE_EVAL_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace stancetrack {

class FileSystem;  // pipeline/reader.h

struct FieldScore {
  std::string field;
  int64_t tp = 0, predicted = 0, gold = 0;
  // Unrounded; with no predictions precision is 1 if there is no gold either (else 0), and
  // likewise recall; F1 is 0 when precision + recall is 0.
  double precision = 0, recall = 0, f1 = 0;
};

struct EvalReport {
  size_t gold_documents = 0;  // distinct gold keys
  size_t without_record = 0;  // gold keys no exported record matches
  std::vector<FieldScore> fields;
};

// gold_dir: a folder of NAME.json gold records (other files are ignored); export_jsonl: the
// text `stancetrack export` writes (one JSON record per line; blank lines are skipped).
// export_name names that text in error messages ("export:3: not JSON (...)").
StatusOr<EvalReport> Evaluate(const std::string& gold_dir, std::string_view export_jsonl,
                              std::string_view export_name = "export");
// The same, reading the gold folder through `fs` (the overload above uses RealFileSystem()).
StatusOr<EvalReport> Evaluate(const FileSystem& fs, const std::string& gold_dir,
                              std::string_view export_jsonl, std::string_view export_name);

// The report in score.py's exact text format: "documents: N gold, M without a record", then one
// line per field "%-14s P=%.3f R=%.3f F1=%.3f  (tp %d, predicted %d, gold %d)", each line
// ending in '\n'.
std::string FormatReport(const EvalReport& report);

// score.py's folding rules, exposed for tests and for code that needs the same keys. Inputs
// are UTF-8 (invalid sequences count as U+FFFD).
namespace eval {

// NFKC, then NFKD without the characters of nonzero canonical combining class, lower case
// (Unicode full case mapping), "&" -> " and ", every character that is not a word character
// (Python's \w: letters, numbers, '_') -> a space; runs of spaces collapsed, ends trimmed.
std::string Fold(std::string_view name);

// Fold, minus every legal-form word (inc, corp, co, ltd, ag, holding, group, ...), then the
// company alias table ("advanced micro devices" -> "amd").
std::string CompanyKey(std::string_view name);

// Fold, minus one leading "the", "us" or "u s", then the organization alias table ("bis" ->
// "bureau of industry and security").
std::string OrgKey(std::string_view name);

// Fold, minus one leading title (mr, ms, mrs, dr, sen, senator, rep, president, ceo).
std::string PersonKey(std::string_view name);

// The stance actor: "us government" or "china government" for any name of a government body,
// else the organization key when it is a known organization, else the company key.
std::string ActorKey(std::string_view name);

// Whether a stance actor (an ActorKey) counts as industry for a gold record whose companies
// have the keys `company_keys`: not a government, and one of those companies or a trade group
// (the key contains association, council, industry, chamber or alliance).
bool IsIndustry(const std::string& actor_key, const std::set<std::string>& company_keys);

// The match key of a "doc" path: its file name without the extension, plus "#N" for a line of
// a JSONL file ("a/feed.jsonl#3" -> "feed#3").
std::string DocKey(std::string_view doc);

}  // namespace eval
}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_EVAL_H_
