#!/usr/bin/env python3
"""The benchmark of issue 6: stancetrack's ingest against the storage floor, in one run.

1. Builds the benchmark corpus (make_corpus.py: ../shared/bench plus ../shared/corpus-dev,
   replicated with small edits to --megabytes MB), or takes --corpus DIR.
2. The storage floor: the same texts (title and text of every document, read the way ingest
   reads them: each article file, each JSONL line) bulk-loaded by the sqlite3 shell into a new
   database with one FTS5 table, in one transaction. The SQL file is written first; only the
   sqlite3 process is timed.
3. `stancetrack ingest CORPUS --db NEW.db --stats`, timed as a whole process with its peak
   RSS, and the share of time of each stage as ingest reports it.
4. The same ingest again on the unchanged corpus (incremental: nothing to do but hash).
5. Optionally (--compromise) the JavaScript NLP library compromise on the same texts.
6. Linearity (--scales) and memory (--rss-scale): fresh ingests of K times the corpus.
7. Optionally (--micro BINARY) the Google Benchmark micro-benchmarks.

It prints MB/s, docs/s and peak RSS per run, the ratios, and PASS/FAIL next to each target of
issue 6. The exit status says only whether everything ran (0) or not (1): a slow result is
reported, never an error. 1 MB = 10^6 bytes; MB of a corpus are its bytes on disk.
Python standard library only.
"""

import argparse
import dataclasses
import html.parser
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_corpus  # noqa: E402  (the sibling script)

REPO = pathlib.Path(__file__).resolve().parents[2]
MEGABYTE = make_corpus.MEGABYTE
COMPROMISE_VERSION = "14.17.0"
COMPROMISE_REFERENCE_MBPS = 0.18  # compromise on this machine, as issue 6 reports it
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
STAGE_RE = re.compile(r"^ingest: stage (\S+) ([0-9.]+) s \(([0-9.]+)%\)", re.MULTILINE)
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}

# The targets of issue 6.
MAX_INGEST_OVER_FLOOR = 1.5
MIN_SPEEDUP_OVER_COMPROMISE = 30
MAX_PEAK_RSS_MB = 200
MAX_RSS_GROWTH = 1.10
MAX_TIME_RATIO_AT_16X = 17
MIN_REINGEST_SPEEDUP = 20


class BenchError(Exception):
    """Something could not run: the only reason for a non-zero exit."""


@dataclasses.dataclass
class Corpus:
    path: pathlib.Path
    bytes: int
    documents: int

    @property
    def megabytes(self):
        return self.bytes / MEGABYTE


@dataclasses.dataclass
class Run:
    """One measured process."""
    name: str
    seconds: float
    rss_kb: int
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float  # user + system, of the process and the threads it ran


@dataclasses.dataclass
class Compromise:
    """compromise's run (None when skipped, with the reason) and its own timing of its loop."""
    run: Run | None
    skipped: str = ""
    loop_seconds: float = 0
    text_bytes: int = 0


# --- running and measuring -------------------------------------------------------------------

def measure(name, cmd, work, stdin_path=None):
    """Runs `cmd`; wall time from start to exit, CPU time (user + system) and peak RSS
    (ru_maxrss) of that process. CPU time is what linearity is judged by on a shared machine:
    other processes stretch the wall time of a run, not the work it does.

    A process Python starts inherits Python's own peak RSS (it is spawned by vfork, and exec
    keeps the high-water mark), which would hide any peak below the size of this script. GNU
    time forks the command from a small process and reports the command's own ru_maxrss, so it
    is used when installed; else the figure is an upper bound and says so (see rss_note).
    """
    out_path, err_path = work / f"{name}.stdout", work / f"{name}.stderr"
    rss_path = work / f"{name}.rss"
    rss_path.unlink(missing_ok=True)
    # Files written before (the corpus, the floor's SQL, compromise's texts, the last run's
    # database) are flushed first, so that their writeback does not share the timed run's disk
    # and cores: without this, --compromise runs, which write 50 MB more texts just before,
    # timed ingest at 12.9 and 13.6 s against 9.8 to 11.2 s for runs without it.
    os.sync()
    wrapped = ([GNU_TIME, "-f", "%M %U %S", "-o", str(rss_path)] + cmd) if GNU_TIME else cmd
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            process = subprocess.Popen(wrapped, stdin=stdin, stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
    except OSError as e:
        raise BenchError(f"{name}: cannot run {cmd[0]}: {e}") from e
    finally:
        if stdin_path:
            stdin.close()
    rss_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if GNU_TIME and rss_path.is_file():
        # GNU time writes "Command exited with non-zero status N" before the figures.
        rss, user, system = rss_path.read_text().split()[-3:]
        rss_kb, cpu = int(rss), float(user) + float(system)
    read = lambda p: p.read_text("utf-8", "replace")  # noqa: E731
    return Run(name, seconds, rss_kb, process.returncode, read(out_path), read(err_path), cpu)


def check(run, ok_codes, work):
    if run.returncode not in ok_codes:
        tail = "\n".join(run.stderr.strip().splitlines()[-5:])
        raise BenchError(f"{run.name} exited with status {run.returncode} "
                         f"(full output in {work}/{run.name}.stderr):\n{tail}")
    return run


# --- the corpus and its texts ----------------------------------------------------------------

def build_corpus(work, shared, megabytes, scale):
    """The corpus of megabytes x scale MB in the work dir, rebuilt only when its stamp differs."""
    path = work / f"corpus-{megabytes * scale:g}MB"
    stamp = work / f"corpus-{megabytes * scale:g}MB.stamp"
    key = json.dumps({"megabytes": megabytes, "scale": scale, "shared": str(shared),
                      "script": (REPO / "tests/bench/make_corpus.py").read_text()})
    if not (path.is_dir() and stamp.is_file() and stamp.read_text() == key):
        print(f"building the corpus: {megabytes:g} MB x {scale:g} in {path}", flush=True)
        stamp.unlink(missing_ok=True)
        make_corpus.build(path, megabytes, scale, shared)
        stamp.write_text(key)
    return count_corpus(path)


def count_corpus(path):
    size = documents = 0
    for file in sorted(path.rglob("*")):
        if not file.is_file() or file.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        size += file.stat().st_size
        if file.suffix.lower() == ".jsonl":
            documents += sum(1 for line in file.open("rb") if line.strip())
        else:
            documents += 1
    return Corpus(path, size, documents)


class _HtmlText(html.parser.HTMLParser):
    """The <title> and the visible text of a page (scripts and styles left out)."""

    def __init__(self):
        super().__init__()
        self.title, self.parts, self._skip, self._in_title = "", [], 0, False

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self._in_title |= tag == "title"

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0
        self._in_title &= tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def decode(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def split_front_matter(text):
    if text.startswith("---\n"):
        close = text.find("\n---\n", 4)
        if close > 0:
            title = re.search(r"^title:(.*)$", text[:close], re.MULTILINE)
            return (title.group(1).strip() if title else ""), text[close + 5:]
    return "", text


def json_text(record):
    body = next((record[k] for k in ("text", "body", "content") if isinstance(record.get(k), str)),
                "")
    return str(record.get("title") or ""), body


def documents_of(corpus_path):
    """(title, text) of every document of the corpus, in path order."""
    for file in sorted(corpus_path.rglob("*")):
        suffix = file.suffix.lower()
        if not file.is_file() or suffix not in ARTICLE_SUFFIXES:
            continue
        if suffix == ".jsonl":
            for line in file.open("rb"):
                if line.strip():
                    yield json_text(json.loads(line))
        elif suffix == ".json":
            yield json_text(json.loads(file.read_bytes()))
        elif suffix in (".html", ".htm"):
            page = _HtmlText()
            page.feed(decode(file.read_bytes()))
            yield page.title.strip(), "".join(page.parts)
        else:
            yield split_front_matter(decode(file.read_bytes()))


def sql_string(s):
    return "'" + s.replace("\0", "").replace("'", "''") + "'"


def write_texts(corpus, work, with_jsonl):
    """The floor's SQL file and, for compromise, the texts as JSONL. Not timed."""
    sql_path, texts_path = work / "floor.sql", work / "texts.jsonl"
    with open(sql_path, "w", encoding="utf-8") as sql:
        texts = open(texts_path, "w", encoding="utf-8") if with_jsonl else None
        sql.write("CREATE VIRTUAL TABLE docs USING fts5(title, text);\nBEGIN;\n")
        for title, text in documents_of(corpus.path):
            sql.write(f"INSERT INTO docs(title, text) VALUES({sql_string(title)},"
                      f"{sql_string(text)});\n")
            if texts:
                texts.write(json.dumps({"title": title, "text": text}, ensure_ascii=False) + "\n")
        sql.write("COMMIT;\n")
        if texts:
            texts.close()
    return sql_path, texts_path


# --- the runs --------------------------------------------------------------------------------

def run_floor(sql_path, work):
    db = work / "floor.db"
    db.unlink(missing_ok=True)
    run = measure("floor", ["sqlite3", "-bail", str(db)], work, stdin_path=sql_path)
    db.unlink(missing_ok=True)
    return check(run, (0,), work)


def ingest_command(args, corpus, db, stats):
    cmd = [str(args.binary), "ingest", str(corpus.path), "--db", str(db)]
    if stats:
        cmd.append("--stats")
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    return cmd


def remove_db(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        pathlib.Path(str(db) + suffix).unlink(missing_ok=True)


def supports_stats(binary):
    try:
        help_text = subprocess.run([str(binary), "ingest", "--help"], capture_output=True,
                                   text=True, check=False).stdout
    except OSError as e:
        raise BenchError(f"cannot run {binary}: {e}") from e
    return "--stats" in help_text


def run_ingest(name, args, corpus, db, stats, work):
    # Status 1 means "done, some inputs not stored": the run still counts.
    return check(measure(name, ingest_command(args, corpus, db, stats), work), (0, 1), work)


def run_compromise(texts_path, work):
    prefix = work / "npm"
    package = prefix / "node_modules" / "compromise"
    installed = package / "package.json"
    if not (installed.is_file()
            and json.loads(installed.read_text()).get("version") == COMPROMISE_VERSION):
        print(f"installing compromise@{COMPROMISE_VERSION} with npm into {prefix}", flush=True)
        try:
            npm = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                                  str(prefix), f"compromise@{COMPROMISE_VERSION}"],
                                 capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            return Compromise(None, f"npm could not run ({e})")
        if npm.returncode != 0:
            last = (npm.stderr.strip().splitlines() or ["no message"])[-1]
            return Compromise(None, f"npm install failed ({last})")
    script = REPO / "tests" / "bench" / "compromise_bench.js"
    run = measure("compromise", ["node", str(script), str(prefix), str(texts_path)], work)
    if run.returncode != 0:
        return Compromise(None, f"node exited with status {run.returncode} "
                          f"(see {work}/compromise.stderr)")
    inner = json.loads(run.stdout)
    return Compromise(run, "", inner["seconds"], inner["bytes"])


# --- printing --------------------------------------------------------------------------------

def rate(amount, seconds):
    return amount / seconds if seconds > 0 else float("inf")


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())


def run_row(name, corpus, run):
    return [name, f"{corpus.megabytes:.1f}", corpus.documents, f"{run.seconds:.2f}",
            f"{rate(corpus.megabytes, run.seconds):.2f}",
            f"{rate(corpus.documents, run.seconds):.0f}", f"{run.rss_kb / 1024:.1f} MB"]


def verdict(ok, text):
    print(f"  {'PASS' if ok else 'FAIL'}  {text}")


def git_state():
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        rev = ""
    return rev or "unknown"


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"


def print_stages(ingest):
    stages = STAGE_RE.findall(ingest.stderr + ingest.stdout)
    if not stages:
        print("stage shares: not available (this ingest has no --stats)")
        return
    print("stage shares of the first ingest (as ingest --stats reports them):")
    print_table(["  stage", "seconds", "share"],
                [[f"  {n}", f"{float(s):.2f}", f"{float(p):.1f}%"] for n, s, p in stages])


# --- main ------------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=pathlib.Path, default=REPO / "build" / "stancetrack",
                        help="the stancetrack to measure (default: build/stancetrack)")
    parser.add_argument("--work-dir", type=pathlib.Path,
                        default=pathlib.Path(tempfile.gettempdir()) / "stancetrack-bench",
                        help="corpora (kept, rebuilt when the arguments change), SQL, "
                        "databases (deleted after each run) and each run's output")
    parser.add_argument("--shared", type=pathlib.Path, default=make_corpus.default_shared_dir(),
                        help="folder holding bench/ and corpus-dev/ (default: ../shared)")
    parser.add_argument("--corpus", type=pathlib.Path, help="use this folder as it is")
    parser.add_argument("--megabytes", type=float, default=50, help="corpus size (default 50)")
    parser.add_argument("--jobs", type=int, help="ingest --jobs (default: ingest's own)")
    parser.add_argument("--scales", default="",
                        help="e.g. 1,4,16: fresh ingests of K times the corpus, in a table")
    parser.add_argument("--scale-megabytes", type=float,
                        help="the 1x corpus of --scales (default: --megabytes)")
    parser.add_argument("--rss-scale", type=float, default=0,
                        help="e.g. 10: peak RSS of a fresh ingest of K times the corpus")
    parser.add_argument("--compromise", action="store_true",
                        help=f"also time compromise@{COMPROMISE_VERSION} (npm) on the same texts")
    parser.add_argument("--micro", type=pathlib.Path, help="the micro_bench binary to run first")
    args = parser.parse_args()
    try:
        args.scales = [float(k) for k in args.scales.split(",") if k.strip()]
    except ValueError:
        parser.error(f"--scales: expected numbers separated by commas, got {args.scales!r}")
    if args.corpus and (args.scales or args.rss_scale):
        parser.error("--scales and --rss-scale build their corpora; they cannot use --corpus")
    return args


def run_micro(binary):
    print(f"== micro-benchmarks ({binary})", flush=True)
    status = subprocess.run([str(binary)], check=False).returncode
    if status != 0:
        raise BenchError(f"{binary} exited with status {status}")
    print()


def fresh_ingest(args, corpus, work, stats, name):
    db = work / f"{name}.db"
    remove_db(db)
    run = run_ingest(name, args, corpus, db, stats, work)
    remove_db(db)
    return run


def main_run(args, work, stats):
    """Floor, ingest, re-ingest (and compromise) on the main corpus. Returns the results."""
    corpus = (count_corpus(args.corpus) if args.corpus
              else build_corpus(work, args.shared, args.megabytes, 1))
    print(f"corpus: {corpus.path}: {corpus.megabytes:.1f} MB, {corpus.documents} documents "
          "(files and JSONL lines)", flush=True)
    sql_path, texts_path = write_texts(corpus, work, args.compromise)
    floor = run_floor(sql_path, work)
    db = work / "ingest.db"
    remove_db(db)
    first = run_ingest("ingest", args, corpus, db, stats, work)
    again = run_ingest("reingest", args, corpus, db, stats, work)
    remove_db(db)
    compromise = run_compromise(texts_path, work) if args.compromise else None
    return corpus, floor, first, again, compromise


