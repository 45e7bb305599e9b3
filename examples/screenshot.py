"""Take the README's screenshot of the HTML report of the example archive.

Needs Chromium (Debian: ``apt-get install chromium fonts-wqy-microhei`` — a CJK font, or
the Chinese shows as boxes). Run from the repository root:

    python examples/screenshot.py            # writes docs/report.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed")
    with tempfile.TemporaryDirectory() as temp:
        report = Path(temp) / "report.html"
        env = {**os.environ, "CWA_CACHE_DIR": str(Path(temp) / "cache")}
        subprocess.run([sys.executable, "-m", "cwa", "check", "examples/qinghe-tax", "--deep",
                        "--format", "html", "--output", str(report)], cwd=ROOT, env=env,
                       check=False)
        target = ROOT / "docs" / "report.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--disable-background-networking",
                        f"--user-data-dir={Path(temp) / 'profile'}", "--hide-scrollbars",
                        "--window-size=1200,1500", f"--screenshot={target}",
                        report.as_uri()], check=True, capture_output=True)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
