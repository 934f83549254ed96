#include "pipeline/cli.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "extractors/extract.h"
#include "extractors/tsv.h"
#include "pipeline/eval.h"
#include "pipeline/export.h"
#include "pipeline/extract.h"
#include "pipeline/ingest.h"
#include "pipeline/limits.h"
#include "pipeline/load.h"
#include "pipeline/output.h"
#include "pipeline/report.h"
#include "pipeline/views.h"

namespace stancetrack {
namespace {

// Every flag of every subcommand; each handler reads the ones it declared.
struct Flags {
  std::string db = "stancetrack.db";
  std::vector<std::string> paths;
  std::vector<std::string> lexicon_dirs;
  int jobs = 0;
  bool prune = false;
  bool stats = false;
  ExtractOptions extract;
  std::vector<std::string> record_files;
  std::string sql;
  std::string format = "table";
  std::string export_format = "jsonl";
  std::string type, actor, policy, doc, from, to, by = "month", gold, output, title, polarity;
  int top = 20;
  std::string command_line;
};

// Prints "stancetrack: message" and returns the exit status for a failed Status.
int Fail(const Status& status) {
  std::fprintf(stderr, "stancetrack: %s\n", status.message().c_str());
  return status.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitCannotRun;
}

// A run that started and could not finish: its database, a lexicon (loaded at the first document
// to process; a malformed row is InvalidArgument, yet no mistake of the command line) or an
// output failed.
int FailRun(const Status& status) {
  Fail(status);
  return kExitCannotRun;
}

bool StderrIsTerminal() { return isatty(fileno(stderr)); }
bool StdoutWantsColor() { return isatty(fileno(stdout)) && std::getenv("NO_COLOR") == nullptr; }

// SQLite's messages for a file it may not write ("attempt to write a readonly database",
// "unable to open database file") name neither the file nor the cause. The cause is looked up
// here, after the failure and only to explain it: a rollback journal left by an ingest killed
// while it created the database (a reader may not roll it back), the database file that
// cannot be written, or its folder, where SQLite in WAL mode must create DB-wal and DB-shm
// (a reader too, unless they are already there).
Status ExplainAccess(const Status& status, const std::string& db, bool writing) {
  if (status.code() != Status::Code::kIoError || db == ":memory:") return status;
  if (!writing && access((db + "-journal").c_str(), F_OK) == 0) {
    return Status::IoError(status.message() + " (" + db +
                           "-journal was left by an interrupted ingest; the next"
                           " `stancetrack ingest` recovers the database)");
  }
  if (writing && access(db.c_str(), F_OK) == 0 && access(db.c_str(), W_OK) != 0) {
    const int error = errno;
    return Status::IoError(status.message() + " (" + db +
                           " is not writable: " + std::strerror(error) + ")");
  }
  std::string folder = std::filesystem::path(db).parent_path().string();
  if (folder.empty()) folder = ".";
  const bool needs_folder = writing || access((db + "-shm").c_str(), F_OK) != 0;
  if (needs_folder && access(folder.c_str(), W_OK) != 0) {
    const int error = errno;
    return Status::IoError(status.message() + " (the folder " + folder +
                           " is not writable: " + std::strerror(error) + "; SQLite keeps " + db +
                           "-wal and " + db + "-shm beside the database)");
  }
  return status;
}

StatusOr<std::unique_ptr<Store>> OpenForReading(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = Store::Open(f.db, Store::Mode::kReadOnly);
  if (!store.ok()) return ExplainAccess(store.status(), f.db, false);
  return store;
}

// One writing command (ingest, load) per database at a time. SQLite's lock covers one
// transaction, and an ingest commits every limits::kDocumentsPerTransaction documents, so a
// second ingest would slip in between the first one's transactions and redo its work. The lock
// is flock() on the database file itself (no lock file: nothing is written beside the
// database), which Linux keeps apart from SQLite's fcntl() locks. The descriptor must outlive
// the Store: closing any descriptor of a file drops the process's fcntl() locks on it.
class WriterLock {
 public:
  // Waits up to Store::kBusyTimeoutMs for another writer to finish, then gives up with Busy.
  // A file that cannot be opened is not locked: Store::Open then reports why.
  static StatusOr<std::unique_ptr<WriterLock>> Acquire(const std::string& db) {
    auto lock = std::unique_ptr<WriterLock>(new WriterLock);
    if (db == ":memory:") return lock;
    lock->fd_ = open(db.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (lock->fd_ < 0) return lock;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(Store::kBusyTimeoutMs);
    while (flock(lock->fd_, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error != EWOULDBLOCK && error != EINTR) {
        return Status::IoError("lock " + db + ": " + std::strerror(error));
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Busy(db + ": another stancetrack ingest is writing to this database" +
                            " (gave up after " + std::to_string(Store::kBusyTimeoutMs) + " ms)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    return lock;
  }
  ~WriterLock() {
    if (fd_ >= 0) close(fd_);
  }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  static constexpr int kPollMs = 50;
  WriterLock() = default;
  int fd_ = -1;
};

// Takes the writer lock, then opens the database for writing (the lock outlives the Store:
// members are destroyed in reverse order).
struct WritableStore {
  std::unique_ptr<WriterLock> lock;
  std::unique_ptr<Store> store;
};

StatusOr<WritableStore> OpenForWriting(const Flags& f) {
  WritableStore opened;
  StatusOr<std::unique_ptr<WriterLock>> lock = WriterLock::Acquire(f.db);
  if (!lock.ok()) return lock.status();
  opened.lock = std::move(*lock);
  StatusOr<std::unique_ptr<Store>> store = Store::Open(f.db, Store::Mode::kReadWrite);
  if (!store.ok()) return ExplainAccess(store.status(), f.db, true);
  opened.store = std::move(*store);
  return opened;
}

// Says each problem ("path: reason") and warning ("path: warning: reason") on stderr as the
// run meets it; `progress_line`: a progress line is on the terminal, to be cleared first.
InputReport StderrReport(bool progress_line) {
  return [progress_line](const Problem& p, bool stored) {
    std::fprintf(stderr, "%s%s: %s%s\n", progress_line ? "\r\033[K" : "", p.path.c_str(),
                 stored ? "warning: " : "", p.reason.c_str());
  };
}

// Prints the summary of `command` (ingest, load, extract) to `out`; with `stats`, one line per
// stage after it.
void PrintIngestSummary(const IngestResult& r, const char* command, std::FILE* out, bool stats) {
  const RunSummary& s = r.summary;
  double mb = static_cast<double>(s.bytes) / 1e6;
  int64_t processed = s.files_new + s.files_changed;
  std::fprintf(out,
               "%s: %lld new, %lld changed, %lld unchanged, %lld failed, %lld pruned documents;"
               " %zu files ignored\n%s: %.2f MB read in %.2f s (%.2f MB/s, %.0f docs/s)\n",
               command, static_cast<long long>(s.files_new),
               static_cast<long long>(s.files_changed), static_cast<long long>(s.files_unchanged),
               static_cast<long long>(s.files_failed), static_cast<long long>(s.files_pruned),
               r.ignored, command, mb, s.seconds, s.seconds > 0 ? mb / s.seconds : 0.0,
               s.seconds > 0 ? processed / s.seconds : 0.0);
  if (s.files_failed > 0) {
    std::fprintf(out, "%s: finished, with %lld input(s) not stored (listed above)\n", command,
                 static_cast<long long>(s.files_failed));
  }
  if (!stats) return;
  double total = 0;
  for (double seconds : r.stages.seconds) total += seconds;
  for (size_t i = 0; i < kStageCount; ++i) {
    const double seconds = r.stages.seconds[i];
    std::fprintf(out, "%s: stage %s %.3f s (%.1f%%)\n", command,
                 std::string(StageName(static_cast<Stage>(i))).c_str(), seconds,
                 total > 0 ? 100 * seconds / total : 0.0);
  }
}

// The lexicons and boilerplate rules of the default folder plus --lexicon folders.
struct LoadedResources {
  Lexicons lexicons;
  BoilerplateRules boilerplate;
};

StatusOr<LoadedResources> LoadResources(const Flags& f) {
  std::vector<std::string> dirs = {DefaultLexiconDir()};
  dirs.insert(dirs.end(), f.lexicon_dirs.begin(), f.lexicon_dirs.end());
  // Each compiles many patterns: the rules on a second thread while the lexicons load.
  std::future<StatusOr<BoilerplateRules>> loading_boilerplate =
      std::async(std::launch::async, [&dirs] { return BoilerplateRules::Load(dirs); });
  StatusOr<Lexicons> lexicons = Lexicons::Load(dirs);
  StatusOr<BoilerplateRules> boilerplate = loading_boilerplate.get();
  if (!lexicons.ok()) return lexicons.status();
  if (!boilerplate.ok()) return boilerplate.status();
  return LoadedResources{std::move(*lexicons), std::move(*boilerplate)};
}

// Loads the resources into `*loaded` when the pipeline first needs them: a run whose inputs
// are all unchanged compiles none of the lexicons' patterns. `loaded` must outlive the loader.
ResourceLoader LoadOnFirstUse(const Flags& f, std::optional<LoadedResources>* loaded) {
  return ResourceLoader([&f, loaded]() -> StatusOr<Resources> {
    StatusOr<LoadedResources> resources = LoadResources(f);
    if (!resources.ok()) return resources.status();
    loaded->emplace(std::move(*resources));
    return Resources{(*loaded)->lexicons, (*loaded)->boilerplate};
  });
}

int RunIngest(const Flags& f) {
  // Freed before linking, which does not use them (options.processed below): the lexicons'
  // compiled patterns are the largest thing in memory.
  std::optional<LoadedResources> loaded;
  const ResourceLoader resources = LoadOnFirstUse(f, &loaded);
  StatusOr<WritableStore> opened = OpenForWriting(f);
  if (!opened.ok()) return Fail(opened.status());
  std::function<void(const IngestProgress&)> progress;
  if (StderrIsTerminal()) {
    progress = [](const IngestProgress& p) {
      std::fprintf(stderr, "\r%zu/%zu files read, %zu documents stored", p.files_read,
                   p.files_total, p.documents_written);
    };
  }
  IngestOptions options{f.paths, f.jobs, f.prune, f.command_line, [&loaded] { loaded.reset(); }};
  StatusOr<IngestResult> result = Ingest(opened->store.get(), resources, RealFileSystem(), options,
                                         StderrReport(static_cast<bool>(progress)), progress);
  if (progress) std::fprintf(stderr, "\n");
  if (!result.ok()) return FailRun(ExplainAccess(result.status(), f.db, true));
  PrintIngestSummary(*result, "ingest", stdout, f.stats);
  return result->summary.files_failed == 0 ? kExitOk : kExitInputsSkipped;
}

// Records go to stdout, so the summary goes to stderr.
int RunExtract(const Flags& f) {
  ExtractOptions options = f.extract;
  options.jobs = f.jobs;
  if (Status valid = ValidateExtractOptions(options); !valid.ok()) return Fail(valid);
  std::optional<LoadedResources> loaded;
  StatusOr<IngestResult> result = Extract(LoadOnFirstUse(f, &loaded), RealFileSystem(), options,
                                          StderrReport(false), stdin, &std::cout);
  if (!result.ok()) return FailRun(result.status());
  PrintIngestSummary(*result, "extract", stderr, f.stats);
  return result->summary.files_failed == 0 ? kExitOk : kExitInputsSkipped;
}

int RunLoad(const Flags& f) {
  StatusOr<WritableStore> opened = OpenForWriting(f);
  if (!opened.ok()) return Fail(opened.status());
  StatusOr<IngestResult> result =
      Load(opened->store.get(), {f.record_files, f.command_line}, StderrReport(false), stdin);
  if (!result.ok()) return Fail(ExplainAccess(result.status(), f.db, true));
  PrintIngestSummary(*result, "load", stdout, f.stats);
  return result->summary.files_failed == 0 ? kExitOk : kExitInputsSkipped;
}

int RunQuery(const Flags& f) {
  StatusOr<OutputFormat> format = ParseOutputFormat(f.format);
  if (!format.ok()) return Fail(format.status());
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  RowPrinter printer(*format, &std::cout);
  Status status = (*store)->Query(f.sql, {}, [&](const auto& columns, const auto& row) {
    printer.Add(columns, row);
    return printer.rows() < limits::kMaxQueryRows;
  });
  printer.Finish();
  return status.ok() ? kExitOk : Fail(status);
}

int RunEval(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  std::ostringstream records;
  StatusOr<size_t> written = ExportDocuments(**store, "", &records);
  if (!written.ok()) return Fail(written.status());
  StatusOr<EvalReport> report = Evaluate(f.gold, records.str(), f.db);
  if (!report.ok()) return Fail(report.status());
  std::cout << FormatReport(*report);
  return kExitOk;
}

int RunExport(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  StatusOr<size_t> written = f.export_format == "dna"
                                 ? ExportDnaStatements(**store, f.policy, &std::cout)
                                 : ExportDocuments(**store, f.policy, &std::cout);
  return written.ok() ? kExitOk : Fail(written.status());
}

// Runs a view that prints rows in --format.
int RunRowView(const Flags& f, const std::function<Status(const Store&, RowPrinter*)>& view) {
  StatusOr<OutputFormat> format = ParseOutputFormat(f.format);
  if (!format.ok()) return Fail(format.status());
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  RowPrinter printer(*format, &std::cout);
  Status status = view(**store, &printer);
  printer.Finish();
  return status.ok() ? kExitOk : Fail(status);
}

int RunEntities(const Flags& f) {
  return RunRowView(
      f, [&](const Store& s, RowPrinter* p) { return PrintEntities(s, f.type, f.top, p); });
}

int RunStances(const Flags& f) {
  return RunRowView(f, [&](const Store& s, RowPrinter* p) {
    return PrintStances(s, f.actor, f.policy, f.polarity, p);
  });
}

int RunShow(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  Status status = ShowDocument(**store, f.doc, StdoutWantsColor(), &std::cout);
  return status.ok() ? kExitOk : Fail(status);
}

int RunTimeline(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  TimelineOptions options{f.policy, f.actor, f.from, f.to, f.by};
  Status status = PrintTimeline(**store, options, f.format, StdoutWantsColor(), &std::cout);
  return status.ok() ? kExitOk : Fail(status);
}

// Writes the report next to its destination and renames it into place, so an interrupted run
// never leaves half a page under the user's name.
int RunReport(const Flags& f) {
  StatusOr<std::unique_ptr<Store>> store = OpenForReading(f);
  if (!store.ok()) return Fail(store.status());
  std::string partial = f.output + ".partial";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::IoError("report: cannot write " + partial));
  ReportOptions options;
  options.timeline = {f.policy, f.actor, f.from, f.to, f.by};
  if (!f.title.empty()) options.title = f.title;
  Status status = WriteReport(**store, options, &out);
  out.close();
  std::error_code error;
  if (status.ok() && !out) status = Status::IoError("report: writing " + partial + " failed");
  if (status.ok()) std::filesystem::rename(partial, f.output, error);
  if (status.ok() && error) {
    status = Status::IoError("report: cannot rename " + partial + ": " + error.message());
  }
  if (!status.ok()) {
    std::filesystem::remove(partial, error);
    return Fail(status);
  }
  std::fprintf(stderr, "report: wrote %s\n", f.output.c_str());
  return kExitOk;
}

struct Command {
  const char* name;
  const char* help;
  void (*declare)(CLI::App*, Flags*);
  int (*run)(const Flags&);
  bool no_database = false;  // no --db flag: the command never opens one
};

void LexiconFlags(CLI::App* app, Flags* f) {
  app->add_option("--jobs,-j", f->jobs, "worker threads (default: one per core)");
  app->add_option("--lexicon", f->lexicon_dirs, "a folder of lexicon TSVs to add")
      ->check(CLI::ExistingDirectory);
}

void StatsFlag(CLI::App* app, Flags* f) {
  app->add_flag("--stats", f->stats,
                "after the summary, the time spent per stage (summed over threads), one line"
                " each: '<command>: stage NAME SECONDS s (PERCENT%)'");
}

void FormatFlag(CLI::App* app, std::string* format, std::vector<std::string> choices) {
  app->add_option("--format", *format, "output format")
      ->check(CLI::IsMember(choices))
      ->capture_default_str();
}

const Command kCommands[] = {
    {"ingest", "read files and folders recursively, process them, store the results",
     [](CLI::App* app, Flags* f) {
       app->add_option("paths", f->paths, "files and folders of articles")->required();
       LexiconFlags(app, f);
       app->add_flag("--prune", f->prune, "delete stored documents whose files are gone");
       StatsFlag(app, f);
     },
     RunIngest},
    {"extract",
     "process the files and folders listed on stdin (or, --jsonl, articles) into records on"
     " stdout for `load`, with no database: the map step across machines",
     [](CLI::App* app, Flags* f) {
       LexiconFlags(app, f);
       app->add_option("--root", f->extract.root,
                       "document ids are paths relative to this folder (default: as ingest"
                       " names them: relative to a listed folder, or a listed file's name)");
       app->add_flag("--jsonl", f->extract.jsonl,
                     "stdin holds articles as JSON lines (title, text, url, published, ...)");
       app->add_option("--name", f->extract.name,
                       "--jsonl: ids are NAME#LINE, as ingest names the lines of a file NAME")
           ->capture_default_str();
       app->add_option("--id-field", f->extract.id_field,
                       "--jsonl: take each document id from this field instead (e.g. id)");
       StatsFlag(app, f);
     },
     RunExtract, true},
    {"load",
     "store the records written by `extract` (incremental, as ingest), record their problems,"
     " link near-duplicates",
     [](CLI::App* app, Flags* f) {
       app->add_option("files", f->record_files, "files of records; - reads stdin")->required();
       StatsFlag(app, f);
     },
     RunLoad},
    {"query", "run one read-only SQL statement",
     [](CLI::App* app, Flags* f) {
       app->add_option("sql", f->sql, "the statement")->required();
       FormatFlag(app, &f->format, {"table", "csv", "json", "jsonl"});
     },
     RunQuery},
    {"export",
     "write one JSON record per document (the shape eval and score.py read), or with --format"
     " dna the actor-concept-agreement statements of Discourse Network Analyzer as CSV",
     [](CLI::App* app, Flags* f) {
       FormatFlag(app, &f->export_format, {"jsonl", "dna"});
       app->add_option("--policy", f->policy,
                       "only documents about this policy id (dna: only stances on it)");
     },
     RunExport},
    {"entities", "the entities named most, by documents",
     [](CLI::App* app, Flags* f) {
       app->add_option("--type", f->type, "company, organization, person, country or policy")
           ->check(CLI::IsMember({"company", "organization", "person", "country", "policy"}));
       app->add_option("--top", f->top, "how many")->capture_default_str();
       FormatFlag(app, &f->format, {"table", "csv", "json", "jsonl"});
     },
     RunEntities},
    {"stances", "every stance with its evidence sentence",
     [](CLI::App* app, Flags* f) {
       app->add_option("--actor", f->actor, "only this actor");
       app->add_option("--policy", f->policy, "only this policy id");
       app->add_option("--polarity", f->polarity, "only this polarity")
           ->check(CLI::IsMember({"support", "oppose", "mixed"}));
       FormatFlag(app, &f->format, {"table", "csv", "json", "jsonl"});
     },
     RunStances},
    {"show", "one document with its annotations marked",
     [](CLI::App* app, Flags* f) {
       app->add_option("doc", f->doc, "the document path as stored (see export)")->required();
     },
     RunShow},
    {"timeline", "each actor's stance toward a policy over time, with change points",
     [](CLI::App* app, Flags* f) {
       app->add_option("--policy", f->policy, "policy id, e.g. ai-diffusion-rule");
       app->add_option("--actor", f->actor, "only this actor");
       app->add_option("--from", f->from, "first date, YYYY-MM-DD");
       app->add_option("--to", f->to, "last date, YYYY-MM-DD");
       app->add_option("--by", f->by, "period")
           ->check(CLI::IsMember({"month", "week", "day"}))
           ->capture_default_str();
       FormatFlag(app, &f->format, {"table", "csv", "json", "svg"});
     },
     RunTimeline},
    {"report", "a self-contained HTML report: timeline charts and the evidence behind each point",
     [](CLI::App* app, Flags* f) {
       app->add_option("-o,--output", f->output, "the HTML file to write")->required();
       app->add_option("--policy", f->policy, "only this policy id");
       app->add_option("--actor", f->actor, "only this actor");
       app->add_option("--from", f->from, "first date, YYYY-MM-DD");
       app->add_option("--to", f->to, "last date, YYYY-MM-DD");
       app->add_option("--title", f->title, "the page title (default: Stance report)");
     },
     RunReport},
    {"eval", "precision, recall and F1 of the database against gold records (as score.py)",
     [](CLI::App* app, Flags* f) {
       app->add_option("--gold", f->gold, "folder of NAME.json gold records")
           ->required()
           ->check(CLI::ExistingDirectory);
     },
     RunEval},
};

std::string CommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{
      "stancetrack: who said what about which rule, from folders of articles.\n"
      "Exit status: 0 done; 1 done, some inputs not stored; 2 bad command line;\n"
      "3 could not run (database, lexicon, output); 4 internal error.",
      "stancetrack"};
  app.require_subcommand(1);
  Flags flags;
  flags.command_line = CommandLine(argc, argv);
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    if (!command.no_database) {
      sub->add_option("--db", flags.db, "the database file")->capture_default_str();
    }
    command.declare(sub, &flags);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& command : kCommands) {
    if (app.got_subcommand(command.name)) return command.run(flags);
  }
  return kExitUsage;
}

}  // namespace stancetrack
