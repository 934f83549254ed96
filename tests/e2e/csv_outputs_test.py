#!/usr/bin/env python3
"""`timeline --format csv` and `export --format dna` read back with a spreadsheet-style reader.

Python's csv module stands in for a spreadsheet: every file must parse, have the documented
header, and hold exactly as many rows as the database says, with every evidence sentence intact
(commas, double quotes and non-Latin text included).

Usage: csv_outputs_test.py --binary PATH --source-dir REPO --work-dir DIR
"""
import argparse
import csv
import io
import shutil
import sqlite3
import subprocess
import sys
import unittest
from pathlib import Path

ARGS = None

# A story written for this test: quotes and commas inside the evidence sentences.
QUOTED_STORY = """---
title: Chipmakers split over the tier rule
published: 2025-02-11
---
Nvidia said on Tuesday that the AI diffusion rule was "a blunt instrument, badly aimed," and \
urged the Commerce Department to withdraw it.

The Semiconductor Industry Association, in a statement, said the rule "puts exports, jobs and \
research at risk" and asked for it to be rescinded.
"""

# Undated: no date in the metadata or the text. Two positions of one actor on one policy.
UNDATED_STORY = """---
title: Cloud providers weigh the tier caps
---
Oracle said the AI diffusion rule was "a bureaucratic maze, built in haste," and urged the \
Commerce Department to scrap it.

Oracle also opposed the caps that the AI diffusion rule puts on Tier 2 countries, saying they \
would push buyers toward Chinese suppliers.
"""


def run(*args):
    done = subprocess.run([ARGS.binary, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"stancetrack {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


class CsvOutputsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        work = Path(ARGS.work_dir)
        shutil.rmtree(work, ignore_errors=True)
        (work / "extra").mkdir(parents=True)
        (work / "extra" / "quoted.md").write_text(QUOTED_STORY, encoding="utf-8")
        (work / "extra" / "undated.md").write_text(UNDATED_STORY, encoding="utf-8")
        cls.db = str(work / "csv.db")
        run("ingest", str(Path(ARGS.source_dir) / "corpus" / "articles"), str(work / "extra"),
            "--db", cls.db)
        cls.sql = sqlite3.connect(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.sql.close()

    def rows(self, *args):
        return list(csv.DictReader(io.StringIO(run(*args, "--db", self.db), newline="")))

    def evidence_by_stance(self):
        return dict(self.sql.execute("SELECT stance_id, evidence FROM stance_evidence"))

    def test_dna_export_has_one_row_per_stance_and_two_per_mixed_stance(self):
        rows = self.rows("export", "--format", "dna")
        (stances, mixed), = self.sql.execute(
            "SELECT COUNT(*), SUM(polarity = 'mixed') FROM stances")
        self.assertGreater(stances, 50)
        self.assertEqual(len(rows), stances + mixed)
        self.assertEqual(list(rows[0].keys()), ["date", "actor", "speaker", "concept", "agreement",
                                                "document", "duplicate_of", "evidence",
                                                "stance_id"])
        self.assertEqual({r["agreement"] for r in rows}, {"0", "1"})
        evidence = self.evidence_by_stance()
        self.assertEqual({int(r["stance_id"]) for r in rows}, set(evidence))
        for r in rows:
            self.assertEqual(r["evidence"], evidence[int(r["stance_id"])])

    def test_dna_export_of_one_policy_has_only_its_stances(self):
        rows = self.rows("export", "--format", "dna", "--policy", "h20-china-sales")
        (expected,), = self.sql.execute(
            "SELECT COUNT(*) + SUM(polarity = 'mixed') FROM stances"
            " WHERE policy = 'h20-china-sales'")
        self.assertEqual(len(rows), expected)
        self.assertEqual({r["concept"] for r in rows}, {"h20-china-sales"})

    def test_evidence_with_quotes_and_commas_survives(self):
        rows = self.rows("export", "--format", "dna", "--policy", "ai-diffusion-rule")
        quoted = [r for r in rows if r["document"] == "quoted.md"]
        self.assertTrue(quoted, "no stance from the quoted story")
        for r in quoted:
            self.assertIn('"', r["evidence"])
            self.assertIn(",", r["evidence"])

    def test_timeline_csv_has_one_row_per_period_and_per_undated_period(self):
        rows = self.rows("timeline", "--format", "csv")
        self.assertEqual(list(rows[0].keys()), ["policy", "actor", "period", "polarity", "stories",
                                                "change", "date", "speaker", "document", "url",
                                                "evidence"])
        (periods,), = self.sql.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT policy, actor,"
            " substr(COALESCE(NULLIF(date, ''), published), 1, 7) FROM stance_evidence"
            " WHERE COALESCE(NULLIF(date, ''), published) IS NOT NULL)")
        positions = [r for r in rows if r["period"] != "undated" and r["polarity"] != "none"]
        self.assertEqual(len(positions), periods)
        sentences = set(self.evidence_by_stance().values())
        for r in positions:
            self.assertIn(r["evidence"], sentences)
            self.assertEqual(r["date"][:7], r["period"])
            self.assertGreaterEqual(int(r["stories"]), 1)
        # Each (policy, actor) with undated stances: one row, with the most confident evidence.
        strongest = {}
        for policy, actor, confidence, evidence in self.sql.execute(
                "SELECT policy, actor, confidence, evidence FROM stance_evidence"
                " WHERE COALESCE(NULLIF(date, ''), published) IS NULL ORDER BY stance_id"):
            if confidence > strongest.get((policy, actor), (-1, ""))[0]:
                strongest[(policy, actor)] = (confidence, evidence)
        self.assertIn(("ai-diffusion-rule", "Oracle"), strongest)
        undated = {(r["policy"], r["actor"]): r["evidence"] for r in rows
                   if r["period"] == "undated"}
        self.assertEqual(len([r for r in rows if r["period"] == "undated"]), len(strongest))
        self.assertEqual(undated, {k: evidence for k, (_, evidence) in strongest.items()})

    def test_timeline_csv_marks_each_actors_first_position(self):
        rows = self.rows("timeline", "--format", "csv", "--policy", "ai-diffusion-rule")
        actors = {r["actor"] for r in rows if r["polarity"] != "none" and r["period"] != "undated"}
        firsts = [r["actor"] for r in rows if r["change"] == "first"]
        self.assertEqual(sorted(firsts), sorted(actors))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
