"""Boxes below the fold are mounted by the browser when the reader gets near them.

The renderer turns every component of the layout into React elements before the page can
be used: about a thousand components took 4-5 s of main-thread time on Lighthouse's
throttled phone, although a reader first sees only the title and the opening. So the
layout holds the first boxes and, in place of the others, placeholders
(``<div class="deferred-boxes" data-deferred-src=...>``) that show only each box's
heading (:func:`stand_in`). Each placeholder's component tree is the same JSON the layout
would have held, served once per deploy as a fingerprinted file
(``_deferred-boxes.<sha256>.json``, cached for good, compressed once).
``assets/deferred.js`` puts a placeholder's boxes in its place among its parent's children
(``dash_clientside.set_props``), so the page ends up with exactly the elements of a layout
that held every box:

* soon after the reader shows intent (scrolls, types, points, touches), box by box in
  idle time, and at once for the box the reader is approaching;
* all at once before printing, for in-page links (``#box-7``), for find-in-page (Ctrl/Cmd+F),
  when focus reaches a box's heading and for a shared link with a query string (its
  callbacks read the boxes).

Boxes joined by a callback (one box's control updates another's figure) share one
placeholder, so a callback never finds half of its components on the page; boxes in
between are kept with them, so the order on the page never changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import plotly
from dash import Dash, html
from dash.development.base_component import Component

from hosting import caching

#: Class of every placeholder, and the attribute that names the file with the trees.
PLACEHOLDER_CLASS = "deferred-boxes"
_HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}
SOURCE_ATTRIBUTE = "data-deferred-src"
#: File name stem of the trees; the full name is ``<stem>.<sha256 prefix>.json``.
FILE_STEM = "_deferred-boxes"


def component_ids(node: Any) -> Iterator[str | dict]:
    """Every component id in a tree: in ``children`` and in any other component-valued prop.

    Args:
        node: a Dash component, a list of them, or a leaf (string, number, None).

    Yields:
        Each id as set in Python (a string, or a dict for pattern-matching ids).
    """
    if isinstance(node, list | tuple):
        for child in node:
            yield from component_ids(child)
    elif isinstance(node, Component):
        node_id = getattr(node, "id", None)
        if node_id is not None:
            yield node_id
        for name in node._prop_names:
            value = getattr(node, name, None)
            if isinstance(value, Component | list | tuple):
                yield from component_ids(value)


def _parse_id(text: str | dict) -> str | dict:
    """A callback record's id: pattern-matching ids come as JSON text."""
    return json.loads(text) if isinstance(text, str) and text.startswith("{") else text


def _dependency_ids(callback: dict) -> Iterator[str | dict]:
    """The component ids one callback reads or writes (``GLOBAL_CALLBACK_LIST`` form).

    Several outputs are written ``..id.prop...id.prop..``; an ``allow_duplicate`` output
    carries ``@<hash>``; a callback without outputs has a bare hash (no component).
    """
    for dependency in [*callback.get("inputs", []), *callback.get("state", [])]:
        yield _parse_id(dependency["id"])
    output = callback.get("output", "")
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    for part in parts:
        component, _, _ = part.split("@", 1)[0].rpartition(".")
        if component:
            yield _parse_id(component)


def _matches(pattern: str | dict, node_id: str | dict) -> bool:
    """Whether a callback's id (maybe with ALL/MATCH/ALLSMALLER) names ``node_id``."""
    if isinstance(pattern, str) or isinstance(node_id, str):
        return pattern == node_id
    if set(pattern) != set(node_id):
        return False
    return all(isinstance(value, list) or value == node_id[key] for key, value in pattern.items())


def plan_chunks(
    section_ids: Sequence[Iterable[str | dict]], callbacks: Iterable[dict], keep: int
) -> list[range]:
    """Which sections share a placeholder: ranges of section indices, in page order.

    Sections whose components one callback touches end up in one range, with every
    section between them; ranges that would overlap the first ``keep`` sections are kept
    on the page instead (so the result starts at ``keep`` or later).

    Args:
        section_ids: the component ids of each section, in page order.
        callbacks: Dash's callback records (``dash._callback.GLOBAL_CALLBACK_LIST``).
        keep: how many sections from the top stay in the layout (``>= 0``).

    Returns:
        Disjoint ranges covering sections ``first .. len(section_ids) - 1``, where
        ``first >= keep``.
    """
    owners = [list(ids) for ids in section_ids]
    spans = [[index, index] for index in range(len(owners))]
    for callback in callbacks:
        touched = {
            index
            for pattern in _dependency_ids(callback)
            for index, ids in enumerate(owners)
            if any(_matches(pattern, node_id) for node_id in ids)
        }
        if touched:
            low, high = min(touched), max(touched)
            for index in range(low, high + 1):
                spans[index] = [min(spans[index][0], low), max(spans[index][1], high)]
    ranges: list[range] = []
    index = 0
    while index < len(spans):
        stop = spans[index][1]
        cursor = index
        while cursor <= stop:  # grow until no section inside reaches further
            stop = max(stop, spans[cursor][1])
            cursor += 1
        if index < keep:  # a callback partner of a kept section stays too
            keep = max(keep, stop + 1)
        else:
            ranges.append(range(index, stop + 1))
        index = stop + 1
    return ranges


