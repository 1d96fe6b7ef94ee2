"""The MovieLens 1M loader on the real copy, and its errors on broken input."""

from __future__ import annotations

import io
import zipfile

import pytest

from models.data import (
    AGE_BANDS,
    DataError,
    load_movielens,
    locate_archive,
    parse_movies,
    parse_ratings,
    parse_users,
    parse_year,
)
from models.regions import UNKNOWN_REGION, ZIP_AREAS, zip_to_region


def test_known_counts(movielens):
    ratings, movies, users = movielens.ratings, movielens.movies, movielens.users
    assert len(ratings) == 1_000_209
    assert ratings["user_id"].nunique() == 6_040
    assert ratings["movie_id"].nunique() == 3_706
    assert len(movies) == 3_883
    assert len(users) == 6_040
    assert ratings["rating"].between(1, 5).all()
    assert ratings["rating"].mean() == pytest.approx(3.5816, abs=5e-5)
    assert (ratings["user_id"] == 1).sum() == 53
    counts = ratings["movie_id"].value_counts()
    assert counts.idxmax() == 2858 and counts.max() == 3_428
    assert set(users["age"]) == set(AGE_BANDS)
    assert set(users["occupation"]) == set(range(21))


def test_dtypes(movielens):
    assert dict(movielens.ratings.dtypes.astype(str)) == {
        "user_id": "int32",
        "movie_id": "int32",
        "rating": "int8",
        "timestamp": "int64",
    }
    assert str(movielens.movies["year"].dtype) == "Int16"


def test_xiao(movielens):
    users = movielens.users.set_index("user_id")
    xiao = users.loc[1680]
    assert (xiao["gender"], xiao["age_band"], xiao["occupation_name"]) == ("M", "25-34", "writer")
    assert xiao["zip_code"] == "95380"
    assert xiao["region"] == ZIP_AREAS["9"]
    ratings = movielens.ratings
    mine = ratings[ratings["user_id"] == 1680].set_index("movie_id")["rating"]
    assert mine[3264] == 1 and mine[3391] == 5
    assert (ratings["movie_id"] == 3264).sum() == 512
    assert (ratings["movie_id"] == 3391).sum() == 96


def test_titles_decoded(movielens):
    titles = movielens.movies.set_index("movie_id")["title"]
    assert titles[3854] == "Aimée & Jaguar (1999)"
    assert "…" in titles[3845] and "&#" not in titles[3845]
    assert titles[260] == "Star Wars: Episode IV - A New Hope (1977)"
    assert not titles.str.contains("\ufffd").any()
    assert not titles.str.contains("&#").any()


def test_genres(movielens):
    genres = movielens.movies.set_index("movie_id")["genres"]
    assert genres[5] == ("Comedy",)
    assert len(genres[1205]) == 6


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("2001: A Space Odyssey (1968)", 1968),
        ("Seven (Se7en) (1995)", 1995),
        ("Jonah Who Will Be 25 in the Year 2000 (1976)", 1976),
        ("No year here", None),
    ],
)
def test_parse_year(title, year):
    assert parse_year(title) == year


def test_years_on_real_titles(movielens):
    years = movielens.movies.set_index("movie_id")["year"]
    assert years.notna().all()
    assert years.between(1919, 2000).all()


def test_zip_codes_and_regions(movielens):
    users = movielens.users.set_index("user_id")
    assert users.loc[7, "zip_code"] == "06810"
    assert users.loc[7, "region"] == ZIP_AREAS["0"]
    assert users["region"].notna().all()
    assert (users["zip_code"] == "98107-2117").sum() == 1
    assert users.loc[users["zip_code"] == "98107-2117", "region"].item() == ZIP_AREAS["9"]


@pytest.mark.parametrize(
    ("zip_code", "region"),
    [
        ("95380", ZIP_AREAS["9"]),
        ("06810", ZIP_AREAS["0"]),
        ("98107-2117", ZIP_AREAS["9"]),
        ("193122042", UNKNOWN_REGION),
        ("T8N 4X6", UNKNOWN_REGION),
        ("", UNKNOWN_REGION),
    ],
)
def test_zip_to_region(zip_code, region):
    assert zip_to_region(zip_code) == region


def test_bad_rating_names_line():
    raw = b"1::1::5::0\n1::2::9::0\n"
    with pytest.raises(DataError, match=r"line 2 of ratings.dat: rating '9' is outside \[1, 5\]"):
        parse_ratings(raw)


def test_missing_field_names_line():
    with pytest.raises(
        DataError, match=r"line 2 of ratings.dat: expected 4 '::'-separated fields, found 3"
    ):
        parse_ratings(b"1::1::5::0\n1::2::5\n")


def test_bad_movie_line():
    with pytest.raises(DataError, match=r"line 2 of movies.dat: expected 3"):
        parse_movies(b"1::Toy Story (1995)::Comedy\n2::Broken\n")


def test_unknown_genre():
    with pytest.raises(DataError, match=r"unknown genre 'Space Opera'"):
        parse_movies(b"1::X (1995)::Space Opera\n")


def test_bad_user_age():
    with pytest.raises(DataError, match=r"line 1 of users.dat: age band 17"):
        parse_users(b"1::F::17::10::48067\n")


def _zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_corrupt_archive(tmp_path):
    broken = tmp_path / "ml-1m.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(DataError, match="not a readable zip"):
        load_movielens(broken)


def test_archive_missing_member(tmp_path):
    partial = tmp_path / "ml-1m.zip"
    partial.write_bytes(_zip_with({"ml-1m/ratings.dat": b"1::1::5::0\n"}))
    with pytest.raises(DataError, match="lacks movies.dat, users.dat"):
        load_movielens(partial)


def test_missing_path(tmp_path):
    with pytest.raises(DataError, match="not found"):
        locate_archive(tmp_path / "nope.zip")


def test_env_var_missing_path(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVIELENS_1M", str(tmp_path / "elsewhere.zip"))
    with pytest.raises(DataError, match="MOVIELENS_1M"):
        locate_archive()


def test_small_folder_loads(tmp_path):
    folder = tmp_path / "ml-1m"
    folder.mkdir()
    (folder / "ratings.dat").write_bytes(b"1::1::5::978300760\n2::1::3::0\n")
    (folder / "movies.dat").write_bytes("1::Aimée (1999)::Drama|Romance\n".encode("latin-1"))
    (folder / "users.dat").write_bytes(b"1::F::1::10::48067\n2::M::56::16::70072\n")
    small = load_movielens(tmp_path)
    assert small.movies["title"].tolist() == ["Aimée (1999)"]
    assert small.ratings["rating"].tolist() == [5, 3]


def test_rating_of_unknown_user(tmp_path):
    (tmp_path / "ratings.dat").write_bytes(b"3::1::5::0\n")
    (tmp_path / "movies.dat").write_bytes(b"1::A (1999)::Drama\n")
    (tmp_path / "users.dat").write_bytes(b"1::F::1::10::48067\n")
    with pytest.raises(
        DataError, match="line 1 of ratings.dat: user_id 3 is not listed in users.dat"
    ):
        load_movielens(tmp_path)
