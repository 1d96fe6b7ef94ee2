"""Box 4: how the models' predicted ratings are spread, next to the true ratings.

On the test split, each model's predictions become a density curve (share of predictions
per star, in bins of 0.1 star). The bins span 0 to 5.5 (EmbeddingMF's output range) and
widen to take in any prediction outside it (DeepFM has no output squashing), so values
above 5 and below 1 are shown, never clipped or dropped; the table counts them. The true
ratings, which are whole stars, are bars.
Vertical lines mark the training mean and each model's mean prediction.
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
from components.figure_table import (
    default_models,
    figure_with_table,
    model_picker,
    model_view,
    notice,
)
from components.theme import FONT_FAMILY, MODEL_COLOURS, MODEL_LABELS, PLOT_TEMPLATE, TRAINING_MEAN
from core.vocabulary import STARS

PREFIX = "rating-distributions"


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


def _add_model_curves(figure: go.Figure, models: list[str]) -> tuple[float, float]:
    """One density curve and one dotted mean line per model; returns the x range to show.

    The range covers EmbeddingMF's rating range (the manifest's) and every curve.
    """
    low, high = rating_range()
    for name in models:
        density = prediction_density(name)
        low = min(low, density["bin_centre"].min())
        high = max(high, density["bin_centre"].max())
        colour = MODEL_COLOURS[name]
        figure.add_scatter(
            x=density["bin_centre"].round(3).tolist(),
            y=density["density"].round(4).tolist(),
            mode="lines",
            line={"color": colour, "width": 3, "shape": "spline"},
            name=f"{MODEL_LABELS[name]} predictions",
            hovertemplate=f"{MODEL_LABELS[name]}: %{{y:.2f}} per star at %{{x:.2f}}<extra></extra>",
        )
        figure.add_vline(
            x=_entry(name)["mean"],
            line={"color": colour, "dash": "dot", "width": 2},
        )
    return low, high


def make_distribution_figure(models: list[str]) -> go.Figure:
    """True-rating bars, one density curve per model, and mean markers."""
    figure = go.Figure()
    shares = true_rating_shares()
    figure.add_bar(
        x=shares.index.astype(float).tolist(),
        y=shares.to_numpy().round(4).tolist(),
        width=0.9,
        name="True ratings (share per star)",
        marker={"color": "rgba(0,0,0,0.12)", "line": {"color": "#444", "width": 1}},
        hovertemplate="%{x:.0f} stars: %{y:.1%} of test ratings<extra></extra>",
    )
    mean = training_mean()
    figure.add_vline(
        x=mean,
        line={"color": TRAINING_MEAN, "dash": "dash", "width": 2},
        annotation={"text": f"training mean {mean:.2f}", "yanchor": "bottom"},
        annotation_position="top left",
    )
    low, high = _add_model_curves(figure, models)
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": 14},
        margin={"l": 50, "r": 10, "t": 30, "b": 50},
        height=380,
        legend={"orientation": "h", "y": -0.2},
        xaxis={
            "title": "Rating (stars)",
            "range": [low, high],
            "dtick": 0.5,
        },
        yaxis={"title": "Share of ratings per star", "rangemode": "tozero"},
        bargap=0.1,
    )
    return figure


def layout() -> html.Section:
    """Box 4: a model picker, the distribution figure and its table."""
    intro = html.P(
        "Here are all 100,021 ratings of the test split, which no model saw during "
        "training. The grey bars show how readers really rated those movies; each "
        "curve shows how a model's guesses for the same ratings are spread. The dashed "
        "line is the average rating in the training split, the dotted lines each model's "
        "average guess."
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
        "Box 4 · What the models predict, and what people rated",
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
