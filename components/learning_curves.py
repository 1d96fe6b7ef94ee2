"""Learning curves: how EmbeddingMF's and DeepFM's errors fell, epoch by epoch.

Reads ``history.json`` (one record per epoch: ``train_mse``, the mean squared error of the
batches as they were trained, and ``monitor_rmse``, the RMSE on the held-out rows measured
after the epoch), ``metrics.json`` (the test RMSE of the weights that were kept) and the
manifest (which rows each model held out, and which epoch it kept). The article's reported
errors are mean squared errors (EmbeddingMF 0.71, DeepFM 0.7553); they are drawn as RMSE,
their square roots, so that every line shares one unit (stars).

Everything is in the layout: the figure costs no request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from plotly.subplots import make_subplots

from components.artifacts import ArtifactError, model_metrics, read_json
from components.box import box_section, figure_caption
from components.figure_table import GRAPH_CONFIG, data_table, notice
from components.theme import FONT_FAMILY, MODEL_COLOURS, MODEL_LABELS, PLOT_TEMPLATE

PREFIX = "learning-curves"
#: The article's validation errors, as it reports them: mean squared errors (stars²).
ARTICLE_MSE = {"embedding_mf": 0.71, "deepfm": 0.7553}
MODELS = tuple(ARTICLE_MSE)
ARTICLE_COLOUR = "#000000"
#: Where each model's article line is labelled: the corner its curves leave free.
LABEL_POSITION = {"embedding_mf": "bottom left", "deepfm": "top right"}


@dataclass(frozen=True)
class Curve:
    """One model's training history, ready to draw.

    Attributes:
        model: model id (``"embedding_mf"``).
        epochs: 1-based epoch numbers.
        train_rmse: square root of each epoch's running training MSE (stars; measured on
            the batches while they were trained, with dropout on for DeepFM).
        held_out_rmse: RMSE on the held-out rows after each epoch (stars).
        held_out: what those rows are, in words (the test split, or a validation part).
        kept_epochs: the first and last epoch whose weights were exported, equal for a single
            epoch (EmbeddingMF: the last; DeepFM: its best validation epoch, or the mean of
            its last epochs' weights when that did better on validation).
        kept_held_out_rmse: the kept weights' RMSE on the held-out rows (stars).
        test_rmse: test RMSE of the exported weights (``metrics.json``).
        article_rmse: the article's reported MSE as RMSE (its square root).
    """

    model: str
    epochs: list[int]
    train_rmse: list[float]
    held_out_rmse: list[float]
    held_out: str
    kept_epochs: tuple[int, int]
    kept_held_out_rmse: float
    test_rmse: float
    article_rmse: float

    @property
    def kept_epoch(self) -> int:
        """The last epoch of the kept weights: where the figure marks their test RMSE."""
        return self.kept_epochs[1]

    @property
    def kept_label(self) -> str:
        """The kept epochs for a table cell: ``"80"`` or ``"61–100"``."""
        first, last = self.kept_epochs
        return f"{last}" if first == last else f"{first}–{last}"

    @property
    def kept_weights(self) -> str:
        """The kept weights in words: ``"the weights of epoch 80"`` or an average's span."""
        first, last = self.kept_epochs
        if first == last:
            return f"the weights of epoch {last}"
        return f"the mean of the weights of epochs {first}–{last}"

    @property
    def tests_on_test_split(self) -> bool:
        """Whether the held-out curve is the test split itself."""
        return self.held_out == "test split"


def read_curve(model: str) -> Curve:
    """The curve of ``model`` from the committed artifacts.

    Raises:
        ArtifactError: the model has no history or no metrics (not trained yet).
    """
    history = read_json("history.json").get(model) or []
    if not history:
        raise ArtifactError(f"history.json has no training history for {model!r}.")
    config = read_json("manifest.json")["models"].get(model, {}).get("config", {})
    fraction = config.get("validation_fraction")
    held_out = f"validation rows ({fraction:.0%} of training)" if fraction else "test split"
    epochs = [int(record["epoch"]) for record in history]
    kept = tuple(config.get("kept_epochs") or (epochs[-1], epochs[-1]))
    return Curve(
        model=model,
        epochs=epochs,
        train_rmse=[math.sqrt(record["train_mse"]) for record in history],
        held_out_rmse=[float(record["monitor_rmse"]) for record in history],
        held_out=held_out,
        kept_epochs=kept,
        kept_held_out_rmse=float(
            config.get("validation_rmse") or history[kept[1] - 1]["monitor_rmse"]
        ),
        test_rmse=float(model_metrics(model)["test"]["rmse"]),
        article_rmse=math.sqrt(ARTICLE_MSE[model]),
    )


def _add_curve(figure: go.Figure, curve: Curve, row: int) -> None:
    """Training (dashed) and held-out (solid) lines, the kept weights' test RMSE (diamond)
    and the article's error (dotted black line) in subplot ``row``."""
    label, colour = MODEL_LABELS[curve.model], MODEL_COLOURS[curve.model]
    held = "test" if curve.tests_on_test_split else "validation"
    lines = (
        ("training", curve.train_rmse, "dash"),
        (held, curve.held_out_rmse, "solid"),
    )
    for name, values, dash in lines:
        figure.add_scatter(
            x=curve.epochs,
            y=[round(value, 4) for value in values],
            mode="lines",
            name=f"{label} {name}",
            line={"color": colour, "dash": dash, "width": 2.5 if dash == "solid" else 2},
            hovertemplate=f"{label}, epoch %{{x}}<br>{name} RMSE %{{y:.3f}}<extra></extra>",
            row=row,
            col=1,
        )
    figure.add_scatter(
        x=[curve.kept_epoch],
        y=[round(curve.test_rmse, 4)],
        mode="markers",
        name=f"{label} kept weights, test",
        marker={"symbol": "diamond", "size": 12, "color": colour, "line": {"color": "#000000"}},
        hovertemplate=f"{label}: {curve.kept_weights}<br>test RMSE %{{y:.4f}}<extra></extra>",
        row=row,
        col=1,
    )
    figure.add_hline(
        y=round(curve.article_rmse, 4),
        line={"color": ARTICLE_COLOUR, "dash": "dot", "width": 1.5},
        annotation_text=f"article {curve.article_rmse:.3f}",
        annotation_position=LABEL_POSITION[curve.model],
        annotation_font={"size": 12},
        row=row,
        col=1,
    )


def make_learning_curves_figure(curves: list[Curve]) -> go.Figure:
    """One panel per model (stacked, so it reads on a phone): RMSE against epoch."""
    figure = make_subplots(
        rows=len(curves),
        cols=1,
        subplot_titles=[MODEL_LABELS[curve.model] for curve in curves],
        vertical_spacing=0.2,
    )
    for row, curve in enumerate(curves, start=1):
        _add_curve(figure, curve, row)
        figure.update_yaxes(title_text="RMSE (stars)", row=row, col=1)
        figure.update_xaxes(title_text="epoch", row=row, col=1)
    figure.update_layout(
        template=PLOT_TEMPLATE,
        font={"family": FONT_FAMILY, "size": 14},
        margin={"l": 55, "r": 10, "t": 40, "b": 40},
        height=330 * len(curves) + 120,
        legend={"orientation": "h", "y": -0.08, "yanchor": "top"},
        hovermode="closest",
    )
    return figure


def curves_table(curves: list[Curve]) -> pd.DataFrame:
    """The curves in numbers: one row per measure, one column per model (display strings,
    RMSE in stars), narrow enough to sit beside the figure."""
    columns = {
        "Measure": [
            "Held-out rows",
            "Epochs",
            "Epoch 1: training / held-out",
            "Lowest held-out (epoch)",
            "Last epoch: training / held-out",
            "Test RMSE of the kept weights (epochs)",
            "Article's error as RMSE",
        ]
    }
    for curve in curves:
        best = min(range(len(curve.epochs)), key=curve.held_out_rmse.__getitem__)
        columns[MODEL_LABELS[curve.model]] = [
            curve.held_out,
            f"{curve.epochs[-1]}",
            f"{curve.train_rmse[0]:.3f} / {curve.held_out_rmse[0]:.3f}",
            f"{curve.held_out_rmse[best]:.3f} ({curve.epochs[best]})",
            f"{curve.train_rmse[-1]:.3f} / {curve.held_out_rmse[-1]:.3f}",
            f"{curve.test_rmse:.3f} ({curve.kept_label})",
            f"{curve.article_rmse:.3f}",
        ]
    return pd.DataFrame(columns)


#: A held-out error this far above its lowest (stars) has turned up, not levelled off.
RISE = 0.002


def _held_out_course(curve: Curve) -> str:
    """How the held-out error ends, in words: levels off, or turns up after its lowest."""
    lowest = min(curve.held_out_rmse)
    epoch = curve.epochs[curve.held_out_rmse.index(lowest)]
    if curve.held_out_rmse[-1] - lowest > RISE:
        return (
            f"is lowest at epoch {epoch} ({lowest:.3f}) and then creeps back up to "
            f"{curve.held_out_rmse[-1]:.3f}"
        )
    return f"levels off at {curve.held_out_rmse[-1]:.3f}"


def _deep_choice(curve: Curve) -> str:
    """Which weights DeepFM kept and why, in a sentence or two."""
    lowest = min(curve.held_out_rmse)
    epoch = curve.epochs[curve.held_out_rmse.index(lowest)]
    if curve.kept_epochs[0] == curve.kept_epochs[1]:
        return f"The weights of epoch {epoch}, where that error was lowest, are the ones kept."
    return (
        "That error wobbles from one epoch to the next, so its lowest point is partly luck; "
        f"{curve.kept_weights} did better on those rows ({curve.kept_held_out_rmse:.3f}) "
        f"than the best single epoch ({lowest:.3f}, epoch {epoch}), and are the ones kept."
    )


def _explanation(curves: list[Curve]) -> list[html.P]:
    """What the curves show, with the numbers read from the artifacts."""
    by_model = {curve.model: curve for curve in curves}
    said = []
    mf = by_model.get("embedding_mf")
    if mf:
        gap = mf.held_out_rmse[-1] - mf.train_rmse[-1]
        said.append(
            f"EmbeddingMF's training error keeps falling, from {mf.train_rmse[0]:.2f} to "
            f"{mf.train_rmse[-1]:.2f} stars, while its error on the {mf.held_out} "
            f"{_held_out_course(mf)}: by the last epoch the model fits the ratings it "
            f"learned from {gap:.2f} stars better than new ones. Its final mean squared error "
            f"is {mf.held_out_rmse[-1] ** 2:.3f}; the article reports 0.71."
        )
    deep = by_model.get("deepfm")
    if deep:
        said.append(
            f"DeepFM trains for {deep.epochs[-1]} epochs and is judged on {deep.held_out} "
            f"that it never trains on, not on the test split. {_deep_choice(deep)} Their "
            f"test RMSE is {deep.test_rmse:.3f}. Its training error is measured with "
            "dropout switched on, so it overstates how badly the kept model fits its training "
            "ratings."
        )
    return [html.P(text) for text in said]


def layout() -> html.Section:
    """The learning curves of both models, a summary table and what they show."""
    intro = html.P(
        "Each pass over the training ratings is an epoch. After every epoch the training "
        "recorded two errors: how far off the model was on the ratings it was learning from "
        "(dashed), and on ratings held out from training (solid). The dotted black line is "
        "the error the article reports (EmbeddingMF 0.71, DeepFM 0.7553), turned from a "
        "mean squared error into its square root so that all lines are in stars; the "
        "diamond is the test error of the weights this app uses."
    )
    try:
        curves = [read_curve(model) for model in MODELS]
        content = [
            html.Figure(
                [
                    dcc.Graph(
                        id=f"{PREFIX}-graph",
                        figure=make_learning_curves_figure(curves),
                        config=GRAPH_CONFIG,
                        className="model-graph",
                    ),
                    figure_caption(
                        "Training error keeps falling while the error on held-out ratings "
                        "levels off: the gap is what the model memorised."
                    ),
                ],
                **{"aria-label": "Training and held-out RMSE per epoch, EmbeddingMF and DeepFM"},
            ),
            # Below the figure, not beside it: two panels need the width.
            html.Div(
                data_table(curves_table(curves), "Learning curves in numbers (RMSE)"),
                id=f"{PREFIX}-table",
                className="figure-table",
            ),
            *_explanation(curves),
        ]
    except ArtifactError as error:
        content = [notice(str(error))]
    return box_section(PREFIX, "How the errors fell, epoch by epoch", [intro, *content])
