"""Vendor the plotly.js "basic" bundle that matches the installed plotly package.

``dcc.Graph`` draws with ``window.Plotly`` when a page already has it, so the article ships
``assets/vendor/plotly-basic.min.js`` (trace types bar, pie and scatter: all the article
draws, 1.2 MB instead of the full 4.8 MB bundle). It must be the same plotly.js version as
the one inside the installed ``plotly`` package (``tests/test_plotly_bundle.py`` checks).
After upgrading plotly, run from the repository root (needs ``npm``, which checks the
package's integrity against the registry)::

    python scripts/update_plotly_bundle.py

It fetches ``plotly.js-basic-dist-min@<version>`` with ``npm pack``, copies the bundle and
its licence into ``assets/vendor/`` and updates the version and SHA-256 recorded in
``THIRD_PARTY_NOTICES.md``.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "plotly.js-basic-dist-min"
BUNDLE = ROOT / "assets" / "vendor" / "plotly-basic.min.js"
LICENSE = ROOT / "assets" / "vendor" / "plotly-basic.LICENSE.txt"
NOTICES = ROOT / "THIRD_PARTY_NOTICES.md"


def fetch(version: str, folder: Path) -> Path:
    """``npm pack`` the package at ``version`` into ``folder``; returns the unpacked folder."""
    subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{version}"], cwd=folder, check=True)
    (tarball,) = folder.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def record(version: str, sha256: str) -> None:
    """Write ``version`` and ``sha256`` into the plotly.js section of the notices."""
    text = NOTICES.read_text()
    text = re.sub(r"(plotly\.js(?:-basic-dist-min)?[ @-])\d+\.\d+\.\d+", rf"\g<1>{version}", text)
    text = re.sub(r"(SHA-256: `)[0-9a-f]{64}", rf"\g<1>{sha256}", text)
    NOTICES.write_text(text)


def main() -> None:
    """Fetch, copy and record the bundle for the installed plotly's plotly.js version."""
    version = get_plotlyjs_version()
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch(version, Path(tmp))
        BUNDLE.write_bytes((package / "plotly-basic.min.js").read_bytes())
        LICENSE.write_bytes((package / "LICENSE").read_bytes())
    sha256 = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()
    record(version, sha256)
    print(f"{BUNDLE.relative_to(ROOT)}: plotly.js {version}, SHA-256 {sha256}")


if __name__ == "__main__":
    main()
