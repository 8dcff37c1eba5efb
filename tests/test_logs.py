"""The console an operator reads: one line per problem, never a library's retry chatter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import logging, sys
from scanner_app.logs import setup_logging
setup_logging(console=True)
logging.getLogger("urllib3.connectionpool").warning("Retrying after connection broken")
logging.getLogger("scanner_app.core.graph").warning("Graph is slow")
logging.getLogger("msal.authority").error("authority unreachable")
print("--- stream replaced ---", file=sys.stderr)
sys.stderr = sys.stdout
logging.getLogger("scanner_app.core.outbox").warning("written to the new stream")
"""


def _run(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCANNER_APP_HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60
    )


def test_library_warnings_stay_in_the_log_file_and_errors_reach_the_console(
    tmp_path: Path,
) -> None:
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "warning: Graph is slow" in done.stderr.splitlines()  # a plain line, no timestamp
    assert "authority unreachable" in done.stderr
    assert "Retrying" not in done.stderr
    log_text = "".join(p.read_text() for p in tmp_path.rglob("scanner-app.log"))
    assert "Retrying after connection broken" in log_text


def test_the_console_follows_the_current_stderr(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert "written to the new stream" in done.stdout
    assert "written to the new stream" not in done.stderr
