"""Boxes 4 and 5 and the model table, called directly on the committed artifacts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dash import html

from components import model_table, rating_distributions, rmse_by_rating
from components.artifacts import available_models, prediction_distributions, read_json
from components.box import walk
from components.readers import reader_table
from core.records import TEST
from models.distributions import BIN_WIDTH, bin_edges, prediction_distribution


def _texts(children) -> list[str]:
    return [node for node in walk(html.Div(children)) if isinstance(node, str)]


def test_density_integrates_to_one_and_keeps_every_prediction():
    n_test = read_json("manifest.json")["n_test"]
    for name in available_models():
        density = rating_distributions.prediction_density(name)
        assert (density["density"] * BIN_WIDTH).sum() == pytest.approx(1.0)
        # np.histogram counts only values inside the bins: every prediction was.
        assert sum(prediction_distributions()["models"][name]["counts"]) == n_test
        half = BIN_WIDTH / 2
        assert density["bin_centre"].min() - half <= 0.0
        assert density["bin_centre"].max() + half >= 5.5
    # Every reader's predictions (rescored from the weights) fall inside the bins.
    rows = reader_table(TEST)
    for name in ("embedding_mf", "deepfm"):
        density = rating_distributions.prediction_density(name)
        assert density["bin_centre"].min() - 0.05 <= rows[name].min() + 0.02
        assert density["bin_centre"].max() + 0.05 >= rows[name].max() - 0.02


def test_bins_take_in_predictions_outside_the_range():
    edges = bin_edges(np.array([-0.18, 3.0, 5.92]))
    assert edges[0] <= -0.18 and edges[-1] >= 5.92
    assert np.allclose(np.diff(edges), BIN_WIDTH)
    entry = prediction_distribution(np.array([-0.18, 3.0, 5.92, 4.0]))
    assert sum(entry["counts"]) == 4 and entry["first_edge"] == pytest.approx(-0.2)
    assert entry["below_1"] == 0.25 and entry["above_5"] == 0.25
    assert entry["std"] == pytest.approx(np.std([-0.18, 3.0, 5.92, 4.0], ddof=1))


def _legend_names(figure) -> list[str]:
    """Legend entries in the order the legend shows them (Plotly's rank, default 1000)."""
    shown = [trace for trace in figure.data if trace.showlegend is not False]
    ranked = sorted(shown, key=lambda trace: trace.legendrank or 1000)
    return [trace.name for trace in ranked]


def test_distribution_figure_has_truth_models_and_means():
    models = available_models()
    figure = rating_distributions.make_distribution_figure(models)
    names = _legend_names(figure)
    assert names[0] == "True ratings" and len(names) == 1 + len(models)
    for name, entry in zip(models, names[1:], strict=True):
        assert entry.startswith(model_table.MODEL_LABELS[name])
    shares = figure.data[0].y
    assert sum(shares) == pytest.approx(1.0, abs=1e-3)
    # One labelled mean marker per model plus the training mean, each in its own row.
    rows = [trace for trace in figure.data if getattr(trace, "mode", None) == "markers+text"]
    assert len(rows) == 1 + len(models)
    assert rows[0].text[0].startswith("training mean ")
    assert len({trace.y[0] for trace in rows}) == len(rows)
    assert len(figure.to_json()) < 60_000


def test_global_mean_is_a_rule_and_keeps_the_y_axis():
    """Issue 9 item 3: a zero-spread model is a labelled rule, not a density spike to ~10."""
    with_global = rating_distributions.make_distribution_figure(["embedding_mf", "global_mean"])
    without = rating_distributions.make_distribution_figure(["embedding_mf"])
    value = rating_distributions.prediction_distributions()["models"]["global_mean"]["mean"]
    rule = [trace for trace in with_global.data if trace.name and "Global mean" in trace.name]
    assert len(rule) == 1 and list(rule[0].x) == [value, value]
    assert rule[0].name == f"Global mean: every prediction {value:.2f}"
    curve_top = max(rating_distributions.prediction_density("embedding_mf")["density"])
    # The axis is scaled to the curves: the top holds the curve and the rows of means only.
    top = with_global.layout.yaxis.range[1]
    assert curve_top < top < 2 * curve_top
    assert top > without.layout.yaxis.range[1]  # one more row of means, nothing else
    assert max(rule[0].y) < top


def test_summary_table_matches_every_readers_predictions():
    """The stored summary (trained predictions) and the rescored records agree."""
    frame = reader_table(TEST)
    table = rating_distributions.summary_table(["embedding_mf"])
    row = table.set_index("Model").loc["EmbeddingMF"]
    assert float(row["Mean"]) == pytest.approx(frame["embedding_mf"].mean(), abs=0.006)
    above = float(row["Above 5 stars"].rstrip("%")) / 100
    assert above == pytest.approx((frame["embedding_mf"] > 5).mean(), abs=0.0011)
    true = table.set_index("Model").loc["True ratings"]
    assert true["Mean"] == f"{frame['rating'].mean():.2f}"
    assert true["Std"] == f"{frame['rating'].std():.2f}"


def test_distribution_callback_ignores_junk():
    figure, children = rating_distributions.update_distributions(["nope", 3, None])
    assert _legend_names(figure) == ["True ratings"]
    assert any("Pick at least one model" in text for text in _texts(children))
    figure, _ = rating_distributions.update_distributions(None)
    assert _legend_names(figure) == ["True ratings"]


def test_rmse_table_matches_predictions():
    frame = reader_table(TEST)
    table = rmse_by_rating.rmse_table(["embedding_mf"])
    ones = frame[frame["rating"] == 1]
    expected = np.sqrt(np.mean((ones["embedding_mf"].astype(float) - 1) ** 2))
    assert float(table.loc[0, "EmbeddingMF"]) == pytest.approx(expected, abs=0.006)
    assert table.loc[0, "Test n"] == f"{len(ones):,}"
    shares = [float(s.rstrip("%")) for s in table["Train share"]]
    assert sum(shares) == pytest.approx(100, abs=0.3)


def test_rmse_is_largest_at_the_extremes():
    table = rmse_by_rating.rmse_table(["embedding_mf"])
    rmse = table["EmbeddingMF"].astype(float).tolist()
    assert rmse[0] > rmse[2] and rmse[0] > rmse[3]
    assert rmse[4] > rmse[3]


def test_rmse_figure_one_trace_per_model():
    models = available_models()
    figure = rmse_by_rating.make_rmse_figure(models)
    assert [trace.name for trace in figure.data] == [
        model_table.MODEL_LABELS[name] for name in models
    ]


def test_model_table_lists_every_model_with_article_figures():
    frame = model_table.metrics_frame()
    assert isinstance(frame, pd.DataFrame)
    rows = frame.set_index("Model")
    assert rows.loc["EmbeddingMF", "Article (MSE)"] == "0.71"
    rmse = float(rows.loc["EmbeddingMF", "RMSE"])
    mse = float(rows.loc["EmbeddingMF", "MSE"])
    assert mse == pytest.approx(rmse**2, abs=2e-3)
    assert len(frame) == len(available_models())


def test_a_transposed_table_has_one_column_per_row():
    from components.figure_table import transposed

    frame = pd.DataFrame({"Model": ["A", "B"], "MSE": ["0.7", "0.8"], "MAE": ["0.6", "0.9"]})
    turned = transposed(frame, "Metric")
    assert list(turned.columns) == ["Metric", "A", "B"]
    assert turned.to_numpy().tolist() == [["MSE", "0.7", "0.8"], ["MAE", "0.6", "0.9"]]
    # The model table: metric rows, one column per model with results.
    shown = transposed(model_table.metrics_frame(), "Metric")
    assert list(shown.columns[1:]) == [model_table.MODEL_LABELS[m] for m in available_models()]
    assert shown["Metric"].iloc[0] == "MSE"
