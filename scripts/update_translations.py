"""Refresh the Qt Linguist sources and compile them for the app.

    uv run python scripts/update_translations.py            # lupdate, then lrelease
    uv run python scripts/update_translations.py --release  # lrelease only (for a build)

``pyside6-lupdate`` reads every ``self.tr("…")`` in ``scanner_app/ui`` and merges the strings
into ``resources/translations/scanner_app_<lang>.ts`` (existing translations are kept; strings
no longer in the code are dropped; a string whose code moved to another class keeps its
translation: lupdate would leave it unfinished, since the context is the class name).
Translate the ``.ts`` file with Qt Linguist (``pyside6-linguist``) or any text editor, then run
this again: ``pyside6-lrelease`` writes
``scanner_app/assets/translations/scanner_app_<lang>.qm``, where ``scanner_app.resources`` finds
it in a checkout, a wheel and the frozen app alike. English is the source language: no file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scanner_app" / "ui"
#: Core modules that hold ``QT_TRANSLATE_NOOP`` markers (the device card's labels).
MARKED = (ROOT / "scanner_app" / "core" / "device_fields.py",)
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
    files = sorted(str(p.relative_to(ROOT)) for p in (*SOURCES.rglob("*.py"), *MARKED))
    for lang in languages:
        ts = TS_DIR / f"scanner_app_{lang}.ts"
        TS_DIR.mkdir(parents=True, exist_ok=True)
        before = translations(ts) if ts.exists() else {}
        cmd = [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *files,
               "-source-language", "en", "-target-language", lang, "-ts", str(ts)]  # fmt: skip
        subprocess.run(cmd, check=True, cwd=ROOT)
        carried = carry_over(ts, before)
        for context, source in carried:
            print(f"{ts.name}: {source!r} in {context}: the translation it already has elsewhere")
        if carried:  # once more, so the file is in lupdate's own layout again
            subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def translations(ts: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> finished translation, from one .ts file."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            text = message.find("translation")
            if text is not None and text.text and text.get("type") is None:
                found[(name, message.findtext("source", ""))] = text.text
    return found


def carry_over(ts: Path, before: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """Fill strings lupdate left unfinished because their code moved to another class (the
    context is the class name) with the translation they had there. Only when the old
    translations of that text agree; anything else stays for a translator."""
    by_source: dict[str, set[str]] = {}
    for (_context, source), text in before.items():
        by_source.setdefault(source, set()).add(text)
    tree = ET.parse(ts)
    carried = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            text = message.find("translation")
            known = by_source.get(source, set())
            if text is None or text.get("type") != "unfinished" or len(known) != 1:
                continue
            old = next(iter(known))
            if text.text and text.text != old:  # lupdate's own guess, and a different one
                continue
            text.text = old
            del text.attrib["type"]
            carried.append((name, source))
    if carried:
        tree.write(ts, encoding="utf-8", xml_declaration=True)
        # ElementTree drops the DOCTYPE line Qt Linguist expects; put it back.
        body = ts.read_text(encoding="utf-8").split("\n", 1)[1]
        ts.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body, encoding="utf-8"
        )
    return carried


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
