"""The standalone bundle leaves ``cryptography`` out (14 MB only HTTPS simulation needs).

In a fresh interpreter where it cannot be imported, the demo tenant still answers look-ups, and
``simulate --tls`` says plainly why it cannot serve HTTPS instead of a traceback.
"""

from __future__ import annotations

import subprocess
import sys

from scanner_app.core.tenant_sim.seed import demo_labels

#: Runs the CLI with ``cryptography`` unimportable (``None`` in sys.modules blocks the import).
RUN = (
    "import sys; sys.modules['cryptography'] = None; "
    "from scanner_app.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120
    )


def test_demo_lookup_needs_no_cryptography() -> None:
    serial = str(demo_labels()[0]["serial"])
    done = _cli("lookup", "--demo", serial)
    assert done.returncode == 0, done.stderr
    assert serial.upper() in done.stdout.upper()


def test_simulate_tls_without_cryptography_is_a_clear_refusal() -> None:
    done = _cli("simulate", "--tls", "--duration", "0.1", "--devices", "5", "--users", "5")
    assert done.returncode == 2
    assert "needs the Python package 'cryptography'" in done.stderr
    assert "Traceback" not in done.stderr
