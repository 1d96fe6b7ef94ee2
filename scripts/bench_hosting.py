"""Hosting benchmark: first-page bytes, callbacks, drawing time, a classroom load, Lighthouse.

Not a test: it prints figures (and writes them as JSON with ``--json PATH``). It starts the
server as the README says for production (``gunicorn -c gunicorn.conf.py app:server`` when
the checkout has that file, else ``gunicorn app:server``) on 127.0.0.1 with a free port,
from ``--repo`` with ``--python``, and always stops it, also on Ctrl-C or an error. Then:

1. ``GET /``: size of the index HTML, as sent (compressed if the server compresses) and
   decoded.
2. A first visit in headless Chromium (fresh profile, cache off): bytes transferred (sum of
   the Performance API's ``transferSize`` over the navigation and every resource), the
   ``/_dash-update-component`` requests and their bytes, and the time from navigation start
   until every ``dcc.Graph`` is drawn. The same for a shared link unless ``--no-shared-link``.
3. A classroom on 127.0.0.1 only: N readers (``--readers 30,100``) open the page within R
   seconds (``--ramp 5``), each fetching the index, the scripts and CSS (plus, unless
   ``--index-only``, every other static file the browser fetched), ``/_dash-layout``,
   ``/_dash-dependencies`` and the callback requests recorded from the browser visit. Prints
   p50/p95/max seconds to a complete page, readers with errors, the CPU seconds the server's
   processes used meanwhile (the load's client runs on the same cores) and each gunicorn
   process's RSS and USS (psutil) after serving.
4. Lighthouse 12.2.3 (default mobile settings, then ``--preset=desktop``): performance
   score, largest contentful paint, total blocking time, SEO score. Install it outside the
   repository once (Node 18+):
   ``mkdir -p /work/tools && cd /work/tools && npm init -y && npm install lighthouse@12.2.3``;
   the script looks in ``/work/tools/node_modules/.bin``, then PATH, or takes
   ``--lighthouse PATH``. It runs with ``CHROME_PATH=/usr/bin/chromium``.

Usage (from the repository root, with the ``bench`` extra installed)::

    python scripts/bench_hosting.py
    python scripts/bench_hosting.py --repo ../other-checkout --readers 30,100 --json out.json
    python scripts/bench_hosting.py --server-cmd "{python} -m gunicorn -w 2 app:server \\
        --bind {host}:{port}"

The machine's load average is printed before and after: figures from a busy machine are
not comparable with those from an idle one. On a busy machine, split a long run into short
ones (``--readers 30``, ``--readers 100 --no-shared-link --no-lighthouse``, ``--readers ''
--no-browser --lighthouse-presets desktop``); readers still loading ``--bound`` seconds after
the last one started are cut off and counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hosting_bench import browser, classroom, lighthouse, server  # noqa: E402

SHARED_LINK = "?user=42&movie=3264&compare=3391"
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium sends


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--python", default=sys.executable, help="interpreter with gunicorn")
    parser.add_argument("--server-cmd", help="override; may use {python}, {host}, {port}")
    parser.add_argument("--port", type=int, help="preferred port (a free one if taken)")
    parser.add_argument("--readers", default="30,100", help="classroom sizes; '' for none")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds to spread readers")
    parser.add_argument(
        "--bound", type=float, default=120.0, help="cut readers off this long after the ramp"
    )
    parser.add_argument("--index-only", action="store_true", help="static: only index refs")
    parser.add_argument("--no-shared-link", action="store_true")
    parser.add_argument("--lighthouse", help="path to the lighthouse CLI")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--lighthouse-presets", default="mobile,desktop", help="of mobile,desktop; comma-separated"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the Chromium visits (needs --readers '')"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def machine_state() -> dict:
    """Time, CPU count and 1/5/15-minute load average."""
    return {
        "utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def checkout_commit(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()[:90] or "unknown"


def index_sizes(url: str) -> tuple[dict, str]:
    """Bytes of ``GET /`` as sent to a browser and decoded; returns them and the HTML."""
    with httpx.Client(timeout=60) as client:
        plain = client.get(url + "/", headers={"Accept-Encoding": "identity"})
        wire = 0
        request = {"Accept-Encoding": BROWSER_ENCODINGS}
        with client.stream("GET", url + "/", headers=request) as response:
            for chunk in response.iter_raw():
                wire += len(chunk)
            encoding = response.headers.get("content-encoding", "none")
    sizes = {"decoded_bytes": len(plain.content), "sent_bytes": wire, "encoding": encoding}
    return sizes, plain.text


class Phase:
    """Prints a phase's name on entry and its duration on exit (progress on a slow machine)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.start = time.perf_counter()
        print(f"{self.name} ...", end=" ", flush=True)

    def __exit__(self, *exc) -> None:
        print(f"{time.perf_counter() - self.start:.0f} s", flush=True)


