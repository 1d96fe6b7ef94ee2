"""The vendored plotly.js basic bundle matches the installed plotly and is on record."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "assets" / "vendor" / "plotly-basic.min.js"
LICENSE = ROOT / "assets" / "vendor" / "plotly-basic.LICENSE.txt"
NOTICES = ROOT / "THIRD_PARTY_NOTICES.md"


def bundle_version() -> str:
    """The version in the bundle's banner: ``plotly.js (basic - minified) v4.1.1``."""
    banner = BUNDLE.read_bytes()[:200].decode()
    match = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", banner)
    assert match, f"no basic-bundle banner at the top of {BUNDLE.name}: {banner!r}"
    return match.group(1)


def test_bundle_is_the_installed_plotlys_plotlyjs_version():
    installed = get_plotlyjs_version()
    assert bundle_version() == installed, (
        f"assets/vendor/plotly-basic.min.js is plotly.js {bundle_version()}, the installed "
        f"plotly package carries {installed}: run python scripts/update_plotly_bundle.py"
    )


def test_notice_records_the_bundles_version_and_hash():
    notices = NOTICES.read_text()
    section = notices.split("## plotly.js basic bundle", 1)[1].split("\n## ", 1)[0]
    assert f"plotly.js-basic-dist-min@{bundle_version()}" in section
    recorded = re.search(r"SHA-256: `([0-9a-f]{64})`", section).group(1)
    assert recorded == hashlib.sha256(BUNDLE.read_bytes()).hexdigest()


def test_licence_is_mit_from_plotly():
    text = LICENSE.read_text()
    assert text.startswith("MIT License")
    assert "Plotly" in text
    assert "Permission is hereby granted, free of charge" in text
    assert "Licensed under the MIT license" in BUNDLE.read_bytes()[:200].decode()
