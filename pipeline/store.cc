#include "pipeline/store.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace stancetrack {
namespace {

// ---------------------------------------------------------------------------------------------
// Schema. Each migration takes the database from version - 1 to version in one transaction;
// a later schema change appends a migration, never edits a shipped one. README.md ("The
// database") documents every table, column, view and index.

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  command TEXT NOT NULL,
  files_new INTEGER,
  files_changed INTEGER,
  files_unchanged INTEGER,
  files_failed INTEGER,
  files_pruned INTEGER,
  bytes INTEGER,
  seconds REAL
);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  source_path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  title TEXT,
  url TEXT,
  published TEXT,
  source TEXT,
  author TEXT,
  declared_language TEXT,
  language TEXT,
  encoding TEXT,
  original TEXT NOT NULL,
  text TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  duplicate_of TEXT,
  run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX documents_by_published ON documents(published);

CREATE TABLE document_warnings (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (document_id, idx)
) WITHOUT ROWID;

CREATE TABLE paragraphs (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  begin INTEGER NOT NULL,
  end INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('body', 'title', 'boilerplate')),
  reason TEXT,
  language TEXT,
  PRIMARY KEY (document_id, idx)
) WITHOUT ROWID;

CREATE TABLE sentences (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  paragraph INTEGER NOT NULL,
  begin INTEGER NOT NULL,
  end INTEGER NOT NULL,
  PRIMARY KEY (document_id, idx)
) WITHOUT ROWID;

CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  canonical TEXT NOT NULL,
  UNIQUE (type, canonical)
);

CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  sentence INTEGER NOT NULL,
  begin INTEGER NOT NULL,
  end INTEGER NOT NULL,
  discovered INTEGER NOT NULL,
  confidence REAL NOT NULL
);
CREATE INDEX mentions_by_document ON mentions(document_id);
CREATE INDEX mentions_by_entity ON mentions(entity_id, document_id);

CREATE TABLE quotes (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  sentence INTEGER NOT NULL,
  begin INTEGER NOT NULL,
  end INTEGER NOT NULL,
  speaker TEXT,
  speaker_org TEXT
);
CREATE INDEX quotes_by_document ON quotes(document_id);
CREATE INDEX quotes_by_speaker ON quotes(speaker);

CREATE TABLE tier_assertions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  country TEXT NOT NULL,
  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
  reference_tier INTEGER,
  sentence INTEGER NOT NULL,
  begin INTEGER NOT NULL,
  end INTEGER NOT NULL
);
CREATE INDEX tier_assertions_by_document ON tier_assertions(document_id);
CREATE INDEX tier_assertions_by_country ON tier_assertions(country, tier);

CREATE TABLE stances (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  actor TEXT NOT NULL,
  speaker TEXT,
  policy TEXT NOT NULL,
  polarity TEXT NOT NULL CHECK (polarity IN ('support', 'oppose', 'mixed')),
  confidence REAL NOT NULL,
  sentence INTEGER NOT NULL,
  date TEXT
);
CREATE INDEX stances_by_document ON stances(document_id);
CREATE INDEX stances_by_policy ON stances(policy, actor);
CREATE INDEX stances_by_actor ON stances(actor, policy);

CREATE TABLE ingest_errors (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  path TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX ingest_errors_by_run ON ingest_errors(run_id);

CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content = 'documents', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Offsets are bytes, and substr() counts characters on TEXT: slice the bytes of a BLOB.
CREATE VIEW sentence_text AS
SELECT s.document_id, d.path, s.idx AS sentence, s.paragraph, s.begin, s.end,
       CAST(substr(CAST(d.text AS BLOB), s.begin + 1, s.end - s.begin) AS TEXT) AS text
FROM sentences s JOIN documents d ON d.id = s.document_id;

CREATE VIEW stance_evidence AS
SELECT st.id AS stance_id, d.path, d.published, st.actor, st.speaker, st.policy, st.polarity,
       st.confidence, st.date, st.sentence,
       CAST(substr(CAST(d.text AS BLOB), s.begin + 1, s.end - s.begin) AS TEXT) AS evidence
FROM stances st
JOIN documents d ON d.id = st.document_id
LEFT JOIN sentences s ON s.document_id = st.document_id AND s.idx = st.sentence;

CREATE VIEW quote_text AS
SELECT q.id AS quote_id, d.path, d.published, q.speaker, q.speaker_org, q.sentence,
       CAST(substr(CAST(d.text AS BLOB), q.begin + 1, q.end - q.begin) AS TEXT) AS quote
FROM quotes q JOIN documents d ON d.id = q.document_id;

CREATE VIEW mention_counts AS
SELECT e.type, e.canonical, COUNT(DISTINCT m.document_id) AS documents, COUNT(*) AS mentions
FROM entities e JOIN mentions m ON m.entity_id = e.id
GROUP BY e.id;
)sql";

// Near-duplicate detection (pipeline/duplicates.h): each document's MinHash signature, written
// with the document. Documents stored before it have none, and an unchanged file is never
// processed again, so their content hashes are cleared: the next ingest processes them anew.
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE document_signatures (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  minhash BLOB NOT NULL
);
UPDATE documents SET content_hash = '';
)sql";

// Near-duplicate links depend only on the documents' paths, published dates and signatures
// (pipeline/duplicates.h). link_state.rules holds the rules the stored links were computed with
// (LinkSession::Finish writes it); the triggers clear it in the same transaction as any change
// to those inputs, or to a link, so an ingest that changed nothing skips linking, and one that
// stopped between writing and linking links on the next run. documents_by_duplicate_of finds
// the stored links without reading past every document's text to the duplicate_of column.
constexpr char kSchemaV3[] = R"sql(
CREATE INDEX documents_by_duplicate_of ON documents(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE TABLE link_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  rules TEXT
);
INSERT INTO link_state(id, rules) VALUES (1, NULL);
CREATE TRIGGER link_state_document_insert AFTER INSERT ON documents BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
CREATE TRIGGER link_state_document_delete AFTER DELETE ON documents BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
CREATE TRIGGER link_state_document_update AFTER UPDATE OF path, published, duplicate_of
ON documents BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
CREATE TRIGGER link_state_signature_insert AFTER INSERT ON document_signatures BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
CREATE TRIGGER link_state_signature_delete AFTER DELETE ON document_signatures BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
CREATE TRIGGER link_state_signature_update AFTER UPDATE ON document_signatures BEGIN
  UPDATE link_state SET rules = NULL WHERE rules IS NOT NULL;
END;
)sql";

// The writer indexes a batch's documents for search in one statement, after their rows
// (Writer::WriteBatch), not each in its own trigger. FTS5 writes out its pending terms as a new
// segment whenever a statement opens a savepoint, and every document's DELETE and INSERT do
// (they fire triggers), so with the trigger each document became a segment to merge: the
// writer took 2.08 s on a 10 MB corpus with it, 1.51 s without.
constexpr char kSchemaV4[] = R"sql(
DROP TRIGGER documents_fts_insert;
)sql";

// FTS5 writes each transaction's terms (a batch of kDocumentsPerTransaction documents) as a new
// segment and merges segments once a level holds `automerge` of them; every merge rewrites
// what it merges. Merging 16 at a time instead of the default 4 rewrites each entry about half
// as often (log16 against log4 of the segment count): on a 160 MB corpus the writer took 27.0 s
// instead of 29.9 s, and searches of the resulting index were as fast (README, "The database").
constexpr char kSchemaV5[] = R"sql(
INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 16);
)sql";

