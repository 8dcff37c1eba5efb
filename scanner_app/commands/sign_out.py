"""`scanner-app sign-out`: forget the cached sign-in on this computer (works offline)."""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.commands._tenant import add_parser, emit
from scanner_app.commands.sign_in import with_authenticator


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    return add_parser(sub, name, help_text)


def run(args: argparse.Namespace) -> int:
    def body(auth: Any) -> int:
        who = auth.username()
        auth.sign_out()
        emit(args, {"signed_out": who}, f"Signed out {who}." if who else "Nobody was signed in.")
        return 0

    return with_authenticator(args, body)
