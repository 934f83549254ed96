// Ingest and its resources: the lexicons are loaded when the first document needs them, once
// whatever the number of workers, and a load that fails ends the run with its error.
#include "pipeline/ingest.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "pipeline/store.h"
#include "tests/pipeline/fake_file_system.h"
#include "tests/pipeline/shipped_resources.h"

namespace stancetrack {
namespace {

class IngestResourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<Store>> opened = Store::Open(":memory:", Store::Mode::kReadWrite);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    for (int i = 0; i < 6; ++i) {
      fs_.Add("articles/" + std::to_string(i) + ".txt",
              "---\ntitle: Note " + std::to_string(i) +
                  "\n---\nThe ministry reviewed licence number " + std::to_string(i) +
                  " for chip exports on Tuesday, officials said.\n");
    }
  }

  // A loader of the shipped resources that counts its loads.
  ResourceLoader CountingLoader() {
    return ResourceLoader([this]() -> StatusOr<Resources> {
      ++loads_;
      const Resources* shipped = testing::ShippedResources();
      if (shipped == nullptr) return Status::Internal("the shipped lexicons did not load");
      return *shipped;
    });
  }

  StatusOr<IngestResult> Ingest(const ResourceLoader& resources, int jobs = 4) {
    IngestOptions options;
    options.roots = {"articles"};
    options.jobs = jobs;
    return stancetrack::Ingest(store_.get(), resources, fs_, options, {}, {});
  }

  int64_t StoredDocuments() {
    int64_t count = -1;
    EXPECT_TRUE(store_
                    ->Query("SELECT count(*) FROM documents", {},
                            [&](const auto&, const std::vector<Value>& row) {
                              count = std::get<int64_t>(row[0]);
                              return true;
                            })
                    .ok());
    return count;
  }

  FakeFileSystem fs_;
  std::unique_ptr<Store> store_;
  std::atomic<int> loads_{0};
};

TEST_F(IngestResourcesTest, FourWorkersLoadTheResourcesOnce) {
  StatusOr<IngestResult> first = Ingest(CountingLoader());
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->summary.files_new, 6);
  EXPECT_EQ(loads_.load(), 1);
}

TEST_F(IngestResourcesTest, AnUnchangedCorpusIsReingestedWithoutLoadingThem) {
  ASSERT_TRUE(Ingest(CountingLoader()).ok());
  StatusOr<IngestResult> again = Ingest(CountingLoader());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->summary.files_unchanged, 6);
  EXPECT_EQ(loads_.load(), 1) << "the second run had nothing to process";

  fs_.Add("articles/2.txt", "---\ntitle: Note 2, revised\n---\nThe ministry revoked it.\n");
  StatusOr<IngestResult> changed = Ingest(CountingLoader());
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_EQ(changed->summary.files_changed, 1);
  EXPECT_EQ(loads_.load(), 2);
}

TEST_F(IngestResourcesTest, AFailedLoadEndsTheRunWithItsErrorAndStoresNothing) {
  const ResourceLoader broken([] {
    return StatusOr<Resources>(
        Status::InvalidArgument("mine/companies.tsv:2: expected 6 tab-separated fields, got 2"));
  });
  for (int jobs : {1, 4}) {
    StatusOr<IngestResult> result = Ingest(broken, jobs);
    ASSERT_FALSE(result.ok()) << jobs << " jobs";
    EXPECT_EQ(result.status().message(),
              "mine/companies.tsv:2: expected 6 tab-separated fields, got 2");
    EXPECT_EQ(StoredDocuments(), 0) << jobs << " jobs";
  }
  // A re-run with lexicons that load finishes the job.
  StatusOr<IngestResult> rerun = Ingest(CountingLoader());
  ASSERT_TRUE(rerun.ok()) << rerun.status().message();
  EXPECT_EQ(StoredDocuments(), 6);
}

}  // namespace
}  // namespace stancetrack
