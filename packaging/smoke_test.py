"""Smoke test of the frozen app: does the bundle an operator installs actually start and work?

``python packaging/smoke_test.py [BUNDLE]`` (BUNDLE: the folder PyInstaller made, the .app on
macOS, or the executable itself; default: the one in packaging/dist for this OS). It runs

1. ``scanner-app --version`` and ``--help`` (the bundle starts, the version is the package's);
2. ``scanner-app decode --json`` on the sample labels (zxing-cpp, OpenCV and numpy load from the
   bundle and read what the labels hold); ``doctor --json`` (OpenCV's maths give right answers);
   ``simulate --tls`` refuses in one clear line (the bundle leaves ``cryptography`` out);
3. ``scanner-app --demo --self-test`` offscreen: the real window on the simulated tenant, scan ->
   apply -> verify, and exits 0 only when every step passed.

Any stderr line that is not on the allow-list fails the test (qutebrowser's build_release.py
does the same): a missing Qt plugin, a library that did not load or a deprecation warning is
how a broken bundle first shows, long before an operator files a bug. It also measures the cold
start: process start -> the window shown, and -> the camera streaming (the self-test's steps).
Exits 0 when all passed; prints a one-line JSON summary last (``build.py`` and CI read it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LABELS = REPO / "resources" / "labels"
EXE = "scanner-app"
APP_BUNDLE = "Autopilot Bench Scanner.app"
SELF_TEST_TIMEOUT = 180.0

#: stderr lines that are not a problem. Each is a regular expression searched in the line.
ALLOWED_STDERR = [
    # The offscreen platform plugin (no window system) says what it cannot do; harmless there.
    r"qt: This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the "
    r"(keyboard|mouse)|setting window opacity|requestActivate\(\))",
    r"qt\.qpa\.(offscreen|plugin): .*offscreen",
    # The app's own informational log lines (the console gets INFO and up in CLI/self-test mode).
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO) ",
]


def find_executable(bundle: Path | None) -> Path:
    """The console executable inside ``bundle`` (on Windows the ``-cli`` twin: it has stdout)."""
    name = f"{EXE}-cli.exe" if sys.platform == "win32" else EXE
    if bundle is None:
        dist = HERE / "dist"
        bundle = dist / APP_BUNDLE if sys.platform == "darwin" else dist / EXE
    if bundle.is_file():
        return bundle
    for candidate in (bundle / name, bundle / "Contents" / "MacOS" / EXE):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"smoke test: no {name} in {bundle}; build it with packaging/build.py")


def unexpected(stderr: str, allowed: list[str] = ALLOWED_STDERR) -> list[str]:
    patterns = [re.compile(p) for p in allowed]
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in patterns)
    ]


def clean_env(home: Path) -> dict[str, str]:
    """A user who just installed the app: no settings, no site file, no window system."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCANNER_APP_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SCANNER_APP_HOME=str(home),
        SCANNER_APP_SITE_CONFIG=str(home / "no-site-config.toml"),
    )
    return env


