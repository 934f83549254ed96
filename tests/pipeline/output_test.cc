#include "pipeline/output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace stancetrack {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Print(OutputFormat format, const std::vector<std::string>& columns,
                  const std::vector<std::vector<Value>>& rows,
                  RowPrinter::CellColor color = nullptr) {
  std::ostringstream out;
  RowPrinter printer(format, &out);
  if (color) printer.set_cell_color(color);
  for (const auto& row : rows) printer.Add(columns, row);
  printer.Finish(columns);
  return out.str();
}

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("Nvidia"), 6u);
  EXPECT_EQ(DisplayWidth("英伟达"), 6u);
  EXPECT_EQ(DisplayWidth("輝達 Nvidia"), 11u);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
}

TEST(CutToWidthTest, CutsAtCharactersAndCountsWideOnesTwice) {
  EXPECT_EQ(CutToWidth("Nvidia", 6), "Nvidia");
  EXPECT_EQ(CutToWidth("Microsoft", 6), "Micro…");
  EXPECT_EQ(CutToWidth("华为技术有限公司", 7), "华为技…");
  EXPECT_EQ(CutToWidth("华为技术", 8), "华为技术");
}

TEST(RowPrinterTest, TableColumnsLineUpWithChineseNames) {
  std::string table =
      Print(OutputFormat::kTable, {"actor", "n"},
            {{std::string("英伟达"), int64_t{1}}, {std::string("AMD"), int64_t{22}}});
  EXPECT_EQ(table,
            "actor   n\n"
            "------  --\n"
            "英伟达  1\n"
            "AMD     22\n");
}

TEST(RowPrinterTest, ColourWrapsTheCellButNotThePadding) {
  auto red_oppose = [](const std::string& column, std::string_view cell) {
    return column == "polarity" && cell == "oppose" ? std::string("31") : std::string();
  };
  std::string table = Print(OutputFormat::kTable, {"polarity", "actor"},
                            {{std::string("oppose"), std::string("Nvidia")},
                             {std::string("support"), std::string("BIS")}},
                            red_oppose);
  EXPECT_THAT(table, HasSubstr("\x1b[31moppose\x1b[0m    Nvidia\n"));
  EXPECT_THAT(table, HasSubstr("support   BIS\n"));
  EXPECT_THAT(table, HasSubstr("polarity  actor\n"));  // the header is never coloured
}

TEST(RowPrinterTest, ColourIsIgnoredOutsideTables) {
  auto always = [](const std::string&, std::string_view) { return std::string("31"); };
  std::string csv = Print(OutputFormat::kCsv, {"polarity"}, {{std::string("oppose")}}, always);
  EXPECT_EQ(csv, "polarity\r\noppose\r\n");  // RFC 4180 line ends
}

TEST(RowPrinterTest, LongTableCellsAreCutButCsvKeepsThemWhole) {
  std::string sentence(150, 'x');
  std::string table = Print(OutputFormat::kTable, {"evidence"}, {{sentence}});
  EXPECT_THAT(table, HasSubstr(std::string(kMaxTableCellWidth - 1, 'x') + "…\n"));
  EXPECT_THAT(table, Not(HasSubstr(std::string(kMaxTableCellWidth, 'x'))));
  EXPECT_THAT(Print(OutputFormat::kCsv, {"evidence"}, {{sentence}}), HasSubstr(sentence));
}

TEST(RowPrinterTest, CsvQuotesSeparatorsQuotesAndLineBreaks) {
  std::string csv =
      Print(OutputFormat::kCsv, {"a", "b", "c"},
            {{std::string("one, two"), std::string("say \"no\""), std::string("line\nbreak")}});
  EXPECT_EQ(csv, "a,b,c\r\n\"one, two\",\"say \"\"no\"\"\",\"line\nbreak\"\r\n");
}

TEST(RowPrinterTest, JsonKeepsSqlTypes) {
  std::string json = Print(OutputFormat::kJson, {"name", "n", "x", "none"},
                           {{std::string("Acme"), int64_t{3}, 0.5, std::monostate()}});
  EXPECT_EQ(json, "[{\"name\":\"Acme\",\"n\":3,\"x\":0.5,\"none\":null}]\n");
}

TEST(RowPrinterTest, NoRowsStillPrintsTheHeader) {
  EXPECT_EQ(Print(OutputFormat::kCsv, {"date", "actor"}, {}), "date,actor\r\n");
  EXPECT_EQ(Print(OutputFormat::kTable, {"date", "actor"}, {}), "date  actor\n----  -----\n");
  EXPECT_EQ(Print(OutputFormat::kJson, {"date", "actor"}, {}), "[]\n");
}

TEST(ParseOutputFormatTest, RefusesUnknownFormatsWithTheChoices) {
  StatusOr<OutputFormat> f = ParseOutputFormat("xml");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "unknown format 'xml' (expected table, csv, json or jsonl)");
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
}

}  // namespace
}  // namespace stancetrack
