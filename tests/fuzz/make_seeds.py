#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from the project's own fixtures.

Sources: corpus/articles (the Markdown and text articles written for the project) and
tests/pipeline/testdata (pages and text in legacy charsets). Never ../shared. Out of them:
  text   the files as they are (readers, normalization, segmentation and every extractor)
  html   the fixture pages, and each article wrapped in a page with meta tags and JSON-LD
  json   each article as one JSON object, and one .jsonl of several
  record interchange lines: `stancetrack extract` of corpus/articles (with --binary only)

Usage: make_seeds.py SOURCE_DIR OUT_DIR [--binary build/stancetrack]
Writes OUT_DIR/<target>/<name> for every target of tests/fuzz/CMakeLists.txt.
"""

import argparse
import hashlib
import html
import json
import pathlib
import subprocess
import sys

TEXT_TARGETS = ["fuzz_text_reader", "fuzz_front_matter", "fuzz_normalize", "fuzz_segment",
                "fuzz_boilerplate", "fuzz_language", "fuzz_entities", "fuzz_discovery",
                "fuzz_dates", "fuzz_quotes", "fuzz_tiers", "fuzz_stances"]


def front_matter(raw):
    """(metadata, body) of an article: the keys between the opening and closing '---' lines."""
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [l.strip() for l in lines[1:]]:
        return {}, text
    end = [l.strip() for l in lines[1:]].index("---") + 1
    meta = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta, "\n".join(lines[end + 1:])


def as_page(meta, body):
    paragraphs = "".join("<p>%s</p>\n" % html.escape(p) for p in body.split("\n\n") if p.strip())
    ld = json.dumps({"@type": "NewsArticle", "headline": meta.get("title", ""),
                     "datePublished": meta.get("published", ""),
                     "author": {"name": meta.get("author", "Staff")}})
    return ("<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<title>%s</title><meta property=\"og:title\" content=\"%s\">"
            "<meta property=\"article:published_time\" content=\"%s\">"
            "<link rel=\"canonical\" href=\"%s\"><script type=\"application/ld+json\">%s</script>"
            "</head><body><nav><a href=\"/\">Home</a></nav><main><article><h1>%s</h1>\n%s"
            "</article></main><footer>Copyright</footer></body></html>\n" % (
                html.escape(meta.get("language", "en")), html.escape(meta.get("title", "")),
                html.escape(meta.get("title", "")), html.escape(meta.get("published", "")),
                html.escape(meta.get("url", "")), ld, html.escape(meta.get("title", "")),
                paragraphs)).encode("utf-8")


def as_json(meta, body):
    record = {k: v for k, v in meta.items() if k in ("title", "url", "published", "source",
                                                    "language", "author")}
    record["text"] = body
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def write(out, target, data):
    directory = out / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def interchange_lines(binary, articles):
    paths = "".join(str(p) + "\n" for p in articles)
    run = subprocess.run([binary, "extract", "--jobs", "1"], input=paths.encode(),
                         capture_output=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit("make_seeds: %s extract failed: %s" % (binary, run.stderr.decode()[-500:]))
    return [line for line in run.stdout.split(b"\n") if line]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source_dir", type=pathlib.Path)
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--binary", help="a built stancetrack, for the interchange seeds")
    args = parser.parse_args()
    articles = sorted((args.source_dir / "corpus" / "articles").rglob("*"))
    articles = [p for p in articles if p.suffix in (".txt", ".md")]
    testdata = args.source_dir / "tests" / "pipeline" / "testdata"
    if not articles:
        sys.exit("make_seeds: no articles under %s/corpus/articles" % args.source_dir)
    texts = articles + sorted(testdata.glob("encoding/*")) + sorted(testdata.glob("html/*.md"))
    for path in texts:
        for target in TEXT_TARGETS:
            write(args.out_dir, target, path.read_bytes())
    for path in sorted(testdata.glob("html/*.html")):
        write(args.out_dir, "fuzz_html", path.read_bytes())
    lines = []
    for path in articles:
        meta, body = front_matter(path.read_bytes())
        write(args.out_dir, "fuzz_html", as_page(meta, body))
        lines.append(as_json(meta, body))
        write(args.out_dir, "fuzz_jsonl", lines[-1])
    write(args.out_dir, "fuzz_jsonl", b"\n".join(lines[:4]) + b"\n")
    if args.binary:
        for line in interchange_lines(args.binary, articles):
            write(args.out_dir, "fuzz_json_record", line)
    # A problem record, so that target has a seed even without --binary.
    write(args.out_dir, "fuzz_json_record",
          b'{"stancetrack_record": 1, "path": "x.jsonl#3", "error": "not valid JSON"}')


if __name__ == "__main__":
    main()
