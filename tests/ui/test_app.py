"""Starting the app: settings problems end it with a clear line, never a hang; when Qt itself
cannot start (no platform plugin, no display), the terminal says why and what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scanner_app.cli import main

CLIENT = "0c1b2a3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
REPO = Path(__file__).resolve().parents[2]


def test_self_test_without_demo_says_so_and_exits_2(qapp: Any, capsys: Any) -> None:
    assert main(["--self-test", "--tenant", "contoso.com", "--client-id", CLIENT]) == 2
    assert "add --demo" in capsys.readouterr().err


def test_bad_setting_is_named_and_nothing_starts(qapp: Any, capsys: Any) -> None:
    code = main(["--self-test", "--demo", "--graph-endpoint", "http://graph.example.com"])
    assert code == 2
    err = capsys.readouterr().err
    assert "graph_endpoint" in err and "https://" in err


def test_a_binary_config_file_is_named_and_nothing_starts(
    qapp: Any, capsys: Any, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(bytes(range(256)))
    assert main(["--self-test", "--demo", "--config", str(config)]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("scanner-app:")]
    assert line.startswith(f"scanner-app: The settings cannot be used: {config}: config ")
    assert "binary" in line


def start_without_a_platform(platform: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``scanner-app --demo`` in a fresh process whose Qt cannot start ``platform``."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environ.update(QT_QPA_PLATFORM=platform, **env)
    return subprocess.run(
        [sys.executable, "-m", "scanner_app", "--demo"],
        capture_output=True, text=True, env=environ, cwd=REPO, timeout=60,
    )  # fmt: skip


def test_when_qt_cannot_start_the_terminal_says_why_and_the_exit_status_says_so() -> None:
    done = start_without_a_platform("no-such-platform")
    assert done.returncode == 1  # not Qt's abort (134 in a shell, -6 here), with nothing said
    lines = done.stderr.splitlines()
    assert lines[0] == "scanner-app: the window cannot open: Qt cannot start."
    assert 'Could not find the Qt platform plugin "no-such-platform"' in done.stderr  # Qt's words
    assert "no Qt platform plugin could be initialized" in done.stderr
    from scanner_app.ui.app import EXIT_NO_GUI, LINUX_QT_LIBRARIES

    assert EXIT_NO_GUI == 1
    if sys.platform.startswith("linux"):
        assert f"Linux: Qt needs its X11 libraries: {LINUX_QT_LIBRARIES}" in lines
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert f"`{LINUX_QT_LIBRARIES}`" in readme  # the same line as the README's


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_no_display_on_linux_is_said_with_what_to_do() -> None:
    done = start_without_a_platform("xcb")
    assert done.returncode == 1
    assert "no Qt platform plugin could be initialized" in done.stderr  # Qt's own message
    # With Qt's X11 libraries Qt says it found no display; without them, which one it missed.
    err = done.stderr
    assert "could not connect to display" in err or "The xcb plugin cannot be loaded: " in err
    assert "There is no display here (DISPLAY is not set)" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr
