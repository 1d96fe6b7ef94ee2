"""The frame every box shares, and a walker over Dash component trees.

Each box is one ``<section class="box <prefix>" id="<prefix>">`` labelled by its ``<h2>``;
:func:`box_section` builds that frame so the boxes only write their content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dash import html

from components.outline import anchor, box_numbers, first_figure, heading


def box_section(prefix: str, title: str, children: list[Any]) -> html.Section:
    """One article section: a ``<section>`` with an ``h2`` that labels it.

    A numbered box (:data:`components.outline.OUTLINE`) gets "Box N ·" in front of its
    title, and its heading's id is the box's fragment (``box-6``), so ``#box-6`` opens
    the page there.

    Args:
        prefix: the box's one word, used as its id, its CSS class and the prefix of every id
            inside it (``"movie-night"``); must not contain ``"."``.
        title: the visible heading, without the box number.
        children: the box's content after the heading.

    Returns:
        ``html.Section(className="box <prefix>", id=prefix, aria-labelledby=<heading id>)``
        whose first child is ``html.H2(heading, id=<heading id>)``; the heading id is
        ``box-N`` for a box, ``<prefix>-title`` for any other section.

    Raises:
        ValueError: if ``prefix`` is empty or contains a dot (Dash reads dots in ids as
            property separators).
    """
    if not prefix or "." in prefix:
        raise ValueError(f"box prefix must be a non-empty id without dots, got {prefix!r}")
    title_id = anchor(prefix) if prefix in box_numbers() else f"{prefix}-title"
    return html.Section(
        className=f"box {prefix}",
        id=prefix,
        **{"aria-labelledby": title_id},
        children=[html.H2(heading(prefix, title), id=title_id), *children],
    )


def unavailable_box(section: html.Section, problems: list[str]) -> html.Section:
    """A box whose artifacts are damaged: its heading and a notice listing the problems.

    Its controls, stores and figures are left out, so none of its callbacks can fire (the
    boxes that share its stores read the same artifacts and are off the page too; the
    app then tells the renderer that callbacks may lack their components).

    Args:
        section: the box as its ``layout()`` built it (its first ``h2`` is kept).
        problems: one sentence per problem (which file, what is wrong, the command that
            rebuilds it).

    Returns:
        The same ``<section>`` (id, class, label) holding the heading and the notice.
    """
    heading = [node for node in walk(section) if isinstance(node, html.H2)][:1]
    notice = html.Div(
        className="notice",
        role="status",
        children=[
            html.P("This box cannot be shown: its precomputed data is damaged or missing."),
            html.Ul([html.Li(problem) for problem in problems]),
        ],
    )
    kept = {key: getattr(section, key) for key in ("id", "className") if hasattr(section, key)}
    labelled = getattr(section, "aria-labelledby", None)
    extra = {"aria-labelledby": labelled} if labelled else {}
    return html.Section(children=[*heading, notice], **kept, **extra)


def walk(component: Any) -> Iterator[Any]:
    """Every node of a Dash layout, depth first, the root included.

    Args:
        component: a Dash component or a leaf (string, number, ``None``).

    Yields:
        The component itself, then each descendant component or leaf.
    """
    yield component
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, list | tuple):
        children = [children]
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)


#: Class of a figure's numbered caption (:func:`figure_caption`).
CAPTION_CLASS = "figure-caption"


def figure_caption(text: str) -> html.Figcaption:
    """A figure's caption: one sentence on what to notice, numbered by the page.

    Put it last inside the ``html.Figure`` it describes. :func:`number_figures` writes
    "Figure N." in front of it once the whole page is laid out, so numbers follow the page
    order wherever a figure is added.

    Args:
        text: one sentence, ending with a full stop.
    """
    return html.Figcaption(
        className=CAPTION_CLASS, children=[html.Strong(className="figure-number"), text]
    )


def number_figures(section: Any, prefix: str) -> int:
    """Number the :func:`figure_caption` s of one section (in place), top to bottom.

    The first is :func:`components.outline.first_figure`, so numbers follow the page order
    and do not move when another box shows a notice instead of its figures.

    Returns:
        How many captions were numbered.
    """
    captions = [
        node
        for node in walk(section)
        if isinstance(node, html.Figcaption) and getattr(node, "className", "") == CAPTION_CLASS
    ]
    for number, caption in enumerate(captions, start=first_figure(prefix)):
        caption.children[0].children = f"Figure {number}. "
    return len(captions)
