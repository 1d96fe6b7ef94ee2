"""Words the boxes share, so one kind of phrase reads the same everywhere.

Counts with the right plural ("1 star", "1,850 movies"), age bands in a sentence ("aged
under 18"), the "any" choice of every group picker ("Any gender"), the reader's name
("Xiao (user 1680)"), and formulas with real subscripts in the letters of the models'
docstrings (``p_u · q_i + b_u + b_i``, :mod:`models.embedding_mf`).
"""

from __future__ import annotations

import re

from dash import html

from core.vocabulary import STORY_USER, STORY_USER_NAME

#: The "no restriction" choice of each group picker, by what it restricts.
ANY_LABELS = {
    "gender": "Any gender",
    "age": "Any age",
    "occupation": "Any occupation",
    "region": "Any region",
}


def count_text(n: int, singular: str, plural: str | None = None) -> str:
    """``"1 movie"``, ``"1,850 movies"``, ``"0 movies"`` (``plural`` defaults to +"s")."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def stars_text(stars: int) -> str:
    """``"1 star"``, ``"4 stars"``."""
    return count_text(int(stars), "star")


def age_phrase(band: str) -> str:
    """A MovieLens age band in a sentence: ``"Under 18"`` -> ``"aged under 18"``,
    ``"56+"`` -> ``"aged 56 or over"``, ``"25-34"`` -> ``"aged 25-34"``."""
    band = band.strip()
    if band.endswith("+"):
        return f"aged {band[:-1]} or over"
    return f"aged {band[0].lower()}{band[1:]}"


def reader_name(user: int) -> str:
    """How the text names a reader: ``"Xiao (user 1680)"`` for the story reader, else
    ``"User 42"`` (at the start of a sentence)."""
    return f"{STORY_USER_NAME} (user {user})" if user == STORY_USER else f"User {user}"


_SUBSCRIPT = re.compile(r"([A-Za-zβσ])_([A-Za-z]+)")


def formula(text: str, **attributes) -> html.Span:
    """A formula with real subscripts: ``"p_u · q_i"`` -> p<sub>u</sub> · q<sub>i</sub>.

    Args:
        text: the formula, each subscript written ``letter_subscript``.
        attributes: extra props of the ``html.Span`` (``className`` defaults to
            ``"formula"``).
    """
    children: list = []
    position = 0
    for match in _SUBSCRIPT.finditer(text):
        children.append(text[position : match.start()] + match.group(1))
        children.append(html.Sub(match.group(2)))
        position = match.end()
    children.append(text[position:])
    attributes.setdefault("className", "formula")
    return html.Span([child for child in children if child != ""], **attributes)
