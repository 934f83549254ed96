#include "pipeline/ingest.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "pipeline/duplicates.h"
#include "pipeline/limits.h"

namespace stancetrack {
namespace {

// Stored documents found under one of the roots whose ids this run did not see again.
StatusOr<std::vector<std::string>> GoneDocuments(const Store& store,
                                                 const std::vector<std::string>& roots,
                                                 const std::unordered_set<std::string>& seen) {
  std::vector<std::string> gone;
  Status status = store.Query(
      "SELECT path, source_path FROM documents ORDER BY path", {},
      [&](const std::vector<std::string>&, const std::vector<Value>& row) {
        const std::string& id = std::get<std::string>(row[0]);
        const std::string* source = std::get_if<std::string>(&row[1]);
        bool under_root = source && std::any_of(roots.begin(), roots.end(), [&](auto& root) {
                            return source->compare(0, root.size(), root) == 0;
                          });
        if (under_root && !seen.count(id)) gone.push_back(id);
        return true;
      });
  if (!status.ok()) return status;
  return gone;
}

// Gives the pages of freed memory back to the system. glibc keeps them in the arena of the
// thread that freed them, where they count in the process's memory until that arena reuses them.
void ReturnFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace

BatchWriter::BatchWriter(Store* store, int64_t run_id, IngestResult* result,
                         const InputReport& report)
    : store_(store), run_id_(run_id), result_(result), report_(report) {}

Status BatchWriter::Add(StoredDocument stored, bool changed) {
  ++(changed ? result_->summary.files_changed : result_->summary.files_new);
  for (const std::string& warning : stored.doc.warnings) {
    ++result_->warnings;
    if (report_) report_({stored.doc.id, warning}, /*stored=*/true);
  }
  batch_.push_back(std::move(stored));
  return batch_.size() >= limits::kDocumentsPerTransaction ? Flush() : Status::Ok();
}

Status BatchWriter::Add(const Problem& problem) {
  ++result_->summary.files_failed;
  if (report_) report_(problem, /*stored=*/false);
  return store_->RecordError(run_id_, problem.path, problem.reason);
}

Status BatchWriter::Flush() {
  if (batch_.empty()) return Status::Ok();
  Status status =
      Timed(&result_->stages, Stage::kWrite, [&] { return store_->Write(run_id_, batch_); });
  if (written_ / limits::kDocumentsPerTrim !=
      (written_ + batch_.size()) / limits::kDocumentsPerTrim) {
    ReturnFreedMemory();
  }
  written_ += batch_.size();
  batch_.clear();
  return status;
}

Status BatchWriter::Finish() {
  ST_RETURN_IF_ERROR(Flush());
  ST_RETURN_IF_ERROR(
      Timed(&result_->stages, Stage::kWrite, [&] { return store_->BuildDeferredIndexes(); }));
  // The documents that were in flight are freed, and so are the lexicons if the caller's
  // `processed` freed them, while linking allocates its sort memory afresh: giving those pages
  // back first makes the run's peak the pipeline's or linking's, not the two stacked.
  ReturnFreedMemory();
  // After every write and deletion: a document's earliest copy may have changed or gone.
  StatusOr<LinkStats> linked =
      Timed(&result_->stages, Stage::kLink, [&] { return LinkDuplicates(store_); });
  if (!linked.ok()) return linked.status();
  RunSummary& summary = result_->summary;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return store_->FinishRun(run_id_, summary);
}

StatusOr<RunStart> StartRun(Store* store, const std::string& command_line) {
  StatusOr<int64_t> run_id = store->BeginRun(command_line);
  if (!run_id.ok()) return run_id.status();
  StatusOr<ContentHashIndex> stored = store->ContentHashes();
  if (!stored.ok()) return stored.status();
  return RunStart{*run_id, std::move(*stored)};
}

StatusOr<IngestResult> Ingest(Store* store, const ResourceLoader& resources, const FileSystem& fs,
                              const IngestOptions& options, const InputReport& report,
                              const std::function<void(const IngestProgress&)>& progress) {
  StatusOr<RunStart> run = StartRun(store, options.command_line);
  if (!run.ok()) return run.status();

  IngestResult result;
  BatchWriter writer(store, run->run_id, &result, report);
  SourceWalk walk(fs, options.roots);
  SourceReader reader(fs, &walk, &run->stored, /*remember_ids=*/options.prune);

  PipelineCallbacks callbacks;
  callbacks.read = [&](PipelineFeed* feed) { reader.Read(feed); };
  callbacks.sink = [&](PipelineOutput output) {
    if (const Problem* problem = std::get_if<Problem>(&output)) return writer.Add(*problem);
    StoredDocument& stored = std::get<StoredDocument>(output);
    const bool changed =
        run->stored.Check(stored.doc.id, stored.content_hash) != ContentHashIndex::Seen::kNew;
    return writer.Add(std::move(stored), changed);
  };
  if (progress) {
    const size_t files_total = CountSources(fs, options.roots);
    callbacks.tick = [&, files_total] {
      progress({files_total, reader.files_read(), writer.written(), 0});
    };
  }
  ST_RETURN_IF_ERROR(RunPipeline(resources, options.jobs, callbacks, &result.stages));
  result.ignored = walk.ignored();
  ST_RETURN_IF_ERROR(writer.Flush());

  RunSummary& summary = result.summary;
  summary.files_unchanged = reader.unchanged();
  summary.bytes = static_cast<int64_t>(reader.bytes());
  if (options.prune) {
    StatusOr<std::vector<std::string>> gone =
        GoneDocuments(*store, options.roots, reader.seen_ids());
    if (!gone.ok()) return gone.status();
    ST_RETURN_IF_ERROR(store->Delete(*gone));
    summary.files_pruned = static_cast<int64_t>(gone->size());
  }
  if (options.processed) options.processed();
  ST_RETURN_IF_ERROR(writer.Finish());
  return result;
}

}  // namespace stancetrack
