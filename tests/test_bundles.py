"""The assets' stylesheets and scripts come as one file each (hosting.bundles)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from dash import Dash, html

from hosting import bundles, caching, lazy_plotly

ASSETS = Path(__file__).resolve().parent.parent / "assets"
LINKS = r'<(?:script|link)[^>]* (?:src|href)="(/[^"]+)"'


@pytest.fixture(scope="module")
def client():
    from app import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def index(client) -> str:
    return client.get("/").get_data(as_text=True)


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
        response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Cache-Control"] == caching.IMMUTABLE
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
