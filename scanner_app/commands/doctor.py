"""`scanner-app doctor`: what this machine has for scanning, in one readable page.

Cameras (names, resolutions), decoder engines (and how to install zbar when it is missing),
OpenCV (camera back-ends, and a check that its maths libraries give right answers),
where the config, data and log files live, and the sign-in state. Exit status 1 when something
needed is missing: no decoder engine at all, a settings file that cannot be used, a data folder
that cannot be created or written (changes could not be recorded), or (with
``--require-camera``) no camera. No camera is otherwise only a warning: manual entry works.

A config file or site config that users other than its owner can change is a warning (POSIX
mode bits; not checked on Windows).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from scanner_app.cli import add_tenant_options
from scanner_app.commands._doctor_check import ERROR, INFO, OK, WARN, Check
from scanner_app.commands._text import visible


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=__doc__)
    add_tenant_options(parser, subcommand=True)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--require-camera", action="store_true", help="exit 1 when no camera is found"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    checks = collect(args, require_camera=args.require_camera)
    if args.json:
        print(
            json.dumps(
                {"ok": exit_code(checks) == 0, "checks": [asdict(c) for c in checks]}, indent=2
            )
        )
    else:
        print(render(checks))
    return exit_code(checks)


def collect(
    args: argparse.Namespace,
    *,
    require_camera: bool = False,
    cameras: Callable[[], list[Any]] | None = None,
    engines: Callable[[], Mapping[str, str | None]] | None = None,
) -> list[Check]:
    """Every check, in the order shown. ``cameras``/``engines`` probe the hardware unless given."""
    from scanner_app.commands._doctor_files import file_checks

    out: list[Check] = []
    found = (cameras or _cameras)()
    if not found:
        status = ERROR if require_camera else WARN
        out.append(
            Check(
                "Cameras",
                "camera",
                status,
                "none found",
                "plug in a camera, or use --camera FILE|URL|synthetic; typing the "
                "serial always works",
            )
        )
    for cam in found:
        sizes = ", ".join(f"{w}x{h}" for w, h in cam.resolutions) or "resolutions not known"
        out.append(Check("Cameras", f"camera {cam.index}", OK, cam.name, sizes))
    state = (engines or _engines)()
    for name, reason in state.items():
        out.append(
            Check(
                "Decoders",
                name,
                OK if reason is None else WARN,
                "ready" if reason is None else "not usable",
                reason or "",
            )
        )
    if not any(reason is None for reason in state.values()):
        out.append(
            Check(
                "Decoders",
                "any engine",
                ERROR,
                "none usable",
                "reinstall the app: zxing-cpp ships with it",
            )
        )
    out.append(_opencv())
    out.extend(file_checks(getattr(args, "config", None)))
    out.extend(_settings_and_sign_in(args))
    order = ["Cameras", "Decoders", "Files", "Sign-in"]
    return sorted(out, key=lambda c: order.index(c.section))


def exit_code(checks: list[Check]) -> int:
    return 1 if any(c.status == ERROR for c in checks) else 0


def render(checks: list[Check]) -> str:
    from scanner_app import APP_NAME, __version__

    width = max(len(c.name) for c in checks) + 2
    lines = [f"{APP_NAME} {__version__} — doctor"]
    section = ""
    for c in checks:
        if c.section != section:
            section = c.section
            lines.append(f"\n{section}")
        lines.append(f"  {'[' + c.status + ']':<8}{c.name:<{width}}{visible(c.value)}")
        if c.hint:
            lines.append(f"  {'':<8}{'':<{width}}{visible(c.hint)}")
    errors = sum(c.status == ERROR for c in checks)
    warnings = sum(c.status == WARN for c in checks)
    verdict = "ready to scan" if not errors else "something needed is missing"
    lines.append(f"\n{errors} problem(s), {warnings} warning(s): {verdict}.")
    return "\n".join(lines)


def _cameras() -> list[Any]:
    try:
        from scanner_app.core.vision.capture import list_cameras
    except ImportError:  # OpenCV itself is broken: the OpenCV check says so
        return []
    return list_cameras(probe=True)


def _opencv() -> Check:
    """OpenCV loads, has camera back-ends, and its linear algebra gives right answers.

    The maths part solves a 120x120 system and multiplies 128x128 matrices: past OpenCV's
    thresholds for handing work to LAPACK/BLAS, which in the Linux bundle is numpy's OpenBLAS
    through a shim (packaging/linux/blas_shim.c). A broken install shows here, not as a wrong
    answer somewhere later."""
    try:
        import cv2
        import numpy as np
    except ImportError as exc:
        return Check("Decoders", "OpenCV", ERROR, "cannot be loaded", f"reinstall the app ({exc})")
    rng = np.random.default_rng(7)
    a = rng.standard_normal((120, 120)) + 120 * np.eye(120)
    b = rng.standard_normal((120, 2))
    solved, x = cv2.solve(a, b, flags=cv2.DECOMP_LU)
    m = rng.standard_normal((128, 128)).astype(np.float32)
    product = cv2.gemm(m, m, 1.0, m, 0.0)  # beta 0: the third matrix is not added
    if not (solved and np.allclose(a @ x, b) and np.allclose(product, m @ m, atol=1e-3)):
        return Check("Decoders", "OpenCV", ERROR, "gives wrong results", "reinstall the app")
    registry = cv2.videoio_registry
    backends = ", ".join(registry.getBackendName(k) for k in registry.getCameraBackends())
    return Check("Decoders", "OpenCV", OK, f"{cv2.__version__} ready", f"cameras via {backends}")


def _engines() -> Mapping[str, str | None]:
    try:  # the engines module needs zxing-cpp and numpy, not OpenCV
        from scanner_app.core.vision.engines import available_engines
    except ImportError as exc:
        return {"zxing-cpp": f"cannot be loaded: reinstall the app ({exc})"}
    return available_engines()


def _settings_and_sign_in(args: argparse.Namespace) -> list[Check]:
    try:
        from scanner_app.core.config import Settings

        keys = ("demo", "tenant", "client_id", "authority_host", "graph_endpoint", "camera")
        overrides = {k: getattr(args, k, None) or None for k in keys}
        settings = Settings.load(config_file=getattr(args, "config", None), overrides=overrides)
    except Exception as exc:  # SettingsError and friends: shown, never a traceback
        return [Check("Sign-in", "settings", ERROR, "cannot be used", str(exc))]
    camera = Check("Cameras", "camera setting", INFO, str(getattr(settings, "camera", "")))
    if getattr(settings, "demo", False):
        return [camera, Check("Sign-in", "tenant", INFO, "demo (simulated tenant)")]
    if not (settings.tenant and settings.client_id):
        return [
            camera,
            Check(
                "Sign-in",
                "tenant",
                WARN,
                "not configured",
                "set tenant and client_id in the config file, or use --demo",
            ),
        ]
    return [camera, Check("Sign-in", "tenant", INFO, settings.tenant), _sign_in_state(settings)]


def _sign_in_state(settings: Any) -> Check:
    """Who is signed in, read from the token cache only (no network)."""
    from scanner_app.core.graph.auth import build_authenticator

    try:
        who = build_authenticator(settings).current_account()
    except Exception as exc:  # a broken cache is worth a line, not a crash
        return Check("Sign-in", "account", WARN, "unknown", str(exc))
    if who is None:
        return Check("Sign-in", "account", INFO, "not signed in", "scanner-app sign-in")
    return Check("Sign-in", "account", OK, who.username)
