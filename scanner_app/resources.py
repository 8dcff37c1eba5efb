"""The one way the app finds its bundled files (icons, sounds), wherever it runs.

Why one way: code that branches on ``sys.frozen`` / ``sys._MEIPASS`` works in the build it was
tried in and breaks in the other two. Here every file ships *inside the package*, under
``scanner_app/assets/``, and is found through :mod:`importlib.resources`, which answers the same
question in a source checkout, in an installed wheel and in the PyInstaller bundle (whose
importer implements the same resource reader API; the spec collects ``scanner_app/assets``).

The sources the assets are made from (the SVG icon, the generator, sample labels) live in the
top-level ``resources/`` folder; see ``resources/README.md``.

Usage::

    from scanner_app import resources
    QIcon(str(resources.icon_path(256)))
    resources.read_bytes("sounds/success.wav")
"""

from __future__ import annotations

import atexit
import contextlib
import logging
from importlib import resources as _importlib_resources
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

PACKAGE = "scanner_app"
ASSETS = "assets"
#: Sizes of the rendered app icon, ``assets/icons/app-<size>.png``.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Feedback sounds: a label was read, a change was verified, something went wrong.
SOUNDS = ("read", "success", "error")

# Keeps files extracted from a zip import (never the case for a checkout, a wheel install or
# the PyInstaller bundle, where the assets are plain files) alive until the process ends.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def _clean(relative: str) -> PurePosixPath:
    """``relative`` as a path inside the assets folder; refuse anything that could escape it."""
    path = PurePosixPath(relative.replace("\\", "/"))
    if not relative or path.is_absolute() or ".." in path.parts or str(path) == ".":
        raise ValueError(f"not a resource path inside {ASSETS}/: {relative!r}")
    return path


def resource_path(relative: str) -> Path:
    """The file system path of ``assets/<relative>`` (``"icons/app-256.png"``).

    Raises :class:`FileNotFoundError` naming the file when it was not shipped, so a packaging
    mistake reads as one, not as a blank icon.
    """
    node = _importlib_resources.files(PACKAGE).joinpath(ASSETS, *_clean(relative).parts)
    if not node.is_file():
        raise FileNotFoundError(f"resource not found in the {PACKAGE} package: {ASSETS}/{relative}")
    if isinstance(node, Path):
        return node
    path = _extracted.enter_context(_importlib_resources.as_file(node))
    log.debug("resource %s extracted to %s", relative, path)
    return Path(path)


def read_bytes(relative: str) -> bytes:
    """The bytes of ``assets/<relative>``."""
    return resource_path(relative).read_bytes()


def icon_path(size: int = 256) -> Path:
    """The app icon rendered at ``size`` px, or the next larger size that exists."""
    chosen = next((s for s in ICON_SIZES if s >= size), ICON_SIZES[-1])
    return resource_path(f"icons/app-{chosen}.png")


def icon_paths() -> list[Path]:
    """Every rendered size, for a QIcon that looks sharp in title bars and task switchers."""
    return [resource_path(f"icons/app-{size}.png") for size in ICON_SIZES]


def sound_path(name: str) -> Path:
    """The WAV file of a feedback sound: ``read``, ``success`` or ``error``."""
    if name not in SOUNDS:
        raise ValueError(f"unknown sound {name!r}; known: {', '.join(SOUNDS)}")
    return resource_path(f"sounds/{name}.wav")
