"""Answers that are the same for every reader, sent from memory before Flask sees the request.

A first visit asks for about 40 URLs besides the index: the component bundles, the files of
``assets/``, plotly.js, the trees of the boxes mounted later, Dash's on-demand chunks and
``/_dash-layout`` / ``/_dash-dependencies``. Through Flask each costs 0.3-1.4 ms of CPU
(routing, the security, cache and compression hooks, reading the file, compressing what
is not fingerprinted); 100 readers opening the page at once are about 4,000 such requests.

So once the app is configured, :func:`install` asks the app itself for each of those URLs,
once per content coding (``br``, ``gzip``, none), and keeps the answers exactly as Flask
gave them: status, every header (Content-Security-Policy, Cache-Control, ETag, Vary,
Content-Type, Content-Encoding, Content-Length) and body. :class:`PreparedResponses`, a
WSGI wrapper around the Flask app, answers a request from that table when

* it is a ``GET`` for exactly a kept path and query string,
* it carries no conditional or range header (a revalidation gets Flask's 304), and
* the answer is still what Flask would send: the assets file was not modified since
  (its ``?m=`` version), the page's layout is the one it was made from.

The coding is chosen from ``Accept-Encoding`` by flask-compress's own rule, so a client gets
the coding Flask would have chosen. Everything else -- the index (Dash writes a fresh token
into each), callbacks, other paths, unknown files (404) -- goes to Flask unchanged.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from dash import Dash
from flask_compress.flask_compress import _choose_algorithm
from werkzeug.test import Client

from hosting import caching, compression, lazy_plotly

#: Request headers that make the answer depend on the client's copy (304, 206, 412).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
#: How each kept answer is asked for: ``Accept-Encoding`` per coding (None: no coding).
CODINGS = {name: name for name in compression.ALGORITHMS} | {None: "identity"}
#: Distinct ``Accept-Encoding`` values whose choice is remembered (browsers send a few).
CHOICES_KEPT = 256
#: ``app.server.extensions`` key of the installed table.
EXTENSION = "article_prepared_responses"


@dataclass(frozen=True)
class Answer:
    """One kept response: status line, headers (without ``Date``) and body."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Entry:
    """A URL's answers by content coding (None: not encoded), and a check that they are
    still what the app would send."""

    answers: dict[str | None, Answer]
    current: Callable[[], bool]


def _always() -> bool:
    return True


class PreparedResponses:
    """WSGI middleware: answers kept GET requests from memory, passes the rest to ``app``.

    Args:
        app: the WSGI application behind (Flask's ``wsgi_app``).
    """

    def __init__(self, app: Callable) -> None:
        self.app = app
        #: ``(PATH_INFO, QUERY_STRING)`` -> entry. Replaced whole, never changed in place.
        self.table: dict[tuple[str, str], Entry] = {}
        self._choices: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def coding(self, accept_encoding: str) -> str | None:
        """The content coding Flask would choose for this ``Accept-Encoding`` value."""
        choice = self._choices.get(accept_encoding, "")
        if choice == "":
            choice = _choose_algorithm(tuple(compression.ALGORITHMS), accept_encoding)
            with self._lock:
                if len(self._choices) < CHOICES_KEPT:
                    self._choices[accept_encoding] = choice
        return choice

    def answer(self, environ: dict) -> Answer | None:
        """The kept answer for this request, or None when Flask must answer it."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        entry = self.table.get((environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")))
        if entry is None or any(name in environ for name in CONDITIONAL_HEADERS):
            return None
        if not entry.current():
            return None
        return entry.answers.get(self.coding(environ.get("HTTP_ACCEPT_ENCODING", "")))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        found = self.answer(environ)
        if found is None:
            return self.app(environ, start_response)
        start_response(found.status, list(found.headers))
        return [found.body]


class _References(HTMLParser):
    """Same-site ``<script src>``, ``<link href>`` and the plotly.js ``<meta>`` of the index."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = {"script": values.get("src"), "link": values.get("href")}.get(tag)
        if tag == "meta" and values.get("name") == lazy_plotly.META_NAME:
            url = self.prefix + (values.get("content") or "")
        if url and url.startswith(self.prefix) and not url.startswith("//"):
            self.urls.append(url)


