"""Start the app as the README says for production, wait until it answers, always stop it."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

HOST = "127.0.0.1"
# README's production command; `-c gunicorn.conf.py` is added when the checkout has one.
PLAIN_COMMAND = "{python} -m gunicorn app:server --bind {host}:{port}"
CONFIG_COMMAND = "{python} -m gunicorn -c gunicorn.conf.py app:server --bind {host}:{port}"


@dataclass
class Server:
    """A running server: its base URL, the command that started it and its process."""

    url: str
    command: list[str]
    process: subprocess.Popen
    log_path: Path


def free_port(preferred: int | None = None) -> int:
    """Return ``preferred`` if it is free on 127.0.0.1, else a port the OS picks (1..65535)."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as probe:
            # As gunicorn binds: a port left in TIME_WAIT by an earlier run is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def server_command(repo: Path, python: str, port: int, template: str | None) -> list[str]:
    """The argv that starts the server; ``template`` may use {python}, {host} and {port}."""
    if template is None:
        template = CONFIG_COMMAND if (repo / "gunicorn.conf.py").is_file() else PLAIN_COMMAND
    return shlex.split(template.format(python=shlex.quote(python), host=HOST, port=port))


def _wait_until_answers(server: Server, timeout_s: float) -> float:
    """Poll ``GET /`` until 200; return seconds waited. Raises RuntimeError with the log tail."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if server.process.poll() is not None:
            break
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + "/", timeout=10).status_code == 200:
                return time.perf_counter() - start
        time.sleep(0.3)
    tail = server.log_path.read_text(errors="replace")[-3000:]
    state = "exited" if server.process.poll() is not None else "did not answer"
    raise RuntimeError(f"server {state} ({' '.join(server.command)}):\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group, then SIGKILL whatever is left after 15 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def running_server(
    repo: Path,
    python: str = sys.executable,
    port: int | None = None,
    template: str | None = None,
    start_timeout_s: float = 90,
) -> Iterator[Server]:
    """Run the server from ``repo`` for the ``with`` block; stopped on exit, error or Ctrl-C.

    Its own process group lets one signal reach the master and every worker. Output goes to
    a temporary log whose tail is shown if the server fails to start.
    """
    port = free_port(port)
    command = server_command(repo, python, port, template)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="bench_hosting_") as folder:
        log_path = Path(folder) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=repo,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        server = Server(f"http://{HOST}:{port}", command, process, log_path)
        try:
            _wait_until_answers(server, start_timeout_s)
            yield server
        finally:
            _stop(process)


def process_memory(server: Server) -> list[dict]:
    """RSS and USS (MiB) of the server's master and each worker, master first.

    USS (memory unique to a process) shows what preloading shares; RSS counts shared pages
    in every process that maps them.
    """
    root = psutil.Process(server.process.pid)
    rows = []
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            rows.append(
                {
                    "pid": proc.pid,
                    "role": "master" if proc.pid == root.pid else "worker",
                    "rss_mib": round(info.rss / 2**20, 1),
                    "uss_mib": round(info.uss / 2**20, 1),
                }
            )
    return rows


def cpu_seconds(server: Server) -> float:
    """User + system CPU seconds the server's master and its live workers have used so far.

    The difference across a load is what serving it cost (on this machine the load's own
    client shares the cores, so the server's share is worth printing apart).
    """
    root = psutil.Process(server.process.pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total
