"""The map of the movies: PCA of EmbeddingMF's item embeddings, written for the app.

``python -m models.item_map`` rebuilds :data:`core.item_map.ITEM_MAP` and
:data:`core.item_map.PROJECTION` from the data and the committed EmbeddingMF weights,
without training and without torch; the pipeline runs the same writer after training
(:data:`models.pipeline.WRITERS`). See :mod:`core.item_map` for what the files hold and
how a user vector is projected.

Why PCA: it is linear, so a user vector can be projected onto the same plane with the same
two axes (a t-SNE or UMAP map has no such projection for a new point), it is deterministic,
and the share of variance it keeps says honestly how much of the 128 dimensions the picture
shows. It is computed here with numpy's SVD of the centred item vectors (float64).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.item_map import ITEM_MAP, N_REPORTED, PROJECTION, Projection
from models.catalogue import embedding_mf_arrays, rebuild_from_weights
from models.export import write_json
from models.prepare import PreparedData


def principal_axes(vectors: np.ndarray, n_reported: int = N_REPORTED) -> Projection:
    """The first two principal axes of ``vectors`` and the variance shares of the leading ones.

    Args:
        vectors: ``float[n, k]`` item vectors, ``n >= 2``, ``k >= 2``.
        n_reported: how many leading axes' variance shares to keep.

    Returns:
        A :class:`core.item_map.Projection`; each axis's sign as numpy's SVD gives it
        (see :func:`orient`).

    Raises:
        ValueError: fewer than two vectors or factors, or no variance at all.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or min(vectors.shape) < 2:
        raise ValueError(f"PCA needs at least 2 vectors of 2 factors, got {vectors.shape}")
    mean = vectors.mean(axis=0)
    _, singular, axes = np.linalg.svd(vectors - mean, full_matrices=False)
    variance = singular**2
    if variance.sum() == 0:
        raise ValueError("the item vectors are all equal: there is nothing to project")
    ratio = variance / variance.sum()
    return Projection(mean, axes[:2].copy(), ratio[:n_reported].copy())


def orient(projection: Projection, vectors: np.ndarray, follows: np.ndarray) -> Projection:
    """Flip each axis so that it grows with ``follows[:, axis]`` (an SVD's signs are arbitrary).

    Args:
        projection: from :func:`principal_axes`.
        vectors: ``float[n, k]`` the projected item vectors.
        follows: ``float[n, 2]``, per item what each axis should increase with (here the
            mean training rating for x and the log number of training ratings for y).

    Returns:
        The projection with each axis multiplied by the sign of its correlation with its
        column of ``follows`` (+1 when the correlation is zero).
    """
    coordinates = projection.project_items(vectors)
    signs = np.ones(2)
    for axis in range(2):
        if np.std(follows[:, axis]) > 0 and np.std(coordinates[:, axis]) > 0:
            correlation = np.corrcoef(coordinates[:, axis], follows[:, axis])[0, 1]
            signs[axis] = -1.0 if correlation < 0 else 1.0
    return Projection(
        projection.mean, projection.components * signs[:, None], projection.explained_variance_ratio
    )


def _item_statistics(data: PreparedData) -> np.ndarray:
    """``float64[n_items, 2]``: each movie's mean training rating (the overall mean where it
    has none) and ``log(1 + number of training ratings)``."""
    items = data.item_index[data.train_mask]
    counts = np.bincount(items, minlength=len(data.item_ids)).astype(np.float64)
    sums = np.bincount(items, weights=data.rating[data.train_mask], minlength=len(data.item_ids))
    overall = float(data.rating[data.train_mask].mean())
    means = np.divide(sums, counts, out=np.full_like(sums, overall), where=counts > 0)
    return np.column_stack([means, np.log1p(counts)])


def build_item_map(
    data: PreparedData, item_embedding: np.ndarray
) -> tuple[pd.DataFrame, Projection]:
    """The map table (see :mod:`core.item_map`) and its oriented projection.

    Raises:
        ValueError: the embedding's rows are not the data's rated movies.
    """
    if len(item_embedding) != len(data.item_ids):
        raise ValueError(
            f"{len(item_embedding)} item vectors for {len(data.item_ids)} rated movies."
        )
    projection = orient(principal_axes(item_embedding), item_embedding, _item_statistics(data))
    coordinates = projection.project_items(item_embedding).astype(np.float32)
    genres = data.movielens.movies.set_index("movie_id")["genres"].reindex(data.item_ids)
    table = pd.DataFrame(
        {
            "movie_id": data.item_ids.astype(np.int16),
            "x": coordinates[:, 0],
            "y": coordinates[:, 1],
            "genres": ["|".join(names) for names in genres],
        }
    )
    return table, projection


def write_item_map(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write the map table and its projection into ``stage``; nothing without EmbeddingMF.

    Raises:
        ValueError: EmbeddingMF's item ids are not the data's rated movies.
    """
    arrays, _ = embedding_mf_arrays(models, stage)
    if not arrays:
        return []
    if not np.array_equal(arrays["item_ids"], data.item_ids):
        raise ValueError("EmbeddingMF item ids do not match the data's rated movies.")
    table, projection = build_item_map(data, arrays["item_embedding"])
    table.to_parquet(stage / ITEM_MAP, index=False, compression="zstd")
    payload = {
        **projection.to_json(),
        "n_items": len(table),
        "method": "PCA: SVD of the centred EmbeddingMF item embeddings (numpy, float64)",
        "orientation": {
            "x": "first principal axis, signed to grow with the mean training rating",
            "y": "second principal axis, signed to grow with the number of training ratings",
        },
    }
    write_json(stage / PROJECTION, payload)
    return [ITEM_MAP, PROJECTION]


#: The map's one writer, as the pipeline runs it.
WRITERS = (write_item_map,)


def main(argv: list[str] | None = None) -> int:
    """Rebuild the map's files from the data and the committed weights, through ``export``."""
    return rebuild_from_weights(
        "python -m models.item_map", __doc__, WRITERS, (ITEM_MAP, PROJECTION), argv
    )


if __name__ == "__main__":
    raise SystemExit(main())
