"""Answers kept in memory (hosting.prepared) are exactly what Flask answers, and only then."""

from __future__ import annotations

import gzip
import os
import re

import pytest
from dash import Dash, html
from werkzeug.test import Client

from hosting import caching, compression, prepared, security

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium 140 sends
ACCEPTS = [BROWSER_ENCODINGS, "gzip, deflate", "gzip;q=1.0, br;q=0.5", "deflate", "identity", ""]


@pytest.fixture(scope="module")
def article():
    import app

    # Other test modules rebuild the page of this same app (damaged artifacts, then the
    # real ones again): refill the table from the page as it is, as a restart would.
    prepared.install(app.app)
    return app.app


@pytest.fixture(scope="module")
def table(article) -> prepared.PreparedResponses:
    return article.server.extensions[prepared.EXTENSION]


def without_date(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k != "Date")


def decoded(response) -> bytes:
    body = response.get_data()
    return gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body


def same_answer(kept, flask) -> None:
    assert kept.status == flask.status
    assert without_date(kept) == without_date(flask)
    # gzip writes the time of compressing into its header: compare what it holds.
    assert decoded(kept) == decoded(flask)


def test_everything_a_first_visit_loads_but_the_index_is_kept(article, table):
    client = article.server.test_client()
    index = client.get("/").get_data(as_text=True)
    named = re.findall(r'<(?:script|link)[^>]* (?:src|href)="(/[^"]+)"', index)
    plotly = re.search(r'<meta name="plotly-js" content="([^"]+)"', index).group(1)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    (trees,) = set(re.findall(r'"data-deferred-src":\s*"([^"]+)"', layout))
    kept = {path + ("?" + query if query else "") for path, query in table.table}
    expected = {*named, "/" + plotly, "/" + trees, "/_dash-layout", "/_dash-dependencies"}
    expected |= {
        f"/_dash-component-suites/dash/dcc/async-{name}.js" for name in ("graph", "slider")
    }
    assert len(named) >= 10
    assert expected <= kept
    assert not any(path == "/" for path, _ in table.table)  # a fresh token in each index


@pytest.mark.parametrize("accept", ACCEPTS)
def test_kept_answers_equal_flasks_for_every_coding(table, accept):
    through_table, through_flask = Client(table), Client(table.app)
    for path, query in table.table:
        url = path + ("?" + query if query else "")
        headers = {"Accept-Encoding": accept}
        assert table.answer({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query})
        same_answer(
            through_table.get(url, headers=headers), through_flask.get(url, headers=headers)
        )


def test_kept_answers_carry_the_security_and_cache_headers(article, table):
    client = Client(table)
    response = client.get("/_dash-layout", headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["Cache-Control"] == caching.REVALIDATE
    assert response.headers["ETag"].endswith(':br"')
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "Date" not in response.headers  # the server adds the time of each answer
    bundle = next(path for path, _ in table.table if "dash_renderer" in path)
    assert client.get(bundle).headers["Cache-Control"] == caching.IMMUTABLE


def test_revalidation_head_and_unknown_urls_go_to_flask(article, table):
    client = Client(table)
    etag = client.get("/_dash-layout", headers={"Accept-Encoding": "br"}).headers["ETag"]
    again = client.get("/_dash-layout", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    head = client.head("/_dash-dependencies")
    assert head.status_code == 200 and head.get_data() == b""
    plotly = next(path for path, _ in table.table if "plotly-basic" in path)
    stale = client.get(plotly + "?m=1")
    assert stale.headers["Cache-Control"] == caching.REVALIDATE  # Flask's answer
    assert client.get("/assets/no-such-file.js?m=1").status_code == 404
    assert client.get("/_dash-layout", headers={"Range": "bytes=0-9"}).status_code in (200, 206)


def small_app(assets_folder) -> tuple[Dash, prepared.PreparedResponses]:
    """A Dash app with one asset and the article's hosting hooks, behind a fresh table."""
    (assets_folder / "page.css").write_text("main { color: #123456; }\n" * 40)
    app = Dash(__name__, assets_folder=str(assets_folder))
    app.layout = html.Main("first layout", id="main")
    security.register(app)
    compression.register(app)
    caching.register(app)
    return app, prepared.install(app)


def test_a_modified_asset_or_a_new_layout_is_not_answered_from_memory(tmp_path):
    app, table = small_app(tmp_path)
    client = Client(app.server)
    (css,) = [(path, query) for path, query in table.table if path.endswith("page.css")]
    url = f"{css[0]}?{css[1]}"
    assert client.get(url).headers["Cache-Control"] == caching.IMMUTABLE
    assert b"first layout" in client.get("/_dash-layout").get_data()

    (tmp_path / "page.css").write_text("main { color: #654321; }\n")
    os.utime(tmp_path / "page.css", (1, 1))  # a different ?m= version from now on
    answer = client.get(url)
    assert answer.headers["Cache-Control"] == caching.REVALIDATE  # stale version: Flask
    assert answer.get_data() == b"main { color: #654321; }\n"

    app.layout = html.Main("second layout", id="main")
    assert b"second layout" in client.get("/_dash-layout").get_data()
    prepared.install(app)  # filled again: the new layout is kept
    assert b"second layout" in Client(table).get("/_dash-layout").get_data()
    assert table.answer({"REQUEST_METHOD": "GET", "PATH_INFO": "/_dash-layout"})


def test_the_coding_is_flask_compresss_choice():
    table = prepared.PreparedResponses(lambda environ, start_response: [])
    assert table.coding(BROWSER_ENCODINGS) == "br"
    assert table.coding("gzip;q=1.0, br;q=0.5") == "gzip"
    assert table.coding("br;q=0, gzip") == "gzip"
    assert table.coding("deflate") is None
    assert table.coding("") is None
    assert compression.ALGORITHMS == ["br", "gzip"]
