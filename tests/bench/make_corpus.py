#!/usr/bin/env python3
"""Builds the benchmark corpus of issue 6 in a folder.

Sources (from --shared, by default the repository's ../shared): bench/bbc/<category>/<n>.txt,
bench/bbc.jsonl, bench/sina_zh.jsonl and corpus-dev/articles/*; with --policy-articles, only
the articles about the export controls, the project's corpus/articles/* and
corpus-dev/articles/*, so that every document is about a policy (the database the queries of
issue 6 are timed on). They are copied as copy 0 and
then replicated as copies 1, 2, ... until the corpus holds at least --megabytes x --scale MB
(1 MB = 10^6 bytes); a last partial copy takes the same leading share of every source, so the
mix of languages and formats stays that of the sources. Copy k > 0 carries small edits: a
marker "[copy k]" appended to the title and a few pairs of adjacent words (Latin) or
characters (Han) swapped. Every document (a file, or a line of a JSONL file) has content no
other document has: where an edit would repeat one seen before (the sources hold exact
duplicates), the marker becomes "[copy k.v]" with the next variant v.

Formats stay as in the sources: text files keep their bytes (a file that is not valid UTF-8
stays so, and its front matter, if any, stays front matter), JSONL lines stay one JSON object
per line. The output depends only on the arguments and the sources: the same arguments give
the same bytes. Standard library only.

Usage: make_corpus.py OUT [--megabytes 50] [--scale 1] [--shared DIR] [--policy-articles]
"""

import argparse
import hashlib
import json
import os
import pathlib
import random
import re
import shutil
import sys

MEGABYTE = 1_000_000
SWAPS_PER_COPY = 3
TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm"}
# Two adjacent words of a spaced script, or two adjacent Han characters.
SWAP_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,})(\s+)([A-Za-z]{2,})"
                     r"|([\u4e00-\u9fff])([\u4e00-\u9fff])")
FRONT_MATTER_TITLE_RE = re.compile(r"^title:[^\n]*", re.MULTILINE)
HTML_TITLE_END_RE = re.compile(r"</title>", re.IGNORECASE)


def default_shared_dir():
    return pathlib.Path(__file__).resolve().parents[2].parent / "shared"


class Unit:
    """One document of the sources: a whole file, or one line of a JSONL file."""

    def __init__(self, source, name, data):
        self.source = source  # the output file it belongs to, relative to the copy's folder
        self.name = name  # unique id, seeds the edits
        self.data = data  # bytes (a file, or a JSONL line without its newline)


def article_files(root, base):
    """The text and HTML files under `root` as Units named relative to `base`, sorted."""
    files = sorted(p for p in root.rglob("*")
                   if p.is_file() and p.suffix.lower() in TEXT_EXTENSIONS | HTML_EXTENSIONS)
    return [Unit(str(p.relative_to(base)), str(p.relative_to(base)), p.read_bytes())
            for p in files]


def load_sources(shared, policy_articles):
    """The sources in a fixed order, each a list of Units."""
    if policy_articles:
        project = pathlib.Path(__file__).resolve().parents[2]
        sources = [article_files(project / "corpus" / "articles", project),
                   article_files(shared / "corpus-dev" / "articles", shared)]
        return checked(sources, shared)
    bench = shared / "bench"
    bbc_files = sorted(p for p in (bench / "bbc").glob("*/*.txt"))
    sources = [[Unit(str(p.relative_to(shared)), str(p.relative_to(shared)), p.read_bytes())
                for p in bbc_files]]
    for name in ("bbc.jsonl", "sina_zh.jsonl"):
        lines = (bench / name).read_bytes().split(b"\n")
        sources.append([Unit(f"bench/{name}", f"bench/{name}#{i + 1}", line)
                        for i, line in enumerate(lines) if line.strip()])
    sources.append(article_files(shared / "corpus-dev" / "articles", shared))
    return checked(sources, shared)


def checked(sources, shared):
    for source in sources:
        if not source:
            sys.exit(f"make_corpus: a source under {shared} is missing or empty")
    return sources


def swap_words(body, rng):
    """Swaps SWAPS_PER_COPY pairs of adjacent words at places the generator picks."""
    for _ in range(SWAPS_PER_COPY):
        if not body:
            return body
        start = rng.randrange(len(body))
        m = SWAP_RE.search(body, start) or SWAP_RE.search(body)
        if not m:
            return body
        if m.group(1):
            swapped = m.group(3) + m.group(2) + m.group(1)
        else:
            swapped = m.group(5) + m.group(4)
        body = body[:m.start()] + swapped + body[m.end():]
    return body


