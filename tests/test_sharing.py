"""A page that shares well: meta description, Open Graph and Twitter cards, robots.txt."""

from __future__ import annotations

import os
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hosting.sharing import DESCRIPTION, TITLE, Site

ROOT = Path(__file__).resolve().parent.parent


class HeadTags(HTMLParser):
    """Collects ``<meta>`` name/property -> content and ``<link rel>`` -> href."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("name") or attrs.get("property")
        if tag == "meta" and key:
            assert key not in self.meta, f"duplicate meta {key}"
            self.meta[key] = attrs["content"]
        if tag == "link":
            self.links[attrs["rel"]] = attrs["href"]


def head_tags(html: str) -> HeadTags:
    parser = HeadTags()
    parser.feed(html)
    return parser


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def client():
    from app import app

    return app.server.test_client()


def test_index_has_description_and_cards(client):
    tags = head_tags(client.get("/").get_data(as_text=True))
    assert tags.meta["description"] == DESCRIPTION
    assert 50 <= len(DESCRIPTION) <= 160  # what search results show in full
    assert tags.meta["og:title"] == tags.meta["twitter:title"] == TITLE
    assert tags.meta["og:description"] == tags.meta["twitter:description"] == DESCRIPTION
    assert tags.meta["og:type"] == "article"
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert tags.meta["og:image"] == tags.meta["twitter:image"] == "/assets/preview.png"
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == ("1200", "630")
    assert tags.meta["og:image:alt"] == tags.meta["twitter:image:alt"]
    # Without SITE_URL there is no absolute address to give: no canonical, no og:url.
    assert "canonical" not in tags.links and "og:url" not in tags.meta


def test_preview_image_is_served_at_its_declared_size(client):
    response = client.get("/assets/preview.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert png_size(response.get_data()) == (1200, 630)
    assert 10_000 < len(response.get_data()) < 300_000


def test_a_shared_reader_link_keeps_the_same_card(client):
    plain = head_tags(client.get("/").get_data(as_text=True))
    shared = head_tags(client.get("/?user=42&movie=3264&compare=3391").get_data(as_text=True))
    assert shared.meta == plain.meta
    assert shared.links == plain.links


def test_robots_txt_allows_everything_without_a_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "User-agent: *\nAllow: /\n"
    # No SITE_URL, no sitemap: the path is just Dash's page, not XML.
    assert client.get("/sitemap.xml").mimetype == "text/html"


SITE_SCRIPT = """
import json, app
client = app.server.test_client()
print(json.dumps({
    "index": client.get("/?user=42").get_data(as_text=True),
    "robots": client.get("/robots.txt").get_data(as_text=True),
    "sitemap": client.get("/sitemap.xml").get_data(as_text=True),
    "sitemap_type": client.get("/sitemap.xml").mimetype,
}))
"""


def test_site_url_gives_canonical_og_url_absolute_image_and_sitemap():
    env = {**os.environ, "SITE_URL": "https://example.org/recsys/"}
    from conftest import run_python_json

    pages = run_python_json(SITE_SCRIPT, env)
    tags = head_tags(pages["index"])
    assert tags.links["canonical"] == "https://example.org/recsys/"
    assert tags.meta["og:url"] == "https://example.org/recsys/"
    assert tags.meta["og:image"] == "https://example.org/recsys/assets/preview.png"
    assert tags.meta["twitter:image"] == tags.meta["og:image"]
    assert pages["robots"] == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org/recsys/sitemap.xml\n"
    )
    assert pages["sitemap_type"] == "application/xml"
    assert "<loc>https://example.org/recsys/</loc>" in pages["sitemap"]


@pytest.mark.parametrize(
    "value", ["example.org", "ftp://example.org", "https://", "https://example.org/?a=1"]
)
def test_a_site_url_that_is_not_an_absolute_http_url_is_refused(value):
    with pytest.raises(ValueError, match="SITE_URL must be the absolute http"):
        Site.from_env({"SITE_URL": value})


def test_empty_site_url_means_unknown():
    assert Site.from_env({"SITE_URL": "  "}) == Site(None)
    assert Site.from_env({}).canonical is None
