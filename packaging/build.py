"""Build the app for this OS: ``uv run --group packaging python packaging/build.py``.

Runs PyInstaller on ``packaging/scanner_app.spec`` (one-folder bundle in ``packaging/dist/``),
prints the bundle size and the build time, then runs the frozen-app smoke test
(``packaging/smoke_test.py``). With ``--installer`` it also makes this OS's installer:
a .deb on Linux, a .dmg on macOS, an Inno Setup .exe on Windows (needs ``iscc`` on PATH).

Exit status: 0 when the bundle was built and (unless ``--no-smoke``) its smoke test passed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DIST = HERE / "dist"
WORK = HERE / "build"
SPEC = HERE / "scanner_app.spec"
APP_BUNDLE = "Autopilot Bench Scanner.app"


def version() -> str:
    text = (REPO / "scanner_app" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match, "no __version__ in scanner_app/__init__.py"
    return match.group(1)


def bundle_path() -> Path:
    return DIST / APP_BUNDLE if sys.platform == "darwin" else DIST / "scanner-app"


def folder_size(path: Path) -> int:
    """Bytes in ``path``, symlinks counted once (as the installers store them)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def run(cmd: list[str], **kwargs: object) -> None:
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def build_bundle(clean: bool) -> float:
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit(
            "PyInstaller is not installed in this environment. Run:\n"
            "  uv run --group packaging python packaging/build.py"
        )
    for folder in (DIST, WORK) if clean else (DIST,):
        shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        cwd=REPO,
    )
    return time.monotonic() - started


def build_installer() -> Path:
    if sys.platform.startswith("linux"):
        run([sys.executable, str(HERE / "linux" / "build_deb.py")])
        return next(DIST.glob("*.deb"))
    if sys.platform == "darwin":
        run(["bash", str(HERE / "macos" / "build_dmg.sh")])
        return next(DIST.glob("*.dmg"))
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    default = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)"))
    default = default / "Inno Setup 6" / "ISCC.exe"
    if iscc is None and default.is_file():
        iscc = str(default)
    if iscc is None:
        raise SystemExit("Inno Setup's iscc was not found (choco install innosetup)")
    run([iscc, f"/DAppVersion={version()}", str(HERE / "windows" / "installer.iss")])
    return next(DIST.glob("*-setup.exe"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clean",
        action="store_true",
        help="also delete PyInstaller's work folder (a from-scratch build)",
    )
    parser.add_argument("--no-smoke", action="store_true", help="skip the smoke test")
    parser.add_argument(
        "--installer",
        action="store_true",
        help="also build this OS's installer (.deb / .dmg / setup .exe)",
    )
    args = parser.parse_args(argv)

    seconds = build_bundle(args.clean)
    bundle = bundle_path()
    size = folder_size(bundle)
    print(
        f"\nbuilt {bundle} in {seconds:.0f} s: {size / 1e6:.1f} MB = {size / 2**20:.1f} MiB "
        f"(version {version()})",
        flush=True,
    )
    if not args.no_smoke:
        done = subprocess.run([sys.executable, str(HERE / "smoke_test.py"), str(bundle)])
        if done.returncode != 0:
            print("smoke test failed", file=sys.stderr)
            return done.returncode
    if args.installer:
        installer = build_installer()
        print(f"installer: {installer} ({installer.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