def report_main(corpus, floor, first, again, compromise):
    print(f"\n== {corpus.megabytes:.1f} MB, {corpus.documents} documents")
    rows = [run_row("storage floor (sqlite3 FTS5)", corpus, floor),
            run_row("ingest (new database)", corpus, first),
            run_row("re-ingest (unchanged)", corpus, again)]
    if compromise and compromise.run:
        rows.append(run_row("compromise (node, 1 thread)", corpus, compromise.run))
    print_table(["run", "MB", "documents", "seconds", "MB/s", "docs/s", "peak RSS"], rows)
    print(f"ingest / floor: {first.seconds / floor.seconds:.2f}x the floor's time")
    print(f"first / re-ingest: {first.seconds / again.seconds:.1f}x faster the second time")
    for run in (first, again):
        summary = next((line for line in run.stdout.splitlines() if " new, " in line), None)
        if summary:
            print(f"{run.name} says: {summary.removeprefix('ingest: ')}")
        if run.returncode == 1:
            print(f"note: {run.name} exited 1: some inputs were not stored "
                  f"(listed in {run.name}.stderr)")
    if compromise and compromise.run:
        print(f"compromise: {compromise.loop_seconds:.1f} s in its loop "
              f"({rate(compromise.text_bytes / MEGABYTE, compromise.loop_seconds):.2f} MB/s of "
              f"text), {compromise.run.seconds:.1f} s as a process; ingest is "
              f"{compromise.run.seconds / first.seconds:.1f}x faster")
    elif compromise:
        print(f"compromise: skipped: {compromise.skipped}")
    print_stages(first)


