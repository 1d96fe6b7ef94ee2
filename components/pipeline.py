"""Box 1: the recommendation pipeline, as five steps.

Each step is a button. Hovering it, focusing it (Tab) or tapping it reveals what the step
does in the panel under the steps, which at rest explains what the pipeline is; that is
pure CSS (``:hover``, ``:focus-within`` and ``:has()`` in ``assets/pipeline.css``), no
callback. Every button points at its explanation with ``aria-describedby``, so screen
readers announce the explanation even while it is visually hidden.
"""

from __future__ import annotations

from dash import html

from components.box import box_section, figure_caption

PREFIX = "pipeline"

#: (step id, name, what it does), in pipeline order.
STEPS: tuple[tuple[str, str, str], ...] = (
    (
        "querying",
        "Querying",
        "The system asks its database for what it knows: who the user is, what they have "
        "rated, clicked or watched, and which items exist.",
    ),
    (
        "retrieving",
        "Retrieving",
        "The answers come back and are arranged as matrices a model can work with: one row "
        "per user, one column per item, plus any features of users and items.",
    ),
    (
        "filtering",
        "Filtering",
        "Items that should not be suggested are removed: things the user has already seen or "
        "bought, and things that are unavailable in their country or out of stock.",
    ),
    (
        "scoring",
        "Scoring",
        "A model gives every remaining candidate a number: its estimate of how much this user "
        "will like that item, for example a predicted rating.",
    ),
    (
        "ranking",
        "Ranking",
        "The candidates are sorted by score and the top N become the list the user sees, "
        "such as the row of movies on a streaming service's home page.",
    ),
)


#: What the pipeline is, shown under the steps while none is pointed at or focused.
OVERVIEW = (
    "A recommendation pipeline runs every time a user opens the app: it gathers what is "
    "known about the user and the items (steps 1 and 2), drops what must not be shown (3), "
    "lets a model score what is left (4) and keeps the best few (5). The model, the part "
    "this article is about, is one step of five: what it is given and what is done with "
    "its scores matter as much."
)


def step_ids(step: str) -> tuple[str, str]:
    """The DOM ids of a step's button and of its explanation.

    Args:
        step: a step id from :data:`STEPS`, e.g. ``"filtering"``.

    Returns:
        ``("pipeline-step-<step>", "pipeline-detail-<step>")``.

    Raises:
        KeyError: if ``step`` is not one of the five steps.
    """
    if step not in {s for s, _, _ in STEPS}:
        raise KeyError(step)
    return f"{PREFIX}-step-{step}", f"{PREFIX}-detail-{step}"


def _step(number: int, step: str, name: str, detail: str) -> html.Li:
    """One step: a numbered button and its explanation."""
    button_id, detail_id = step_ids(step)
    return html.Li(
        className="pipeline-step",
        role="listitem",
        children=[
            html.Button(
                [html.Span(f"{number}", className="pipeline-number"), name],
                id=button_id,
                type="button",
                className="pipeline-button",
                **{"aria-describedby": detail_id},
            ),
            html.P(detail, id=detail_id, className="pipeline-detail", role="tooltip"),
        ],
    )


def layout() -> html.Section:
    """Box 1: the pipeline as an ordered list of five focusable steps, then what it is.

    The default explanation (:data:`OVERVIEW`) fills the space under the steps until a
    step is hovered or focused (``assets/pipeline.css``).
    """
    return box_section(
        PREFIX,
        "From a database to a top-N list",
        [
            html.P(
                "Behind a row of suggestions sits a pipeline. The model that guesses what you "
                "will like is only one part of it. Point at a step, tab to it with the "
                "keyboard, or tap it to read what happens there."
            ),
            html.Figure(
                className="pipeline-figure",
                children=[
                    html.Div(
                        className="pipeline-stage",
                        children=[
                            # Explicit roles: on wide screens the list is display: contents,
                            # which some browsers would otherwise drop from the a11y tree.
                            html.Ol(
                                [_step(n, *s) for n, s in enumerate(STEPS, start=1)],
                                className="pipeline-steps",
                                role="list",
                                **{"aria-label": "The five steps of a recommendation pipeline"},
                            ),
                            html.P(OVERVIEW, id=f"{PREFIX}-overview", className="pipeline-default"),
                        ],
                    ),
                    figure_caption(
                        "Only the fourth step uses a model: the steps before it decide which "
                        "items it gets to score at all."
                    ),
                ],
            ),
        ],
    )
