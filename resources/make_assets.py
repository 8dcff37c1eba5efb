"""Regenerate every derived asset from its source: ``uv run python resources/make_assets.py``.

Why a script and committed outputs: the icon renders, the installer icons, the sounds and the
sample labels must be byte-for-byte the same on every build machine, and the build must not
need a renderer that only some machines have. So the outputs are committed and this script is
the record of how they were made (rerun it after changing ``icon.svg``).

Writes:
- ``scanner_app/assets/icons/app-<N>.png`` (N = 16 ... 512): runtime window/tray icons,
  loaded through ``scanner_app.resources``;
- ``scanner_app/assets/sounds/{read,success,error}.wav``: the scan feedback sounds;
- ``resources/app.ico`` (Windows exe + installer) and ``resources/app.icns`` (macOS bundle);
- ``resources/labels/*.png`` + ``labels.json``: sample device labels for docs and tests.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent / "scanner_app" / "assets"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 256)
#: ICNS element types holding PNG data, and their pixel size.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
RATE = 22_050


# ---- icons -----------------------------------------------------------------------------------
def render_svg(svg: Path, sizes: set[int]) -> dict[int, tuple[bytes, np.ndarray]]:
    """Render ``svg`` at each size: {size: (PNG bytes, BGRA array)} (Qt's SVG renderer)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import cv2
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot render {svg}")
    out: dict[int, tuple[bytes, np.ndarray]] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # The stub says bytes for the format; PySide6 6.12 accepts only str at run time.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        png = bytes(data.data())
        # Pixels for the ICO's bitmaps, decoded from the PNG (deterministic, unlike a view of
        # the QImage's buffer).
        bgra = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
        assert bgra is not None and bgra.shape == (size, size, 4)
        out[size] = (png, bgra)
    return out


def _ico_dib(bgra: np.ndarray) -> bytes:
    """A 32-bit BMP icon image: BITMAPINFOHEADER (height doubled), bottom-up XOR, AND mask."""
    size = bgra.shape[0]
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    xor = bgra[::-1].tobytes()
    row_bytes = ((size + 31) // 32) * 4
    transparent = bgra[::-1, :, 3] == 0
    mask = np.zeros((size, row_bytes * 8), np.uint8)
    mask[:, :size] = transparent
    return header + xor + np.packbits(mask, axis=1).tobytes()


def write_ico(path: Path, renders: dict[int, tuple[bytes, np.ndarray]]) -> None:
    """ICO with BMP entries up to 64 px (every Windows tool reads them) and PNG at 256 px."""
    entries = []
    for size in ICO_SIZES:
        png, bgra = renders[size]
        entries.append((size, png if size >= 256 else _ico_dib(bgra)))
    out = bytearray(struct.pack("<HHH", 0, 1, len(entries)))
    offset = 6 + 16 * len(entries)
    for size, blob in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    for _size, blob in entries:
        out += blob
    path.write_bytes(bytes(out))


def write_icns(path: Path, renders: dict[int, tuple[bytes, np.ndarray]]) -> None:
    """ICNS made of PNG elements (what ``iconutil -c icns`` writes from an .iconset)."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(renders[size][0])) + renders[size][0]
        for kind, size in ICNS_TYPES
    )
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


# ---- sounds ----------------------------------------------------------------------------------
def _envelope(n: int, attack: float = 0.005, release: float = 0.03) -> np.ndarray:
    env = np.ones(n)
    a, r = int(RATE * attack), int(RATE * release)
    env[:a] = np.linspace(0, 1, a)
    env[n - r :] = np.linspace(1, 0, r)
    return env


def tone(freq: float, seconds: float, *, square: float = 0.0, volume: float = 0.5) -> np.ndarray:
    """A sine tone with some odd harmonics mixed in (``square`` 0..1) and soft edges."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave_ = np.sin(2 * math.pi * freq * t)
    for k in (3, 5, 7):
        wave_ += square * np.sin(2 * math.pi * freq * k * t) / k
    wave_ /= np.max(np.abs(wave_))
    return volume * wave_ * _envelope(len(t))


def write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = np.clip(samples * 32767, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())


def make_sounds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    gap = np.zeros(int(RATE * 0.02))
    # read: a short, bright beep like a handheld scanner's
    write_wav(folder / "read.wav", tone(1800, 0.07, volume=0.45))
    # success: a rising two-tone (a fifth apart)
    write_wav(folder / "success.wav", np.concatenate([tone(880, 0.11), gap, tone(1320, 0.16)]))
    # error: a low buzz, twice
    buzz = tone(170, 0.16, square=1.0, volume=0.5)
    write_wav(folder / "error.wav", np.concatenate([buzz, np.zeros(int(RATE * 0.06)), buzz]))


# ---- sample labels ---------------------------------------------------------------------------
def _symbol(text: str, fmt: str, scale: int) -> np.ndarray:
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.barcode_format_from_str(fmt))
    return np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=scale))


