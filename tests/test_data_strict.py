"""The strict loader: whole numbers, read failures, true line numbers, encodings, the CLI.

Each case of issue 10 section 2 is here with the message the user really sees.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from models.dat_files import split_fields, whole_numbers
from models.data import (
    RATING_FIELDS,
    DataError,
    _ratings_fast,
    load_movielens,
    parse_movies,
    parse_ratings,
    parse_users,
)

ROOT = Path(__file__).resolve().parent.parent
RATINGS = b"1::1::5::978300760\n2::1::3::978302109\n"
MOVIES = "1::Toy Story (1995)::Animation|Children's|Comedy\n"
USERS = b"1::F::1::10::48067\n2::M::56::16::70072\n"
AIMEE = "3854::Aimée & Jaguar (1999)::Drama|Romance|War\n"


def _message(parse, raw: bytes) -> str:
    with pytest.raises(DataError) as caught:
        parse(raw)
    return str(caught.value)


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        (
            parse_ratings,
            b"1::1::5::0\n1::608::1.9::0\n",
            "line 2 of ratings.dat: rating '1.9' is not a whole number.",
        ),
        (
            parse_ratings,
            b"1.0::608::4::0\n",
            "line 1 of ratings.dat: user_id '1.0' is not a whole number.",
        ),
        (
            parse_ratings,
            b"1::+608::4::0\n",
            "line 1 of ratings.dat: movie_id '+608' is not a whole number.",
        ),
        (
            parse_ratings,
            b"1::1::5::0\n1::2::5::9.78e8\n",
            "line 2 of ratings.dat: timestamp '9.78e8' is not a whole number.",
        ),
        (
            parse_ratings,
            b"1::2:: 5::0\n",
            "line 1 of ratings.dat: rating ' 5' is not a whole number.",
        ),
        (parse_ratings, b"1::2::::0\n", "line 1 of ratings.dat: rating '' is not a whole number."),
        (
            parse_ratings,
            b"1::2::-1::0\n",
            "line 1 of ratings.dat: rating '-1' is not a whole number.",
        ),
        (
            parse_ratings,
            b"1::1::5::0\n1::2::9::0\n",
            "line 2 of ratings.dat: rating '9' is outside [1, 5].",
        ),
        (
            parse_users,
            b"1.5::F::1::10::48067\n",
            "line 1 of users.dat: user_id '1.5' is not a whole number.",
        ),
        (
            parse_users,
            b"1::F::18.0::10::48067\n",
            "line 1 of users.dat: age '18.0' is not a whole number.",
        ),
        (
            parse_users,
            b"1::F::18::1e1::48067\n",
            "line 1 of users.dat: occupation '1e1' is not a whole number.",
        ),
        (
            parse_movies,
            b"1.0::Toy Story (1995)::Comedy\n",
            "line 1 of movies.dat: movie_id '1.0' is not a whole number.",
        ),
    ],
)
def test_fields_are_whole_numbers(parse, raw, message):
    assert _message(parse, raw) == message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"1::2::3::4::5\n1::3::3::4::5\n",  # pandas would take the first field as index
            "line 1 of ratings.dat: expected 4 '::'-separated fields, found 5: '1::2::3::4::5'",
        ),
        (
            b"1::2::3::4\n1::3::3\n",
            "line 2 of ratings.dat: expected 4 '::'-separated fields, found 3: '1::3::3'",
        ),
        (b"1::2::3:::4\n", "line 1 of ratings.dat: timestamp ':4' is not a whole number."),
    ],
)
def test_ratings_field_count(raw, message):
    assert _message(parse_ratings, raw) == message


def test_one_bad_rating_among_a_million(movielens):
    """The fast path hands a single bad field on line 1,000,000 to the strict parse."""
    rows = movielens.ratings.head(1_000_000).astype(str)
    lines = (rows["user_id"] + "::" + rows["movie_id"] + "::" + rows["rating"] + "::0").tolist()
    lines[-1] = "6040::1::4.5::0"
    raw = ("\n".join(lines) + "\n").encode("ascii")
    assert _message(parse_ratings, raw) == (
        "line 1000000 of ratings.dat: rating '4.5' is not a whole number."
    )


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        (parse_ratings, b"1::1::5::0\n\n1::2::9::0\n", "line 2 of ratings.dat is blank."),
        (parse_ratings, b"\n1::1::5::0\n", "line 1 of ratings.dat is blank."),
        (parse_ratings, b"1::1::5::0\n1::2::5::0\n\n", "line 3 of ratings.dat is blank."),
        (parse_ratings, b"1::1::5::0\r\n  \r\n1::2::5::0\r\n", "line 2 of ratings.dat is blank."),
        (
            parse_movies,
            f"{MOVIES}\n2::Jumanji (1995)::Fantasy\n".encode("latin-1"),
            "line 2 of movies.dat is blank.",
        ),
        (
            parse_users,
            b"1::F::1::10::48067\n\n\n2::F::7::10::48067\n",
            "line 2 of users.dat is blank.",
        ),
    ],
)
def test_blank_lines_are_errors_at_their_true_line(parse, raw, message):
    assert _message(parse, raw) == message


def test_line_numbers_count_every_line(tmp_path):
    """Errors found after parsing (unknown ids) still name the file's own line."""
    (tmp_path / "ratings.dat").write_bytes(b"1::1::5::0\r\n2::1::5::0\r\n1::7::5::0\r\n")
    (tmp_path / "movies.dat").write_bytes(MOVIES.encode("latin-1"))
    (tmp_path / "users.dat").write_bytes(USERS)
    with pytest.raises(DataError) as caught:
        load_movielens(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: line 3 of ratings.dat: movie_id 7 is not listed in movies.dat."
    )


