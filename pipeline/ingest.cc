#include "pipeline/ingest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "pipeline/duplicates.h"
#include "pipeline/language.h"
#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace stancetrack {
namespace {

enum class Change { kNew, kChanged };

// A document to process, in input order.
struct Work {
  uint64_t seq = 0;
  SourceFile file;
  std::string id;
  std::string hash;
  std::string bytes;
  Change change = Change::kNew;
};

// What the writer receives for each sequence number: a document to store or a problem.
struct Result {
  std::optional<StoredDocument> stored;
  std::optional<Problem> problem;
  Change change = Change::kNew;
};

// The queues between the reader thread, the workers and the writer. The reader may run at most
// limits::kMaxDocumentsInFlight sequence numbers ahead of the writer.
class Channel {
 public:
  // Reader side. Blocks while too much is in flight; false once the run is cancelled.
  bool WaitForRoom(uint64_t seq) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return cancelled_ || seq < written_ + limits::kMaxDocumentsInFlight; });
    return !cancelled_;
  }
  void PushWork(Work work) {
    std::lock_guard lock(mu_);
    work_.push_back(std::move(work));
    work_ready_.notify_one();
  }
  void PushResult(uint64_t seq, Result result) {
    std::lock_guard lock(mu_);
    done_.emplace(seq, std::move(result));
    result_ready_.notify_all();
  }
  void FinishReading(uint64_t total) {
    std::lock_guard lock(mu_);
    total_ = total;
    work_ready_.notify_all();
    result_ready_.notify_all();
  }

  // Worker side: the next document, or nothing when reading is over and the queue is empty.
  std::optional<Work> PopWork() {
    std::unique_lock lock(mu_);
    work_ready_.wait(lock, [&] { return cancelled_ || !work_.empty() || total_.has_value(); });
    if (cancelled_ || work_.empty()) return std::nullopt;
    Work work = std::move(work_.front());
    work_.pop_front();
    return work;
  }

  // Writer side: the result of the next sequence number, or nothing when all are written.
  std::optional<Result> PopResult(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    result_ready_.wait_for(lock, wait, [&] { return done_.count(written_) || Finished(); });
    auto it = done_.find(written_);
    if (it == done_.end()) return std::nullopt;
    Result result = std::move(it->second);
    done_.erase(it);
    ++written_;
    room_.notify_all();
    return result;
  }
  bool Finished() const { return cancelled_ || (total_ && written_ == *total_); }
  bool IsFinished() {
    std::lock_guard lock(mu_);
    return Finished();
  }

  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    room_.notify_all();
    work_ready_.notify_all();
    result_ready_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable room_, work_ready_, result_ready_;
  std::deque<Work> work_;
  std::map<uint64_t, Result> done_;
  uint64_t written_ = 0;
  std::optional<uint64_t> total_;
  bool cancelled_ = false;
};

struct ReaderState {
  const FileSystem* fs = nullptr;
  const std::unordered_map<std::string, std::string>* stored_hashes = nullptr;
  Channel* channel = nullptr;
  SourceList sources;
  // Filled by the reader thread, read by the writer after join().
  std::unordered_set<std::string> seen_ids;
  int64_t unchanged = 0;
  uint64_t bytes = 0;
  std::atomic<size_t> files_read{0};
};

// Reads every source in order; hands each new or changed document to the workers and each
// problem straight to the writer.
void ReadSources(ReaderState* state) {
  uint64_t seq = 0;
  auto problem = [&](Problem p) {
    if (!state->channel->WaitForRoom(seq)) return false;
    state->channel->PushResult(seq++, Result{std::nullopt, std::move(p)});
    return true;
  };
  for (const Problem& p : state->sources.problems) {
    if (!problem(p)) return;
  }
  for (const SourceFile& file : state->sources.files) {
    StatusOr<std::string> bytes = state->fs->ReadFile(file.path, limits::kMaxDocumentBytes);
    state->files_read++;
    if (!bytes.ok()) {
      if (!problem({file.id, bytes.status().message()})) return;
      continue;
    }
    state->bytes += bytes->size();
    for (ReadItem& item : SplitSource(file, *bytes)) {
      state->seen_ids.insert(item.id);
      auto stored = state->stored_hashes->find(item.id);
      if (stored != state->stored_hashes->end() && stored->second == item.content_hash) {
        ++state->unchanged;
        continue;
      }
      if (!state->channel->WaitForRoom(seq)) return;
      Change change = stored == state->stored_hashes->end() ? Change::kNew : Change::kChanged;
      state->channel->PushWork({seq++, file, std::move(item.id), std::move(item.content_hash),
                                std::string(item.bytes), change});
    }
  }
  state->channel->FinishReading(seq);
}