// documents.original repeated documents.text whole for nearly every article (text that is valid
// UTF-8 in NFC needs no normalization): a quarter of the file, and of the bytes each ingest
// writes. It is now '' where it equals text; document_originals gives it whole. Rows stored
// before keep theirs: rewriting every row would take longer than it saves.
constexpr char kSchemaV6[] = R"sql(
CREATE VIEW document_originals AS
SELECT id AS document_id, path, CASE WHEN original = '' THEN text ELSE original END AS original
FROM documents;
)sql";

// A stance names the government its actor belongs to (Stance::country), so an export can tell a
// government's change of position from a company's mixed one (AggregateStances). Stances stored
// before have none, as if no actor were a government, until their document is processed again.
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE stances ADD COLUMN country TEXT;
)sql";

// FTS5 merges a level in two ways: a little at each write once it holds `automerge` segments,
// and all at once, inside the write that brings it to `crisismerge` segments (default 16). With
// both at 16 every merge was the second kind: the writer stopped for a whole level, 0.4 s at
// the 256th batch of a 50 MB ingest, while the extractors, their queue full, waited. With 64
// the merges are spread over the writes: no write took more than 0.1 s, `ingest` 6.69 s instead
// of 6.95 s (CPU 11.84 against 12.22 s; four alternating runs), searches as fast.
constexpr char kSchemaV8[] = R"sql(
INSERT INTO documents_fts(documents_fts, rank) VALUES ('crisismerge', 64);
)sql";

struct Migration {
  int version;
  const char* sql;
};
constexpr std::array<Migration, 8> kMigrations = {{{1, kSchemaV1},
                                                   {2, kSchemaV2},
                                                   {3, kSchemaV3},
                                                   {4, kSchemaV4},
                                                   {5, kSchemaV5},
                                                   {6, kSchemaV6},
                                                   {7, kSchemaV7},
                                                   {8, kSchemaV8}}};
static_assert(kMigrations.back().version == Store::kSchemaVersion,
              "the last migration must produce Store::kSchemaVersion");

// ---------------------------------------------------------------------------------------------
// SQLite result codes become a Status here, and nowhere else.

Status StatusFor(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return Status::Corruption(std::move(message));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return Status::IoError(std::move(message));
    case SQLITE_ERROR:
    case SQLITE_AUTH:
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

// "purpose: what SQLite says". A busy database gets a message that names the likely cause,
// since SQLite's own ("database is locked") does not say who holds it.
Status SqliteError(sqlite3* db, int rc, std::string_view purpose) {
  std::string message(purpose);
  if ((rc & 0xff) == SQLITE_BUSY) {
    message += ": another stancetrack ingest is writing to this database (gave up after " +
               std::to_string(Store::kBusyTimeoutMs) + " ms)";
  } else {
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
  // SQLite says "disk I/O error" for a full disk and a file size limit alike; the system's
  // error tells them apart ("No space left on device", "File too large").
  const int code = rc & 0xff;
  const int system_error = db != nullptr ? sqlite3_system_errno(db) : 0;
  if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) &&
      system_error != 0) {
    message += std::string(" (") + std::strerror(system_error) + ")";
  }
  return StatusFor(rc, std::move(message));
}

Status Exec(sqlite3* db, const std::string& sql, std::string_view purpose) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(db, rc, purpose);
}

// One prepared statement. Bind* calls remember the first failure and the next Step() reports
// it, so call sites chain binds without checking each. Text is bound without a copy: the bound
// string must outlive the next Step()/Run().
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Compiles the first statement of `sql` (none if it holds only blanks and comments); `rest`,
  // if given, receives the text after it.
  Status Prepare(sqlite3* db, std::string_view sql, std::string purpose, unsigned flags = 0,
                 std::string_view* rest = nullptr) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    purpose_ = std::move(purpose);
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &stmt_, &tail);
    if (rest != nullptr) *rest = sql.substr(tail != nullptr ? tail - sql.data() : sql.size());
    return rc == SQLITE_OK ? Status::Ok() : SqliteError(db, rc, purpose_);
  }

  bool empty() const { return stmt_ == nullptr; }
  sqlite3_stmt* get() const { return stmt_; }

  Statement& BindInt(int index, int64_t value) {
    return Check(sqlite3_bind_int64(stmt_, index, value));
  }
  Statement& BindReal(int index, double value) {
    return Check(sqlite3_bind_double(stmt_, index, value));
  }
  Statement& BindText(int index, std::string_view value) {
    return Check(
        sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  Statement& BindBlob(int index, std::string_view value) {
    return Check(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_STATIC));
  }
  // Empty means "not given" in the document model; the database says NULL.
  Statement& BindTextOrNull(int index, std::string_view value) {
    return value.empty() ? Check(sqlite3_bind_null(stmt_, index)) : BindText(index, value);
  }
  Statement& BindValue(int index, const Value& value) {
    if (const auto* i = std::get_if<int64_t>(&value)) return BindInt(index, *i);
    if (const auto* d = std::get_if<double>(&value)) return BindReal(index, *d);
    if (const auto* s = std::get_if<std::string>(&value)) return BindText(index, *s);
    return Check(sqlite3_bind_null(stmt_, index));
  }

  // True when a row is ready.
  StatusOr<bool> Step() {
    if (bind_rc_ != SQLITE_OK) {
      const int rc = std::exchange(bind_rc_, SQLITE_OK);
      return SqliteError(nullptr, rc, purpose_ + ": binding a value");
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(sqlite3_db_handle(stmt_), rc, purpose_);
  }

  // Steps to the end, then makes the statement ready for its next use.
  Status Run() {
    StatusOr<bool> row = Step();
    while (row.ok() && *row) row = Step();
    Reset();
    return row.ok() ? Status::Ok() : row.status();
  }

  // The first column of the first row, for lookups that must find one.
  StatusOr<int64_t> RunForInt() {
    StatusOr<bool> row = Step();
    const int64_t value = row.ok() && *row ? sqlite3_column_int64(stmt_, 0) : 0;
    Reset();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal(purpose_ + ": no row");
    return value;
  }

  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Value Column(int i) const {
    Value value;
    Column(i, &value);
    return value;
  }

  // Reads column `i` into `value`. A text goes into the string `value` already holds, if any,
  // so that reading row after row allocates only when a text outgrows the last one.
  void Column(int i, Value* value) const {
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER:
        *value = sqlite3_column_int64(stmt_, i);
        return;
      case SQLITE_FLOAT:
        *value = sqlite3_column_double(stmt_, i);
        return;
      case SQLITE_NULL:
        *value = std::monostate{};
        return;
      default: {  // TEXT and BLOB
        const char* data = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
        const size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt_, i));
        std::string* text = std::get_if<std::string>(value);
        if (text == nullptr) text = &value->emplace<std::string>();
        text->assign(data == nullptr ? "" : data, data == nullptr ? 0 : size);
      }
    }
  }

 private:
  Statement& Check(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  sqlite3_stmt* stmt_ = nullptr;
  std::string purpose_;
  int bind_rc_ = SQLITE_OK;
};

