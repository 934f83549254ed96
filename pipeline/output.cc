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
    case OutputFormat::kTable:
      for (size_t i = 0; i < columns_.size(); ++i) {
        const std::string cell = TableCell(i < row.size() ? row[i] : Value());
        table_cells_.push_back(
            {table_text_.size(), table_text_.size() + cell.size(), DisplayWidth(cell)});
        table_text_ += cell;
      }
      break;
  }
}

void RowPrinter::Finish(const std::vector<std::string>& columns_if_empty) {
  if (format_ == OutputFormat::kJson) *out_ << (rows_ ? "]\n" : "[]\n");
  if (rows_ == 0 && !columns_if_empty.empty()) {
    columns_ = columns_if_empty;
    if (format_ == OutputFormat::kCsv) PrintCsvRow(out_, columns_);
  }
  if (format_ != OutputFormat::kTable || columns_.empty()) return;
  const size_t n = columns_.size();
  std::vector<size_t> widths;
  for (const std::string& c : columns_) widths.push_back(DisplayWidth(c));
  for (size_t k = 0; k < table_cells_.size(); ++k) {
    widths[k % n] = std::max(widths[k % n], table_cells_[k].width);
  }
  // cell(i): the text of column i and its width.
  auto print = [&](auto cell, bool data) {
    for (size_t i = 0; i < n; ++i) {
      const auto [text, width] = cell(i);
      std::string sgr = data && color_ ? color_(columns_[i], text) : "";
      if (sgr.empty()) {
        *out_ << text;
      } else {
        *out_ << "\x1b[" << sgr << "m" << text << "\x1b[0m";
      }
      if (i + 1 < n) std::fill_n(std::ostreambuf_iterator<char>(*out_), widths[i] - width + 2, ' ');
    }
    *out_ << "\n";
  };
  using Text = std::pair<std::string_view, size_t>;
  print([&](size_t i) { return Text(columns_[i], DisplayWidth(columns_[i])); }, false);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print([&](size_t i) { return Text(rule[i], widths[i]); }, false);
  for (size_t row = 0; row < table_cells_.size(); row += n) {
    print(
        [&](size_t i) {
          const StoredCell& c = table_cells_[row + i];
          return Text(std::string_view(table_text_).substr(c.begin, c.end - c.begin), c.width);
        },
        true);
  }
}

}  // namespace stancetrack
