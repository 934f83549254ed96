#include "pipeline/run_pipeline.h"

#include <malloc.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "pipeline/duplicates.h"
#include "pipeline/language.h"
#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"

namespace stancetrack {
namespace {

// A unit to process, in input order.
struct Work {
  uint64_t seq = 0;
  SourceFile file;
  std::string id;
  std::string hash;
  std::string bytes;
};

// The queues between the reader thread, the workers and the sink. The reader may run at most
// limits::kMaxDocumentsInFlight sequence numbers ahead of the sink, and queue at most
// limits::kMaxBytesQueued bytes for the workers.
class Channel {
 public:
  // Reader side. Blocks while too much is in flight (counting `bytes` more to queue); false once
  // the run is cancelled. Once blocked, it sleeps until kRefill more units fit, not one: on a
  // machine whose cores the workers keep busy, every wake-up is a context switch.
  bool WaitForRoom(uint64_t seq, size_t bytes) {
    std::unique_lock lock(mu_);
    if (!HasRoom(seq, bytes)) {
      reader_wants_ = Want{seq + kRefill - 1, bytes};
      room_.wait(lock, [&] { return cancelled_ || HasRoom(reader_wants_->seq, bytes); });
      reader_wants_.reset();
    }
    return !cancelled_;
  }
  void PushWork(Work work) {
    std::lock_guard lock(mu_);
    queued_bytes_ += work.bytes.size();
    work_.push_back(std::move(work));
    work_ready_.notify_one();
  }
  void PushResult(uint64_t seq, PipelineOutput result) {
    std::lock_guard lock(mu_);
    done_.emplace(seq, std::move(result));
    if (seq == written_) result_ready_.notify_one();  // the sink waits for no other
  }
  void FinishReading(uint64_t total) {
    std::lock_guard lock(mu_);
    total_ = total;
    work_ready_.notify_all();
    result_ready_.notify_all();
  }

  // Worker side: the next unit, or nothing when reading is over and the queue is empty.
  std::optional<Work> PopWork() {
    std::unique_lock lock(mu_);
    work_ready_.wait(lock, [&] { return cancelled_ || !work_.empty() || total_.has_value(); });
    if (cancelled_ || work_.empty()) return std::nullopt;
    Work work = std::move(work_.front());
    work_.pop_front();
    queued_bytes_ -= work.bytes.size();
    WakeReaderIfRoom();
    return work;
  }

  // Sink side: the result of the next sequence number, or nothing after `wait` or when all
  // are taken.
  std::optional<PipelineOutput> PopResult(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    result_ready_.wait_for(lock, wait, [&] { return done_.count(written_) || Finished(); });
    auto it = done_.find(written_);
    if (it == done_.end()) return std::nullopt;
    PipelineOutput result = std::move(it->second);
    done_.erase(it);
    ++written_;
    WakeReaderIfRoom();
    return result;
  }
  bool IsFinished() {
    std::lock_guard lock(mu_);
    return Finished();
  }

  void Cancel() {
    std::lock_guard lock(mu_);
    CancelLocked();
  }
  // Any side: ends the run with `error` (the first one given wins).
  void Fail(Status error) {
    std::lock_guard lock(mu_);
    if (failure_.ok()) failure_ = std::move(error);
    CancelLocked();
  }
  Status failure() {
    std::lock_guard lock(mu_);
    return failure_;
  }

 private:
  // Units the reader queues in one go once it has waited (see WaitForRoom).
  static constexpr uint64_t kRefill = 32;
  static_assert(kRefill <= limits::kMaxDocumentsInFlight);
  struct Want {
    uint64_t seq;  // the last sequence number that must fit
    size_t bytes;
  };

  void CancelLocked() {
    cancelled_ = true;
    room_.notify_all();
    work_ready_.notify_all();
    result_ready_.notify_all();
  }
  bool Finished() const { return cancelled_ || (total_ && written_ == *total_); }
  // Whether unit `seq` of `bytes` may be queued now.
  bool HasRoom(uint64_t seq, size_t bytes) const {
    return seq < written_ + limits::kMaxDocumentsInFlight &&
           (work_.empty() || queued_bytes_ + bytes <= limits::kMaxBytesQueued);
  }
  void WakeReaderIfRoom() {
    if (reader_wants_ && HasRoom(reader_wants_->seq, reader_wants_->bytes)) room_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable room_, work_ready_, result_ready_;
  std::deque<Work> work_;
  size_t queued_bytes_ = 0;  // of work_
  std::map<uint64_t, PipelineOutput> done_;
  uint64_t written_ = 0;
  std::optional<uint64_t> total_;
  bool cancelled_ = false;
  Status failure_;                    // why a worker ended the run
  std::optional<Want> reader_wants_;  // while the reader waits
};

// The reader thread's feed: numbers each unit and problem in the order it arrives.
class ChannelFeed : public PipelineFeed {
 public:
  explicit ChannelFeed(Channel* channel) : channel_(channel) {}

  bool Process(const SourceFile& file, const ReadItem& item) override {
    if (!channel_->WaitForRoom(seq_, item.bytes.size())) return false;
    channel_->PushWork({seq_++, file, item.id, item.content_hash, std::string(item.bytes)});
    return true;
  }
  bool Report(Problem problem) override {
    if (!channel_->WaitForRoom(seq_, 0)) return false;
    channel_->PushResult(seq_++, std::move(problem));
    return true;
  }
  StageTimes* times() override { return &times_; }

  uint64_t count() const { return seq_; }
  const StageTimes& stage_times() const { return times_; }

