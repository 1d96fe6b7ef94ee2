"""The movie catalogue as the pickers search it: titles, options, forgiving title search.

Every movie picker (Box 7's two, Box 6's highlight, Box 9's search) offers options made
by :func:`movie_option` and, where the titles stay on the server, finds them with
:func:`search_movies`. Both sides forgive punctuation, accents and case: "whos that"
finds "Who's That Girl? (1987)" and "the matrix" finds "Matrix, The (1999)". The
dropdown filters what it shows once more in the browser by the option's ``search`` text,
which is the same normalised key, so the browser never hides what the server found.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from components.artifacts import read_table

#: Most options a picker lists for one typed text.
MAX_OPTIONS = 20
#: Articles MovieLens moves to the end of a title ("Matrix, The (1999)").
_MOVED_ARTICLE = re.compile(r"^(.*), (the|a|an|les|la|le|il|das|der|die|el)( \(\d{4}\))$")


@cache
def movies() -> pd.DataFrame:
    """``movies.parquet`` indexed by ``movie_id``: titles, histograms, means."""
    return read_table("movies.parquet").set_index("movie_id")


def movie_title(movie_id: int) -> str:
    """The movie's title with its year, e.g. ``"Buffy the Vampire Slayer (1992)"``."""
    return str(movies().at[movie_id, "title"])


def normalise(text: str) -> str:
    """``text`` as searched: accents and punctuation dropped, case folded, spaces single.

    >>> normalise("Who's That Girl? (1987)")
    'whos that girl 1987'
    >>> normalise("  Amélie  ")
    'amelie'
    """
    letters = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in letters if c.isalnum() or c.isspace()).casefold()
    return " ".join(kept.split())


def search_key(title: str) -> str:
    """A title's searchable text: as written and in natural order, normalised.

    ``"Matrix, The (1999)"`` -> ``"matrix the 1999 the matrix 1999"``.
    """
    written = title.casefold()
    moved = _MOVED_ARTICLE.sub(r"\2 \1\3", written)
    return normalise(written) if moved == written else f"{normalise(written)} {normalise(moved)}"


def movie_option(movie_id: int, title: str | None = None) -> dict:
    """A picker option for a movie: ``{"label": title, "value": id, "search": key}``."""
    title = movie_title(movie_id) if title is None else title
    return {"label": title, "value": int(movie_id), "search": search_key(title)}


@cache
def _search_index() -> pd.DataFrame:
    table = movies()
    return pd.DataFrame(
        {
            "key": [search_key(title) for title in table["title"]],
            "title": table["title"].to_numpy(),
            "n_train": table["n_train"].to_numpy(),
        },
        index=table.index,
    )


def search_movies(text: str | None, limit: int = MAX_OPTIONS) -> list[dict]:
    """Picker options for a typed title fragment, most-rated first.

    Every typed word (after :func:`normalise`) must occur in the title's key.

    Returns:
        Up to ``limit`` options (:func:`movie_option`); none when the typed text has
        fewer than two letters or digits, or is not a string.
    """
    words = normalise(text).split() if isinstance(text, str) else []
    if len("".join(words)) < 2:
        return []
    index = _search_index()
    hit = pd.Series(True, index=index.index)
    for word in words[:6]:
        hit &= index["key"].str.contains(word, regex=False)
    found = index[hit].sort_values("n_train", ascending=False).head(limit)
    return [movie_option(movie, title) for movie, title in found["title"].items()]
