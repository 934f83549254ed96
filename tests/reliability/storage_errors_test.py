#!/usr/bin/env python3
"""A full disk and a read-only database give clear errors and never a damaged database.

Full disk, two ways:
  file size limit  RLIMIT_FSIZE set in the child (SIGXFSZ ignored, so a write past the limit
                   fails with EFBIG instead of killing it): works for any user, always run.
  small tmpfs      a tmpfs of a few hundred kB mounted in a private mount namespace
                   (`unshare --mount`, needs root; skipped with a message otherwise): ENOSPC.
Each time `ingest` must exit 3 with a message naming what failed, leave a database that passes
`PRAGMA integrity_check`, and a later run with room must finish and export byte for byte what
an uninterrupted run did.

Read-only database, two ways:
  immutable file   `chattr +i` on the database file (root on ext4; chmod 444 does not stop
                   root), the folder writable.
  read-only mount  the database's folder bind-mounted read-only in a private mount namespace
                   (root), else the folder made unwritable and the commands run as user nobody.
`ingest` must exit 3 with a message saying which file or folder is not writable and leave the
database file's bytes unchanged; `query` and `export` on it must work where SQLite can read
(the immutable file), else fail with a message naming the folder.

Usage: storage_errors_test.py --binary PATH --work-dir DIR
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen  # noqa: E402
import harness  # noqa: E402

ARTICLES = 150
FULL_MESSAGES = ("database or disk is full", "disk I/O error")


def expect_exit(done, status, label, *phrases):
    err = done.stderr.decode(errors="replace")
    if done.returncode != status:
        harness.fail(f"{label}: exit {done.returncode}, expected {status}; stderr: {err}")
    if not any(p in err for p in phrases):
        harness.fail(f"{label}: the message names none of {phrases}: {err}")
    harness.log(f"{label}: exit {status}, {err.strip()}")


def finish_and_compare(binary, corpus, db, reference, label):
    problems = harness.integrity_problems(db)
    if problems:
        harness.fail(f"{label}: database damaged: {problems[:5]}")
    done = harness.run(binary, "ingest", corpus, "--db", db, check=False)
    if done.returncode != 0:
        harness.fail(f"{label}: the run with room exited {done.returncode}: {done.stderr}")
    got = harness.export(binary, db)
    if got != reference:
        harness.fail(f"{label}: {harness.first_difference(got, reference)}")
    harness.log(f"{label}: integrity ok, the run with room finished, export equal")


def file_size_limit(binary, corpus, work, reference, ref_size):
    db = work / "limited.db"
    limit = max(64 * 1024, ref_size // 3)

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = harness.run(binary, "ingest", corpus, "--db", db, check=False,
                       preexec_fn=limit_file_size)
    expect_exit(done, 3, f"file size limit {limit} bytes", *FULL_MESSAGES)
    finish_and_compare(binary, corpus, db, reference, "file size limit")


def can_unshare():
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def in_namespace(script, work):
    """Runs a bash script in a private mount namespace (its mounts vanish with it)."""
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-euc",
                           script], cwd=work, capture_output=True, check=False)


def small_tmpfs(binary, corpus, work, reference, ref_size):
    if not can_unshare():
        harness.log("small tmpfs: skipped (needs root and `unshare --mount`)")
        return
    mount = work / "tmpfs"
    mount.mkdir()
    size_kb = max(128, ref_size // 3 // 1024)
    # The database is copied out before the namespace ends, so that it can be checked here.
    script = f"""
mount -t tmpfs -o size={size_kb}k tmpfs {mount}
set +e
{binary} ingest {corpus} --db {mount}/full.db 2> {work}/tmpfs.err
echo $? > {work}/tmpfs.status
set -e
cp {mount}/full.db* {work}/
"""
    done = in_namespace(script, work)
    if done.returncode != 0:
        harness.fail(f"small tmpfs: {done.stderr.decode(errors='replace')}")
    result = subprocess.CompletedProcess([], int((work / "tmpfs.status").read_text()), b"",
                                         (work / "tmpfs.err").read_bytes())
    expect_exit(result, 3, f"tmpfs of {size_kb} kB", "database or disk is full")
    finish_and_compare(binary, corpus, work / "full.db", reference, "small tmpfs")


def read_only_checks(binary, corpus, db, reference, label, readers_work, run=None):
    """ingest refuses and changes nothing; query and export work or name the folder."""
    run = run or (lambda *a: harness.run(binary, *a, check=False))
    before = harness.sha256(db)
    done = run("ingest", corpus, "--db", db)
    expect_exit(done, 3, f"{label}: ingest", "is not writable")
    if harness.sha256(db) != before:
        harness.fail(f"{label}: the database file changed")
    query = run("query", "--db", db, "--format", "csv", "SELECT COUNT(*) AS n FROM documents")
    exported = run("export", "--db", db)
    if readers_work:
        if query.returncode != 0 or exported.stdout != reference:
            harness.fail(f"{label}: readers failed: {query.stderr} {exported.stderr}")
        harness.log(f"{label}: query and export work, export equal")
    else:
        expect_exit(query, 3, f"{label}: query", "not writable")
    if harness.sha256(db) != before:
        harness.fail(f"{label}: the database file changed")


def immutable_file(binary, corpus, work, reference, finished):
    db = work / "immutable.db"
    shutil.copy(finished, db)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(db)], capture_output=True, check=False).returncode != 0:
        harness.log("immutable file: skipped (chattr +i is not available here)")
        return
    try:
        read_only_checks(binary, corpus, db, reference, "immutable file", True)
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


def read_only_folder(binary, corpus, work, reference, finished):
    folder = work / "ro"
    folder.mkdir()
    db = folder / "chips.db"
    shutil.copy(finished, db)
    if can_unshare():
        def run(*args):
            command = " ".join(f"'{a}'" for a in (binary, *args))
            return in_namespace(f"mount --bind {folder} {folder}; "
                                f"mount -o remount,bind,ro {folder}; exec {command}", work)
        read_only_checks(binary, corpus, db, reference, "read-only mount", False, run)
        return
    if os.geteuid() != 0:
        harness.log("read-only folder: skipped (needs root for a mount or for setuid nobody)")
        return
    import pwd
    nobody = pwd.getpwnam("nobody")
    os.chmod(folder, 0o755)
    work.chmod(0o755)

    def as_nobody():
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    def run(*args):
        return harness.run(binary, *args, check=False, preexec_fn=as_nobody)
    read_only_checks(binary, corpus, db, reference, "folder not writable by nobody", False, run)


def main():
    _, binary, work = harness.start(__doc__.splitlines()[0])
    corpus = work / "corpus"
    corpus_gen.write_corpus(corpus, ARTICLES, 31)
    finished = work / "reference.db"
    harness.run(binary, "ingest", corpus, "--db", finished)
    reference = harness.export(binary, finished)
    ref_size = finished.stat().st_size

    file_size_limit(binary, corpus, work, reference, ref_size)
    small_tmpfs(binary, corpus, work, reference, ref_size)
    immutable_file(binary, corpus, work, reference, finished)
    read_only_folder(binary, corpus, work, reference, finished)
    harness.log("PASS")


if __name__ == "__main__":
    main()