def test_crlf_and_final_line_without_newline_load_the_same():
    plain = parse_ratings(RATINGS)
    assert plain["timestamp"].tolist() == [978300760, 978302109]
    pd.testing.assert_frame_equal(parse_ratings(RATINGS.replace(b"\n", b"\r\n")), plain)
    pd.testing.assert_frame_equal(parse_ratings(RATINGS.rstrip(b"\n")), plain)


def test_fast_path_takes_the_real_file_and_agrees_with_the_strict_parse(movielens):
    with zipfile.ZipFile(movielens.source) as archive:
        raw = archive.read("ml-1m/ratings.dat")
    fast = _ratings_fast(raw)
    assert fast is not None and len(fast) == 1_000_209
    head = raw[: raw.index(b"\n", 1_000_000) + 1]  # the first ~46,000 lines
    text = split_fields(head, "ratings.dat", list(RATING_FIELDS))
    strict = pd.DataFrame(
        {c: whole_numbers(text, c, "ratings.dat", *r) for c, r in RATING_FIELDS.items()}
    )
    pd.testing.assert_frame_equal(_ratings_fast(head), strict)
    assert len(strict) == head.count(b"\n")


# --- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        (MOVIES + AIMEE).encode("latin-1"),  # the official encoding
        (MOVIES + AIMEE).encode("utf-8"),  # re-saved by an editor
        (MOVIES + AIMEE).encode("utf-8-sig"),  # with a byte-order mark
    ],
    ids=["latin-1", "utf-8", "utf-8-bom"],
)
def test_movie_titles_in_latin1_or_utf8(raw):
    movies = parse_movies(raw)
    assert movies["title"].tolist() == ["Toy Story (1995)", "Aimée & Jaguar (1999)"]
    assert movies["movie_id"].tolist() == [1, 3854]


def test_double_encoded_utf8_is_refused():
    raw = (MOVIES + AIMEE).encode("utf-8").decode("latin-1").encode("utf-8")
    assert _message(parse_movies, raw) == (
        "line 2 of movies.dat: '3854::AimÃ©e & Jaguar (1999)::Drama|Romance|War' is UTF-8 "
        "text decoded as latin-1 (mojibake); the file mixes encodings or was converted "
        "twice: use the original."
    )


def test_mixed_encodings_are_refused():
    raw = AIMEE.encode("latin-1") + "3855::Aimée (1999)::Drama\n".encode()
    assert _message(parse_movies, raw).startswith(
        "line 2 of movies.dat: '3855::AimÃ©e (1999)::Drama' is UTF-8 text decoded as latin-1"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            MOVIES.encode("latin-1") + b"2::Schindler\x92s List (1993)::Drama\n",
            "line 2 of movies.dat: character U+0092 is a control character, not text in "
            "latin-1 (a binary file, or text saved as Windows-1252?).",
        ),
        (
            b"\xef\xbb\xbf" + MOVIES.encode("latin-1") + b"2::Aim\xe9e (1999)::Drama\n",
            "line 2 of movies.dat: byte 0xE9 is not UTF-8, though the file starts with a "
            "UTF-8 byte-order mark.",
        ),
        (
            b"1::Toy Story (1995)::Comedy\x00\x00\n",
            "line 1 of movies.dat: character U+0000 is a control character, not text in "
            "ASCII (a binary file, or text saved as Windows-1252?).",
        ),
    ],
    ids=["windows-1252", "bad-bom", "binary"],
)
def test_undecodable_text_is_refused(raw, message):
    assert _message(parse_movies, raw) == message


# --- read failures ---------------------------------------------------------------------


def _zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(f"ml-1m/{name}", data)
    return buffer.getvalue()


def _good_members() -> dict[str, bytes]:
    ratings = b"".join(b"%d::1::%d::0\n" % (user, 1 + user % 5) for user in range(1, 300))
    users = b"".join(b"%d::F::25::4::48067\n" % user for user in range(1, 300))
    return {"ratings.dat": ratings, "movies.dat": MOVIES.encode("latin-1"), "users.dat": users}