def scale_runs(args, work, corpus, first):
    """{scale: (Corpus, Run)} for --scales and --rss-scale; 1x of the main size reuses `first`."""
    base = args.scale_megabytes or args.megabytes
    wanted = [(base, k) for k in args.scales]
    if args.rss_scale:
        wanted += [(args.megabytes, 1), (args.megabytes, args.rss_scale)]
    results = {}
    for megabytes, k in wanted:
        size = megabytes * k
        if size in results:
            continue
        if size == args.megabytes and not args.corpus:
            results[size] = (corpus, first)
            continue
        scaled = build_corpus(work, args.shared, megabytes, k)
        print(f"ingesting {scaled.megabytes:.1f} MB ({megabytes:g} MB x {k:g})", flush=True)
        results[size] = (scaled, fresh_ingest(args, scaled, work, False, f"ingest-{size:g}MB"))
    return results


def report_scales(args, results):
    base = args.scale_megabytes or args.megabytes
    if not args.scales:
        return None
    print(f"\n== linearity: fresh ingests of K x {base:g} MB")
    one = results[base * 1] if 1 in args.scales else results[base * args.scales[0]]
    rows = []
    for k in args.scales:
        corpus, run = results[base * k]
        rows.append([f"{k:g}x", f"{corpus.megabytes:.1f}", corpus.documents, f"{run.seconds:.2f}",
                     f"{rate(corpus.megabytes, run.seconds):.2f}",
                     f"{run.rss_kb / 1024:.1f} MB", f"{run.seconds / one[1].seconds:.2f}",
                     f"{run.cpu_seconds:.2f}", f"{run.cpu_seconds / one[1].cpu_seconds:.2f}"])
    print_table(["scale", "MB", "documents", "seconds", "MB/s", "peak RSS", "time / 1x",
                 "CPU s", "CPU / 1x"], rows)
    return {k: (results[base * k][1].seconds / one[1].seconds,
                results[base * k][1].cpu_seconds / one[1].cpu_seconds) for k in args.scales}


