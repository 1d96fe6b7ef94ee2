"""Every section renders on its own: one <section> with an h2, aria-labelledby, clean ids."""

from __future__ import annotations

from collections import Counter

import pytest
from dash import html

import app
from components.box import box_section, walk


@pytest.fixture(scope="module")
def page():
    return app.build_layout()


@pytest.mark.parametrize("module", app.SECTIONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_section_renders_with_h2(module):
    section = module.layout()
    assert isinstance(section, html.Section)
    assert "box" in section.className.split()
    nodes = list(walk(section))
    headings = [n for n in nodes if isinstance(n, html.H2)]
    assert len(headings) == 1
    assert getattr(section, "aria-labelledby") == headings[0].id


def test_ids_are_unique_and_contain_no_dot(page):
    ids = [n.id for n in walk(page) if isinstance(getattr(n, "id", None), str)]
    assert ids
    assert not [i for i in ids if "." in i]
    duplicates = [i for i, count in Counter(ids).items() if count > 1]
    assert not duplicates


def test_article_order(page):
    main = next(node for node in walk(page) if isinstance(node, html.Main))
    order = [s.id for s in main.children]
    mine = ["intro", "pipeline", "cf-table", "mf-by-hand", "movie-night"]
    assert order[: len(mine)] == mine
    assert order[-1] == "conclusion"


def test_conclusion_cites_every_reference():
    from components.conclusion import REFERENCES

    text = " ".join(ref for _, ref, _ in REFERENCES)
    for author, year in [
        ("Ricci", "2011"),
        ("Koren", "2009"),
        ("Rendle", "2010"),
        ("Guo", "2017"),
        ("Cheng", "2016"),
        ("Harper", "2015"),
        ("Box", "1976"),
    ]:
        assert f"{author}, " in text and f"({year})" in text


def test_pipeline_has_five_described_steps():
    from components.pipeline import STEPS, layout

    buttons = [n for n in walk(layout()) if isinstance(n, html.Button)]
    assert [b.id for b in buttons] == [f"pipeline-step-{s}" for s, _, _ in STEPS]
    assert len(buttons) == 5
    for button in buttons:
        assert getattr(button, "aria-describedby").startswith("pipeline-detail-")


def test_box_section_rejects_dotted_prefix():
    with pytest.raises(ValueError):
        box_section("movie.night", "Movie night", [])


def test_page_declares_its_language():
    assert '<html lang="en">' in app.app.index_string
