"""Content-based versus collaborative filtering: a static comparison table."""

from __future__ import annotations

from dash import html

from components.box import box_section

PREFIX = "cf-table"

#: Rows of the comparison: (aspect, content-based, collaborative filtering).
ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "What it needs",
        "Descriptions of the items (genre, cast, keywords) and often of the users.",
        "Only the record of who liked what; no features at all.",
    ),
    (
        "New items",
        "Can recommend a new item at once, since its description is known (no item cold start).",
        "Cannot place an item nobody has rated yet (cold start), and struggles when most "
        "user-item pairs are unrated (sparsity).",
    ),
    (
        "What it suggests",
        "More of what you already know: close matches to past favourites, narrow and often "
        "obvious.",
        "Surprises: items liked by people with similar taste, even if they look nothing like "
        "your history (serendipity).",
    ),
    (
        "Typical weakness",
        "Only as good as the features someone chose to record.",
        "Leans towards popular items, which dominate the ratings (popularity bias).",
    ),
)


def layout() -> html.Section:
    """The comparison as a real table with a caption and scoped headers."""
    header = html.Tr(
        [
            html.Th("Aspect", scope="col"),
            html.Th("Content-based filtering", scope="col"),
            html.Th("Collaborative filtering", scope="col"),
        ]
    )
    body = [
        html.Tr([html.Th(aspect, scope="row"), html.Td(content), html.Td(collab)])
        for aspect, content, collab in ROWS
    ]
    return box_section(
        PREFIX,
        "Two ways to guess taste",
        [
            html.P(
                "The scoring step needs some idea of what a user will like. There are two "
                "broad families. Content-based filtering looks at the items themselves and "
                "suggests ones that resemble what the user liked before. Collaborative "
                "filtering ignores what the items are and looks at people instead: users who "
                "agreed in the past will probably agree again."
            ),
            html.Div(
                html.Table(
                    [
                        html.Caption("Content-based and collaborative filtering compared"),
                        html.Thead(header),
                        html.Tbody(body),
                    ],
                    className="data-table",
                ),
                # Becomes a labelled, focusable scroll region only while the table is wider
                # than the column (assets/a11y.js).
                className="table-scroll",
            ),
            html.P(
                "The rest of this article follows collaborative filtering, and in particular "
                "its best-known form: matrix factorization."
            ),
        ],
    )
