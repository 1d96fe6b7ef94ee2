"""Boxes below the fold leave the layout for one fingerprinted file (hosting/deferred.py),
and plotly.js leaves the index (hosting/lazy_plotly.py); see test_browser_deferred.py for
the mounting in Chromium."""

from __future__ import annotations

import json
import re

import brotli
import plotly
import pytest
from dash import html

from hosting import deferred, lazy_plotly
from hosting.caching import IMMUTABLE


def _callback(output: str, inputs=(), state=()) -> dict:
    """A callback record as Dash keeps it in ``GLOBAL_CALLBACK_LIST``."""
    return {
        "output": output,
        "inputs": [{"id": i, "property": "value"} for i in inputs],
        "state": [{"id": i, "property": "value"} for i in state],
    }


SECTIONS = [["a"], ["b1", "b2"], ["c"], ["d"], ["e"], ["f"]]


def test_each_section_is_its_own_chunk_without_callbacks_between_them():
    assert deferred.plan_chunks(SECTIONS, [], keep=2) == [range(i, i + 1) for i in range(2, 6)]
    assert deferred.plan_chunks(SECTIONS, [], keep=6) == []


def test_sections_joined_by_a_callback_share_a_chunk_with_the_sections_between():
    # b1 -> d (several outputs, one of them allow_duplicate), and e's state read by f.
    callbacks = [
        _callback("..d.figure...b2.children@3a5f..", inputs=["b1"]),
        _callback("f.children", inputs=["f"], state=["e"]),
    ]
    assert deferred.plan_chunks(SECTIONS, callbacks, keep=1) == [range(1, 4), range(4, 6)]


def test_a_chunk_that_reaches_into_the_kept_sections_is_kept():
    callbacks = [_callback("c.children", inputs=["a"])]
    assert deferred.plan_chunks(SECTIONS, callbacks, keep=1) == [range(3, 4), range(4, 5)] + [
        range(5, 6)
    ]


def test_chains_of_callbacks_and_pattern_matching_ids_join_sections():
    sections = [["a"], [{"type": "row", "index": 1}], ["c"], ["d"]]
    callbacks = [
        _callback("c.children", inputs=['{"index":["ALL"],"type":"row"}']),
        _callback("d.children", inputs=["c"]),
        _callback("a_hash_without_outputs", inputs=["zzz"]),  # no component of the page
    ]
    assert deferred.plan_chunks(sections, callbacks, keep=1) == [range(1, 4)]


def test_component_ids_include_ids_in_props_other_than_children():
    tree = html.Div(id="outer", children=[html.Span(id="inner"), "text", None])
    assert list(deferred.component_ids(tree)) == ["outer", "inner"]


@pytest.fixture(scope="module")
def article():
    import app

    return app


def _sections(page) -> list:
    """The children of the page's ``<main>``."""
    return next(child for child in page.children if getattr(child, "id", None) == "main").children


def _json(component) -> list | dict:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def test_the_page_is_the_same_boxes_in_the_same_order(article):
    """Kept boxes plus every placeholder's tree, in order, are exactly the full page."""
    full = _sections(article.build_layout())
    served = _sections(article.app.layout)
    kept = [c for c in served if getattr(c, "className", "") != deferred.PLACEHOLDER_CLASS]
    holders = [c for c in served if getattr(c, "className", "") == deferred.PLACEHOLDER_CLASS]
    assert [c.id for c in kept] == ["intro", "pipeline"] == [c.id for c in full[:2]]
    assert len(holders) >= 5
    source = getattr(holders[0], deferred.SOURCE_ATTRIBUTE)
    assert all(getattr(h, deferred.SOURCE_ATTRIBUTE) == source for h in holders)
    trees = json.loads(article.app.server.test_client().get("/" + source).get_data())
    assert sorted(trees) == sorted(h.id for h in holders)
    rebuilt = _json(kept) + [box for h in holders for box in trees[h.id]]
    assert rebuilt == _json(full)
    # Boxes 6-8 and the reader picker share a store and callbacks: one placeholder.
    shared = next(t for t in trees.values() if t[0]["props"]["id"] == "selection")
    assert [box["props"]["id"] for box in shared] == [
        "selection",
        "venn",
        "movie-why",
        "user-trends",
    ]


def _ids_in_json(node) -> set[str]:
    """The ids in a component tree as JSON (pattern-matching ids as sorted JSON text)."""
    found = set()
    if isinstance(node, list):
        for child in node:
            found |= _ids_in_json(child)
    elif isinstance(node, dict) and "props" in node:
        for name, value in node["props"].items():
            if name == "id":
                found.add(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
            else:
                found |= _ids_in_json(value)
    return found


def test_no_callback_spans_two_placeholders_or_a_placeholder_and_the_kept_boxes(article):
    from dash._callback import GLOBAL_CALLBACK_LIST

    client = article.app.server.test_client()
    layout = json.loads(client.get("/_dash-layout").get_data())
    source = re.search(r"_deferred-boxes\.[0-9a-f]+\.json", json.dumps(layout)).group(0)
    places = {node_id: "kept" for node_id in _ids_in_json(layout)}
    for holder, tree in json.loads(client.get("/" + source).get_data()).items():
        places.update(dict.fromkeys(_ids_in_json(tree), holder))
    callbacks = [*GLOBAL_CALLBACK_LIST, *article.app._callback_list]
    assert len(callbacks) >= 10
    for callback in callbacks:
        touched = {
            places.get(node_id if isinstance(node_id, str) else json.dumps(node_id, sort_keys=True))
            for node_id in deferred._dependency_ids(callback)
        }
        # Ids no component has yet (Box 9's remove buttons) are None.
        assert len(touched - {None}) <= 1, (callback["output"], touched)


def test_the_layout_is_small_and_the_trees_come_compressed_and_cached_for_good(article):
    client = article.app.server.test_client()
    layout = client.get("/_dash-layout").get_data()
    assert len(layout) < 25_000  # the first boxes, every box's heading; the page: ~220 KB
    source = re.search(rb'"data-deferred-src": ?"([^"]+)"', layout).group(1).decode()
    assert re.fullmatch(r"_deferred-boxes\.[0-9a-f]{16}\.json", source)
    response = client.get("/" + source, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Encoding"] == "br"
    body = brotli.decompress(response.get_data())
    assert len(response.get_data()) < len(body) / 4
    assert json.loads(body)["deferred-0"][0]["props"]["id"] == "cf-table"
    missing = client.get("/_deferred-boxes.0000000000000000.json")
    assert missing.status_code == 404


def test_the_file_name_depends_only_on_the_page(article):
    sections = _sections(article.build_layout())
    callbacks = [*article.GLOBAL_CALLBACK_LIST, *article.app._callback_list]
    _, first = deferred.defer(sections, callbacks, article.KEPT_BOXES)
    _, second = deferred.defer(_sections(article.build_layout()), callbacks, 2)
    assert first.file_name == second.file_name and first.body == second.body
    assert deferred.defer(sections, callbacks, len(sections)) == (list(sections), None)


def test_plotly_js_is_named_in_the_index_not_loaded_by_it(article):
    client = article.app.server.test_client()
    index = client.get("/").get_data(as_text=True)
    assert "plotly-basic" not in "".join(re.findall(r"<script[^>]*>", index))
    url = lazy_plotly.bundle_url(article.app)
    assert f'<meta name="plotly-js" content="{url}">' in index
    response = client.get("/" + url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data().startswith(b"/**\n* plotly.js (basic - minified)")
