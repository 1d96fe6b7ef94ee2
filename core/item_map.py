"""The map of the movies: EmbeddingMF's item embeddings on their first two principal axes.

:mod:`models.item_map` computes the projection offline (PCA of the centred item vectors)
and writes two artifacts; the app reads them and projects a reader's folded-in user vector
onto the same plane (Box 9's "you are here"). This module is the one place the projection's
formulas live.

``embedding_mf_item_map.parquet`` (:data:`ITEM_MAP`)
    one row per rated movie, in EmbeddingMF's item order: ``movie_id`` int16, ``x`` and
    ``y`` float32 (the movie's coordinates on the first and second principal axis, in the
    embedding's units), ``genres`` str (MovieLens' genres joined by ``|``).
``embedding_mf_item_map.json`` (:data:`PROJECTION`)
    ``mean`` (``k`` floats: the mean item vector), ``components`` (2 rows of ``k`` floats:
    unit-length, orthogonal principal axes), ``explained_variance_ratio`` (the share of the
    item vectors' total variance that each of the first :data:`N_REPORTED` axes keeps,
    largest first), ``n_items``, ``embedding_dim`` and ``orientation`` (which way each
    axis points, in words).

Projecting a user: a user vector ``w`` enters a prediction only through dot products
``w · q_i`` with the item vectors. Writing ``q_i = mean + x_i a_1 + y_i a_2 + rest``, the
part of ``w · q_i`` that the map shows is ``x_i (w · a_1) + y_i (w · a_2)``. So a user is
drawn at ``(w · a_1, w · a_2)``, without subtracting the item mean (users are not items):
the movies furthest in the user's direction from the centre get the largest push from
these two axes. Closeness of the user's point to a movie's point means nothing by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

ITEM_MAP = "embedding_mf_item_map.parquet"
PROJECTION = "embedding_mf_item_map.json"
#: How many principal axes' variance shares the projection file records.
N_REPORTED = 10


@dataclass(frozen=True)
class Projection:
    """A 2-D principal-component projection of item vectors.

    Attributes:
        mean: ``float64[k]``, the mean item vector.
        components: ``float64[2, k]``, unit-length orthogonal axes (x first).
        explained_variance_ratio: ``float64[m]`` (``m <= N_REPORTED``), share (0..1) of
            the total variance of the item vectors along each leading axis, largest first.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray

    @property
    def kept(self) -> float:
        """Share (0..1) of the item vectors' variance that the two drawn axes keep."""
        return float(self.explained_variance_ratio[:2].sum())

    def project_items(self, vectors: np.ndarray) -> np.ndarray:
        """``float64[n, 2]``: item vectors ``float[n, k]`` centred and projected."""
        return (np.asarray(vectors, dtype=np.float64) - self.mean) @ self.components.T

    def project_user(self, vector: np.ndarray) -> np.ndarray:
        """``float64[2]``: ``(w · a_1, w · a_2)`` of a user vector ``float[k]``.

        Raises:
            ValueError: the vector's length is not ``k``.
        """
        vector = np.asarray(vector, dtype=np.float64)
        if vector.shape != self.mean.shape:
            raise ValueError(f"a user vector has {self.mean.shape[0]} factors, got {vector.shape}")
        return self.components @ vector

    def to_json(self) -> dict:
        """The projection's fields as JSON-ready lists (see the module docstring)."""
        return {
            "mean": self.mean.tolist(),
            "components": self.components.tolist(),
            "explained_variance_ratio": self.explained_variance_ratio.tolist(),
            "embedding_dim": int(self.mean.shape[0]),
        }

    @classmethod
    def from_json(cls, payload: Mapping) -> Projection:
        """The projection stored by :meth:`to_json` (``embedding_mf_item_map.json``).

        Raises:
            ValueError: the mean and the axes disagree on ``k``, or there are not 2 axes.
        """
        mean = np.asarray(payload["mean"], dtype=np.float64)
        components = np.asarray(payload["components"], dtype=np.float64)
        if components.shape != (2, mean.shape[0]):
            raise ValueError(
                f"{PROJECTION}: components have shape {components.shape}, "
                f"expected (2, {mean.shape[0]})"
            )
        ratios = np.asarray(payload["explained_variance_ratio"], dtype=np.float64)
        return cls(mean, components, ratios)
