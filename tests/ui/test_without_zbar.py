"""The whole app on a machine without the zbar library: it runs, and says so once, plainly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_self_test_passes_without_zbar_and_the_reason_is_logged_once(tmp_path: Path) -> None:
    # What a laptop without libzbar0 sees: ctypes cannot find the library. A fresh interpreter.
    script = textwrap.dedent(
        """
        import ctypes.util, sys
        ctypes.util.find_library = lambda name: None
        from scanner_app.cli import main
        sys.exit(main(["--demo", "--self-test", "--home", sys.argv[1]]))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: passed" in done.stdout
    log = (tmp_path / "logs" / "scanner-app.log").read_text(encoding="utf-8")
    told = [line for line in log.splitlines() if "zbar shared library was not found" in line]
    assert len(told) == 1, told
    assert "apt install libzbar0" in told[0]
