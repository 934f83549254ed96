// Store: the SQLite database that holds every document, its annotations and the runs.
//
// The schema (tables, columns, indexes, the FTS5 index) is documented in README.md, section
// "The database", and created by the migrations in store.cc; PRAGMA user_version records the
// schema version, and opening a database of a newer version is refused. The database runs in
// WAL mode with foreign keys on, so readers (query, export) see a consistent state while an
// ingest writes.
//
// Writes: Write() stores a batch of documents in one transaction; a document that is already
// stored under the same path is replaced whole (its old sentences, mentions, stances... are
// deleted first), so a changed file never leaves a mix of old and new results.
//
// Ownership: a Store owns its sqlite3 connection; close by destroying it. Thread-safety: one
// Store per thread (the ingest driver has one writer thread that owns the only writing Store).
// Errors: every method returns a Status carrying SQLite's message and the statement's purpose;
// a second writer gets Status::Busy after kBusyTimeoutMs. A failed Write leaves the database as
// it was before the call.
//
// Query() is the door for user SQL (`stancetrack query`, exports): it runs exactly one statement
// and refuses, in either mode, anything that would change the database or the connection
// (INSERT/UPDATE/DELETE/DDL, ATTACH/DETACH, BEGIN/COMMIT/SAVEPOINT, PRAGMA with a value).
// In kReadOnly the file is also opened read-only and extension loading is off.
#ifndef STANCETRACK_PIPELINE_STORE_H_
#define STANCETRACK_PIPELINE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "extractors/annotations.h"
#include "pipeline/document.h"
#include "pipeline/status.h"

struct sqlite3;

namespace stancetrack {

// One SQL value as SQLite returns it (BLOBs come back as strings).
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// A value read as the type a caller expects; anything else (NULL, another type) reads as
// "" or 0, which is what the views show for a missing field.
inline std::string TextOf(const Value& v) {
  const std::string* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}
// The same without a copy, for rows read by the hundred thousand: valid until the row callback
// returns.
inline std::string_view TextViewOf(const Value& v) {
  const std::string* s = std::get_if<std::string>(&v);
  return s ? std::string_view(*s) : std::string_view();
}
inline int64_t IntOf(const Value& v) {
  const int64_t* i = std::get_if<int64_t>(&v);
  return i ? *i : 0;
}
inline double RealOf(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}

// A processed document ready to be stored.
struct StoredDocument {
  Document doc;
  Annotations annotations;
  std::string content_hash;  // hex digest of the file's bytes (or the JSONL line's)
  std::string duplicate_of;  // path of the earlier near-duplicate, empty if none
  // MinHash of the content text (pipeline/duplicates.h); empty: too little text to compare.
  std::vector<uint32_t> signature;
};

// A new duplicate_of for the document at `path` (empty: NULL).
struct DuplicateLink {
  std::string path;
  std::string duplicate_of;
};

// What one ingest run did, kept in the runs table.
struct RunSummary {
  int64_t files_new = 0;
  int64_t files_changed = 0;
  int64_t files_unchanged = 0;
  int64_t files_failed = 0;
  int64_t files_pruned = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

class LinkSession;

// The content hash of every stored document, by path: what an incremental run compares with.
// Both are kept as 64-bit hashes, so it takes about 40 bytes a document whatever the lengths
// of paths (a run over a million stored documents holds 40 MB, not 200). Only two paths, or
// two contents, whose 64-bit hashes collide (a chance of 2^-64 for a pair) could make a changed
// document pass for unchanged. Not thread-safe; readers may share a const one.
class ContentHashIndex {
 public:
  enum class Seen { kNew, kChanged, kUnchanged };

  // Whether `path` is stored, and whether with `content_hash`.
  Seen Check(std::string_view path, std::string_view content_hash) const;
  // Check(), then records `content_hash` as the one of `path`.
  Seen Update(std::string_view path, std::string_view content_hash);
  size_t size() const { return hashes_.size(); }

 private:
  std::unordered_map<uint64_t, uint64_t> hashes_;  // path's hash -> content hash's hash
};

class Store {
 public:
  enum class Mode {
    kReadWrite,  // creates the file and migrates the schema if needed
    kReadOnly,   // refuses every statement that would write; ATTACH and extensions are off
  };

