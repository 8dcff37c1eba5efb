"""`scanner-app bench`: frames, decoder time and reads from a source, or a clear refusal."""

from __future__ import annotations

import json
from typing import Any

from scanner_app.cli import main


def test_bench_on_the_synthetic_camera_reports_frames_and_reads(capsys: Any) -> None:
    assert main(["bench", "synthetic", "--seconds", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["frames"] > 10 and result["frame_size"] == "1280x720"
    assert result["decode_ms_median"] > 0
    assert result["confirmed"], "a label held in view is read within two seconds"


def test_bench_without_that_camera_says_so(capsys: Any) -> None:
    assert main(["bench", "/no/such/video.mp4", "--seconds", "1"]) == 2
    assert "scanner-app bench:" in capsys.readouterr().err
