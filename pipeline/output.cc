#include "pipeline/output.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

namespace stancetrack {
namespace {

std::string Cell(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "";
  if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const double* d = std::get_if<double>(&v)) return nlohmann::json(*d).dump();
  return std::get<std::string>(v);
}

nlohmann::json JsonOf(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const int64_t* i = std::get_if<int64_t>(&v)) return *i;
  if (const double* d = std::get_if<double>(&v)) return *d;
  return std::get<std::string>(v);
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void PrintCsvRow(std::ostream* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) *out << (i ? "," : "") << CsvField(cells[i]);
  *out << "\r\n";
}

// Keys in column order, as the statement selected them.
nlohmann::ordered_json JsonRow(const std::vector<std::string>& columns,
                               const std::vector<Value>& row) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (size_t i = 0; i < columns.size(); ++i) object[columns[i]] = JsonOf(row[i]);
  return object;
}

// Columns a terminal gives the character: ASCII is the common case, so it skips ICU's lookups.
size_t CharWidth(UChar32 c) {
  if (c < 0x80) return 1;
  if (u_getCombiningClass(c) > 0 || c == 0x200B) return 0;
  int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
}

// The bytes of `text` that leave a column for "…" when it is wider than `columns`; npos when it
// fits. One pass that stops where the text stops fitting: a cell can list thousands of paths.
size_t CutPoint(std::string_view text, size_t columns) {
  size_t width = 0, fits = 0;
  for (int32_t i = 0, n = static_cast<int32_t>(text.size()); i < n;) {
    UChar32 c;
    U8_NEXT_OR_FFFD(text.data(), i, n, c);
    width += CharWidth(c);
    if (width > columns) return fits;
    if (width + 1 <= columns) fits = i;
  }
  return std::string_view::npos;
}

// A table cell: one line, at most kMaxTableCellWidth columns.
std::string TableCell(const Value& v) {
  std::string cell = Cell(v);
  const size_t cut = CutPoint(cell, kMaxTableCellWidth);
  if (cut != std::string::npos) cell.replace(cut, std::string::npos, "…");
  for (char& c : cell) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return cell;
}

constexpr auto kJsonErrors = nlohmann::json::error_handler_t::replace;

}  // namespace

StatusOr<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "' (expected table, csv, json or jsonl)");
}

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (int32_t i = 0, n = static_cast<int32_t>(utf8.size()); i < n;) {
    UChar32 c;
    U8_NEXT_OR_FFFD(utf8.data(), i, n, c);
    width += CharWidth(c);
  }
  return width;
}

std::string CutToWidth(std::string_view text, size_t columns) {
  const size_t cut = CutPoint(text, columns);
  return cut == std::string_view::npos ? std::string(text) : std::string(text.substr(0, cut)) + "…";
}

std::string JsonQuote(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, kJsonErrors);
}

void RowPrinter::Add(const std::vector<std::string>& columns, const std::vector<Value>& row) {
  if (rows_++ == 0) {
    columns_ = columns;
    if (format_ == OutputFormat::kCsv) PrintCsvRow(out_, columns);
    if (format_ == OutputFormat::kJson) *out_ << "[";
  }
  switch (format_) {
    case OutputFormat::kCsv: {
      std::vector<std::string> cells;
      for (const Value& v : row) cells.push_back(Cell(v));
      PrintCsvRow(out_, cells);
      break;
    }
    case OutputFormat::kJson:
      *out_ << (rows_ > 1 ? ",\n " : "") << JsonRow(columns, row).dump(-1, ' ', false, kJsonErrors);
      break;
    case OutputFormat::kJsonl:
      *out_ << JsonRow(columns, row).dump(-1, ' ', false, kJsonErrors) << "\n";
      break;
    case OutputFormat::kTable: {
      TableRow& table_row = table_.emplace_back();
      for (const Value& v : row) {
        table_row.cells.push_back(TableCell(v));
        table_row.widths.push_back(DisplayWidth(table_row.cells.back()));
      }
      break;
    }
  }
}

void RowPrinter::Finish(const std::vector<std::string>& columns_if_empty) {
  if (format_ == OutputFormat::kJson) *out_ << (rows_ ? "]\n" : "[]\n");
  if (rows_ == 0 && !columns_if_empty.empty()) {
    columns_ = columns_if_empty;
    if (format_ == OutputFormat::kCsv) PrintCsvRow(out_, columns_);
  }
  if (format_ != OutputFormat::kTable || columns_.empty()) return;
  auto measured = [](const std::vector<std::string>& cells) {
    TableRow row{cells, {}};
    for (const std::string& c : cells) row.widths.push_back(DisplayWidth(c));
    return row;
  };
  const TableRow header = measured(columns_);
  std::vector<size_t> widths = header.widths;
  for (const TableRow& row : table_) {
    for (size_t i = 0; i < row.widths.size(); ++i) widths[i] = std::max(widths[i], row.widths[i]);
  }
  auto print = [&](const TableRow& row, bool data) {
    for (size_t i = 0; i < row.cells.size(); ++i) {
      const std::string& cell = row.cells[i];
      std::string sgr = data && color_ ? color_(columns_[i], cell) : "";
      if (sgr.empty()) {
        *out_ << cell;
      } else {
        *out_ << "\x1b[" << sgr << "m" << cell << "\x1b[0m";
      }
      if (i + 1 < row.cells.size()) {
        std::fill_n(std::ostreambuf_iterator<char>(*out_), widths[i] - row.widths[i] + 2, ' ');
      }
    }
    *out_ << "\n";
  };
  print(header, false);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print(measured(rule), false);
  for (const TableRow& row : table_) print(row, true);
}

}  // namespace stancetrack
