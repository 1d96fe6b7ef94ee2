"""The MovieLens licence: no reader's records committed but Xiao's; the rest built on the host.

Issue 10, section 4. The committed ``precomputed/`` holds weights, aggregates and user
1680's rows; ``python -m models.reader_records`` builds every reader's rows from the
archive (``tests/conftest.py`` builds them for the session, as a host would), and the app
shows Xiao with a build hint without them and any reader with them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.artifacts import precomputed_dir
from core.records import (
    INSAMPLE,
    PROFILES,
    RECORDS_ENV,
    RETIRED_FILES,
    TABLES,
    TEST,
    records_dir,
    records_problem,
    story_file,
)
from core.vocabulary import STORY_MOVIES, STORY_USER, TOP_K, VENN_MODELS
from models.split import unpack_mask

ROOT = Path(__file__).resolve().parent.parent
#: float16 storage of the latent vectors moves a rescored prediction by at most this.
FLOAT16_STARS = 0.02


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((precomputed_dir() / "manifest.json").read_text())


@pytest.fixture(scope="module")
def records() -> dict[str, pd.DataFrame]:
    """The session's per-reader records (built by conftest from the archive)."""
    return {name: pd.read_parquet(records_dir() / name) for name in TABLES}


@pytest.fixture(scope="module")
def test_mask(movielens, manifest) -> np.ndarray:
    return unpack_mask(np.load(precomputed_dir() / "split.npy"), manifest["n_ratings"])


# --- What is committed ------------------------------------------------------------------


def test_no_committed_table_holds_another_readers_rows():
    committed = sorted(precomputed_dir().glob("*.parquet"))
    assert len(committed) >= 5
    for path in committed:
        table = pd.read_parquet(path)
        if "user_id" in table.columns:
            assert set(table["user_id"].unique()) == {STORY_USER}, path.name
        else:  # aggregates: no column that could key a reader
            assert not {"user", "user_index", "zip_code"} & set(table.columns), path.name
    for name in RETIRED_FILES:
        assert not (precomputed_dir() / name).exists()


def test_committed_story_rows_are_xiaos_true_ratings(movielens, test_mask):
    ratings = movielens.ratings
    xiao = ratings["user_id"].to_numpy() == STORY_USER
    test = pd.read_parquet(precomputed_dir() / story_file(TEST))
    expected = ratings[xiao & test_mask].sort_values("movie_id")
    assert test["movie_id"].tolist() == expected["movie_id"].tolist()
    assert test["rating"].tolist() == expected["rating"].tolist()
    assert set(VENN_MODELS) <= set(test.columns)
    insample = pd.read_parquet(precomputed_dir() / story_file(INSAMPLE))
    five_stars = set(ratings.loc[xiao & (ratings["rating"] == 5).to_numpy(), "movie_id"])
    assert five_stars | (set(STORY_MOVIES) & set(ratings.loc[xiao, "movie_id"])) <= set(
        insample["movie_id"]
    )
    profile = pd.read_parquet(precomputed_dir() / story_file(PROFILES))
    assert profile["user_id"].tolist() == [STORY_USER]
    assert int(profile["n_ratings"].iloc[0]) == int(xiao.sum())


def test_box4_distributions_are_aggregates_of_the_test_split(movielens, test_mask, manifest):
    payload = json.loads((precomputed_dir() / "prediction_distributions.json").read_text())
    true = payload["true"]
    stars = movielens.ratings["rating"].to_numpy()[test_mask]
    assert true["counts"] == [int((stars == star).sum()) for star in range(1, 6)]
    assert true["mean"] == pytest.approx(stars.mean())
    for name, entry in payload["models"].items():
        assert sum(entry["counts"]) == entry["n"] == manifest["n_test"] == 100_021, name
        assert entry["bin_width"] == 0.1 and entry["first_edge"] <= 0.0
        assert entry["first_edge"] + 0.1 * len(entry["counts"]) >= 5.5
    metrics = json.loads((precomputed_dir() / "metrics.json").read_text())
    assert set(payload["models"]) == set(metrics)


# --- What the host builds ---------------------------------------------------------------


