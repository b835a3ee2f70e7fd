"""report.html in a real browser: headless chromium, no network, driven over the DevTools protocol.

Skipped (with the reason) when no chromium/chrome is installed; CI installs Debian's chromium.
Checks: no console errors or exceptions, no request other than the file itself, the metric
values in the DOM equal metrics.json, sorting works, print works; saves screenshots (wide and
narrow) and a PDF under the test's tmp dir.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from report_helpers import make_run

from piikit.config import ReportConfig
from piikit.io import read_json
from piikit.report import write_run_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    env = os.environ.get("PIIKIT_BROWSER")
    if env:
        return env
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


BROWSER = find_browser()
websocket = pytest.importorskip("websocket", reason="websocket-client is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(BROWSER is None, reason=f"no headless browser installed (looked for {', '.join(BROWSERS)}; CI runs `apt-get install chromium`)")


class Chrome:
    """The smallest DevTools-protocol client: one page session over the browser's websocket."""

    def __init__(self, tmp: Path):
        self.proc = subprocess.Popen(
            [
                BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",  # no network at all
                f"--user-data-dir={tmp / 'profile'}", "--remote-debugging-port=0", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            if "DevTools listening on " in line:
                url = line.split("DevTools listening on ", 1)[1].strip()
        if url is None:
            self.close()
            raise RuntimeError(f"{BROWSER} did not start a DevTools endpoint")
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.events: list[dict] = []
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("method") == method for e in self.events):
                return
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def painted(self) -> None:
        """Wait until the page has laid out and painted after a change (two animation frames)."""
        result = self.call(
            "Runtime.evaluate", session=True, awaitPromise=True, returnByValue=True,
            expression="new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
        )
        assert result["result"].get("value") is True, result

    def screenshot(self, path: Path, width: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=800, deviceScaleFactor=1, mobile=False)
        self.painted()
        height = self.evaluate("Math.ceil(document.documentElement.scrollHeight)")
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=min(height, 16000), deviceScaleFactor=1, mobile=False)
        self.painted()  # without this the capture can miss cells not yet repainted at the new size
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[str]:
        """Console errors/warnings, uncaught exceptions, log errors (CSP violations, failed loads)."""
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                out.append(f"console.{p['type']}: {[a.get('value', a.get('description')) for a in p.get('args', [])]}")
            elif m == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails'].get('text')} {p['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif m == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                out.append(f"log {p['entry']['level']}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc.stderr.close()


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    browser = Chrome(tmp_path_factory.mktemp("chrome"))
    yield browser
    browser.close()


def load(chrome: Chrome, page: Path) -> None:
    chrome.events.clear()
    chrome.call("Page.navigate", session=True, url=page.resolve().as_uri())
    chrome.wait_for("Page.loadEventFired")


def test_run_report_in_browser(chrome, tmp_path):
    run_dir = make_run(tmp_path / "run")
    page = run_dir / "report.html"
    metrics = read_json(run_dir / "evaluate" / "metrics.json")
    load(chrome, page)

    shown = chrome.evaluate(
        "Array.from(document.querySelectorAll('[data-metric]')).map(e => [e.dataset.metric, e.dataset.value, e.textContent.trim()])"
    )
    assert len(shown) > 20
    for key, value, text in shown:
        assert float(value) == metrics[key], key
        assert text == (f"{metrics[key]:.4f}" if isinstance(metrics[key], float) else str(metrics[key])), key
    headline = {k for k, _, _ in shown}
    assert {"span_f1", "span_f2", "span_precision", "span_recall", "token_f1", "leak_rate", "fidelity", "exact_match"} <= headline

    # the per-label table sorts by a column when its header is clicked (descending first, then ascending)
    sort = """(() => {
      const t = document.getElementById('per-label-table');
      const col = Array.from(t.tHead.rows[0].cells).findIndex(th => th.textContent.trim() === 'leak rate');
      t.tHead.rows[0].cells[col].querySelector('button').click();
      const down = Array.from(t.tBodies[0].rows).map(r => [r.dataset.name, parseFloat(r.cells[col].dataset.sort)]);
      t.tHead.rows[0].cells[col].querySelector('button').click();
      const up = Array.from(t.tBodies[0].rows).map(r => r.cells[col].dataset.sort);
      return {down: down, up: up.map(parseFloat), aria: t.tHead.rows[0].cells[col].getAttribute('aria-sort')};
    })()"""
    result = chrome.evaluate(sort)
    leak = [v for _, v in result["down"]]
    assert leak == sorted(leak, reverse=True) and leak[0] > 0 and result["up"] == sorted(leak)
    assert result["aria"] == "ascending"
    assert {n: v for n, v in result["down"]} == {k: v["leak_rate"] for k, v in metrics["per_label"].items()}

    assert chrome.evaluate("document.querySelectorAll('svg').length") == 2
    assert chrome.evaluate("document.querySelectorAll('#examples article.example').length") == 5  # report.worst_examples
    assert chrome.evaluate("document.querySelectorAll('#examples mark.leak').length") >= 3
    assert chrome.evaluate("getComputedStyle(document.querySelector('.toc')).display") != "none"

    chrome.screenshot(tmp_path / "report.png", 1280)
    chrome.screenshot(tmp_path / "report-narrow.png", 390)
    assert chrome.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling on a phone
    pdf = chrome.call("Page.printToPDF", session=True, printBackground=True)["data"]
    (tmp_path / "report.pdf").write_bytes(base64.b64decode(pdf))

    assert chrome.problems() == []
    assert [u for u in chrome.requests() if not u.startswith(("file:", "data:", "about:"))] == []
    assert (tmp_path / "report.png").read_bytes()[:4] == b"\x89PNG" and (tmp_path / "report.pdf").read_bytes()[:4] == b"%PDF"


def test_redacted_report_in_browser(chrome, tmp_path):
    run_dir = make_run(tmp_path / "run", ReportConfig(redact_examples=True))
    page = write_run_report(run_dir, ReportConfig(redact_examples=True, worst_examples=12))
    load(chrome, page)
    text = chrome.evaluate("document.body.innerText")
    assert "[LEAKED:LASTNAME]" in text and "redacted" in text
    for row in json.loads("[" + ",".join((run_dir / "prepare" / "test.jsonl").read_text().split("\n")[:-1]) + "]"):
        for span in row["privacy_mask"]:
            if span["value"] not in row["target_text"]:
                assert span["value"] not in text
    assert chrome.problems() == []


def test_sweep_report_in_browser(chrome, tmp_path):
    from report_helpers import make_sweep

    from piikit.report import write_sweep_report

    sweep_dir = make_sweep(tmp_path / "multirun")
    load(chrome, write_sweep_report(sweep_dir))
    table = chrome.evaluate(
        "Array.from(document.querySelectorAll('#jobs-table tbody tr')).map(r => [r.dataset.name, r.querySelector('[data-key=span_f2]').dataset.value || null])"
    )
    expected = {n: read_json(sweep_dir / n / "evaluate" / "metrics.json")["span_f2"] for n in ("0", "1", "2")}
    assert [n for n, _ in table] == ["1", "2", "0", "3"]
    assert {n: float(v) for n, v in table if v is not None} == expected
    assert chrome.evaluate("document.querySelectorAll('#plots svg').length") == 2
    chrome.screenshot(tmp_path / "sweep.png", 1200)
    assert chrome.problems() == []
    # the job number links to that job's own report, which opens fine too
    chrome.events.clear()
    chrome.evaluate("document.querySelector('#jobs-table a').click()")
    chrome.wait_for("Page.loadEventFired")  # of the job's page: the sweep page's events were cleared
    assert chrome.evaluate("location.href").endswith("/multirun/1/report.html")
    assert chrome.evaluate("document.querySelector('[data-metric=span_f2]').dataset.value") == str(expected["1"])
    assert chrome.problems() == []
    assert [u for u in chrome.requests() if not u.startswith(("file:", "data:", "about:"))] == []
