"""The title, the byline and section 1: what a recommender system is."""

from __future__ import annotations

from dash import html

PREFIX = "intro"

#: The article this app recreates, credited by title everywhere it is mentioned.
ORIGINAL_TITLE = (
    "Why sometimes your favourite streaming service just cannot manage to recommend "
    "anything interesting"
)
LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def credit() -> list:
    """The credit line for the original article, as Dash children (reused by the conclusion)."""
    return [
        "Based on the explorable article “",
        html.Cite(ORIGINAL_TITLE),
        "”, whose text and diagrams are shared under ",
        html.A(LICENSE_NAME, href=LICENSE_URL, rel="license"),
        ". The wording here is new; facts, numbers and references come from that article.",
    ]


def opening() -> list:
    """The title, the byline and the first paragraph: what a reader sees first.

    Also painted into the index's loading placeholder (``hosting.first_paint``).
    """
    return [
        html.Header(
            className="article-header",
            children=[
                html.H1("Why recommendations miss"),
                html.P(
                    "An explorable look at how streaming services guess your taste, "
                    "and why they sometimes get it wrong.",
                    className="subtitle",
                ),
                html.P(credit(), className="byline"),
            ],
        ),
        html.H2("What is a recommender system?", id=f"{PREFIX}-title"),
        html.P(
            "Whenever an app suggests a film for tonight, the next song in a playlist, a "
            "quicker route home or a person you might like to meet, a recommender system "
            "is at work. Its job is to pick, out of far more items than anyone could "
            "browse, the few that this particular person is likely to enjoy. The "
            "suggestions differ from one user to the next: that is the point."
        ),
    ]


def layout() -> html.Section:
    """The header of the page and the first section."""
    return html.Section(
        className=f"box {PREFIX}",
        id=PREFIX,
        **{"aria-labelledby": f"{PREFIX}-title"},
        children=[
            *opening(),
            html.P("To do this the system needs evidence of taste, and it comes in two kinds."),
            html.Dl(
                className="feedback-kinds",
                children=[
                    html.Dt("Explicit feedback"),
                    html.Dd(
                        "The user tells the system what they think, for example by giving a "
                        "movie three stars. It is clear, but scarce: each person rates only a "
                        "handful of the items on offer, so a table of users against items is "
                        "almost entirely empty."
                    ),
                    html.Dt("Implicit feedback"),
                    html.Dd(
                        "The system infers taste from behaviour: what was clicked, played to "
                        "the end, skipped, searched for, even how the mouse moved. Nobody has "
                        "to do anything extra, so there is much more of it and the table fills "
                        "up, but each signal is vaguer. Watching something is not the same as "
                        "liking it."
                    ),
                ],
            ),
            html.P(
                "This article works with explicit feedback: star ratings from the MovieLens "
                "data set. It follows the path from ratings to a list of suggestions, tries "
                "matrix factorization by hand, and then asks why two trained models still "
                "recommend the wrong films to one real user."
            ),
        ],
    )
