// The .json and .jsonl readers on raw bytes (reader.h: SplitSource, ParseItem; formats.h:
// ParseJsonArticle): the whole input as one .json article, then as a .jsonl file. Checks: units
// are views into the input, in order, with ids "x.jsonl#LINE" of increasing lines; each unit a
// document or an error that says why; text and metadata valid UTF-8, the date normalized; and
// SourceUnits, which ingest reads files with (line by line), gives the units SplitSource gives.
#include <string>

#include "pipeline/reader.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/pipeline/fake_file_system.h"

namespace stancetrack::fuzz {
namespace {

void CheckDocument(const std::optional<Document>& doc) {
  if (!doc) return;
  CheckUtf8(doc->original, "original is UTF-8");
  CheckUtf8(doc->meta.title, "title is UTF-8");
  CheckDate(doc->meta.published, false, true, "published");
}

// Ingest's reader of the same bytes as a file: the same units, with no problem (the input is
// far shorter than limits::kMaxJsonlLineBytes).
void CheckSourceUnits(const SourceFile& file, std::string_view bytes,
                      const std::vector<ReadItem>& expected) {
  FakeFileSystem fs;
  fs.Add(file.path, std::string(bytes));
  SourceUnits units(fs, file);
  ReadItem item;
  Problem problem;
  for (const ReadItem& want : expected) {
    FUZZ_CHECK(units.Next(&item, &problem) == SourceUnits::Result::kUnit, "as many units");
    FUZZ_CHECK(item.id == want.id && item.bytes == want.bytes, "the same unit");
    FUZZ_CHECK(item.content_hash == want.content_hash, "the same hash");
  }
  FUZZ_CHECK(units.Next(&item, &problem) == SourceUnits::Result::kEnd, "no more units");
}

size_t LineOf(std::string_view id) {
  size_t hash = id.rfind('#');
  FUZZ_CHECK(hash != std::string_view::npos, "a line's id names its line");
  return std::stoul(std::string(id.substr(hash + 1)));
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  std::string_view bytes = fuzz::AsView(data, size);
  fuzz::CheckDocument(fuzz::ReadOneUnit({"in/a.json", "a.json"}, bytes));

  SourceFile jsonl{"in/x.jsonl", "x.jsonl"};
  size_t previous_line = 0;
  const char* previous_end = bytes.data();
  const std::vector<ReadItem> items = SplitSource(jsonl, bytes);
  fuzz::CheckSourceUnits(jsonl, bytes, items);
  for (const ReadItem& item : items) {
    FUZZ_CHECK(item.bytes.data() >= previous_end &&
                   item.bytes.data() + item.bytes.size() <= bytes.data() + bytes.size(),
               "units are views into the input, in order");
    FUZZ_CHECK(!item.bytes.empty(), "blank lines are not units");
    size_t line = fuzz::LineOf(item.id);
    FUZZ_CHECK(line > previous_line, "line numbers increase");
    previous_line = line;
    previous_end = item.bytes.data() + item.bytes.size();
    fuzz::CheckDocument(fuzz::ParseChecked(jsonl, item));
  }
  return 0;
}