def _damaged_zip(path: Path, compression: int) -> Path:
    """A zip whose ``ratings.dat`` bytes are overwritten in place (CRC or stream broken)."""
    blob = bytearray(_zip_with(_good_members(), compression))
    info = zipfile.ZipFile(io.BytesIO(bytes(blob))).getinfo("ml-1m/ratings.dat")
    start = info.header_offset + 30 + len(info.filename)
    if compression == zipfile.ZIP_DEFLATED:
        blob[start : start + 16] = b"\xff" * 16  # an invalid deflate block type
    else:
        blob[start] = ord("7")  # "1::1::2::0" becomes "7::1::2::0": only the CRC can tell
    path.write_bytes(bytes(blob))
    return path


def test_good_small_zip_loads(tmp_path):
    archive = tmp_path / "ml-1m.zip"
    archive.write_bytes(_zip_with(_good_members()))
    small = load_movielens(archive)
    assert (len(small.ratings), len(small.movies), len(small.users)) == (299, 1, 299)


def test_corrupt_deflate_stream(tmp_path):
    archive = _damaged_zip(tmp_path / "ml-1m.zip", zipfile.ZIP_DEFLATED)
    with pytest.raises(DataError) as caught:
        load_movielens(archive)
    assert str(caught.value) == (
        f"ml-1m/ratings.dat in {archive} cannot be read: Error -3 while decompressing data: "
        "invalid block type. The archive is damaged or uses an unsupported format: "
        "download it again."
    )


def test_bad_crc(tmp_path):
    archive = _damaged_zip(tmp_path / "ml-1m.zip", zipfile.ZIP_STORED)
    with pytest.raises(DataError) as caught:
        load_movielens(archive)
    assert str(caught.value).startswith(
        f"ml-1m/ratings.dat in {archive} cannot be read: Bad CRC-32 for file "
        "'ml-1m/ratings.dat'. The archive is damaged"
    )


def test_truncated_zip(tmp_path):
    archive = tmp_path / "ml-1m.zip"
    archive.write_bytes(_zip_with(_good_members())[:-40])
    with pytest.raises(DataError) as caught:
        load_movielens(archive)
    assert str(caught.value) == (
        f"{archive} is not a readable zip archive (File is not a zip file)."
    )


def _folder(tmp_path: Path, **replace: bytes) -> Path:
    members = _good_members() | {f"{name}.dat": raw for name, raw in replace.items()}
    for name, raw in members.items():
        (tmp_path / name).write_bytes(raw)
    return tmp_path


@pytest.mark.parametrize("name", ["ratings", "movies", "users"])
def test_empty_file(tmp_path, name):
    folder = _folder(tmp_path, **{name: b""})
    with pytest.raises(DataError) as caught:
        load_movielens(folder)
    assert str(caught.value) == f"{folder}: {name}.dat is empty."


def test_empty_movies_in_zip_says_so(tmp_path):
    """Not "movie 1 is not listed": the real problem is the empty file."""
    archive = tmp_path / "ml-1m.zip"
    archive.write_bytes(_zip_with(_good_members() | {"movies.dat": b""}))
    with pytest.raises(DataError) as caught:
        load_movielens(archive)
    assert str(caught.value) == f"{archive}: movies.dat is empty."


def test_unreadable_file(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    users = folder / "users.dat"
    users.chmod(0)
    if os.access(users, os.R_OK):  # root reads anything: refuse the way the kernel would
        real = Path.read_bytes

        def read_bytes(path: Path) -> bytes:
            if path == users:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(DataError) as caught:
        load_movielens(folder)
    assert str(caught.value) == f"{users} cannot be read: Permission denied"


def test_a_folder_where_a_file_belongs(tmp_path):
    folder = _folder(tmp_path)
    (folder / "movies.dat").unlink()
    (folder / "movies.dat").mkdir()
    with pytest.raises(DataError) as caught:
        load_movielens(folder)
    assert str(caught.value) == f"{folder / 'movies.dat'} cannot be read: Is a directory"


# --- the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "models.pipeline",
        "models.catalogue",
        "models.item_map",
        "models.user_views",
        "models.benchmark",
    ],
)
def test_cli_prints_the_error_and_exits_2(tmp_path, module):
    archive = _damaged_zip(tmp_path / "ml-1m.zip", zipfile.ZIP_DEFLATED)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"seed": 42}))
    done = subprocess.run(
        [sys.executable, "-m", module, "--data", str(archive), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"error: ml-1m/ratings.dat in {archive} cannot be read: Error -3 while decompressing "
        "data: invalid block type. The archive is damaged or uses an unsupported format: "
        "download it again.\n"
    )
    assert sorted(path.name for path in out.iterdir()) == ["manifest.json"]
