"""Cache-Control headers: a year for fingerprinted files, revalidation for the page itself.

Dash names its component bundles with a fingerprint (``dash_renderer.v4_4_1m1795998685.js``:
package version and file time) and adds ``?m=<file mtime>`` to every file of ``assets/``,
so a changed file gets a new URL and the old URL may be cached for good. Such responses
get ``public, max-age=31536000, immutable``. An asset asked for with a stale or missing
``?m=`` is not versioned, so it gets ``no-cache`` (the browser revalidates with its ETag).
The index HTML, ``/_dash-layout`` and ``/_dash-dependencies`` change with every deploy and
name the current bundle URLs: ``no-cache``. The two JSON documents also get an ETag, so a
reload costs a 304; the index cannot (Dash writes a fresh callback token into each one).
Files the app makes itself (the trees of the boxes mounted later, the joined assets) are
served by :func:`publish` under a name that holds a hash of their content.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import dash
from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Request, Response, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
#: ``app.server.extensions`` key: URL paths the app itself fingerprints (see mark_immutable).
IMMUTABLE_PATHS = "article_immutable_paths"
REVALIDATE = "no-cache"
#: Dash's two JSON documents that describe the page (relative to the routes prefix).
PAGE_DOCUMENTS = ("_dash-layout", "_dash-dependencies")
#: ``app.server.extensions`` key: the files :func:`publish` serves, by file name.
PUBLISHED = "article_published_files"


def asset_version(assets_folder: str, filename: str) -> str | None:
    """The ``?m=`` value Dash writes for ``assets/<filename>`` now, or None if no such file.

    Dash formats the file's modification time as ``str(os.stat(path).st_mtime)``.
    """
    path = safe_join(assets_folder, filename)
    if path is None or not os.path.isfile(path):
        return None
    return str(os.stat(path).st_mtime)


def mark_immutable(app: Dash, path: str) -> None:
    """Treat ``path`` as fingerprinted: its name holds a hash of its content."""
    app.server.extensions.setdefault(IMMUTABLE_PATHS, set()).add(path)


@dataclass(frozen=True)
class Published:
    """A file the app makes itself and serves under a name that holds its content's hash."""

    body: bytes
    mimetype: str


def content_name(stem: str, body: bytes, suffix: str) -> str:
    """``<stem>.<first 16 hex digits of the body's SHA-256><suffix>``: same body, same name."""
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:16]}{suffix}"


def publish(app: Dash, stem: str, suffix: str, body: bytes, mimetype: str) -> str:
    """Serve ``body`` at ``<routes prefix><content_name(stem, body, suffix)>``, cached for
    good (and so compressed once); returns that file name.

    Files published earlier under the same stem stay served (a browser holding an older
    page can still fetch what it names). Another name of that pattern answers 404.
    """
    files = app.server.extensions.setdefault(PUBLISHED, {})
    endpoint = f"published:{stem}{suffix}"
    if endpoint not in app.server.view_functions:

        def serve(digest: str) -> Response:
            found = files.get(f"{stem}.{digest}{suffix}")
            if found is None:
                return Response("no such file", status=404, mimetype="text/plain")
            return Response(found.body, mimetype=found.mimetype)

        rule = f"{app.config.routes_pathname_prefix}{stem}.<digest>{suffix}"
        app.server.add_url_rule(rule, endpoint=endpoint, view_func=serve)
    name = content_name(stem, body, suffix)
    files[name] = Published(body, mimetype)
    mark_immutable(app, app.config.routes_pathname_prefix + name)
    return name


def is_fingerprinted(app: Dash, req: Request) -> bool:
    """Whether ``req`` names one version of a file for good (safe to cache for a year).

    True for a component bundle whose file name carries Dash's fingerprint, for an
    asset whose ``?m=`` equals the file's current modification time (and for Dash's
    default favicon with ``?v=`` its version), and for a path given to
    :func:`mark_immutable`.
    """
    if req.path in app.server.extensions.get(IMMUTABLE_PATHS, ()):
        return True
    view_args = req.view_args or {}
    if req.path == app.config.routes_pathname_prefix + "_favicon.ico":
        # Dash's own icon, versioned by Dash's version (``?v=4.4.1``).
        return req.args.get("v") == dash.__version__
    if "fingerprinted_path" in view_args:
        return check_fingerprint(view_args["fingerprinted_path"])[1]
    if (req.endpoint or "").endswith("dash_assets.static"):
        version = req.args.get("m")
        return version is not None and version == asset_version(
            app.config.assets_folder, view_args.get("filename", "")
        )
    return False


def is_page_document(app: Dash, req: Request) -> bool:
    """Whether ``req`` asks for ``/_dash-layout`` or ``/_dash-dependencies``."""
    prefix = app.config.routes_pathname_prefix
    return req.path in {prefix + name for name in PAGE_DOCUMENTS}


def cache_control(app: Dash, req: Request, response: Response) -> str | None:
    """The Cache-Control value ``response`` should carry, or None to leave it as it is."""
    if req.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return None
    if is_fingerprinted(app, req):
        return IMMUTABLE
    if (
        is_page_document(app, req)
        or response.mimetype == "text/html"
        or "fingerprinted_path" in (req.view_args or {})
        or (req.endpoint or "").endswith("dash_assets.static")
    ):
        return REVALIDATE
    return None


def register(app: Dash) -> None:
    """Set Cache-Control (and an ETag where revalidation needs one) on every response."""

    @app.server.after_request
    def _set_cache_headers(response: Response) -> Response:
        value = cache_control(app, request, response)
        if value is None:
            return response
        response.headers["Cache-Control"] = value
        if response.status_code == 200 and is_page_document(app, request):
            # A cheap 304 on reload. flask-compress re-evaluates If-None-Match against the
            # ETag of the compressed body, so compressed and plain clients both get one.
            response.add_etag()
            response.make_conditional(request)
        return response
