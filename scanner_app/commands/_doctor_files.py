"""The Files section of `scanner-app doctor`: where config, data and logs live, and whether
they are safe and usable.

A folder that cannot be created or written is said with the reason and what to do (the data
folder is a problem: no change could be recorded; config and logs are warnings). A config file
or site config that users other than its owner can change is a warning: it decides which
tenant the app signs in to and which labels it trusts. This reads POSIX mode bits (group or
other write on the file, or on its folder unless that is sticky like /tmp); on Windows it is not
checked (ACLs would need pywin32 or icacls; the installer creates the ProgramData file writable
by administrators only).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from scanner_app.commands._doctor_check import ERROR, INFO, WARN, Check


def file_checks(config_option: str | None = None) -> list[Check]:
    """The Files checks; ``config_option`` is ``--config``, checked instead of the user's file."""
    from scanner_app.core import paths
    from scanner_app.logs import LOG_FILE_NAME

    out: list[Check] = []
    if config_option:
        config: Path | None = Path(config_option)
    else:
        saving = "settings cannot be saved from the window"
        config = _folder(out, "config file", paths.config_dir, "config.toml", WARN, saving,
                         only_problems=True)  # fmt: skip
    if config is not None and not out:  # else the folder's problem is the config file's line
        hint = "" if config.exists() else "not created yet: defaults in use"
        out.append(_config_check("config file", config, hint))
    site = paths.site_config_file()
    out.append(_config_check("site config", site, "" if site.exists() else "none"))
    _folder(out, "data folder", paths.data_dir, "", ERROR,
            "changes cannot be recorded, so none can be applied (look-ups still work)")  # fmt: skip
    _folder(out, "log file", paths.log_dir, LOG_FILE_NAME, WARN, "no log file is kept")
    return out


def _folder(
    out: list[Check],
    name: str,
    make: Callable[[], Path],
    leaf: str,
    status: str,
    effect: str,
    *,
    only_problems: bool = False,
) -> Path | None:
    """Add the check of a folder the app keeps files in (``only_problems``: only when it cannot
    be created or written); return the file in it, or None when the folder cannot be made."""
    try:
        folder = make()
    except OSError as exc:  # paths.FolderError: the folder, the reason and what to do
        out.append(Check("Files", name, ERROR if status == ERROR else WARN, "cannot be created",
                         str(exc)))  # fmt: skip
        return None
    shown = folder / leaf if leaf else folder
    if os.access(folder, os.W_OK):
        if not only_problems:
            out.append(Check("Files", name, INFO, str(shown)))
    else:
        out.append(Check("Files", name, status, str(shown),
                         f"the folder {folder} cannot be written: {effect}"))  # fmt: skip
    return shown


def _config_check(name: str, path: Path, hint: str) -> Check:
    problem = _open_to_others(path)
    if problem:
        return Check("Files", name, WARN, str(path), problem)
    return Check("Files", name, INFO, str(path), hint)


def _open_to_others(path: Path) -> str:
    """Who besides its owner can change a config file (POSIX mode bits), in one sentence; ""
    when nobody, when it does not exist, or on Windows (ACLs: not checked)."""
    if os.name != "posix":
        return ""
    try:
        info, folder = path.stat(), path.parent.stat()
    except OSError:
        return ""
    for target, st in ((path, info), (path.parent, folder)):
        sticky = target != path and st.st_mode & stat.S_ISVTX
        mode = f"mode {stat.S_IMODE(st.st_mode):04o}"
        if st.st_mode & stat.S_IWOTH and not sticky:
            who = "every user"
        elif st.st_mode & stat.S_IWGRP and not sticky:
            who = f"the group {_group_name(st.st_gid)}"
        else:
            continue
        return f"{target} can be changed by {who} ({mode}): run chmod go-w {target}"
    return ""


def _group_name(gid: int) -> str:
    try:
        import grp

        return f"'{grp.getgrgid(gid).gr_name}'"
    except (ImportError, KeyError):
        return f"id {gid}"
