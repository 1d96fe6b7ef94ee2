"""Pure rewrites that turn what the live app serves into files a static server can host."""

from __future__ import annotations

import json
import re

#: The script every page of the static copy loads first (see ``static-copy.js``).
SCRIPT_NAME = "static-copy.js"
#: Renderer endpoints stored under a ``.json`` name (static servers pick types by suffix).
JSON_ENDPOINTS = ("_dash-layout", "_dash-dependencies")
#: The clientside stand-in for every server callback (defined in ``static-copy.js``).
LIVE_ONLY_HOOK = {"namespace": "static_copy", "function_name": "needs_live_app"}
#: Shown where the page would otherwise be blank: no JavaScript, or opened as file://.
SERVE_HINT = (
    "This is a static copy of the article: serve this folder with any web server, for "
    "example <code>python -m http.server 8000</code> run inside it, then open "
    "http://localhost:8000/ (a page opened from disk cannot load its data)."
)

_CONFIG = re.compile(r'(<script id="_dash-config" type="application/json">)(.*?)(</script>)', re.S)
_LOCAL_URL = re.compile(r'((?:src|href)=")/(?!/)([^"]*)(")')
# Data files the page fetches itself (the map's points), named in the layout relative to
# the request prefix: "_data/item-map.json?v=<hash>".
_DATA_URL = re.compile(r"_data/[A-Za-z0-9._-]+(\?v=[0-9a-f]+)?")


def local_urls(index_html: str) -> list[str]:
    """Every same-site ``src``/``href`` of the live index, as paths without a leading ``/``.

    Query strings (``?m=`` asset versions) are kept: they name what to request; the file
    is stored under the path alone. Absolute (``https://``) and protocol-relative
    (``//host``) URLs are not ours to copy.
    """
    return [match.group(2) for match in _LOCAL_URL.finditer(index_html)]


def data_urls(layout_json: str) -> list[str]:
    """Every ``_data/`` file the layout names (with its ``?v=`` version), each once.

    The browser fetches them when a box needs them (``assets/item_map.js``); a static
    server ignores the query, so each is stored under its path.
    """
    found: dict[str, None] = {}

    def visit(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, str) and _DATA_URL.fullmatch(value):
            found[value] = None

    visit(json.loads(layout_json))
    return list(found)


def static_index(index_html: str) -> str:
    """The live index made static: relative URLs, ``./`` as the request prefix, the
    static-copy script first, and a note for readers without JavaScript.

    Raises:
        ValueError: if the index has no Dash config (not a Dash index page).
    """
    match = _CONFIG.search(index_html)
    if not match:
        raise ValueError("the index has no _dash-config script: is this a Dash page?")
    config = json.loads(match.group(2))
    # Relative prefixes: the copy works at any path (a site root or a sub-folder).
    config["url_base_pathname"] = "./"
    config["requests_pathname_prefix"] = "./"
    config.pop("end_id", None)  # a per-page-load token for callbacks; there are none here
    text = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    page = index_html[: match.start(2)] + text + index_html[match.end(2) :]
    page = _LOCAL_URL.sub(r"\1\2\3", page)
    page = page.replace("</head>", f'<script src="{SCRIPT_NAME}"></script>\n</head>', 1)
    return page.replace(
        '<div id="react-entry-point">',
        f'<noscript><p class="static-copy-hint">{SERVE_HINT}</p></noscript>\n'
        '<div id="react-entry-point">',
        1,
    )


def static_dependencies(dependencies: list[dict]) -> tuple[list[dict], int]:
    """The callback graph with every server callback replaced by the live-only hook.

    Clientside callbacks (the toys, the address bar) stay as they are. A server callback
    keeps its inputs and outputs, so using its control calls the hook, which shows "this
    needs the live app" beside the control and changes nothing; it never runs at load (the
    layout already holds every box's default state).

    Returns:
        ``(dependencies, n_replaced)``.
    """
    rewritten, replaced = [], 0
    for dependency in dependencies:
        if dependency.get("clientside_function"):
            rewritten.append(dependency)
            continue
        replaced += 1
        rewritten.append(
            {**dependency, "clientside_function": LIVE_ONLY_HOOK, "prevent_initial_call": True}
        )
    return rewritten, replaced


__all__ = [
    "JSON_ENDPOINTS",
    "LIVE_ONLY_HOOK",
    "SCRIPT_NAME",
    "SERVE_HINT",
    "data_urls",
    "local_urls",
    "static_dependencies",
    "static_index",
]