def visit_figures(visit: browser.Visit) -> dict:
    figures = dict(vars(visit))
    figures.pop("requests")
    return figures


def measure(args: argparse.Namespace, results: dict) -> None:
    """Everything, against one server, into ``results`` as it comes (partial if interrupted).

    The server is stopped before this returns or raises.
    """
    readers = [int(n) for n in args.readers.split(",") if n.strip()]
    if args.no_browser and readers:
        raise SystemExit("--no-browser needs --readers '': the classroom replays the browser's")
    presets = {"mobile": None, "desktop": "desktop"}
    names = [name.strip() for name in args.lighthouse_presets.split(",")]
    if unknown := set(names) - set(presets):
        raise SystemExit(f"--lighthouse-presets: unknown {sorted(unknown)}; use mobile, desktop")
    cli = None if args.no_lighthouse else lighthouse.find_cli(args.lighthouse)
    results["repo"] = str(args.repo.resolve())
    results["commit"] = checkout_commit(args.repo)
    with server.running_server(args.repo.resolve(), args.python, args.port, args.server_cmd) as s:
        results["server_command"] = " ".join(s.command)
        print(f"server: {results['server_command']}  ({s.url})", flush=True)
        results["index"], index_html = index_sizes(s.url)
        if not args.no_browser:
            with Phase("browser: first visit"):
                first = browser.visit(s.url + "/")
            results["first_visit"] = visit_figures(first)
        if not (args.no_shared_link or args.no_browser):
            with Phase("browser: shared link"):
                results["shared_link"] = visit_figures(browser.visit(s.url + "/" + SHARED_LINK))
        if readers:
            plan = classroom.make_plan(index_html, first.requests, args.index_only)
        results["classroom"] = []
        for count in readers:
            with Phase(f"classroom: {count} readers within {args.ramp:g} s"):
                before = server.cpu_seconds(s)
                load = classroom.run_classroom(s.url, plan, count, args.ramp, args.bound)
                load["server_cpu_s"] = round(server.cpu_seconds(s) - before, 2)
            load["memory_after"] = server.process_memory(s)
            results["classroom"].append(load)
        results["lighthouse"] = {}
        if cli:
            for name in names:
                with Phase(f"lighthouse: {name}"):
                    run = lighthouse.run_lighthouse(cli, s.url + "/", presets[name])
                results["lighthouse"][name] = run
        elif not args.no_lighthouse:
            results["lighthouse"] = {"error": "lighthouse CLI not found (see --help)"}


def _kib(value: int) -> str:
    return f"{value / 1024:,.1f} KiB" if value < 2**20 else f"{value / 2**20:,.2f} MiB"


def _ms(value) -> str:
    return "not all drawn" if value is None else f"{value / 1000:.2f} s"


def visit_rows(name: str, visit: dict) -> list[tuple[str, str]]:
    return [
        (
            f"{name}: bytes transferred ({visit['resources']} resources)",
            _kib(visit["transfer_bytes"]),
        ),
        (f"{name}: /_dash-update-component requests", str(visit["callbacks"])),
        (f"{name}: callback response bytes", _kib(visit["callback_bytes"])),
        (
            f"{name}: every graph drawn ({visit['graphs_drawn']}/{visit['graphs_total']})",
            _ms(visit["all_drawn_ms"]),
        ),
    ]


