#!/usr/bin/env python3
"""Writes a corpus of bad input for `stancetrack ingest`, and what ingest must make of it.

Usage: make_bad_corpus.py OUT [--full]

OUT/corpus/ receives every case of issue 7 item 1 (empty and whitespace-only files, binary data
named .txt, invalid and truncated UTF-8, UTF-16 without a byte order mark, a huge file, a huge
single line, many tiny files, HTML nested 100,000 deep and HTML with unclosed tags, JSONL with
broken lines and a huge field, front matter that never closes, file names with spaces and with
bytes that are not UTF-8, symlink loops, an unreadable file, a folder named x.txt), mixed with
good articles written for this test. Nothing is downloaded.

OUT/expected.json lists every generated path (relative to OUT/corpus; a JSONL line as
"file.jsonl#LINE"; a name that is not UTF-8 as the id stancetrack gives it, each bad byte as
%XX, with "name_hex" giving the bytes on disk) with what ingest must do with it:
  stored      a row in `documents` (with "warning": a substring of one of its warnings)
  error       a row in `ingest_errors` whose reason contains "reason"
  ignored     not read and not an error: counted as ignored (not an article, or a directory
              symlink that is not followed)
  walked      a directory (a folder named like an article file): read into, not an error
  untestable  a case this machine cannot produce ("why" says why, e.g. root reads mode 000)
Every entry has "why". The default sizes fit CI (a few MB, 2,000 tiny files); --full uses the
sizes of the issue (a 100 MB file, a 10 MB line, a 50 MB JSON field, 100,000 tiny files).
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

# CI's sizes keep the sanitizer build's ingest under a minute: prose costs about 10 s per MB
# there.
SMALL = {"big_file": 1 << 20, "long_line": 1 << 20, "big_field": 1 << 20, "tiny_files": 2000}
FULL = {"big_file": 100 << 20, "long_line": 10 << 20, "big_field": 50 << 20,
        "tiny_files": 100_000}

# limits::kMaxDocumentBytes: a file over it is reported, not read; so is a JSONL line over
# limits::kMaxJsonlLineBytes, which is the same.
MAX_DOCUMENT_BYTES = 16 << 20

# Sentences written for this corpus, recombined into articles and filler.
SENTENCES = [
    "The Commerce Department said on Monday that the new licence rules for advanced chips "
    "would take effect within thirty days.",
    "Analysts at a Tokyo brokerage expect the curbs to slow shipments of accelerators to "
    "data centres in the Gulf.",
    "A spokesperson for the chipmaker said the company would comply with every export "
    "requirement while it studied the text.",
    "Lawmakers in Washington asked the agency to explain how the caps on tier two countries "
    "would be enforced.",
    "Industry groups argued that the controls push buyers toward suppliers outside the "
    "United States.",
    "Officials in Seoul said they were still reviewing how the measures affect memory makers.",
]


def article(title, date, paragraphs):
    body = "\n\n".join(paragraphs)
    return f"---\ntitle: {title}\npublished: {date}\n---\n{body}\n"


def filler(size, separator=" "):
    """About `size` bytes of prose: the sentences repeated."""
    unit = separator.join(SENTENCES) + separator
    return (unit * (size // len(unit) + 1))[:size]


def utf8_id(name):
    """The id stancetrack gives a file name that is not UTF-8: each bad byte as %XX."""
    text = name.decode("utf-8", "surrogateescape")
    return "".join(f"%{ord(ch) - 0xDC00:02X}" if 0xDC80 <= ord(ch) <= 0xDCFF else ch
                   for ch in text)


class Corpus:
    def __init__(self, out):
        self.root = out / "corpus"
        self.cases = []

    def path(self, rel):
        p = self.root / (os.fsdecode(rel) if isinstance(rel, bytes) else rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def put(self, rel, data):
        self.path(rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    def write(self, rel, data, expect, why, **extra):
        self.put(rel, data)
        self.expect(rel, expect, why, **extra)

    def expect(self, rel, expect, why, **extra):
        entry = {"path": utf8_id(rel) if isinstance(rel, bytes) else rel,
                 "expect": expect, "why": why}
        if isinstance(rel, bytes):
            entry["name_hex"] = rel.hex()
        entry.update(extra)
        self.cases.append(entry)


def good_articles(c):
    c.write("good/tier-caps.md", article(
        "Chip caps for tier two", "2025-01-14", SENTENCES[0:3]), "stored", "a good article")
    c.write("good/seoul.txt", article(
        "Seoul reviews the measures", "2025-02-03", SENTENCES[3:6]), "stored", "a good article")
    c.write("good/page.html", "<!doctype html><html lang=en><head><title>Export curbs widen"
            "</title><meta property='article:published_time' content='2025-03-05'></head>"
            "<body><article><h1>Export curbs widen</h1><p>" + SENTENCES[1] + "</p><p>" +
            SENTENCES[4] + "</p></article></body></html>", "stored", "a good HTML page")
    c.write("good/one.json", json.dumps({"title": "Licence rules", "published": "2025-04-02",
                                         "text": " ".join(SENTENCES[:2])}),
            "stored", "a good JSON article")
    c.write("name with spaces.txt", article("Spaces in a file name", "2025-01-20",
                                            SENTENCES[2:4]), "stored", "a name with spaces")
    c.write(b"caf\xe9-\xff report.txt", article("A file name in Latin-1", "2025-01-21",
                                               SENTENCES[1:3]),
            "stored", "a file name that is not UTF-8: the article is good",
            warning="path is not valid UTF-8")
    c.write("x.txt/inside.md", article("Inside a folder named x.txt", "2025-01-22",
                                       SENTENCES[:2]), "stored", "read inside the folder x.txt")
    c.expect("x.txt", "walked", "a folder named like an article: walked, not read as a file")
    c.write("notes.bin", filler(200), "ignored", "not an article extension")


def empty_and_binary(c):
    c.write("empty.txt", b"", "error", "zero bytes", reason="empty file")
    c.write("blank.md", " \n\t\n   \r\n\n", "error", "whitespace only", reason="no article text")
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"
           b"\x00\x00\x00\x5c\x72\xa8\x66" + bytes(range(256)) * 40 + b"\x00\x00\x00\x00IEND")
    c.write("image.txt", png, "error", "PNG bytes named .txt", reason="binary")
    elf = (b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" +
           bytes((i * 37) % 256 for i in range(8192)) + b"\x00" * 512)
    c.write("program.txt", elf, "error", "ELF executable bytes named .txt", reason="binary")
    c.write("program.html", elf, "error", "ELF bytes named .html", reason="binary")


def encodings(c):
    text = article("Broken bytes", "2025-02-10", SENTENCES[:3]).encode()
    c.write("invalid-utf8.txt", text[:120] + b"\xff\xfe\xc3" + text[120:] + " café".encode(),
            "stored", "stray bytes in UTF-8: repaired or decoded", warning="not valid UTF-8")
    truncated = article("Cut short", "2025-02-11", SENTENCES[3:5]) + "Zürich €"
    c.write("truncated-utf8.txt", truncated.encode()[:-2], "stored",
            "a multi-byte sequence cut by the end of the file", warning="not valid UTF-8")
    c.write("utf16-nobom.txt",
            article("No byte order mark", "2025-02-12", SENTENCES[:4]).encode("utf-16-le"),
            "stored", "UTF-16LE without a byte order mark", warning="decoded as UTF-16LE")
    c.write("utf16be-nobom.md",
            article("Big-endian text", "2025-02-13", SENTENCES[2:5]).encode("utf-16-be"),
            "stored", "UTF-16BE without a byte order mark", warning="decoded as UTF-16BE")


def huge(c, sizes):
    size = sizes["big_file"]
    head = article("A very long file", "2025-03-01", [])
    body = "\n\n".join(filler(4000) for _ in range(size // 4002 + 1))
    data = (head + body)[:size]
    if size > MAX_DOCUMENT_BYTES:
        c.write("big/huge.txt", data, "error", "over limits::kMaxDocumentBytes",
                reason="larger than")
    else:
        c.write("big/huge.txt", data, "stored", "a long file under the document limit")
    c.write("big/one-line.txt", filler(sizes["long_line"]), "stored",
            "a single line of prose, no newline")
    line = json.dumps({"title": "One huge field", "text": filler(sizes["big_field"])})
    after = json.dumps({"title": "After the huge field", "text": SENTENCES[0]})
    c.put("big/field.jsonl", line + "\n" + after + "\n")
    if len(line) > MAX_DOCUMENT_BYTES:
        c.expect("big/field.jsonl#1", "error", "a JSONL line over limits::kMaxJsonlLineBytes",
                 reason="longer than")
    else:
        c.expect("big/field.jsonl#1", "stored", "a JSONL line with one huge field")
    c.expect("big/field.jsonl#2", "stored", "the line after a huge one")


def tiny_files(c, count):
    for i in range(count):
        rel = f"tiny/{i // 1000:03d}/t{i:06d}.txt"
        c.write(rel, f"Note {i}: chip rules.\n", "stored", "a tiny article")


def html_cases(c):
    deep = ("<html><head><title>Deep page</title></head><body><p>" + SENTENCES[0] + "</p>" +
            "<div>" * 100_000 + "lost at the bottom" + "</div>" * 100_000 + "</body></html>")
    c.write("html/deep.html", deep, "stored", "nested 100,000 deep: read to the depth limit",
            warning="nest")
    c.write("html/deep-only.html", "<div>" * 100_000, "error",
            "nothing but 100,000 opening tags", reason="no article text")
    unclosed = ("<html><head><title>Unclosed tags</title><body><p>" + SENTENCES[1] + "<b><i>" +
                SENTENCES[2] + "<div><span><table><tr><td>" + SENTENCES[3] + "<a href='x")
    c.write("html/unclosed.html", unclosed, "stored", "tags never closed")
    c.write("html/comment.htm", "<p>" + SENTENCES[4] + "<!-- never closed " + "x" * 5000,
            "stored", "a comment that never closes")


def jsonl_cases(c):
    good = json.dumps({"title": "Line one", "published": "2025-05-01", "text": SENTENCES[0]})
    lines = [good,
             '{"title": "cut", "text": "the line ends inside a str',
             json.dumps({"title": "Line three", "text": SENTENCES[1]}),
             "not json at all",
             "",
             "[1, 2, 3]",
             '{"text": "' + "\\u00e9" * 3 + '", "title": 1e999}',
             "[" * 100_000,
             json.dumps({"title": "Line nine", "text": SENTENCES[2]})]
    c.put("jsonl/broken.jsonl", "\n".join(lines) + "\n")
    for n, (expect, extra) in enumerate([
            ("stored", {}), ("error", {"reason": "not valid JSON"}), ("stored", {}),
            ("error", {"reason": "not valid JSON"}), (None, {}),
            ("error", {"reason": "not an object"}), ("error", {"reason": "not valid JSON"}),
            ("error", {"reason": "nested deeper than"}), ("stored", {})], start=1):
        if expect:
            c.expect(f"jsonl/broken.jsonl#{n}", expect, "a line of jsonl/broken.jsonl", **extra)
    c.write("jsonl/deep.json", "[" * 100_000 + "]" * 100_000, "error",
            "an array nested 100,000 deep", reason="nested deeper than")


def front_matter(c):
    never = "---\ntitle: Never closed\npublished: 2025-06-01\n" + "\n".join(SENTENCES) + "\n"
    c.write("fm/never-closed.md", never, "stored", "front matter without its closing line",
            warning="never closed")
    only = "---\ntitle: Only front matter\n" + "key: value\n" * 100
    c.write("fm/only-open.txt", only, "stored", "a block of 100 key lines, never closed",
            warning="never closed")


def links_and_modes(c):
    loop = c.path("links/loop.txt")
    os.symlink("loop.txt", loop)
    c.expect("links/loop.txt", "error", "a symlink to itself", reason="symbolic links")
    os.symlink("b.md", c.path("links/a.md"))
    os.symlink("a.md", c.path("links/b.md"))
    c.expect("links/a.md", "error", "two symlinks pointing at each other",
             reason="symbolic links")
    c.expect("links/b.md", "error", "two symlinks pointing at each other",
             reason="symbolic links")
    os.symlink("..", c.path("links/up"))
    c.expect("links/up", "ignored", "a directory symlink (a loop back up): not followed")
    os.symlink("../good/seoul.txt", c.path("links/to-file.txt"))
    c.expect("links/to-file.txt", "stored", "a symlink to a good file is read")
    locked = c.path("locked.txt")
    locked.write_text(article("Locked away", "2025-01-30", SENTENCES[:2]))
    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):
        c.expect("locked.txt", "untestable",
                 "mode 000 does not stop this user (root) from reading the file")
    else:
        c.expect("locked.txt", "error", "mode 000", reason="Permission denied")


def adversarial_inputs(n):
    """Inputs that would make a stage superlinear if one were, at scale n (10**6 in the issue):
    file name -> bytes. bad_input_test.py ingests each at two scales and compares CPU times."""
    return {"quotes.txt": b'"' * n, "parens.txt": b"(" * n, "brackets.md": b"[" * n,
            "word.txt": b"w" * (10 * n), "lt.html": b"<p>" + b"<" * n}


def adversarial(c, n):
    for name, data in adversarial_inputs(n).items():
        c.write("adversarial/" + name, data, "stored", f"adversarial input at scale {n}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--full", action="store_true", help="the sizes of the issue")
    args = parser.parse_args()
    sizes = FULL if args.full else SMALL
    if args.out.exists():
        for p in args.out.rglob("*"):  # mode 000 files and symlinks: make removable
            if p.is_file() and not p.is_symlink():
                os.chmod(p, 0o644)
        shutil.rmtree(args.out)
    c = Corpus(args.out)
    good_articles(c)
    empty_and_binary(c)
    encodings(c)
    huge(c, sizes)
    tiny_files(c, sizes["tiny_files"])
    html_cases(c)
    jsonl_cases(c)
    front_matter(c)
    adversarial(c, 100_000)
    links_and_modes(c)
    (args.out / "expected.json").write_text(json.dumps(
        {"root": str(c.root), "full": args.full, "sizes": sizes, "cases": c.cases}, indent=1))
    counts = {}
    for e in c.cases:
        counts[e["expect"]] = counts.get(e["expect"], 0) + 1
    print(f"{args.out}: {len(c.cases)} cases {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