def edit_text_file(text, marker, rng):
    """Title marker (front matter title, else the first line) and swaps in what follows."""
    if text.startswith("---\n"):
        close = text.find("\n---\n", 4)
        if close > 0:
            head = FRONT_MATTER_TITLE_RE.sub(lambda m: m.group(0) + marker, text[:close], 1)
            return head + swap_words(text[close:], rng)
    first_line_end = text.find("\n")
    if first_line_end < 0:
        return text + marker
    return text[:first_line_end] + marker + swap_words(text[first_line_end:], rng)


def edit_html_file(text, marker, rng):
    m = HTML_TITLE_END_RE.search(text)
    if not m:
        return marker + "\n" + swap_words(text, rng)
    return text[:m.start()] + marker + swap_words(text[m.start():], rng)


def edit_json_line(line, marker, rng):
    record = json.loads(line)
    record["title"] = (record.get("title") or "") + marker
    for field in ("text", "body", "content"):
        if isinstance(record.get(field), str):
            record[field] = swap_words(record[field], rng)
            break
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def edited(unit, copy, variant):
    """The bytes of `unit` in copy `copy`, variant `variant` (0: the first try)."""
    if copy == 0 and variant == 0:
        return unit.data
    marker = f" [copy {copy}]" if variant == 0 else f" [copy {copy}.{variant}]"
    rng = random.Random(f"{unit.name}|{copy}|{variant}")
    suffix = pathlib.PurePath(unit.source).suffix.lower()
    if suffix == ".jsonl":
        return edit_json_line(unit.data, marker, rng)
    # surrogateescape keeps bytes that are not UTF-8 (a cp1252 file stays cp1252).
    text = unit.data.decode("utf-8", "surrogateescape")
    edit = edit_html_file if suffix in HTML_EXTENSIONS else edit_text_file
    return edit(text, marker, rng).encode("utf-8", "surrogateescape")


def leading_share(source, fraction):
    """The first units of `source` that hold `fraction` of its bytes (all when >= 1)."""
    if fraction >= 1:
        return source
    budget = fraction * sum(len(unit.data) for unit in source)
    taken = 0
    for count, unit in enumerate(source):
        if taken >= budget:
            return source[:count]
        taken += len(unit.data)
    return source


class Writer:
    """Writes units into OUT/cNNN/..., keeping every document's content unique."""

    def __init__(self, out):
        self.out = out
        self.seen = set()
        self.bytes = 0
        self.documents = 0

    def unique(self, unit, copy):
        variant = 0
        while True:
            data = edited(unit, copy, variant)
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if digest not in self.seen:
                self.seen.add(digest)
                return data
            variant += 1

    def write_copy(self, sources, copy, fraction):
        folder = self.out / f"c{copy:03d}"
        for source in sources:
            jsonl = {}
            for unit in leading_share(source, fraction):
                data = self.unique(unit, copy)
                if unit.source.endswith(".jsonl"):
                    jsonl.setdefault(unit.source, []).append(data)
                else:
                    self.put(folder / unit.source, data)
            for name, lines in jsonl.items():
                self.put(folder / name, b"".join(line + b"\n" for line in lines), len(lines))

    def put(self, path, data, documents=1):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.bytes += len(data)
        self.documents += documents


def build(out, megabytes, scale, shared, policy_articles=False):
    """Builds the corpus in `out` (emptied first). Returns (bytes, documents)."""
    sources = load_sources(shared, policy_articles)
    target = int(megabytes * scale * MEGABYTE)
    copy_bytes = sum(len(u.data) + (1 if u.source.endswith(".jsonl") else 0)
                     for source in sources for u in source)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    writer = Writer(out)
    copy = 0
    while writer.bytes < target:
        # Edits make a copy slightly larger than the sources; the slack keeps the last partial
        # copy from falling a few bytes short, which would start another one.
        fraction = min(1.0, (target - writer.bytes) / copy_bytes * 1.01)
        writer.write_copy(sources, copy, fraction)
        copy += 1
    return writer.bytes, writer.documents


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=pathlib.Path, help="folder to create (emptied first)")
    parser.add_argument("--megabytes", type=float, default=50, help="size in MB (10^6 bytes)")
    parser.add_argument("--scale", type=float, default=1, help="multiplies --megabytes")
    parser.add_argument("--shared", type=pathlib.Path, default=default_shared_dir(),
                        help="folder holding bench/ and corpus-dev/ (default: ../shared)")
    parser.add_argument("--policy-articles", action="store_true",
                        help="only corpus/articles and corpus-dev/articles: every document is "
                        "about a policy")
    args = parser.parse_args()
    size, documents = build(args.out, args.megabytes, args.scale, args.shared,
                            args.policy_articles)
    print(f"{args.out}: {size / MEGABYTE:.1f} MB, {documents} documents")


if __name__ == "__main__":
    main()
