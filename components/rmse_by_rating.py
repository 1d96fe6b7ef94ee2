"""Box 5: where the models go wrong, as RMSE for each true star rating.

The errors come from ``metrics.json`` (computed offline on the test split); the share of
each star in the training split explains the shape: models err most where ratings are rare.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, html

from components.artifacts import ArtifactError, available_models, model_metrics, read_json
from components.box import box_section
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
    MODEL_PATTERNS,
    PLOT_TEMPLATE,
)
from core.vocabulary import STARS

PREFIX = "rmse-by-rating"


def rmse_table(models: list[str]) -> pd.DataFrame:
    """Rows per true star: share of training ratings, test count, and each model's RMSE.

    Returns:
        Columns ``Rating`` (the true star value), ``Train share`` (share of training
        ratings), ``Test n`` (test ratings) and one column per model named by its label
        (RMSE in stars, 2 decimals), as display strings. The first three do not depend on
        the models, so they stay when no model is checked (issue 9, item 8).
    """
    counts = read_json("manifest.json")["train_rating_counts"]
    total = sum(counts.values())
    # Every model is scored on the same test split: any one of them counts its ratings.
    split = model_metrics(available_models()[0])["test_rmse_by_rating"]
    tested = {row["rating"]: row["n"] for row in split}
    frame = pd.DataFrame(
        {
            "Rating": [f"{star} ★" for star in STARS],
            "Train share": [f"{counts[str(star)] / total:.1%}" for star in STARS],
            "Test n": [f"{tested[star]:,}" for star in STARS],
        }
    )
    for name in models:
        by_rating = {row["rating"]: row for row in model_metrics(name)["test_rmse_by_rating"]}
        frame[MODEL_LABELS[name]] = [f"{by_rating[star]['rmse']:.2f}" for star in STARS]
    return frame


def make_rmse_figure(models: list[str]) -> go.Figure:
    """Grouped bars: x = true rating, y = RMSE; one colour and one fill pattern per model."""
    figure = go.Figure()
    for name in models:
        by_rating = {row["rating"]: row for row in model_metrics(name)["test_rmse_by_rating"]}
        figure.add_bar(
            x=STARS,
            y=[round(by_rating[star]["rmse"], 4) for star in STARS],
            name=MODEL_LABELS[name],
            marker={
                "color": MODEL_COLOURS[name],
                "line": {"color": "#222222", "width": 1},
                "pattern": {"shape": MODEL_PATTERNS[name], "fgcolor": "white", "solidity": 0.3},
            },
            customdata=[by_rating[star]["n"] for star in STARS],
            hovertemplate=(
                f"{MODEL_LABELS[name]}<br>true rating %{{x}}: RMSE %{{y:.2f}}"
                "<br>%{customdata:,} test ratings<extra></extra>"
            ),
        )
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": FONT_SIZE},
        margin={"l": 50, "r": 10, "t": 10, "b": 50},
        height=400,
        barmode="group",
        legend=LEGEND_ABOVE,
        xaxis={"title": "True rating (stars)", "tickvals": STARS},
        yaxis={"title": "RMSE (stars)", "rangemode": "tozero"},
    )
    return figure


def layout() -> html.Section:
    """Box 5: a model picker, the RMSE-by-rating figure and its table."""
    intro = html.P(
        "One error number per model hides where the errors are. Split the test ratings by "
        "their true star value and compute the root mean squared error (RMSE) of each group."
    )
    try:
        content = [
            model_picker(PREFIX),
            figure_with_table(
                f"{PREFIX}-graph",
                "RMSE by true rating on the test split",
                f"{PREFIX}-table",
                # The default models, drawn once with the layout (no request at first).
                shown=update_rmse(default_models()),
                caption=(
                    "Every model misses the rare 1-star ratings by the most and the common "
                    "3s and 4s by the least."
                ),
            ),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    explain = html.P(
        "The errors are largest at the ends of the scale, for movies people rated 1 or 2 "
        "stars, and again for 5s. Low ratings are rare in the training data (people tend "
        "to rate what they enjoyed), so the models learn little about them and pull their "
        "guesses towards the middle."
    )
    return box_section(PREFIX, "Where the errors are", [intro, *content, explain])


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-table", "children"),
    Input(f"{PREFIX}-models", "value"),
    prevent_initial_call=True,
)
def update_rmse(requested):
    """Redraw the figure and table for the chosen models (unknown names are ignored)."""
    return model_view(requested, make_rmse_figure, rmse_table, "Test RMSE (stars) by true rating")
