"""The map of the movies: the PCA writer, the committed artifacts, what the app serves,
and Box 9's projection of a reader."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from components import item_map, item_map_data, your_taste_map
from components.artifacts import read_array, read_json, read_table
from components.your_taste_lists import read_ratings, recommend_for
from core.item_map import ITEM_MAP, PROJECTION, Projection
from core.vocabulary import GENRES
from models.item_map import build_item_map, orient, principal_axes


def test_principal_axes_of_a_hand_made_cloud():
    # Spread 2 along the first factor, 0.5 along the second: shares 0.8 and 0.2.
    vectors = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]]) + [3.0, -2.0]
    projection = principal_axes(vectors)
    assert projection.mean == pytest.approx([3.0, -2.0])
    assert projection.explained_variance_ratio == pytest.approx([0.8, 0.2])
    assert np.abs(projection.components) == pytest.approx(np.eye(2))
    assert projection.kept == pytest.approx(1.0)
    with pytest.raises(ValueError, match="nothing to project"):
        principal_axes(np.ones((3, 2)))
    with pytest.raises(ValueError, match="at least 2 vectors"):
        principal_axes(np.ones((1, 4)))


def test_orient_points_each_axis_the_way_it_is_told():
    vectors = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]])
    projection = principal_axes(vectors)
    # x should grow with the first factor's opposite, y with the second factor.
    follows = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    oriented = orient(projection, vectors, follows)
    assert oriented.components == pytest.approx(np.array([[-1.0, 0.0], [0.0, 1.0]]))
    assert oriented.project_items(vectors)[:, 0] == pytest.approx([-1.0, 1.0, 0.0, 0.0])


def test_a_user_is_projected_without_the_item_mean():
    """The map shows the part x_i (w · a_1) + y_i (w · a_2) of each prediction w · q_i."""
    projection = Projection(
        mean=np.array([5.0, 5.0]),
        components=np.array([[0.6, 0.8], [-0.8, 0.6]]),
        explained_variance_ratio=np.array([0.7, 0.3]),
    )
    assert projection.project_user(np.array([2.0, 1.0])) == pytest.approx([2.0, -1.0])
    assert projection.project_items(np.array([[7.0, 6.0]]))[0] == pytest.approx([2.0, -1.0])
    with pytest.raises(ValueError, match="a user vector has 2 factors"):
        projection.project_user(np.ones(3))
    with pytest.raises(ValueError, match="expected \\(2, 2\\)"):
        Projection.from_json(
            {"mean": [0, 0], "components": [[1, 0]], "explained_variance_ratio": []}
        )


def test_the_committed_map_is_the_pca_of_the_committed_item_vectors():
    embedding = read_array("embedding_mf_item_embedding.npy").astype(np.float64)
    table = read_table(ITEM_MAP)
    stored = read_json(PROJECTION)
    projection = item_map_data.projection()
    assert stored["n_items"] == len(table) == len(embedding) == 3706
    assert stored["embedding_dim"] == embedding.shape[1]
    assert table["movie_id"].tolist() == read_array("embedding_mf_item_ids.npy").tolist()
    # Variance shares recomputed here from the eigenvalues of the covariance matrix.
    centred = embedding - embedding.mean(axis=0)
    eigenvalues = np.sort(np.linalg.eigvalsh(centred.T @ centred))[::-1]
    shares = eigenvalues / eigenvalues.sum()
    assert projection.explained_variance_ratio == pytest.approx(shares[:10], rel=1e-6)
    assert projection.components @ projection.components.T == pytest.approx(np.eye(2), abs=1e-9)
    expected = projection.project_items(embedding)
    assert table[["x", "y"]].to_numpy() == pytest.approx(expected, abs=1e-5)
    # Oriented: right is better rated, up is more often rated.
    movies = read_table("movies.parquet")
    rated = movies["n_train"] > 0
    assert np.corrcoef(table["x"][rated], movies["mean_train"][rated])[0, 1] > 0
    assert np.corrcoef(table["y"], np.log1p(movies["n_train"]))[0, 1] > 0


def test_the_writer_reproduces_the_committed_map(prepared):
    embedding = read_array("embedding_mf_item_embedding.npy")
    table, projection = build_item_map(prepared, embedding)
    committed = read_table(ITEM_MAP)
    pd.testing.assert_frame_equal(table, committed)
    assert projection.kept == pytest.approx(item_map_data.projection().kept, rel=1e-12)
    # The genres are MovieLens', in its order.
    buffy = committed.set_index("movie_id").loc[3264, "genres"]
    assert buffy == "Comedy|Horror"
    with pytest.raises(ValueError, match="item vectors for 3706 rated movies"):
        build_item_map(prepared, embedding[:-1])


def test_the_payload_lists_every_movie_once_with_its_numbers():
    payload = json.loads(item_map_data.payload_bytes())
    table = item_map_data.map_table()
    assert payload["genres"] == list(GENRES)
    assert payload["marked"] == [3264, 3391]
    for column in ("movie_id", "x", "y", "title", "n", "mean", "genre_bits"):
        assert len(payload[column]) == 3706
    row = payload["movie_id"].index(3264)
    assert payload["title"][row] == "Buffy the Vampire Slayer (1992)"
    buffy = table.set_index("movie_id").loc[3264]
    assert payload["n"][row] == buffy["n_train"]
    assert payload["mean"][row] == round(float(buffy["mean_train"]), 2)
    assert payload["x"][row] == round(float(buffy["x"]), 3)
    names = [name for bit, name in enumerate(GENRES) if payload["genre_bits"][row] >> bit & 1]
    assert names == ["Comedy", "Horror"]
    assert payload["explained"] == [
        round(v, 4) for v in item_map_data.projection().explained_variance_ratio[:2]
    ]
    # A movie without training ratings has no mean (null), never NaN.
    empty = [m for m, n in zip(payload["mean"], payload["n"], strict=True) if n == 0]
    assert all(mean is None for mean in empty)
    assert len(item_map_data.payload_bytes()) < 300_000


def test_the_points_are_served_and_cached_by_version():
    from app import app

    client = app.server.test_client()
    current = client.get("/" + item_map_data.data_url())
    assert current.status_code == 200 and current.mimetype == "application/json"
    assert current.headers["Cache-Control"] == item_map.IMMUTABLE
    assert current.get_data() == item_map_data.payload_bytes()
    stale = client.get("/" + item_map_data.DATA_PATH + "?v=0000")
    assert stale.headers["Cache-Control"] == "no-cache"
    assert (
        len(
            client.get("/" + item_map_data.data_url(), headers={"Accept-Encoding": "br"}).get_data()
        )
        < 100_000
    )


def test_summary_tables_and_sentences_read_the_artifacts():
    table = item_map_data.map_table()
    ends = item_map.axis_ends(table).set_index("Where")["Movies"]
    known = table[table["n_train"] >= item_map.WELL_KNOWN]
    assert ends["Right (highest x)"].split("; ")[0] == known.loc[known["x"].idxmax(), "title"]
    assert ends["Bottom (lowest y)"].split("; ")[0] == known.loc[known["y"].idxmin(), "title"]
    genres = item_map.genre_positions(table).set_index("Genre")
    horror = table[[("Horror" in names) for names in table["genres"]]]
    assert genres.loc["Horror", "Movies"] == f"{len(horror):,}"
    assert genres.loc["Horror", "Mean x"] == f"{horror['x'].mean():+.2f}"
    side = "left" if horror["x"].mean() < 0 else "right"
    assert item_map._caption(table).endswith(
        f"on the {side}, though nobody told the model about either."
    )
    said = item_map.explanation(table)[0].children
    kept = item_map_data.projection().kept
    assert said.startswith(f"Two axes keep only {kept:.1%} of the variance")


def test_box9_places_the_reader_on_the_map_from_the_folded_in_vector():
    assert your_taste_map.reader_point(read_ratings({})) is None
    assert your_taste_map.where_text(None) == "Rate a movie to appear on the map."
    rated = read_ratings({"2571": 5, "539": 1})  # The Matrix 5, Sleepless in Seattle 1
    point = your_taste_map.reader_point(rated)
    fit, _ = recommend_for(rated)
    expected = item_map_data.projection().components @ np.asarray(fit.vector, dtype=np.float64)
    assert [point["x"], point["y"]] == pytest.approx(expected, abs=5e-4)
    assert point["n"] == 2
    text = your_taste_map.where_text(point)
    assert text.startswith(
        f"From your 2 ratings, you are at ({point['x']:+.2f}, {point['y']:+.2f})"
    )


def test_rarely_rated_movies_spread_less_than_the_rest():
    """The text's claim, measured: movies with few ratings huddle closer together."""
    table = item_map_data.map_table()
    few = table["n_train"] < item_map.FEW_RATINGS
    assert few.sum() == 470  # the MovieLens 1M split's movies with < 10 training ratings
    ratio = item_map._spread(table)
    expected = table.loc[few, ["x", "y"]].std().mean() / table.loc[~few, ["x", "y"]].std().mean()
    assert ratio == pytest.approx(expected) and ratio < 1
    said = item_map.explanation(table)[1].children
    assert f"spread {ratio:.0%} as widely as the rest" in said
