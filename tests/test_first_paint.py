"""The index paints the article's opening before any script runs (hosting.first_paint)."""

from __future__ import annotations

import pytest
from dash import dcc, html

from hosting.first_paint import to_html


def test_plain_components_become_escaped_html_without_ids():
    tree = html.Section(
        [html.H1("A < B & C", id="title"), html.P(["x ", html.A("link", href="/a?b=1&c=2")])],
        className="box intro",
        **{"aria-labelledby": "title"},
    )
    assert to_html(tree) == (
        '<section class="box intro" aria-labelledby="title">'
        + "<h1>A &lt; B &amp; C</h1>"
        + '<p>x <a href="/a?b=1&amp;c=2">link</a></p></section>'
    )
    assert to_html([html.Br(), 3, None]) == "<br>3"
    with pytest.raises(TypeError, match="only dash.html"):
        to_html(html.Div(dcc.Graph(id="g")))


def test_the_index_shows_the_title_and_first_paragraph_in_the_placeholder():
    from app import app

    index = app.server.test_client().get("/").get_data(as_text=True)
    entry = index[index.index('<div id="react-entry-point">') : index.index("<footer>")]
    assert "Loading..." not in entry
    assert '<div class="article"><main><section class="box intro">' in entry
    assert "<h1>Why recommendations miss</h1>" in entry
    assert "a recommender system is at work." in entry
    assert " id=" not in entry.removeprefix('<div id="react-entry-point">')
    assert len(index.encode()) < 20_000
