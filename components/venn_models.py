"""Box 6's models: EmbeddingMF in the first circle, the reader's choice in the second.

The second circle shows DeepFM by default (the article's comparison) or another model whose
predictions the per-reader rows hold (:data:`core.vocabulary.READER_MODELS`: the Bayesian
FM). Every callback of Box 6 reads the choice through :func:`second_model`, which turns any
value it does not know (a forged request, a stale page) into the default; the table's sort
follows the choice through :func:`sort_choice`.

A shared link keeps the choice as ``&venn=bayes_fm`` beside the selection's keys
(assets/selection.js), but not in ``selection-store``: every box 6-8 redraws when the store
changes, and this choice concerns Box 6 alone. The address gets the key only when the
choice is not the default, and a link's value counts only if it is one of the choices.
"""

from __future__ import annotations

from dash import dcc, html

from components.readers import reader_table
from components.theme import MODEL_LABELS
from core.records import TEST
from core.vocabulary import READER_MODELS, VENN_MODELS

PREFIX = "venn"
#: The model of the first circle; the second is the reader's choice among the others.
FIRST_MODEL = VENN_MODELS[0]
#: The article's second circle, shown until the reader chooses another.
DEFAULT_SECOND = VENN_MODELS[1]
#: The table's sort keys besides the models' errors.
PLAIN_SORTS = {"region": "region", "rating": "true rating"}
DEFAULT_SORT = "region"


def _predicted() -> list[str]:
    """Reader models with predictions in the story reader's test rows, in vocabulary order."""
    columns = reader_table(TEST, story=True).columns
    return [name for name in READER_MODELS if name in columns]


def second_choices() -> list[str]:
    """Models the second circle may show: DeepFM first (the article's), then the others
    with predictions in the per-reader rows (the Bayesian FM). Empty if none has any."""
    return [name for name in _predicted() if name != FIRST_MODEL]


def second_model(requested: object) -> str | None:
    """The second circle's model: ``requested`` if it is one of :func:`second_choices`,
    else DeepFM, else the first choice; ``None`` when no model has predictions."""
    choices = second_choices()
    if isinstance(requested, str) and requested in choices:
        return requested
    return DEFAULT_SECOND if DEFAULT_SECOND in choices else next(iter(choices), None)


def venn_models(second: object = None) -> list[str]:
    """The diagram's models with predictions in the per-reader rows, in circle order:
    EmbeddingMF, then the second circle's (:func:`second_model` of ``second``)."""
    chosen = second_model(second)
    return [name for name in _predicted() if name == FIRST_MODEL] + ([chosen] if chosen else [])


def sort_options(models: list[str]) -> list[dict]:
    """The table's sort choices: region, true rating, then each circle's model error."""
    return [
        *({"label": label, "value": key} for key, label in PLAIN_SORTS.items()),
        *({"label": f"{MODEL_LABELS[name]} error", "value": name} for name in models),
    ]


def sort_choice(sort: object, models: list[str]) -> str:
    """The sort key to use with ``models`` in the circles.

    A plain key or a shown model's error stays; another reader model's error (the second
    circle's model before the reader switched) becomes the error of the model that took its
    circle; anything else (forged, stale) is :data:`DEFAULT_SORT`.
    """
    if isinstance(sort, str) and (sort in PLAIN_SORTS or sort in models):
        return sort
    if isinstance(sort, str) and sort in READER_MODELS and len(models) > 1:
        return models[-1]
    return DEFAULT_SORT


def second_model_choice(choices: list[str]) -> html.Fieldset:
    """Radio buttons for the second circle's model (DeepFM first, as in the article).

    A fieldset names the group for screen readers (assets/a11y.js gives the radios back
    their role); the legend is visible, so everyone reads what the choice changes.
    """
    return html.Fieldset(
        className="venn-second",
        children=[
            html.Legend(f"Compare {MODEL_LABELS[FIRST_MODEL]} with"),
            dcc.RadioItems(
                id=f"{PREFIX}-second",
                options=[{"label": MODEL_LABELS[name], "value": name} for name in choices],
                value=second_model(None),
                inline=True,
            ),
        ],
    )
