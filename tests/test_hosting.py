"""How the article is served: index size, compression, cache headers, request-size limit,
the assets joined into one stylesheet and one script."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import brotli
import pytest
from dash import Dash, html

from hosting import MAX_REQUEST_BODY_BYTES, bundles, lazy_plotly
from hosting.caching import IMMUTABLE, REVALIDATE
from hosting.compression import FingerprintedBodies

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium 140 sends
ASSETS = Path(__file__).resolve().parent.parent / "assets"
LINKS = r'<(?:script|link)[^>]* (?:src|href)="(/[^"]+)"'


@pytest.fixture(scope="module")
def client():
    from app import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def index(client) -> str:
    return client.get("/").get_data(as_text=True)


def page_urls(index: str) -> list[str]:
    """Every script and stylesheet the index names (same-origin paths)."""
    return re.findall(r'<(?:script|link)[^>]* (?:src|href)="(/[^"]+)"', index)


def later_urls(client, index: str) -> list[str]:
    """The files the page loads after the index: plotly.js (named by the index's
    ``<meta name="plotly-js">``) and the trees of the boxes mounted later (named by the
    layout's placeholders)."""
    plotly = re.findall(r'<meta name="plotly-js" content="([^"]+)"', index)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    trees = set(re.findall(r'"data-deferred-src":\s*"([^"]+)"', layout))
    return ["/" + url for url in [*plotly, *sorted(trees)]]


def decode(response) -> bytes:
    """The response body with its Content-Encoding undone."""
    encoding = response.headers.get("Content-Encoding")
    body = response.get_data()
    return {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)


def test_index_is_small_and_does_not_repeat_the_layout(client, index):
    assert len(index.encode()) <= 20_000
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', index)
    assert "validation_layout" not in json.loads(config.group(1))
    # The page's components (here the <main> that holds every box) come from
    # /_dash-layout only.
    assert '"id":"main"' in client.get("/_dash-layout").get_data(as_text=True)
    assert '"id":"main"' not in index


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER_ENCODINGS, "br"),
        ("gzip, deflate", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("", None),
        ("identity", None),
    ],
)
def test_page_documents_are_compressed_as_the_client_accepts(client, accept, expected):
    plain = {path: client.get(path).get_data() for path in ("/_dash-layout", "/_dash-dependencies")}
    for path, body in plain.items():
        response = client.get(path, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == expected
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decode(response) == body
        if expected:
            assert len(response.get_data()) < len(body) / 3


def test_index_and_every_bundle_come_compressed(client, index):
    for path in ["/", *page_urls(index)]:
        response = client.get(path, headers={"Accept-Encoding": BROWSER_ENCODINGS})
        assert response.status_code == 200, path
        assert response.headers.get("Content-Encoding") == "br", path
        plain = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert plain.headers.get("Content-Encoding") == "gzip", path
        if path != "/":  # the index carries a fresh callback token each time
            assert decode(response) == decode(plain), path


def test_callback_answers_come_compressed(client):
    """Every server callback, asked with empty inputs: big answers come back as brotli."""
    compressed = 0
    for callback in client.get("/_dash-dependencies").get_json():
        if callback.get("clientside_function"):
            continue
        parts = [part.rsplit(".", 1) for part in callback["output"].strip(".").split("...")]
        outputs = [{"id": ident, "property": prop} for ident, prop in parts]
        body = {
            "output": callback["output"],
            "outputs": outputs[0] if callback["output"].count(".") == 1 else outputs,
            "inputs": [{**item, "value": None} for item in callback["inputs"]],
            "state": [{**item, "value": None} for item in callback["state"]],
            "changedPropIds": [],
        }
        response = client.post(
            "/_dash-update-component", json=body, headers={"Accept-Encoding": BROWSER_ENCODINGS}
        )
        assert response.status_code < 500, callback["output"]
        if response.headers.get("Content-Encoding") == "br":
            compressed += 1
            assert json.loads(decode(response))
            assert response.headers.get("Cache-Control") is None  # nothing to cache in a POST
    assert compressed >= 3


def test_fingerprinted_bundles_and_assets_are_cached_for_a_year(client, index):
    later = later_urls(client, index)
    assert later[0].startswith("/assets/vendor/plotly-basic.min.js?m=")
    assert len(later) == 2 and later[1].startswith("/_deferred-boxes.")
    assert not any("plotly" in url for url in page_urls(index))  # loaded when needed
    urls = page_urls(index) + later
    assert any("/_dash-component-suites/dash/dash-renderer/" in url for url in urls)
    for path in urls:
        response = client.get(path)
        assert response.headers["Cache-Control"] == IMMUTABLE, path
    assert IMMUTABLE == "public, max-age=31536000, immutable"


def test_unversioned_urls_and_page_documents_revalidate(client, index):
    asset = next(url for url in later_urls(client, index) if "plotly-basic" in url)
    for path in (
        "/",
        "/?user=1680",
        "/_dash-layout",
        "/_dash-dependencies",
        asset.split("?")[0],  # no version: may change under the same URL
        asset.split("?")[0] + "?m=1",  # a stale version
        "/_dash-component-suites/dash/dcc/async-graph.js",  # Dash loads chunks unversioned
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == REVALIDATE, path


@pytest.mark.parametrize("accept", [BROWSER_ENCODINGS, ""])
def test_page_documents_answer_304_when_unchanged(client, accept):
    for path in ("/_dash-layout", "/_dash-dependencies"):
        first = client.get(path, headers={"Accept-Encoding": accept})
        again = client.get(
            path, headers={"Accept-Encoding": accept, "If-None-Match": first.headers["ETag"]}
        )
        assert again.status_code == 304, path
        assert again.get_data() == b""


def test_missing_asset_is_404_without_cache_headers(client):
    response = client.get("/assets/no-such-file.js?m=1")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_body_over_one_megabyte_is_refused_with_413(client):
    store = {"id": "selection-store", "property": "data", "value": {"user": 1680}}
    shown = (("movie-why-movie", "figure"), ("movie-why-compare", "figure"))
    body = {
        "output": "..movie-why-movie.figure...movie-why-compare.figure..."
        "movie-why-table.children..",
        "outputs": [
            *({"id": name, "property": prop} for name, prop in shown),
            {"id": "movie-why-table", "property": "children"},
        ],
        "inputs": [store],
        "state": [],
        "changedPropIds": ["selection-store.data"],
    }
    assert client.post("/_dash-update-component", json=body).status_code == 200
    padded = {**body, "inputs": [{**store, "value": {"user": "1" * MAX_REQUEST_BODY_BYTES}}]}
    response = client.post("/_dash-update-component", json=padded)
    assert response.status_code == 413
    assert MAX_REQUEST_BODY_BYTES == 1024 * 1024


def test_compression_cache_keeps_only_fingerprinted_files_within_its_limit():
    cache = FingerprintedBodies(limit_bytes=10)
    cache.set("br;", b"callback answer")  # not a file: never stored
    assert cache.get("br;") is None
    cache.set("br;/assets/a.js?m=1", b"aaaa")
    cache.set("gzip;/assets/a.js?m=1", b"bbbb")
    assert cache.get("br;/assets/a.js?m=1") == b"aaaa"  # now the most recently used
    cache.set("br;/assets/b.js?m=1", b"cccc")  # 12 bytes > 10: the gzip body goes
    assert cache.get("gzip;/assets/a.js?m=1") is None
    assert cache.get("br;/assets/a.js?m=1") == b"aaaa"
    assert cache.get("br;/assets/b.js?m=1") == b"cccc"
    cache.set("br;/assets/huge.js?m=1", b"x" * 11)
    assert cache.get("br;/assets/huge.js?m=1") is None


def joined_url(index: str, suffix: str) -> str:
    (url,) = re.findall(rf"/_assets\.[0-9a-f]{{16}}\{suffix}", index)
    return url


def test_the_index_links_one_stylesheet_and_one_script_of_the_assets(index):
    urls = re.findall(LINKS, index)
    assert not [url for url in urls if url.startswith("/assets/")]
    css, js = joined_url(index, ".css"), joined_url(index, ".js")
    # Where Dash links the assets: stylesheet first; script after React, before the renderer.
    assert urls.index(css) < urls.index(js)
    react = max(i for i, url in enumerate(urls) if "/deps/" in url)
    renderer = next(i for i, url in enumerate(urls) if "dash-renderer" in url)
    assert react < urls.index(js) < renderer
    assert len(urls) == 12  # favicon, 2 joined, 4 React + polyfill, renderer, 4 component bundles


def dash_order(suffix: str) -> list[str]:
    """The assets Dash itself links, in its order (an app that joins nothing)."""
    app = Dash(__name__, assets_folder=str(ASSETS), assets_ignore=lazy_plotly.ASSETS_IGNORE)
    app.layout = html.Div()
    index = app.server.test_client().get("/").get_data(as_text=True)
    paths = [url.split("?")[0] for url in re.findall(LINKS, index)]
    return [path for path in paths if path.startswith("/assets/") and path.endswith(suffix)]


@pytest.mark.parametrize("suffix", [".css", ".js"])
def test_joined_files_hold_every_asset_in_dashs_order(client, index, suffix):
    files = bundles.asset_files(ASSETS, suffix, exclude=lazy_plotly.ASSETS_IGNORE)
    names = ["/assets/" + path.relative_to(ASSETS).as_posix() for path in files]
    assert names == dash_order(suffix)
    assert len(files) >= 10
    body = client.get(joined_url(index, suffix)).get_data()
    positions = [body.find(path.read_bytes().rstrip()) for path in files]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert b"plotly.js v" not in body  # the bundle loaded on demand stays out


def test_the_joined_script_parses_as_one_program(client, index, tmp_path):
    script = tmp_path / "assets.js"
    script.write_bytes(client.get(joined_url(index, ".js")).get_data())
    checked = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_joined_files_are_cached_for_good_and_compressed(client, index):
    for suffix, mimetype in ((".css", "text/css"), (".js", "text/javascript")):
        url = joined_url(index, suffix)
        response = client.get(url, headers={"Accept-Encoding": BROWSER_ENCODINGS})
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["Content-Encoding"] == "br"
        assert client.get(url.replace(".", ".0", 1)).status_code == 404  # another hash
    separate = client.get("/assets/toc.css")  # the separate files are still served
    assert separate.status_code == 200 and b".toc" in separate.get_data()


def test_nothing_is_joined_under_dashs_hot_reload():
    assert bundles.enabled({}) and bundles.enabled({"DASH_DEBUG": "0"})
    assert not bundles.enabled({"DASH_DEBUG": "1"})


def test_scripts_are_separated_so_that_none_runs_into_the_next(tmp_path):
    (tmp_path / "a.js").write_text("var first = 1\n")
    (tmp_path / "b.js").write_text("(function () { window.second = 2; })()")
    (tmp_path / "skip.min.js").write_text("nope")
    files = bundles.asset_files(tmp_path, ".js", exclude=r"^skip")
    assert [path.name for path in files] == ["a.js", "b.js"]
    assert (
        bundles.joined(files, ".js")
        == b"var first = 1\n;\n(function () { window.second = 2; })()\n"
    )
