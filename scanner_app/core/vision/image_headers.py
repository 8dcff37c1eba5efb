"""What an image file says about itself before a pixel of it is decoded.

``read_header(stream)`` reads the width and height from the header of the formats the app decodes
(PNG, JPEG, BMP, TIFF, WebP, GIF and the PNM family), with a few small bounded reads and seeks, so
a 30000x30000 PNG of 875 KB or a 3 GB file named ``.png`` can be judged by ``image_limits``
without being decoded or read whole. ``other_kind(head)`` names what a file is when it is not one
of those: another image format (HEIC, JPEG 2000…), a text file, a PDF, a ZIP archive.
No OpenCV here: nothing in this module allocates more than a few hundred kilobytes.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["HEAD_BYTES", "ImageHeader", "other_kind", "read_header"]

#: Bytes read from the start of a file to recognise it (``other_kind``, PNM headers).
HEAD_BYTES = 4096
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@dataclass(frozen=True)
class ImageHeader:
    """The format and the size in pixels an image declares (a size of 0 means it does not)."""

    format: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


class _Short(Exception):
    """The header ends before the field looked for."""


def _read(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if len(data) < n:
        raise _Short
    return data


def read_header(stream: BinaryIO) -> ImageHeader | None:
    """The header of the image in ``stream`` (seekable, at any position), or None when it is not
    a format the app decodes or the header is cut short. OSError from reading propagates."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return ImageHeader("PNG", *struct.unpack(">II", head[16:24]))
        if head.startswith(b"\xff\xd8\xff"):
            return _jpeg(stream)
        if head.startswith(b"BM") and len(head) >= 26:
            return _bmp(head)
        if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            return _tiff(stream, head)
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return _webp(head)
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return ImageHeader("GIF", *struct.unpack("<HH", head[6:10]))
        if len(head) >= 2 and head[0:1] == b"P" and head[1:2] in b"1234567Ff":
            return _pnm(head)
    except (_Short, struct.error, ValueError, KeyError, OverflowError):
        return None
    return None


def _jpeg(stream: BinaryIO) -> ImageHeader | None:
    """Walk the marker segments (EXIF and thumbnails can fill the first 64 KB) to the frame."""
    stream.seek(2)
    for _ in range(10_000):
        if _read(stream, 1) != b"\xff":
            return None
        marker = _read(stream, 1)[0]
        while marker == 0xFF:  # fill bytes
            marker = _read(stream, 1)[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        if marker in (0xD9, 0xDA):
            return None  # end of image, or scan data, before any frame header
        (length,) = struct.unpack(">H", _read(stream, 2))
        if length < 2:
            return None
        if marker in _SOF:
            _precision, height, width = struct.unpack(">BHH", _read(stream, 5))
            return ImageHeader("JPEG", width, height)
        stream.seek(length - 2, os.SEEK_CUR)
    return None


def _bmp(head: bytes) -> ImageHeader:
    (dib,) = struct.unpack("<I", head[14:18])
    if dib == 12:  # OS/2 BITMAPCOREHEADER
        return ImageHeader("BMP", *struct.unpack("<HH", head[18:22]))
    width, height = struct.unpack("<ii", head[18:26])
    return ImageHeader("BMP", abs(width), abs(height))  # negative height: rows top-down


def _tiff(stream: BinaryIO, head: bytes) -> ImageHeader | None:
    """Width and length from the first IFD, the page OpenCV reads (classic and BigTIFF)."""
    order = "<" if head[:2] == b"II" else ">"
    big = head[2:4] in (b"+\x00", b"\x00+")
    if big:
        (ifd,) = struct.unpack(order + "Q", head[8:16])
        stream.seek(ifd)
        (count,) = struct.unpack(order + "Q", _read(stream, 8))
        entry, value_at = 20, 12
    else:
        (ifd,) = struct.unpack(order + "I", head[4:8])
        stream.seek(ifd)
        (count,) = struct.unpack(order + "H", _read(stream, 2))
        entry, value_at = 12, 8
    entries = _read(stream, min(count, 4096) * entry)
    size: dict[int, int] = {}
    formats = {3: "H", 4: "I", 16: "Q"}
    for i in range(0, len(entries), entry):
        tag, kind = struct.unpack(order + "HH", entries[i : i + 4])
        if tag in (256, 257) and kind in formats:
            fmt = order + formats[kind]
            size[tag] = struct.unpack_from(fmt, entries, i + value_at)[0]
    if 256 not in size or 257 not in size:
        return None
    return ImageHeader("TIFF", size[256], size[257])


def _webp(head: bytes) -> ImageHeader | None:
    chunk = head[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return ImageHeader("WebP", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L":
        (bits,) = struct.unpack("<I", head[21:25])
        return ImageHeader("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return ImageHeader("WebP", width, height)
    return None


def _pnm(head: bytes) -> ImageHeader | None:
    """PBM, PGM, PPM (P1-P6), PAM (P7) and PFM (PF, Pf): numbers in ASCII after the magic."""
    if head[1:2] == b"7":
        fields = dict(
            line.split(None, 1)
            for line in head.split(b"ENDHDR")[0].decode("ascii").splitlines()[1:]
            if len(line.split(None, 1)) == 2
        )
        return ImageHeader("PNM", int(fields["WIDTH"]), int(fields["HEIGHT"]))
    words: list[bytes] = []
    for line in head[2:].splitlines():
        words += line.split(b"#", 1)[0].split()
        if len(words) >= 2:
            return ImageHeader("PNM", int(words[0]), int(words[1]))
    return None


_OTHER_IMAGES = (
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "a JPEG XL image"),
    (b"\xff\x0a", "a JPEG XL image"),
    (b"v/1\x01", "an OpenEXR image"),
    (b"#?RADIANCE", "a Radiance HDR image"),
    (b"#?RGBE", "a Radiance HDR image"),
    (b"\x59\xa6\x6a\x95", "a Sun raster image"),
    (b"8BPS", "a Photoshop document"),
)
_OTHER_FILES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)
_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"avif": "AVIF", b"avis": "AVIF"}


def other_kind(head: bytes) -> str | None:
    """What the file starting with ``head`` is, when it is something other than an image the
    app decodes or a video: "a HEIC photo", "a text file"… None when it cannot tell."""
    if not head:
        return "an empty file"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return f"a {_HEIF_BRANDS[head[8:12]]} photo"
    for magic, kind in _OTHER_IMAGES + _OTHER_FILES:
        if head.startswith(magic):
            return kind
    if head.count(0) == len(head):
        return "a file of zero bytes only (damaged or never written)"
    if b"\x00" not in head:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:  # the head may end inside a character
            if len(head) < HEAD_BYTES or exc.start < len(head) - 3:
                return None
            text = head[: exc.start].decode("utf-8")
        if all(c.isprintable() or c in "\t\r\n\f" for c in text):
            return "a text file"
    return None
