"""DeepFM and its sparse fields: shapes, pooling, the FM identity, field ranges, training."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import torch

from models.data import GENRES, MovieLens
from models.deepfm import DeepFM, fm_second_order
from models.features import (
    GENRE_PADDING,
    FieldLayout,
    FieldRangeError,
    build_features,
    genre_matrix,
    movielens_layout,
)
from models.prepare import prepare
from models.train import TrainConfig, fit, predict, set_seed

FIELD_DIMS = (5, 4, len(GENRES) + 1, 3)
LAYOUT = FieldLayout(("user", "movie", "genres", "occupation"), FIELD_DIMS)


def tiny_model(seed: int = 0, **kwargs) -> DeepFM:
    torch.manual_seed(seed)
    options = dict(embedding_dim=8, hidden_dims=(16, 8), padding_idx=LAYOUT.padding_index)
    return DeepFM(FIELD_DIMS, **{**options, **kwargs})


def tiny_batch() -> tuple[torch.Tensor, ...]:
    """Three rows: users 0/1/4, movies 0/2/3, 1-3 genres each, occupations 0/2/1."""
    genres = genre_matrix([("Comedy",), ("Action", "Drama"), ("Horror", "Sci-Fi", "War")])
    raw = {
        "user": np.array([0, 1, 4]),
        "movie": np.array([0, 2, 3]),
        "genres": genres,
        "occupation": np.array([0, 2, 1]),
    }
    return tuple(torch.from_numpy(LAYOUT.to_global(name, raw[name])) for name in raw)


def test_forward_shape_and_dtype():
    prediction = tiny_model()(*tiny_batch())
    assert prediction.shape == (3,)
    assert prediction.dtype == torch.float32
    assert torch.isfinite(prediction).all()


def test_multi_hot_genres_pool_to_the_mean_without_padding():
    model = tiny_model()
    fields = tiny_batch()
    pooled = model.field_embeddings(*fields)
    assert pooled.shape == (3, 4, 8)
    table = model.embedding.weight.detach()
    offset = LAYOUT.field_range("genres").start
    action, drama = (offset + GENRES.index(name) for name in ("Action", "Drama"))
    torch.testing.assert_close(pooled[1, 2], (table[action] + table[drama]) / 2)
    torch.testing.assert_close(pooled[0, 0], table[fields[0][0]])
    assert torch.equal(table[LAYOUT.padding_index], torch.zeros(8))


def test_padding_never_changes_the_pooled_genres():
    model = tiny_model()
    with torch.no_grad():
        model.embedding.weight[LAYOUT.padding_index] = 100.0  # even a corrupted padding row
    user, movie, genres, occupation = tiny_batch()
    pooled = model.field_embeddings(user, movie, genres, occupation)[:, 2]
    narrow = model.field_embeddings(user, movie, genres[:, :3], occupation)[:, 2]
    torch.testing.assert_close(pooled, narrow)
    assert pooled.abs().max() < 1.0


def test_fm_second_order_equals_the_naive_pairwise_sum():
    vectors = torch.randn(2, 4, 5, dtype=torch.float64)
    naive = sum(
        (vectors[:, i] * vectors[:, j]).sum(dim=1) for i, j in itertools.combinations(range(4), 2)
    )
    torch.testing.assert_close(fm_second_order(vectors), naive)


def test_forward_is_fm_plus_dnn():
    model = tiny_model().eval()
    fields = tiny_batch()
    with torch.no_grad():
        model.linear.weight.normal_()
        vectors = model.field_embeddings(*fields)
        pooled_linear = model.linear.weight[:, 0]
        order_1 = pooled_linear[fields[0]] + pooled_linear[fields[1]] + pooled_linear[fields[3]]
        genre_rows = fields[2]
        active = genre_rows != LAYOUT.padding_index
        order_1 += (pooled_linear[genre_rows] * active).sum(1) / active.sum(1)
        pairs = sum(
            (vectors[:, i] * vectors[:, j]).sum(dim=1)
            for i, j in itertools.combinations(range(4), 2)
        )
        deep = model.mlp(vectors.flatten(1)).squeeze(1)
        expected = model.global_bias + order_1 + pairs + deep
        torch.testing.assert_close(model(*fields), expected)


def test_field_ranges_are_disjoint_and_cover_the_table():
    layout = movielens_layout(6040, 3706)
    assert layout.field_dims == (6040, 3706, 19, 21)
    ranges = [layout.field_range(name) for name in layout.field_names]
    assert [r.start for r in ranges] == [0, 6040, 9746, 9765]
    covered = [row for r in ranges for row in r]
    assert covered == list(range(layout.n_features))
    genres = layout.field_range("genres")
    assert layout.padding_index == genres.start + GENRE_PADDING == genres.stop - 1


def test_user_6040_lands_in_the_user_field_only():
    layout = movielens_layout(6040, 3706)
    row = int(layout.to_global("user", np.array([6039]))[0])  # MovieLens user 6040
    inside = [name for name in layout.field_names if row in layout.field_range(name)]
    assert inside == ["user"]


@pytest.mark.parametrize(
    ("name", "raw"),
    [("user", 6040), ("user", -1), ("movie", 3706), ("genres", 19), ("occupation", 21)],
)
def test_out_of_range_raw_index_raises(name, raw):
    with pytest.raises(FieldRangeError, match=name):
        movielens_layout(6040, 3706).to_global(name, np.array([0, raw]))


def test_unknown_or_too_many_genres_raise():
    with pytest.raises(ValueError, match="unknown genre"):
        genre_matrix([("Comedy", "Western-ish")])
    with pytest.raises(ValueError, match="exceed"):
        genre_matrix([GENRES[:7]])


def test_state_dict_round_trip():
    model = tiny_model(seed=1).eval()
    copy = tiny_model(seed=2).eval()
    copy.load_state_dict(model.state_dict())
    fields = tiny_batch()
    with torch.no_grad():
        torch.testing.assert_close(copy(*fields), model(*fields))


def tiny_movielens(n_users: int = 12, n_movies: int = 10, seed: int = 0) -> MovieLens:
    """A synthetic MovieLens with a learnable signal: ratings depend on user and genre."""
    rng = np.random.default_rng(seed)
    movies = pd.DataFrame(
        {
            "movie_id": np.arange(1, n_movies + 1, dtype=np.int32),
            "title": [f"Movie {i}" for i in range(n_movies)],
            "genres": [(GENRES[i % 3], GENRES[3 + i % 2]) for i in range(n_movies)],
        }
    )
    users = pd.DataFrame(
        {
            "user_id": np.arange(1, n_users + 1, dtype=np.int32),
            "occupation": (np.arange(n_users) % 21).astype(np.int8),
        }
    )
    pairs = [(u, m) for u in range(n_users) for m in range(n_movies)]
    taste = rng.normal(size=(n_users, 3))
    stars = [np.clip(np.round(3 + 1.5 * taste[u, m % 3]), 1, 5) for u, m in pairs]
    ratings = pd.DataFrame(
        {
            "user_id": np.array([u + 1 for u, _ in pairs], dtype=np.int32),
            "movie_id": np.array([m + 1 for _, m in pairs], dtype=np.int32),
            "rating": np.array(stars, dtype=np.int8),
            "timestamp": np.zeros(len(pairs), dtype=np.int64),
        }
    )
    return MovieLens(ratings, movies, users, source="synthetic", sha256="")


def test_build_features_on_tiny_data():
    data = prepare(tiny_movielens(), seed=0)
    features = build_features(data)
    assert features.layout.field_dims == (12, 10, 19, 21)
    assert features.genres.shape == (len(data.rating), 6)
    for name in ("user", "movie", "occupation"):
        values = getattr(features, name)
        assert values.dtype == np.int64
        assert set(values) <= set(features.layout.field_range(name))
    user, movie, genres, occupation = features.tensors(data.train_mask)
    assert len(user) == len(movie) == len(genres) == len(occupation) == data.train_mask.sum()


def tiny_run(seed: int) -> tuple[list[dict], np.ndarray]:
    data = prepare(tiny_movielens(), seed=0)
    features = build_features(data)
    target = torch.from_numpy(data.rating)
    set_seed(seed)
    model = DeepFM(
        features.layout.field_dims,
        embedding_dim=8,
        hidden_dims=(16,),
        padding_idx=features.layout.padding_index,
        mean_rating=3.0,
        sparse=False,
    )
    config = TrainConfig(epochs=30, learning_rate=0.02, weight_decay=0.0, batch_size=16, seed=seed)
    train = data.train_mask
    history = fit(
        model, (features.tensors(train), target[train]), None, config, show_progress=False
    )
    return history, predict(model, features.tensors(np.ones_like(train)))


def test_tiny_training_loss_falls():
    history, predictions = tiny_run(seed=3)
    assert history[-1]["train_mse"] < 0.5 * history[0]["train_mse"]
    assert predictions.dtype == np.float32
    assert np.isfinite(predictions).all()


def test_two_seeded_runs_give_identical_predictions():
    np.testing.assert_array_equal(tiny_run(seed=5)[1], tiny_run(seed=5)[1])


def test_real_genre_pooling_movie_5_and_1205(prepared):
    """Two real movies of MovieLens 1M (the ``prepared`` fixture never skips)."""
    data = prepared
    features = build_features(data)
    model = DeepFM(features.layout.field_dims, 8, (4,), padding_idx=features.layout.padding_index)
    offset = features.layout.field_range("genres").start
    table = model.embedding.weight.detach()
    movies = data.movielens.movies.set_index("movie_id")["genres"]
    assert movies[5] == ("Comedy",)
    assert len(movies[1205]) == 6

    def pooled_genres(movie_id: int) -> tuple[torch.Tensor, np.ndarray]:
        row = int(np.flatnonzero(data.item_ids[data.item_index] == movie_id)[0])
        fields = [
            tensor[row : row + 1] for tensor in features.tensors(np.ones_like(data.test_mask))
        ]
        return model.field_embeddings(*fields)[0, 2], features.genres[row]

    comedy, slots = pooled_genres(5)
    assert (slots != features.layout.padding_index).sum() == 1
    assert torch.equal(comedy, table[offset + GENRES.index("Comedy")])
    pooled, slots = pooled_genres(1205)
    assert (slots != features.layout.padding_index).all()
    expected = torch.stack([table[offset + GENRES.index(g)] for g in movies[1205]]).mean(0)
    torch.testing.assert_close(pooled, expected)


def test_train_deepfm_on_tiny_data():
    from models.trainers import TRAINERS, train_deepfm

    assert TRAINERS["deepfm"] is train_deepfm
    data = prepare(tiny_movielens(), seed=0)
    config = TrainConfig(epochs=3, learning_rate=0.01, batch_size=32, embedding_dim=8)
    trained = train_deepfm(data, config, show_progress=False)
    assert trained.name == "deepfm"
    assert trained.predictions.dtype == np.float32
    assert trained.predictions.shape == data.rating.shape
    assert np.isfinite(trained.predictions).all()
    assert 1 <= trained.config["best_epoch"] <= 3
    arrays = trained.arrays
    n_rows = len(data.user_ids) + len(data.item_ids) + len(GENRES) + 1 + 21
    assert arrays["embedding"].shape == (n_rows, 8) and arrays["embedding"].dtype == np.float16
    assert arrays["field_dims"].tolist() == [len(data.user_ids), len(data.item_ids), 19, 21]
    assert np.array_equal(arrays["item_ids"], data.item_ids)
    # The exported arrays are the whole model: numpy scores them as torch predicted, up to
    # the float16 storage of the latent vectors.
    from core.deepfm import DeepFMWeights
    from models.reader_records import deepfm_inputs

    genres, occupation = deepfm_inputs(data)
    scored = DeepFMWeights.from_arrays(arrays).predict(
        data.user_index, data.item_index, genres, occupation
    )
    assert np.abs(scored - trained.predictions).max() < 2e-3
