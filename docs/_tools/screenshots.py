"""Remake the theme gallery's screenshots (docs/_static/themes/*.png).

Runs the browser tests (tests/test_browser.py and tests/test_browser_layout.py), which build
the Notify page in every gallery theme and photograph its first table in headless Chromium
at 1280 and 360 pixels wide (and a table of deep keys, and the GOV.UK template with GOV.UK
Frontend's stylesheet, which needs npm), and has them copy the screenshots here. Then makes
them small: the PNGs are reduced to a 64-colour palette when Pillow is installed.

    python3 -m pip install -e ".[browser]" pillow
    python3 docs/_tools/screenshots.py

Needs Chromium (``apt-get install chromium`` on Debian and Ubuntu).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "docs" / "_static" / "themes"


def main() -> int:
    """Take the screenshots, then shrink them."""
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.glob("*.png"):
        old.unlink()
    environment = {**os.environ, "CALLBACKS_SCREENSHOTS": str(TARGET)}
    command = [sys.executable, "-m", "pytest", "-q", "-m", "browser"]
    command += ["tests/test_browser.py", "tests/test_browser_layout.py"]
    result = subprocess.run(command, cwd=ROOT, env=environment, check=False)
    if result.returncode:
        return result.returncode
    shots = sorted(TARGET.glob("*.png"))
    if not shots:
        print("no screenshots: is Chromium installed?", file=sys.stderr)
        return 1
    _shrink(shots)
    for shot in shots:
        print(f"{shot.relative_to(ROOT)}: {shot.stat().st_size // 1024} KiB")
    return 0


def _shrink(shots: list[Path]) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    for shot in shots:
        with Image.open(shot) as image:
            small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(shot, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