class Check:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def run(
        self, exe: Path, args: list[str], env: dict[str, str], timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        print(f"$ {exe.name} {' '.join(args)}", flush=True)
        done = subprocess.run(
            [str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout
        )
        self.expect(
            done.returncode == 0,
            f"`{' '.join(args)}` exited {done.returncode}: "
            f"{(done.stderr or done.stdout).strip()[-800:]}",
        )
        self.stderr_clean(args, done.stderr)
        return done

    def expect(self, ok: bool, message: str) -> None:
        if not ok:
            self.failures.append(message)
            print(f"  FAIL {message}", flush=True)

    def stderr_clean(self, args: list[str], stderr: str) -> None:
        bad = unexpected(stderr)
        self.expect(
            not bad,
            f"`{' '.join(args)}` printed unexpected stderr:\n    " + "\n    ".join(bad[:20]),
        )


def check_cli(check: Check, exe: Path, env: dict[str, str]) -> None:
    version = re.search(
        r'^__version__ = "([^"]+)"', (REPO / "scanner_app" / "__init__.py").read_text(), re.M
    )
    done = check.run(exe, ["--version"], env)
    check.expect(
        bool(version) and version.group(1) in done.stdout,  # type: ignore[union-attr]
        f"--version says {done.stdout.strip()!r}",
    )
    done = check.run(exe, ["--help"], env)
    check.expect("usage: scanner-app" in done.stdout, "--help printed no usage")


def check_decode(check: Check, exe: Path, env: dict[str, str]) -> None:
    manifest = json.loads((LABELS / "labels.json").read_text())
    files = [str(LABELS / name) for name in manifest]
    done = check.run(exe, ["decode", "--json", *files], env)
    read: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        if line.strip().startswith("{"):
            item = json.loads(line)
            read[Path(item["file"]).name] = sorted(s["text"] for s in item.get("symbols", []))
    for name, wanted in manifest.items():
        check.expect(
            read.get(name) == wanted["texts"],
            f"decode {name}: read {read.get(name)}, expected {wanted['texts']}",
        )


def check_doctor(check: Check, exe: Path, env: dict[str, str]) -> None:
    """``doctor --json``: zxing-cpp and OpenCV load, and OpenCV's maths give right answers
    (on Linux they run through the BLAS shim onto numpy's OpenBLAS: packaging/linux/)."""
    done = check.run(exe, ["doctor", "--json"], env)
    try:
        checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    except (ValueError, KeyError) as exc:
        check.expect(False, f"doctor --json printed no report ({exc}): {done.stdout[-400:]}")
        return
    for name in ("zxing-cpp", "OpenCV"):
        status = checks.get(name, {}).get("status")
        check.expect(status == "ok", f"doctor: {name} is {status}: {checks.get(name)}")


def check_without_tls(check: Check, exe: Path, env: dict[str, str]) -> None:
    """The bundle leaves ``cryptography`` out: HTTPS simulation must refuse in one clear line."""
    args = ["simulate", "--tls", "--duration", "0.1", "--devices", "3", "--users", "3"]
    print(f"$ {exe.name} {' '.join(args)}", flush=True)
    done = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=60)
    check.expect(
        done.returncode == 2 and "needs the Python package 'cryptography'" in done.stderr
        and "Traceback" not in done.stderr,
        f"`{' '.join(args)}` exited {done.returncode}: {done.stderr.strip()[-800:]}",
    )  # fmt: skip


def check_self_test(check: Check, exe: Path, env: dict[str, str]) -> dict[str, float]:
    """Run the self-test, time-stamping each stdout line as it arrives."""
    args = ["--demo", "--self-test"]
    print(f"$ {exe.name} {' '.join(args)}", flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [str(exe), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stamped: list[tuple[float, str]] = []
    errors: list[str] = []

    def pump_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stamped.append((time.monotonic() - t0, line.rstrip("\n")))
            print(f"  {stamped[-1][0]:6.2f}s {line.rstrip()}", flush=True)

    def pump_stderr() -> None:
        assert proc.stderr is not None
        errors.extend(proc.stderr)

    readers = [threading.Thread(target=pump_stdout), threading.Thread(target=pump_stderr)]
    for reader in readers:
        reader.start()
    try:
        code = proc.wait(timeout=SELF_TEST_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
        check.expect(False, f"self-test still running after {SELF_TEST_TIMEOUT:.0f} s")
    for reader in readers:
        reader.join()
    total = time.monotonic() - t0
    check.expect(code == 0, f"self-test exited {code}: {''.join(errors).strip()[-1500:]}")
    check.stderr_clean(args, "".join(errors))
    figures = {"self_test_s": round(total, 2)}
    for key, pattern in (
        ("window_shown_s", r"\] window shown"),
        ("camera_streaming_s", r"\] camera streaming"),
    ):
        hit = next((t for t, line in stamped if re.search(pattern, line)), None)
        if hit is not None:
            figures[key] = round(hit, 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", type=Path, help="bundle folder, .app or executable")
    args = parser.parse_args(argv)
    exe = find_executable(args.bundle)
    check = Check()
    with tempfile.TemporaryDirectory(prefix="scanner-app-smoke-") as tmp:
        env = clean_env(Path(tmp))
        figures = check_self_test(check, exe, env)  # first, so its start is the coldest
        check_cli(check, exe, env)
        check_decode(check, exe, env)
        check_doctor(check, exe, env)
        check_without_tls(check, exe, env)
    verdict = "passed" if not check.failures else f"FAILED ({len(check.failures)} problem(s))"
    print(f"smoke test {verdict}: {exe}")
    for key, value in figures.items():
        print(f"  {key:<20} {value:6.2f} s")
    print(json.dumps({"passed": not check.failures, "executable": str(exe), **figures}))
    return 0 if not check.failures else 1


if __name__ == "__main__":
    sys.exit(main())
