"""The article's outline: its sections in order, which of them are numbered boxes, and
how the table of contents names them.

This is the one list the page is built from. ``app.py`` lays the sections out in this
order (each entry's module is ``components.<prefix with "-" as "_">``), the table of
contents lists them, :func:`components.box.box_section` puts "Box N ·" in front of a
box's heading, and prose that points at a box asks :func:`box_name` for its number, so
adding a section here renumbers everything that follows without touching any sentence.

A *box* is an interactive or illustrated step of the story, numbered 1, 2, ... in page
order (the original article numbers nine); every other entry is a plain section.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class Entry(NamedTuple):
    """One section of the page.

    Attributes:
        prefix: the section's id, CSS class and id prefix (its module's ``PREFIX``).
        label: its short name in the table of contents.
        box: whether it is a numbered box.
        figures: how many captioned figures it shows (:func:`components.box.figure_caption`);
            figure numbers follow from these counts, so a box whose data is damaged and
            shows a notice instead leaves the other figures' numbers alone.
    """

    prefix: str
    label: str
    box: bool = False
    figures: int = 0


#: The page, top to bottom.
OUTLINE: tuple[Entry, ...] = (
    Entry("intro", "What is a recommender?"),
    Entry("pipeline", "The recommendation pipeline", box=True, figures=1),
    Entry("cf-table", "Two ways to guess taste"),
    Entry("mf-by-hand", "Matrix factorization by hand", box=True, figures=1),
    Entry("movie-night", "Movie night", box=True),
    Entry("learned-models", "Learning the factors"),
    Entry("learning-curves", "How the errors fell", figures=1),
    Entry("item-map", "A map of the movies", figures=1),
    Entry("model-table", "How good are the models?"),
    Entry("rating-distributions", "What the models predict", box=True, figures=1),
    Entry("rmse-by-rating", "Where the errors are", box=True, figures=1),
    Entry("selection", "Choose a reader"),
    Entry("venn", "One reader's recommendations", box=True, figures=1),
    Entry("movie-why", "Why? What everyone else thought", box=True, figures=1),
    Entry("user-trends", "Trends among readers", box=True, figures=1),
    Entry("your-taste", "Your own taste", box=True, figures=1),
    Entry("conclusion", "So why do recommendations miss?"),
)


def first_figure(prefix: str) -> int:
    """The number of a section's first figure (1 for the page's first figure)."""
    before = 0
    for entry in OUTLINE:
        if entry.prefix == prefix:
            return before + 1
        before += entry.figures
    raise KeyError(prefix)


def module_name(prefix: str) -> str:
    """The module that builds a section: ``"movie-why"`` -> ``"components.movie_why"``."""
    return "components." + prefix.replace("-", "_")


@cache
def box_numbers() -> dict[str, int]:
    """Box prefix -> its number (1, 2, ... in page order)."""
    boxes = [entry.prefix for entry in OUTLINE if entry.box]
    return {prefix: number for number, prefix in enumerate(boxes, start=1)}


def box_number(prefix: str) -> int:
    """A box's number. Raises ``KeyError`` for a prefix that is not a box."""
    return box_numbers()[prefix]


def box_name(prefix: str) -> str:
    """``"Box 7"`` for the box ``"movie-why"`` (``KeyError`` if it is not a box)."""
    return f"Box {box_number(prefix)}"


def box_range(first: str, last: str) -> str:
    """``"Boxes 6 to 8"``: the boxes from ``first`` to ``last``, both included."""
    return f"Boxes {box_number(first)} to {box_number(last)}"


def anchor(prefix: str) -> str:
    """The fragment that opens the page at a section: ``"box-6"`` for a box, else its id.

    A box's fragment names its number, so a shared link reads like the text
    (``?user=42#box-6``); the fragment is the id of the box's heading.
    """
    numbers = box_numbers()
    return f"box-{numbers[prefix]}" if prefix in numbers else prefix


def heading(prefix: str, title: str) -> str:
    """A section's visible heading: ``"Box 6 · One reader's recommendations"`` for a box,
    the title itself for any other section."""
    numbers = box_numbers()
    return f"Box {numbers[prefix]} · {title}" if prefix in numbers else title