// Inserts rows into one table many to a statement: a step of a statement costs more than binding
// its values, and a document has tens of paragraphs and sentences. Statements of 32, 16, ..., 1
// rows take any number of rows in few steps (20 rows: 16, then 4).
class RowInsert {
 public:
  // `into` is the table and its columns, "t(a, b)"; `columns` counts them.
  Status Prepare(sqlite3* db, std::string_view into, int columns, const std::string& purpose) {
    columns_ = columns;
    for (size_t k = 0; k < kSizes; ++k) {
      ST_RETURN_IF_ERROR(
          inserts_[k].Prepare(db, Sql(into, size_t{1} << k), purpose, SQLITE_PREPARE_PERSISTENT));
    }
    return Status::Ok();
  }

  // Inserts rows 0 to `rows` - 1: bind_row(statement, first, row) binds the values of row `row`
  // to the parameters first, first + 1, ...
  template <typename BindRow>
  Status Run(size_t rows, BindRow&& bind_row) {
    size_t row = 0;
    for (size_t k = kSizes; k-- > 0;) {
      const size_t size = size_t{1} << k;
      for (; rows - row >= size; row += size) {
        for (size_t i = 0; i < size; ++i) {
          bind_row(inserts_[k], static_cast<int>(i) * columns_ + 1, row + i);
        }
        ST_RETURN_IF_ERROR(inserts_[k].Run());
      }
    }
    return Status::Ok();
  }

 private:
  static constexpr size_t kSizes = 6;  // 1 to 32 rows

  std::string Sql(std::string_view into, size_t rows) const {
    std::string tuple = "(?";
    for (int c = 1; c < columns_; ++c) tuple += ", ?";
    tuple += ')';
    std::string sql = "INSERT INTO " + std::string(into) + " VALUES " + tuple;
    for (size_t r = 1; r < rows; ++r) sql += ", " + tuple;
    return sql;
  }

  std::array<Statement, kSizes> inserts_;
  int columns_ = 0;
};

StatusOr<int64_t> UserVersion(sqlite3* db) {
  Statement stmt;
  ST_RETURN_IF_ERROR(stmt.Prepare(db, "PRAGMA user_version", "read schema version"));
  return stmt.RunForInt();
}

Status NewerSchema(int64_t version) {
  return Status::Unsupported("database schema version " + std::to_string(version) +
                             " is newer than this stancetrack supports (version " +
                             std::to_string(Store::kSchemaVersion) + "): upgrade stancetrack");
}

// Schema version 0 is a database no stancetrack has written: new and empty, or another
// program's. Migrating another program's tables would fail halfway with SQLite's "table
// documents already exists"; reading them would ask for an upgrade that cannot happen.
Status CheckNotForeign(sqlite3* db, int64_t version) {
  if (version != 0) return Status::Ok();
  Statement tables;
  ST_RETURN_IF_ERROR(tables.Prepare(
      db, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", "read schema"));
  const StatusOr<int64_t> count = tables.RunForInt();
  if (!count.ok()) return count.status();
  if (*count == 0) return Status::Ok();
  return Status::Unsupported(
      "not a stancetrack database: it holds " + std::to_string(*count) +
      " tables or other schema objects of another program (schema version 0); give --db a "
      "new file");
}

// Inside the write lock: another process may have migrated since the caller looked.
Status ApplyMigrations(sqlite3* db) {
  const StatusOr<int64_t> version = UserVersion(db);
  if (!version.ok()) return version.status();
  if (*version > Store::kSchemaVersion) return NewerSchema(*version);
  ST_RETURN_IF_ERROR(CheckNotForeign(db, *version));
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) continue;
    const std::string name = "migration " + std::to_string(migration.version);
    ST_RETURN_IF_ERROR(Exec(db, migration.sql, name));
    ST_RETURN_IF_ERROR(
        Exec(db, "PRAGMA user_version = " + std::to_string(migration.version), name));
  }
  return Status::Ok();
}

Status Migrate(sqlite3* db) {
  const StatusOr<int64_t> version = UserVersion(db);
  if (!version.ok()) return version.status();
  if (*version > Store::kSchemaVersion) return NewerSchema(*version);
  if (*version == Store::kSchemaVersion) return Status::Ok();
  ST_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "begin migration"));
  Status status = ApplyMigrations(db);
  if (status.ok()) status = Exec(db, "COMMIT", "commit migration");
  if (!status.ok() && !sqlite3_get_autocommit(db)) {
    (void)Exec(db, "ROLLBACK", "roll back migration");
  }
  return status;
}

// A reader cannot migrate, so it needs the schema this build knows exactly.
Status CheckReadableVersion(sqlite3* db) {
  const StatusOr<int64_t> version = UserVersion(db);
  if (!version.ok()) return version.status();
  if (*version > Store::kSchemaVersion) return NewerSchema(*version);
  ST_RETURN_IF_ERROR(CheckNotForeign(db, *version));
  if (*version < Store::kSchemaVersion) {
    return Status::Unsupported("database schema version " + std::to_string(*version) +
                               " is older than this stancetrack's (version " +
                               std::to_string(Store::kSchemaVersion) +
                               "): run `stancetrack ingest` to upgrade it");
  }
  return Status::Ok();
}

// How much of a database file a read-only connection maps: SQLite's own cap in Debian's build
// (2 GiB), which covers a million documents; pages past it are read as usual.
constexpr int64_t kQueryMmapBytes = int64_t{2} << 30;

// WAL frames a writing connection lets accumulate before it copies them into the database file
// (SQLite's default: 1,000, 4 MB). A page that every batch changes (the B-trees' right edges, the
// search index's structure) is copied once per checkpoint, however often it is in the log: with
// 10,000 (40 MB) a 50 MB ingest's writer took 4.2 s instead of 4.5 to 5.0 s, and a 160 MB one
// wrote 2,873 MB to its files instead of 3,163 MB.
constexpr int kWalAutocheckpointPages = 10000;

Status ConfigureConnection(sqlite3* db, Store::Mode mode) {
  sqlite3_busy_timeout(db, Store::kBusyTimeoutMs);
  // User SQL reaches this connection through Query(): no extensions, no schema tampering.
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
  if (mode == Store::Mode::kReadOnly) {
    // Queries read pages straight from the file's mapping instead of copying each one through
    // read(): at 100,000 documents that halves the time of a timeline. Only readers map the
    // file, so a failing disk can fail a query, never an ingest halfway.
    ST_RETURN_IF_ERROR(
        Exec(db, "PRAGMA mmap_size = " + std::to_string(kQueryMmapBytes), "configure connection"));
    return CheckReadableVersion(db);
  }
  // temp_store = FILE: temporary databases (near-duplicate linking's) and large sorts spill to
  // a file past the page cache, so the memory they take does not grow with the data.
  ST_RETURN_IF_ERROR(Exec(db,
                          "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                          "PRAGMA synchronous = NORMAL; PRAGMA temp_store = FILE; "
                          "PRAGMA wal_autocheckpoint = " +
                              std::to_string(kWalAutocheckpointPages),
                          "configure connection"));
  return Migrate(db);
}

// PRAGMAs that take an argument yet only read.
bool IsReadingPragma(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kReading = {
      "table_info",       "table_xinfo",       "index_info",      "index_xinfo", "index_list",
      "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"};
  for (std::string_view reading : kReading) {
    if (name == reading) return true;
  }
  return false;
}

}  // namespace

