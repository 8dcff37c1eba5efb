"""Barcode engines, ranked: the Decoder takes the ones that can run here, in this order.

Each engine is one module (``zxing.py``, ``zbar.py``) implementing :class:`~.base.Engine`; the
first one in :data:`RANKED` that is a :class:`~.base.LocatingEngine` reads first and steers the
Decoder's retries, every other one is a second opinion in them. Adding an engine is its module
and one line in :data:`RANKED`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from scanner_app.core.vision.engines.base import Engine
from scanner_app.core.vision.engines.zbar import PyzbarEngine
from scanner_app.core.vision.engines.zxing import ZxingEngine

log = logging.getLogger(__name__)

#: Every engine, best first.
RANKED: tuple[type[Engine], ...] = (ZxingEngine, PyzbarEngine)


def available_engines() -> dict[str, str | None]:
    """Engine name -> None when it can run here, else a plain reason and how to fix it."""
    return {cls.name: cls.unavailable() for cls in RANKED}


def usable_engines(names: Sequence[str] | None = None) -> list[type[Engine]]:
    """The engines asked for (default: every one) that can run here, in rank order; the ones
    that cannot are logged with their reason. An unknown name is a ``ValueError``."""
    known = [cls.name for cls in RANKED]
    unknown = [n for n in names or () if n not in known]
    if unknown:
        raise ValueError(f"unknown decoder engine(s): {', '.join(unknown)}")
    out: list[type[Engine]] = []
    for cls in RANKED:
        if names is not None and cls.name not in names:
            continue
        reason = cls.unavailable()
        if reason is None:
            out.append(cls)
        else:
            log.warning("%s", reason)
    return out
