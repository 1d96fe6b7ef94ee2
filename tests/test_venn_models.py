"""Box 6's second circle: DeepFM by default, the Bayesian FM on request; everything follows.

Expectations come from the committed story file (Xiao's test rows), ranked here with plain
pandas, so they hold after any retrain.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly
import pytest
from dash import html, no_update

from components import venn, venn_models
from components.box import walk
from components.selection import DEFAULT_STORE
from components.venn_models import sort_choice, sort_options
from core.artifacts import precomputed_dir
from core.records import TEST, story_file
from core.vocabulary import MODEL_LABELS, STORY_USER, TOP_K

FORGED = [None, "", "embedding_mf", "global_mean", "BAYES_FM", ["bayes_fm"], {"a": 1}, 3, True]


@pytest.fixture(scope="module")
def xiao() -> pd.DataFrame:
    rows = pd.read_parquet(precomputed_dir() / story_file(TEST))
    return rows[rows["user_id"] == STORY_USER]


def _top(rows: pd.DataFrame, model: str) -> set[int]:
    """The model's top-k by prediction, ties to the lower movie id."""
    ranked = rows.sort_values([model, "movie_id"], ascending=[False, True])
    return set(ranked["movie_id"].head(TOP_K))


def _json(value) -> str:
    """Dash components compare by identity: compare what the browser would receive."""
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def _text(component) -> str:
    parts = component if isinstance(component, list | tuple) else [component]
    return " ".join(node for part in parts for node in walk(part) if isinstance(node, str))


def test_choices_and_the_default():
    assert venn_models.second_choices() == ["deepfm", "bayes_fm"]
    assert venn_models.second_model("bayes_fm") == "bayes_fm"
    assert venn_models.venn_models("bayes_fm") == ["embedding_mf", "bayes_fm"]
    assert venn_models.venn_models() == ["embedding_mf", "deepfm"]


@pytest.mark.parametrize("value", FORGED, ids=repr)
def test_anything_else_reads_as_deepfm(value):
    assert venn_models.second_model(value) == "deepfm"
    default = _json(venn.venn_overview(DEFAULT_STORE, "test"))
    assert _json(venn.venn_overview(DEFAULT_STORE, "test", value)) == default


def test_sort_follows_the_circle():
    shown = ["embedding_mf", "bayes_fm"]
    assert sort_choice("deepfm", shown) == "bayes_fm"
    assert sort_choice("bayes_fm", ["embedding_mf", "deepfm"]) == "deepfm"
    assert sort_choice("embedding_mf", shown) == "embedding_mf"
    assert sort_choice("rating", shown) == "rating"
    for junk in ("global_mean", "x", None, 7, ["deepfm"]):
        assert sort_choice(junk, shown) == "region"
    assert [option["label"] for option in sort_options(shown)] == [
        "region",
        "true rating",
        "EmbeddingMF error",
        "Bayesian FM error",
    ]


def test_overview_counts_the_bayesian_fm_hits(xiao):
    focus, summary, _, key, name = venn.venn_overview(DEFAULT_STORE, "test", "bayes_fm")
    five = set(xiao.loc[xiao["rating"] == 5, "movie_id"])
    hits = {model: len(_top(xiao, model) & five) for model in ("embedding_mf", "bayes_fm")}
    assert summary == (
        f"User {STORY_USER}: rated {len(xiao)} movies in the test split (ratings the models "
        f"never saw), {len(five)} of them with 5 stars. Of those, EmbeddingMF's top 10 holds "
        f"{hits['embedding_mf']} and Bayesian FM's top 10 holds {hits['bayes_fm']}."
    )
    assert name == "Bayesian FM"
    legend = _text(key)
    assert "Bayesian FM's top 10 (circle)" in legend and "DeepFM" not in legend
    assert "Bayesian FM's line points right" in legend


def test_figure_and_table_show_the_chosen_model(xiao):
    figure, _ = venn.venn_picture(DEFAULT_STORE, "test", None, "bayes_fm")
    titles = [note.text for note in figure.layout.annotations]
    assert f"<b>Bayesian FM</b><br>top-{TOP_K} · {TOP_K} movies" in titles
    assert not any("DeepFM" in title for title in titles)
    circles = [shape.line for shape in figure.layout.shapes]
    assert ("#B44BFF", "longdashdot") in [(line.color, line.dash) for line in circles]
    table, options, value = venn.listing_update(DEFAULT_STORE, "test", "deepfm", "bayes_fm", True)
    assert value == "bayes_fm" and options == sort_options(["embedding_mf", "bayes_fm"])
    rows = _table_rows(table)
    assert "Bayesian FM" in rows[0] and "DeepFM" not in rows[0]
    movies = pd.read_parquet(precomputed_dir() / "movies.parquet").set_index("movie_id")
    expected = {movies.at[movie, "title"] for movie in _top(xiao, "bayes_fm")}
    assert {row["Movie"] for row in rows if "Bayesian FM top-10" in row["Region"]} == expected
    errors = [abs(float(row["Bayesian FM"]) - int(row["True rating"][0])) for row in rows]
    assert errors == sorted(errors, reverse=True)


def _table_rows(children) -> list[dict]:
    """The rows of the table in Box 6's table children, as ``{column: text}``."""
    parts = children if isinstance(children, list) else [children]
    rows = [node for part in parts for node in walk(part) if isinstance(node, html.Tr)]
    header, *body = [[_text(cell) for cell in row.children] for row in rows]
    return [dict(zip(header, cells, strict=True)) for cells in body]


def test_switching_back_gives_the_default_box():
    args = (DEFAULT_STORE, "test", "rating")
    table, options, value = venn.listing_update(*args, "deepfm", True)
    assert value is no_update and options == sort_options(["embedding_mf", "deepfm"])
    assert _text(table) == _text(venn.venn_listing(*args))
    switched = venn.venn_picture(DEFAULT_STORE, "test", 3264, "deepfm")
    assert _json(switched) == _json(venn.venn_picture(DEFAULT_STORE, "test", 3264))
    assert MODEL_LABELS["deepfm"] in _text(venn.venn_overview(DEFAULT_STORE, "all")[3])
