"""Issue 9, items 5 and 14 without a browser: one outline numbers the boxes 1-9, names
them in the contents and in the prose, and numbers the figure captions in page order."""

from __future__ import annotations

import re

import pytest
from dash import html

import app
from components import outline
from components.box import CAPTION_CLASS, walk


@pytest.fixture(scope="module")
def page():
    return app.build_layout()


def _text(node) -> str:
    """Every string under ``node``, joined."""
    return "".join(part for part in walk(node) if isinstance(part, str))


def test_the_page_follows_the_outline(page):
    main = next(node for node in walk(page) if isinstance(node, html.Main))
    assert [section.id for section in main.children] == [e.prefix for e in outline.OUTLINE]
    assert [module.PREFIX for module in app.SECTIONS] == [e.prefix for e in outline.OUTLINE]


def test_boxes_are_numbered_one_to_nine_in_page_order(page):
    headings = [_text(node) for node in walk(page) if isinstance(node, html.H2)]
    numbered = [int(m.group(1)) for h in headings if (m := re.match(r"Box (\d+) · ", h))]
    assert numbered == list(range(1, 10))
    # The ones the issue found without a number.
    assert "Box 1 · From a database to a top-N list" in headings
    assert "Box 2 · Matrix factorization by hand" in headings
    assert "Box 3 · Movie night" in headings
    assert "Box 6 · One reader's recommendations" in headings
    assert "Box 9 · Your own taste" in headings
    # A box's heading is its fragment's target and labels its section.
    for prefix, number in outline.box_numbers().items():
        section = next(n for n in walk(page) if isinstance(n, html.Section) and n.id == prefix)
        heading = next(n for n in walk(section) if isinstance(n, html.H2))
        assert heading.id == f"box-{number}" == getattr(section, "aria-labelledby")


def test_prose_names_boxes_by_their_numbers(page):
    text = _text(page)
    # Every "Box N" the page mentions exists, and the boxes the prose points at carry
    # the number the heading shows.
    assert {int(n) for n in re.findall(r"Box (\d+)", text)} <= set(range(1, 10))
    assert "Boxes 6 to 8 follow one MovieLens reader" in text
    assert "the movie chosen in Box 7" in text
    assert outline.box_name("movie-why") == "Box 7"
    assert outline.box_range("venn", "user-trends") == "Boxes 6 to 8"


def test_contents_link_every_section_in_order(page):
    nav = next(node for node in walk(page) if isinstance(node, html.Nav))
    links = [node for node in walk(nav) if isinstance(node, html.A)]
    assert [link.href for link in links] == [
        "#" + outline.anchor(entry.prefix) for entry in outline.OUTLINE
    ]
    assert links[1].href == "#box-1" and _text(links[1]) == "Box 1 The recommendation pipeline"
    assert links[0].href == "#intro" and links[-1].href == "#conclusion"
    targets = {getattr(node, "id", None) for node in walk(page)}
    assert {link.href[1:] for link in links} <= targets


def test_figure_captions_are_numbered_in_page_order(page):
    captions = [
        _text(node)
        for node in walk(page)
        if isinstance(node, html.Figcaption) and node.className == CAPTION_CLASS
    ]
    assert len(captions) >= 7
    for number, caption in enumerate(captions, start=1):
        assert caption.startswith(f"Figure {number}. ")
        # One sentence on what to notice.
        sentence = caption.removeprefix(f"Figure {number}. ")
        assert sentence.endswith(".") and sentence.count(". ") == 0
    assert captions[0].startswith("Figure 1. Only the fourth step uses a model")
    # The outline counts each section's figures (their numbers follow from the counts).
    assert len(captions) == sum(entry.figures for entry in outline.OUTLINE)
    for entry in outline.OUTLINE:
        section = next(n for n in walk(page) if getattr(n, "id", None) == entry.prefix)
        mine = [n for n in walk(section) if isinstance(n, html.Figcaption)]
        assert len(mine) == entry.figures, entry.prefix
