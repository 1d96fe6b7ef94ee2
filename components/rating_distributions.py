"""Box 4: how the models' predicted ratings are spread, next to the true ratings.

On the test split, each model's predictions become a density curve (share of predictions
per star, in bins of 0.1 star). The bins span 0 to 5.5 (EmbeddingMF's output range) and
widen to take in any prediction outside it (DeepFM has no output squashing), so values
above 5 and below 1 are shown, never clipped or dropped; the table counts them. The true
ratings, which are whole stars, are bars.
A dashed line marks the training mean; each mean (training and per model) also gets a
labelled marker in its own row above the curves, since the means lie within 0.1 star of each
other. A model whose predictions are all one value (Global mean) is a rule, not a curve.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, html

from components.artifacts import (
    REBUILD_HINT,
    ArtifactError,
    prediction_distributions,
    rating_range,
    training_mean,
)
from components.box import box_section
from components.chart_marks import MeanMark, add_mean_rows
from components.figure_table import (
    default_models,
    figure_with_table,
    model_picker,
    model_view,
    notice,
)
from components.theme import (
    FONT_FAMILY,
    FONT_SIZE,
    LEGEND_ABOVE,
    MODEL_COLOURS,
    MODEL_LABELS,
    MODEL_MARKERS,
    PLOT_TEMPLATE,
    TRAINING_MEAN,
    model_line,
    model_marker,
)
from core.vocabulary import STARS

PREFIX = "rating-distributions"
#: Legend rank of the first model: the legend lists models in picker order, curve or rule.
LEGEND_RANK = 100


def _entry(model: str) -> dict:
    """A model's entry of the distributions artifact (:class:`ArtifactError` if absent)."""
    models = prediction_distributions().get("models", {})
    if model not in models:
        raise ArtifactError(f"No test-prediction histogram for {model!r}. {REBUILD_HINT}")
    return models[model]


@cache
def prediction_density(model: str) -> pd.DataFrame:
    """Density of one model's test predictions: ``bin_centre`` (stars), ``density`` (per star).

    From the committed histogram (bins of 0.1 star covering every prediction, see
    :mod:`models.distributions`), so the densities integrate to 1 and none is dropped.
    """
    entry = _entry(model)
    counts = np.asarray(entry["counts"], dtype=np.float64)
    width = float(entry["bin_width"])
    edges = np.round(entry["first_edge"] + width * np.arange(len(counts) + 1), 2)
    centres = (edges[:-1] + edges[1:]) / 2
    return pd.DataFrame({"bin_centre": centres, "density": counts / counts.sum() / width})


@cache
def true_rating_shares() -> pd.Series:
    """Share of test ratings per star (index 1..5, values summing to 1)."""
    counts = pd.Series(prediction_distributions()["true"]["counts"], index=list(STARS))
    return counts / counts.sum()


def summary_table(models: list[str]) -> pd.DataFrame:
    """Per model: mean, spread and how many predictions fall outside 1..5 stars."""
    true = prediction_distributions()["true"]
    rows = [
        {
            "Model": MODEL_LABELS["true"],
            "Mean": f"{true['mean']:.2f}",
            "Std": f"{true['std']:.2f}",
            "Below 1 star": "0.0%",
            "Above 5 stars": "0.0%",
        }
    ]
    for name in models:
        entry = _entry(name)
        rows.append(
            {
                "Model": MODEL_LABELS[name],
                "Mean": f"{entry['mean']:.2f}",
                "Std": f"{entry['std']:.2f}",
                "Below 1 star": f"{entry['below_1']:.1%}",
                "Above 5 stars": f"{entry['above_5']:.1%}",
            }
        )
    return pd.DataFrame(rows)


def _zero_spread(name: str) -> bool:
    """Whether every prediction of a model is one value (Global mean): no density to draw."""
    return float(_entry(name)["std"]) == 0.0


def _add_model_curves(figure: go.Figure, models: list[str]) -> tuple[float, float, float]:
    """One density curve per model with spread; returns the x range and the highest density.

    The range covers EmbeddingMF's rating range (the manifest's) and every curve. A model
    whose predictions are all one value gets a rule (see :func:`_add_constant_rules`), not a
    curve: as a density it would be one bar 10 high that flattens every other curve.
    """
    low, high = rating_range()
    highest = 0.0
    for name in models:
        if _zero_spread(name):
            continue
        density = prediction_density(name)
        low = min(low, density["bin_centre"].min())
        high = max(high, density["bin_centre"].max())
        highest = max(highest, float(density["density"].max()))
        figure.add_scatter(
            x=density["bin_centre"].round(3).tolist(),
            y=density["density"].round(4).tolist(),
            mode="lines+markers",
            line={**model_line(name), "shape": "spline"},
            # A few markers along the curve: the model's symbol, a cue besides colour.
            marker={**model_marker(name), "maxdisplayed": 9},
            # Short names keep the legend to two entries a line on a phone.
            name=MODEL_LABELS[name],
            legendgroup=name,
            legendrank=LEGEND_RANK + models.index(name),
            hovertemplate=f"{MODEL_LABELS[name]}: %{{y:.2f}} per star at %{{x:.2f}}<extra></extra>",
        )
    return low, high, highest