// The authorizer of Query(): refuses what changes the connection or other files, which
// sqlite3_stmt_readonly() lets through (ATTACH, transactions), and PRAGMA assignments. Writes
// to the database itself are caught by sqlite3_stmt_readonly() with a clearer message. It stays
// installed; on a read-write Store it lets the Store's own statements through.
int Store::QueryAuthorizer(void* guard_ptr, int action, const char* arg1, const char* arg2,
                           const char* /*database*/, const char* /*trigger*/) {
  QueryGuard& guard = *static_cast<QueryGuard*>(guard_ptr);
  if (!guard.always && guard.depth == 0) return SQLITE_OK;
  switch (action) {
    case SQLITE_ATTACH:
      guard.refusal = "ATTACH is refused";
      return SQLITE_DENY;
    case SQLITE_DETACH:
      guard.refusal = "DETACH is refused";
      return SQLITE_DENY;
    case SQLITE_TRANSACTION:
      guard.refusal = std::string(arg1 != nullptr ? arg1 : "transaction control") + " is refused";
      return SQLITE_DENY;
    case SQLITE_SAVEPOINT:
      guard.refusal = "SAVEPOINT is refused";
      return SQLITE_DENY;
    case SQLITE_PRAGMA:
      if (arg2 == nullptr || IsReadingPragma(arg1)) return SQLITE_OK;
      guard.refusal = std::string("PRAGMA ") + arg1 + " with a value is refused";
      return SQLITE_DENY;
    case SQLITE_FUNCTION:
      // Debian's SQLite has the two-argument fts3_tokenizer(), which points a tokenizer at any
      // address (a known way to run code); the connection disables it too.
      if (arg2 == nullptr || std::string_view(arg2) != "fts3_tokenizer") return SQLITE_OK;
      guard.refusal = "fts3_tokenizer() is refused";
      return SQLITE_DENY;
    default:
      return SQLITE_OK;
  }
}

namespace {

// Marks a Query() in progress for the authorizer, for as long as its statement may be
// (re)compiled: SQLite recompiles on a schema change while stepping.
class QueryDepth {
 public:
  explicit QueryDepth(int* depth) : depth_(depth) { ++*depth_; }
  ~QueryDepth() { --*depth_; }
  QueryDepth(const QueryDepth&) = delete;
  QueryDepth& operator=(const QueryDepth&) = delete;