@dataclass(frozen=True)
class DeferredBoxes:
    """The placeholders' trees, as the JSON file the browser fetches."""

    body: bytes
    file_name: str


def first_heading(node: Any) -> Component | None:
    """The first ``html.H1``-``H6`` of a tree in page order (a box's title), or None."""
    if isinstance(node, list | tuple):
        return next((h for h in map(first_heading, node) if h is not None), None)
    if not isinstance(node, Component):
        return None
    if node._namespace == "dash_html_components" and node._type in _HEADINGS:
        return node
    return first_heading(getattr(node, "children", None))


def text_of(node: Any) -> str:
    """The text of a tree: its strings and numbers, in order."""
    if isinstance(node, list | tuple):
        return "".join(map(text_of, node))
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return "" if node is None else str(node)


def stand_in(section: Component) -> html.Section:
    """A box as its placeholder shows it: its section's classes and heading, no content.

    The heading has the box's tag, id (``box-6``) and text, so the contents list's links,
    a screen reader's heading list and find-in-page see every box before it is mounted;
    it is focusable from script (``tabIndex=-1``), so focus reaching it mounts the boxes.
    The section carries no id (the box brings its own when it takes the placeholder's
    place); ``assets/article.css`` makes it about one screen high, so the scroll bar keeps
    roughly its final length.
    """
    heading = first_heading(section)
    children = []
    if heading is not None:
        props = {
            "id": getattr(heading, "id", None),
            "className": getattr(heading, "className", None),
        }
        children = [
            type(heading)(text_of(heading), tabIndex="-1", **{k: v for k, v in props.items() if v})
        ]
    labelled = getattr(section, "aria-labelledby", None)
    return html.Section(
        children,
        className=getattr(section, "className", None),
        **({"aria-labelledby": labelled} if labelled else {}),
    )


def _tree_json(components: list[Component]) -> list:
    """The components as Dash sends them in ``/_dash-layout`` (plain JSON)."""
    return json.loads(json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder))


def defer(
    sections: Sequence[Component], callbacks: Iterable[dict], keep: int
) -> tuple[list[Component], DeferredBoxes | None]:
    """The page's sections with all but the first ``keep`` (and their callback partners)
    replaced by placeholders.

    Args:
        sections: the page's top-level boxes in order.
        callbacks: every callback record of the app.
        keep: sections from the top that stay in the layout (what the first screen shows).

    Returns:
        ``(children for the page, trees)``; ``trees`` is None when nothing is deferred.
    """
    callbacks = list(callbacks)
    chunks = plan_chunks([list(component_ids(s)) for s in sections], callbacks, keep)
    if not chunks:
        return list(sections), None
    trees = {
        f"deferred-{number}": _tree_json([sections[index] for index in chunk])
        for number, chunk in enumerate(chunks)
    }
    # Sorted keys: the same page gives the same file name in every process and deploy.
    body = json.dumps(trees, separators=(",", ":"), sort_keys=True).encode("utf-8")
    file_name = caching.content_name(FILE_STEM, body, ".json")
    children: list[Component] = list(sections[: chunks[0].start])
    for number, chunk in enumerate(chunks):
        children.append(
            html.Div(
                [stand_in(sections[index]) for index in chunk],
                id=f"deferred-{number}",
                className=PLACEHOLDER_CLASS,
                **{SOURCE_ATTRIBUTE: file_name},
            )
        )
    return children, DeferredBoxes(body, file_name)


def publish(app: Dash, deferred: DeferredBoxes) -> str:
    """Serve ``deferred`` at ``<routes prefix><file name>`` (cached for good); returns that
    URL path. May be called again after the layout is rebuilt: earlier files stay served."""
    name = caching.publish(app, FILE_STEM, ".json", deferred.body, "application/json")
    return app.config.routes_pathname_prefix + name


__all__ = [
    "PLACEHOLDER_CLASS",
    "SOURCE_ATTRIBUTE",
    "DeferredBoxes",
    "component_ids",
    "defer",
    "first_heading",
    "plan_chunks",
    "publish",
    "stand_in",
    "text_of",
]
