"""gunicorn boots and serves the page with a damaged artifact, logging one line per problem.

The issue's example: a ``metrics.json`` entry that is a string stopped the worker from
booting ("Worker failed to boot").
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from damage import REAL, damaged_folder, tamper

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("DASH_TEST_PORT", "8050")) + 90


def _get(path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:
        return response.status, response.read().decode()


def test_gunicorn_serves_the_page_with_a_string_in_metrics_json(tmp_path):
    folder = damaged_folder(tmp_path / "precomputed", "metrics.json", tamper)
    metrics = json.loads((REAL / "metrics.json").read_text())
    metrics["deepfm"] = "0.86"
    (folder / "metrics.json").write_text(json.dumps(metrics))
    env = {
        **os.environ,
        "PRECOMPUTED_DIR": str(folder),
        "PORT": str(PORT),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
    }
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"]
    server = subprocess.Popen(
        gunicorn, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get("/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not answer in 90 s"
                time.sleep(0.5)
        assert status == 200
        status, layout = _get("/_dash-layout")
        assert status == 200
        # The model table is below the fold: its tree is in the file the browser mounts.
        source = re.search(r"_deferred-boxes\.[0-9a-f]+\.json", layout).group(0)
        status, trees = _get("/" + source)
        assert status == 200 and "at deepfm: input should be an object" in trees
    finally:
        server.send_signal(signal.SIGTERM)
        log, _ = server.communicate(timeout=30)
    assert "Worker failed to boot" not in log
    problems = [line for line in log.splitlines() if "/precomputed: metrics.json" in line]
    assert len(problems) == 2, log  # its schema and its hash, once each (the master checks)
    assert "Rebuild it with `python -m models.pipeline`" in problems[0]
