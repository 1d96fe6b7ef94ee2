"""EmbeddingMF scored with numpy from its exported arrays: predict, fold-in and top-k.

Pure numpy, no Dash and no torch: the app (Box 9), the offline writers
(:mod:`models.catalogue`, :mod:`models.user_views`) and the tests share this one copy of the
formula; the only other is the torch module that trains it (:mod:`models.embedding_mf`), and
a test checks that the two agree to 1e-5 on the committed weights.

The model predicts ``r_hat(u, i) = low + (high - low) * sigmoid(eta_ui)`` with
``eta_ui = p_u . q_i + b_u + b_i`` and ``(low, high)`` its rating range (the article:
``(0, 5.5)``, recorded in the manifest). Item vectors ``q_i`` and biases ``b_i`` stay fixed
in a fold-in; only the reader's ``x = [p_u; b_u]`` (``k + 1`` numbers, 129 for the article's
128 latent factors) is estimated from their ratings ``r_j`` of movies ``j = 1..m`` (the
"fold-in" of Koren, Bell & Volinsky 2009; Sarwar et al. 2002). Write ``a_j = [q_j; 1]`` and
``A`` for the ``m x (k + 1)`` matrix of rows ``a_j``.

Step 1, the closed form in logit space. Each rating becomes the logit the sigmoid range
would need to produce it, ``z_j = logit(clip((r_j - low) / (high - low), 0.02, 0.98))``
(1 star -> -1.50, 5 stars -> 2.30 for ``(0, 5.5)``), and ridge regression gives::

    x0 = (A^T A + lambda I)^-1 A^T (z - b)

Step 2, Gauss-Newton on the training loss. EmbeddingMF was trained on squared error in
stars, not in logits, so :data:`GAUSS_NEWTON_STEPS` steps refine ``x0`` on
``sum_j (r_j - r_hat_j)^2 + lambda |x|^2``. Each step is again a closed-form weighted ridge
regression (iteratively reweighted least squares): with ``g_j = (high - low) s_j (1 - s_j)``
the slope of the sigmoid range at the current ``eta_j``, weights ``w_j = g_j^2`` and working
targets ``y_j = a_j . x + (r_j - r_hat_j) / g_j``::

    x <- (A^T W A + lambda I)^-1 A^T W y

Why both: the logit form alone over-weights extreme ratings (a 5 maps to a large logit the
model never needs to reach, since 5.5 is its ceiling); the Gauss-Newton steps fit the loss
the item vectors were trained for, and converge in two or three steps from ``x0``.

The ridge weight grows with the number of ratings, ``lambda = c * sqrt(m)``: a reader with
one rating is pulled only gently towards the average, while a heavy rater's vector is kept
as smooth as the trained model's. The scale ``c`` is not a constant here:
:func:`models.catalogue.choose_ridge` picks it on the training split only (fold in a sample
of training users from their training ratings, and keep the ``c`` whose predictions over all
movies come closest to those of the users' trained vectors), and writes it with the grid and
the error of each value to ``precomputed/embedding_mf_fold_in.json``. The test split is never
used to choose it. (Holding out part of each user's training ratings was tried first, but
those ratings also trained the item vectors, so that check favours too little shrinkage.)

Because the last step is linear in the working targets, the solution splits exactly into one
part per rated movie: ``x = sum_j c_j`` with ``c_j = (A^T W A + lambda I)^-1 a_j w_j y_j``.
The contribution of rated movie ``j`` to recommended movie ``i``'s dot product is
``q_i . c_j[:k]``: that is how :func:`reasons` explains a recommendation.

Top-k lists everywhere use :func:`top_k_mask` (or :func:`top_rows` for one list): highest
score first, ties to the lower id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.quoting import quote_input
from core.top_k import top_rows
from core.vocabulary import DEFAULT_RATING_RANGE, STARS, TOP_K

#: Most ratings one update may hold (a reader rating the whole catalogue is not a reader).
MAX_RATINGS = 500
#: Targets of the logit start are clipped to (CLIP, 1 - CLIP) of the range.
CLIP = 0.02
#: Refinement steps after the closed-form start (see the module docstring).
GAUSS_NEWTON_STEPS = 3


class RatingError(ValueError):
    """The reader's ratings cannot be used: bad stars, unknown movie ids, too many."""