def _is_chunk(path: str) -> bool:
    """Whether a registered component-suite file is a chunk loaded on demand."""
    return path.rpartition("/")[2].startswith("async-") and path.endswith(".js")


def page_urls(app: Dash, index_html: str) -> list[str]:
    """The URLs (as the server's routes see them) of what every reader's page loads.

    The index's scripts, stylesheets, icon and plotly.js; ``/_dash-layout`` and
    ``/_dash-dependencies``; the files :func:`caching.mark_immutable` was told about (the
    trees of the boxes mounted later); and the chunks Dash's bundles load on demand
    (``async-*.js``, asked for without a fingerprint).
    """
    requests_prefix = app.config.requests_pathname_prefix
    routes_prefix = app.config.routes_pathname_prefix
    parser = _References(requests_prefix)
    parser.feed(index_html)
    urls = [routes_prefix + url[len(requests_prefix) :] for url in parser.urls]
    urls += [routes_prefix + name for name in caching.PAGE_DOCUMENTS]
    urls += sorted(app.server.extensions.get(caching.IMMUTABLE_PATHS, ()))
    for namespace, paths in app.registered_paths.items():
        chunks = sorted(p for p in paths if _is_chunk(p))
        urls += [f"{routes_prefix}_dash-component-suites/{namespace}/{p}" for p in chunks]
    return list(dict.fromkeys(urls))


def _freshness(app: Dash, path: str, query: str) -> Callable[[], bool]:
    """How to tell that a kept answer for ``path?query`` is still the app's answer."""
    assets = f"{app.config.routes_pathname_prefix}{app.config.assets_url_path.strip('/')}/"
    if path.startswith(assets) and query.startswith("m="):
        filename, version = path[len(assets) :], query[2:]
        return lambda: caching.asset_version(app.config.assets_folder, filename) == version
    if path[len(app.config.routes_pathname_prefix) :] in caching.PAGE_DOCUMENTS:
        layout = app.layout
        return lambda: app.layout is layout
    return _always


def _record(client: Client, url: str) -> dict[str | None, Answer] | None:
    """The app's answer to ``url`` in every coding, or None unless every one is a 200."""
    answers = {}
    for coding, accept in CODINGS.items():
        response = client.get(url, headers={"Accept-Encoding": accept})
        if response.status_code != 200:
            return None
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "date")
        answers[coding] = Answer(response.status, headers, response.get_data())
    return answers


def prepare(app: Dash, middleware: PreparedResponses) -> int:
    """Ask the app (behind ``middleware``) for every page URL and keep the answers.

    Returns:
        How many URLs are kept (those the app answers with 200 in every coding).
    """
    client = Client(middleware.app)
    index = client.get(app.config.routes_pathname_prefix).get_data(as_text=True)
    table = {}
    for url in page_urls(app, index):
        answers = _record(client, url)
        if answers is not None:
            path, _, query = url.partition("?")
            table[(path, query)] = Entry(answers, _freshness(app, path, query))
    middleware.table = table
    return len(table)


def install(app: Dash) -> PreparedResponses:
    """Put the table in front of ``app``'s Flask application and fill it.

    Call last, once the layout, the callbacks and every hook are in place (the kept
    answers are whatever the app answers now). Calling it again refills the same table.
    ``PREPARED_RESPONSES=0`` in the environment leaves the app as it is (every request
    through Flask), e.g. to measure the difference.
    """
    middleware = app.server.extensions.get(EXTENSION)
    if middleware is None:
        middleware = PreparedResponses(app.server.wsgi_app)
        if os.environ.get("PREPARED_RESPONSES", "1") == "0":
            return middleware
        app.server.wsgi_app = middleware
        app.server.extensions[EXTENSION] = middleware
    prepare(app, middleware)
    return middleware


__all__ = ["Answer", "Entry", "PreparedResponses", "install", "page_urls", "prepare"]
