"""Load and validate MovieLens 1M (Harper & Konstan 2015) into typed pandas tables.

Where the archive comes from, first match wins:

1. a path given by the caller (``--data`` on the command line): a ``ml-1m.zip`` or a folder
   holding ``ratings.dat``, ``movies.dat`` and ``users.dat`` (directly or in ``ml-1m/``);
2. the ``MOVIELENS_1M`` environment variable, same forms;
3. the development copy at ``../shared/data/ml-1m.zip`` beside the project;
4. the official archive from GroupLens, downloaded once by :mod:`pooch` into its cache
   and checked against the published MD5.

The license of MovieLens forbids redistribution, so nothing read here is ever committed.
Local files are validated by structure (fields, ranges, counts), not by checksum, since a
re-packed archive has a different hash.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.vocabulary import AGE_BANDS, GENRES, OCCUPATIONS
from models.dat_files import (  # noqa: F401  (DataError and FILES: part of this API)
    FILES,
    DataError,
    check_unique,
    read_members,
    split_fields,
    whole_numbers,
)
from models.regions import zip_to_region

OFFICIAL_URL = "https://files.grouplens.org/datasets/movielens/ml-1m.zip"
OFFICIAL_MD5 = "c4d9eecfca2ab87c1945afe126590906"
ENV_VAR = "MOVIELENS_1M"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_COPY = PROJECT_ROOT.parent / "shared" / "data" / "ml-1m.zip"


_YEAR = re.compile(r"\((\d{4})\)\s*$")


@dataclass(frozen=True)
class MovieLens:
    """MovieLens 1M as three typed tables.

    Attributes:
        ratings: one row per rating, in file order. Columns ``user_id`` (int32, 1..6040),
            ``movie_id`` (int32, 1..3952), ``rating`` (int8, 1..5 stars), ``timestamp``
            (int64, seconds since 1970; 0 where unknown).
        movies: one row per listed movie (3,883). Columns ``movie_id`` (int32), ``title``
            (str, HTML entities decoded), ``year`` (Int16, from the last "(YYYY)" of the
            title), ``genres`` (tuple of str, a subset of :data:`GENRES`).
        users: one row per user (6,040). Columns ``user_id`` (int32), ``gender`` ("M"/"F"),
            ``age`` (int8 band code, a key of :data:`AGE_BANDS`), ``age_band`` (str),
            ``occupation`` (int8, 0..20), ``occupation_name`` (str), ``zip_code`` (str, as
            written), ``region`` (str, see :func:`models.regions.zip_to_region`).
        source: where the data was read from (a path).
        sha256: SHA-256 of the archive (or of the three files concatenated for a folder).
    """

    ratings: pd.DataFrame
    movies: pd.DataFrame
    users: pd.DataFrame
    source: str
    sha256: str


def locate_archive(path: str | os.PathLike | None = None, download: bool = True) -> Path:
    """Find MovieLens 1M: ``path``, then ``$MOVIELENS_1M``, then the shared copy, then download.

    Args:
        path: a ``.zip`` file or a folder; ``None`` to search.
        download: whether step 4 (downloading the official archive with :mod:`pooch`,
            MD5-checked, into pooch's cache) is allowed.

    Returns:
        The path of a zip file or a folder.

    Raises:
        DataError: a given path (argument or environment variable) does not exist, or no
            copy is found and downloading is off or fails.
    """
    for given, origin in ((path, "the given path"), (os.environ.get(ENV_VAR), f"${ENV_VAR}")):
        if given:
            candidate = Path(given).expanduser()
            if not candidate.exists():
                raise DataError(f"MovieLens 1M not found at {candidate} ({origin}).")
            return candidate
    if SHARED_COPY.exists():
        return SHARED_COPY
    if not download:
        raise DataError(
            f"MovieLens 1M not found: pass a path, set ${ENV_VAR}, or allow the download."
        )
    return _download_official()


def _download_official() -> Path:
    try:
        import pooch  # the data extra: the app never downloads
    except ImportError as exc:
        raise DataError(
            "MovieLens 1M not found locally, and downloading it needs the data extra: "
            "pip install -e '.[data]' (or pass --data / set $MOVIELENS_1M)."
        ) from exc

    try:
        return Path(
            pooch.retrieve(
                OFFICIAL_URL,
                known_hash=f"md5:{OFFICIAL_MD5}",
                fname="ml-1m.zip",
                path=pooch.os_cache("recsys-explorable"),
                progressbar=True,
            )
        )
    except Exception as exc:  # network errors and checksum mismatches alike
        raise DataError(f"Could not download MovieLens 1M from {OFFICIAL_URL}: {exc}") from exc


#: ``ratings.dat``'s fields with their inclusive ranges.
RATING_FIELDS: dict[str, tuple[int, int]] = {
    "user_id": (1, 6040),
    "movie_id": (1, 3952),
    "rating": (1, 5),
    "timestamp": (0, 2**40),
}


def _ratings_fast(raw: bytes) -> pd.DataFrame | None:
    """``ratings.dat`` through pandas' C parser, or ``None`` at the least doubt.

    Only digits, ``::`` and newlines pass, no line is blank, there is one row per line
    and three separators per row, every column comes out as int64 within range: then
    each field is a whole number written as one and row ``i`` is line ``i + 1``. Anything
    else goes to the strict line-by-line parse, which names the problem. 1M rows: ~20x
    faster than splitting lines in Python.
    """
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
    if raw.translate(None, b"0123456789:\n") or raw.startswith(b"\n") or b"\n\n" in raw:
        return None
    tabbed = raw.replace(b"::", b"\t")
    lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    try:
        frame = pd.read_csv(
            io.BytesIO(tabbed),
            sep="\t",
            header=None,
            names=list(RATING_FIELDS),
            engine="c",
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError):  # also EmptyDataError
        return None
    # A fifth field on every line would silently become the index: count separators.
    if len(frame) != lines or tabbed.count(b"\t") != 3 * lines:
        return None
    for column, (low, high) in RATING_FIELDS.items():
        values = frame[column]
        if values.dtype != np.int64 or not values.between(low, high).all():
            return None
    return frame


def parse_ratings(raw: bytes) -> pd.DataFrame:
    """Parse ``ratings.dat`` (``UserID::MovieID::Rating::Timestamp``).

    Args:
        raw: the file's bytes.

    Returns:
        Columns ``user_id`` int32, ``movie_id`` int32, ``rating`` int8 (1..5),
        ``timestamp`` int64 (seconds; 0 where unknown).

    Raises:
        DataError: an empty file, or the first blank or malformed line, field that is not
            a whole number ("1.9"), or value out of range, naming the line.
    """
    frame = _ratings_fast(raw)
    if frame is None:
        name = "ratings.dat"
        text = split_fields(raw, name, list(RATING_FIELDS))
        frame = pd.DataFrame(
            {
                column: whole_numbers(text, column, name, low, high)
                for column, (low, high) in RATING_FIELDS.items()
            }
        )
    return frame.astype(
        {"user_id": np.int32, "movie_id": np.int32, "rating": np.int8, "timestamp": np.int64}
    )


def parse_year(title: str) -> int | None:
    """The release year: the last parenthesised four digits that end a title.

    ``"2001: A Space Odyssey (1968)"`` -> 1968; ``"Seven (Se7en) (1995)"`` -> 1995;
    ``"Jonah Who Will Be 25 in the Year 2000 (1976)"`` -> 1976; no such group -> ``None``.
    """
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def parse_movies(raw: bytes) -> pd.DataFrame:
    """Parse ``movies.dat`` (``MovieID::Title::Genres``; latin-1 officially, UTF-8 accepted).

    Titles keep their single colons; HTML entities (movie 3845's ``&#8230;``) are decoded
    once here so every view shows the same text. The encoding is detected by
    :func:`models.dat_files.decode_text`, which refuses text that would be mojibake.

    Returns:
        Columns ``movie_id`` int32, ``title`` str, ``year`` Int16 (nullable), ``genres``
        tuple[str, ...].

    Raises:
        DataError: an empty file, undecodable text, a blank or malformed line, an id that
            is not a whole number, an unknown genre, or a duplicate id, naming the line.
    """
    name = "movies.dat"
    frame = split_fields(raw, name, ["movie_id", "title", "genres"])
    movie_id = whole_numbers(frame, "movie_id", name, 1, 3952)
    check_unique(movie_id, name, "movie_id")
    titles = [html.unescape(title) for title in frame["title"]]
    genres = []
    known = set(GENRES)
    for number, text in enumerate(frame["genres"], start=1):
        parts = tuple(text.split("|"))
        unknown = [genre for genre in parts if genre not in known]
        if unknown:
            raise DataError(f"line {number} of {name}: unknown genre {unknown[0]!r}.")
        genres.append(parts)
    return pd.DataFrame(
        {
            "movie_id": movie_id.astype(np.int32),
            "title": titles,
            "year": pd.array([parse_year(t) for t in titles], dtype="Int16"),
            "genres": genres,
        }
    )


def parse_users(raw: bytes) -> pd.DataFrame:
    """Parse ``users.dat`` (``UserID::Gender::Age::Occupation::Zip-code``).

    Returns:
        Columns ``user_id`` int32, ``gender`` str ("M"/"F"), ``age`` int8 (band code),
        ``age_band`` str, ``occupation`` int8 (0..20), ``occupation_name`` str,
        ``zip_code`` str (leading zeros kept), ``region`` str.

    Raises:
        DataError: an empty file, undecodable text, a blank or malformed line, an id, age
            or occupation that is not a whole number, an unknown gender, age band or
            occupation, or a duplicate id, naming the line.
    """
    name = "users.dat"
    frame = split_fields(raw, name, ["user_id", "gender", "age", "occupation", "zip_code"])
    user_id = whole_numbers(frame, "user_id", name, 1, 6040)
    check_unique(user_id, name, "user_id")
    bad_gender = ~frame["gender"].isin(["M", "F"])
    if bad_gender.any():
        first = int(np.flatnonzero(bad_gender.to_numpy())[0])
        raise DataError(
            f"line {first + 1} of {name}: gender {frame['gender'].iat[first]!r} is not M or F."
        )
    age = whole_numbers(frame, "age", name, 1, 56)
    bad_age = ~np.isin(age, list(AGE_BANDS))
    if bad_age.any():
        first = int(np.flatnonzero(bad_age)[0])
        raise DataError(f"line {first + 1} of {name}: age band {age[first]} is not a known band.")
    occupation = whole_numbers(frame, "occupation", name, 0, 20)
    return pd.DataFrame(
        {
            "user_id": user_id.astype(np.int32),
            "gender": frame["gender"].to_numpy(dtype=str),
            "age": age.astype(np.int8),
            "age_band": [AGE_BANDS[a] for a in age],
            "occupation": occupation.astype(np.int8),
            "occupation_name": [OCCUPATIONS[o] for o in occupation],
            "zip_code": frame["zip_code"].to_numpy(dtype=str),
            "region": [zip_to_region(z) for z in frame["zip_code"]],
        }
    )


def _check_consistency(ratings: pd.DataFrame, movies: pd.DataFrame, users: pd.DataFrame) -> None:
    unknown_users = ~ratings["user_id"].isin(users["user_id"])
    unknown_movies = ~ratings["movie_id"].isin(movies["movie_id"])
    for mask, what in ((unknown_users, "user_id"), (unknown_movies, "movie_id")):
        if mask.any():
            first = int(np.flatnonzero(mask.to_numpy())[0])
            raise DataError(
                f"line {first + 1} of ratings.dat: {what} {ratings[what].iat[first]} is not "
                f"listed in {'users' if what == 'user_id' else 'movies'}.dat."
            )
    duplicated = ratings.duplicated(["user_id", "movie_id"])
    if duplicated.any():
        first = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DataError(f"line {first + 1} of ratings.dat: the same user rates a movie twice.")


def load_movielens(path: str | os.PathLike | None = None, download: bool = True) -> MovieLens:
    """Load and validate MovieLens 1M.

    Args:
        path: a ``ml-1m.zip`` or a folder; ``None`` searches as in :func:`locate_archive`.
        download: allow downloading the official archive if no local copy is found.

    Returns:
        A :class:`MovieLens` with 1,000,209 ratings, 3,883 movies and 6,040 users for the
        real dataset.

    Raises:
        DataError: a missing or unreadable archive, file or zip member (permissions, a
            corrupt or truncated stream, a bad CRC), or content that breaks the format
            (an empty file, undecodable text, a malformed line or value, a rating of an
            unlisted user or movie); the message names the file, the line where there is
            one, and the source.
    """
    source = locate_archive(path, download=download)
    raw, digest = read_members(source)
    try:
        ratings = parse_ratings(raw["ratings.dat"])
        movies = parse_movies(raw["movies.dat"])
        users = parse_users(raw["users.dat"])
        _check_consistency(ratings, movies, users)
    except DataError as error:  # say which copy is broken: $MOVIELENS_1M may point anywhere
        raise DataError(f"{source}: {error}") from error
    return MovieLens(ratings, movies, users, source=str(source), sha256=digest)
