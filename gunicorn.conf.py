"""gunicorn settings for hosting the article: ``gunicorn -c gunicorn.conf.py app:server``.

Every value can be changed from the environment (shown in brackets) without editing this
file; gunicorn's own command-line flags win over both.

Workers and threads (``WEB_CONCURRENCY``, ``GUNICORN_THREADS``). A callback is short,
CPU-bound Python (pandas/numpy lookups on small in-memory tables), so one process can use
at most one core: ``workers = cores + 1``, one per core plus one that takes requests while
another is stuck in a slow callback or a garbage collection. Each worker runs
``threads = 4`` threads (``gthread``): while one thread computes, the others send the
compressed bundles and answer the cheap requests, and a slow client cannot hold a whole
process. ``cores`` is what this process may really use: the CPU affinity mask, capped by a
cgroup CPU quota (a container's ``--cpus``).

Memory. ``preload_app`` imports the app, and so reads every artifact of ``precomputed/``
and builds the page, once in the master before it forks; the workers share those pages
copy-on-write instead of each reading its own copy.

Limits. The request line and header fields are capped here (``limit_request_*``); the
request body is capped at 1 MB by the app (Flask ``MAX_CONTENT_LENGTH``, answered with
413). A worker silent for ``timeout`` seconds is restarted.

Logs. Errors go to stderr; the access log is off unless ``GUNICORN_ACCESS_LOG=1`` (or
a file path), as a classroom's requests would otherwise fill the disk.
"""

from __future__ import annotations

import gc
import math
import os
from pathlib import Path


def usable_cores(cgroup_cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """CPU cores this process may use: its affinity mask, capped by a cgroup v2 quota.

    ``cpu.max`` holds ``"<quota> <period>"`` in microseconds, or ``"max <period>"`` when
    unlimited; a quota of 150000 per 100000 allows 1.5 cores, rounded up to 2.
    """
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = cgroup_cpu_max.read_text().split()
    except (OSError, ValueError):
        return cores
    if quota == "max":
        return cores
    return max(1, min(cores, math.ceil(int(quota) / int(period))))


def access_log(setting: str) -> str | None:
    """``GUNICORN_ACCESS_LOG``: unset or ``0`` is off, ``1`` is stdout, else a file path."""
    if setting in ("", "0"):
        return None
    return "-" if setting == "1" else setting


CORES = usable_cores()

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", CORES + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
preload_app = True

# Request limits: a shared link's query string is under 100 bytes.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Timeouts (seconds): the slowest callback takes well under a second. Idle keep-alive
# connections stay open 75 s (nginx's default): a browser loading the page under load can
# leave one idle for several seconds, and a server that closes it just as the browser
# reuses it fails that request (5 s gave failed readers in a 30-reader classroom here).
timeout = 30
graceful_timeout = 20
keepalive = 75

# Recycle workers now and then (jittered so they do not all restart at once); cheap, as
# they fork from the preloaded master.
max_requests = 5000
max_requests_jitter = 500

accesslog = access_log(os.environ.get("GUNICORN_ACCESS_LOG", ""))
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Workers' heartbeat files in memory rather than on a possibly slow disk.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"


def when_ready(server) -> None:
    """Serve the index once in the master, before any worker is forked.

    Dash finishes its own setup (registering which bundle files it may serve) on the first
    request a process gets. A fresh worker's first requests can be several bundle requests
    at once on its threads, and one could be answered (with a 500) before another thread's
    setup has registered the files. Done here, every worker starts with the setup done.
    """
    if not server.cfg.preload_app:
        return
    from werkzeug.test import Client

    status = Client(server.app.wsgi()).get("/").status_code
    server.log.info("app warmed up in the master: GET / answered %s", status)
    # Keep the loaded objects out of the garbage collector's reach, so that its passes in
    # the workers do not write to (and so copy) the pages they share with the master.
    gc.freeze()
