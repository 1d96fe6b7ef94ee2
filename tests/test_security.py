"""Security headers on every response; malformed requests answer 400/404/413, never 500."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from dash import Dash, html

from hosting import security

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client():
    from app import app

    return app.server.test_client()


def _paths(client) -> list[str]:
    """The index, Dash's documents and one of every kind of file the page loads."""
    index = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', index)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', index)
    return ["/", "/?user=42", "/_dash-layout", "/_dash-dependencies", "/robots.txt"] + [
        scripts[0],
        scripts[-1],
        styles[0],
        "/_favicon.ico",
    ]


def test_every_response_carries_the_security_headers(client):
    responses = [client.get(path) for path in _paths(client)]
    responses += [
        client.get("/assets/no-such-file.css"),
        client.get("/_dash-component-suites/dash/no-such-file.js"),
        client.post(UPDATE, json=[1]),
        client.post(UPDATE, data=b"x" * (2 * 1024 * 1024), content_type="application/json"),
    ]
    assert [r.status_code for r in responses[-4:]] == [404, 404, 400, 413]
    for response in responses:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy
        assert "object-src 'none'" in policy


def test_the_policy_allows_exactly_the_inline_scripts_of_the_page(client):
    # Scripts inside HTML comments (Dash's note for Internet Explorer) never run.
    index = re.sub(r"<!--.*?-->", "", client.get("/").get_data(as_text=True), flags=re.S)
    policy = dict(
        part.strip().split(" ", 1)
        for part in client.get("/").headers["Content-Security-Policy"].split(";")
    )
    sources = policy["script-src"].split()
    assert sources[0] == "'self'" and "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in policy["script-src"] and "default-src" in policy
    inline = [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", index, re.S)
        if "src=" not in attributes and "application/json" not in attributes
    ]
    # The renderer's start line, and Dash's block of inline clientside callbacks if any
    # callback is written inline (all of them live in assets/ now).
    assert any("new DashRenderer" in body for body in inline) and len(inline) <= 2
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in inline
    }
    assert hashes == set(sources[1:])


def test_frame_ancestors_comes_from_the_environment():
    assert security.frame_ancestors({}) == "'self'"
    allowed = security.frame_ancestors(
        {"FRAME_ANCESTORS": " 'self'   https://moodle.example.edu https://*.lms.example:8443 "}
    )
    assert allowed == "'self' https://moodle.example.edu https://*.lms.example:8443"
    assert security.frame_ancestors({"FRAME_ANCESTORS": "'none'"}) == "'none'"
    for bad in ("'self'; script-src *", "https://a.example,https://b.example", "'unsafe-inline'"):
        with pytest.raises(ValueError, match="is not a CSP source"):
            security.frame_ancestors({"FRAME_ANCESTORS": bad})


def test_a_configured_platform_may_embed_the_page():
    app = Dash(__name__)
    app.layout = html.P("embedded")
    security.register(app, {"FRAME_ANCESTORS": "https://moodle.example.edu"})
    policy = app.server.test_client().get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors https://moodle.example.edu" in policy


#: Box 7's one callback (it reads the selection store): its outputs, as the browser names them.
READER_OUTPUTS = [
    ("movie-why-movie", "figure"),
    ("movie-why-compare", "figure"),
    ("movie-why-table", "children"),
]


def _callback_body(**changes) -> dict:
    """A browser's request for Box 7's callback, which reads the selection, with ``changes``
    (``...`` removes a field)."""
    body = {
        "output": "".join(f"..{name}.{prop}.." for name, prop in READER_OUTPUTS).replace(
            "....", "..."
        ),
        "outputs": [{"id": name, "property": prop} for name, prop in READER_OUTPUTS],
        "inputs": [{"id": "selection-store", "property": "data", "value": None}],
        "changedPropIds": ["selection-store.data"],
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


MALFORMED = {
    "a list": [1, 2],
    "a string": "output",
    "no fields": {},
    "no output": _callback_body(output=...),
    "unknown output": _callback_body(output="no-such.children"),
    "output not a string": _callback_body(output=["selection-profile.children"]),
    "output of a clientside callback": _callback_body(output="selection-link.data"),
    "outputs a number": _callback_body(outputs=5),
    "outputs empty": _callback_body(outputs=[]),
    "inputs a string": _callback_body(inputs="x"),
    "inputs missing": _callback_body(inputs=...),
    "too many inputs": _callback_body(inputs=[{"id": "selection-store", "property": "data"}] * 2),
    "input without property": _callback_body(inputs=[{"id": "selection-store"}]),
    "input a number": _callback_body(inputs=[5]),
    "state not a list": _callback_body(state={"id": "x"}),
    "changedPropIds a number": _callback_body(changedPropIds=5),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_callback_payloads_answer_400(client, body):
    response = client.post(UPDATE, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Malformed callback request: ")


def test_bad_json_and_wrong_content_type(client):
    assert client.post(UPDATE, data=b"{not json", content_type="application/json").status_code == (
        400
    )
    assert client.post(UPDATE, data=b"hello", content_type="text/plain").status_code == 415
    assert client.post(UPDATE, json=_callback_body()).status_code == 200


def test_a_20_mb_body_is_refused_with_413(client):
    big = b'{"output": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    assert client.post(UPDATE, data=big, content_type="application/json").status_code == 413
    # Without a Content-Length (a chunked upload, which gunicorn marks as terminated
    # input) the limit holds while reading.
    response = client.post(
        UPDATE,
        input_stream=iter_stream(big),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413


def iter_stream(data: bytes):
    """A file-like body with no known length."""
    import io

    return io.BufferedReader(io.BytesIO(data))


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/../app.py",
        "/_dash-component-suites/dash/dcc/nope.v4_4_1m1.js",
        "/_dash-component-suites/plotly/package_data/../../../etc/passwd",
    ],
)
def test_unknown_component_suite_paths_answer_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    # Dash's error lists every file it serves; the answer says nothing.
    assert response.get_data(as_text=True) == "Not found.\n"