def classroom_rows(load: dict) -> list[tuple[str, str]]:
    label = f"{load['readers']} readers in {load['ramp_s']:g} s"
    # A percentile on a reader that never completed: cut off by the bound, or a failed request.
    unknown = f">{load['bound_s']:g}" if load["readers_cut_off"] else "failed"
    seconds = "/".join(
        unknown if load[k] is None else f"{load[k]:.2f}" for k in ("p50_s", "p95_s", "max_s")
    )
    memory = ", ".join(
        f"{m['role']} {m['rss_mib']:.0f} ({m['uss_mib']:.0f})" for m in load["memory_after"]
    )
    rows = [
        (f"{label}: complete page p50/p95/max (s)", seconds),
        (
            f"{label}: readers with errors; cut off after {load['bound_s']:g} s",
            f"{load['readers_with_errors']}; {load['readers_cut_off']}",
        ),
        (
            f"{label}: requests per reader (callbacks)",
            f"{load['requests_per_reader']} ({load['callbacks_per_reader']})",
        ),
        (
            f"{label}: received, wall time",
            f"{load['received_mib']:,.1f} MiB, {load['wall_s']:.1f} s",
        ),
        (
            f"{label}: server CPU seconds (per reader)",
            f"{load['server_cpu_s']:.2f} ({1000 * load['server_cpu_s'] / load['readers']:.1f} ms)",
        ),
        (f"{label}: RSS (USS) MiB after", memory),
    ]
    rows += [(f"{label}: error", example) for example in load["error_examples"]]
    return rows


def lighthouse_rows(results: dict) -> list[tuple[str, str]]:
    if "error" in results:
        return [("Lighthouse", results["error"])]
    rows = []
    for name, run in results.items():
        if "error" in run:
            rows.append((f"Lighthouse {name}", run["error"]))
            continue
        rows.append(
            (
                f"Lighthouse {name}: performance; LCP; TBT; SEO",
                f"{run['performance']}; {_ms(run['lcp_ms'])}; {run['tbt_ms']} ms; {run['seo']}",
            )
        )
    return rows


def print_table(results: dict) -> None:
    """Print the figures as a two-column table."""
    before, after = results["machine_before"], results["machine_after"]
    rows = [
        ("checkout", results.get("commit", "?")),
        ("server", results.get("server_command", "not started")),
        ("machine", f"{before['cpus']} CPUs, {before['utc']} UTC"),
        ("load average 1/5/15 min, before", " ".join(map(str, before["load_average"]))),
    ]
    if index := results.get("index"):
        rows.append(
            ("index HTML (GET /) sent", f"{_kib(index['sent_bytes'])} ({index['encoding']})")
        )
        rows.append(("index HTML decoded", _kib(index["decoded_bytes"])))
    for key, name in (("first_visit", "first visit"), ("shared_link", "shared link")):
        if key in results:
            rows += visit_rows(name, results[key])
    for load in results.get("classroom", []):
        rows += classroom_rows(load)
    rows += lighthouse_rows(results.get("lighthouse", {}))
    rows.append(("load average 1/5/15 min, after", " ".join(map(str, after["load_average"]))))
    width = max(len(name) for name, _ in rows)
    print()
    print(f"{'figure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def _interrupt(signum, frame) -> None:
    """SIGTERM (e.g. from ``timeout``) unwinds like Ctrl-C, so the server is stopped."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    results: dict = {"machine_before": machine_state()}
    status = 0
    try:
        measure(args, results)
    except KeyboardInterrupt:
        print("\ninterrupted; server stopped; the figures so far:", file=sys.stderr)
        status = 130
    results["machine_after"] = machine_state()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    return status


if __name__ == "__main__":
    sys.exit(main())
