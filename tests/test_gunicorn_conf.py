"""gunicorn.conf.py: workers and threads from the cores, limits, logs; and it really serves."""

from __future__ import annotations

import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "gunicorn.conf.py"
SETTINGS = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG", "HOST", "PORT")


def load(monkeypatch, **env: str) -> dict:
    """The config's module namespace with exactly ``env`` set among its settings."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_follow_the_core_count(monkeypatch):
    conf = load(monkeypatch)
    cores = conf["usable_cores"]()
    assert 1 <= cores <= len(os.sched_getaffinity(0))
    assert conf["workers"] == cores + 1
    assert conf["threads"] == 4
    assert conf["worker_class"] == "gthread"
    assert conf["preload_app"] is True
    assert conf["bind"] == "127.0.0.1:8050"
    assert conf["accesslog"] is None
    assert (conf["limit_request_line"], conf["limit_request_field_size"]) == (4094, 8190)
    assert (conf["timeout"], conf["keepalive"]) == (30, 75)


def test_environment_overrides(monkeypatch):
    conf = load(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_ACCESS_LOG="1",
        HOST="0.0.0.0",
        PORT="9000",
    )
    assert (conf["workers"], conf["threads"]) == (3, 8)
    assert conf["bind"] == "0.0.0.0:9000"
    assert conf["accesslog"] == "-"
    assert load(monkeypatch, GUNICORN_ACCESS_LOG="/tmp/access.log")["accesslog"] == (
        "/tmp/access.log"
    )


@pytest.mark.parametrize(
    ("cpu_max", "limit"),
    [("max 100000\n", None), ("150000 100000\n", 2), ("50000 100000\n", 1), ("junk", None)],
)
def test_a_cgroup_quota_caps_the_cores(monkeypatch, tmp_path, cpu_max, limit):
    usable_cores = load(monkeypatch)["usable_cores"]
    (tmp_path / "cpu.max").write_text(cpu_max)
    affinity = len(os.sched_getaffinity(0))
    expected = affinity if limit is None else min(affinity, limit)
    assert usable_cores(tmp_path / "cpu.max") == expected
    assert usable_cores(tmp_path / "absent") == affinity


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def body_text(body: bytes, headers: dict) -> str:
    return (brotli.decompress(body) if headers.get("Content-Encoding") == "br" else body).decode()


def test_the_readme_command_serves_compressed_and_refuses_big_bodies():
    """``gunicorn -c gunicorn.conf.py app:server``, as the README says, on a free port."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "HOST": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, headers, body = get(base + "/", **{"Accept-Encoding": "gzip, br"})
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.5)
        assert status == 200
        assert headers["Content-Encoding"] == "br"
        assert headers["Cache-Control"] == "no-cache"
        assert get(base + "/robots.txt")[2] == b"User-agent: *\nAllow: /\n"
        # Every worker was forked with Dash's setup done (when_ready): each bundle the
        # index names is served, whichever worker and thread takes it.
        bundles = re.findall(r'<script src="(/[^"]+)"', body_text(body, headers))
        assert len(bundles) >= 8
        with ThreadPoolExecutor(max_workers=12) as pool:  # as a browser does: many at once
            statuses = dict(
                zip(bundles, pool.map(lambda path: get(base + path)[0], bundles), strict=True)
            )
        assert set(statuses.values()) == {200}, statuses

        too_big = urllib.request.Request(
            base + "/_dash-update-component",
            data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(too_big, timeout=10)
        assert refused.value.code == 413
        # Two workers forked from one preloaded master.
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # Dash's setup ran in the master before the fork (gunicorn.conf.py's when_ready): a
    # fresh worker's first concurrent bundle requests cannot race it.
    assert "app warmed up in the master: GET / answered 200" in server.stderr.read().decode()
