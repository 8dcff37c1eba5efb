"""Where the app keeps its files, per OS (platformdirs), with one override for tests and --home.

``SCANNER_APP_HOME=/some/dir`` puts config, data, cache and logs under that folder, so a test or
a training laptop never touches the real per-user folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

import platformdirs

from scanner_app import APP_ID

# No vendor folder level on Windows: %LOCALAPPDATA%\autopilot-bench-scanner
_AUTHOR: Literal[False] = False


def _home() -> Path | None:
    value = os.environ.get("SCANNER_APP_HOME")
    return Path(value).expanduser() if value else None


def _dir(kind: str) -> Path:
    home = _home()
    if home is not None:
        path = home / kind
    else:
        getter = {
            "config": platformdirs.user_config_dir,
            "data": platformdirs.user_data_dir,
            "cache": platformdirs.user_cache_dir,
            "logs": platformdirs.user_log_dir,
        }[kind]
        path = Path(getter(APP_ID, _AUTHOR))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(kind, path, exc, home is not None) from None
    return path


class FolderError(OSError):
    """A folder the app keeps its files in cannot be made. ``strerror`` is the whole sentence:
    the folder, the system's reason and what to do (commands print it as their one line)."""

    def __init__(self, kind: str, path: Path, cause: OSError, home: bool) -> None:
        fix = (
            "SCANNER_APP_HOME (or --home) must name a folder you can write"
            if home
            else "fix that, or set SCANNER_APP_HOME to a folder you can write"
        )
        reason = cause.strerror or type(cause).__name__
        blocker = next((p for p in path.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():  # XDG_DATA_HOME under a regular file
            reason = f"{blocker} is a file, not a folder"
        super().__init__(cause.errno, f"cannot create the {kind} folder {path} ({reason}): {fix}")
        self.path = path

    def __str__(self) -> str:
        return str(self.strerror)


def config_dir() -> Path:
    return _dir("config")


def data_dir() -> Path:
    return _dir("data")


def cache_dir() -> Path:
    return _dir("cache")


def log_dir() -> Path:
    return _dir("logs")


def journal_file(*, training: bool = False) -> Path:
    """The change journal. Training (``--demo``) keeps one of its own, so a demo run never
    reads, resumes or fails a real tenant's change, and its changes never pass for real work."""
    return data_dir() / ("training-journal.sqlite3" if training else "journal.sqlite3")


def config_file() -> Path:
    return config_dir() / "config.toml"


def site_config_file() -> Path:
    """The machine-wide file an admin deploys (read before the user's)."""
    override = os.environ.get("SCANNER_APP_SITE_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
        return base / APP_ID / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_ID / "config.toml"
    return Path("/etc") / APP_ID / "config.toml"
