"""DeepFM scored with numpy from its exported arrays (no torch).

The one copy of DeepFM's inference apart from the torch module that trains it
(:class:`models.deepfm.DeepFM`; Guo et al. 2017, eqs. 1-5, used as a rating regression
without the final sigmoid). A test checks that the two agree to 1e-5 on the same weights.

Four fields share one embedding table ``V`` (rows ``[offset_f, offset_f + d_f)`` belong
to field ``f``, ``field_dims = (n_users, n_items, 18 + 1, 21)``): user, movie, the movie's
genres (multi-hot, padded with ``padding_index``) and the user's occupation. A multi-hot
field is pooled into the mean of its non-padding rows (``embedding_bag(mode="mean")``),
for the latent vectors and the order-1 weights alike; a row of padding only gives zeros.
With ``e_f`` the pooled vector of field ``f`` and ``w`` the order-1 weights::

    y_FM  = w_0 + sum_f w_f + 1/2 sum_k [(sum_f e_fk)^2 - sum_f e_fk^2]
    y_DNN = W_out relu(... relu(W_1 [e_1; ...; e_m] + b_1) ...) + b_out
    y     = y_FM + y_DNN                      (stars, unbounded)

Dropout is off at inference (``model.eval()``), so it does not appear here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from core.vocabulary import GENRES

#: The most genres any MovieLens 1M movie has (movie 1205 has 6).
MAX_GENRES = 6
#: Raw index of the padding slot inside the genres field: one past the last real genre.
GENRE_PADDING = len(GENRES)
#: Rows scored per chunk: bounds memory to a few hundred MB for 512-wide inputs.
CHUNK = 50_000


def genre_matrix(genres: Sequence[Sequence[str]], max_genres: int = MAX_GENRES) -> np.ndarray:
    """Raw multi-hot genre indices, one padded row per movie.

    Args:
        genres: per movie, its genre names (each in :data:`models.data.GENRES`).
        max_genres: slots per row.

    Returns:
        ``int64[n_movies, max_genres]``: positions in ``GENRES`` in the movie's order, then
        :data:`GENRE_PADDING` in the empty slots.

    Raises:
        ValueError: an unknown genre, a repeated genre, or more than ``max_genres``.
    """
    position = {name: index for index, name in enumerate(GENRES)}
    matrix = np.full((len(genres), max_genres), GENRE_PADDING, dtype=np.int64)
    for row, names in enumerate(genres):
        if len(names) > max_genres or len(set(names)) != len(names):
            raise ValueError(
                f"Movie row {row}: genres {tuple(names)} repeat or exceed {max_genres}."
            )
        unknown = [name for name in names if name not in position]
        if unknown:
            raise ValueError(f"Movie row {row}: unknown genre {unknown[0]!r}.")
        matrix[row, : len(names)] = [position[name] for name in names]
    return matrix


@dataclass(frozen=True)
class DeepFMWeights:
    """DeepFM's exported arrays (``precomputed/deepfm_*.npy``).

    Attributes:
        field_dims: ``int[m]`` rows per field in the shared table (user, movie, genres
            with its padding row, occupation).
        padding_index: the table row of an empty genre slot (excluded from the means).
        embedding: ``float[sum(field_dims), k]`` latent vectors ``V`` (float16 or float32
            on disk; widened to float32 here).
        linear: ``float32[sum(field_dims)]`` order-1 weights ``w_i``.
        global_bias: ``float32[1]``: ``w_0``.
        hidden_weights: per hidden layer ``float32[out, in]`` (torch's ``nn.Linear`` layout),
            the first one ``in = m * k``.
        hidden_biases: per hidden layer ``float32[out]``.
        output_weight: ``float32[1, last hidden width]``.
        output_bias: ``float32[1]``.

    Raises:
        ValueError: the shapes do not chain (see :meth:`check`).
    """

    field_dims: np.ndarray
    padding_index: int
    embedding: np.ndarray
    linear: np.ndarray
    global_bias: np.ndarray
    hidden_weights: tuple[np.ndarray, ...]
    hidden_biases: tuple[np.ndarray, ...]
    output_weight: np.ndarray
    output_bias: np.ndarray

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise ``ValueError`` unless every shape matches ``field_dims`` and the layers chain."""
        rows, k = self.embedding.shape
        if int(np.sum(self.field_dims)) != rows or self.linear.shape != (rows,):
            raise ValueError(
                f"DeepFM table has {rows} rows and {self.linear.shape} order-1 weights "
                f"for field_dims {list(self.field_dims)}."
            )
        if not 0 <= self.padding_index < rows:
            raise ValueError(f"padding_index {self.padding_index} outside the {rows} rows.")
        width = len(self.field_dims) * k
        layers = [*zip(self.hidden_weights, self.hidden_biases, strict=True)]
        for weight, bias in [*layers, (self.output_weight, self.output_bias)]:
            if weight.ndim != 2 or weight.shape[1] != width or bias.shape != (weight.shape[0],):
                raise ValueError(f"DeepFM layer {weight.shape} + {bias.shape} after width {width}.")
            width = weight.shape[0]
        if width != 1 or self.global_bias.shape != (1,):
            raise ValueError("DeepFM must end in one output and one global bias.")

    @property
    def offsets(self) -> np.ndarray:
        """``int64[m]``: first table row of each field."""
        return np.concatenate(([0], np.cumsum(self.field_dims)[:-1])).astype(np.int64)

    def _pooled(self, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mean of ``table`` over the non-padding entries of ``rows`` (``int[B, L]``)."""
        real = rows != self.padding_index
        total = (table[rows] * real[..., None]).sum(axis=1)
        count = real.sum(axis=1, keepdims=True).astype(np.float32)
        return total / np.maximum(count, 1.0)

    def _score(self, fields: list[np.ndarray]) -> np.ndarray:
        """``float32[B]`` predictions for one chunk; ``fields`` are table rows per field."""
        embedding = self.embedding
        vectors, order_1 = [], np.full(len(fields[0]), self.global_bias[0], np.float32)
        for rows in fields:
            if rows.ndim == 1:
                vectors.append(embedding[rows])
                order_1 += self.linear[rows]
            else:
                vectors.append(self._pooled(embedding, rows))
                order_1 += self._pooled(self.linear[:, None], rows)[:, 0]
        stacked = np.stack(vectors, axis=1)  # [B, m, k]
        square_of_sum = stacked.sum(axis=1) ** 2
        sum_of_squares = (stacked**2).sum(axis=1)
        pairs = 0.5 * (square_of_sum - sum_of_squares).sum(axis=1)
        hidden = stacked.reshape(len(stacked), -1)
        for weight, bias in zip(self.hidden_weights, self.hidden_biases, strict=True):
            hidden = np.maximum(hidden @ weight.T + bias, 0.0)
        deep = (hidden @ self.output_weight.T)[:, 0] + self.output_bias[0]
        return (order_1 + pairs + deep).astype(np.float32)

    def predict(
        self,
        user_rows: np.ndarray,
        item_rows: np.ndarray,
        item_genres: np.ndarray,
        user_occupation: np.ndarray,
        chunk: int = CHUNK,
    ) -> np.ndarray:
        """``float32[N]`` predicted stars of ``N`` (user row, item row) pairs.

        Args:
            user_rows: ``int[N]`` rows in the user id map (``user_ids``), ``0 <= u < d_0``.
            item_rows: ``int[N]`` rows in the item id map, ``0 <= i < d_1``.
            item_genres: ``int[d_1, L]`` raw genre positions per item row (0..17, and
                ``d_2 - 1`` for an empty slot), as :func:`models.features.genre_matrix`.
            user_occupation: ``int[d_0]`` occupation code (0..20) per user row.
            chunk: rows per numpy batch (memory bound, not a result).

        Returns:
            ``float32[N]``, unbounded stars (DeepFM has no output squashing).

        Raises:
            ValueError: an index outside its field.
        """
        user_rows = np.asarray(user_rows, dtype=np.int64)
        item_rows = np.asarray(item_rows, dtype=np.int64)
        raw = {
            "user": (user_rows, 0),
            "item": (item_rows, 1),
            "genres": (np.asarray(item_genres, dtype=np.int64), 2),
            "occupation": (np.asarray(user_occupation, dtype=np.int64), 3),
        }
        for name, (values, field) in raw.items():
            if values.size and (values.min() < 0 or values.max() >= self.field_dims[field]):
                raise ValueError(f"DeepFM {name} index outside [0, {self.field_dims[field]}).")
        offsets = self.offsets
        genres = raw["genres"][0] + offsets[2]
        occupation = raw["occupation"][0] + offsets[3]
        scores = np.empty(len(user_rows), dtype=np.float32)
        for start in range(0, len(scores), chunk):
            users, items = user_rows[start : start + chunk], item_rows[start : start + chunk]
            fields = [users, items + offsets[1], genres[items], occupation[users]]
            scores[start : start + chunk] = self._score(fields)
        return scores

    #: The array names, as in ``deepfm_<name>.npy`` (hidden layers add ``hidden_<n>_*``).
    ARRAYS = ("field_dims", "embedding", "linear", "global_bias", "output_weight", "output_bias")

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> DeepFMWeights:
        """Build from the exported arrays, name -> array (``deepfm_`` prefix removed).

        Expects :data:`ARRAYS` plus ``hidden_1_weight``, ``hidden_1_bias``, ... in order;
        ``field_dims`` gives the padding row (the last row of the genres field).

        Raises:
            KeyError: an array is missing. ValueError: shapes do not chain.
        """
        field_dims = np.asarray(arrays["field_dims"], dtype=np.int64)
        n_hidden = sum(name.startswith("hidden_") and name.endswith("_bias") for name in arrays)
        return cls(
            field_dims=field_dims,
            padding_index=int(field_dims[:3].sum() - 1),
            embedding=np.asarray(arrays["embedding"], dtype=np.float32),
            linear=np.asarray(arrays["linear"], dtype=np.float32),
            global_bias=np.asarray(arrays["global_bias"], dtype=np.float32).reshape(1),
            hidden_weights=tuple(
                np.asarray(arrays[f"hidden_{n}_weight"], np.float32) for n in range(1, n_hidden + 1)
            ),
            hidden_biases=tuple(
                np.asarray(arrays[f"hidden_{n}_bias"], np.float32) for n in range(1, n_hidden + 1)
            ),
            output_weight=np.asarray(arrays["output_weight"], dtype=np.float32),
            output_bias=np.asarray(arrays["output_bias"], dtype=np.float32).reshape(1),
        )