  // The schema version this build writes (PRAGMA user_version after migrating).
  static constexpr int kSchemaVersion = 8;
  // How long a writer waits for another writer's transaction before giving up with kBusy:
  // long enough to ride out a commit of kDocumentsPerTransaction documents, short enough that a
  // second `stancetrack ingest` on the same file reports the conflict promptly.
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens (and in kReadWrite, creates or migrates) the database at `path` (":memory:" for tests).
  // Errors: kReadOnly on a missing file is NotFound; a schema newer than kSchemaVersion is
  // Unsupported (in kReadOnly, so is an older one: only an ingest migrates).
  static StatusOr<std::unique_ptr<Store>> Open(const std::string& path, Mode mode);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Starts a run row; returns its id. On a database without documents (a first load), it also
  // drops the index mentions_by_entity, which BuildDeferredIndexes builds again in one pass
  // (store.cc says why); readers meanwhile find mentions by entity without it, slower.
  StatusOr<int64_t> BeginRun(const std::string& command_line);
  // Builds the indexes BeginRun deferred; nothing to do when none were. Opening for writing
  // calls it too, for a first load that stopped before it.
  Status BuildDeferredIndexes();
  Status FinishRun(int64_t run_id, const RunSummary& summary);

  // The content hash of every stored document.
  StatusOr<ContentHashIndex> ContentHashes() const;

  // Stores the batch in one transaction (see the file comment). Documents are written in the
  // order given, which the caller keeps deterministic.
  Status Write(int64_t run_id, const std::vector<StoredDocument>& batch);

  // Starts near-duplicate linking (LinkSession, below) with `rules`, the linking rules'
  // description that LinkSession::Finish records. Errors: Busy, as Write; Internal when
  // opened read-only.
  StatusOr<std::unique_ptr<LinkSession>> BeginLinking(std::string_view rules);

  // Sets duplicate_of of each listed document, in one transaction. Errors: NotFound (and
  // nothing written) when a path is not stored.
  Status SetDuplicates(const std::vector<DuplicateLink>& links);

  // Records that `path` could not be read or processed in this run, and why.
  Status RecordError(int64_t run_id, const std::string& path, const std::string& reason);

  // Deletes the documents (and all their rows) whose paths are listed.
  Status Delete(const std::vector<std::string>& paths);

  // Runs one read-only statement with `params` bound to ?1, ?2...; calls `row` with the column
  // names and values of each result row until it returns false. A statement that would change
  // the database is refused with a message that says so, whatever the mode. `row` may run
  // further Query() calls on this Store (nested reads), but must not write through it.
  using RowCallback =
      std::function<bool(const std::vector<std::string>& columns, const std::vector<Value>& row)>;
  Status Query(std::string_view sql, const std::vector<Value>& params,
               const RowCallback& row) const;

  // Runs `body` inside one read transaction, so that all its Query() calls see the same state
  // of the database, whatever an ingest commits meanwhile (a reader of several queries, such
  // as a timeline, is never torn). Returns body's status, or the Store's.
  Status InReadSnapshot(const std::function<Status()>& body) const;

 private:
  struct Writer;  // the prepared write statements and the entity id cache (store.cc)

  friend class LinkSession;  // runs its statements in this Store's write transaction

  explicit Store(sqlite3* db);
  // Non-OK if this Store was opened read-only; `what` names the refused operation.
  Status CheckWritable(std::string_view what) const;
  // Runs `body` between BEGIN IMMEDIATE and COMMIT; rolls back if it or the commit fails.
  Status InTransaction(const std::function<Status()>& body);
  // sqlite3_set_authorizer callback; `guard` is this Store's query_guard_.
  static int QueryAuthorizer(void* guard, int action, const char* arg1, const char* arg2,
                             const char* database, const char* trigger);

