"""Ceilings checked from the header before a pixel is decoded, and what a path really is."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner_app.core.vision import image_limits
from scanner_app.core.vision.capture import CaptureError, ImageFolderSource, VideoFileSource
from scanner_app.core.vision.image_limits import InputRefused
from tests.core.bombs import avi_mjpeg, flat_jpeg, png_bomb

unix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def refusal(path: Path) -> str:
    with pytest.raises(InputRefused) as refused:
        image_limits.check_image_file(path)
    assert refused.value.name == path.name
    return refused.value.reason


@pytest.mark.parametrize(
    ("ext", "params", "expected"),
    [
        (".png", [], "PNG"),
        (".jpg", [], "JPEG"),
        (".jpg", [cv2.IMWRITE_JPEG_PROGRESSIVE, 1], "JPEG"),
        (".bmp", [], "BMP"),
        (".tiff", [], "TIFF"),
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 80], "WebP"),  # lossy: VP8
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 101], "WebP"),  # lossless: VP8L
        (".gif", [], "GIF"),
        (".ppm", [], "PNM"),
    ],
)
def test_every_format_the_app_reads_is_measured_from_its_header(
    tmp_path: Path, ext: str, params: list[int], expected: str
) -> None:
    image = np.random.default_rng(1).integers(0, 255, (45, 123, 3), dtype=np.uint8)
    ok, encoded = cv2.imencode(ext, image, params)
    assert ok
    path = tmp_path / f"photo{ext}"
    path.write_bytes(encoded.tobytes())
    header = image_limits.check_image_file(path)
    assert (header.format, header.width, header.height) == (expected, 123, 45)
    assert cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE).shape == (45, 123)  # what OpenCV sees


def test_webp_with_alpha_and_a_jpeg_behind_a_big_exif_block_are_measured(tmp_path: Path) -> None:
    rgba = np.full((45, 123, 4), 200, np.uint8)
    ok, webp = cv2.imencode(".webp", rgba, [cv2.IMWRITE_WEBP_QUALITY, 80])
    assert ok
    header = image_limits.check_image_bytes(webp.tobytes(), "alpha.webp")
    assert (header.width, header.height) == (123, 45)
    ok, jpeg = cv2.imencode(".jpg", rgba[:, :, :3])
    exif = b"Exif\x00\x00" + bytes(65_000)  # a phone's EXIF with its thumbnail
    data = jpeg.tobytes()
    data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + data[2:]
    (tmp_path / "phone.jpg").write_bytes(data)
    header = image_limits.check_image_file(tmp_path / "phone.jpg")
    assert (header.format, header.width, header.height) == ("JPEG", 123, 45)


def test_an_image_bomb_is_refused_with_the_ceiling_in_the_sentence(tmp_path: Path) -> None:
    bomb = png_bomb(tmp_path / "bomb.png", 8000, 8000)
    assert bomb.stat().st_size < 100_000  # 64 MB once decoded
    assert refusal(bomb) == (
        "8000x8000 pixels (64 MP), over the 50 MP limit for a photo: "
        "crop it to the label or save it smaller"
    )
    (tmp_path / "flat.jpg").write_bytes(flat_jpeg(16000, 16000))
    assert refusal(tmp_path / "flat.jpg").startswith("16000x16000 pixels (256 MP), over the 50 MP")
    assert image_limits.check_image_file(png_bomb(tmp_path / "ok.png", 8000, 6000)).pixels == 48e6


def test_a_file_over_100_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.png"
    with sparse.open("wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB on paper, nothing on disk
    assert refusal(sparse).startswith("3.2 GB, over the 100 MB limit for an image file")


@unix_only
def test_what_a_path_is_when_it_is_not_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "loop.png").symlink_to("loop.png")
    (tmp_path / "null.png").symlink_to(os.devnull)
    (tmp_path / "gone.png").symlink_to(tmp_path / "deleted.png")
    (tmp_path / "folder.png").mkdir()
    assert refusal(tmp_path / "pipe.png").startswith("a named pipe (FIFO), not a file")
    assert refusal(tmp_path / "loop.png").startswith("a symbolic link that loops back on itself")
    assert refusal(tmp_path / "null.png") == "a link to /dev/null, a device, not a file"
    assert (
        refusal(tmp_path / "gone.png")
        == f"a link to {tmp_path / 'deleted.png'}, which does not exist"
    )
    assert refusal(tmp_path / "folder.png") == "a folder, not a file"
    assert refusal(tmp_path / "absent.png") == "no such file or folder: check the name"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"serial,tag\nPF3XK9Q2,Bench\n", "a text file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "a HEIC photo"),
        (b"", "an empty file"),
        (bytes(5000), "a file of zero bytes only (damaged or never written)"),
    ],
)
def test_a_file_that_is_not_an_image_says_what_it_is(
    tmp_path: Path, content: bytes, kind: str
) -> None:
    path = tmp_path / "label.jpg"
    path.write_bytes(content)
    assert refusal(path) == f"{kind}, not a PNG, JPEG, BMP, TIFF, WebP or GIF image or a video"


def test_a_video_with_frames_over_the_ceiling_is_refused_before_a_frame_is_decoded(
    tmp_path: Path,
) -> None:
    clip = tmp_path / "clip.avi"
    clip.write_bytes(avi_mjpeg([flat_jpeg(16000, 16000)] * 2, 16000, 16000))  # 6 MB on disk
    with pytest.raises(CaptureError) as refused:
        VideoFileSource(clip, realtime=False).open()
    assert refused.value.kind == "file"
    assert str(refused.value).startswith(
        "clip.avi: video frames of 16000x16000 pixels (256 MP), over the 50 MP limit"
    )
    fine = tmp_path / "fine.avi"
    fine.write_bytes(avi_mjpeg([flat_jpeg(320, 240)] * 2, 320, 240))
    source = VideoFileSource(fine, realtime=False)
    source.open()
    frame = source.read()
    assert frame is not None and frame.shape == (240, 320, 3)
    source.close()


@unix_only
def test_a_named_pipe_given_as_a_video_says_so(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.mp4")
    with pytest.raises(CaptureError, match=r"feed.mp4: a named pipe \(FIFO\)"):
        VideoFileSource(tmp_path / "feed.mp4", realtime=False).open()


def test_an_image_folder_skips_a_bomb_and_shows_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name, level in [("a.png", 10), ("c.jpg", 30)]:
        cv2.imwrite(str(tmp_path / name), np.full((40, 50, 3), level, np.uint8))
    png_bomb(tmp_path / "b.png", 8000, 8000)
    source = ImageFolderSource(tmp_path, realtime=False, loop=False)
    source.open()
    frames = [source.read() for _ in range(3)]
    assert [None if f is None else round(float(f.mean())) for f in frames] == [10, None, 30]
    assert "b.png: 8000x8000 pixels (64 MP), over the 50 MP limit" in caplog.text


@unix_only
def test_a_folder_lists_its_regular_image_files_only(tmp_path: Path) -> None:
    from scanner_app.core.vision.file_sources import files_in

    for name in ["b.png", "a.JPG", ".hidden.png", "._a.JPG", "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "loop.png").symlink_to("loop.png")
    (tmp_path / "sub.png").mkdir()
    assert files_in(tmp_path, image_limits.IMAGE_SUFFIXES) == [
        tmp_path / "a.JPG",
        tmp_path / "b.png",
    ]


MAGICS = [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00+"]
MAGICS += [b"RIFF\x00\x00\x00\x00WEBPVP8X", b"GIF89a", b"P7\n", b"P5 ", b"\x00\x00\x00\x18ftypheic"]


@given(magic=st.sampled_from(MAGICS), rest=st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_a_damaged_header_is_a_sentence_never_an_exception(magic: bytes, rest: bytes) -> None:
    try:
        header = image_limits.check_image_bytes(magic + rest, "odd.png")
    except InputRefused as refused:
        assert refused.name == "odd.png" and refused.reason
    else:
        assert 0 < header.pixels <= image_limits.MAX_PIXELS
