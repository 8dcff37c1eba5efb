"""Ceilings checked before an image or a video frame is decoded, and what a path really is.

A photo of a label needs a few megapixels. Without a ceiling, a 30000x30000 PNG of 875 KB took
2 GB and 26 s to decode, a 40000x40000 one raised inside OpenCV, and a 3 GB file named ``.png``
was read whole. Here every file is judged from its header (``image_headers``) before a pixel is
decoded: at most ``MAX_PIXELS`` pixels and ``MAX_FILE_BYTES`` bytes, so the decode stays under
600 MB whatever the input. A path that is not a regular file (a folder, a named pipe that
would block a read forever, a device such as ``/dev/null``, a symbolic link that loops) is named
for what it is, without being opened for a blocking read.

Refusals are ``InputRefused``: ``name`` (the file's name), ``reason`` (what it is and what to
do); ``str(exc)`` is "name: reason", a sentence for a status line. Used by the ``decode``
command, ``image_io.read_gray`` (the photo drop and paste) and the video and folder sources.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

from scanner_app.core.vision.image_headers import HEAD_BYTES, ImageHeader, other_kind, read_header

__all__ = [
    "IMAGE_FORMATS",
    "FORMAT_MAX_PIXELS",
    "IMAGE_SUFFIXES",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "ImageHeader",
    "InputRefused",
    "check_frame",
    "check_image_bytes",
    "check_image_file",
    "check_path",
    "check_pixels",
    "inspect",
]

#: 50 megapixels: the largest phone sensors (8160x6120) still fit; decoded in ~2 s and ~210 MB.
MAX_PIXELS = 50_000_000
#: OpenCV's GIF decoder needs ~11 bytes a pixel (a 50 MP GIF: 580 MB), JPEG at most ~8.
FORMAT_MAX_PIXELS = {"GIF": 20_000_000}
#: 100 MB: ten times a 50-megapixel JPEG; an image file is read into memory before decoding.
MAX_FILE_BYTES = 100_000_000
IMAGE_FORMATS = "PNG, JPEG, BMP, TIFF, WebP or GIF"
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pbm", ".pgm", ".ppm"}
)


class InputRefused(ValueError):
    """A file the app will not decode: ``name``, and ``reason`` (what it is, what to do)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def _mb(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else _mp(size).replace("MP", "MB")


def _mp(pixels: int) -> str:
    return f"{pixels / 1e6:.1f}".removesuffix(".0") + " MP"


def check_path(path: str | os.PathLike[str]) -> os.stat_result:
    """The file's status when ``path`` is a regular file; else InputRefused saying what it is.
    Nothing is opened, so a named pipe cannot block."""
    path = Path(path)
    name = path.name or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise InputRefused(name, f"a link to {target}, which does not exist") from None
        raise InputRefused(name, "no such file or folder: check the name") from None
    except PermissionError:
        raise InputRefused(name, "cannot be read: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputRefused(
                name, "a symbolic link that loops back on itself: point it at the real file"
            ) from None
        raise InputRefused(name, f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISREG(st.st_mode):
        return st
    if stat.S_ISDIR(st.st_mode):
        what = "a folder, not a file"
    elif stat.S_ISFIFO(st.st_mode):
        what = "a named pipe (FIFO), not a file: save what it carries to a file and use that"
    elif stat.S_ISSOCK(st.st_mode):
        what = "a socket, not a file"
    else:
        what = "a device, not a file"
    if path.is_symlink():
        what = f"a link to {os.path.realpath(path)}, {what}"
    raise InputRefused(name, what)


def _open(path: Path) -> BinaryIO:
    """Open a regular file for reading; refuse anything else, even if it changed since
    ``check_path`` (opened without blocking, then checked again on the open file)."""
    check_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputRefused(path.name, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        check_path(path)  # says what it became
        raise InputRefused(path.name, "not a regular file")
    return os.fdopen(fd, "rb")


def _too_big(name: str, size: int) -> InputRefused:
    return InputRefused(
        name,
        f"{_mb(size)}, over the {_mb(MAX_FILE_BYTES)} limit for an image file: "
        "save a smaller copy (crop it to the label, or JPEG)",
    )


def _judge(name: str, header: ImageHeader, size: int) -> ImageHeader:
    if size > MAX_FILE_BYTES:
        raise _too_big(name, size)
    if header.width <= 0 or header.height <= 0:
        raise InputRefused(name, f"a damaged {header.format} (its header gives no size)")
    check_pixels(header.width, header.height, name, header.format)
    return header


def check_pixels(width: int, height: int, name: str, image_format: str = "") -> None:
    """Refuse a still image larger than a photo of a label may be (a pasted one, too)."""
    limit = FORMAT_MAX_PIXELS.get(image_format, MAX_PIXELS)
    if width * height > limit:
        what = "a photo" if limit == MAX_PIXELS else f"a {image_format}"
        raise InputRefused(
            name,
            f"{width}x{height} pixels ({_mp(width * height)}), over the "
            f"{_mp(limit)} limit for {what}: crop it to the label or save it smaller",
        )


def inspect(path: str | os.PathLike[str]) -> ImageHeader | None:
    """The header of the image at ``path``, checked against the ceilings. None when the file is
    neither an image format the app decodes nor anything ``other_kind`` can name: it may be a
    video. InputRefused for everything else (too big, not a file, a text file, a HEIC photo…)."""
    path = Path(path)
    with _open(path) as stream:
        try:
            size = os.fstat(stream.fileno()).st_size
            header = read_header(stream)
            stream.seek(0)
            head = stream.read(HEAD_BYTES)
        except OSError as exc:  # a disk error, an offset past what the OS can seek to
            raise InputRefused(path.name, f"cannot be read: {exc.strerror or exc}") from None
    if header is not None:
        return _judge(path.name, header, size)
    if size > MAX_FILE_BYTES and path.suffix.lower() in IMAGE_SUFFIXES:
        raise _too_big(path.name, size)
    kind = other_kind(head)
    if kind is not None:
        raise InputRefused(path.name, f"{kind}, not a {IMAGE_FORMATS} image or a video")
    return None


def check_image_file(path: str | os.PathLike[str]) -> ImageHeader:
    """The header of the image at ``path`` when the app may decode it; else InputRefused."""
    path = Path(path)
    header = inspect(path)
    if header is None:
        raise InputRefused(path.name, f"not an image the app can read ({IMAGE_FORMATS})")
    return header


def check_image_bytes(data: bytes, name: str = "image") -> ImageHeader:
    """The same judgement for an encoded image held in memory (pasted, downloaded)."""
    header = read_header(io.BytesIO(data))
    if header is None:
        kind = other_kind(data[:HEAD_BYTES])
        what = f"{kind}, not an image" if kind else "not an image the app can read"
        raise InputRefused(name, f"{what} ({IMAGE_FORMATS})")
    return _judge(name, header, len(data))


def check_frame(width: int, height: int, name: str) -> None:
    """Refuse a video whose frames are larger than a photo may be."""
    if width * height > MAX_PIXELS:
        raise InputRefused(
            name,
            f"video frames of {width}x{height} pixels ({_mp(width * height)}), over the "
            f"{_mp(MAX_PIXELS)} limit: record or export it at a lower resolution",
        )
