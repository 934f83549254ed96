#include "pipeline/output.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

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

// A table cell: one line, at most kMaxTableCellWidth columns.
std::string TableCell(const Value& v) {
  std::string cell = Cell(v);
  for (char& c : cell) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return CutToWidth(cell, kMaxTableCellWidth);
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
  int32_t i = 0, n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c < 0) c = 0xFFFD;
    if (u_getCombiningClass(c) > 0 || c == 0x200B) continue;
    int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
}

std::string CutToWidth(std::string_view text, size_t columns) {
  // One pass that stops where the text stops fitting: a cell can be a list of thousands of paths.
  size_t width = 0, fits = 0;  // fits: the bytes that leave a column for the ellipsis
  int32_t i = 0, n = static_cast<int32_t>(text.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    width += DisplayWidth(text.substr(start, i - start));
    if (width > columns) return std::string(text.substr(0, fits)) + "…";
    if (width + 1 <= columns) fits = i;
  }
  return std::string(text);
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
      std::vector<std::string> cells;
      for (const Value& v : row) cells.push_back(TableCell(v));
      table_.push_back(std::move(cells));
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
  std::vector<size_t> widths;
  for (const std::string& c : columns_) widths.push_back(DisplayWidth(c));
  for (const auto& cells : table_) {
    for (size_t i = 0; i < cells.size(); ++i)
      widths[i] = std::max(widths[i], DisplayWidth(cells[i]));
  }
  auto print = [&](const std::vector<std::string>& cells, bool data) {
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string sgr = data && color_ ? color_(columns_[i], cells[i]) : "";
      if (sgr.empty()) {
        *out_ << cells[i];
      } else {
        *out_ << "\x1b[" << sgr << "m" << cells[i] << "\x1b[0m";
      }
      if (i + 1 < cells.size()) *out_ << std::string(widths[i] - DisplayWidth(cells[i]) + 2, ' ');
    }
    *out_ << "\n";
  };
  print(columns_, false);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print(rule, false);
  for (const auto& cells : table_) print(cells, true);
}

}  // namespace stancetrack