def test_records_manifest_matches_the_committed_artifacts(manifest):
    assert records_problem(records_dir(), manifest) is None
    built = json.loads((records_dir() / "manifest.json").read_text())
    assert built["data_sha256"] == manifest["data_sha256"]
    assert {f"deepfm_{n}.npy" for n in ("embedding", "hidden_1_weight")} <= set(built["weights"])


def test_records_hold_every_readers_true_ratings(records, movielens, test_mask):
    ratings = movielens.ratings
    expected = ratings[test_mask].sort_values(["user_id", "movie_id"])
    test = records[TEST]
    assert len(test) == 100_021
    for column in ("user_id", "movie_id", "rating"):
        assert test[column].tolist() == expected[column].tolist()
    profiles = records[PROFILES]
    assert len(profiles) == 6_040
    users = movielens.users.set_index("user_id").loc[profiles["user_id"]]
    assert profiles["gender"].tolist() == users["gender"].tolist()
    assert profiles["occupation"].tolist() == users["occupation"].tolist()
    assert (profiles["n_ratings"].to_numpy() == ratings.groupby("user_id").size()).all()


def test_records_reproduce_the_committed_metrics(records, manifest):
    """Rescored from the exported weights, every reader's predictions give the RMSE the
    pipeline recorded from the trained models (float16 storage aside)."""
    metrics = json.loads((precomputed_dir() / "metrics.json").read_text())
    test = records[TEST]
    for name in VENN_MODELS:
        error = test[name].to_numpy(np.float64) - test["rating"]
        assert np.sqrt(np.mean(error**2)) == pytest.approx(
            metrics[name]["test"]["rmse"], abs=5e-4
        ), name
        by_rating = pd.DataFrame(metrics[name]["test_rmse_by_rating"])
        for row in by_rating.itertuples():
            chosen = test["rating"] == row.rating
            assert int(chosen.sum()) == row.n
            assert np.sqrt(np.mean(error[chosen] ** 2)) == pytest.approx(row.rmse, abs=1e-3)


def test_records_reproduce_the_old_story_tables(records):
    """The builder's rows of user 1680 are the committed ones (recorded from the trained
    models before the other readers' rows left the repository), up to float16 storage."""
    for name, keys in ((TEST, ["movie_id", "rating"]), (INSAMPLE, ["movie_id", "rating"])):
        committed = pd.read_parquet(precomputed_dir() / story_file(name))
        built = records[name][records[name]["user_id"] == STORY_USER].reset_index(drop=True)
        if name == INSAMPLE:  # top-10 borders may move with 1e-3 noise: compare common rows
            common = committed.merge(built, on=[*keys, "in_test"], suffixes=("", "_built"))
            assert len(common) >= len(committed) - 2 * TOP_K
            built = common[[f"{m}_built" for m in VENN_MODELS]].set_axis(VENN_MODELS, axis=1)
            committed = common
        else:
            assert built[keys].equals(committed[keys])
        for model in VENN_MODELS:
            gap = np.abs(built[model].to_numpy() - committed[model].to_numpy())
            assert gap.max() < FLOAT16_STARS, (name, model)
    profile = records[PROFILES][records[PROFILES]["user_id"] == STORY_USER].reset_index(drop=True)
    assert profile.equals(pd.read_parquet(precomputed_dir() / story_file(PROFILES)))


@pytest.mark.parametrize("user", [1, 42, 6040])
def test_records_of_a_few_readers_match_the_archive(records, movielens, test_mask, user):
    ratings = movielens.ratings
    mine = ratings["user_id"].to_numpy() == user
    test = records[TEST][records[TEST]["user_id"] == user]
    assert test["movie_id"].tolist() == sorted(ratings.loc[mine & test_mask, "movie_id"])
    insample = records[INSAMPLE][records[INSAMPLE]["user_id"] == user]
    rated = ratings[mine].set_index("movie_id")["rating"]
    assert (insample["rating"].to_numpy() == rated.loc[insample["movie_id"]].to_numpy()).all()
    assert set(rated[rated == 5].index) <= set(insample["movie_id"])
    for model in VENN_MODELS:  # each model's top-10 of the reader's movies is kept
        top = insample.nlargest(TOP_K, model)[model].min()
        assert (insample[model] >= top).sum() >= min(TOP_K, len(rated))


