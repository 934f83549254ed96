#!/usr/bin/env python3
"""Browser test of `stancetrack report`: the HTML report opened in headless Chromium.

It ingests corpus/ and a hostile article the test writes itself, writes the report of each, opens
it through WebDriver (tests/browser/webdriver.py) and checks the DOM the report promises:
one `.point` per dated stance, a click that shows the stance's evidence, and article text that
stays text (no alert, no injected element, no script of its own).

Usage: report_browser_test.py --binary BUILD/stancetrack --source-dir REPO --work-dir DIR
       [--screenshot PNG] [unittest arguments]
Exit status: 0 passed, 1 failed, 77 skipped (Chromium or ChromeDriver not installed).
Python 3 standard library only.
"""

import argparse
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree from a test run
from webdriver import Browser  # noqa: E402 (after the line above on purpose)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SKIP = 77  # CTest's SKIP_RETURN_CODE for this test
# Ingesting corpus/ takes a few seconds; the margin is for a machine busy with other tests.
COMMAND_SECONDS = 90

# Set by main() from the command line.
ARGS = None

# Dated stances (the report's points) with what a click must show. "Dated" is the report's own
# rule: the stance's date, else the document's publication date.
DATED_STANCES_SQL = """
SELECT st.id, st.policy, st.actor, st.polarity,
       COALESCE(NULLIF(st.date, ''), d.published) AS date,
       CAST(substr(CAST(d.text AS BLOB), se.begin + 1, se.end - se.begin) AS TEXT),
       d.title, d.url
FROM stances st
JOIN documents d ON d.id = st.document_id
JOIN sentences se ON se.document_id = st.document_id AND se.idx = st.sentence
WHERE COALESCE(NULLIF(st.date, ''), d.published) IS NOT NULL
ORDER BY st.id
"""
STANCE_FIELDS = ("id", "policy", "actor", "polarity", "date", "sentence", "title", "url")

# Every point with its contract attributes and the policy of the section it sits in.
POINTS_JS = """
return Array.from(document.querySelectorAll('.point')).map(p => {
  const section = p.closest('section.policy');
  return {stance: p.getAttribute('data-stance'), polarity: p.getAttribute('data-polarity'),
          actor: p.getAttribute('data-actor'), date: p.getAttribute('data-date'),
          tabindex: p.getAttribute('tabindex'), role: p.getAttribute('role'),
          inChart: p.closest('svg.timeline-chart') !== null,
          policy: section ? section.getAttribute('data-policy') : null};
});
"""

# What the evidence panel shows, as text, and the links in it.
EVIDENCE_JS = """
const panel = document.getElementById('evidence');
const text = css => { const e = panel.querySelector(css); return e ? e.textContent : null; };
return {actor: text('.actor'), polarity: text('.polarity'), date: text('.date'),
        sentence: text('.sentence'), title: text('.title'),
        links: Array.from(panel.querySelectorAll('a.article')).map(a => a.getAttribute('href')),
        selected: Array.from(document.querySelectorAll('.point.selected'))
                       .map(p => p.getAttribute('data-stance'))};
"""

# Anything the hostile article could have turned into live markup.
INJECTION_JS = """
return {images: document.querySelectorAll('img').length,
        scripts: Array.from(document.scripts).map(s => ({
            id: s.id, type: s.type, hasNonce: s.nonce !== ''})),
        pwned: typeof window.__pwned,
        javascriptUrls: Array.from(document.querySelectorAll('[href], [src]'))
            .map(e => e.getAttribute('href') || e.getAttribute('src'))
            .filter(u => /^\\s*javascript:/i.test(u)),
        onAttributes: Array.from(document.querySelectorAll('*'))
            .filter(e => Array.from(e.attributes).some(a => /^on/i.test(a.name)))
            .map(e => e.tagName)};
"""