def report_targets(args, corpus, floor, first, again, compromise, time_ratios, results):
    print("\n== targets of issue 6 (measured in this run)")
    ingest_mbps = rate(corpus.megabytes, first.seconds)
    ratio = first.seconds / floor.seconds
    verdict(ratio <= MAX_INGEST_OVER_FLOOR,
            f"ingest takes at most {MAX_INGEST_OVER_FLOOR}x the floor's time: {ratio:.2f}x")
    if compromise and compromise.run:
        speedup = compromise.run.seconds / first.seconds
        verdict(speedup >= MIN_SPEEDUP_OVER_COMPROMISE,
                f"ingest at least {MIN_SPEEDUP_OVER_COMPROMISE}x faster than compromise: "
                f"{speedup:.1f}x")
    else:
        print(f"  ----  ingest at least {MIN_SPEEDUP_OVER_COMPROMISE}x faster than compromise: "
              f"not measured (--compromise); {ingest_mbps / COMPROMISE_REFERENCE_MBPS:.1f}x the "
              f"{COMPROMISE_REFERENCE_MBPS} MB/s issue 6 reports")
    rss_mb = first.rss_kb / 1024
    verdict(rss_mb <= MAX_PEAK_RSS_MB, f"peak RSS at most {MAX_PEAK_RSS_MB} MB: {rss_mb:.1f} MB")
    if args.rss_scale:
        big = results[args.megabytes * args.rss_scale][1]
        growth = big.rss_kb / results[args.megabytes][1].rss_kb
        verdict(growth <= MAX_RSS_GROWTH,
                f"peak RSS at {args.rss_scale:g}x at most {MAX_RSS_GROWTH:.2f}x that at 1x: "
                f"{big.rss_kb / 1024:.1f} MB, {growth:.2f}x")
    else:
        print("  ----  peak RSS at 10x: not measured (--rss-scale 10)")
    if time_ratios and 16 in time_ratios and 1 in time_ratios:
        wall, cpu = time_ratios[16]
        verdict(wall <= MAX_TIME_RATIO_AT_16X,
                f"16x the corpus takes at most {MAX_TIME_RATIO_AT_16X}x as long: {wall:.2f}x")
        verdict(cpu <= MAX_TIME_RATIO_AT_16X,
                f"16x the corpus takes at most {MAX_TIME_RATIO_AT_16X}x the CPU time: {cpu:.2f}x")
    else:
        print("  ----  linearity at 16x: not measured (--scales 1,4,16)")
    speedup = first.seconds / again.seconds
    verdict(speedup >= MIN_REINGEST_SPEEDUP,
            f"re-ingest at least {MIN_REINGEST_SPEEDUP}x faster than the first: {speedup:.1f}x")


def main():
    args = parse_args()
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not args.binary.is_file():
        raise BenchError(f"{args.binary}: no such binary (build it, or pass --binary)")
    if shutil.which("sqlite3") is None:
        raise BenchError("the sqlite3 shell is not installed (Debian: apt-get install sqlite3)")
    print(f"stancetrack benchmark (issue 6): {args.binary} at {git_state()}, "
          f"{os.cpu_count()} cores, ingest --jobs {args.jobs or 'default'}; work dir {work}")
    print(f"load average before: {load_average()} (other work on the machine slows every run)")
    if not GNU_TIME:
        print("note: /usr/bin/time (Debian package `time`) is missing: each peak RSS below is "
              "an upper bound that includes this script's own")
    if args.micro:
        run_micro(args.micro)
    stats = supports_stats(args.binary)
    corpus, floor, first, again, compromise = main_run(args, work, stats)
    results = scale_runs(args, work, corpus, first)
    report_main(corpus, floor, first, again, compromise)
    time_ratios = report_scales(args, results)
    if args.rss_scale:
        big_corpus, big = results[args.megabytes * args.rss_scale]
        print(f"\n== memory: {big_corpus.megabytes:.1f} MB ({args.rss_scale:g}x), "
              f"{big_corpus.documents} documents, {big.seconds:.1f} s "
              f"({rate(big_corpus.megabytes, big.seconds):.2f} MB/s): peak RSS "
              f"{big.rss_kb / 1024:.1f} MB against {first.rss_kb / 1024:.1f} MB at 1x")
    report_targets(args, corpus, floor, first, again, compromise, time_ratios, results)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
