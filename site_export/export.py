"""Write the static copy: ask the app for every file a first visit needs, store it as-is."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from dash import Dash, dash_table, dcc

from hosting.caching import IMMUTABLE_PATHS
from site_export.rewrite import (
    JSON_ENDPOINTS,
    SCRIPT_NAME,
    data_urls,
    local_urls,
    static_dependencies,
    static_index,
)

#: Left in the folder so that a later export knows it may replace it.
MARKER = ".static-copy"
#: Extra files the app serves outside the index's URLs (404 is fine: none configured).
OPTIONAL_FILES = ("robots.txt",)


class ExportError(Exception):
    """The copy cannot be written (the target is not ours to replace, or the app failed)."""


@dataclass(frozen=True)
class ExportSummary:
    """What was written: the folder, its file count and bytes, the callbacks made live-only."""

    folder: Path
    n_files: int
    n_bytes: int
    n_live_only: int

    def __str__(self) -> str:
        return (
            f"static copy written to {self.folder}: {self.n_files} files, "
            f"{self.n_bytes / 1e6:.2f} MB; {self.n_live_only} server callbacks show "
            f'"this needs the live app". Serve it with: python -m http.server -d {self.folder}'
        )


def lazy_chunks() -> list[str]:
    """URL paths of the component chunks loaded on demand (graph, dropdown, slider, ...).

    They are not in the index: each bundle loads them from its own folder when a component
    first needs them, under their plain names.
    """
    paths = []
    for module in (dcc, dash_table):
        for resource in module._js_dist:
            path = resource.get("relative_package_path")
            # "eager" marks plotly.js, which the page takes from assets/vendor instead.
            if resource.get("async") is True and isinstance(path, str) and path.endswith(".js"):
                paths.append(f"_dash-component-suites/{resource['namespace']}/{path}")
    return paths


def _get(client, url: str, required: bool = True) -> bytes | None:
    response = client.get("/" + url)
    if response.status_code != 200:
        if required:
            raise ExportError(f"the app answered {response.status_code} for /{url}")
        return None
    return response.get_data()


def collect(app: Dash) -> tuple[dict[str, bytes], int]:
    """Every file of the static copy, by relative path, and the number of live-only callbacks.

    Raises:
        ExportError: if the app cannot serve a file its own index refers to.
    """
    client = app.server.test_client()
    index = _get(client, "").decode("utf-8")
    files: dict[str, bytes] = {"index.html": static_index(index).encode("utf-8")}
    for url in local_urls(index) + lazy_chunks():
        files[urlsplit(url).path] = _get(client, url)
    files["_dash-layout.json"] = _get(client, JSON_ENDPOINTS[0])
    dependencies, n_live_only = static_dependencies(json.loads(_get(client, JSON_ENDPOINTS[1])))
    files["_dash-dependencies.json"] = json.dumps(dependencies).encode("utf-8")
    # Files the app names by a hash of their content (the trees of the boxes the browser
    # mounts later), which only the layout refers to.
    for path in sorted(app.server.extensions.get(IMMUTABLE_PATHS, ())):
        files[path.lstrip("/")] = _get(client, path.lstrip("/"))
    # Data files (the map's points) are named in the layout or in a later-mounted box.
    trees = [name for name in files if name.endswith(".json") and name != "_dash-dependencies.json"]
    for tree in trees:
        for url in data_urls(files[tree].decode("utf-8")):
            files[urlsplit(url).path] = _get(client, url)
    for name in OPTIONAL_FILES:
        body = _get(client, name, required=False)
        if body is not None:
            files[name] = body
    files[SCRIPT_NAME] = resources.files("site_export").joinpath(SCRIPT_NAME).read_bytes()
    for asset in sorted(Path(app.config.assets_folder).rglob("*")):
        relative = asset.relative_to(app.config.assets_folder).as_posix()
        if asset.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            files.setdefault(f"assets/{relative}", asset.read_bytes())
    return files, n_live_only


def _check_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise ExportError(
            f"{folder} is not empty and holds no earlier static copy; "
            "choose an empty or new folder (nothing was written)"
        )


def export_site(app: Dash, folder: Path) -> ExportSummary:
    """Write the static copy of ``app`` to ``folder``, replacing an earlier copy there.

    The files are written to a temporary sibling folder first and swapped in at the end,
    so a failure leaves ``folder`` as it was.

    Raises:
        ExportError: if ``folder`` is a file or a non-empty folder that is not an earlier
            copy, or if the app cannot serve a file its index refers to.
    """
    folder = Path(folder)
    _check_target(folder)
    files, n_live_only = collect(app)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        for relative, body in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        (staging / MARKER).write_text("written by python -m site_export\n")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportSummary(folder, len(files), sum(map(len, files.values())), n_live_only)