HOSTILE_TITLE = 'Chip rules <script>alert(1)</script> "><img src=x onerror=alert(1)>'
# A company takes a position in each sentence, so the extractor stores stances whose evidence
# carries the payloads; `window.__pwned` is set by any of them that runs.
HOSTILE_ARTICLE = f"""---
title: {HOSTILE_TITLE}
url: javascript:alert(1)
published: 2025-02-01
source: Wire <script>window.__pwned=1</script>
language: en
---
Nvidia said on Monday it opposes the AI diffusion rule <script>alert(1)</script>, calling \
it "><img src=x onerror=alert(1)> harmful to American companies.

The Semiconductor Industry Association urged the Commerce Department to rescind the AI \
diffusion rule <script>window.__pwned=1</script> before it takes effect.

Microsoft criticised the three-tier system "><img src=x onerror=window.__pwned=1> in a blog \
post on Tuesday.
"""
# No date anywhere: its stance goes to the report's table of undated stances, not to a chart.
UNDATED_ARTICLE = """AMD criticised the AI diffusion rule <img src=x onerror=window.__pwned=1>, \
saying the caps would cost it sales abroad.
"""
# A file that fails to ingest lands in the report's failures table under its name.
FAILING_FILE = "broken <img src=x onerror=window.__pwned=1>.json"


def run_stancetrack(*args, expected_status=0):
    """Runs the binary in the work dir; fails the test with its output on another status."""
    result = subprocess.run([ARGS.binary, *args], cwd=ARGS.work_dir, capture_output=True,
                            text=True, timeout=COMMAND_SECONDS)
    if result.returncode != expected_status:
        raise AssertionError(f"stancetrack {' '.join(args)} exited {result.returncode}, "
                             f"expected {expected_status}:\n{result.stdout}{result.stderr}")


def query(db, sql):
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute(sql).fetchall()


def dated_stances(db):
    """{stance id as text: {field: value}} of the dated stances in `db`."""
    return {str(row[0]): dict(zip(STANCE_FIELDS, row)) for row in query(db, DATED_STANCES_SQL)}


