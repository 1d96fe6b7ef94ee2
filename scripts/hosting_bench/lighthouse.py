"""Run the Lighthouse CLI (npm package ``lighthouse``, 12.2.3) against Debian's Chromium.

Install it outside the repository, e.g.
``mkdir -p /work/tools && cd /work/tools && npm init -y && npm install lighthouse@12.2.3``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from subprocess import PIPE

import psutil

from .browser import CHROME_FLAGS, CHROMIUM

DEFAULT_TOOLS = Path("/work/tools")
RUN_TIMEOUT_S = 150


def find_cli(explicit: str | None = None) -> str | None:
    """The lighthouse CLI: ``explicit``, else /work/tools/node_modules/.bin, else PATH."""
    if explicit:
        return explicit if Path(explicit).is_file() else None
    local = DEFAULT_TOOLS / "node_modules" / ".bin" / "lighthouse"
    return str(local) if local.is_file() else shutil.which("lighthouse")


def _kill_tree(process: subprocess.Popen) -> None:
    """Kill Lighthouse and its descendants: the Chromium it starts has its own group."""
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(process.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def run_lighthouse(cli: str, url: str, preset: str | None = None, tries: int = 2) -> dict:
    """Lighthouse (``preset`` None: default mobile emulation and throttling), up to ``tries``.

    Returns the performance and SEO scores (0-100), largest contentful paint and total
    blocking time (ms), or {"error": ...} when every try fails or exceeds RUN_TIMEOUT_S.
    A second try is for the DevTools protocol timeouts a busy machine causes.
    """
    result: dict = {}
    for attempt in range(1, tries + 1):
        result = _run_once(cli, url, preset)
        result["tries"] = attempt
        if "error" not in result:
            break
    return result


def _run_once(cli: str, url: str, preset: str | None) -> dict:
    """One Lighthouse run; see :func:`run_lighthouse`."""
    command = [
        cli,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,seo",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if preset:
        command.append(f"--preset={preset}")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    # Own session: on a timeout or Ctrl-C the finally below ends it and its Chromium.
    process = subprocess.Popen(
        command, stdout=PIPE, stderr=PIPE, text=True, env=env, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {RUN_TIMEOUT_S} s"}
    finally:
        if process.poll() is None:
            _kill_tree(process)
    if process.returncode != 0 or not stdout.strip():
        return {"error": (stderr.strip().splitlines() or ["no output"])[-1][:200]}
    report = json.loads(stdout)
    audits, categories = report["audits"], report["categories"]

    def score(category: str) -> int | None:
        value = categories[category]["score"]
        return None if value is None else round(value * 100)

    def milliseconds(audit: str) -> int | None:
        value = audits[audit].get("numericValue")
        return None if value is None else round(value)

    return {
        "performance": score("performance"),
        "lcp_ms": milliseconds("largest-contentful-paint"),
        "tbt_ms": milliseconds("total-blocking-time"),
        "seo": score("seo"),
        "version": report.get("lighthouseVersion"),
    }
