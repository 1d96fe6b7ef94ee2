"""The stylesheets and scripts of ``assets/`` as one file each, not one request per file.

Dash links every ``.css`` and ``.js`` file of ``assets/`` separately: the article's ten
stylesheets and twelve scripts were 22 of a first visit's 40 requests, each a round trip
for the browser (six at a time over HTTP/1.1; the stylesheets block the first paint) and
a pass through the server. Here they are joined, in the order Dash would link them
(folders and files sorted by name), into ``_assets.<hash>.css`` and ``_assets.<hash>.js``,
served as fingerprinted files (cached for good, compressed once) and linked where Dash
puts the assets: the stylesheet after any external ones, the script after React and
before the component bundles. The separate files stay served under ``/assets/``.

Each script is its own strict-mode function (``(function () { "use strict"; ... })()``),
so joining them with ``;`` and a newline changes nothing of what each does. The files are
read once, when the app starts: with ``DASH_DEBUG=1`` (Dash's hot reload of edited assets)
nothing is joined and Dash links each file as usual.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dash import Dash

from hosting import caching

#: For ``Dash(assets_ignore=...)``: Dash links none of the joined files itself.
ASSETS_IGNORE = r"\.(css|js)$"
#: Stem of the joined files' names: ``_assets.<sha256 prefix>.css`` and ``.js``.
FILE_STEM = "_assets"
#: How the joined files are served, by suffix.
MIMETYPES = {".css": "text/css", ".js": "text/javascript"}


def enabled(environ: dict[str, str] | None = None) -> bool:
    """Whether to join the assets: not under Dash's hot reload (``DASH_DEBUG=1``)."""
    return (os.environ if environ is None else environ).get("DASH_DEBUG") != "1"


def asset_files(folder: Path, suffix: str, exclude: str | None = None) -> list[Path]:
    """The files of ``folder`` with ``suffix``, in the order Dash links them.

    Dash walks the folder with ``sorted(os.walk(...))`` (a folder before its subfolders)
    and sorts each folder's file names; hidden files are skipped, and so is any name
    ``exclude`` (a regular expression, as Dash's ``assets_ignore``) matches.
    """
    skip = re.compile(exclude) if exclude else None
    found = []
    for current, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            wanted = name.endswith(suffix) and not name.startswith(".")
            if wanted and (skip is None or not skip.search(name)):
                found.append(Path(current) / name)
    return found


def joined(files: list[Path], suffix: str) -> bytes:
    """The files' bytes one after another; scripts separated by ``;`` and a newline (a
    file that ends without a semicolon cannot run into the next one)."""
    separator = b"\n;\n" if suffix == ".js" else b"\n"
    return separator.join(path.read_bytes().rstrip() for path in files) + b"\n"


def register(app: Dash, exclude: str | None = None) -> dict[str, str]:
    """Join ``app``'s assets, serve the two files and link them from the index.

    The app must have been created with ``assets_ignore=ASSETS_IGNORE`` (alone or in an
    alternative), so that Dash does not link the files a second time.

    Args:
        app: the Dash app.
        exclude: file names left out of the joined files (e.g. a script loaded on demand).

    Returns:
        The URL of each joined file as the browser asks for it, by suffix (none for a
        suffix without files).
    """
    urls = {}
    folder = Path(app.config.assets_folder)
    for suffix, mimetype in MIMETYPES.items():
        files = asset_files(folder, suffix, exclude)
        if not files:
            continue
        name = caching.publish(app, FILE_STEM, suffix, joined(files, suffix), mimetype)
        urls[suffix] = app.config.requests_pathname_prefix + name
    for suffix, links in (
        (".css", app.config.external_stylesheets),
        (".js", app.config.external_scripts),
    ):
        if suffix in urls and urls[suffix] not in links:
            links.append(urls[suffix])
    return urls


__all__ = ["ASSETS_IGNORE", "FILE_STEM", "asset_files", "enabled", "joined", "register"]
