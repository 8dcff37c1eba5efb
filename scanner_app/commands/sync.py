"""`scanner-app sync`: ask Intune to sync Windows Autopilot devices (a beta Graph call)."""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.commands._tenant import add_parser, emit, run_guarded


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    return add_parser(
        sub,
        name,
        help_text,
        description=help_text + ". Intune allows one sync "
        "every 10 minutes; a refusal says when the next one is possible.",
    )


def run(args: argparse.Namespace) -> int:
    def body(services: Any) -> int:
        result = services.autopilot.sync()
        message = getattr(result, "message", None) or "Sync requested."
        emit(args, result if result is not None else {"message": message}, message)
        return 0 if getattr(result, "ok", True) else 1

    return run_guarded(args, body)
