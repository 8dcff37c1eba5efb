"""Real, valid files that are small on disk and huge once decoded, built without their pixels.

``png_bomb``: a grey PNG of zeros (a 30000x30000 one is 875 KB and decodes to 900 MB).
``flat_jpeg``: a baseline JPEG of mid-grey, any size, ~3 bytes per 32 pixels.
``avi_mjpeg``: an AVI of MJPEG frames, as phones and webcams record, around any JPEGs.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A valid 8-bit grey PNG of ``width`` x ``height`` black pixels."""
    compressor = zlib.compressobj(9)
    rows = 256
    block = bytes(width + 1) * rows  # filter byte 0, then the row
    parts = [compressor.compress(block) for _ in range(height // rows)]
    parts.append(compressor.compress(bytes(width + 1) * (height % rows)))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )
    return path


def flat_jpeg(width: int, height: int) -> bytes:
    """A valid baseline JPEG of ``width`` x ``height`` mid-grey pixels. With the standard Huffman
    tables OpenCV writes, every 8x8 block of grey 128 codes as "DC difference 0, end of block"
    (6 bits), so four blocks are the same three bytes."""
    ok, small = cv2.imencode(".jpg", np.full((8, 8), 128, np.uint8))
    assert ok
    data = small.tobytes()
    sof, sos = data.index(b"\xff\xc0"), data.index(b"\xff\xda")
    (sos_length,) = struct.unpack(">H", data[sos + 2 : sos + 4])
    header = bytearray(data[: sos + 2 + sos_length])
    struct.pack_into(">HH", header, sof + 5, height, width)
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    whole, rest = divmod(blocks, 4)
    bits = "001010" * rest
    bits += "1" * (-len(bits) % 8)  # padded with ones, as the standard says
    tail = int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""
    return bytes(header) + b"\x28\xa2\x8a" * whole + tail + b"\xff\xd9"


def _riff(tag: bytes, data: bytes) -> bytes:
    return tag + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def _riff_list(kind: bytes, body: bytes) -> bytes:
    return b"LIST" + struct.pack("<I", len(body) + 4) + kind + body


def avi_mjpeg(frames: list[bytes], width: int, height: int, fps: int = 5) -> bytes:
    """An AVI file holding ``frames`` (JPEG files) as MJPEG video of ``width`` x ``height``."""
    count, biggest = len(frames), max(map(len, frames))
    avih = struct.pack(
        "<14I", 1_000_000 // fps, 0, 0, 0x10, count, 0, 1, biggest, width, height, 0, 0, 0, 0
    )
    strh = b"vidsMJPG" + struct.pack(
        "<IHHIIIIIIIIhhhh", 0, 0, 0, 0, 1, fps, 0, count, biggest, 0xFFFFFFFF, 0, 0, 0,
        width, height,
    )  # fmt: skip
    strf = struct.pack(
        "<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3, 0, 0, 0, 0
    )
    stream = _riff_list(b"strl", _riff(b"strh", strh) + _riff(b"strf", strf))
    header = _riff_list(b"hdrl", _riff(b"avih", avih) + stream)
    movie = _riff_list(b"movi", b"".join(_riff(b"00dc", frame) for frame in frames))
    index, offset = b"", 4
    for frame in frames:
        index += b"00dc" + struct.pack("<III", 0x10, offset, len(frame))
        offset += 8 + len(frame) + len(frame) % 2
    body = b"AVI " + header + movie + _riff(b"idx1", index)
    return b"RIFF" + struct.pack("<I", len(body)) + body
