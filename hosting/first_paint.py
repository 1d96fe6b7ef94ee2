"""The index's loading placeholder shows the article's opening, not "Loading...".

Dash puts ``<div class="_dash-loading">Loading...</div>`` in the index and React replaces it
once every bundle has loaded and run. Painting the title and first paragraph there instead
(as plain HTML, with the page's own classes, so nothing moves when React takes over) lets
the largest contentful paint happen as soon as the HTML and the CSS arrive.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from dash import Dash
from dash.development.base_component import Component

#: Dash props that are named differently in HTML.
_ATTRIBUTES = {"className": "class", "htmlFor": "for"}
_VOID = {"br", "hr", "img", "input"}
#: Dash's placeholder in its index template (``dash.dash._app_entry``).
_LOADING = re.compile(r'<div class="_dash-loading">\s*Loading\.\.\.\s*</div>')


def to_html(node: Any) -> str:
    """Static HTML for a tree of ``dash.html`` components and strings.

    Only text-like content is rendered: ids are dropped (React's tree brings its own, and
    an id must be unique), and so are event props. Other component libraries are refused.

    Raises:
        TypeError: for a component that is not from ``dash.html``.
    """
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return escape(str(node))
    if isinstance(node, list | tuple):
        return "".join(to_html(child) for child in node)
    if not isinstance(node, Component) or node._namespace != "dash_html_components":
        raise TypeError(f"only dash.html components can be painted early, not {node!r}")
    tag = node._type.lower()
    attributes = "".join(
        f' {_ATTRIBUTES.get(name, name)}="{escape(str(value))}"'
        for name, value in node.to_plotly_json()["props"].items()
        if name not in ("children", "id", "n_clicks", "n_clicks_timestamp")
        and isinstance(value, str | int | float)
    )
    if tag in _VOID:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{to_html(getattr(node, 'children', None))}</{tag}>"


def register(app: Dash, opening: Component, wrappers: tuple[str, ...] = ()) -> None:
    """Paint ``opening`` in the index's placeholder, inside ``wrappers`` (outer first).

    Args:
        app: the Dash app whose index to change.
        opening: what the reader sees first (plain ``dash.html`` components).
        wrappers: opening tags that reproduce the page's nesting, e.g.
            ``('<div class="article">', '<main>')``, so the CSS places the text where
            React will draw it.
    """
    painted = "".join(wrappers) + to_html(opening)
    painted += "".join(f"</{tag.strip('<>').split()[0]}>" for tag in reversed(wrappers))
    placeholder = f'<div class="_dash-loading dash-first-paint">{painted}</div>'
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        entry = kwargs.get("app_entry", "")
        kwargs["app_entry"] = _LOADING.sub(lambda _: placeholder, entry, count=1)
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index


__all__ = ["register", "to_html"]