 private:
  int* depth_;
};

constexpr char kReadOnlyNote[] = " (stancetrack query is read-only)";

// Compiles the one statement of a user query, or says why it will not run.
Status PrepareQuery(sqlite3* db, std::string_view sql, const std::string& refusal,
                    Statement* stmt) {
  std::string_view rest = sql;
  do {  // skip empty statements (";;")
    const size_t before = rest.size();
    Status status = stmt->Prepare(db, rest, "query", 0, &rest);
    if (!status.ok() && !refusal.empty()) {
      return Status::InvalidArgument("query: " + refusal + kReadOnlyNote);
    }
    ST_RETURN_IF_ERROR(status);
    if (rest.size() == before) break;
  } while (stmt->empty() && !rest.empty());
  if (stmt->empty()) return Status::InvalidArgument("query: no statement to run");
  Statement next;
  if (!next.Prepare(db, rest, "query").ok() || !next.empty()) {
    return Status::InvalidArgument("query: one statement at a time");
  }
  if (!sqlite3_stmt_readonly(stmt->get())) {
    return Status::InvalidArgument(
        std::string("query: refused, the statement would change the database") + kReadOnlyNote);
  }
  return Status::Ok();
}

// Signatures are stored as little-endian 32-bit values, the same bytes on every machine.
std::string EncodeSignature(const std::vector<uint32_t>& signature) {
  std::string blob;
  blob.reserve(signature.size() * 4);
  for (uint32_t value : signature) {
    for (int shift = 0; shift < 32; shift += 8) blob.push_back(static_cast<char>(value >> shift));
  }
  return blob;
}

StatusOr<std::vector<uint32_t>> DecodeSignature(std::string_view blob, std::string_view path) {
  if (blob.size() % 4 != 0) {
    return Status::Corruption("document_signatures: the signature of " + std::string(path) +
                              " is " + std::to_string(blob.size()) +
                              " bytes, not a whole number of 32-bit values");
  }
  std::vector<uint32_t> signature(blob.size() / 4);
  for (size_t i = 0; i < signature.size(); ++i) {
    for (int byte = 0; byte < 4; ++byte) {
      signature[i] |= static_cast<uint32_t>(static_cast<uint8_t>(blob[i * 4 + byte])) << (8 * byte);
    }
  }
  return signature;
}

std::string_view BlockKindName(BlockKind kind) {
  switch (kind) {
    case BlockKind::kBody:
      return "body";
    case BlockKind::kTitle:
      return "title";
    case BlockKind::kBoilerplate:
      return "boilerplate";
  }
  return "unknown";  // refused by the CHECK constraint
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The write path: statements prepared once per Store, reused for every document.

struct Store::Writer {
  explicit Writer(sqlite3* connection) : db(connection) {}

  Status Prepare();
  Status WriteBatch(int64_t run_id, const std::vector<StoredDocument>& batch);
  // Returns the new document's id.
  StatusOr<int64_t> WriteDocument(int64_t run_id, const StoredDocument& stored);
  Status InsertDocument(int64_t run_id, const StoredDocument& stored);
  Status InsertSegments(int64_t document_id, const Document& doc);
  Status InsertMentions(int64_t document_id, const std::vector<Mention>& mentions);
  Status InsertClaims(int64_t document_id, const Annotations& annotations);
  StatusOr<int64_t> EntityId(EntityType type, const std::string& canonical);

  sqlite3* db;
  Statement begin, commit, rollback;
  Statement begin_run, finish_run, record_error;
  Statement delete_document, insert_document, insert_warning;
  Statement insert_entity, find_entity, insert_quote, insert_tier, insert_stance;
  RowInsert insert_paragraphs, insert_sentences, insert_mentions;
  Statement insert_signature, set_duplicate, index_documents;
  // "type\tcanonical" -> entities.id. Valid only for committed rows: cleared on rollback.
  std::unordered_map<std::string, int64_t> entity_ids;
};

Status Store::Writer::Prepare() {
  struct Spec {
    Statement Writer::*statement;
    const char* purpose;
    const char* sql;
  };
  static constexpr Spec kSpecs[] = {
      {&Writer::begin, "begin write transaction", "BEGIN IMMEDIATE"},
      {&Writer::commit, "commit", "COMMIT"},
      {&Writer::rollback, "roll back", "ROLLBACK"},
      {&Writer::begin_run, "begin run",
       "INSERT INTO runs(started_at, command) "
       "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1)"},
      {&Writer::finish_run, "finish run",
       "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), files_new = ?2, "
       "files_changed = ?3, files_unchanged = ?4, files_failed = ?5, files_pruned = ?6, "
       "bytes = ?7, seconds = ?8 WHERE id = ?1"},
      {&Writer::record_error, "record ingest error",
       "INSERT INTO ingest_errors(run_id, path, reason) VALUES (?1, ?2, ?3)"},
      {&Writer::delete_document, "delete document", "DELETE FROM documents WHERE path = ?1"},
      {&Writer::insert_document, "insert document",
       "INSERT INTO documents(path, source_path, content_hash, title, url, published, source, "
       "author, declared_language, language, encoding, original, text, bytes, duplicate_of, "
       "run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"},
      {&Writer::insert_warning, "insert warning",
       "INSERT INTO document_warnings(document_id, idx, message) VALUES (?1, ?2, ?3)"},
      {&Writer::insert_entity, "insert entity",
       "INSERT OR IGNORE INTO entities(type, canonical) VALUES (?1, ?2)"},
      {&Writer::find_entity, "find entity",
       "SELECT id FROM entities WHERE type = ?1 AND canonical = ?2"},
      {&Writer::insert_quote, "insert quote",
       "INSERT INTO quotes(document_id, sentence, begin, end, speaker, speaker_org) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&Writer::insert_tier, "insert tier assertion",
       "INSERT INTO tier_assertions(document_id, country, tier, reference_tier, sentence, "
       "begin, end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&Writer::insert_stance, "insert stance",
       "INSERT INTO stances(document_id, actor, speaker, policy, polarity, confidence, "
       "sentence, date, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&Writer::insert_signature, "insert signature",
       "INSERT INTO document_signatures(document_id, minhash) VALUES (?1, ?2)"},
      {&Writer::set_duplicate, "set duplicate_of",
       "UPDATE documents SET duplicate_of = ?2 WHERE path = ?1"},
      {&Writer::index_documents, "index documents for search",
       "INSERT INTO documents_fts(rowid, title, text) "
       "SELECT id, title, text FROM documents WHERE id >= ?1"},
  };
  for (const Spec& spec : kSpecs) {
    ST_RETURN_IF_ERROR(
        (this->*spec.statement).Prepare(db, spec.sql, spec.purpose, SQLITE_PREPARE_PERSISTENT));
  }
  ST_RETURN_IF_ERROR(insert_paragraphs.Prepare(
      db, "paragraphs(document_id, idx, begin, end, kind, reason, language)", 7,
      "insert paragraphs"));
  ST_RETURN_IF_ERROR(insert_sentences.Prepare(
      db, "sentences(document_id, idx, paragraph, begin, end)", 5, "insert sentences"));
  return insert_mentions.Prepare(
      db, "mentions(document_id, entity_id, sentence, begin, end, discovered, confidence)", 7,
      "insert mentions");
}

// The batch's documents go into the search index after their rows, in one statement (see
// kSchemaV4). A new document's id is one more than the largest before it, so the ids from the
// batch's first one up are the batch's. A path written twice in a batch would have its first
// version taken out of the index by the delete trigger before it was ever put in: the documents
// written so far are indexed first.
Status Store::Writer::WriteBatch(int64_t run_id, const std::vector<StoredDocument>& batch) {
  std::unordered_set<std::string_view> unindexed_paths;
  int64_t first_unindexed = 0;  // 0: every document is indexed
  for (const StoredDocument& stored : batch) {
    if (!unindexed_paths.insert(stored.doc.id).second) {
      ST_RETURN_IF_ERROR(index_documents.BindInt(1, first_unindexed).Run());
      unindexed_paths = {stored.doc.id};
      first_unindexed = 0;
    }
    StatusOr<int64_t> id = WriteDocument(run_id, stored);
    if (!id.ok()) return id.status().WithContext(stored.doc.id);
    if (first_unindexed == 0) first_unindexed = *id;
  }
  if (first_unindexed == 0) return Status::Ok();
  return index_documents.BindInt(1, first_unindexed).Run();
}

StatusOr<int64_t> Store::Writer::WriteDocument(int64_t run_id, const StoredDocument& stored) {
  // The cascade removes every row of the old version; the trigger removes its FTS entry.
  ST_RETURN_IF_ERROR(delete_document.BindText(1, stored.doc.id).Run());
  ST_RETURN_IF_ERROR(InsertDocument(run_id, stored));
  const int64_t document_id = sqlite3_last_insert_rowid(db);
  ST_RETURN_IF_ERROR(InsertSegments(document_id, stored.doc));
  ST_RETURN_IF_ERROR(InsertMentions(document_id, stored.annotations.mentions));
  ST_RETURN_IF_ERROR(InsertClaims(document_id, stored.annotations));
  if (!stored.signature.empty()) {
    const std::string blob = EncodeSignature(stored.signature);
    ST_RETURN_IF_ERROR(insert_signature.BindInt(1, document_id).BindBlob(2, blob).Run());
  }
  return document_id;
}

Status Store::Writer::InsertDocument(int64_t run_id, const StoredDocument& stored) {
  const Document& doc = stored.doc;
  const std::string& published =
      stored.annotations.published.empty() ? doc.meta.published : stored.annotations.published;
  return insert_document.BindText(1, doc.id)
      .BindText(2, doc.source_path)
      .BindText(3, stored.content_hash)
      .BindTextOrNull(4, doc.meta.title)
      .BindTextOrNull(5, doc.meta.url)
      .BindTextOrNull(6, published)
      .BindTextOrNull(7, doc.meta.source)
      .BindTextOrNull(8, doc.meta.author)
      .BindTextOrNull(9, doc.meta.language)
      .BindTextOrNull(10, doc.language)
      .BindTextOrNull(11, doc.encoding)
      .BindText(12, doc.original == doc.text ? std::string_view("") : doc.original)
      .BindText(13, doc.text)
      .BindInt(14, static_cast<int64_t>(doc.text.size()))
      .BindTextOrNull(15, stored.duplicate_of)
      .BindInt(16, run_id)
      .Run();
}

Status Store::Writer::InsertSegments(int64_t document_id, const Document& doc) {
  for (size_t i = 0; i < doc.warnings.size(); ++i) {
    ST_RETURN_IF_ERROR(insert_warning.BindInt(1, document_id)
                           .BindInt(2, static_cast<int64_t>(i))
                           .BindText(3, doc.warnings[i])
                           .Run());
  }
  const auto bind_paragraph = [&](Statement& insert, int first, size_t i) {
    const Paragraph& p = doc.paragraphs[i];
    insert.BindInt(first, document_id)
        .BindInt(first + 1, static_cast<int64_t>(i))
        .BindInt(first + 2, p.span.begin)
        .BindInt(first + 3, p.span.end)
        .BindText(first + 4, BlockKindName(p.kind))
        .BindTextOrNull(first + 5, p.reason)
        .BindTextOrNull(first + 6, p.language);
  };
  ST_RETURN_IF_ERROR(insert_paragraphs.Run(doc.paragraphs.size(), bind_paragraph));
  return insert_sentences.Run(doc.sentences.size(), [&](Statement& insert, int first, size_t i) {
    const Sentence& s = doc.sentences[i];
    insert.BindInt(first, document_id)
        .BindInt(first + 1, static_cast<int64_t>(i))
        .BindInt(first + 2, s.paragraph)
        .BindInt(first + 3, s.span.begin)
        .BindInt(first + 4, s.span.end);
  });
}

Status Store::Writer::InsertMentions(int64_t document_id, const std::vector<Mention>& mentions) {
  std::vector<int64_t> entity_ids(mentions.size());
  for (size_t i = 0; i < mentions.size(); ++i) {
    const StatusOr<int64_t> entity_id = EntityId(mentions[i].type, mentions[i].canonical);
    if (!entity_id.ok()) return entity_id.status();
    entity_ids[i] = *entity_id;
  }
  return insert_mentions.Run(mentions.size(), [&](Statement& insert, int first, size_t i) {
    const Mention& m = mentions[i];
    insert.BindInt(first, document_id)
        .BindInt(first + 1, entity_ids[i])
        .BindInt(first + 2, m.sentence)
        .BindInt(first + 3, m.span.begin)
        .BindInt(first + 4, m.span.end)
        .BindInt(first + 5, m.discovered ? 1 : 0)
        .BindReal(first + 6, m.confidence);
  });
}

Status Store::Writer::InsertClaims(int64_t document_id, const Annotations& annotations) {
  for (const Quote& q : annotations.quotes) {
    ST_RETURN_IF_ERROR(insert_quote.BindInt(1, document_id)
                           .BindInt(2, q.sentence)
                           .BindInt(3, q.span.begin)
                           .BindInt(4, q.span.end)
                           .BindTextOrNull(5, q.speaker)
                           .BindTextOrNull(6, q.speaker_org)
                           .Run());
  }
  for (const TierAssertion& t : annotations.tiers) {
    insert_tier.BindInt(1, document_id).BindText(2, t.country).BindInt(3, t.tier);
    if (t.reference_tier != 0) insert_tier.BindInt(4, t.reference_tier);  // else NULL
    ST_RETURN_IF_ERROR(
        insert_tier.BindInt(5, t.sentence).BindInt(6, t.span.begin).BindInt(7, t.span.end).Run());
  }
  for (const Stance& s : annotations.stances) {
    ST_RETURN_IF_ERROR(insert_stance.BindInt(1, document_id)
                           .BindText(2, s.actor)
                           .BindTextOrNull(3, s.speaker)
                           .BindText(4, s.policy)
                           .BindText(5, PolarityName(s.polarity))
                           .BindReal(6, s.confidence)
                           .BindInt(7, s.sentence)
                           .BindTextOrNull(8, s.date)
                           .BindTextOrNull(9, s.country)
                           .Run());
  }
  return Status::Ok();
}

StatusOr<int64_t> Store::Writer::EntityId(EntityType type, const std::string& canonical) {
  const std::string_view type_name = EntityTypeName(type);
  std::string key = std::string(type_name) + '\t' + canonical;
  if (const auto it = entity_ids.find(key); it != entity_ids.end()) return it->second;
  ST_RETURN_IF_ERROR(insert_entity.BindText(1, type_name).BindText(2, canonical).Run());
  const StatusOr<int64_t> id =
      find_entity.BindText(1, type_name).BindText(2, canonical).RunForInt();
  if (id.ok()) entity_ids.emplace(std::move(key), *id);
  return id;
}

// ---------------------------------------------------------------------------------------------

Store::Store(sqlite3* db) : db_(db) {}

Store::~Store() {
  writer_.reset();  // statements first: the connection closes only when none is left
  sqlite3_close_v2(db_);
}

StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path, Mode mode) {
  const bool read_only = mode == Mode::kReadOnly;
  std::error_code error;
  if (read_only && path != ":memory:" && !std::filesystem::exists(path, error)) {
    return Status::NotFound("no database at " + path + ": run `stancetrack ingest` first");
  }
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Store> store(new Store(db));  // closes `db` on every error below
  if (rc != SQLITE_OK) return SqliteError(db, rc, "open " + path);
  ST_RETURN_IF_ERROR(ConfigureConnection(db, mode).WithContext(path));
  if (!read_only) {
    store->writer_ = std::make_unique<Writer>(db);
    ST_RETURN_IF_ERROR(store->writer_->Prepare().WithContext(path));
    // A first load that stopped before its end left its deferred index unbuilt.
    ST_RETURN_IF_ERROR(store->BuildDeferredIndexes().WithContext(path));
  }
  store->query_guard_.always = read_only;
  sqlite3_set_authorizer(db, QueryAuthorizer, &store->query_guard_);
  return store;
}

Status Store::CheckWritable(std::string_view what) const {
  if (writer_ != nullptr) return Status::Ok();
  return Status::Internal(std::string(what) + ": the database was opened read-only");
}

Status Store::InTransaction(const std::function<Status()>& body) {
  ST_RETURN_IF_ERROR(writer_->begin.Run());
  Status status = body();
  if (status.ok()) status = writer_->commit.Run();
  if (!status.ok()) {
    // SQLite may have rolled back already (a full disk does); either way no row of this
    // transaction is left, so neither may any id cached from it.
    if (!sqlite3_get_autocommit(db_)) (void)writer_->rollback.Run();
    writer_->entity_ids.clear();
  }
  return status;
}

namespace {

// mentions_by_entity's key starts with the entity, so each batch's mentions land on pages all
// over it, and a commit writes every page it touched to the WAL, and the checkpoint writes it
// again: at 40 MB of news this one index was 565 of the 1,224 MB the writer wrote, its share
// growing faster than the corpus. A first load (into a database without documents) drops it
// and builds it in one sorted pass at the end (Store::BuildDeferredIndexes).
constexpr char kCreateEntityIndex[] =
    "CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions(entity_id, document_id)";

}  // namespace

StatusOr<int64_t> Store::BeginRun(const std::string& command_line) {
  ST_RETURN_IF_ERROR(CheckWritable("begin run"));
  Statement any_document;
  ST_RETURN_IF_ERROR(
      any_document.Prepare(db_, "SELECT EXISTS (SELECT 1 FROM documents)", "check for documents"));
  StatusOr<int64_t> stored = any_document.RunForInt();
  if (!stored.ok()) return stored.status();
  if (*stored == 0) {
    ST_RETURN_IF_ERROR(Exec(db_, "DROP INDEX IF EXISTS mentions_by_entity", "defer index"));
  }
  ST_RETURN_IF_ERROR(writer_->begin_run.BindText(1, command_line).Run());
  return sqlite3_last_insert_rowid(db_);
}

Status Store::BuildDeferredIndexes() {
  ST_RETURN_IF_ERROR(CheckWritable("build indexes"));
  return Exec(db_, kCreateEntityIndex, "build index mentions_by_entity");
}

Status Store::FinishRun(int64_t run_id, const RunSummary& summary) {
  ST_RETURN_IF_ERROR(CheckWritable("finish run"));
  ST_RETURN_IF_ERROR(writer_->finish_run.BindInt(1, run_id)
                         .BindInt(2, summary.files_new)
                         .BindInt(3, summary.files_changed)
                         .BindInt(4, summary.files_unchanged)
                         .BindInt(5, summary.files_failed)
                         .BindInt(6, summary.files_pruned)
                         .BindInt(7, summary.bytes)
                         .BindReal(8, summary.seconds)
                         .Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("finish run: no run " + std::to_string(run_id));
  }
  return Status::Ok();
}

namespace {
uint64_t Hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }
}  // namespace