class ReportTestCase(unittest.TestCase):
    """Opens one report in its own browser for all tests of the class."""

    name = None  # W/<name>.db and W/<name>.html
    ingest_status = 0  # stancetrack's exit status for ingesting articles()

    @classmethod
    def articles(cls):
        """The folder to ingest."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.db = os.path.join(ARGS.work_dir, f"{cls.name}.db")
        cls.html = os.path.join(ARGS.work_dir, f"{cls.name}.html")
        run_stancetrack("ingest", cls.articles(), "--db", cls.db,
                        expected_status=cls.ingest_status)
        run_stancetrack("report", "-o", cls.html, "--db", cls.db)
        cls.stances = dated_stances(cls.db)
        cls.browser = Browser.start(CHROMEDRIVER, CHROMIUM,
                                    os.path.join(ARGS.work_dir, f"{cls.name}-browser"))
        cls.addClassCleanup(cls.browser.close)
        cls.browser.navigate("file://" + os.path.abspath(cls.html))

    def setUp(self):
        alert = self.browser.alert_text()
        if alert is not None:
            self.browser.dismiss_alert()  # so that the next tests can run
            self.fail(f"the page opened an alert before this test: {alert!r}")
        self.browser.execute("window.scrollTo(0, 0);")

    def click_stance(self, stance_id):
        """Clicks the point of `stance_id` as a user would; returns the evidence panel."""
        self.browser.find(f'.point[data-stance="{stance_id}"]').click()
        return self.browser.execute(EVIDENCE_JS)

    def assert_evidence_of(self, stance_id, evidence):
        stance = self.stances[stance_id]
        self.assertEqual(evidence["sentence"], stance["sentence"])
        self.assertEqual(evidence["actor"], stance["actor"])
        self.assertEqual(evidence["polarity"], stance["polarity"])
        self.assertEqual(evidence["date"], stance["date"])
        if stance["title"]:
            self.assertEqual(evidence["title"], stance["title"])
        self.assertEqual(evidence["selected"], [stance_id])

    def assert_no_console_errors(self):
        errors = [e["message"] for e in self.browser.console_log() if e["level"] == "SEVERE"]
        self.assertEqual(errors, [], "errors or CSP violations in the browser console")


class CorpusReportTest(ReportTestCase):
    """The report of the bundled corpus/."""

    name = "corpus"

    @classmethod
    def articles(cls):
        return os.path.join(ARGS.source_dir, "corpus", "articles")

    def test_corpus_has_dated_stances_in_several_policies(self):
        policies = {s["policy"] for s in self.stances.values()}
        self.assertGreater(len(self.stances), 10)
        self.assertGreater(len(policies), 1)

    def test_one_point_per_dated_stance(self):
        points = self.browser.execute(POINTS_JS)
        self.assertEqual(len(points), len(self.stances))
        self.assertEqual(sorted(p["stance"] for p in points), sorted(self.stances))

    def test_points_carry_their_stance_in_their_policy_chart(self):
        for point in self.browser.execute(POINTS_JS):
            with self.subTest(stance=point["stance"]):
                stance = self.stances.get(point["stance"])
                self.assertIsNotNone(stance, "no dated stance has this id")
                self.assertEqual(point["policy"], stance["policy"])
                self.assertTrue(point["inChart"])
                self.assertEqual(point["actor"], stance["actor"])
                self.assertEqual(point["polarity"], stance["polarity"])
                self.assertEqual(point["date"], stance["date"])
                self.assertEqual((point["tabindex"], point["role"]), ("0", "button"))

    def test_report_has_its_sections_and_tables(self):
        sections = self.browser.execute(
            "return Array.from(document.querySelectorAll('section.policy'))"
            ".map(s => s.getAttribute('data-policy'));")
        self.assertEqual(sorted(sections), sorted({s["policy"] for s in self.stances.values()}))
        for table in ("changes", "actors", "failures"):
            self.assertEqual(len(self.browser.find_all(f"table.{table}")), 1, table)
        csp = self.browser.execute(
            "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');"
            "return m ? m.content : '';")
        self.assertRegex(csp, r"script-src 'nonce-[^']+'")

    def test_click_shows_evidence_of_first_point(self):
        first = self.browser.execute(
            "return document.querySelector('.point').getAttribute('data-stance');")
        evidence = self.click_stance(first)
        self.assert_evidence_of(first, evidence)
        url = self.stances[first]["url"]
        if url and url.startswith(("http://", "https://")):
            self.assertEqual(evidence["links"], [url])

    def test_click_in_another_policy_moves_the_selection(self):
        first = self.browser.execute(
            "return document.querySelector('.point').getAttribute('data-stance');")
        other_policy = next(p for p in sorted({s["policy"] for s in self.stances.values()})
                            if p != self.stances[first]["policy"])
        other = self.browser.execute(
            "return document.querySelector("
            "'section.policy[data-policy=\"' + arguments[0] + '\"] .point')"
            ".getAttribute('data-stance');", other_policy)
        self.click_stance(first)
        self.assert_evidence_of(other, self.click_stance(other))

    def test_page_runs_without_console_errors(self):
        self.click_stance(next(iter(self.stances)))
        self.assert_no_console_errors()

    def test_screenshot_shows_first_chart_with_evidence(self):
        self.click_stance(self.browser.find(".point").attribute("data-stance"))
        self.browser.execute("window.scrollTo(0, 0);")
        png = self.browser.screenshot_png()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        paths = [os.path.join(ARGS.work_dir, "corpus.png")]
        if ARGS.screenshot:
            paths.append(ARGS.screenshot)
        for path in paths:
            with open(path, "wb") as out:
                out.write(png)


class HostileArticleTest(ReportTestCase):
    """Markup and script in an article's title, text and url stay text in the report."""

    name = "hostile"
    ingest_status = 1  # done, with FAILING_FILE not stored

    @classmethod
    def articles(cls):
        folder = os.path.join(ARGS.work_dir, "hostile-articles")
        os.makedirs(folder)
        files = {"payloads.md": HOSTILE_ARTICLE, "undated.txt": UNDATED_ARTICLE,
                 FAILING_FILE: "{not json"}
        for name, text in files.items():
            with open(os.path.join(folder, name), "w", encoding="utf-8") as out:
                out.write(text)
        return folder

    def table_text(self, css):
        return self.browser.execute(
            "const t = document.querySelector(arguments[0]); return t ? t.textContent : null;",
            css)

    def assert_nothing_injected(self):
        self.assertIsNone(self.browser.alert_text(), "article text opened an alert")
        found = self.browser.execute(INJECTION_JS)
        self.assertEqual(found["images"], 0, "article text became an <img>")
        self.assertEqual(found["pwned"], "undefined", "article text ran a script")
        self.assertEqual(found["javascriptUrls"], [], "a javascript: url became a link")
        self.assertEqual(found["onAttributes"], [], "article text became an event handler")
        data = [s for s in found["scripts"] if s["type"] == "application/json"]
        code = [s for s in found["scripts"] if s["type"] != "application/json"]
        self.assertEqual([s["id"] for s in data], ["stance-data"], found["scripts"])
        self.assertEqual(len(code), 1, f"not only the report's own script: {found['scripts']}")
        self.assertTrue(code[0]["hasNonce"], "the report's script has no CSP nonce")

    def test_extractor_stores_stances_whose_evidence_carries_payloads(self):
        sentences = [s["sentence"] for s in self.stances.values()]
        self.assertTrue(any("<script>alert(1)</script>" in s for s in sentences), sentences)
        self.assertTrue(any("<img src=x onerror=" in s for s in sentences), sentences)

    def test_opened_report_runs_no_article_script(self):
        self.assert_nothing_injected()

    def test_undated_stance_is_no_point(self):
        (total,), = query(self.db, "SELECT COUNT(*) FROM stances")
        self.assertGreater(total, len(self.stances))
        points = self.browser.execute(POINTS_JS)
        self.assertEqual(sorted(p["stance"] for p in points), sorted(self.stances))

    def test_tables_show_payloads_as_text(self):
        self.assertIn("AI diffusion rule <img src=x onerror=window.__pwned=1>, saying",
                      self.table_text("table.undated"))
        self.assertIn(FAILING_FILE, self.table_text("table.failures"))

    def test_click_shows_payloads_as_text(self):
        for stance_id, stance in self.stances.items():
            with self.subTest(stance=stance_id):
                evidence = self.click_stance(stance_id)
                self.assert_nothing_injected()
                self.assert_evidence_of(stance_id, evidence)
                self.assertEqual(evidence["title"], HOSTILE_TITLE)
                self.assertEqual(evidence["links"], [])

    def test_payloads_cause_no_csp_violation(self):
        # A violation would mean the report let markup through and only CSP stopped it.
        self.click_stance(next(iter(self.stances)))
        self.assert_no_console_errors()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the stancetrack binary")
    parser.add_argument("--source-dir", required=True, help="the repository root")
    parser.add_argument("--work-dir", required=True,
                        help="a folder for databases and reports, emptied first")
    parser.add_argument("--screenshot", help="also save the corpus/ screenshot here")
    return parser.parse_known_args(argv)


def main():
    global ARGS
    ARGS, unittest_args = parse_args(sys.argv[1:])
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        print(f"{' and '.join(missing)} not installed: skipping; .ci/setup installs them "
              "(Debian packages chromium and chromium-driver)")
        return SKIP
    ARGS.binary = os.path.abspath(ARGS.binary)
    ARGS.work_dir = os.path.abspath(ARGS.work_dir)
    ARGS.source_dir = os.path.abspath(ARGS.source_dir)
    shutil.rmtree(ARGS.work_dir, ignore_errors=True)
    os.makedirs(ARGS.work_dir)
    program = unittest.main(argv=[sys.argv[0], *unittest_args], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
