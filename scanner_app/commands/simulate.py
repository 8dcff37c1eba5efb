"""`scanner-app simulate`: run the simulated tenant alone and say how to point things at it.

Useful for training, for trying the CLI against a tenant with faults switched on, and for
poking Graph's quirks with curl. With ``--tls`` the sign-in side (identity provider) runs too,
sharing the tenant's loopback certificate, so the real sign-in code can be exercised.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from scanner_app.commands._text import visible

FAULT_HELP = (
    "inject a fault (repeatable): KIND[:key=value...], KIND one of 429, 500, 503, 504, latency, "
    "throttle, error, drop, drop_after, malformed; keys count (number or inf), retry_after, "
    "status, ms, path (glob on the URL path), method. E.g. 429:count=3:retry_after=2, "
    "drop:method=POST, latency:ms=300:path=*/users*"
)


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p.add_argument("--port", type=int, default=0, metavar="N", help="port (default: any free)")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a generated certificate")
    p.add_argument("--devices", type=int, default=40, metavar="N", help="Autopilot devices")
    p.add_argument("--users", type=int, default=60, metavar="N", help="directory users")
    p.add_argument("--seed", type=int, default=1, help="seed for the generated data")
    p.add_argument("--latency", type=float, default=0.0, metavar="MS", help="added to every call")
    p.add_argument("--fault", action="append", default=[], metavar="SPEC", help=FAULT_HELP)
    p.add_argument(
        "--consistency-delay",
        type=float,
        default=2.0,
        metavar="S",
        help="seconds before a change shows in reads (default 2, like a quick Intune)",
    )
    p.add_argument(
        "--validate-contract",
        action="store_true",
        help="check every exchange against Microsoft's OpenAPI file (needs openapi-core)",
    )
    p.add_argument(
        "--token-hours", type=float, default=8.0, help="lifetime of the printed access token"
    )
    p.add_argument(
        "--duration", type=float, default=0.0, metavar="S", help="stop after S seconds (0: Ctrl+C)"
    )
    return p


def run(args: argparse.Namespace) -> int:
    from scanner_app.core.tenant_sim import SimulatedTenant
    from scanner_app.core.tenant_sim.faults import parse
    from scanner_app.core.tenant_sim.seed import demo_labels
    from scanner_app.core.tenant_sim.server import TlsUnavailable

    try:
        specs = [parse(spec) for spec in args.fault]
    except ValueError as exc:
        print(f"scanner-app simulate: {visible(str(exc))}", file=sys.stderr)
        return 2
    try:
        tenant = SimulatedTenant(
            args.devices,
            args.users,
            args.seed,
            consistency_delay=args.consistency_delay,
            validate_contract=args.validate_contract,
        )
    except (ImportError, FileNotFoundError) as exc:  # openapi-core is a development tool
        print(f"scanner-app simulate: cannot validate the contract here: {visible(str(exc))}",
              file=sys.stderr)  # fmt: skip
        return 2
    for kind, options in specs:
        tenant.faults.add(kind, **options)
    if args.latency:
        tenant.faults.latency(args.latency)
    try:
        url = tenant.start(args.host, args.port, tls=args.tls)
    except TlsUnavailable as exc:
        print(f"scanner-app simulate: {visible(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"scanner-app simulate: cannot listen on {visible(args.host)}:{args.port}: "
              f"{visible(str(exc))}", file=sys.stderr)  # fmt: skip
        return 1
    idp = _start_identity_provider(tenant) if args.tls else None
    token = tenant.issue_token(lifetime=args.token_hours * 3600)
    _print_instructions(args, url, token, tenant, idp, demo_labels(min(args.devices, 6), args.seed))
    stop = threading.Event()
    try:
        stop.wait(args.duration if args.duration > 0 else None)
    except KeyboardInterrupt:
        pass
    finally:
        if idp is not None:
            idp.stop()
        tenant.stop()
        if tenant.contract_violations:
            print(f"{len(tenant.contract_violations)} contract violation(s):", file=sys.stderr)
            for line in tenant.contract_violations:
                print("  " + visible(line), file=sys.stderr)
    print(f"Stopped after {len(tenant.requests)} request(s).")
    return 0


def _start_identity_provider(tenant: Any) -> Any:
    try:
        from scanner_app.core.tenant_sim.identity import SimulatedIdentityProvider
    except ImportError:  # the sign-in side is optional for this command
        return None
    idp = SimulatedIdentityProvider(tenant.tokens, list(tenant.users.values()),
                                    cert=tenant.cert_pair)  # fmt: skip
    idp.start()
    return idp


def _print_instructions(
    args: argparse.Namespace, url: str, token: str, tenant: Any, idp: Any, labels: list[Any]
) -> None:
    lines = [
        f"Simulated tenant: {args.devices} Autopilot devices, {args.users} users "
        f"(seed {args.seed})",
        f"  Graph endpoint:  {url}   (v1.0 at {url}/v1.0, beta at {url}/beta)",
    ]
    if tenant.cert_path:
        lines.append(f"  CA certificate:  {tenant.cert_path}   (trust it: REQUESTS_CA_BUNDLE=...)")
    if idp is not None:
        lines.append(f"  Sign-in:         --authority-host {idp.authority.rsplit('/', 1)[0]} "
                     f"--tenant {idp.tenant} --client-id {idp.client_id}")  # fmt: skip
    lines += [
        "",
        "Point the app at it:",
        f"  scanner-app lookup SERIAL --graph-endpoint {url}"
        + ("" if idp else "   (or just: scanner-app --demo, which runs its own)"),
        "Or call Graph directly with this access token (valid "
        f"{args.token_hours:g} h, never printed by the app itself):",
        f"  curl -G{' --cacert ' + str(tenant.cert_path) if tenant.cert_path else ''} "
        f'-H "Authorization: Bearer {token}" \\',
        f'    "{url}/v1.0/deviceManagement/windowsAutopilotDeviceIdentities" '
        "--data-urlencode \"\\$filter=contains(serialNumber,'5CG')\"",
        "",
        "Serials on the first labels: " + ", ".join(lb["serial"] for lb in labels),
    ]
    if tenant.faults.active:
        lines.append("Faults: " + "; ".join(
            f"{f.kind} x{'∞' if f.count is None else f.count} on {f.path}"
            for f in tenant.faults.active))  # fmt: skip
    lines.append("Press Ctrl+C to stop." if not args.duration else f"Running {args.duration:g} s.")
    print("\n".join(visible(line) for line in lines), flush=True)