ContentHashIndex::Seen ContentHashIndex::Check(std::string_view path,
                                               std::string_view content_hash) const {
  auto stored = hashes_.find(Hash64(path));
  if (stored == hashes_.end()) return Seen::kNew;
  return stored->second == Hash64(content_hash) ? Seen::kUnchanged : Seen::kChanged;
}

ContentHashIndex::Seen ContentHashIndex::Update(std::string_view path,
                                                std::string_view content_hash) {
  const Seen seen = Check(path, content_hash);
  hashes_[Hash64(path)] = Hash64(content_hash);
  return seen;
}

StatusOr<ContentHashIndex> Store::ContentHashes() const {
  Statement stmt;
  ST_RETURN_IF_ERROR(
      stmt.Prepare(db_, "SELECT path, content_hash FROM documents", "read content hashes"));
  ContentHashIndex hashes;
  StatusOr<bool> row = stmt.Step();
  for (; row.ok() && *row; row = stmt.Step()) {
    hashes.Update(std::get<std::string>(stmt.Column(0)), std::get<std::string>(stmt.Column(1)));
  }
  if (!row.ok()) return row.status();
  return hashes;
}

Status Store::Write(int64_t run_id, const std::vector<StoredDocument>& batch) {
  ST_RETURN_IF_ERROR(CheckWritable("write"));
  return InTransaction([&] { return writer_->WriteBatch(run_id, batch); });
}

