"""DeepFM's sparse fields: user, movie, the movie's genres (multi-hot) and the user's occupation.

DeepFM (Guo et al. 2017) looks every field value up in one shared embedding table, so each
field owns a disjoint block of rows. With ``field_dims = (d_0, d_1, ...)`` field ``f``
owns rows ``[offset_f, offset_f + d_f)`` where ``offset_f = d_0 + ... + d_{f-1}``:

===========  ============================================  ==========================
field        raw index (inside the field)                  size
===========  ============================================  ==========================
user         row of :attr:`PreparedData.user_ids`           all users (6,040)
movie        row of :attr:`PreparedData.item_ids`           all rated movies (3,706)
genres       position in :data:`models.data.GENRES`, and    18 genres + 1 padding row
             :data:`GENRE_PADDING` (= 18) for empty slots
occupation   MovieLens occupation code                      21 (codes 0..20)
===========  ============================================  ==========================

Sizes come from the full vocabularies, never from the rows at hand, so a user who is only
in the test split still has a row of their own. Raw indices are checked against their
field's size *before* the offset is added: an out-of-range raw index would otherwise land
silently in the next field's block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.deepfm import GENRE_PADDING, MAX_GENRES, genre_matrix  # noqa: F401  (this API)
from core.vocabulary import GENRES
from models.prepare import PreparedData

#: Field names in table order.
FIELD_NAMES: tuple[str, ...] = ("user", "movie", "genres", "occupation")
#: Occupation codes in MovieLens 1M: 0..20.
N_OCCUPATIONS = 21


class FieldRangeError(ValueError):
    """A raw field index lies outside ``[0, field_dim)`` of its field."""


@dataclass(frozen=True)
class FieldLayout:
    """Where each field's rows sit in the shared embedding table.

    Attributes:
        field_names: one name per field, in table order.
        field_dims: rows per field (vocabulary size, padding row included), all > 0.

    Raises:
        ValueError: names and sizes differ in number, a name repeats, or a size is < 1.
    """

    field_names: tuple[str, ...]
    field_dims: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.field_names) != len(self.field_dims):
            raise ValueError(f"{len(self.field_names)} names for {len(self.field_dims)} fields.")
        if len(set(self.field_names)) != len(self.field_names):
            raise ValueError(f"Field names repeat: {self.field_names}.")
        if min(self.field_dims, default=0) < 1:
            raise ValueError(f"Every field needs at least one row, got {self.field_dims}.")

    @property
    def offsets(self) -> tuple[int, ...]:
        """First row of each field in the shared table: ``(0, d_0, d_0 + d_1, ...)``."""
        return tuple(int(x) for x in np.cumsum((0, *self.field_dims[:-1])))

    @property
    def n_features(self) -> int:
        """Rows of the shared table: ``sum(field_dims)``."""
        return int(sum(self.field_dims))

    def field_range(self, name: str) -> range:
        """The rows of field ``name`` in the shared table, ``range(start, stop)``.

        Raises:
            KeyError: unknown field name.
        """
        if name not in self.field_names:
            raise KeyError(f"Unknown field {name!r}; fields are {self.field_names}.")
        position = self.field_names.index(name)
        start = self.offsets[position]
        return range(start, start + self.field_dims[position])

    def to_global(self, name: str, raw: np.ndarray) -> np.ndarray:
        """Shift raw indices of field ``name`` into the shared table.

        Args:
            name: a field name.
            raw: integer array of any shape, each value in ``[0, field_dim)``.

        Returns:
            ``int64`` array of the same shape: ``raw + offset``.

        Raises:
            FieldRangeError: a raw value is negative or ``>= field_dim`` (the message names
                the field, the value and the allowed range); checked before shifting.
            KeyError: unknown field name.
        """
        rows = self.field_range(name)
        raw = np.asarray(raw)
        if not np.issubdtype(raw.dtype, np.integer):
            raise FieldRangeError(f"Field {name!r} needs integer indices, got {raw.dtype}.")
        bad = (raw < 0) | (raw >= len(rows))
        if bad.any():
            raise FieldRangeError(
                f"Field {name!r}: raw index {int(raw[bad].flat[0])} outside [0, {len(rows)}) "
                f"({int(bad.sum())} bad values)."
            )
        return raw.astype(np.int64) + rows.start

    @property
    def padding_index(self) -> int:
        """Row of the genre padding slot in the shared table (inside the genres field)."""
        return self.field_range("genres").start + GENRE_PADDING


def movielens_layout(n_users: int, n_items: int) -> FieldLayout:
    """The layout of :data:`FIELD_NAMES` for ``n_users`` users and ``n_items`` movies.

    Returns:
        ``field_dims = (n_users, n_items, 18 + 1, 21)``.
    """
    return FieldLayout(FIELD_NAMES, (n_users, n_items, len(GENRES) + 1, N_OCCUPATIONS))


@dataclass(frozen=True)
class DeepFMFeatures:
    """DeepFM's inputs for every rating, already shifted into the shared table.

    Attributes:
        layout: the field layout the indices refer to.
        user: ``int64[N]`` rows in the user field.
        movie: ``int64[N]`` rows in the movie field.
        genres: ``int64[N, MAX_GENRES]`` rows in the genres field; empty slots hold
            ``layout.padding_index``.
        occupation: ``int64[N]`` rows in the occupation field.
    """

    layout: FieldLayout
    user: np.ndarray
    movie: np.ndarray
    genres: np.ndarray
    occupation: np.ndarray

    def tensors(self, mask: np.ndarray) -> tuple[torch.Tensor, ...]:
        """``(user, movie, genres, occupation)`` LongTensors of the rows where ``mask`` holds.

        Shapes ``[M]``, ``[M]``, ``[M, MAX_GENRES]``, ``[M]`` for ``M = mask.sum()``, in the
        order :class:`models.deepfm.DeepFM` takes them.
        """
        return tuple(
            torch.from_numpy(np.ascontiguousarray(array[mask]))
            for array in (self.user, self.movie, self.genres, self.occupation)
        )


def build_features(data: PreparedData) -> DeepFMFeatures:
    """DeepFM's four fields for every rating of ``data`` (file order, train and test).

    Genres come from ``movies.dat`` through the item id map, occupations from ``users.dat``
    through the user id map.

    Returns:
        A :class:`DeepFMFeatures` with ``field_dims = (len(user_ids), len(item_ids), 19, 21)``.

    Raises:
        FieldRangeError: a raw index outside its field (e.g. an occupation code > 20).
        KeyError: a rated movie or a user missing from the movies/users tables.
    """
    movielens = data.movielens
    layout = movielens_layout(len(data.user_ids), len(data.item_ids))
    movies = movielens.movies.set_index("movie_id")
    users = movielens.users.set_index("user_id")
    item_genres = genre_matrix(movies.loc[data.item_ids, "genres"].tolist())
    user_occupation = users.loc[data.user_ids, "occupation"].to_numpy().astype(np.int64)
    return DeepFMFeatures(
        layout=layout,
        user=layout.to_global("user", data.user_index),
        movie=layout.to_global("movie", data.item_index),
        genres=layout.to_global("genres", item_genres)[data.item_index],
        occupation=layout.to_global("occupation", user_occupation)[data.user_index],
    )
