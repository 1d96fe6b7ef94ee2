"""Box 6: one reader's recommendations as a Venn diagram of three sets.

For the chosen user the sets are EmbeddingMF's top-10, DeepFM's top-10 and the movies the
user rated 5 stars, among the user's test-split movies (or, in-sample, among every movie
the user rated). Each movie is a dot in its region; from its centre one line per model has
a length proportional to that model's error (left: EmbeddingMF, right: DeepFM), coloured
and dashed by the sign of the error. The movies chosen in Box 7 are drawn below the
circles when the user rated them but they fall in none of the sets.

The second circle's model is the reader's choice: DeepFM (the article's) or the Bayesian
FM (:mod:`components.venn_models`); everything in the box follows it.

This module lays the box out and answers its callbacks; the rows come from
:mod:`components.venn_rows`, the layout maths from :mod:`components.venn_geometry`, the
drawing from :mod:`components.venn_figure`.
"""

from __future__ import annotations

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)

from components.artifacts import ArtifactError
from components.box import box_section, figure_caption
from components.figure_table import GRAPH_CONFIG, notice
from components.selection import ADDRESS, DEFAULT_STORE, STORE
from components.selection_state import read_selection
from components.theme import MODEL_LABELS, OVER_WORD, UNDER_WORD
from components.venn_figure import (
    FIVE_STAR_COLOUR,
    FIVE_STARS,
    details_text,
    focus_options,
    make_venn_figure,
)
from components.venn_legend import legend_entries, venn_legend
from components.venn_models import (
    DEFAULT_SORT,
    second_choices,
    second_model_choice,
    sort_choice,
    sort_options,
    venn_models,
)
from components.venn_rows import Diagram, diagram_rows
from components.venn_story import article_story, story_children, summary_text
from components.venn_table import table_children
from core.vocabulary import VENN_MODELS

PREFIX = "venn"
SCOPES = {
    "test": "Test split (ratings the models never saw)",
    "all": "Every movie rated (training split too)",
}
#: Announced by screen readers when a callback changes the text.
POLITE = {"aria-live": "polite"}


def _intro(second_name: str) -> html.P:
    """How to read the diagram; the second circle's model is named in a span the
    callbacks update (``second_name``: its label now)."""
    return html.P(
        [
            "Each circle is a set of the chosen reader's movies: the ten each model would "
            "put first, and the ones the reader gave five stars. A dot is a movie. Its two "
            "short lines show how far each model's guess was from the true rating: the left "
            "line for EmbeddingMF, the right one for ",
            html.Span(second_name, id=f"{PREFIX}-second-name"),
            "; the longer the line, the bigger "
            f"the miss. {OVER_WORD.capitalize()}, solid lines with an upward triangle mean the "
            f"model guessed too high; {UNDER_WORD}, dotted lines with a downward triangle, too "
            "low.",
        ]
    )


