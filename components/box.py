"""The frame every box shares, and a walker over Dash component trees.

Each box is one ``<section class="box <prefix>" id="<prefix>">`` labelled by its ``<h2>``;
:func:`box_section` builds that frame so the boxes only write their content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dash import html


def box_section(prefix: str, title: str, children: list[Any]) -> html.Section:
    """One article box: a section with an ``h2`` that labels it.

    Args:
        prefix: the box's one word, used as its id, its CSS class and the prefix of every id
            inside it (``"movie-night"``); must not contain ``"."``.
        title: the visible heading.
        children: the box's content after the heading.

    Returns:
        ``html.Section(className="box <prefix>", id=prefix, aria-labelledby="<prefix>-title")``
        whose first child is ``html.H2(title, id="<prefix>-title")``.

    Raises:
        ValueError: if ``prefix`` is empty or contains a dot (Dash reads dots in ids as
            property separators).
    """
    if not prefix or "." in prefix:
        raise ValueError(f"box prefix must be a non-empty id without dots, got {prefix!r}")
    title_id = f"{prefix}-title"
    return html.Section(
        className=f"box {prefix}",
        id=prefix,
        **{"aria-labelledby": title_id},
        children=[html.H2(title, id=title_id), *children],
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
