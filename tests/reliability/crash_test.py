#!/usr/bin/env python3
"""Crash consistency: `ingest` killed with SIGKILL at random moments never corrupts the database.

Builds a corpus of generated articles (corpus_gen.py) and a changed version of it, and makes the
reference exports with uninterrupted runs. Then, in cycles, starts `ingest`, kills it with
SIGKILL after a random delay (seeded; the seed is printed and --seed repeats a run), and checks
the file with `PRAGMA integrity_check` and `PRAGMA foreign_key_check` after every kill. Every
kill starts from its scenario's first state, so that its delay falls where the scenario aims;
at the end of every cycle (every few kills) one more run of the same command, on what the
cycle's last kill left, must finish and export byte for byte what the uninterrupted run did.
Cycles rotate over four scenarios:

  fresh        a new database, the first corpus (kills land in startup, schema creation,
               writes, near-duplicate linking)
  change       a copy of the finished first database, re-ingesting the changed corpus
  link-fresh   as fresh, but the delay counts from the run's last document write (the test
               polls the database for it), so the kill lands in the near-duplicate link step
  link-change  the same for the re-ingest of the changed corpus

After each kill the state the kill left is classified (startup, writing, linking pending,
finishing) from the database, and the counts are printed. A link scenario's kill that lands
after the link step narrows that scenario's window to below its delay, and if no kill of the
cycles left the links pending, up to MORE_LINK_KILLS more link kills follow; one must.

Also checked once: an incremental re-ingest of the changed corpus over the first database gives
the export of a fresh ingest of the changed corpus.

Usage: crash_test.py --binary PATH --work-dir DIR [--kills N] [--kills-per-cycle N]
                     [--articles N] [--seed S]
"""
import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen  # noqa: E402
import harness  # noqa: E402

CORPUS_SEED = 2025  # the corpus is always the same; --seed draws the kill moments
MORE_LINK_KILLS = 12  # tries after the cycles when none of their kills landed in linking


class Scenario:
    def __init__(self, name, corpus, reference, window, writes=None):
        self.name = name
        self.corpus = corpus
        self.reference = reference
        # (earliest, latest) delay before the kill, in seconds: from the start, or with
        # `writes`, from the moment the run has stored that many documents (its last write).
        self.window = window
        self.writes = writes


def build_corpora(work, articles):
    first, changed = work / "corpus-1", work / "corpus-2"
    corpus_gen.write_corpus(first, articles, CORPUS_SEED)
    shutil.copytree(first, changed)
    touched = corpus_gen.change_corpus(changed, CORPUS_SEED + 1)
    harness.log(f"corpus: {articles} articles, changed version: {touched} files edited or added")
    return first, changed


def references(binary, work, first, changed):
    """Reference exports and timings; returns (scenarios, the finished first database)."""
    ref1, ref2, incremental = work / "ref-1.db", work / "ref-2.db", work / "incremental.db"
    t_fresh, link_fresh = harness.timed_ingest(binary, first, ref1)
    export1 = harness.export(binary, ref1)
    harness.timed_ingest(binary, changed, ref2)
    export2 = harness.export(binary, ref2)
    shutil.copy(ref1, incremental)
    t_change, link_change = harness.timed_ingest(binary, changed, incremental)
    if harness.export(binary, incremental) != export2:
        harness.fail("re-ingesting the changed corpus over the first database does not export "
                     "what a fresh ingest of it does: " +
                     harness.first_difference(harness.export(binary, incremental), export2))
    harness.log(f"reference: fresh ingest {t_fresh:.2f} s (link {link_fresh:.2f} s), "
                f"re-ingest of the changed corpus {t_change:.2f} s (link {link_change:.2f} s); "
                f"exports {len(export1)} and {len(export2)} bytes")
    changed_documents = count_changed(ref1, ref2)
    # Link windows: from the last document write to a little past the link step's length.
    scenarios = [
        Scenario("fresh", first, export1, (0.0, t_fresh)),
        Scenario("change", changed, export2, (0.0, t_change)),
        Scenario("link-fresh", first, export1, (0.0, 1.5 * link_fresh + 0.01),
                 writes=harness.scalar(ref1, "SELECT count(*) FROM documents")),
        Scenario("link-change", changed, export2, (0.0, 1.5 * link_change + 0.01),
                 writes=changed_documents),
    ]
    return scenarios, ref1


def count_changed(before, after):
    """How many documents of `after` are new or changed relative to `before`."""
    old, _, _ = stored_hashes(before)
    new, _, _ = stored_hashes(after)
    return sum(1 for path, digest in new.items() if old.get(path) != digest)


def wait_for_writes(db, count, process, first_run):
    """Polls `db` until the running ingest (run id >= first_run) has stored `count` documents;
    False if it ended first."""
    con = None
    try:
        while process.poll() is None:
            try:
                if con is None:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
                written = con.execute("SELECT count(*) FROM documents WHERE run_id = "
                                      "(SELECT max(id) FROM runs) AND run_id >= ?",
                                      (first_run,)).fetchone()[0]
                if written >= count:
                    return True
            except sqlite3.OperationalError:  # no schema yet
                if con is not None:
                    con.close()
                    con = None
            time.sleep(0.002)
        return False
    finally:
        if con is not None:
            con.close()


