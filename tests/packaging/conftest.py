"""The frozen-app test builds the whole bundle (minutes, and PyInstaller from the ``packaging``
dependency group), so a plain ``pytest`` run deselects it; ``pytest -m frozen`` selects it."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("markexpr"):
        return  # the caller chose with -m: respect it
    frozen = [item for item in items if item.get_closest_marker("frozen")]
    if frozen:
        config.hook.pytest_deselected(items=frozen)
        items[:] = [item for item in items if not item.get_closest_marker("frozen")]
