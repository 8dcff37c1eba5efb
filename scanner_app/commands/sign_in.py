"""`scanner-app sign-in [--device-code]`: sign in once; later commands and the window reuse it.

Also holds the helpers sign-out and whoami share: the Authenticator for the settings in ``args``
and the way sign-in problems are reported (one sentence on stderr, exit 1; bad settings exit 2;
the same lines as every other command, from ``_tenant.failure``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from scanner_app.commands._tenant import add_parser, say, say_raw


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = add_parser(
        sub,
        name,
        help_text,
        "Sign in to the tenant in the settings. The browser opens for the sign-in; with "
        "--device-code a code is printed to stderr instead, to type in on any device's browser.",
    )
    parser.add_argument(
        "--device-code", action="store_true", help="sign in with a code (no browser on this PC)"
    )
    parser.add_argument(
        "--switch-account", action="store_true", help="pick another account (signs this one out)"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    def body(auth: Any) -> int:
        # A plain-file cache warning is logged by the Authenticator (the console shows it).
        if args.device_code:
            account = auth.sign_in_with_device_code()
        else:
            account = _browser_or_code(auth, switch=args.switch_account)
        if auth.broker_note:
            say(auth.broker_note)
        report(args, account, "Signed in as")
        return 0

    return with_authenticator(args, body)


def _browser_or_code(auth: Any, *, switch: bool) -> Any:
    from scanner_app.core.graph.auth import SignInError

    try:
        return auth.sign_in_interactive(switch_account=switch)
    except SignInError as exc:
        if "No web browser" not in str(exc):
            raise
        say("no browser here; signing in with a device code.")
        return auth.sign_in_with_device_code()


def report(args: argparse.Namespace, account: Any, lead: str) -> None:
    from scanner_app.commands._tenant import emit

    guest = " (a guest account: it cannot manage this tenant's devices)" if account.is_guest else ""
    name = f" ({account.name})" if account.name else ""
    emit(args, account, f"{lead} {account.username}{name}, tenant {account.tenant_id}{guest}")


def with_authenticator(args: argparse.Namespace, body: Callable[[Any], int]) -> int:
    """Run ``body(authenticator)`` for the tenant in the settings; errors become one line
    (``_tenant.failure``: settings exit 2, sign-in, Graph and network failures 1, cancel 130)."""
    from scanner_app.commands._tenant import report_failure
    from scanner_app.core.config import SettingsError
    from scanner_app.core.graph.auth import build_authenticator
    from scanner_app.core.services import settings_from_args

    try:
        settings = settings_from_args(args)
        if settings.demo:
            say("the demo tenant needs no sign-in.")
            return 0
        if settings.needs_tenant:
            raise SettingsError(
                "tenant",
                "and client_id are needed: pass --tenant and --client-id or put them in the "
                "config file (see docs/app-registration.md)",
            )
        auth = build_authenticator(settings, device_code_prompt=say_raw)
        return body(auth)
    except (Exception, KeyboardInterrupt) as exc:
        return report_failure(exc)
