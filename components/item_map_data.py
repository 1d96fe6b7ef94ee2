"""The map of the movies as data: the table behind both maps, and the file the browser fetches.

The map (:mod:`components.item_map`) and Box 9's "you are here" draw the same 3,706 points.
Shipping them in the page's layout would add about 90 KB (compressed) to every first visit,
so they travel as one JSON file, fetched by the browser when a map comes near the screen
(``assets/item_map.js``) and cached for good: its URL carries a hash of its content.

Artifacts: ``embedding_mf_item_map.parquet`` and ``.json`` (:mod:`core.item_map`) and
``movies.parquet`` (titles, training counts and means).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

import numpy as np
import pandas as pd

from components.artifacts import ArtifactError, read_json, read_table
from core.item_map import ITEM_MAP, PROJECTION, Projection
from core.vocabulary import GENRES, STORY_COMPARE, STORY_MOVIE

#: Where the app serves the points (below the request prefix); ``?v=`` names the version.
DATA_PATH = "_data/item-map.json"
#: The two movies of the story (Box 7), marked on every map.
MARKED = (STORY_MOVIE, STORY_COMPARE)
#: Coordinates are drawn, not read: 3 decimals are far below a pixel.
DECIMALS = 3


@cache
def projection() -> Projection:
    """The map's PCA (mean, two axes, variance shares).

    Raises:
        ArtifactError: the projection file is missing, damaged or inconsistent.
    """
    try:
        return Projection.from_json(read_json(PROJECTION))
    except (KeyError, ValueError, TypeError) as error:
        raise ArtifactError(f"{PROJECTION} cannot be used ({error}).") from error


@cache
def map_table() -> pd.DataFrame:
    """One row per rated movie: ``movie_id``, ``x``, ``y``, ``genres`` (tuple of names),
    ``title``, ``n_train`` (training ratings) and ``mean_train`` (stars, NaN without any).

    Raises:
        ArtifactError: the map and the movie table do not list the same movies.
    """
    points = read_table(ITEM_MAP)
    movies = read_table("movies.parquet")
    if not np.array_equal(points["movie_id"].to_numpy(), movies["movie_id"].to_numpy()):
        raise ArtifactError(f"{ITEM_MAP} and movies.parquet list different movies.")
    table = points[["movie_id", "x", "y"]].copy()
    table["genres"] = [tuple(text.split("|")) if text else () for text in points["genres"]]
    for column in ("title", "n_train", "mean_train"):
        table[column] = movies[column].to_numpy()
    return table


def genre_bits(genres: pd.Series) -> list[int]:
    """Each movie's genres as one integer: bit ``j`` set for ``GENRES[j]`` (18 bits)."""
    position = {name: bit for bit, name in enumerate(GENRES)}
    return [sum(1 << position[name] for name in names if name in position) for names in genres]


def payload() -> dict:
    """What the browser draws: columns of equal length, one entry per movie.

    Returns:
        ``{"genres": GENRES, "marked": [movie ids], "explained": [variance shares],
        "movie_id", "x", "y", "title", "n" (training ratings), "mean" (stars, 2 decimals,
        None without ratings), "genre_bits"}``.
    """
    table = map_table()
    means = table["mean_train"].to_numpy(dtype=np.float64)
    return {
        "genres": list(GENRES),
        "marked": list(MARKED),
        "explained": [round(float(v), 4) for v in projection().explained_variance_ratio[:2]],
        "movie_id": table["movie_id"].astype(int).tolist(),
        "x": np.round(table["x"].to_numpy(np.float64), DECIMALS).tolist(),
        "y": np.round(table["y"].to_numpy(np.float64), DECIMALS).tolist(),
        "title": table["title"].astype(str).tolist(),
        "n": table["n_train"].astype(int).tolist(),
        "mean": [None if np.isnan(value) else round(float(value), 2) for value in means],
        "genre_bits": genre_bits(table["genres"]),
    }


@cache
def payload_bytes() -> bytes:
    """:func:`payload` as compact JSON (UTF-8), built once per process."""
    return json.dumps(payload(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@cache
def payload_version() -> str:
    """The first 16 hex digits of the payload's SHA-256 (changes with the artifacts)."""
    return hashlib.sha256(payload_bytes()).hexdigest()[:16]


def data_url() -> str:
    """The payload's URL relative to the request prefix, versioned by content."""
    return f"{DATA_PATH}?v={payload_version()}"
