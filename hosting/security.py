"""Security headers on every response, and 400/404 instead of 500 for malformed requests.

Content-Security-Policy: scripts only from this site, plus Dash's own inline scripts (the
clientside-callback block and the renderer's start line) allowed by their SHA-256 hashes
(``Dash.csp_hashes``, computed once after every callback is registered). Styles allow
``'unsafe-inline'``: plotly.js writes its stylesheet into a ``<style>`` element at run time
and React sets ``style`` attributes (tested in Chromium, ``tests/test_browser_security``).
``frame-ancestors`` comes from ``FRAME_ANCESTORS`` (default ``'self'``), so a teacher can
let a learning platform embed the article, e.g. ``FRAME_ANCESTORS="'self'
https://moodle.example.edu"``.

Malformed callback requests (:func:`callback_request_problem`) answer 400 before Dash reads
them, and a component-suite path Dash does not know answers 404 (Dash raises
``DependencyException``, a 500, and lists every file it serves).
"""

from __future__ import annotations

import os
import re

from dash import Dash
from dash.exceptions import CallbackException, DependencyException
from flask import Response, abort, jsonify, request

#: Environment variable: who may embed the article in a frame (CSP ``frame-ancestors``).
FRAME_ANCESTORS_ENV = "FRAME_ANCESTORS"
DEFAULT_FRAME_ANCESTORS = "'self'"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# One source expression: a keyword, a scheme, or a host with optional scheme, port, path.
_SOURCE = re.compile(
    r"'self'|'none'|https?:|(https?://)?(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?(/[\w./~-]*)?",
    re.ASCII,
)


def frame_ancestors(environ: dict[str, str] | None = None) -> str:
    """The ``frame-ancestors`` sources from ``FRAME_ANCESTORS`` (default ``'self'``).

    Raises:
        ValueError: a source is not a CSP source expression (``;`` or ``,`` would let the
            setting rewrite the rest of the policy).
    """
    raw = (os.environ if environ is None else environ).get(FRAME_ANCESTORS_ENV, "").strip()
    if not raw:
        return DEFAULT_FRAME_ANCESTORS
    sources = raw.split()
    for source in sources:
        if not _SOURCE.fullmatch(source):
            raise ValueError(
                f"{FRAME_ANCESTORS_ENV}: {source[:40]!r} is not a CSP source "
                "(use 'self', 'none' or origins like https://lms.example.edu)"
            )
    return " ".join(sources)


def content_security_policy(script_hashes: list[str], ancestors: str) -> str:
    """The policy: every fetch from this site only, inline scripts by hash only.

    Args:
        script_hashes: ``'sha256-...'`` sources of the page's inline scripts.
        ancestors: ``frame-ancestors`` sources (see :func:`frame_ancestors`).
    """
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(app: Dash, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The headers every response gets; call after every callback is registered."""
    return {
        "Content-Security-Policy": content_security_policy(
            list(app.csp_hashes()), frame_ancestors(environ)
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
    }


def _is_id(value: object) -> bool:
    return isinstance(value, str | dict)


def _is_prop(item: object) -> bool:
    """An ``{"id", "property"}`` item, or a list of them (a pattern-matching ALL)."""
    if isinstance(item, list):
        return all(_is_prop(one) for one in item)
    return (
        isinstance(item, dict) and _is_id(item.get("id")) and isinstance(item.get("property"), str)
    )


def callback_request_problem(app: Dash, body: object) -> str | None:
    """Why a ``/_dash-update-component`` body cannot be a browser's request, or None.

    Checks what Dash reads without checking: a JSON object whose ``output`` names a
    registered callback, with ``outputs``, ``inputs`` and ``state`` of the right kinds and
    as many inputs and states as the callback declares. Values are not checked here (the
    callbacks validate them).
    """
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    spec = app.callback_map.get(output) if isinstance(output, str) else None
    if spec is None:
        return "no such callback output"
    outputs = body.get("outputs")
    if not outputs or not _is_prop(outputs):
        return "outputs must name component properties"
    for key in ("inputs", "state"):
        items = body.get(key, [])
        declared = spec.get(key, [])
        if not isinstance(items, list) or not all(_is_prop(item) for item in items):
            return f"{key} must be a list of component properties"
        if len(items) != len(declared):
            return f"{key}: expected {len(declared)} items, got {len(items)}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(one, str) for one in changed):
        return "changedPropIds must be a list of strings"
    return None


def _bad_request(message: str) -> Response:
    response = jsonify({"error": f"Malformed callback request: {message}."})
    response.status_code = 400
    return response


def _refuse_long_chunked_body(limit: int | None) -> None:
    """413 for a body without Content-Length (chunked) that goes past ``limit``.

    Werkzeug enforces ``MAX_CONTENT_LENGTH`` on such a body by cutting it at the limit,
    which then reads as bad JSON (400); one more byte left unread means it was too long.
    """
    if request.content_length is not None or not limit:
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        abort(413)


def register(app: Dash, environ: dict[str, str] | None = None) -> None:
    """Add the headers to every response and answer malformed requests with 400/404.

    Call once, after the layout and every callback are set (the script hashes must see
    every clientside callback).

    Raises:
        ValueError: a bad ``FRAME_ANCESTORS`` setting (refuse to start rather than serve
            a policy nobody meant).
    """
    headers = security_headers(app, environ)
    server = app.server
    update_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.before_request
    def _check_callback_request():
        if request.method != "POST" or request.path != update_path:
            return None
        _refuse_long_chunked_body(server.config.get("MAX_CONTENT_LENGTH"))
        # get_json raises 400 for bad JSON, 413 above MAX_CONTENT_LENGTH, 415 for non-JSON.
        problem = callback_request_problem(app, request.get_json())
        return None if problem is None else _bad_request(problem)

    @server.errorhandler(CallbackException)
    def _callback_mismatch(error: CallbackException):
        return _bad_request("inputs do not match the callback")

    @server.errorhandler(DependencyException)
    def _unknown_dependency(error: DependencyException):
        return Response("Not found.\n", status=404, mimetype="text/plain")

    @server.after_request
    def _add_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
