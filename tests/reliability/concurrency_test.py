#!/usr/bin/env python3
"""Readers while `ingest` writes, and a second `ingest` on the same database.

1. While an ingest writes a new database, `query`, `timeline --format json` and `export` run
   over and over. Every one must succeed (never "database is locked") and see a committed
   state: every stance, mention and sentence belongs to a stored document, every stored
   document has its sentences (a document is written whole in one transaction), and the
   counts of documents and exported records never go down. Halfway through, a second ingest
   of the same folder starts: it must wait and then finish (exit 0), or refuse with exit 3
   and "another stancetrack ingest is writing to this database". At the end the database
   passes integrity_check and exports byte for byte what a lone ingest did.
2. A second ingest refuses with that message (after waiting about 5 s) while another process
   holds the database: (a) between two transactions of an ingest (the writer lock on the
   file), (b) inside a write transaction (SQLite's lock). The file is unchanged after both.

Usage: concurrency_test.py --binary PATH --work-dir DIR [--articles N]
"""
import fcntl
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen  # noqa: E402
import harness  # noqa: E402

BUSY_MESSAGE = "another stancetrack ingest is writing to this database"

# One row: documents, then rows that point at a missing document (must be 0), then stored
# documents without sentences (must be 0: a document and its rows commit together).
CONSISTENCY_SQL = (
    "SELECT (SELECT COUNT(*) FROM documents) AS documents, "
    "(SELECT COUNT(*) FROM stances WHERE document_id NOT IN (SELECT id FROM documents)) + "
    "(SELECT COUNT(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)) + "
    "(SELECT COUNT(*) FROM sentences WHERE document_id NOT IN (SELECT id FROM documents)) "
    "AS orphans, "
    "(SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
    "(SELECT 1 FROM sentences s WHERE s.document_id = d.id)) AS hollow")


def check_reader(done, label):
    err = done.stderr.decode(errors="replace")
    if done.returncode != 0 or "locked" in err:
        harness.fail(f"{label} while ingest writes: exit {done.returncode}: {err}")


def readers_while_writing(binary, corpus, work, reference):
    db = work / "busy.db"
    first = subprocess.Popen([binary, "ingest", str(corpus), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = None
    last_documents, last_records, rounds = 0, 0, 0
    seen = set()
    while first.poll() is None:
        if not db.exists():
            time.sleep(0.01)
            continue
        done = harness.run(binary, "query", "--db", db, "--format", "json", CONSISTENCY_SQL,
                           check=False)
        if done.returncode != 0 and b"no database" in done.stderr:
            continue  # created a moment later
        if b"no such table" in done.stderr or b"schema version 0" in done.stderr:
            continue  # the schema commits in the first transaction; not yet there
        check_reader(done, "query")
        row = json.loads(done.stdout)[0]
        if row["orphans"] or row["hollow"] or row["documents"] < last_documents:
            harness.fail(f"inconsistent state seen while ingest writes: {row}, "
                         f"{last_documents} documents before")
        last_documents = row["documents"]
        seen.add(last_documents)
        timeline = harness.run(binary, "timeline", "--db", db, "--format", "json", check=False)
        check_reader(timeline, "timeline")
        json.loads(timeline.stdout)
        exported = harness.run(binary, "export", "--db", db, check=False)
        check_reader(exported, "export")
        records = [json.loads(line) for line in exported.stdout.splitlines()]
        if len(records) < last_records:
            harness.fail(f"export went from {last_records} to {len(records)} records")
        last_records = len(records)
        rounds += 1
        if second is None and last_documents > 0:
            second = subprocess.Popen([binary, "ingest", str(corpus), "--db", str(db)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = first.communicate()
    if first.returncode != 0:
        harness.fail(f"the first ingest exited {first.returncode}: {err.decode()}")
    if second is None:
        harness.fail("the ingest ended before the readers saw a document: use more --articles")
    out2, err2 = second.communicate()
    if second.returncode == 0:
        verdict = "waited, then finished: " + out2.decode().splitlines()[0]
        if " 0 new, 0 changed," not in verdict:  # it ran between the first one's transactions
            harness.fail(f"the second ingest redid the first one's work: {verdict}")
    elif second.returncode == 3 and BUSY_MESSAGE in err2.decode():
        verdict = "refused: " + err2.decode().strip()
    else:
        harness.fail(f"the second ingest exited {second.returncode}: {err2.decode()}")
    problems = harness.integrity_problems(db)
    if problems:
        harness.fail(f"after two ingests: {problems[:5]}")
    got = harness.export(binary, db)
    if got != reference:
        harness.fail(f"after two ingests: {harness.first_difference(got, reference)}")
    harness.log(f"{rounds} rounds of query, timeline and export while ingest wrote; "
                f"{len(seen)} distinct document counts seen, never decreasing; "
                f"second ingest {verdict}; export equal to a lone ingest's")


def expect_refusal(binary, corpus, db, label):
    before = harness.sha256(db)
    start = time.monotonic()
    done = harness.run(binary, "ingest", corpus, "--db", db, check=False)
    waited = time.monotonic() - start
    err = done.stderr.decode(errors="replace")
    if done.returncode != 3 or BUSY_MESSAGE not in err:
        harness.fail(f"{label}: exit {done.returncode}, stderr {err}")
    if waited < 4.0:
        harness.fail(f"{label}: refused after {waited:.1f} s, without waiting")
    if harness.sha256(db) != before:
        harness.fail(f"{label}: the database file changed")
    harness.log(f"{label}: refused after {waited:.1f} s: {err.strip()}")


def refusals(binary, corpus, work, finished):
    db = work / "held.db"
    shutil.copy(finished, db)
    with open(db, "rb") as held:  # what a running ingest holds between its transactions
        fcntl.flock(held, fcntl.LOCK_EX)
        expect_refusal(binary, corpus, db, "writer lock held")
    con = sqlite3.connect(str(db), isolation_level=None)
    try:  # what a running ingest holds inside a transaction
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM stances")
        expect_refusal(binary, corpus, db, "write transaction held")
        con.execute("ROLLBACK")
    finally:
        con.close()
    done = harness.run(binary, "ingest", corpus, "--db", db, check=False)
    if done.returncode != 0 or harness.integrity_problems(db):
        harness.fail(f"ingest after the holders let go: exit {done.returncode}")


def main():
    args, binary, work = harness.start(
        __doc__.splitlines()[0],
        lambda parser: parser.add_argument("--articles", type=int, default=800))
    corpus = work / "corpus"
    corpus_gen.write_corpus(corpus, args.articles, 47)
    finished = work / "reference.db"
    seconds, _ = harness.timed_ingest(binary, corpus, finished)
    harness.log(f"reference: {args.articles} articles ingested in {seconds:.2f} s")
    reference = harness.export(binary, finished)
    readers_while_writing(binary, corpus, work, reference)
    refusals(binary, corpus, work, finished)
    harness.log("PASS")


if __name__ == "__main__":
    main()
