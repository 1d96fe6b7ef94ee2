"""The table of contents: every section and box of :data:`components.outline.OUTLINE`.

Beside the text on wide screens; on narrow ones a bar fixed at the top whose button opens
the list. ``assets/toc.js`` marks the section being read (``aria-current``), shows its
name in the bar, closes the list after a jump and, when the page opens at a fragment
(``?user=42#box-6``), scrolls there once the section exists. Every link is a plain
``#fragment``, so following one keeps the address's query (the chosen reader). Styles:
``assets/toc.css``.
"""

from __future__ import annotations

from dash import html

from components.outline import OUTLINE, anchor, box_numbers

PREFIX = "toc"


def _item(prefix: str, label: str) -> html.Li:
    """One link; a box's link starts with its number."""
    number = box_numbers().get(prefix)
    children = [label]
    if number is not None:
        children = [html.Span(f"Box {number}", className="toc-number"), " ", label]
    return html.Li(
        html.A(
            children,
            href=f"#{anchor(prefix)}",
            className="toc-link",
            **{"data-section": prefix},
        ),
        className="toc-item toc-box" if number is not None else "toc-item",
    )


def layout() -> html.Nav:
    """The contents: a toggle (narrow screens only) and one link per section."""
    return html.Nav(
        id=PREFIX,
        className=PREFIX,
        **{"aria-label": "Contents"},
        children=[
            html.Button(
                [
                    html.Span("Contents", className="toc-toggle-label"),
                    # The section being read, filled in by assets/toc.js.
                    html.Span(id=f"{PREFIX}-here", className="toc-here"),
                ],
                id=f"{PREFIX}-toggle",
                type="button",
                className="toc-toggle",
                **{"aria-expanded": "false", "aria-controls": f"{PREFIX}-list"},
            ),
            html.Ol(
                [_item(entry.prefix, entry.label) for entry in OUTLINE],
                id=f"{PREFIX}-list",
                className="toc-list",
            ),
        ],
    )
