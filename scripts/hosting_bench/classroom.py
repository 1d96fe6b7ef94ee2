"""A bounded classroom: N readers open the page within R seconds, on 127.0.0.1 only.

Each reader fetches what a browser fetches on a first visit, in the browser's phases: the
index; the scripts, CSS and other static files; ``/_dash-layout`` and
``/_dash-dependencies``; then every callback request the recorded browser visit sent
(bodies replayed as recorded, so a version that fires no callback replays none). A reader
uses at most 6 connections at a time, as Chromium does per host.
"""

from __future__ import annotations

import asyncio
import math
import ssl
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx

CONNECTIONS_PER_READER = 6  # Chromium's limit per host over HTTP/1.1
REQUEST_TIMEOUT_S = 60.0
DASH_API = ("/_dash-layout", "/_dash-dependencies")


class _IndexReferences(HTMLParser):
    """Collects the same-origin ``<script src>`` and ``<link href>`` paths of the index."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        value = dict(attrs).get(wanted) if wanted else None
        if value and not urlsplit(value).netloc:
            self.paths.append(value if value.startswith("/") else "/" + value)


@dataclass
class Plan:
    """What one reader fetches: static GET paths, the Dash API GETs, callback POST bodies."""

    static: list[str]
    api: list[str]
    callbacks: list[tuple[str, str]]  # (path with query, JSON body)
    index_only: bool = False


def make_plan(index_html: str, recorded: list[dict], index_only: bool = False) -> Plan:
    """Build a reader's plan from the index and the browser's recorded requests.

    ``recorded`` is :attr:`browser.Visit.requests`. Static files are those the index
    references plus, unless ``index_only``, every other GET the browser made (e.g. the
    plotly.js chunk dcc.Graph loads on demand, the favicon).
    """
    parser = _IndexReferences()
    parser.feed(index_html)
    static = list(dict.fromkeys(parser.paths))
    if not index_only:
        for request in recorded:
            path = request["path"]
            is_static = request["method"] == "GET" and urlsplit(path).path != "/"
            if is_static and path not in DASH_API and path not in static:
                static.append(path)
    callbacks = [
        (r["path"], r["body"] or "")
        for r in recorded
        if r["method"] == "POST" and urlsplit(r["path"]).path == "/_dash-update-component"
    ]
    return Plan(static=static, api=list(DASH_API), callbacks=callbacks, index_only=index_only)


@dataclass
class Reader:
    """One reader's outcome: seconds to a complete page, bytes received, failed requests."""

    seconds: float = 0.0
    received_bytes: int = 0
    errors: list[str] = field(default_factory=list)


async def _fetch(client: httpx.AsyncClient, reader: Reader, method: str, path: str, body=None):
    """One request; a non-2xx status or a transport error is recorded, not raised."""
    try:
        if method == "GET":
            response = await client.get(path)
        else:
            headers = {"Content-Type": "application/json"}
            response = await client.post(path, content=body, headers=headers)
        reader.received_bytes += response.num_bytes_downloaded
        if not 200 <= response.status_code < 300:
            reader.errors.append(f"{method} {path[:60]}: HTTP {response.status_code}")
        return response
    except httpx.HTTPError as error:
        reader.errors.append(f"{method} {path[:60]}: {type(error).__name__}")
        return None


async def _one_reader(base_url: str, plan: Plan, start_at: float, tls: ssl.SSLContext) -> Reader:
    """Wait until ``start_at`` (loop time), then load the page phase by phase.

    ``tls`` is one context shared by every reader: httpx would otherwise build one per
    client, reading the CA bundle (~20 ms of this process's single event loop per reader,
    although 127.0.0.1 is plain HTTP), and the load would measure that instead of the server.
    """
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start_at - loop.time()))
    reader, begin = Reader(), time.perf_counter()
    limits = httpx.Limits(max_connections=CONNECTIONS_PER_READER)
    timeout = httpx.Timeout(REQUEST_TIMEOUT_S, pool=None)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=timeout, verify=tls
    ) as client:
        await _fetch(client, reader, "GET", "/")
        await asyncio.gather(*(_fetch(client, reader, "GET", path) for path in plan.static))
        await asyncio.gather(*(_fetch(client, reader, "GET", path) for path in plan.api))
        await asyncio.gather(
            *(_fetch(client, reader, "POST", path, body) for path, body in plan.callbacks)
        )
    reader.seconds = time.perf_counter() - begin
    return reader


async def _classroom(
    base_url: str, plan: Plan, readers: int, ramp_s: float, bound_s: float
) -> list[Reader | BaseException | None]:
    """All readers; those not done ``bound_s`` after the last one started are cancelled (None)."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    step = ramp_s / max(readers - 1, 1)  # evenly spread: the first at 0 s, the last at R s
    tls = ssl.create_default_context()
    tasks = [
        asyncio.create_task(_one_reader(base_url, plan, start + i * step, tls))
        for i in range(readers)
    ]
    await asyncio.wait(tasks, timeout=0.2 + ramp_s + bound_s)
    outcomes: list[Reader | BaseException | None] = []
    for task in tasks:
        if not task.done():
            task.cancel()
            outcomes.append(None)
        else:
            outcomes.append(task.exception() or task.result())
    await asyncio.gather(*tasks, return_exceptions=True)  # let the cancelled ones close
    return outcomes


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _seconds(value: float) -> float | None:
    """Rounded seconds; None for a reader whose page never completed (inf)."""
    return None if math.isinf(value) else round(value, 2)


def run_classroom(
    base_url: str, plan: Plan, readers: int, ramp_s: float = 5.0, bound_s: float = 120.0
) -> dict:
    """Run the load and summarise it; stops by itself ``bound_s`` after the last reader starts.

    Seconds to a complete page (p50, p95, max) are over all readers; a reader with a failed
    request or cut off by the bound never completed its page and counts as infinitely slow,
    so a percentile that lands on one is None ("incomplete"). Also returns the readers with
    errors, those cut off, requests per reader and MiB received in all.
    """
    if urlsplit(base_url).hostname not in {"127.0.0.1", "localhost"}:
        raise ValueError(f"the classroom load runs on 127.0.0.1 only, not {base_url}")
    started = time.perf_counter()
    outcomes = asyncio.run(_classroom(base_url, plan, readers, ramp_s, bound_s))
    finished = [o for o in outcomes if isinstance(o, Reader)]
    crashed = [o for o in outcomes if isinstance(o, BaseException)]
    examples = [o.errors[0] for o in finished if o.errors]
    examples += [f"{type(o).__name__}: {o}" for o in crashed]
    times = [o.seconds if isinstance(o, Reader) and not o.errors else math.inf for o in outcomes]
    return {
        "readers": readers,
        "ramp_s": ramp_s,
        "bound_s": bound_s,
        "requests_per_reader": 1 + len(plan.static) + len(plan.api) + len(plan.callbacks),
        "callbacks_per_reader": len(plan.callbacks),
        "p50_s": _seconds(_percentile(times, 0.50)),
        "p95_s": _seconds(_percentile(times, 0.95)),
        "max_s": _seconds(max(times)),
        "readers_with_errors": sum(bool(o.errors) for o in finished) + len(crashed),
        "readers_cut_off": outcomes.count(None),
        "error_examples": sorted(set(examples))[:5],
        "received_mib": round(sum(o.received_bytes for o in finished) / 2**20, 1),
        "wall_s": round(time.perf_counter() - started, 1),
    }