def make_label(lines: list[str], codes: list[tuple[str, str]]) -> np.ndarray:
    """A white device label: text lines on top, then the codes side by side."""
    import cv2

    symbols = []
    for text, fmt in codes:
        if fmt in {"QRCode", "DataMatrix"}:
            symbols.append(_symbol(text, fmt, 6))
        else:  # a linear code: stretch the bars to a readable height
            img = _symbol(text, fmt, 3)
            symbols.append(cv2.resize(img, (img.shape[1], 150), interpolation=cv2.INTER_NEAREST))
    top = 40 + 46 * len(lines)
    height = top + max(s.shape[0] for s in symbols) + 24
    width = max(900, 36 + sum(s.shape[1] + 30 for s in symbols) + 20)
    canvas = np.full((height, width), 255, np.uint8)
    cv2.rectangle(canvas, (8, 8), (width - 9, height - 9), 0, 3)
    for i, line in enumerate(lines):
        cv2.putText(
            canvas, line, (36, 62 + 46 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.05, 0, 2, cv2.LINE_AA
        )
    x = 36
    for img in symbols:
        canvas[top : top + img.shape[0], x : x + img.shape[1]] = img
        x += img.shape[1] + 30
    return canvas


def make_labels(folder: Path) -> None:
    import cv2
    import zxingcpp

    sys.path.insert(0, str(HERE.parent))
    from scanner_app.core.tenant_sim.seed import demo_labels

    folder.mkdir(parents=True, exist_ok=True)
    demo = demo_labels(3)
    dell, lenovo, autopilot = demo[0], demo[1], demo[2]
    samples = {
        "serial-code128-qr.png": (
            [f"{lenovo['manufacturer']} {lenovo['model']}", f"S/N: {lenovo['serial']}"],
            [(lenovo["serial"], "Code128"), (f"S/N: {lenovo['serial']}", "QRCode")],
        ),
        "service-tag-code39.png": (
            [f"{dell['manufacturer']} {dell['model']}", f"Service Tag: {dell['serial']}"],
            [(dell["serial"], "Code39")],
        ),
        "autopilot-qr.png": (
            ["Windows Autopilot pre-provisioning", f"Device {autopilot['serial']}"],
            [(autopilot["qr_text"], "QRCode")],
        ),
    }
    manifest = {}
    for name, (lines, codes) in samples.items():
        image = make_label(lines, codes)
        cv2.imwrite(str(folder / name), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        read = sorted(r.text for r in zxingcpp.read_barcodes(image))
        wanted = sorted(text for text, _fmt in codes)
        if read != wanted:
            raise SystemExit(f"{name}: reads back {read}, expected {wanted}")
        manifest[name] = {"texts": wanted, "serial": None}
    manifest["serial-code128-qr.png"]["serial"] = lenovo["serial"]
    manifest["service-tag-code39.png"]["serial"] = dell["serial"]
    manifest["autopilot-qr.png"]["serial"] = autopilot["serial"]
    (folder / "labels.json").write_text(json.dumps(manifest, indent=2) + "\n")


def main() -> int:
    svg = HERE / "icon.svg"
    renders = render_svg(svg, set(PNG_SIZES) | {size for _k, size in ICNS_TYPES})
    icons = ASSETS / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (icons / f"app-{size}.png").write_bytes(renders[size][0])
    write_ico(HERE / "app.ico", renders)
    write_icns(HERE / "app.icns", renders)
    make_sounds(ASSETS / "sounds")
    make_labels(HERE / "labels")
    for path in sorted([*ASSETS.rglob("*.*"), *HERE.glob("app.*"), *(HERE / "labels").glob("*")]):
        print(f"{path.relative_to(HERE.parent)}  {path.stat().st_size:>8,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
