"""What the reliability tests share: running the binary, checking a database, timing.

Standard library only. A database is opened read-only here (mode=ro), so that a check never
recovers, checkpoints or otherwise changes what stancetrack left behind. One state needs a
writer to read: a hot rollback journal (DB-journal, left by a kill while a new database was
switched to WAL mode), which SQLite must roll back first; that state is checked on a copy.
"""
import argparse
import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKIPPED = 77  # CTest's SKIP_RETURN_CODE for these scripts


def log(message):
    print(message, flush=True)


def run(binary, *args, check=True, cwd=None, env=None, preexec_fn=None, timeout=600):
    """Runs stancetrack; returns the CompletedProcess. check: exit 0 or 1 is required."""
    done = subprocess.run([binary, *map(str, args)], capture_output=True, cwd=cwd, env=env,
                          preexec_fn=preexec_fn, timeout=timeout, check=False)
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"stancetrack {' '.join(map(str, args))}: exit {done.returncode}\n"
                             f"{done.stderr.decode(errors='replace')}")
    return done


def export(binary, db):
    """The export of `db` as bytes (the record of every document, in path order)."""
    return run(binary, "export", "--db", db).stdout


def timed_ingest(binary, corpus, db):
    """Ingests to completion; returns (seconds, seconds of the link stage)."""
    start = time.monotonic()
    done = run(binary, "ingest", corpus, "--db", db, "--stats")
    seconds = time.monotonic() - start
    link = 0.0
    for line in done.stdout.decode().splitlines():
        if line.startswith("ingest: stage link "):
            link = float(line.split()[3])
    return seconds, link


@contextlib.contextmanager
def reading(db):
    """A connection that reads `db` as stancetrack's next run would find it."""
    journal = Path(f"{db}-journal")
    if not (journal.exists() and journal.stat().st_size > 0):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            yield con
        finally:
            con.close()
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copy(db, copy)
        shutil.copy(journal, f"{copy}-journal")
        con = sqlite3.connect(copy, timeout=30)
        try:
            yield con
        finally:
            con.close()


def integrity_problems(db):
    """What is wrong with the database file (integrity_check, foreign keys); [] if nothing."""
    if not Path(db).exists():
        return []
    with reading(db) as con:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows
        problems += [f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check")]
        return problems


def scalar(db, sql):
    with reading(db) as con:
        return con.execute(sql).fetchone()[0]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def remove_database(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{db}{suffix}")
        except FileNotFoundError:
            pass


def first_difference(a, b):
    """A short description of where two exports part."""
    lines_a, lines_b = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(lines_a, lines_b)):
        if x != y:
            return f"record {i + 1}:\n  got      {x[:300]!r}\n  expected {y[:300]!r}"
    return f"{len(lines_a)} records, expected {len(lines_b)}"


def fail(message):
    log(f"FAIL: {message}")
    sys.exit(1)


def start(description, add_arguments=None):
    """Parses --binary, --work-dir and what `add_arguments(parser)` adds; empties the work
    folder. Returns (args, binary, work) with absolute paths."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work-dir", required=True)
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    work = Path(args.work_dir).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return args, binary, work
