// The processing pipeline shared by `ingest` and `extract`: one reader thread, --jobs workers
// and an in-order sink, with a bounded number of documents in flight.
//
//   reader thread   the caller's `read` function: lists and reads its input in a deterministic
//                   order and hands each unit to the workers (PipelineFeed::Process) or, for
//                   input that yields no document, a Problem straight to the sink (Report)
//   --jobs workers  ParseItem, then ProcessDocument: parse, normalize, segment, mark
//                   boilerplate, identify languages, annotate, sign
//   calling thread  the caller's `sink`, given every result in input order, one at a time
// At most limits::kMaxDocumentsInFlight units are between the reader and the sink, so memory
// does not grow with the corpus; the sink sees the same sequence whatever the number of
// workers, which is what makes ingest and extract deterministic.
//
// Stage timing: each thread adds the wall time of each stage it runs to its own StageTimes
// (steady_clock around each call, a few tens of nanoseconds per stage); RunPipeline sums them
// into the caller's when every thread has joined. The stage functions themselves stay pure.
//
// Errors: a unit that cannot be parsed becomes a Problem for the sink, never an error of the
// run. A non-OK Status from the sink cancels the run: the reader and the workers stop at their
// next step, and RunPipeline returns that Status after joining them.
//
// Thread-safety: RunPipeline owns its threads and joins them before returning. `read` runs on
// the reader thread, `sink` and `tick` on the calling thread; Resources are loaded by the first
// worker that has a document to process (ResourceLoader), then read from every worker at once,
// and must not change during the run.
#ifndef STANCETRACK_PIPELINE_RUN_PIPELINE_H_
#define STANCETRACK_PIPELINE_RUN_PIPELINE_H_

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>

#include "extractors/extract.h"
#include "pipeline/boilerplate.h"
#include "pipeline/reader.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

// What every worker reads besides the document: loaded once per run, shared read-only.
struct Resources {
  const Lexicons& lexicons;
  const BoilerplateRules& boilerplate;
};

// The Resources of a run, made when a worker first needs them: a run in which every input is
// unchanged never compiles the lexicons' patterns, which is most of what such a run would do.
// Get() is safe from many threads: the first call runs `load` and the others wait for it; every
// call returns that one result. What `load` returns must stay valid while the loader is used.
class ResourceLoader {
 public:
  using Load = std::function<StatusOr<Resources>()>;
  explicit ResourceLoader(Load load) : load_(std::move(load)) {}
  // Resources made already (tests, tools); they must outlive the loader.
  ResourceLoader(const Resources& resources)  // NOLINT: implicit, a loader with nothing to load
      : load_([resources] { return StatusOr<Resources>(resources); }) {}

  const StatusOr<Resources>& Get() const;

 private:
  Load load_;
  mutable std::once_flag once_;
  mutable std::optional<StatusOr<Resources>> result_;
};

// The stages whose time `ingest --stats` reports, in pipeline order.
enum class Stage {
  kRead,         // list, read, hash and split sources (reader thread)
  kParse,        // ParseItem: decode and parse one unit into a Document
  kNormalize,    // Normalize
  kSegment,      // Segment
  kBoilerplate,  // MarkBoilerplate
  kLanguage,     // DetectParagraphLanguages and IdentifyLanguages
  kAnnotate,     // Annotate (every extractor)
  kSignature,    // ContentSignature
  kWrite,        // Store::Write (the writer)
  kLink,         // LinkDuplicates (after the last write)
};
inline constexpr size_t kStageCount = static_cast<size_t>(Stage::kLink) + 1;

// "read", "parse", ..., "link": the names --stats prints.
std::string_view StageName(Stage stage);

// Seconds of wall time per stage, summed over the threads that ran it.
struct StageTimes {
  std::array<double, kStageCount> seconds{};

  double& operator[](Stage stage) { return seconds[static_cast<size_t>(stage)]; }
  double operator[](Stage stage) const { return seconds[static_cast<size_t>(stage)]; }
  void Add(const StageTimes& other) {
    for (size_t i = 0; i < kStageCount; ++i) seconds[i] += other.seconds[i];
  }
};

