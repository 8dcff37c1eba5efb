"""`scanner-app whoami [--check]`: who is signed in, to which tenant, and where it is kept.

Reads the cache only (no network) unless ``--check`` proves the sign-in still works, the way the
app will use it: a *forced* refresh (a cached access token is no proof: it stays valid for up
to an hour after an admin revoked the sign-in) and one cheap Graph read the app really makes,
``GET /deviceManagement/windowsAutopilotDeviceIdentities?$top=1&$select=id``. That read needs
``DeviceManagementServiceConfig.Read.All`` or ``.ReadWrite.All`` (the app's scope) and an Intune
role, so a 401 or 403 there means the app cannot work for this account. (``GET /me`` would only
prove the token: it needs ``User.Read``, which ``User.ReadBasic.All`` includes, and says nothing
about Intune.) Exit 0 when signed in (and, with ``--check``, it works), 1 when not.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.commands._tenant import add_parser, say
from scanner_app.commands._text import visible
from scanner_app.commands.sign_in import report, with_authenticator


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = add_parser(sub, name, help_text)
    parser.add_argument(
        "--check",
        action="store_true",
        help="also refresh the sign-in and read Intune once, to prove it still works",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    def body(auth: Any) -> int:
        account = auth.current_account()
        if account is None:
            print("Not signed in. Run: scanner-app sign-in [--device-code]", file=sys.stderr)
            return 1
        if args.check:
            problem = check(args, auth, account)
            if problem:
                say(problem)
                return 1
        report(args, account, "Signed in as")
        kept = "encrypted by the system" if auth.cache_status.encrypted else "in a plain file"
        print(f"Sign-in kept {kept}: {visible(str(auth.cache_status.location))}", file=sys.stderr)
        if args.check:
            print("Checked: the sign-in refreshes and Graph lets it read Intune.", file=sys.stderr)
        return 0

    return with_authenticator(args, body)


def check(args: argparse.Namespace, auth: Any, account: Any) -> str:
    """Why the sign-in does not work, in one line; empty when it refreshes and Graph accepts it."""
    from scanner_app.core.graph.autopilot import DEVICES
    from scanner_app.core.graph.client import GraphClient
    from scanner_app.core.graph.errors import AuthenticationError, PermissionDenied
    from scanner_app.core.graph.sign_in_errors import SignInRequired
    from scanner_app.core.services import settings_from_args

    auth.sign_in_when_needed = False  # whoami never starts a sign-in
    try:
        auth.acquire_token(force_refresh=True)
    except SignInRequired as exc:
        code = f"AADSTS{exc.code}: " if exc.code else ""
        return (
            f"the sign-in of {account.username} can no longer be refreshed ({code}expired or "
            "revoked). Sign in again: scanner-app sign-in [--device-code]"
        )
    settings = settings_from_args(args)
    client = GraphClient(settings.graph_endpoint, auth.token_provider, max_retries=1)
    try:
        with client.read_deadline(settings.lookup_deadline_s):
            client.get(DEVICES, {"$top": 1, "$select": "id"})
    except (AuthenticationError, PermissionDenied) as exc:
        return f"Graph refuses this sign-in (HTTP {exc.status}): {exc}"
    finally:
        client.session.close()
    return ""
