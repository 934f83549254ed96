"""A small W3C WebDriver client for headless Chromium, Python standard library only.

Input: the paths of chromedriver and of the Chromium binary, and a folder the browser may use
for its profile and chromedriver for its log. Output: a `Browser` whose methods are the
WebDriver commands the report's browser test needs (navigate, find, click, run a script, read
an alert, take a screenshot).

Lifetime: `Browser.start()` starts chromedriver on a port of its own choosing (--port=0, so
parallel runs never collide) and opens one session; `close()` deletes the session and kills
chromedriver, and must run whatever happened (use `with Browser.start(...) as browser:`).

Errors: a command the driver answers with an error raises `WebDriverError`, whose `error` is the
W3C error code ("no such alert", "no such element", ...); a driver that does not come up within
`STARTUP_SECONDS` raises `WebDriverError` with its log attached.

Thread-safety: none; one Browser per test process.
"""

import base64
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

# How long chromedriver may take to print its port. It starts in well under a second; the
# margin is for a machine busy with a parallel build.
STARTUP_SECONDS = 30
# How long one WebDriver command may take. Chromium's first start, profile creation included,
# is the slowest command and takes a few seconds on a busy machine.
COMMAND_SECONDS = 60

# The key under which W3C WebDriver returns an element reference.
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"

# Chromium without the flags that make it reach the network (there is none here, and it would
# retry many connections at a time) or need a sandbox (we run as root in a container).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class WebDriverError(Exception):
    """An error answer from chromedriver; `error` is the W3C error code."""

    def __init__(self, error, message):
        super().__init__(f"{error}: {message}")
        self.error = error


class Element:
    """A reference to one DOM element of the current page."""

    def __init__(self, browser, element_id):
        self._browser = browser
        self.id = element_id

    def _path(self, suffix):
        return f"/element/{self.id}/{suffix}"

    def click(self):
        self._browser.command("POST", self._path("click"), {})

    def attribute(self, name):
        """The element's attribute `name`, or None when it has none."""
        return self._browser.command("GET", self._path(f"attribute/{name}"))

    def text(self):
        """The rendered text (innerText) of the element."""
        return self._browser.command("GET", self._path("text"))

    def find_all(self, css):
        value = self._browser.command(
            "POST", self._path("elements"), {"using": "css selector", "value": css})
        return [Element(self._browser, v[ELEMENT_KEY]) for v in value]


class Browser:
    """One chromedriver process with one session in it."""

    def __init__(self, driver_process, base_url, log_path):
        self._driver = driver_process
        self._base = base_url
        self._log_path = log_path
        self._session = None

    @classmethod
    def start(cls, chromedriver, chromium, work_dir, width=1400, height=1000):
        """Starts chromedriver and a headless Chromium session of the given window size."""
        os.makedirs(work_dir, exist_ok=True)
        log_path = os.path.join(work_dir, "chromedriver.log")
        with open(log_path, "wb") as log:
            process = subprocess.Popen([chromedriver, "--port=0"], stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        browser = cls(process, None, log_path)
        try:
            browser._base = f"http://127.0.0.1:{browser._wait_for_port()}"
            browser._new_session(chromium, os.path.join(work_dir, "profile"), width, height)
        except BaseException:
            browser.close()
            raise
        return browser

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Deletes the session (which quits Chromium) and stops chromedriver; never raises."""
        if self._session is not None:
            try:
                self.command("DELETE", "", None)
            except (WebDriverError, OSError):
                pass  # chromedriver going away ends the browser with it
            self._session = None
        if self._driver.poll() is None:
            self._driver.terminate()
            try:
                self._driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._driver.kill()
                self._driver.wait()

    def _wait_for_port(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            match = re.search(rb"started successfully on port (\d+)", self._read_log())
            if match:
                return int(match.group(1))
            if self._driver.poll() is not None:
                break
            time.sleep(0.05)
        raise WebDriverError("session not created",
                             "chromedriver did not start:\n" + self._read_log().decode(
                                 "utf-8", "replace"))

    def _read_log(self):
        with open(self._log_path, "rb") as log:
            return log.read()

    def _new_session(self, chromium, profile_dir, width, height):
        os.makedirs(profile_dir, exist_ok=True)
        options = {
            "binary": chromium,
            "args": CHROMIUM_ARGS + [f"--user-data-dir={profile_dir}",
                                     f"--window-size={width},{height}"],
        }
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
            # Leave a page's alert open so the test can see it instead of the driver
            # dismissing it silently.
            "unhandledPromptBehavior": "ignore",
        }
        value = self._request("POST", "/session",
                              {"capabilities": {"alwaysMatch": capabilities}})
        self._session = value["sessionId"]

    def command(self, method, path, body=None):
        """Sends one command of the current session; returns its `value`."""
        return self._request(method, f"/session/{self._session}{path}", body)

    def _request(self, method, path, body):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self._base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=COMMAND_SECONDS) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            answer = json.load(error)
        value = answer.get("value")
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(value["error"], value.get("message", ""))
        return value

    def navigate(self, url):
        self.command("POST", "/url", {"url": url})

    def find(self, css):
        """The first element matching `css`; raises WebDriverError 'no such element'."""
        value = self.command("POST", "/element", {"using": "css selector", "value": css})
        return Element(self, value[ELEMENT_KEY])

    def find_all(self, css):
        value = self.command("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, v[ELEMENT_KEY]) for v in value]

    def execute(self, script, *args):
        """Runs `script` as a function body in the page; returns what it returns."""
        arguments = [{ELEMENT_KEY: a.id} if isinstance(a, Element) else a for a in args]
        return self.command("POST", "/execute/sync", {"script": script, "args": arguments})

    def alert_text(self):
        """The text of the open alert, or None when none is open."""
        try:
            return self.command("GET", "/alert/text")
        except WebDriverError as error:
            if error.error == "no such alert":
                return None
            raise

    def dismiss_alert(self):
        self.command("POST", "/alert/dismiss", {})

    def console_log(self):
        """The page's console entries since the last call (chromedriver's legacy log API)."""
        return self.command("POST", "/se/log", {"type": "browser"})

    def screenshot_png(self):
        """A PNG of the viewport."""
        return base64.b64decode(self.command("GET", "/screenshot"))