// Runs `f()` and adds its wall time to `stage` of `times` (nothing is measured when `times` is
// null); returns what `f` returns.
template <typename F>
decltype(auto) Timed(StageTimes* times, Stage stage, F&& f) {
  if (times == nullptr) return f();
  struct Clock {
    StageTimes* times;
    Stage stage;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~Clock() {
      (*times)[stage] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } clock{times, stage};
  return f();
}

// Every stage after reading, for one document: normalize, segment, mark boilerplate, identify
// the language (of the content only), annotate, compute the near-duplicate signature. Pure
// apart from adding to `times` (if not null); safe from many threads with distinct `times`.
StoredDocument ProcessDocument(Document doc, std::string content_hash, const Resources& resources,
                               StageTimes* times = nullptr);

// The reader's side of a run, given to the `read` function.
class PipelineFeed {
 public:
  virtual ~PipelineFeed() = default;
  // Hands one unit to the workers (its bytes are copied). Blocks while too many are in flight;
  // false once the run is cancelled, when `read` should return.
  virtual bool Process(const SourceFile& file, const ReadItem& item) = 0;
  // Hands a problem to the sink, in its place in the input order; false once cancelled.
  virtual bool Report(Problem problem) = 0;
  // The reader thread's own stage times (add kRead here).
  virtual StageTimes* times() = 0;
};

// Hands the units of `units` (SourceUnits, JsonlUnits) to `feed`, its problems to Report and
// its units to `on_unit`, which returns false to stop; the time spent reading counts as
// Stage::kRead. Returns the result that ended the loop: kEnd when every unit was handed on,
// kError when the units failed (JsonlUnits), else that of the unit the feed or `on_unit`
// stopped at.
template <typename Units, typename OnUnit>
typename Units::Result FeedUnits(Units& units, PipelineFeed* feed, OnUnit&& on_unit) {
  using Result = typename Units::Result;
  ReadItem item;
  Problem problem;
  for (;;) {
    const Result r =
        Timed(feed->times(), Stage::kRead, [&] { return units.Next(&item, &problem); });
    if (r == Result::kProblem) {
      if (!feed->Report(std::move(problem))) return r;
    } else if (r != Result::kUnit || !on_unit(item)) {
      return r;
    }
  }
}

// The reader of a run over files (ingest, extract). Read() takes each file of `files` in order
// (problems as they come), splits it into units (SourceUnits) and hands each unit to the feed,
// except those `skip` knows with their content hash: unchanged since they were stored. A file
// that cannot be read is a Problem. With `remember_ids`, the ids of every unit read are kept for
// seen_ids() (ingest --prune needs them; memory grows with the corpus only then).
// Read() runs on the reader thread; the counts are safe to read once the run is over,
// files_read() at any time.
class SourceReader {
 public:
  // `fs`, `files` and `skip` (may be null: skip nothing) must outlive the reader; `fs` and
  // `skip` stay unchanged.
  SourceReader(const FileSystem& fs, SourceFiles* files, const ContentHashIndex* skip,
               bool remember_ids)
      : fs_(fs), files_(files), skip_(skip), remember_ids_(remember_ids) {}

  void Read(PipelineFeed* feed);

  size_t files_read() const { return files_read_.load(); }
  const std::unordered_set<std::string>& seen_ids() const { return seen_ids_; }
  int64_t unchanged() const { return unchanged_; }
  uint64_t bytes() const { return bytes_; }

 private:
  // Hands the units of one file to the feed; false once the run is cancelled.
  bool ReadFile(const SourceFile& file, PipelineFeed* feed);
  bool Unchanged(const ReadItem& item) const;

  const FileSystem& fs_;
  SourceFiles* files_;
  const ContentHashIndex* skip_;
  bool remember_ids_;
  std::unordered_set<std::string> seen_ids_;
  int64_t unchanged_ = 0;
  uint64_t bytes_ = 0;
  std::atomic<size_t> files_read_{0};
};

// One result for the sink: the processed document, or why the unit yielded none.
using PipelineOutput = std::variant<StoredDocument, Problem>;

struct PipelineCallbacks {
  std::function<void(PipelineFeed*)> read;     // reader thread; returns when input ends
  std::function<Status(PipelineOutput)> sink;  // calling thread, in input order
  std::function<void()> tick;                  // calling thread, now and then; may be empty
};

// Runs the pipeline with `jobs` workers (0: one per core) until `read` has returned and the
// sink has had every result, or the sink fails, or `resources` fail to load (the run then
// returns their error; problems read before it may have reached the sink, no document has).
// Adds every thread's stage times to `times` (if not null).
Status RunPipeline(const ResourceLoader& resources, int jobs, const PipelineCallbacks& callbacks,
                   StageTimes* times);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_RUN_PIPELINE_H_
