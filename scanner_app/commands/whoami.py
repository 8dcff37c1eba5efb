"""`scanner-app whoami [--check]`: who is signed in, to which tenant, and where it is kept.

Reads the cache only (no network) unless ``--check`` asks the sign-in server for a token.
Exit 0 when signed in, 1 when not.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.commands._tenant import add_parser
from scanner_app.commands.sign_in import report, with_authenticator


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = add_parser(sub, name, help_text)
    parser.add_argument(
        "--check", action="store_true", help="also get a token silently, to prove it still works"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    def body(auth: Any) -> int:
        account = auth.current_account()
        if account is None:
            print("Not signed in. Run: scanner-app sign-in [--device-code]", file=sys.stderr)
            return 1
        if args.check:
            auth.sign_in_when_needed = False  # whoami never starts a sign-in
            auth.acquire_token()
        report(args, account, "Signed in as")
        kept = "encrypted by the system" if auth.cache_status.encrypted else "in a plain file"
        print(f"Sign-in kept {kept}: {auth.cache_status.location}", file=sys.stderr)
        return 0

    return with_authenticator(args, body)
