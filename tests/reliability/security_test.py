#!/usr/bin/env python3
"""`query` cannot change the database or reach other files; nothing is written elsewhere.

1. Through the built binary (tests/pipeline/store_test.cc covers the Store's refusals one by
   one): statements that would write, attach, load code or write files are refused with exit
   2, VACUUM INTO and ATTACH create no file, functions of the sqlite3 shell that read or write
   files (readfile, writefile, edit) do not exist, and no statement can read another database
   file. After every attempt the database file's bytes are unchanged (sha256).
2. ingest, export (stdout to a named file), report -o, timeline and query run in an empty
   working directory with HOME and TMPDIR pointing at empty directories: afterwards only the
   database (with its -wal and -shm), the named outputs and nothing else exist under the three,
   and the corpus folder is unchanged.

Usage: security_test.py --binary PATH --work-dir DIR
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen  # noqa: E402
import harness  # noqa: E402

READ_ONLY = "(stancetrack query is read-only)"
WOULD_WRITE = "query: refused, the statement would change the database " + READ_ONLY


def refused_statements(other_db, created):
    """(sql, what stderr must say): each must exit 2 and leave every file as it was."""
    return [
        ("INSERT INTO runs(started_at, command) VALUES ('now', 'x')", WOULD_WRITE),
        ("UPDATE documents SET title = 'changed'", WOULD_WRITE),
        ("DELETE FROM documents", WOULD_WRITE),
        ("DROP TABLE stances", WOULD_WRITE),
        ("CREATE TABLE notes(x)", WOULD_WRITE),
        ("VACUUM INTO '" + str(created) + "'", WOULD_WRITE),
        ("PRAGMA wal_checkpoint", WOULD_WRITE),
        ("PRAGMA incremental_vacuum", WOULD_WRITE),
        ("PRAGMA journal_mode = DELETE", "journal_mode with a value is refused " + READ_ONLY),
        ("PRAGMA writable_schema = ON", "writable_schema with a value is refused " + READ_ONLY),
        ("PRAGMA query_only = OFF", "query_only with a value is refused " + READ_ONLY),
        ("ATTACH DATABASE '" + str(other_db) + "' AS other", "ATTACH is refused " + READ_ONLY),
        ("ATTACH DATABASE '" + str(created) + "' AS other", "ATTACH is refused " + READ_ONLY),
        ("DETACH DATABASE main", "DETACH is refused " + READ_ONLY),
        ("SELECT load_extension('libm.so.6')", "query: not authorized"),
        ("SELECT writefile('" + str(created) + "', 'x')", "no such function: writefile"),
        ("SELECT readfile('" + str(other_db) + "')", "no such function: readfile"),
        ("SELECT edit('x', 'vi')", "no such function: edit"),
        ("SELECT * FROM other.documents", "no such table: other.documents"),
        ("SELECT 1; DELETE FROM documents", "query: one statement at a time"),
    ]


def query_refusals(binary, work, db):
    other_db = work / "other.db"
    shutil.copy(db, other_db)
    created = work / "must-not-exist.db"
    before, other_before = harness.sha256(db), harness.sha256(other_db)
    for sql, message in refused_statements(other_db, created):
        done = harness.run(binary, "query", "--db", db, sql, check=False)
        err = done.stderr.decode(errors="replace")
        if done.returncode != 2 or message not in err or done.stdout:
            harness.fail(f"{sql!r}: exit {done.returncode}, stdout {done.stdout[:80]!r}, "
                         f"stderr {err!r}; expected exit 2 and {message!r}")
        if harness.sha256(db) != before or harness.sha256(other_db) != other_before:
            harness.fail(f"{sql!r} changed a database file")
        leftovers = [p for p in (created, Path(f"{created}-journal"), Path(f"{created}-wal"))
                     if p.exists()]
        if leftovers:
            harness.fail(f"{sql!r} created {leftovers}")
    # Reading works, including reading pragmas: the refusals are not a blanket ban.
    done = harness.run(binary, "query", "--db", db, "--format", "csv",
                       "SELECT COUNT(*) AS n FROM pragma_table_info('documents')")
    if done.stdout.decode().split() != ["n", "17"]:
        harness.fail(f"reading pragma: {done.stdout!r}")
    harness.log(f"{len(refused_statements(other_db, created))} statements refused with exit 2; "
                "both database files unchanged; no file created")


def snapshot(folder):
    """Every file under folder with its sha256."""
    return {str(p.relative_to(folder)): harness.sha256(p)
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def nothing_written_outside(binary, work):
    corpus = work / "articles"
    corpus_gen.write_corpus(corpus, 40, 5)
    corpus_before = snapshot(corpus)
    cwd, home, tmp = work / "cwd", work / "home", work / "tmp"
    for folder in (cwd, home, tmp):
        folder.mkdir()
    env = dict(os.environ, HOME=str(home), TMPDIR=str(tmp), SQLITE_TMPDIR=str(tmp))

    def run(*args, stdout=None):
        done = subprocess.run([binary, *map(str, args)], cwd=cwd, env=env, stdout=stdout,
                              stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            harness.fail(f"stancetrack {args}: exit {done.returncode}: {done.stderr}")

    run("ingest", corpus, "--db", "chips.db", stdout=subprocess.DEVNULL)
    with open(cwd / "records.jsonl", "wb") as out:
        run("export", "--db", "chips.db", stdout=out)
    run("report", "--db", "chips.db", "-o", "report.html")
    run("timeline", "--db", "chips.db", "--format", "svg", stdout=subprocess.DEVNULL)
    run("query", "--db", "chips.db", "SELECT COUNT(*) FROM documents", stdout=subprocess.DEVNULL)
    run("ingest", corpus, "--db", "chips.db", stdout=subprocess.DEVNULL)  # incremental
    found = sorted(str(p.relative_to(work)) for f in (cwd, home, tmp) for p in f.rglob("*"))
    allowed = {"cwd/chips.db", "cwd/chips.db-wal", "cwd/chips.db-shm", "cwd/records.jsonl",
               "cwd/report.html"}
    unexpected = [p for p in found if p not in allowed]
    if unexpected or "cwd/chips.db" not in found or "cwd/report.html" not in found:
        harness.fail(f"files found: {found}; unexpected: {unexpected}")
    if snapshot(corpus) != corpus_before:
        harness.fail("the corpus folder changed")
    harness.log(f"only {', '.join(found)} were written; the corpus is unchanged")
    return cwd / "chips.db"


def main():
    _, binary, work = harness.start(__doc__.splitlines()[0])
    db = nothing_written_outside(binary, work)
    query_refusals(binary, work, db)
    harness.log("PASS")


if __name__ == "__main__":
    main()