def test_builder_needs_no_torch():
    code = "import sys, models.reader_records; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_builder_refuses_another_archive(tmp_path):
    from conftest import write_tiny_movielens

    folder = write_tiny_movielens(tmp_path / "ml-tiny")
    result = subprocess.run(
        [sys.executable, "-m", "models.reader_records", "--data", str(folder), "--out", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert "is not the archive precomputed/ was built from" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (ROOT / "x").exists()


def test_stale_or_damaged_records_are_not_used(tmp_path, manifest):
    copy = tmp_path / "records"
    shutil.copytree(records_dir(), copy)
    assert records_problem(copy, manifest) is None
    (copy / TEST).write_bytes((copy / TEST).read_bytes()[:-10])
    assert "missing or damaged" in records_problem(copy, manifest)
    shutil.copy(records_dir() / TEST, copy / TEST)
    built = json.loads((copy / "manifest.json").read_text())
    built["weights"]["deepfm_embedding.npy"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(built))
    assert "built for other artifacts" in records_problem(copy, manifest)
    assert "not built on this host" in records_problem(tmp_path / "none", manifest)


# --- What the app shows -----------------------------------------------------------------


@pytest.fixture
def app_records(monkeypatch):
    """Point the app at a records folder (``None``: an empty one) and read afresh."""
    from components import readers

    def use(folder: Path) -> None:
        monkeypatch.setenv(RECORDS_ENV, str(folder))
        readers.clear()

    yield use
    monkeypatch.undo()
    readers.clear()


def _texts(component) -> list[str]:
    """Every string in a Dash component tree."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    children = children if isinstance(children, list | tuple) else [children]
    return [text for child in children for text in _texts(child)]


def test_without_records_the_app_shows_xiao_and_how_to_build(app_records, tmp_path):
    from app import build_layout
    from components import readers, venn_rows
    from components.selection_state import next_state

    app_records(tmp_path / "no-records")
    assert not readers.records_available()
    page = " ".join(_texts(build_layout()))
    assert "python -m models.reader_records" in page
    assert "Only Xiao's ratings come with this article" in page
    assert len(venn_rows.user_rows(STORY_USER, "test")) > 0
    state = next_state("selection-user-go", None, {"user": "42"})
    assert state["user"] == STORY_USER
    assert "User 42's ratings are not on this host" in state["errors"]["user"]
    assert "python -m models.reader_records" in state["errors"]["user"]
    state = next_state("selection-like-go", None, {"like": ["F", "any", "any", "any"]})
    assert "python -m models.reader_records" in state["errors"]["user"]
    # A link to another reader shows Xiao and says why.
    state = next_state(None, None, {"search": "?user=42"})
    assert state["user"] == STORY_USER and "not on this host" in state["errors"]["user"]


def test_with_records_any_reader_works(app_records):
    from app import build_layout
    from components import readers, venn_rows
    from components.selection_state import describe_user, next_state
    from components.user_trends import user_group

    app_records(records_dir())
    assert readers.records_available()
    page = " ".join(_texts(build_layout()))
    assert "python -m models.reader_records" not in page
    state = next_state("selection-user-go", None, {"user": "42"})
    assert state["user"] == 42 and not state["errors"]
    assert describe_user(42).startswith("User 42: ")
    rows = venn_rows.user_rows(42, "test")
    assert len(rows) > 0 and set(VENN_MODELS) <= set(rows.columns)
    assert len(venn_rows.user_rows(42, "all")) >= len(rows[rows["rating"] == 5])
    assert user_group(42, "gender") in ("Female", "Male")
    found = next_state("selection-like-go", None, {"like": ["F", "any", "any", "any"]})
    assert found["user"] != STORY_USER and not found["errors"]
    # Xiao's numbers are the committed ones either way.
    committed = pd.read_parquet(precomputed_dir() / story_file(TEST))
    xiao = venn_rows.user_rows(STORY_USER, "test")
    assert xiao["deepfm"].tolist() == committed["deepfm"].tolist()
