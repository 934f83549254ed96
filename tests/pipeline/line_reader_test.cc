// LineReader: lines of a stream with a bound on each, over in-memory streams (fmemopen).
#include "pipeline/line_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace stancetrack {
namespace {

// Every line of `bytes`, as "N:text" for a line and "N:too long" for a skipped one.
std::vector<std::string> Lines(std::string bytes, size_t max_bytes) {
  // fmemopen may refuse a size of 0.
  std::FILE* in =
      bytes.empty() ? std::fopen("/dev/null", "r") : fmemopen(bytes.data(), bytes.size(), "r");
  LineReader reader(in, max_bytes);
  std::vector<std::string> out;
  std::string_view line;
  for (LineReader::Result r; (r = reader.Next(&line)) != LineReader::Result::kEnd;) {
    EXPECT_NE(r, LineReader::Result::kError) << reader.error();
    if (r == LineReader::Result::kError) break;
    out.push_back(std::to_string(reader.line_number()) + ":" +
                  (r == LineReader::Result::kTooLong ? "too long" : std::string(line)));
  }
  EXPECT_EQ(reader.bytes(), bytes.size());
  std::fclose(in);
  return out;
}

TEST(LineReaderTest, SplitsAtNewlinesAndKeepsCarriageReturns) {
  EXPECT_EQ(Lines("one\ntwo\r\n\nfour", 100),
            (std::vector<std::string>{"1:one", "2:two\r", "3:", "4:four"}));
}

TEST(LineReaderTest, EmptyStreamHasNoLines) { EXPECT_TRUE(Lines("", 100).empty()); }

TEST(LineReaderTest, TrailingNewlineDoesNotMakeAnEmptyLine) {
  EXPECT_EQ(Lines("a\nb\n", 100), (std::vector<std::string>{"1:a", "2:b"}));
}

TEST(LineReaderTest, LineOverTheBoundIsSkippedAndTheNextOneRead) {
  EXPECT_EQ(Lines("short\n" + std::string(50, 'x') + "\nafter\n", 10),
            (std::vector<std::string>{"1:short", "2:too long", "3:after"}));
}

TEST(LineReaderTest, LineOfExactlyTheBoundIsKept) {
  EXPECT_EQ(Lines("abcde\nabcdef", 5), (std::vector<std::string>{"1:abcde", "2:too long"}));
}

TEST(LineReaderTest, LinesLongerThanTheReadBufferComeBackWhole) {
  const std::string big(200000, 'y');  // spans several 64 KiB reads
  EXPECT_EQ(Lines(big + "\n" + big, 300000), (std::vector<std::string>{"1:" + big, "2:" + big}));
}

TEST(LineReaderTest, RunawayLineLongerThanTheBufferCostsNoMemoryAndIsSkipped) {
  EXPECT_EQ(Lines(std::string(300000, 'z') + "\nok", 1000),
            (std::vector<std::string>{"1:too long", "2:ok"}));
}

TEST(LineReaderTest, ReadErrorIsReported) {
  std::FILE* dir = std::fopen("/", "r");  // a directory opens, but reading it fails
  ASSERT_NE(dir, nullptr);
  LineReader reader(dir, 100);
  std::string_view line;
  EXPECT_EQ(reader.Next(&line), LineReader::Result::kError);
  EXPECT_EQ(reader.error(), "Is a directory");
  std::fclose(dir);
}

}  // namespace
}  // namespace stancetrack
