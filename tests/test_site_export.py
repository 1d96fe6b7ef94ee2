"""The static copy's rewrites and its command, without a browser (see
test_browser_static_copy.py for the copy in Chromium)."""

from __future__ import annotations

import json

import pytest

from site_export import rewrite
from site_export.__main__ import main
from site_export.export import MARKER, ExportError, export_site, lazy_chunks

INDEX = """<!DOCTYPE html><html lang="en"><head>
<link rel="canonical" href="https://example.org/">
<link rel="icon" href="/_favicon.ico?v=4.4.1">
<link rel="stylesheet" href="/assets/article.css?m=17.5">
</head><body>
<div id="react-entry-point"><div class="_dash-loading">Loading...</div></div>
<footer>
<script id="_dash-config" type="application/json">{"url_base_pathname": null,
"requests_pathname_prefix": "/", "end_id": "abc~def", "ui": false}</script>
<script src="/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m17.js"></script>
<script src="//cdn.example.org/x.js"></script>
</footer></body></html>"""


def test_local_urls_are_the_index_files_and_nothing_off_site():
    assert rewrite.local_urls(INDEX) == [
        "_favicon.ico?v=4.4.1",
        "assets/article.css?m=17.5",
        "_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m17.js",
    ]


def test_the_static_index_is_relative_and_loads_its_script_first():
    page = rewrite.static_index(INDEX)
    assert rewrite.local_urls(page) == []
    assert 'href="assets/article.css?m=17.5"' in page
    assert 'src="_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m17.js"' in page
    assert 'href="https://example.org/"' in page and 'src="//cdn.example.org/x.js"' in page
    config = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    assert config == {"url_base_pathname": "./", "requests_pathname_prefix": "./", "ui": False}
    assert page.index('<script src="static-copy.js">') < page.index("dash_core_components")
    assert "<noscript>" in page and "python -m http.server" in page
    with pytest.raises(ValueError, match="no _dash-config"):
        rewrite.static_index("<html><head></head><body></body></html>")


def test_server_callbacks_become_the_live_only_hook_and_clientside_ones_stay():
    toy = {
        "output": "a.children",
        "clientside_function": {"namespace": "toys", "function_name": "f"},
    }
    server = {"output": "b.figure", "clientside_function": None, "prevent_initial_call": False}
    dependencies, replaced = rewrite.static_dependencies([toy, server])
    assert replaced == 1
    assert dependencies[0] == toy
    assert dependencies[1] == {
        "output": "b.figure",
        "clientside_function": {"namespace": "static_copy", "function_name": "needs_live_app"},
        "prevent_initial_call": True,
    }


def test_the_lazy_chunks_are_the_dcc_and_table_chunks_but_not_plotly():
    chunks = lazy_chunks()
    assert "_dash-component-suites/dash/dcc/async-graph.js" in chunks
    assert "_dash-component-suites/dash/dcc/async-dropdown.js" in chunks
    assert "_dash-component-suites/dash/dash_table/async-table.js" in chunks
    assert not any("plotly" in chunk for chunk in chunks)


def test_export_writes_every_file_and_replaces_only_its_own_copy(tmp_path, capsys):
    from app import app

    folder = tmp_path / "site"
    summary = export_site(app, folder)
    index = (folder / "index.html").read_text()
    for url in rewrite.local_urls(app.server.test_client().get("/").get_data(as_text=True)):
        assert (folder / url.split("?")[0]).is_file(), url
    layout = json.loads((folder / "_dash-layout.json").read_text())
    assert layout["type"] == "Div"
    dependencies = json.loads((folder / "_dash-dependencies.json").read_text())
    assert all(d["clientside_function"] for d in dependencies)
    live = json.loads(app.server.test_client().get("/_dash-dependencies").get_data())
    server_side = [d["output"] for d in live if not d["clientside_function"]]
    assert summary.n_live_only == len(server_side) >= 10
    assert (folder / "static-copy.js").is_file() and (folder / "robots.txt").is_file()
    assert (folder / "assets" / "vendor" / "plotly-basic.min.js").is_file()
    assert 'src="static-copy.js"' in index
    assert oct(folder.stat().st_mode & 0o777) == "0o755"
    # A second export replaces the first ...
    (folder / "stale.txt").write_text("old")
    assert main([str(folder)]) == 0
    assert not (folder / "stale.txt").exists() and (folder / MARKER).exists()
    assert "static copy written to" in capsys.readouterr().out
    # ... but a folder that is not an earlier copy is left alone, with a clear message.
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not empty"):
        export_site(app, other)
    assert main([str(other)]) == 2
    assert "not empty and holds no earlier static copy" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]  # no staging left