@dataclass(frozen=True)
class ItemFactors:
    """The fixed half of EmbeddingMF plus what the cold-start list needs.

    Attributes:
        item_ids: ``int32[n]`` sorted MovieLens movie ids (row -> id).
        item_embedding: ``float32[n, k]`` item vectors ``q_i``.
        item_bias: ``float32[n]`` item biases ``b_i``.
        cold_start: ``int64[TOP_K]`` rows of the cold-start list, best first.
        ridge_scale: ``c`` > 0 in ``lambda = c * sqrt(m)`` (``embedding_mf_fold_in.json``).
        rating_range: ``(low, high)`` of the sigmoid range, stars (from the manifest,
            :func:`core.artifacts.rating_range`).
    """

    item_ids: np.ndarray
    item_embedding: np.ndarray
    item_bias: np.ndarray
    cold_start: np.ndarray
    ridge_scale: float
    rating_range: tuple[float, float] = DEFAULT_RATING_RANGE

    def ridge(self, n_ratings: int) -> float:
        """``lambda`` for a reader with ``n_ratings`` ratings: ``c * sqrt(max(m, 1))``."""
        return self.ridge_scale * float(np.sqrt(max(n_ratings, 1)))

    @property
    def dim(self) -> int:
        """``k``, the number of latent factors."""
        return int(self.item_embedding.shape[1])

    def rows_of(self, movie_ids: np.ndarray) -> np.ndarray:
        """Rows of ``movie_ids`` in :attr:`item_ids` (``int64``).

        Raises:
            RatingError: an id is not a rated MovieLens movie.
        """
        movie_ids = np.asarray(movie_ids, dtype=np.int64)
        rows = np.clip(np.searchsorted(self.item_ids, movie_ids), 0, len(self.item_ids) - 1)
        unknown = self.item_ids[rows] != movie_ids
        if unknown.any():
            raise RatingError(f"Unknown movie id {int(movie_ids[unknown][0])}.")
        return rows.astype(np.int64)


@dataclass(frozen=True)
class UserFit:
    """A folded-in reader.

    Attributes:
        vector: ``float64[k]`` user vector ``p_u``.
        bias: user bias ``b_u``.
        rows: ``int64[m]`` item rows of the rated movies, in the order given.
        parts: ``float64[k + 1, m]``; column ``j`` is rated movie ``j``'s share of
            ``[p_u; b_u]`` (the columns sum to it). Empty ``(k + 1, 0)`` with no ratings.
    """

    vector: np.ndarray
    bias: float
    rows: np.ndarray
    parts: np.ndarray


def cold_start_rows(n_ratings: np.ndarray, mean_rating: np.ndarray, min_ratings: int = 500):
    """The cold-start list: popular, well-rated movies, for a reader with no ratings.

    Args:
        n_ratings: ``int[n]`` training ratings per item row.
        mean_rating: ``float[n]`` mean training stars per item row.
        min_ratings: popularity floor; falls back to the most rated ``10 * TOP_K`` movies if
            fewer than ``TOP_K`` movies reach it.

    Returns:
        ``int64[TOP_K]`` item rows: among movies with ``>= min_ratings`` training ratings,
        the highest mean training rating first (ties: more ratings first).
    """
    n_ratings = np.asarray(n_ratings)
    popular = np.flatnonzero(n_ratings >= min_ratings)
    if len(popular) < TOP_K:
        popular = np.argsort(-n_ratings, kind="stable")[: 10 * TOP_K]
    order = np.lexsort((-n_ratings[popular], -np.asarray(mean_rating)[popular]))
    return popular[order][:TOP_K].astype(np.int64)


#: More digits than any int32 id has.
MAX_ID_DIGITS = 10


