"""Icons and sounds load through scanner_app.resources, the same way from a source checkout,
an installed wheel and a zipped wheel (the frozen app is covered by tests/packaging)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from scanner_app import resources

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "resources" / "labels"


def test_app_icon_renders_at_every_size(qapp: object) -> None:
    from PySide6.QtGui import QIcon, QImage

    for size in resources.ICON_SIZES:
        image = QImage(str(resources.icon_path(size)))
        assert not image.isNull()
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()  # rounded corners, not a white square in the taskbar
    icon = QIcon()
    for path in resources.icon_paths():
        icon.addFile(str(path))
    assert sorted(s.width() for s in icon.availableSizes()) == list(resources.ICON_SIZES)


def test_icon_path_picks_the_next_larger_size() -> None:
    assert resources.icon_path(20).name == "app-24.png"
    assert resources.icon_path(4096).name == "app-512.png"


@pytest.mark.parametrize("name", resources.SOUNDS)
def test_sounds_are_short_audible_wav_files(name: str) -> None:
    data = resources.read_bytes(f"sounds/{name}.wav")
    assert resources.sound_path(name).read_bytes() == data
    assert len(data) < 30_000
    with wave.open(io.BytesIO(data)) as sound:
        assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
        seconds = sound.getnframes() / sound.getframerate()
        samples = np.frombuffer(sound.readframes(sound.getnframes()), "<i2")
    assert 0.05 <= seconds <= 1.0
    assert np.abs(samples).max() > 8000  # loud enough to hear at a bench
    assert abs(int(samples[0])) < 500 and abs(int(samples[-1])) < 500  # no click at the ends


def test_sounds_differ_so_an_operator_can_tell_them_apart() -> None:
    datas = {resources.read_bytes(f"sounds/{n}.wav") for n in resources.SOUNDS}
    assert len(datas) == len(resources.SOUNDS)


def test_paths_outside_the_assets_are_refused() -> None:
    for bad in ("../resources.py", "/etc/passwd", "", "icons/../../cli.py"):
        with pytest.raises(ValueError):
            resources.resource_path(bad)
    with pytest.raises(FileNotFoundError, match="icons/missing.png"):
        resources.resource_path("icons/missing.png")
    with pytest.raises(ValueError, match="unknown sound"):
        resources.sound_path("fanfare")


def test_sample_labels_read_back_as_documented() -> None:
    manifest = json.loads((LABELS / "labels.json").read_text())
    assert manifest
    for name, entry in manifest.items():
        image = cv2.imread(str(LABELS / name), cv2.IMREAD_GRAYSCALE)
        assert sorted(r.text for r in zxingcpp.read_barcodes(image)) == entry["texts"], name


# ---- from a wheel ------------------------------------------------------------------------------
_PROBE = (
    "from scanner_app import resources as r; import json, sys; "
    "p = r.icon_path(32); print(json.dumps([str(p), p.read_bytes().hex(), "
    "len(r.read_bytes('sounds/success.wav')), r.__file__]))"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own path
    assert uv, "uv builds the wheel (it is how the project installs)"
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=50,
    )
    (built,) = out.glob("*.whl")
    return built


def _probe(path_entry: Path) -> tuple[Path, bytes, int, str]:
    """Import scanner_app from ``path_entry`` alone (-S: not the editable install; cwd: not
    the checkout)."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(path_entry)},
        cwd=path_entry.parent,
        check=True,
        timeout=30,
    )
    path, data, sound, module = json.loads(done.stdout)
    return Path(path), bytes.fromhex(data), sound, module


def test_assets_load_from_an_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    path, data, sound, module = _probe(tmp_path)
    assert module.startswith(str(tmp_path))
    assert path == tmp_path / "scanner_app" / "assets" / "icons" / "app-32.png"
    assert data == resources.icon_path(32).read_bytes()
    assert sound == len(resources.read_bytes("sounds/success.wav"))


def test_assets_load_from_a_zipped_wheel(wheel: Path) -> None:
    path, data, _sound, module = _probe(wheel)
    assert module.startswith(str(wheel))
    assert data == resources.icon_path(32).read_bytes()  # extracted to a real file on demand
    assert path.suffix == ".png"
    assert not path.exists()  # the extracted copy is removed when the process ends


def _pixels(image: object) -> np.ndarray:
    """BGRA pixels of a QImage (through PNG, the one format both sides agree on)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[attr-defined]
    decoded = cv2.imdecode(np.frombuffer(bytes(data.data()), np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded is not None
    pixels: np.ndarray = decoded.astype(np.float64)
    pixels[..., :3] *= pixels[..., 3:] / 255  # premultiplied: colour under alpha 0 is moot
    return pixels


@pytest.mark.parametrize("name", ["app.ico", "app.icns"])
def test_installer_icons_hold_the_same_pictures_as_the_app_icon(qapp: object, name: str) -> None:
    from PySide6.QtGui import QImage, QImageReader

    reader = QImageReader(str(REPO / "resources" / name))
    images = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        images.append(reader.read())
    sizes = {image.width() for image in images}
    assert {16, 32, 256} <= sizes  # title bar, taskbar/Dock, installer and Finder/Explorer
    for image in images:
        assert image.width() == image.height()
        if image.width() in resources.ICON_SIZES:
            rendered = _pixels(QImage(str(resources.icon_path(image.width()))))
            # equal but for rounding of half-transparent edge pixels in Qt's ICO reader
            assert np.abs(_pixels(image) - rendered).max() <= 2, image.width()
