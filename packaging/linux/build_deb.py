"""Make a .deb from the PyInstaller bundle: ``python packaging/linux/build_deb.py``.

Layout installed (Debian's conventions for a self-contained third-party app):
  /opt/autopilot-bench-scanner/          the one-folder bundle, untouched
  /usr/bin/scanner-app                   symlink to it (PyInstaller finds its files through
                                         /proc/self/exe, so the link works)
  /usr/share/applications/…desktop       the launcher; icons in /usr/share/icons/hicolor
  /usr/share/doc/autopilot-bench-scanner config.toml.example for the admin preset in /etc
The icon cache and desktop database are refreshed by dpkg triggers (hicolor-icon-theme,
desktop-file-utils), so the package needs no maintainer scripts. Built with dpkg-deb only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
REPO = PACKAGING.parent
PACKAGE = "autopilot-bench-scanner"
PREFIX = Path("opt") / PACKAGE
#: Libraries the bundle loads from the system: OpenGL/EGL (Qt loads them; PyInstaller never
#: bundles them) and the Wayland client libraries (the wayland platform plugin).
#: What the bundle takes from the system: the graphics stack Qt's wheel never ships, and the
#: desktop libraries the spec leaves out on purpose (HOST_LIBS in scanner_app.spec).
DEPENDS = [
    "libegl1",
    "libgl1",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libfontconfig1",
    "libfreetype6",
    "libx11-6",
    "libx11-xcb1",
    "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3",
    "libzstd1",
    "zlib1g",
    "libexpat1",
    "libssl3t64 | libssl3",
    "libxkbcommon-x11-0",
]
RECOMMENDS = ["libzbar0"]


def version() -> str:
    text = (REPO / "scanner_app" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match
    return match.group(1)


def glibc_needed(root: Path) -> str | None:
    """The newest GLIBC_x.y symbol version any bundled binary asks for (-> libc6 (>= x.y))."""
    if not shutil.which("objdump"):
        return None
    newest: tuple[int, ...] = ()
    for path in root.rglob("*"):
        if (
            path.is_file()
            and not path.is_symlink()
            and (".so" in path.name or os.access(path, os.X_OK))
        ):
            out = subprocess.run(
                ["objdump", "-T", str(path)], capture_output=True, text=True
            ).stdout
            for found in set(re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)):
                newest = max(newest, tuple(int(n) for n in found.split(".")))
    return ".".join(map(str, newest)) if newest else None


def stage(bundle: Path, root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / PREFIX, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/scanner-app").symlink_to(Path("/") / PREFIX / "scanner-app")
    apps = root / "usr/share/applications"
    apps.mkdir(parents=True)
    shutil.copy(HERE / f"{PACKAGE}.desktop", apps / f"{PACKAGE}.desktop")
    icons = REPO / "scanner_app" / "assets" / "icons"
    for png in icons.glob("app-*.png"):
        size = png.stem.split("-")[1]
        target = root / f"usr/share/icons/hicolor/{size}x{size}/apps/{PACKAGE}.png"
        target.parent.mkdir(parents=True)
        shutil.copy(png, target)
    scalable = root / "usr/share/icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copy(REPO / "resources" / "icon.svg", scalable / f"{PACKAGE}.svg")
    doc = root / "usr/share/doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(PACKAGING / "config.toml.example", doc / "config.toml.example")
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {PACKAGE}\n\nFiles: *\nLicense: MIT\n"
    )
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 dirs, 0644/0755 files
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def control(root: Path, arch: str) -> str:
    size_kb = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
    depends = list(DEPENDS)
    glibc = glibc_needed(root / PREFIX)
    if glibc:
        depends.insert(0, f"libc6 (>= {glibc})")
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version()}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Autopilot Bench Scanner maintainers <noreply@example.invalid>\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: utils\n"
        "Priority: optional\n"
        "Homepage: https://example.invalid/autopilot-bench-scanner\n"
        "Description: scan device labels and set their Windows Autopilot group tag and user\n"
        " Reads a device label or the Autopilot pre-provisioning QR code from a webcam,\n"
        " finds the device in Microsoft Intune through Microsoft Graph and sets its\n"
        " group tag and assigned user in one step. Includes a simulated tenant for\n"
        " training (scanner-app --demo).\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=PACKAGING / "dist" / "scanner-app")
    parser.add_argument("--out", type=Path, default=PACKAGING / "dist")
    parser.add_argument(
        "--compression",
        choices=["xz", "zstd"],
        default="xz",
        help="xz: smallest download, slow to build (minutes); zstd: ~25%% larger, seconds "
        "(dpkg >= 1.21.18 / Ubuntu >= 21.10 installs it)",
    )
    args = parser.parse_args(argv)
    if not (args.bundle / "scanner-app").is_file():
        raise SystemExit(f"no bundle at {args.bundle}: run packaging/build.py first")
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = PACKAGING / "build" / "deb" / f"{PACKAGE}_{version()}_{arch}"
    stage(args.bundle, root)
    (root / "DEBIAN").mkdir(mode=0o755)
    (root / "DEBIAN" / "control").write_text(control(root, arch))
    out = args.out / f"{PACKAGE}_{version()}_{arch}.deb"
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{args.compression}", "--build", str(root), str(out)],
        check=True,
    )
    print(f"built {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