def movie_id_of(key: object) -> int:
    """A stored rating's key as a movie id: an int, or a string of ASCII digits.

    JSON object keys are strings, so the browser stores ``{"260": 5}``; surrounding spaces
    are allowed (``" 260"`` is 260), signs, decimals, underscores and other scripts' digits
    are not.

    Raises:
        RatingError: any other key, quoting at most a short prefix of it.
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    text = key.strip() if isinstance(key, str) else ""
    if not (text.isascii() and text.isdigit()):
        raise RatingError(f"Movie id {quote_input(key)} is not a whole number.")
    if len(text) > MAX_ID_DIGITS:  # Python refuses int() of 4,300+ digits anyway
        raise RatingError(f"Unknown movie id {quote_input(text)}.")
    return int(text)


def validate_ratings(ratings: object, factors: ItemFactors) -> tuple[np.ndarray, np.ndarray]:
    """Check the reader's ratings and turn them into item rows and stars, one per movie.

    Keys are normalised once (:func:`movie_id_of`), so ``{" 1": 5, "1": 1}`` is one rating
    of movie 1 (the later one, 1 star, as a JSON object's later key wins): every count shown
    to the reader is the number of ratings used.

    Args:
        ratings: ``{movie_id: stars}``; keys may be strings of digits (JSON object keys),
            stars must be whole numbers 1..5.
        factors: the item side, to check that every movie id is known.

    Returns:
        ``(rows int64[m], stars float64[m])``, one entry per distinct movie in the order
        of first appearance.

    Raises:
        RatingError: not a mapping, more than :data:`MAX_RATINGS` ratings, a movie id that is
            not a whole number (of any size) or not a rated MovieLens movie, or stars
            outside 1..5. Messages quote at most a short prefix of a bad value.
    """
    if not isinstance(ratings, Mapping):
        raise RatingError("Ratings must be a mapping of movie id to stars.")
    if len(ratings) > MAX_RATINGS:
        raise RatingError(f"At most {MAX_RATINGS} ratings, got {len(ratings)}.")
    chosen: dict[int, float] = {}
    for key, value in ratings.items():
        movie_id = movie_id_of(key)
        if not 0 <= movie_id <= np.iinfo(np.int32).max:
            raise RatingError(f"Unknown movie id {quote_input(movie_id)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or value not in STARS:
            shown = quote_input(value)
            raise RatingError(f"Stars must be a whole number from 1 to 5, got {shown}.")
        chosen[movie_id] = float(value)
    rows = factors.rows_of(np.array(list(chosen), dtype=np.int64))
    return rows, np.array(list(chosen.values()), dtype=np.float64)


def sigmoid_range(eta: np.ndarray, rating_range: tuple[float, float]) -> np.ndarray:
    """EmbeddingMF's output from its logit: ``low + (high - low) * sigmoid(eta)``.

    Args:
        eta: logits ``p_u . q_i + b_u + b_i``, any shape; the result keeps their dtype
            (float32 in, float32 out).
        rating_range: ``(low, high)`` in stars.

    Returns:
        Predicted stars in ``(low, high)``, the shape of ``eta``.
    """
    low, high = rating_range
    return low + (high - low) / (1.0 + np.exp(-eta))


def _logit_targets(stars: np.ndarray, rating_range: tuple[float, float]) -> np.ndarray:
    low, high = rating_range
    share = np.clip((stars - low) / (high - low), CLIP, 1 - CLIP)
    return np.log(share / (1 - share))


def fold_in(
    factors: ItemFactors,
    rows: np.ndarray,
    stars: np.ndarray,
    ridge: float | None = None,
    steps: int = GAUSS_NEWTON_STEPS,
) -> UserFit:
    """Estimate a reader's ``p_u`` and ``b_u`` from their ratings (module docstring).

    Args:
        factors: the trained item side.
        rows: ``int[m]`` item rows of the rated movies (see :meth:`ItemFactors.rows_of`).
        stars: ``float[m]`` stars, 1..5.
        ridge: ``lambda`` > 0; ``None`` uses ``factors.ridge(m)``.
        steps: Gauss-Newton steps after the logit start (0: the logit closed form only).

    Returns:
        The :class:`UserFit`; zero vector and bias when ``m == 0``.
    """
    rows = np.asarray(rows, dtype=np.int64)
    ridge = factors.ridge(len(rows)) if ridge is None else float(ridge)
    k = factors.dim
    if len(rows) == 0:
        return UserFit(np.zeros(k), 0.0, rows, np.zeros((k + 1, 0)))
    design = np.empty((len(rows), k + 1))
    design[:, :k] = factors.item_embedding[rows]
    design[:, k] = 1.0
    item_bias = factors.item_bias[rows].astype(np.float64)
    stars = np.asarray(stars, dtype=np.float64)
    weights = np.ones(len(rows))
    targets = _logit_targets(stars, factors.rating_range) - item_bias
    low, high = factors.rating_range
    penalty = ridge * np.eye(k + 1)
    solution = np.zeros(k + 1)
    for step in range(steps + 1):
        if step:
            eta = design @ solution + item_bias
            share = 1.0 / (1.0 + np.exp(-eta))
            slope = np.maximum((high - low) * share * (1 - share), 1e-6)
            weights = slope**2
            targets = eta - item_bias + (stars - low - (high - low) * share) / slope
        gram = design.T @ (design * weights[:, None]) + penalty
        if step < steps:
            solution = np.linalg.solve(gram, design.T @ (weights * targets))
    # The last step again, one right-hand side per rated movie: its share of the solution.
    parts = np.linalg.solve(gram, design.T * (weights * targets))
    solution = parts.sum(axis=1)
    return UserFit(solution[:k], float(solution[k]), rows, parts)


def predict(factors: ItemFactors, vector: np.ndarray, bias: float) -> np.ndarray:
    """Predicted stars of every item for one user: ``float64[n]`` in ``factors.rating_range``."""
    eta = factors.item_embedding @ vector + bias + factors.item_bias
    return sigmoid_range(eta, factors.rating_range)


@dataclass(frozen=True)
class EmbeddingMFWeights:
    """EmbeddingMF's exported arrays (``precomputed/embedding_mf_*.npy``), scored with numpy.

    Attributes:
        user_ids: ``int32[n_users]`` sorted MovieLens user ids (row -> id).
        item_ids: ``int32[n_items]`` sorted MovieLens movie ids (row -> id).
        user_embedding: ``float[n_users, k]`` user vectors ``p_u`` (stored as float16).
        item_embedding: ``float[n_items, k]`` item vectors ``q_i`` (stored as float16).
        user_bias: ``float[n_users]`` (or ``[n_users, 1]``) user biases ``b_u``.
        item_bias: ``float[n_items]`` (or ``[n_items, 1]``) item biases ``b_i``.
        rating_range: ``(low, high)`` of the sigmoid range, stars.
    """

    user_ids: np.ndarray
    item_ids: np.ndarray
    user_embedding: np.ndarray
    item_embedding: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    rating_range: tuple[float, float] = DEFAULT_RATING_RANGE

    #: The array names, as in ``embedding_mf_<name>.npy``.
    ARRAYS = ("user_ids", "item_ids", "user_embedding", "item_embedding", "user_bias", "item_bias")

    def predict(self, user_rows: np.ndarray, item_rows: np.ndarray, chunk: int = 200_000):
        """``float32[N]`` predicted stars of ``N`` (user row, item row) pairs.

        The embeddings are widened to float32 and the logit is summed in float32 (in chunks
        of ``chunk`` pairs, to bound memory), so the result differs from the trained torch
        module's by the float16 storage only: about 1e-3 stars against the training
        weights, under 1e-5 against a module loaded with these arrays.
        """
        user_rows, item_rows = np.asarray(user_rows), np.asarray(item_rows)
        users = self.user_embedding.astype(np.float32)
        items = self.item_embedding.astype(np.float32)
        user_bias, item_bias = self.user_bias.reshape(-1), self.item_bias.reshape(-1)
        scores = np.empty(len(user_rows), dtype=np.float32)
        for start in range(0, len(scores), chunk):
            rows = slice(start, start + chunk)
            u, i = user_rows[rows], item_rows[rows]
            logit = np.einsum("ij,ij->i", users[u], items[i])
            logit += user_bias[u] + item_bias[i]
            scores[rows] = sigmoid_range(logit, self.rating_range)
        return scores


def reasons(
    factors: ItemFactors, fit: UserFit, row: int, n: int = 3
) -> list[tuple[int, float, float]]:
    """The reader's ratings that pushed item ``row`` up most.

    Returns:
        Up to ``n`` tuples ``(rated item row, contribution to the dot product p_u . q_i
        in logits, the same in stars at this item's prediction)``, largest first; only
        positive contributions.
    """
    if fit.parts.shape[1] == 0:
        return []
    k = factors.dim
    contribution = factors.item_embedding[row] @ fit.parts[:k]
    low, high = factors.rating_range
    eta = float(factors.item_embedding[row] @ fit.vector + fit.bias + factors.item_bias[row])
    share = 1.0 / (1.0 + np.exp(-eta))
    slope = (high - low) * share * (1 - share)
    order = np.argsort(-contribution, kind="stable")[:n]
    return [
        (int(fit.rows[j]), float(contribution[j]), float(contribution[j] * slope))
        for j in order
        if contribution[j] > 0
    ]


@dataclass(frozen=True)
class Recommendation:
    """One recommended movie: its item ``row``, predicted ``stars`` and ``reasons``."""

    row: int
    stars: float
    reasons: list[tuple[int, float, float]]


def recommend(factors: ItemFactors, ratings: object) -> tuple[UserFit, list[Recommendation]]:
    """The reader's top list from ``{movie_id: stars}``.

    With no ratings the list is the cold-start list (``factors.cold_start``, predicted stars
    from the item biases alone, no reasons). Otherwise it is the :data:`TOP_K` movies with the
    highest predicted stars among those the reader has not rated.

    Raises:
        RatingError: see :func:`validate_ratings`.
    """
    rows, stars = validate_ratings(ratings, factors)
    fit = fold_in(factors, rows, stars)
    predicted = predict(factors, fit.vector, fit.bias)
    top = factors.cold_start if len(rows) == 0 else top_rows(predicted, rows)
    return fit, [
        Recommendation(int(row), float(predicted[row]), reasons(factors, fit, int(row)))
        for row in top
    ]