  sqlite3* db_;
  std::unique_ptr<Writer> writer_;  // null in kReadOnly
  // State of the authorizer that guards Query(). SQLite calls it while compiling; it reports
  // why it refused through here, since its return value can only say "denied".
  struct QueryGuard {
    bool always = false;  // kReadOnly: every statement is user SQL
    int depth = 0;        // Query() calls in progress (nested ones come from row callbacks)
    std::string refusal;  // why the last statement was refused
  };
  mutable QueryGuard query_guard_;
};

// The data of near-duplicate linking (pipeline/duplicates.h runs the algorithm), kept so that
// memory does not grow with the database: the documents that have a signature, ranked earliest
// first (published date, dated before undated, then path); numbered streams of byte chunks that
// the algorithm spills its records to; the originals found so far in each large bucket; and the
// links found. All of it lives in a temporary database attached to the Store's connection,
// which SQLite keeps in a file (temp_store = FILE) past its page cache, and deletes at the end.
//
// Skipping: the schema clears the recorded rules whenever a document is inserted, deleted,
// re-dated or re-signed, or a link is set (triggers, store.cc), and Finish() records them; a
// session whose rules equal the recorded ones is up_to_date() and holds nothing: no document
// changed since the links were computed the same way, so no link can change.
//
// A session is one write transaction on its Store: Finish() writes the duplicate_of values that
// changed and commits; a session destroyed before Finish() succeeds rolls back, leaving the
// database as it was. The Store must outlive the session and is not used for anything else
// meanwhile. One thread. Errors: the Store's (with each statement's purpose), and those noted.
class LinkSession {
 public:
  ~LinkSession();
  LinkSession(const LinkSession&) = delete;
  LinkSession& operator=(const LinkSession&) = delete;

  // True when there is nothing to do (see above); then no other method may be called.
  bool up_to_date() const { return up_to_date_; }
  // How many documents have a signature: their ranks are 0 to documents() - 1.
  uint32_t documents() const { return documents_; }

  // Calls `each` with the rank and signature of every document that has one, rank ascending.
  // Errors: Corruption, naming the document, for a stored signature that is not `size` 32-bit
  // values; whatever `each` returns.
  using SignatureFn = std::function<Status(uint32_t rank, const std::vector<uint32_t>& signature)>;
  Status ForEachSignature(size_t size, const SignatureFn& each);

  // The signature of the document of `rank`.
  StatusOr<std::vector<uint32_t>> Signature(uint32_t rank);

  // Appends `bytes` to stream `stream`; ForEachChunk calls `each` with the chunks of a stream in
  // the order they were appended.
  Status AppendChunk(uint32_t stream, std::string_view bytes);
  Status ForEachChunk(uint32_t stream, const std::function<Status(std::string_view)>& each);

  // The originals of a bucket: AddOriginal records one; LatestOriginals sets `ranks` to the
  // last `limit` recorded (highest ranks), ascending.
  Status AddOriginal(uint32_t bucket, uint32_t rank);
  Status LatestOriginals(uint32_t bucket, size_t limit, std::vector<uint32_t>* ranks);

  // The document of `rank` duplicates the one of rank `original`. At most once per rank.
  Status SetDuplicate(uint32_t rank, uint32_t original);

  // Sets duplicate_of to the SetDuplicate() links (NULL for every other document) where it
  // differs, records the rules, commits. Returns how many documents have a link, and how
  // many duplicate_of values changed.
  struct Counts {
    size_t duplicates = 0;
    size_t changed = 0;
  };
  StatusOr<Counts> Finish();

 private:
  friend class Store;  // Store::BeginLinking makes sessions
  struct Statements;   // the prepared statements on its tables (store.cc)

  explicit LinkSession(Store* store);
  // Opens the transaction and decides up_to_date_; if not, creates and fills the tables.
  Status Begin(std::string_view rules);
  Status CreateTables();
  // The Corruption of the signature `blob` of a document, where `size` values were expected.
  Status WrongSize(int64_t document_id, std::string_view blob, size_t size);
  // Finish() up to the commit.
  StatusOr<Counts> WriteLinks();

  Store* store_;
  std::string rules_;
  bool up_to_date_ = false;
  bool in_transaction_ = false;
  bool attached_ = false;  // the tables' database
  uint32_t documents_ = 0;
  std::unique_ptr<Statements> statements_;  // null when up_to_date_ or finished
};

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_STORE_H_