def layout() -> html.Section:
    """Box 6: scope switch, the diagram, a keyboard picker with details, the table."""
    try:
        models = venn_models()
        # The default reader's box, built once with the layout: no request on a first visit.
        focus_choices, summary, story, key, second_name = venn_overview(DEFAULT_STORE, "test")
        figure, details = venn_picture(DEFAULT_STORE, "test", None)
        table = venn_listing(DEFAULT_STORE, "test", DEFAULT_SORT)
        choices = second_choices()
    except ArtifactError as error:
        return box_section(PREFIX, "One reader's recommendations", [notice(str(error))])
    missing = [MODEL_LABELS[name] for name in VENN_MODELS if name not in models]
    content = [
        _intro(second_name),
        article_story(),
        html.P(story, id=f"{PREFIX}-story", className="venn-story", **POLITE),
        *(
            [notice(f"No results yet for {', '.join(missing)}: its circle is left out.")]
            if missing
            else []
        ),
        # Named as one group (assets/a11y.js takes Dash's unnamed listbox role off the list).
        html.Div(
            dcc.RadioItems(
                id=f"{PREFIX}-scope",
                options=[{"label": label, "value": key} for key, label in SCOPES.items()],
                value="test",
                inline=True,
                className="venn-scope",
            ),
            role="radiogroup",
            **{"aria-label": "Movies in the diagram"},
        ),
        second_model_choice(choices),
        html.P(summary, id=f"{PREFIX}-summary", className="venn-summary", **POLITE),
        html.Figure(
            [
                dcc.Graph(
                    id=f"{PREFIX}-graph",
                    figure=figure,
                    config={**GRAPH_CONFIG, "displayModeBar": False},
                    className="venn-graph",
                    # Inline, so Plotly's autosize reads the same height the page gives it.
                    # Tall enough on a phone that the width, not the height, sets the scale:
                    # ~90 px per circle radius at 375 px, so dots stay >= 24 px apart.
                    style={"height": "clamp(24rem, 125vw, 44rem)"},
                ),
                figure_caption(
                    "Hits sit where a model's circle meets the 5-star circle; a long line "
                    "inside a top-10 circle is a movie that model recommended by mistake."
                ),
            ],
            **{"aria-label": "Venn diagram of the reader's top-10 lists and 5-star movies"},
        ),
        venn_legend(key, f"{PREFIX}-key"),
        html.Div(
            className="venn-focus",
            children=[
                html.Label("Highlight a movie", htmlFor=f"{PREFIX}-focus"),
                dcc.Dropdown(
                    id=f"{PREFIX}-focus",
                    options=focus_choices,
                    placeholder="Pick a movie of the diagram",
                ),
                html.P(details, id=f"{PREFIX}-details", className="venn-details", **POLITE),
            ],
        ),
        html.Fieldset(
            className="venn-sort",
            children=[
                html.Legend("Sort the table by"),
                dcc.RadioItems(
                    id=f"{PREFIX}-sort",
                    options=sort_options(models),
                    value=DEFAULT_SORT,
                    inline=True,
                ),
            ],
        ),
        html.Div(table, id=f"{PREFIX}-table", className="figure-table venn-table"),
    ]
    return box_section(PREFIX, "One reader's recommendations", content)


def _diagram(state: object, scope: object, second: object) -> tuple[int, str, Diagram]:
    """The store's user, a known scope and that user's diagram (built once, then cached);
    ``second``: the second circle's model (anything unknown: DeepFM)."""
    user, movie, compare = read_selection(state)
    scope = scope if isinstance(scope, str) and scope in SCOPES else "test"
    models = tuple(venn_models(second))
    return user, scope, diagram_rows(user, scope, (movie, compare), models)


def _focus(focus: object) -> int | None:
    return focus if isinstance(focus, int) and not isinstance(focus, bool) else None


def venn_overview(state: object, scope: object, second: object = None) -> tuple:
    """What names the circles' models or describes the reader's sets, for the store's user.

    Args:
        state: ``selection-store`` (validated by its writer, read with
            :func:`read_selection`); scope: ``"test"`` or ``"all"`` (else ``"test"``);
        second: the second circle's model id (else DeepFM; see
            :func:`components.venn_models.second_model`).

    Returns:
        The highlight picker's options, the summary sentence, the story of Box 7's movie
        (:mod:`components.venn_story`), the key's entries and the second model's name.
    """
    user, scope, (frame, sets, n_candidates) = _diagram(state, scope, second)
    movie = read_selection(state).movie
    models = [name for name in sets if name != FIVE_STARS]
    return (
        focus_options(frame),
        summary_text(user, scope, sets, n_candidates),
        story_children(user, movie, frame, list(sets)),
        legend_entries(models, FIVE_STAR_COLOUR, "dot"),
        MODEL_LABELS[models[-1]] if len(models) > 1 else "",
    )


def venn_picture(
    state: object, scope: object, focus: object, second: object = None
) -> tuple[object, str]:
    """The diagram and the highlighted movie's details (``focus``: a movie id, else none)."""
    _, scope, (frame, sets, _) = _diagram(state, scope, second)
    focus = _focus(focus)
    return make_venn_figure(frame, sets, scope, focus), details_text(frame, list(sets), focus)