StatusOr<std::unique_ptr<LinkSession>> Store::BeginLinking(std::string_view rules) {
  ST_RETURN_IF_ERROR(CheckWritable("link duplicates"));
  std::unique_ptr<LinkSession> session(new LinkSession(this));
  ST_RETURN_IF_ERROR(session->Begin(rules));
  return session;
}

Status Store::SetDuplicates(const std::vector<DuplicateLink>& links) {
  ST_RETURN_IF_ERROR(CheckWritable("set duplicates"));
  return InTransaction([&] {
    for (const DuplicateLink& link : links) {
      ST_RETURN_IF_ERROR(writer_->set_duplicate.BindText(1, link.path)
                             .BindTextOrNull(2, link.duplicate_of)
                             .Run()
                             .WithContext(link.path));
      if (sqlite3_changes(db_) == 0) {
        return Status::NotFound("set duplicate_of: no document " + link.path);
      }
    }
    return Status::Ok();
  });
}

Status Store::RecordError(int64_t run_id, const std::string& path, const std::string& reason) {
  ST_RETURN_IF_ERROR(CheckWritable("record error"));
  return writer_->record_error.BindInt(1, run_id).BindText(2, path).BindText(3, reason).Run();
}

Status Store::Delete(const std::vector<std::string>& paths) {
  ST_RETURN_IF_ERROR(CheckWritable("delete"));
  return InTransaction([&] {
    for (const std::string& path : paths) {
      ST_RETURN_IF_ERROR(writer_->delete_document.BindText(1, path).Run().WithContext(path));
    }
    return Status::Ok();
  });
}

Status Store::Query(std::string_view sql, const std::vector<Value>& params,
                    const RowCallback& row) const {
  QueryDepth depth(&query_guard_.depth);
  query_guard_.refusal.clear();
  Statement stmt;
  ST_RETURN_IF_ERROR(PrepareQuery(db_, sql, query_guard_.refusal, &stmt));
  const int parameters = sqlite3_bind_parameter_count(stmt.get());
  if (static_cast<size_t>(parameters) != params.size()) {
    return Status::InvalidArgument("query: the statement takes " + std::to_string(parameters) +
                                   " parameters, " + std::to_string(params.size()) + " given");
  }
  for (size_t i = 0; i < params.size(); ++i) stmt.BindValue(static_cast<int>(i) + 1, params[i]);
  std::vector<std::string> columns(sqlite3_column_count(stmt.get()));
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i] = sqlite3_column_name(stmt.get(), static_cast<int>(i));
  }
  std::vector<Value> values(columns.size());
  StatusOr<bool> more = stmt.Step();
  for (; more.ok() && *more; more = stmt.Step()) {
    for (size_t i = 0; i < values.size(); ++i) stmt.Column(static_cast<int>(i), &values[i]);
    if (!row(columns, values)) return Status::Ok();
  }
  return more.ok() ? Status::Ok() : more.status();
}

// A read transaction lasts while a statement that read the database is active: `body` runs
// from the row callback of one, and its queries nest inside that transaction.
Status Store::InReadSnapshot(const std::function<Status()>& body) const {
  Status result;
  ST_RETURN_IF_ERROR(Query("SELECT count(*) FROM sqlite_schema", {}, [&](const auto&, const auto&) {
    result = body();
    return false;
  }));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Near-duplicate linking's tables, in a database of their own: ATTACH '' makes a private
// temporary file (temp_store = FILE keeps it on disk past its page cache) that DETACH deletes
// whole, where dropping the tables would read every page back to free it.

namespace {

constexpr char kLinkTables[] = R"sql(
CREATE TABLE linking.link_documents (rank INTEGER PRIMARY KEY, document_id INTEGER NOT NULL);
CREATE TABLE linking.link_chunks (stream INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX linking.link_chunks_by_stream ON link_chunks(stream);
CREATE TABLE linking.link_originals (bucket INTEGER NOT NULL, rank INTEGER NOT NULL,
                                  PRIMARY KEY (bucket, rank)) WITHOUT ROWID;
CREATE TABLE linking.link_duplicates (document_id INTEGER PRIMARY KEY,
                                   original_path TEXT NOT NULL);
)sql";

// Earliest first: dated before undated (NULL and '' alike, as the model's empty string), then
// by date and path, compared bytewise as std::string compares them.
constexpr char kRankDocuments[] = R"sql(
INSERT INTO linking.link_documents(rank, document_id)
SELECT row_number() OVER (ORDER BY coalesce(d.published, '') = '', coalesce(d.published, ''),
                                   d.path) - 1,
       d.id
FROM documents d JOIN document_signatures s ON s.document_id = d.id
WHERE length(s.minhash) > 0
)sql";

// Steps `stmt` to its end, calling `row` at each row, and resets it; stops at the first error.
Status ForEachRow(Statement* stmt, const std::function<Status()>& row) {
  Status status;
  StatusOr<bool> more = stmt->Step();
  while (status.ok() && more.ok() && *more) {
    status = row();
    if (status.ok()) more = stmt->Step();
  }
  stmt->Reset();
  if (!status.ok()) return status;
  return more.ok() ? Status::Ok() : more.status();
}

uint32_t ColumnUint32(const Statement& stmt, int column) {
  return static_cast<uint32_t>(sqlite3_column_int64(stmt.get(), column));
}

}  // namespace

struct LinkSession::Statements {
  Statement signatures, signature, append_chunk, chunks;
  Statement add_original, latest_originals, set_duplicate;
};

LinkSession::LinkSession(Store* store) : store_(store) {}

LinkSession::~LinkSession() {
  statements_.reset();  // neither a rollback nor DETACH may have a statement of it pending
  if (in_transaction_) (void)store_->writer_->rollback.Run();
  if (attached_) (void)Exec(store_->db_, "DETACH DATABASE linking", "detach link tables");
}

Status LinkSession::Begin(std::string_view rules) {
  rules_ = rules;
  // Outside the transaction: SQLite attaches and detaches only there.
  ST_RETURN_IF_ERROR(Exec(store_->db_,
                          "ATTACH DATABASE '' AS linking; PRAGMA linking.journal_mode = OFF; "
                          "PRAGMA linking.synchronous = OFF",
                          "attach link tables"));
  attached_ = true;
  ST_RETURN_IF_ERROR(store_->writer_->begin.Run());
  in_transaction_ = true;
  Statement recorded;
  ST_RETURN_IF_ERROR(
      recorded.Prepare(store_->db_, "SELECT rules FROM link_state", "read link state"));
  ST_RETURN_IF_ERROR(ForEachRow(&recorded, [&] {
    up_to_date_ = TextOf(recorded.Column(0)) == rules_;
    return Status::Ok();
  }));
  if (!up_to_date_) return CreateTables();
  in_transaction_ = false;
  return store_->writer_->rollback.Run();
}

