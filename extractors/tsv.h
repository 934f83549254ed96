// Lexicon tables: tab-separated files under extractors/lexicons/ (and any --lexicon DIR).
//
// Format: UTF-8, one row per line, fields separated by a tab. Lines starting with '#' are
// comments; the first comment lines name and explain the columns. Blank lines are skipped.
// A field may be empty; a list inside a field is separated by '|'.
//
// Layering: ReadLexiconTable reads the file of that name from each directory in order; a row
// whose key (its first `key_columns` fields, compared after FoldForMatching and lower-casing)
// appeared in an earlier directory replaces that row, so a user's --lexicon DIR can add rows
// and override shipped ones without recompiling. The same key twice in one file is an error
// (one of the two rows would be silently lost). The first directory must hold the file; later
// ones may lack it.
//
// Errors: a row with the wrong number of fields, or a file that cannot be read, is an
// InvalidArgument/IoError naming "path:line: what is wrong". Thread-safety: free functions,
// safe from many threads.
#ifndef STANCETRACK_EXTRACTORS_TSV_H_
#define STANCETRACK_EXTRACTORS_TSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace stancetrack {

struct TsvRow {
  std::string file;  // where the row came from, for messages: "path:line: ..."
  int line = 0;
  std::vector<std::string> fields;

  std::string Where() const { return file + ":" + std::to_string(line); }
};

// Reads one table. Every row must have exactly `columns` fields.
StatusOr<std::vector<TsvRow>> ReadTsv(const std::string& path, size_t columns);

// Reads `file_name` from each of `dirs` and layers them as described above.
StatusOr<std::vector<TsvRow>> ReadLexiconTable(const std::vector<std::string>& dirs,
                                               std::string_view file_name, size_t columns,
                                               size_t key_columns = 1);

// Splits a '|'-separated list field, trimming spaces and dropping empty items.
std::vector<std::string> SplitList(std::string_view field);

// The directory of the lexicons that ship with stancetrack (set at build time).
std::string DefaultLexiconDir();

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_TSV_H_
