"""Read the raw ``::``-separated files of MovieLens 1M strictly: bytes, text, lines, fields.

Every failure is a :class:`DataError` whose message names the file, and the line where
there is one. Line numbers are those of the file as it is: lines are split on ``\\n``
only (a ``\\r`` before it is dropped), and a blank line is an error, never skipped, so
row ``i`` of a parsed table is always line ``i + 1``.

Text encoding: the official files are latin-1 (only ``movies.dat`` has non-ASCII bytes).
A file that decodes as valid UTF-8 is taken as UTF-8 (a re-saved copy); anything else
as latin-1. Text that would be mojibake (UTF-8 read as latin-1, such as ``"AimÃ©e"``)
or that holds control characters (binary data, Windows-1252 punctuation) is refused.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import lzma
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

FILES = ("ratings.dat", "movies.dat", "users.dat")

# Everything zipfile may raise while decompressing a damaged or unusual member:
# bad CRC and truncation (BadZipFile, EOFError), corrupt deflate/lzma streams,
# encryption (RuntimeError), unknown compression methods (NotImplementedError).
_MEMBER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
# C0 controls other than tab, line feed and carriage return; DEL; the C1 block, which
# latin-1 maps from the bytes 0x80-0x9F that Windows-1252 uses for punctuation.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHOLE = r"[0-9]+"


class DataError(ValueError):
    """The archive is missing, unreadable, or its content breaks the MovieLens 1M format."""


def _line_of(data: bytes | str, position: int) -> int:
    """The 1-based line number of a byte or character offset."""
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, position) + 1


def read_file(path: Path) -> bytes:
    """The bytes of ``path``.

    Raises:
        DataError: the file cannot be read (permissions, a folder, an I/O error).
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _read_member(archive: zipfile.ZipFile, member: str, source: Path) -> bytes:
    try:
        return archive.read(member)
    except _MEMBER_ERRORS as exc:
        raise DataError(
            f"{member} in {source} cannot be read: {exc}. The archive is damaged or uses "
            "an unsupported format: download it again."
        ) from exc


def read_members(source: Path) -> tuple[dict[str, bytes], str]:
    """The raw bytes of the three ``.dat`` files and a SHA-256 of where they came from.

    Args:
        source: a zip archive holding the files (in any folder), or a folder holding them
            directly or in ``ml-1m/``.

    Returns:
        ``({file name: bytes}, hex SHA-256)``: the digest is of the zip file, or of the
        three files concatenated in :data:`FILES` order for a folder.

    Raises:
        DataError: a file is missing or unreadable, the zip is not a zip, or a member
            cannot be decompressed (corrupt stream, bad CRC, encrypted, ...).
    """
    if source.is_dir():
        folder = source / "ml-1m" if (source / "ml-1m" / "ratings.dat").exists() else source
        raw = {}
        for name in FILES:
            file = folder / name
            if not file.exists():
                raise DataError(f"{file} is missing from the MovieLens 1M folder {source}.")
            raw[name] = read_file(file)
        return raw, hashlib.sha256(b"".join(raw[name] for name in FILES)).hexdigest()
    blob = read_file(source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise DataError(f"{source} is not a readable zip archive ({exc}).") from exc
    with archive:
        members = {Path(info.filename).name: info.filename for info in archive.infolist()}
        missing = [name for name in FILES if name not in members]
        if missing:
            raise DataError(f"{source} lacks {', '.join(missing)}: not a MovieLens 1M zip.")
        raw = {name: _read_member(archive, members[name], source) for name in FILES}
    return raw, hashlib.sha256(blob).hexdigest()


def decode_text(raw: bytes, name: str) -> str:
    """Decode a ``.dat`` file: ASCII, UTF-8 (with or without a byte-order mark) or latin-1.

    Raises:
        DataError: a byte-order mark followed by invalid UTF-8, a control character, or
            a line that is UTF-8 read as latin-1 (mojibake), naming the line.
    """
    if raw.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            raise DataError(
                f"line {_line_of(raw, exc.start + 3)} of {name}: byte "
                f"0x{raw[exc.start + 3]:02X} is not UTF-8, though the file starts with a "
                "UTF-8 byte-order mark."
            ) from exc
    elif raw.isascii():
        text, encoding = raw.decode("ascii"), "ASCII"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = raw.decode("latin-1"), "latin-1"
    control = _CONTROL.search(text)
    if control:
        raise DataError(
            f"line {_line_of(text, control.start())} of {name}: character "
            f"U+{ord(control.group()):04X} is a control character, not text in {encoding} "
            "(a binary file, or text saved as Windows-1252?)."
        )
    _refuse_mojibake(text, name)
    return text


def _refuse_mojibake(text: str, name: str) -> None:
    """Refuse a line whose characters, written back as latin-1, are UTF-8 (``Ã©`` for é).

    Real titles never hold such pairs; a file re-saved with the wrong encoding does.
    """
    if text.isascii():
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.isascii():
            continue
        try:
            line.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        raise DataError(
            f"line {number} of {name}: {line[:80]!r} is UTF-8 text decoded as latin-1 "
            "(mojibake); the file mixes encodings or was converted twice: use the original."
        )


def split_fields(raw: bytes, name: str, columns: list[str]) -> pd.DataFrame:
    """Split a ``::``-separated file into string columns; row ``i`` is line ``i + 1``.

    Args:
        raw: the file's bytes (see :func:`decode_text` for the encodings accepted).
        name: the file name, for messages.
        columns: the names of the fields, in order.

    Returns:
        One ``str`` column per field, one row per line.

    Raises:
        DataError: an empty file, undecodable text, a blank line, or a line with the
            wrong number of fields, naming the line.
    """
    if not raw.strip():
        raise DataError(f"{name} is empty.")
    lines = decode_text(raw, name).split("\n")
    if lines[-1] == "":  # the newline that ends the last line
        lines.pop()
    rows = []
    for number, line in enumerate(lines, start=1):
        fields = line.removesuffix("\r").split("::")
        if len(fields) != len(columns):
            if not line.strip():
                raise DataError(f"line {number} of {name} is blank.")
            raise DataError(
                f"line {number} of {name}: expected {len(columns)} '::'-separated fields, "
                f"found {len(fields)}: {line[:80]!r}"
            )
        rows.append(fields)
    return pd.DataFrame(rows, columns=columns, dtype=str)


def whole_numbers(frame: pd.DataFrame, column: str, name: str, low: int, high: int) -> np.ndarray:
    """A string column as ``int64``: each value written as digits only, within [low, high].

    Raises:
        DataError: the first value that is not a whole number written as one ("1.9",
            "+5", " 5", "") or lies outside the range, naming its line.
    """
    text = frame[column]
    written = text.str.fullmatch(_WHOLE).to_numpy(dtype=bool)
    if not written.all():
        first = int(np.flatnonzero(~written)[0])
        raise DataError(
            f"line {first + 1} of {name}: {column} {text.iat[first]!r} is not a whole number."
        )
    values = pd.to_numeric(text)
    outside = ((values < low) | (values > high)).to_numpy()
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise DataError(
            f"line {first + 1} of {name}: {column} {text.iat[first]!r} is outside [{low}, {high}]."
        )
    return values.to_numpy(dtype=np.int64)


def check_unique(ids: np.ndarray, name: str, column: str) -> None:
    """Raise :class:`DataError` naming the line of the first repeated id."""
    seen = pd.Series(ids).duplicated()
    if seen.any():
        first = int(np.flatnonzero(seen.to_numpy())[0])
        raise DataError(f"line {first + 1} of {name}: duplicate {column} {ids[first]}.")
