// Output: rows of values printed as an aligned table, CSV, a JSON array or JSON lines.
//
// Tables are aligned by display width (East Asian wide characters count two columns), so
// Chinese and Japanese names line up in a terminal; line breaks in a cell become spaces. CSV
// follows RFC 4180 (quotes doubled, fields with separators quoted). JSON keeps SQL types: integers
// and reals as numbers, NULL as null. Thread-safety: a RowPrinter is used by one thread.
#ifndef STANCETRACK_PIPELINE_OUTPUT_H_
#define STANCETRACK_PIPELINE_OUTPUT_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

enum class OutputFormat { kTable, kCsv, kJson, kJsonl };

// Table cells wider than this many columns are cut with "…" so that an evidence sentence does
// not push the other columns off the screen; CSV and JSON always carry the whole value.
inline constexpr size_t kMaxTableCellWidth = 100;

// "table", "csv", "json", "jsonl" -> the format; anything else is an InvalidArgument.
StatusOr<OutputFormat> ParseOutputFormat(std::string_view name);

// Collects rows and prints them: CSV and JSON lines as they come, a table or a JSON array at
// Finish() (a table needs every width first).
class RowPrinter {
 public:
  RowPrinter(OutputFormat format, std::ostream* out) : format_(format), out_(out) {}

  // kTable only: `color(column, cell)` gives the SGR parameters ("32" for green) to print a data
  // cell in, or "" for none. Callers set it only when output goes to a colour terminal.
  using CellColor = std::function<std::string(const std::string& column, std::string_view cell)>;
  void set_cell_color(CellColor color) { color_ = std::move(color); }

  // `row` has a value per column; the first row's `columns` are the header.
  void Add(const std::vector<std::string>& columns, const std::vector<Value>& row);
  // Ends the output. With no rows, CSV and table print only `columns_if_empty` as the header.
  void Finish(const std::vector<std::string>& columns_if_empty = {});
  size_t rows() const { return rows_; }

 private:
  OutputFormat format_;
  std::ostream* out_;
  std::vector<std::string> columns_;
  // kTable: every cell's text, one after another, and its display width, kept until Finish.
  // One buffer for the whole table: a timeline can print a hundred thousand rows.
  struct StoredCell {
    size_t begin, end;  // into table_text_
    size_t width;
  };
  std::string table_text_;
  std::vector<StoredCell> table_cells_;  // row after row, columns_.size() a row
  CellColor color_;
  size_t rows_ = 0;
};

// Columns a terminal needs to show `utf8`.
size_t DisplayWidth(std::string_view utf8);

// `text` cut to at most `columns` display columns, "…" included, at a character boundary.
std::string CutToWidth(std::string_view text, size_t columns);

// `s` as a JSON string literal, with quotes.
std::string JsonQuote(std::string_view s);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_OUTPUT_H_
