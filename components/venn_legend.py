"""Box 6's key, in HTML under the diagram: what each circle, line, dot and "+N" means.

An HTML list wraps to the width of a phone and keeps its text at the page's size, where a
Plotly legend inside the figure took a third of its height at 375 px. Each entry shows the
mark itself as a small SVG image (the same colour, dash and marker as the figure).
"""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from components.theme import (
    MODEL_COLOURS,
    MODEL_DASHES,
    MODEL_LABELS,
    OVER_ESTIMATE,
    OVER_WORD,
    UNDER_ESTIMATE,
    UNDER_WORD,
)
from components.venn_geometry import SIDES

#: Plotly dash names as SVG ``stroke-dasharray`` values (for a 3 px line).
SVG_DASHES = {
    "solid": "",
    "dot": "2,4",
    "dash": "8,5",
    "longdash": "14,5",
    "dashdot": "8,4,2,4",
    "longdashdot": "14,4,2,4",
}


def _svg(body: str, width: int = 40, height: int = 20) -> str:
    """A data URI of a small SVG image (the CSP allows ``data:`` images)."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{body}</svg>'
    )
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def _line(colour: str, dash: str, end: str | None = None) -> str:
    dashes = SVG_DASHES.get(dash, "")
    body = (
        f'<line x1="4" y1="10" x2="32" y2="10" stroke="{colour}" stroke-width="3" '
        f'stroke-dasharray="{dashes}"/>'
    )
    if end == "up":
        body += f'<polygon points="32,4 37,13 27,13" fill="{colour}"/>'
    elif end == "down":
        body += f'<polygon points="32,16 37,7 27,7" fill="{colour}"/>'
    return _svg(body)


def _circle(colour: str, dash: str) -> str:
    dashes = SVG_DASHES.get(dash, "")
    return _svg(
        f'<circle cx="20" cy="10" r="8" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-dasharray="{dashes}"/>'
    )


def _entry(image: str, words: str) -> html.Li:
    # The words say everything the image shows, so the image is decorative (alt="").
    return html.Li([html.Img(src=image, alt="", width=40, height=20), html.Span(words)])


def legend_entries(models: list[str], five_star_colour: str, five_star_dash: str) -> list:
    """The entries of the diagram's key for ``models`` (its top-10 circles, in circle order).

    Args:
        models: model ids of the circles (known to :mod:`components.theme`).
        five_star_colour, five_star_dash: the 5-star circle's style (the figure's).

    Returns:
        ``html.Li`` items: one per circle, then the error lines, a movie and a "+N" mark.
    """
    entries = [
        _entry(
            _circle(MODEL_COLOURS[name], MODEL_DASHES[name]),
            f"{MODEL_LABELS[name]}'s top 10 (circle)",
        )
        for name in models
    ]
    entries.append(_entry(_circle(five_star_colour, five_star_dash), "Rated 5 stars (circle)"))
    sides = [
        f"{MODEL_LABELS[name]}'s line points {'left' if side[0] < 0 else 'right'}"
        for name, side in zip(models, SIDES, strict=False)
    ]
    entries += [
        _entry(
            _line(OVER_ESTIMATE, "solid", "up"),
            f"{OVER_WORD.capitalize()}, solid, ▲: the model guessed too high",
        ),
        _entry(
            _line(UNDER_ESTIMATE, "dot", "down"),
            f"{UNDER_WORD.capitalize()}, dotted, ▼: the model guessed too low",
        ),
        _entry(
            _svg('<circle cx="20" cy="10" r="6" fill="#222222" stroke="white"/>'),
            "A movie: hover or tap it for its ratings. " + "; ".join(sides) + ".",
        ),
        _entry(
            _svg(
                '<circle cx="20" cy="10" r="9" fill="white" stroke="#444444" stroke-width="1.5"/>'
                '<text x="20" y="14" font-size="10" text-anchor="middle" fill="#111">+N</text>'
            ),
            "N more movies of a full region, listed in the table below",
        ),
    ]
    return entries


def venn_legend(entries: list, key_id: str) -> html.Ul:
    """The key as a list (``key_id``: its id; a callback replaces its entries)."""
    return html.Ul(
        entries, id=key_id, className="venn-legend", **{"aria-label": "Key to the diagram"}
    )