Status LinkSession::CreateTables() {
  sqlite3* db = store_->db_;
  ST_RETURN_IF_ERROR(Exec(db, kLinkTables, "create link tables"));
  ST_RETURN_IF_ERROR(Exec(db, kRankDocuments, "rank documents"));
  documents_ = static_cast<uint32_t>(sqlite3_changes(db));
  struct Spec {
    Statement Statements::*statement;
    const char* purpose;
    const char* sql;
  };
  static constexpr Spec kSpecs[] = {
      {&Statements::signatures, "read signatures",
       "SELECT l.rank, s.minhash, l.document_id FROM linking.link_documents l "
       "JOIN document_signatures s ON s.document_id = l.document_id ORDER BY l.rank"},
      {&Statements::signature, "read signature",
       "SELECT s.minhash FROM linking.link_documents l "
       "JOIN document_signatures s ON s.document_id = l.document_id WHERE l.rank = ?1"},
      {&Statements::append_chunk, "append chunk",
       "INSERT INTO linking.link_chunks(stream, data) VALUES (?1, ?2)"},
      {&Statements::chunks, "read chunks",
       "SELECT data FROM linking.link_chunks WHERE stream = ?1 ORDER BY rowid"},
      {&Statements::add_original, "add original",
       "INSERT INTO linking.link_originals(bucket, rank) VALUES (?1, ?2)"},
      {&Statements::latest_originals, "read originals",
       "SELECT rank FROM linking.link_originals WHERE bucket = ?1 ORDER BY rank DESC LIMIT ?2"},
      {&Statements::set_duplicate, "add duplicate",
       "INSERT INTO linking.link_duplicates(document_id, original_path) "
       "SELECT d.document_id, p.path FROM linking.link_documents d, linking.link_documents o "
       "JOIN documents p ON p.id = o.document_id WHERE d.rank = ?1 AND o.rank = ?2"},
  };
  statements_ = std::make_unique<Statements>();
  for (const Spec& spec : kSpecs) {
    ST_RETURN_IF_ERROR((statements_.get()->*spec.statement).Prepare(db, spec.sql, spec.purpose));
  }
  return Status::Ok();
}

Status LinkSession::ForEachSignature(size_t size, const SignatureFn& each) {
  Statement& stmt = statements_->signatures;
  return ForEachRow(&stmt, [&] {
    const std::string blob = TextOf(stmt.Column(1));
    if (blob.size() != size * 4) return WrongSize(sqlite3_column_int64(stmt.get(), 2), blob, size);
    StatusOr<std::vector<uint32_t>> signature = DecodeSignature(blob, "");
    if (!signature.ok()) return signature.status();
    return each(ColumnUint32(stmt, 0), *signature);
  });
}

// Looks the path up only now: reading it for every document would cost a row read each.
Status LinkSession::WrongSize(int64_t document_id, std::string_view blob, size_t size) {
  Statement path;
  ST_RETURN_IF_ERROR(
      path.Prepare(store_->db_, "SELECT path FROM documents WHERE id = ?1", "read document path"));
  std::string name;
  ST_RETURN_IF_ERROR(ForEachRow(&path.BindInt(1, document_id), [&] {
    name = TextOf(path.Column(0));
    return Status::Ok();
  }));
  StatusOr<std::vector<uint32_t>> signature = DecodeSignature(blob, name);
  if (!signature.ok()) return signature.status();
  return Status::Corruption("document_signatures: the signature of " + name + " has " +
                            std::to_string(signature->size()) + " values, expected " +
                            std::to_string(size));
}

StatusOr<std::vector<uint32_t>> LinkSession::Signature(uint32_t rank) {
  Statement& stmt = statements_->signature;
  std::string blob;
  bool found = false;
  ST_RETURN_IF_ERROR(ForEachRow(&stmt.BindInt(1, rank), [&] {
    blob = TextOf(stmt.Column(0));
    found = true;
    return Status::Ok();
  }));
  if (!found) {
    return Status::Internal("read signature: no document of rank " + std::to_string(rank));
  }
  return DecodeSignature(blob, "rank " + std::to_string(rank));
}

Status LinkSession::AppendChunk(uint32_t stream, std::string_view bytes) {
  return statements_->append_chunk.BindInt(1, stream).BindBlob(2, bytes).Run();
}

Status LinkSession::ForEachChunk(uint32_t stream,
                                 const std::function<Status(std::string_view)>& each) {
  Statement& stmt = statements_->chunks;
  return ForEachRow(&stmt.BindInt(1, stream), [&] {
    const void* data = sqlite3_column_blob(stmt.get(), 0);
    const int size = sqlite3_column_bytes(stmt.get(), 0);
    return each(std::string_view(static_cast<const char*>(data), static_cast<size_t>(size)));
  });
}

Status LinkSession::AddOriginal(uint32_t bucket, uint32_t rank) {
  return statements_->add_original.BindInt(1, bucket).BindInt(2, rank).Run();
}

Status LinkSession::LatestOriginals(uint32_t bucket, size_t limit, std::vector<uint32_t>* ranks) {
  Statement& stmt = statements_->latest_originals;
  ranks->clear();
  ST_RETURN_IF_ERROR(
      ForEachRow(&stmt.BindInt(1, bucket).BindInt(2, static_cast<int64_t>(limit)), [&] {
        ranks->push_back(ColumnUint32(stmt, 0));
        return Status::Ok();
      }));
  std::reverse(ranks->begin(), ranks->end());
  return Status::Ok();
}

Status LinkSession::SetDuplicate(uint32_t rank, uint32_t original) {
  return statements_->set_duplicate.BindInt(1, rank).BindInt(2, original).Run();
}

StatusOr<LinkSession::Counts> LinkSession::Finish() {
  StatusOr<Counts> counts = WriteLinks();
  if (!counts.ok()) return counts.status();
  statements_.reset();
  ST_RETURN_IF_ERROR(store_->writer_->commit.Run());
  in_transaction_ = false;
  attached_ = false;
  ST_RETURN_IF_ERROR(Exec(store_->db_, "DETACH DATABASE linking", "detach link tables"));
  return counts;
}

StatusOr<LinkSession::Counts> LinkSession::WriteLinks() {
  sqlite3* db = store_->db_;
  Counts counts;
  // Both statements read the stored links from documents_by_duplicate_of.
  ST_RETURN_IF_ERROR(Exec(db,
                          "UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL "
                          "AND id NOT IN (SELECT document_id FROM linking.link_duplicates)",
                          "clear duplicate_of"));
  counts.changed = static_cast<size_t>(sqlite3_changes(db));
  Statement links, update, record;
  ST_RETURN_IF_ERROR(links.Prepare(
      db, "SELECT document_id, original_path FROM linking.link_duplicates", "read duplicates"));
  ST_RETURN_IF_ERROR(
      update.Prepare(db,
                     "UPDATE documents SET duplicate_of = ?2 WHERE id = ?1 AND "
                     "NOT EXISTS (SELECT 1 FROM documents INDEXED BY documents_by_duplicate_of "
                     "WHERE duplicate_of = ?2 "
                     "AND id = ?1)",
                     "set duplicate_of"));
  ST_RETURN_IF_ERROR(ForEachRow(&links, [&] {
    const std::string original = TextOf(links.Column(1));
    ++counts.duplicates;
    ST_RETURN_IF_ERROR(
        update.BindInt(1, sqlite3_column_int64(links.get(), 0)).BindText(2, original).Run());
    counts.changed += static_cast<size_t>(sqlite3_changes(db));
    return Status::Ok();
  }));
  // Last: setting duplicate_of cleared the rules (a trigger).
  ST_RETURN_IF_ERROR(record.Prepare(db, "UPDATE link_state SET rules = ?1", "record link rules"));
  ST_RETURN_IF_ERROR(record.BindText(1, rules_).Run());
  return counts;
}

}  // namespace stancetrack
