#include "pipeline/export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/pipeline/stored_document_builder.h"

namespace stancetrack {
namespace {

using testing::AddMention;
using testing::AddStance;
using testing::AddTier;
using testing::MakeStoredDocument;

// Story `n`: its own company, country tier and stance, each naming n, and `padding` bytes of
// text after them.
StoredDocument Story(int n, size_t padding = 0) {
  const std::string id = std::to_string(n);
  const std::string path = "wire/" + std::string(4 - id.size(), '0') + id + ".txt";
  StoredDocument s = MakeStoredDocument(
      path, {{BlockKind::kBody,
              {"Maker" + id + " said it opposes the tier rule in story " + id + ".",
               "Country" + id + " would sit in tier 2.", std::string(padding, 'x')},
              ""}});
  AddMention(s, EntityType::kCompany, "Maker" + id, "Maker" + id);
  AddTier(s, "Country" + id, 2, 2, "Country" + id + " would sit in tier 2");
  AddStance(s, "Maker" + id, "", "ai-diffusion-rule", Polarity::kOppose, "in story " + id);
  return s;
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  void Write(const std::vector<StoredDocument>& stories) {
    StatusOr<int64_t> run = store_->BeginRun("test");
    ASSERT_TRUE(run.ok());
    ASSERT_TRUE(store_->Write(*run, stories).ok());
  }

  // Each record names its document's own annotations, whatever batch it was read in.
  void ExpectEachRecordIsItsOwn(int count) {
    std::stringstream out;
    StatusOr<size_t> written = ExportDocuments(*store_, "ai-diffusion-rule", &out);
    ASSERT_TRUE(written.ok()) << written.status().message();
    EXPECT_EQ(*written, static_cast<size_t>(count));
    std::string line;
    for (int n = 0; n < count && std::getline(out, line); ++n) {
      const nlohmann::json record = nlohmann::json::parse(line);
      const std::string id = std::to_string(n);
      EXPECT_EQ(record["companies"], nlohmann::json::array({"Maker" + id}));
      EXPECT_EQ(record["tiers"][0]["country"], "Country" + id);
      ASSERT_EQ(record["stances"].size(), 1u) << line.substr(0, 200);
      EXPECT_EQ(record["stances"][0]["actor"], "Maker" + id);
      EXPECT_NE(record["stances"][0]["evidence"].get<std::string>().find("story " + id + "."),
                std::string::npos);
    }
    EXPECT_FALSE(std::getline(out, line));
  }

  std::unique_ptr<Store> store_;
};

// More documents than one batch holds.
TEST_F(ExportTest, RecordsAcrossManyBatchesKeepTheirAnnotations) {
  std::vector<StoredDocument> stories;
  for (int n = 0; n < 700; ++n) stories.push_back(Story(n));
  Write(stories);
  ExpectEachRecordIsItsOwn(700);
}

// Batches are also cut by the bytes of text they hold.
TEST_F(ExportTest, LongDocumentsMakeSmallerBatches) {
  std::vector<StoredDocument> stories;
  for (int n = 0; n < 7; ++n) stories.push_back(Story(n, 3u << 20));
  Write(stories);
  ExpectEachRecordIsItsOwn(7);
}

}  // namespace
}  // namespace stancetrack
