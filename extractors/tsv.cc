#include "extractors/tsv.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "pipeline/normalize.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    fields.emplace_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

std::string KeyOf(const TsvRow& row, size_t key_columns) {
  std::string key;
  for (size_t i = 0; i < key_columns && i < row.fields.size(); ++i) {
    key += AsciiLower(FoldForMatching(row.fields[i]));
    key += '\t';
  }
  return key;
}

}  // namespace

StatusOr<std::vector<TsvRow>> ReadTsv(const std::string& path, size_t columns) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open lexicon table");
  std::vector<TsvRow> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    TsvRow row{path, number, SplitTabs(line)};
    if (row.fields.size() != columns) {
      return Status::InvalidArgument(row.Where() + ": expected " + std::to_string(columns) +
                                     " tab-separated fields, got " +
                                     std::to_string(row.fields.size()));
    }
    rows.push_back(std::move(row));
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return rows;
}

StatusOr<std::vector<TsvRow>> ReadLexiconTable(const std::vector<std::string>& dirs,
                                               std::string_view file_name, size_t columns,
                                               size_t key_columns) {
  std::vector<TsvRow> rows;
  std::map<std::string, size_t> index_of_key;
  for (size_t d = 0; d < dirs.size(); ++d) {
    std::string path = (std::filesystem::path(dirs[d]) / file_name).string();
    if (d > 0 && !std::filesystem::exists(path)) continue;
    StatusOr<std::vector<TsvRow>> table = ReadTsv(path, columns);
    if (!table.ok()) return table.status();
    for (TsvRow& row : *table) {
      auto [it, inserted] = index_of_key.emplace(KeyOf(row, key_columns), rows.size());
      if (inserted) {
        rows.push_back(std::move(row));
        continue;
      }
      // Only a later directory may override a row: twice in one file is a mistake in the data.
      TsvRow& earlier = rows[it->second];
      if (earlier.file == row.file) {
        return Status::InvalidArgument(row.Where() + ": duplicate key \"" + row.fields[0] +
                                       "\", first at line " + std::to_string(earlier.line));
      }
      earlier = std::move(row);
    }
  }
  return rows;
}

std::vector<std::string> SplitList(std::string_view field) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= field.size()) {
    size_t bar = field.find('|', start);
    std::string_view item = field.substr(start, bar == std::string_view::npos ? bar : bar - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return items;
}

std::string DefaultLexiconDir() { return STANCETRACK_LEXICON_DIR; }

}  // namespace stancetrack