def venn_listing(state: object, scope: object, sort: object, second: object = None) -> object:
    """The table of the diagram's movies, sorted by ``sort`` (see :func:`venn_table`; a sort
    by a model not in the circles reads as :func:`components.venn_models.sort_choice` says)."""
    user, scope, (frame, sets, _) = _diagram(state, scope, second)
    caption = f"Movies of user {user} in the diagram ({SCOPES[scope].lower()})"
    return table_children(frame, list(sets), sort_choice(sort, venn_models(second)), caption)


def listing_update(
    state: object, scope: object, sort: object, second: object, switched: bool
) -> tuple:
    """The table, the sort choices and the sort key, after a change.

    The sort choices name the circles' models, so they change only when the second circle
    does (``switched``); a sort by the model that left the circle becomes one by the model
    that took it (:func:`components.venn_models.sort_choice`), and a forged sort the default.

    Returns:
        ``(table children, sort options or no_update, sort value or no_update)``.
    """
    models = venn_models(second)
    chosen = sort_choice(sort, models)
    return (
        venn_listing(state, scope, chosen, second),
        sort_options(models) if switched else no_update,
        no_update if chosen == sort else chosen,
    )


# One callback per set of inputs; the three share the cached diagram of one change. (One
# callback answering only what its trigger changed lost updates: Dash drops a pending
# request when the same callback fires again.)
@callback(
    Output(f"{PREFIX}-focus", "options"),
    Output(f"{PREFIX}-summary", "children"),
    Output(f"{PREFIX}-story", "children"),
    Output(f"{PREFIX}-key", "children"),
    Output(f"{PREFIX}-second-name", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-second", "value"),
    prevent_initial_call=True,
)
def update_overview(state, scope, second):
    """The picker's options, the summary, the story, the key and the second model's name."""
    return venn_overview(state, scope, second)


@callback(
    Output(f"{PREFIX}-graph", "figure"),
    Output(f"{PREFIX}-details", "children"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-focus", "value"),
    Input(f"{PREFIX}-second", "value"),
    prevent_initial_call=True,
)
def update_picture(state, scope, focus, second):
    """The diagram and the highlighted movie's details."""
    return venn_picture(state, scope, focus, second)


@callback(
    Output(f"{PREFIX}-table", "children"),
    Output(f"{PREFIX}-sort", "options"),
    Output(f"{PREFIX}-sort", "value"),
    Input(STORE, "data"),
    Input(f"{PREFIX}-scope", "value"),
    Input(f"{PREFIX}-sort", "value"),
    Input(f"{PREFIX}-second", "value"),
    prevent_initial_call=True,
)
def update_listing(state, scope, sort, second):
    """The diagram's movies as a table, and the sort choices (see :func:`listing_update`)."""
    return listing_update(state, scope, sort, second, ctx.triggered_id == f"{PREFIX}-second")


# A tap (or click) on a dot picks that movie in "Highlight a movie": on a phone, where
# there is no hover, the details appear in words under the diagram (assets/charts.js).
clientside_callback(
    ClientsideFunction(namespace="charts", function_name="vennTap"),
    Output(f"{PREFIX}-focus", "value"),
    Input(f"{PREFIX}-graph", "clickData"),
    prevent_initial_call=True,
)


# The second circle's model travels in a shared link (&venn=bayes_fm) beside the selection,
# not in the store, so a switch redraws this box only (assets/selection.js). Read from the
# address when the page mounts (no request: the value is checked against the choices
# offered), written back on every switch.
clientside_callback(
    ClientsideFunction(namespace="selection", function_name="vennFromAddress"),
    Output(f"{PREFIX}-second", "value"),
    Input(ADDRESS, "search"),
    State(f"{PREFIX}-second", "options"),
    State(f"{PREFIX}-second", "value"),
)
clientside_callback(
    ClientsideFunction(namespace="selection", function_name="vennToAddress"),
    Input(f"{PREFIX}-second", "value"),
    State(f"{PREFIX}-second", "options"),
    prevent_initial_call=True,
)
