"""One visit in headless Chromium: bytes, callback requests, time until every graph is drawn.

The Chromium performance log (Chrome DevTools Protocol ``Network`` events) records every
request the page makes, including the callback request bodies that the classroom load
replays later.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CALLBACK_PATH = "/_dash-update-component"
SETTLE_S = 3.0  # the page counts as settled after this long with no request and no redraw

# Injected before the page's own scripts: records when every dcc.Graph (`.dash-graph`) last
# became drawn (its `.js-plotly-plot` has a `.main-svg`), in ms since navigation start.
GRAPH_WATCH = """
window.__bench = {drawnAt: null, drawn: 0, total: 0, allDrawn: false};
setInterval(() => {
  const graphs = document.querySelectorAll('.dash-graph');
  let drawn = 0;
  graphs.forEach((g) => {
    const plot = g.matches('.js-plotly-plot') ? g : g.querySelector('.js-plotly-plot');
    if (plot && plot.querySelector('.main-svg')) drawn += 1;
  });
  const b = window.__bench;
  const all = graphs.length > 0 && drawn === graphs.length;
  if (all && (!b.allDrawn || drawn !== b.drawn)) b.drawnAt = performance.now();
  b.allDrawn = all; b.drawn = drawn; b.total = graphs.length;
}, 20);
"""

# A reader starts reading: one pixel of scrolling as soon as the page is drawn. The article
# mounts its boxes below the first screen on such a sign (assets/deferred.js); a page that
# holds every box from the start is not affected.
START_READING = """
const done = arguments[arguments.length - 1];
const started = performance.now();
(function poll() {
  if (document.getElementById('main') || performance.now() - started > 30000) {
    window.scrollBy(0, 1);
    done(performance.now());
  } else {
    setTimeout(poll, 20);
  }
})();
"""

RESOURCE_SIZES = """
return performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .map((e) => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}));
"""


@dataclass
class Visit:
    """Figures of one first visit (fresh profile, empty cache).

    ``requests`` holds every same-origin request as {"method", "path", "body"} (path with
    query string; body is the POST text or None), in the order the page sent them.
    """

    url: str
    transfer_bytes: int = 0
    resources: int = 0
    callbacks: int = 0
    callback_bytes: int = 0
    graphs_drawn: int = 0
    graphs_total: int = 0
    all_drawn_ms: float | None = None
    requests: list[dict] = field(default_factory=list)


def _driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROME_FLAGS, "--window-size=1350,1000"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _collect_requests(driver, origin: str, seen: dict) -> int:
    """Add new same-origin ``requestWillBeSent`` events to ``seen``; return how many came."""
    events = 0
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if not message["method"].startswith("Network."):
            continue
        events += 1
        if message["method"] != "Network.requestWillBeSent":
            continue
        params = message["params"]
        request = params["request"]
        if not request["url"].startswith(origin) or params["requestId"] in seen:
            continue
        body = request.get("postData")
        if body is None and request.get("hasPostData"):
            reply = driver.execute_cdp_cmd(
                "Network.getRequestPostData", {"requestId": params["requestId"]}
            )
            body = reply.get("postData")
        parts = urlsplit(request["url"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        seen[params["requestId"]] = {"method": request["method"], "path": path, "body": body}
    return events


def _wait_until_settled(driver, origin: str, seen: dict, timeout_s: float) -> dict:
    """Poll until no network event and no redraw for SETTLE_S; return the graph state."""
    deadline = time.monotonic() + timeout_s
    last_change, last_state = time.monotonic(), None
    while time.monotonic() < deadline:
        events = _collect_requests(driver, origin, seen)
        state = driver.execute_script("return window.__bench || null;")
        if events or state != last_state:
            last_change, last_state = time.monotonic(), state
        elif state and state["allDrawn"] and time.monotonic() - last_change >= SETTLE_S:
            break
        time.sleep(0.25)
    return last_state or {"drawnAt": None, "drawn": 0, "total": 0}


def visit(url: str, timeout_s: float = 90) -> Visit:
    """Open ``url`` in a fresh headless Chromium and measure the first visit of a reader
    who starts reading (scrolls a pixel) as soon as the page is drawn.

    Bytes are the sum of the Performance API's ``transferSize`` over the navigation and
    every resource (headers included, compressed size if compressed). ``all_drawn_ms`` is
    None when some graph was still undrawn after ``timeout_s`` seconds.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    driver = _driver()
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": GRAPH_WATCH})
        seen: dict = {}
        driver.get(url)
        driver.set_script_timeout(40)
        driver.execute_async_script(START_READING)
        state = _wait_until_settled(driver, origin, seen, timeout_s)
        sizes = driver.execute_script(RESOURCE_SIZES)
    finally:
        driver.quit()
    result = Visit(url=url, requests=list(seen.values()))
    result.transfer_bytes = sum(entry["transfer"] for entry in sizes)
    result.resources = len(sizes)
    result.callbacks = sum(r["path"].startswith(CALLBACK_PATH) for r in result.requests)
    result.callback_bytes = sum(
        entry["transfer"] for entry in sizes if urlsplit(entry["name"]).path == CALLBACK_PATH
    )
    result.graphs_drawn, result.graphs_total = state["drawn"], state["total"]
    if state.get("allDrawn"):
        result.all_drawn_ms = round(state["drawnAt"], 1)
    return result