def _add_constant_rules(figure: go.Figure, models: list[str], top: float) -> None:
    """A full-height rule for each model that predicts one value for every rating."""
    for name in models:
        if not _zero_spread(name):
            continue
        value = float(_entry(name)["mean"])
        figure.add_scatter(
            x=[value, value],
            y=[0, top],
            mode="lines",
            line=model_line(name, width=2),
            name=f"{MODEL_LABELS[name]}: every prediction {value:.2f}",
            legendgroup=name,
            legendrank=LEGEND_RANK + models.index(name),
            hovertemplate=(
                f"{MODEL_LABELS[name]} predicts {value:.2f} ★ for every rating<extra></extra>"
            ),
        )


def _mean_marks(models: list[str]) -> list[MeanMark]:
    """The training mean, then each model's mean prediction, in picker order."""
    marks = [MeanMark("training mean", training_mean(), TRAINING_MEAN, "line-ns-open", "true")]
    for name in models:
        marks.append(
            MeanMark(
                MODEL_LABELS[name],
                float(_entry(name)["mean"]),
                MODEL_COLOURS[name],
                MODEL_MARKERS[name],
                name,
            )
        )
    return marks


def make_distribution_figure(models: list[str]) -> go.Figure:
    """True-rating bars, one density curve per model, and a labelled row per mean.

    The y axis is scaled to the bars and curves; each mean (training and per model) gets its
    own row above them (:func:`components.chart_marks.add_mean_rows`).
    """
    figure = go.Figure()
    shares = true_rating_shares()
    figure.add_bar(
        x=shares.index.astype(float).tolist(),
        y=shares.to_numpy().round(4).tolist(),
        width=0.9,
        name="True ratings",
        legendrank=1,
        legendgroup="true",
        marker={"color": MODEL_COLOURS["true"], "line": {"color": "#444", "width": 1}},
        hovertemplate="%{x:.0f} ★: %{y:.1%} of test ratings<extra></extra>",
    )
    low, high, highest = _add_model_curves(figure, models)
    top = max(highest, float(shares.max())) * 1.05
    mean = training_mean()
    figure.add_scatter(
        x=[mean, mean],
        y=[0, top],
        mode="lines",
        line={"color": TRAINING_MEAN, "dash": "dash", "width": 2},
        name=f"Training mean {mean:.2f}",
        legendgroup="true",
        showlegend=False,  # its row above the curves labels it
        hovertemplate=f"Training mean: {mean:.2f} ★<extra></extra>",
    )
    _add_constant_rules(figure, models, top)
    ceiling = add_mean_rows(figure, _mean_marks(models), top, (low + high) / 2)
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": FONT_SIZE},
        margin={"l": 50, "r": 10, "t": 10, "b": 50},
        # Taller with more models: their legend rows and rows of means need the room.
        height=400 + 25 * len(models),
        legend=LEGEND_ABOVE,
        xaxis={"title": "Rating (stars)", "range": [low, high], "dtick": 0.5},
        yaxis={"title": "Share of ratings per star", "range": [0, ceiling]},
        bargap=0.1,
    )
    return figure


def layout() -> html.Section:
    """Box 4: a model picker, the distribution figure and its table."""
    intro = html.P(
        "Here are all 100,021 ratings of the test split, which no model saw during "
        "training. The grey bars show how readers really rated those movies; each "
        "curve shows how a model's guesses for the same ratings are spread. The dashed "
        "line is the average rating in the training split; above the curves, each row "
        "marks one average, the training split's or a model's guesses'. Global mean "
        "guesses the same number every time, so it is a line, not a curve."
    )
    try:
        content = [
            model_picker(PREFIX),
            figure_with_table(
                f"{PREFIX}-graph",
                "Predicted and true rating distributions on the test split",
                f"{PREFIX}-table",
                # The default models, drawn once with the layout (no request at first).
                shown=update_distributions(default_models()),
                caption=(
                    "Every model's guesses crowd into the middle of the scale, far narrower "
                    "than the real ratings, which spread from 1 to 5 stars and peak at 4."
                ),
            ),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    explain = html.P(
        "Both models hug the middle: true ratings spread from 1 to 5, but the guesses "
        "bunch up between 3 and 4.5, close to the training mean. Predicting near the "
        "average is the safest bet when a model is scored by squared error. In the "
        "article, DeepFM's guesses were narrower still, centred near 3.2, and "
        "EmbeddingMF's near 3.7; the table gives the means and spreads of ours."
    )
    return box_section(
        PREFIX,
        "What the models predict, and what people rated",
        [intro, *content, explain],
    )


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-table", "children"),
    Input(f"{PREFIX}-models", "value"),
    prevent_initial_call=True,
)
def update_distributions(requested):
    """Redraw the figure and table for the chosen models (unknown names are ignored)."""
    return model_view(
        requested, make_distribution_figure, summary_table, "Test-split predictions per model"
    )