def stored_hashes(db):
    """(path -> content hash, link rules, the last run's finished_at); Nones before the schema."""
    with harness.reading(db) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "link_state" not in tables:
            return None, None, None
        hashes = dict(con.execute("SELECT path, content_hash FROM documents"))
        rules = con.execute("SELECT rules FROM link_state").fetchone()[0]
        finished = con.execute("SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return hashes, rules, finished[0] if finished else None


def classify(db, expected_hashes):
    """Where the killed run was, judged from what it left: startup, writing, linking, finishing."""
    if not Path(db).exists():
        return "startup"
    hashes, rules, finished = stored_hashes(db)
    if hashes is None:
        return "startup"
    if hashes != expected_hashes:
        return "writing"
    if rules is None:
        return "linking"
    return "finishing" if finished is None else "finished"


def kill_once(binary, scenario, db, rng):
    """Starts ingest, kills it after a random delay; returns (the delay, whether it was killed
    rather than ending first)."""
    delay = rng.uniform(*scenario.window)
    first_run = harness.scalar(db, "SELECT max(id) + 1 FROM runs") if Path(db).exists() else 1
    process = subprocess.Popen([binary, "ingest", str(scenario.corpus), "--db", str(db)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if scenario.writes is not None:
        wait_for_writes(db, scenario.writes, process, first_run)
    time.sleep(delay)
    if process.poll() is not None:
        process.communicate()
        return delay, False
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return delay, True


def narrow_link_window(scenario, delay, state):
    """A link scenario's kill that came after the link step says the step is shorter than
    `delay`: later kills aim below it. The link step of a small corpus lasts a few
    milliseconds, about what polling for the last write takes, so a window fixed from the
    reference run can miss it every time."""
    if scenario.writes is not None and state in ("ended", "finishing", "finished"):
        scenario.window = (scenario.window[0], min(scenario.window[1], delay))


def complete(binary, scenario, db, label):
    done = harness.run(binary, "ingest", scenario.corpus, "--db", db, check=False)
    if done.returncode != 0:
        harness.fail(f"{label}: the ingest after the kills exited {done.returncode}: "
                     f"{done.stderr.decode(errors='replace')}")
    problems = harness.integrity_problems(db)
    if problems:
        harness.fail(f"{label}: after the completing run: {problems[:5]}")
    got = harness.export(binary, db)
    if got != scenario.reference:
        harness.fail(f"{label}: export differs from the uninterrupted run: "
                     f"{harness.first_difference(got, scenario.reference)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--articles", type=int, default=800)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kills-per-cycle", type=int, default=4,
                        help="kills between two runs that must finish and export the reference")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    harness.log(f"seed {seed} (repeat with --seed {seed})")
    rng = random.Random(seed)
    work = Path(args.work_dir).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    first, changed = build_corpora(work, args.articles)
    scenarios, finished_first = references(args.binary, work, first, changed)
    expected = {}
    for scenario, ref in zip(scenarios, ("ref-1.db", "ref-2.db", "ref-1.db", "ref-2.db")):
        expected[scenario.name], _, _ = stored_hashes(work / ref)

    db = work / "killed.db"
    kills, survived, cycles = 0, 0, 0
    states = Counter()

    def kill_and_check(scenario):
        """One kill from the scenario's first state, so its window is exact; checks the file."""
        nonlocal kills, survived
        harness.remove_database(db)
        if scenario.corpus == changed:
            shutil.copy(finished_first, db)
        delay, killed = kill_once(args.binary, scenario, db, rng)
        if not killed:
            narrow_link_window(scenario, delay, "ended")
            survived += 1
            return
        kills += 1
        state = classify(db, expected[scenario.name])
        narrow_link_window(scenario, delay, state)
        states[f"{scenario.name}/{state}"] += 1
        problems = harness.integrity_problems(db)
        if problems:
            harness.fail(f"kill {kills} ({scenario.name}, after {delay:.3f} s, {state}): "
                         f"{problems[:5]}")

    def linking_kills():
        return sum(count for name, count in states.items() if name.endswith("/linking"))

    start = time.monotonic()
    while kills < args.kills:
        scenario = scenarios[cycles % len(scenarios)]
        cycles += 1
        for _ in range(args.kills_per_cycle):
            if kills < args.kills:
                kill_and_check(scenario)
        # The run after the cycle's last kill recovers from what that kill left.
        complete(args.binary, scenario, db, f"cycle {cycles} ({scenario.name})")
    # The link windows have narrowed by now; a few more tries find the step if it is there.
    link_scenarios = [scenario for scenario in scenarios if scenario.writes is not None]
    extra = 0
    while linking_kills() == 0 and extra < MORE_LINK_KILLS:
        scenario = link_scenarios[extra % len(link_scenarios)]
        kill_and_check(scenario)
        complete(args.binary, scenario, db, f"extra link kill {extra + 1} ({scenario.name})")
        extra += 1
    elapsed = time.monotonic() - start
    harness.log(f"{kills} kills in {cycles} cycles and {extra} extra link kills ({survived} runs "
                f"ended before their kill), {elapsed:.1f} s; integrity ok after every kill; every "
                f"completing run exported the reference")
    harness.log("state left by the kills: " +
                ", ".join(f"{name} {count}" for name, count in sorted(states.items())))
    if linking_kills() == 0:
        harness.fail("no kill landed while the near-duplicate links were pending")
    harness.log("PASS")


if __name__ == "__main__":
    main()