void RunWorker(Channel* channel, const Resources* resources) {
  while (std::optional<Work> work = channel->PopWork()) {
    Result result;
    result.change = work->change;
    StatusOr<Document> doc = ParseItem(work->file, {work->id, work->hash, work->bytes});
    if (doc.ok()) {
      result.stored = ProcessDocument(std::move(*doc), std::move(work->hash), *resources);
    } else {
      result.problem = Problem{work->id, doc.status().message()};
    }
    channel->PushResult(work->seq, std::move(result));
  }
}

// The writer's side of a run: batches results into transactions, records problems.
class Writer {
 public:
  Writer(Store* store, int64_t run_id, IngestResult* result)
      : store_(store), run_id_(run_id), result_(result) {}

  Status Add(Result result) {
    if (result.problem) {
      ++result_->summary.files_failed;
      result_->problems.push_back(*result.problem);
      return store_->RecordError(run_id_, result.problem->path, result.problem->reason);
    }
    ++(result.change == Change::kNew ? result_->summary.files_new : result_->summary.files_changed);
    for (const std::string& warning : result.stored->doc.warnings) {
      result_->warnings.push_back({result.stored->doc.id, warning});
    }
    batch_.push_back(std::move(*result.stored));
    return batch_.size() >= limits::kDocumentsPerTransaction ? Flush() : Status::Ok();
  }

  Status Flush() {
    if (batch_.empty()) return Status::Ok();
    Status status = store_->Write(run_id_, batch_);
    written_ += batch_.size();
    batch_.clear();
    return status;
  }

  size_t written() const { return written_; }

 private:
  Store* store_;
  int64_t run_id_;
  IngestResult* result_;
  std::vector<StoredDocument> batch_;
  size_t written_ = 0;
};

Status WriteResults(Channel* channel, Writer* writer, const ReaderState& reader,
                    const std::function<void(const IngestProgress&)>& progress) {
  while (!channel->IsFinished()) {
    std::optional<Result> result = channel->PopResult(std::chrono::milliseconds(200));
    if (result) ST_RETURN_IF_ERROR(writer->Add(std::move(*result)));
    if (progress) {
      progress({reader.sources.files.size(), reader.files_read.load(), writer->written(), 0});
    }
  }
  return writer->Flush();
}

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

}  // namespace

StatusOr<IngestResult> Ingest(Store* store, const Resources& resources, const FileSystem& fs,
                              const IngestOptions& options,
                              const std::function<void(const IngestProgress&)>& progress) {
  auto start = std::chrono::steady_clock::now();
  StatusOr<int64_t> run_id = store->BeginRun(options.command_line);
  if (!run_id.ok()) return run_id.status();
  StatusOr<std::unordered_map<std::string, std::string>> hashes = store->ContentHashes();
  if (!hashes.ok()) return hashes.status();

  IngestResult result;
  Channel channel;
  ReaderState reader;
  reader.fs = &fs;
  reader.stored_hashes = &*hashes;
  reader.channel = &channel;
  reader.sources = ListSources(fs, options.roots);
  result.ignored = reader.sources.ignored;
  std::thread reader_thread(ReadSources, &reader);
  int jobs = options.jobs > 0 ? options.jobs
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::thread> workers;
  for (int i = 0; i < jobs; ++i) workers.emplace_back(RunWorker, &channel, &resources);

  Writer writer(store, *run_id, &result);
  Status status = WriteResults(&channel, &writer, reader, progress);
  if (!status.ok()) channel.Cancel();
  reader_thread.join();
  for (std::thread& worker : workers) worker.join();
  ST_RETURN_IF_ERROR(status);

  RunSummary& summary = result.summary;
  summary.files_unchanged = reader.unchanged;
  summary.bytes = static_cast<int64_t>(reader.bytes);
  if (options.prune) {
    StatusOr<std::vector<std::string>> gone = GoneDocuments(*store, options.roots, reader.seen_ids);
    if (!gone.ok()) return gone.status();
    ST_RETURN_IF_ERROR(store->Delete(*gone));
    summary.files_pruned = static_cast<int64_t>(gone->size());
  }
  // After every write and deletion: a document's earliest copy may have changed or gone.
  if (StatusOr<LinkStats> linked = LinkDuplicates(store); !linked.ok()) return linked.status();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ST_RETURN_IF_ERROR(store->FinishRun(*run_id, summary));
  return result;
}

StoredDocument ProcessDocument(Document doc, std::string content_hash, const Resources& resources) {
  Normalize(&doc);
  Segment(&doc);  // with the declared language; ICU's sentence rules barely depend on it
  MarkBoilerplate(&doc, resources.boilerplate);  // before language id: it counts content only
  IdentifyLanguages(&doc);
  StoredDocument out;
  out.annotations = Annotate(doc, resources.lexicons);
  if (StatusOr<MinHash> signature = ContentSignature(doc); signature.ok()) {
    out.signature = std::move(*signature);
  } else {
    doc.warnings.push_back(signature.status().message());  // stored without one, never linked
  }
  out.doc = std::move(doc);
  out.content_hash = std::move(content_hash);
  return out;
}

}  // namespace stancetrack
