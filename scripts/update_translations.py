"""Refresh the Qt Linguist sources and compile them for the app.

    uv run python scripts/update_translations.py            # lupdate, then lrelease
    uv run python scripts/update_translations.py --release  # lrelease only (for a build)

``pyside6-lupdate`` reads every ``self.tr("…")`` in ``scanner_app/ui`` and merges the strings
into ``resources/translations/scanner_app_<lang>.ts`` (existing translations are kept; strings
no longer in the code are dropped). Translate the ``.ts`` file with Qt Linguist
(``pyside6-linguist``) or any text editor, then run this again: ``pyside6-lrelease`` writes
``scanner_app/assets/translations/scanner_app_<lang>.qm``, where ``scanner_app.resources`` finds
it in a checkout, a wheel and the frozen app alike. English is the source language: no file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scanner_app" / "ui"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "scanner_app" / "assets" / "translations"
LANGUAGES = ("de",)


def tool(name: str) -> str:
    """The tool beside this Python (the venv's bin/Scripts), else on PATH."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (it ships the Linguist tools)")
    return found


def update(languages: tuple[str, ...]) -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in SOURCES.glob("*.py"))
    for lang in languages:
        ts = TS_DIR / f"scanner_app_{lang}.ts"
        TS_DIR.mkdir(parents=True, exist_ok=True)
        cmd = [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *files,
               "-source-language", "en", "-target-language", lang, "-ts", str(ts)]  # fmt: skip
        subprocess.run(cmd, check=True, cwd=ROOT)


def release(languages: tuple[str, ...]) -> list[Path]:
    QM_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in languages:
        ts = TS_DIR / f"scanner_app_{lang}.ts"
        qm = QM_DIR / f"scanner_app_{lang}.qm"
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile .ts to .qm")
    parser.add_argument("--language", action="append", help="only this language (repeatable)")
    args = parser.parse_args(argv)
    languages = tuple(args.language or LANGUAGES)
    if not args.release:
        update(languages)
    for qm in release(languages):
        print(f"wrote {qm.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
