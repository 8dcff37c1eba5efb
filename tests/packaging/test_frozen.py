"""The frozen app: build the PyInstaller bundle for this OS and run its smoke test.

Slow (a from-scratch build takes minutes), so it is marked ``frozen``; run it with
``uv run --group packaging pytest -m frozen tests/packaging``. It needs PyInstaller, which
lives in the ``packaging`` dependency group.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Installed size budget in MB of 10^6 bytes (issue 8: under 250 MB). Linux: 246.7 MB (235 MiB)
#: today, after the ICU data trim, the BLAS shim and the desktop's own libraries left to the
#: system (packaging/linux/, the spec); OpenCV with FFmpeg is ~110 MB of it. Elsewhere
#: (not measured here, no trims) the old guard stays. A jump past it means something large
#: slipped into the bundle.
SIZE_BUDGET_MB = 250 if sys.platform == "linux" else 400


@pytest.mark.frozen
@pytest.mark.timeout(1200)
def test_bundle_builds_and_passes_its_smoke_test() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1150,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    summary = json.loads(
        next(line for line in reversed(done.stdout.splitlines()) if line.startswith('{"passed"'))
    )
    assert summary["passed"], output[-4000:]
    assert summary["window_shown_s"] > 0  # the self-test reached the window on screen
    size_line = next(line for line in done.stdout.splitlines() if line.startswith("built "))
    size_mb = float(size_line.rsplit(": ", 1)[1].split(" MB")[0])
    assert size_mb < SIZE_BUDGET_MB, size_line
