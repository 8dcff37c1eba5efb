"""The trimmed ICU data library (packaging/linux/icu_data.py) keeps what the app's users see.

The venv's real ``libicudata.so.NN`` (from the PySide6 wheel) is trimmed to English and German,
then one probe script runs twice in fresh interpreters — once as installed and once with the
trimmed library forced in through ``LD_PRELOAD`` (same SONAME, so Qt's ICU binds to it instead
of its own) — and the outputs are compared: collation (QCollator, localeAwareCompare, the
file-system model's sort used by file dialogs), case mapping, time-zone names and text
decoding. For what was dropped on purpose (Swedish collation, the Shift-JIS table) the probe
records the outcome, and the tests pin it as benign: root ordering, an invalid decoder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_icu_data() -> Any:
    # packaging/linux is not an importable package (and "packaging" names a PyPI project).
    spec = importlib.util.spec_from_file_location(
        "icu_data", REPO / "packaging" / "linux" / "icu_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["icu_data"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


icu_data = _load_icu_data()
_PYSIDE = importlib.util.find_spec("PySide6")
QT_LIB = Path(_PYSIDE.origin).parent / "Qt" / "lib" if _PYSIDE and _PYSIDE.origin else Path()
#: The ICU data library PySide6 ships (``libicudata.so.73`` for Qt 6.7–6.11); whichever version.
ICU_DATA = next(iter(sorted(QT_LIB.glob("libicudata.so.[0-9]*"))), QT_LIB / "libicudata.so")
#: The trimmed library and its icu_data.TrimReport.
Trimmed = tuple[Path, Any]

# CI installs a C compiler (.ci/run), so there a missing one fails these tests instead of hiding
# them; on a developer's machine without one they are skipped with the reason.
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not ICU_DATA.exists()
    or (shutil.which("cc") is None and shutil.which("gcc") is None and not os.environ.get("CI")),
    reason="needs PySide6's bundled ICU (Linux wheel) and a C compiler (gcc)",
)

#: Words whose German order depends on the collation data (umlauts sort with their base letter).
WORDS = ["Zebra", "Äpfel", "apfel", "Ärger", "Bär"]

#: Runs in a fresh interpreter (argv[1]: a scratch directory) and prints one JSON line.
PROBE = r"""
import json, pathlib, sys
from PySide6.QtCore import (
    QBuffer, QByteArray, QCollator, QDateTime, QEventLoop, QIODevice, QLocale,
    QSortFilterProxyModel, QStringListModel, QStringDecoder, QTimer, QTimeZone,
    QXmlStreamReader, Qt,
)
from PySide6.QtWidgets import QApplication, QFileSystemModel, QListView

WORDS = ["Zebra", "Äpfel", "apfel", "Ärger", "Bär"]
NAMES = ["file10", "file2", "File1", "äpfel.txt", "Zebra.txt"]
out = {}

def collated(locale, words, numeric=False):
    collator = QCollator(QLocale(locale))
    collator.setNumericMode(numeric)
    return sorted(words, key=collator.sortKey)

out["de"] = collated("de_DE", WORDS)
out["en"] = collated("en_US", WORDS)
out["sv"] = collated("sv_SE", WORDS)  # dropped locale
out["numeric"] = collated("de_DE", ["file10", "file2", "file1"], numeric=True)
out["upper"] = [QLocale("de").toUpper("straße"), QLocale("tr").toUpper("i")]
out["lower"] = [QLocale("tr").toLower("I"), QLocale("en").toLower("I")]

berlin = QTimeZone(b"Europe/Berlin")
out["zone_names"] = {
    lang: [
        berlin.displayName(kind, name, QLocale(lang))
        for kind in (QTimeZone.TimeType.StandardTime, QTimeZone.TimeType.DaylightTime)
        for name in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName)
    ]
    for lang in ("en", "de", "de_AT", "en_GB")
}

def xml_text(encoding, payload):
    # QXmlStreamReader decodes through QStringDecoder(<declared encoding>), as any file would.
    data = b'<?xml version="1.0" encoding="' + encoding.encode() + b'"?><a>' + payload + b"</a>"
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QXmlStreamReader(buffer)
    text = None
    while not reader.atEnd():
        reader.readNext()
        if reader.isCharacters():
            text = reader.text()
    return {"valid": QStringDecoder(encoding).isValid(), "text": text,
            "error": reader.errorString() if reader.hasError() else None}

out["codecs"] = {
    "UTF-8": xml_text("UTF-8", "Grüße".encode()),
    "ISO-8859-1": xml_text("ISO-8859-1", "Grüße".encode("latin-1")),
    "windows-1252": xml_text("windows-1252", "Grüße €".encode("cp1252")),  # kept table
    "ISO-8859-15": xml_text("ISO-8859-15", "Grüße €".encode("iso-8859-15")),  # kept table
    "Shift_JIS": xml_text("Shift_JIS", "テスト".encode("shift_jis")),  # dropped table
}

# Widgets: a locale-aware sorted list view and the model file dialogs sort with.
app = QApplication([])
QLocale.setDefault(QLocale("de_DE"))
source = QStringListModel(WORDS)
proxy = QSortFilterProxyModel()
proxy.setSourceModel(source)
proxy.setSortLocaleAware(True)
proxy.sort(0)
view = QListView()
view.setModel(proxy)
view.show()
app.processEvents()
out["list_view"] = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]

scratch = pathlib.Path(sys.argv[1])
for name in NAMES:
    (scratch / name).write_text("")
