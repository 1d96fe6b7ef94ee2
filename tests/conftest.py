"""Shared pytest setup: Chrome options for ``dash[testing]``'s browser fixtures.

The browser tests use the system Chromium and chromedriver (``/usr/bin``); Selenium 4.2 never
downloads a driver. ``--headless`` is also passed on the command line through ``addopts`` in
``pyproject.toml`` so that dash's plugin knows it runs headless.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner
from selenium.webdriver.chrome.options import Options

CHROMIUM = "/usr/bin/chromium"

# Several checkouts may run browser tests at once on one machine: each picks its own ports.
BaseDashRunner._next_port = int(os.environ.get("DASH_TEST_PORT", BaseDashRunner._next_port))

# ``app.py`` sits at the repository root and is not an installed package.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build_test_records() -> Path:
    """Every reader's records for the artifacts under test, built once per artifact set.

    The committed artifacts hold only the story reader's rows (the MovieLens licence), so
    the tests build the others as a host does (``python -m models.reader_records``) from
    the same archive as every real-data test, into a temporary folder named after the
    artifacts' manifest. A folder that already holds a matching build is reused (the
    records' own manifest names the weights they came from); concurrent sessions wait
    for one build. Without the data this fails: real-data tests never skip.
    """
    from core.artifacts import precomputed_dir
    from core.records import records_problem
    from models.data import load_movielens
    from models.reader_records import build

    manifest_path = precomputed_dir() / "manifest.json"
    key = hashlib.sha256(manifest_path.read_bytes()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"reader-records-{os.getuid()}-{key}"
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if records_problem(folder, json.loads(manifest_path.read_text())) is not None:
            build(load_movielens(), precomputed_dir(), folder)
    return folder


def pytest_configure(config) -> None:
    """Point the app at freshly built per-reader records before any test imports it."""
    from core.records import RECORDS_ENV

    os.environ[RECORDS_ENV] = str(build_test_records())


def pytest_setup_options() -> Options:
    """Chrome options for ``dash_duo``: headless, sandbox-free, no background traffic."""
    options = Options()
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    return options


@pytest.fixture(scope="session")
def movielens():
    """The real MovieLens 1M: $MOVIELENS_1M, the shared copy, or a checked download.

    Never skips: without the data the real-data tests error out, so CI cannot pass
    without running them.
    """
    from models.data import load_movielens

    return load_movielens()


@pytest.fixture(scope="session")
def prepared(movielens):
    """The real data split with the project's default seed."""
    from models.prepare import prepare
    from models.split import DEFAULT_SEED

    return prepare(movielens, seed=DEFAULT_SEED)


def write_tiny_movielens(folder: Path, seed: int = 0) -> Path:
    """A synthetic MovieLens-format folder (60 users, 40 movies, ~900 ratings) with taste.

    Users and movies get two hidden factors, so a model can learn something; movie 40 is
    rated exactly once (by user 1), to check what happens to rarely seen movies.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_users, n_movies = 60, 40
    user_taste, movie_taste = rng.normal(size=(n_users, 2)), rng.normal(size=(n_movies, 2))
    lines = []
    for user in range(1, n_users + 1):
        movies = rng.choice(np.arange(1, n_movies), size=15, replace=False)
        for movie in sorted(movies.tolist() + ([n_movies] if user == 1 else [])):
            score = 3.5 + user_taste[user - 1] @ movie_taste[movie - 1] + rng.normal(0, 0.3)
            lines.append(f"{user}::{movie}::{int(np.clip(round(score), 1, 5))}::0")
    (folder / "ratings.dat").write_text("\n".join(lines) + "\n")
    genres = ["Comedy", "Horror", "Drama|Romance", "Action|Sci-Fi|Thriller"]
    (folder / "movies.dat").write_text(
        "\n".join(
            f"{movie}::Movie {movie} ({1990 + movie % 10})::{genres[movie % 4]}"
            for movie in range(1, n_movies + 1)
        )
        + "\n"
    )
    (folder / "users.dat").write_text(
        "\n".join(
            f"{user}::{'MF'[user % 2]}::{[1, 18, 25, 35, 45, 50, 56][user % 7]}::{user % 21}::"
            f"{90000 + user:05d}"
            for user in range(1, n_users + 1)
        )
        + "\n"
    )
    return folder


@pytest.fixture
def tiny_movielens(tmp_path):
    """A loaded synthetic MovieLens (see :func:`write_tiny_movielens`)."""
    from models.data import load_movielens

    return load_movielens(write_tiny_movielens(tmp_path / "ml-tiny"))


def run_python_json(script: str, env: dict | None = None):
    """Run ``script`` in a fresh interpreter at the repository root (a process of its own, so
    environment settings read at import time apply); returns its last output line as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


#: A placeholder whose boxes the browser has not mounted yet (hosting/deferred.py).
UNMOUNTED = ".deferred-boxes"
_SCROLL_A_LITTLE = "window.scrollBy(0, 1);"
_MOUNTED = f"return !document.querySelector('{UNMOUNTED}');"


def read_on(driver, timeout: float = 60) -> None:
    """Scroll one pixel (and back), as a reader starting to read does, and wait until the
    browser has mounted every box below the fold (assets/deferred.js). A link with a
    query string or a #fragment mounts every box by itself: then only wait. A page without
    placeholders (every box in the layout) returns once it is drawn.

    Raises:
        selenium TimeoutException: if the page is not drawn or its boxes never all mount.
    """
    from selenium.webdriver.support.wait import WebDriverWait

    # The placeholders come in the same render as the page's <main>.
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return !!document.getElementById('main')")
    )
    by_itself = driver.execute_script("return location.search.length + location.hash.length > 2")
    if not by_itself:
        driver.execute_script(_SCROLL_A_LITTLE)
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(_MOUNTED))
    if not by_itself:
        driver.execute_script("window.scrollBy(0, -1);")


@pytest.fixture(autouse=True)
def _browser_tests_start_reading(monkeypatch):
    """``dash_duo.start_server`` returns once the reader has started reading and every box
    below the fold is mounted (:func:`read_on`), so a test finds each box as a reader does.
    A test that loads a page again with ``driver.get`` calls :func:`read_on` itself (a
    shared link with a query string mounts every box by itself)."""
    from dash.testing.composite import DashComposite

    start_server = DashComposite.start_server

    def start_and_read(self, app, navigate=True, **kwargs):
        start_server(self, app, navigate=navigate, **kwargs)
        if navigate:
            read_on(self.driver)

    monkeypatch.setattr(DashComposite, "start_server", start_and_read)