 private:
  Channel* channel_;
  uint64_t seq_ = 0;
  StageTimes times_;
};

void RunWorker(Channel* channel, const ResourceLoader* loader, StageTimes* times) {
  while (std::optional<Work> work = channel->PopWork()) {
    StatusOr<Document> doc = Timed(times, Stage::kParse, [&] {
      return ParseItem(work->file, {work->id, work->hash, work->bytes});
    });
    if (!doc.ok()) {  // needs no resources: a run that meets only such inputs loads none
      channel->PushResult(work->seq, Problem{work->id, doc.status().message()});
      continue;
    }
    const StatusOr<Resources>& resources = loader->Get();
    if (!resources.ok()) {
      channel->Fail(resources.status());
      return;
    }
    channel->PushResult(work->seq,
                        ProcessDocument(std::move(*doc), std::move(work->hash), *resources, times));
  }
}

// Hands every result to the sink in order until all are taken or the sink fails.
Status Drain(Channel* channel, const PipelineCallbacks& callbacks) {
  while (!channel->IsFinished()) {
    std::optional<PipelineOutput> result = channel->PopResult(std::chrono::milliseconds(200));
    if (result) ST_RETURN_IF_ERROR(callbacks.sink(std::move(*result)));
    if (callbacks.tick) callbacks.tick();
  }
  return Status::Ok();
}

}  // namespace

bool SourceReader::Unchanged(const ReadItem& item) const {
  return skip_ != nullptr &&
         skip_->Check(item.id, item.content_hash) == ContentHashIndex::Seen::kUnchanged;
}

void SourceReader::Read(PipelineFeed* feed) {
  SourceFile file;
  Problem problem;
  for (;;) {
    const SourceFiles::Result r =
        Timed(feed->times(), Stage::kRead, [&] { return files_->Next(&file, &problem); });
    if (r == SourceFiles::Result::kEnd) return;
    const bool go_on = r == SourceFiles::Result::kProblem ? feed->Report(std::move(problem))
                                                          : ReadFile(file, feed);
    if (!go_on) return;
  }
}

bool SourceReader::ReadFile(const SourceFile& file, PipelineFeed* feed) {
  SourceUnits units(fs_, file);
  const SourceUnits::Result end = FeedUnits(units, feed, [&](const ReadItem& item) {
    if (remember_ids_) seen_ids_.insert(item.id);
    if (!Unchanged(item)) return feed->Process(file, item);
    ++unchanged_;
    return true;
  });
  if (end != SourceUnits::Result::kEnd) return false;
  files_read_++;
  bytes_ += units.bytes();
  return true;
}

std::string_view StageName(Stage stage) {
  static constexpr std::string_view kNames[kStageCount] = {
      "read",     "parse",    "normalize", "segment", "boilerplate",
      "language", "annotate", "signature", "write",   "link"};
  return kNames[static_cast<size_t>(stage)];
}

const StatusOr<Resources>& ResourceLoader::Get() const {
  std::call_once(once_, [this] { result_.emplace(load_()); });
  return *result_;
}

Status RunPipeline(const ResourceLoader& resources, int jobs, const PipelineCallbacks& callbacks,
                   StageTimes* times) {
  Channel channel;
  ChannelFeed feed(&channel);
  std::thread reader([&] {
    callbacks.read(&feed);
    channel.FinishReading(feed.count());
  });
  if (jobs <= 0) jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<StageTimes> worker_times(jobs);
  std::vector<std::thread> workers;
  for (int i = 0; i < jobs; ++i) {
    workers.emplace_back(RunWorker, &channel, &resources, &worker_times[i]);
  }
  Status status = Drain(&channel, callbacks);
  if (!status.ok()) channel.Cancel();
  if (status.ok()) status = channel.failure();
  reader.join();
  for (std::thread& worker : workers) worker.join();
  // The workers' malloc arenas keep what they freed, which the main thread cannot reuse: hand
  // it back, so that what runs next (near-duplicate linking over the whole database) does not
  // stack its memory on top of theirs.
  malloc_trim(0);
  if (times != nullptr) {
    times->Add(feed.stage_times());
    for (const StageTimes& t : worker_times) times->Add(t);
  }
  return status;
}

StoredDocument ProcessDocument(Document doc, std::string content_hash, const Resources& resources,
                               StageTimes* times) {
  Timed(times, Stage::kNormalize, [&] { Normalize(&doc); });
  // With the declared language; ICU's sentence rules barely depend on it.
  Timed(times, Stage::kSegment, [&] { Segment(&doc); });
  Timed(times, Stage::kLanguage, [&] { DetectParagraphLanguages(&doc); });
  // Between the two steps of language id: it needs the paragraphs' languages, and the
  // document's counts content only.
  Timed(times, Stage::kBoilerplate, [&] { MarkBoilerplate(&doc, resources.boilerplate); });
  Timed(times, Stage::kLanguage, [&] { IdentifyLanguages(&doc); });
  StoredDocument out;
  out.annotations =
      Timed(times, Stage::kAnnotate, [&] { return Annotate(doc, resources.lexicons); });
  StatusOr<MinHash> signature =
      Timed(times, Stage::kSignature, [&] { return ContentSignature(doc); });
  if (signature.ok()) {
    out.signature = std::move(*signature);
  } else {
    doc.warnings.push_back(signature.status().message());  // stored without one, never linked
  }
  out.doc = std::move(doc);
  out.content_hash = std::move(content_hash);
  return out;
}

}  // namespace stancetrack