model = QFileSystemModel()
loop = QEventLoop()
model.directoryLoaded.connect(lambda _path: loop.quit())
QTimer.singleShot(10000, loop.quit)  # a guard, not a wait: the signal normally ends the loop
model.setRootPath(str(scratch))
root = model.index(str(scratch))
loop.exec()
model.sort(0, Qt.SortOrder.AscendingOrder)
out["file_model"] = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]

maps = pathlib.Path("/proc/self/maps").read_text().splitlines()
out["icu_data_mapped"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> Trimmed:
    dst = tmp_path_factory.mktemp("icu") / ICU_DATA.name
    return dst, icu_data.trim_icudata(ICU_DATA, dst, ["en", "de"])


def _probe(tmp_path_factory: pytest.TempPathFactory, preload: Path | None) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("LD_PRELOAD", None)
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path_factory.mktemp("files"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=40,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _probe(tmp_path_factory, None)


@pytest.fixture(scope="module")
def with_trimmed(tmp_path_factory: pytest.TempPathFactory, trimmed: Trimmed) -> dict[str, Any]:
    return _probe(tmp_path_factory, trimmed[0])


def test_trimmed_library_is_much_smaller(trimmed: Trimmed) -> None:
    path, report = trimmed
    assert report.bytes_before == ICU_DATA.stat().st_size
    assert report.bytes_after == path.stat().st_size
    assert report.bytes_before - report.bytes_after > 25_000_000
    # Only the folders Qt reads survive; converters, break iterators, display names do not.
    assert set(report.kept_per_folder) == {"", "coll", "zone"}
    assert report.items_dropped > 3000


def test_trimmed_library_is_a_drop_in_replacement(
    trimmed: Trimmed,
) -> None:
    before = icu_data.find_data_symbol(ICU_DATA.read_bytes())
    after = icu_data.find_data_symbol(trimmed[0].read_bytes())
    version = ICU_DATA.name.rsplit(".", 1)[1]
    assert (after.name, after.soname) == (before.name, before.soname)
    assert (after.name, after.soname) == (f"icudt{version}_dat", f"libicudata.so.{version}")


def test_probe_really_ran_on_the_trimmed_library(
    original: dict[str, Any], with_trimmed: dict[str, Any], trimmed: Trimmed
) -> None:
    assert original["icu_data_mapped"] == [str(ICU_DATA)]
    assert with_trimmed["icu_data_mapped"] == [str(trimmed[0])]


def test_german_collation_is_unchanged(
    original: dict[str, Any], with_trimmed: dict[str, Any]
) -> None:
    assert with_trimmed["de"] == original["de"] == ["apfel", "Äpfel", "Ärger", "Bär", "Zebra"]
    assert with_trimmed["en"] == original["en"]
    assert with_trimmed["numeric"] == original["numeric"] == ["file1", "file2", "file10"]


def test_widgets_sort_as_before(original: dict[str, Any], with_trimmed: dict[str, Any]) -> None:
    assert with_trimmed["list_view"] == original["list_view"]
    assert with_trimmed["list_view"] == ["apfel", "Äpfel", "Ärger", "Bär", "Zebra"]
    # The file dialogs' model: numeric, case-insensitive, umlauts with their base letter.
    assert with_trimmed["file_model"] == original["file_model"]
    assert with_trimmed["file_model"] == ["äpfel.txt", "File1", "file2", "file10", "Zebra.txt"]


def test_case_mapping_is_unchanged(original: dict[str, Any], with_trimmed: dict[str, Any]) -> None:
    assert with_trimmed["upper"] == original["upper"] == ["STRASSE", "İ"]
    assert with_trimmed["lower"] == original["lower"] == ["ı", "i"]


def test_zone_names_in_english_and_german_are_unchanged(
    original: dict[str, Any], with_trimmed: dict[str, Any]
) -> None:
    assert with_trimmed["zone_names"] == original["zone_names"]
    assert with_trimmed["zone_names"]["de"][0] == "Mitteleuropäische Normalzeit"
    assert with_trimmed["zone_names"]["en"][0] == "Central European Standard Time"


def test_utf8_latin1_and_western_code_pages_decode_as_before(
    original: dict[str, Any], with_trimmed: dict[str, Any]
) -> None:
    for encoding in ("UTF-8", "ISO-8859-1"):
        assert with_trimmed["codecs"][encoding] == original["codecs"][encoding]
        assert with_trimmed["codecs"][encoding] == {"valid": True, "text": "Grüße", "error": None}
    for encoding in ("windows-1252", "ISO-8859-15"):  # kept tables: Western code pages
        assert with_trimmed["codecs"][encoding] == original["codecs"][encoding]
        assert with_trimmed["codecs"][encoding]["text"] == "Grüße €"


def test_dropped_locale_falls_back_to_root_order(
    original: dict[str, Any], with_trimmed: dict[str, Any]
) -> None:
    # Swedish sorts Ä after Z; without its tailoring ICU uses root, the order English uses.
    assert original["sv"] == ["apfel", "Bär", "Zebra", "Äpfel", "Ärger"]
    assert with_trimmed["sv"] == with_trimmed["en"]


def test_dropped_codec_is_reported_unsupported_not_crashing(
    original: dict[str, Any], with_trimmed: dict[str, Any]
) -> None:
    assert original["codecs"]["Shift_JIS"]["text"] == "テスト"
    assert with_trimmed["codecs"]["Shift_JIS"] == {
        "valid": False,
        "text": None,
        "error": "Encoding Shift_JIS is unsupported",
    }


def test_no_compiler_leaves_the_destination_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC", "no-such-compiler-anywhere")
    dst = tmp_path / ICU_DATA.name
    with pytest.raises(icu_data.CompilerNotFoundError):
        icu_data.trim_icudata(ICU_DATA, dst, ["en", "de"])
    assert not dst.exists()
