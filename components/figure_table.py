"""Pieces the model boxes share: a figure with its data table, a model picker, a notice.

Every figure whose numbers a reader may want to read out sits beside an HTML table of the
same data (for screen readers, and for anyone who prefers numbers to shapes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.artifacts import available_models
from components.box import figure_caption
from components.theme import MODEL_LABELS

# No mode bar: on these small figures it covers annotations, and zooming adds little.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def data_table(frame: pd.DataFrame, caption: str, table_id: str | None = None) -> html.Table:
    """An accessible HTML table of ``frame``: a caption, column headers, row headers.

    The first column is treated as the row header (``<th scope="row">``). Values are shown
    as given, so round them before calling.
    """
    header = html.Thead(html.Tr([html.Th(str(column), scope="col") for column in frame.columns]))
    rows = [
        html.Tr([html.Th(str(row[0]), scope="row"), *(html.Td(str(value)) for value in row[1:])])
        for row in frame.itertuples(index=False)
    ]
    return html.Table(
        [html.Caption(caption), header, html.Tbody(rows)],
        className="data-table",
        **({"id": table_id} if table_id else {}),
    )


def transposed(frame: pd.DataFrame, corner: str) -> pd.DataFrame:
    """``frame`` turned a quarter, for :func:`data_table`: one column per row of ``frame``.

    Args:
        frame: display strings; its first column names the rows (e.g. ``Model``).
        corner: the new first column's header (it names the rows: ``frame``'s other
            column names, e.g. ``"Metric"``).

    Returns:
        A frame whose columns are ``corner`` and then ``frame``'s first-column values, in
        order, and whose rows are ``frame``'s other columns.
    """
    body = frame.set_index(frame.columns[0]).T
    return pd.DataFrame(
        [[name, *values] for name, values in zip(body.index, body.to_numpy(), strict=True)],
        columns=[corner, *map(str, body.columns)],
    )


def figure_with_table(
    graph_id: str,
    label: str,
    table_id: str,
    shown: tuple[go.Figure, list] | None = None,
    caption: str | None = None,
) -> html.Div:
    """A graph and, beside it (below on phones), the container of its data table.

    ``shown``: the figure and table children to start with (see :func:`model_view`), so
    the page needs no callback to draw its defaults; empty without it. ``caption``: one
    sentence on what to notice, numbered by the page (:func:`components.box.figure_caption`).
    """
    figure, table = shown if shown is not None else (None, None)
    return html.Div(
        className="figure-with-table",
        children=[
            html.Figure(
                [
                    dcc.Graph(
                        id=graph_id, figure=figure, config=GRAPH_CONFIG, className="model-graph"
                    ),
                    *([figure_caption(caption)] if caption else []),
                ],
                **{"aria-label": label},
            ),
            html.Div(table, id=table_id, className="figure-table"),
        ],
    )


def default_models(default: Sequence[str] = ("embedding_mf", "deepfm")) -> list[str]:
    """The models a picker starts with: ``default`` where they have artifacts, else the first."""
    models = available_models()
    return [name for name in default if name in models] or models[:1]


def model_picker(prefix: str, default: Sequence[str] = ("embedding_mf", "deepfm")) -> html.Fieldset:
    """A labelled checklist of the models that have artifacts; ``<prefix>-models``."""
    models = available_models()
    return html.Fieldset(
        className="model-picker",
        children=[
            html.Legend("Models shown", className="control-label"),
            dcc.Checklist(
                id=f"{prefix}-models",
                options=[{"label": MODEL_LABELS[name], "value": name} for name in models],
                value=default_models(default),
                inline=True,
                className="model-checklist",
                inputClassName="model-checkbox",
            ),
        ],
    )


def chosen_models(requested: object) -> list[str]:
    """The requested model names that exist, in palette order; junk input is dropped."""
    if not isinstance(requested, list | tuple):
        return []
    wanted = {name for name in requested if isinstance(name, str)}
    return [name for name in available_models() if name in wanted]


def model_view(
    requested: object,
    make_figure: Callable[[list[str]], go.Figure],
    make_table: Callable[[list[str]], pd.DataFrame],
    caption: str,
) -> tuple[go.Figure, list]:
    """Figure and table children for the models a picker asked for (junk is ignored).

    With no valid model left, the figure keeps its non-model layers and a notice asks the
    reader to pick one.
    """
    models = chosen_models(requested)
    table = data_table(make_table(models), caption)
    children = [table] if models else [notice("Pick at least one model to compare."), table]
    return make_figure(models), children


def notice(message: str) -> html.P:
    """A calm, visible message in place of a figure (missing artifacts, bad input)."""
    return html.P(message, className="notice", role="status")
