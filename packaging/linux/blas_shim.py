"""Build the BLAS shim that lets cv2 use numpy's OpenBLAS instead of its own (Linux bundle).

The opencv-python-headless wheel ships a 39 MB OpenBLAS (plus libgfortran/libquadmath) of which
cv2 calls 19 functions; numpy ships another OpenBLAS (ILP64, symbols renamed ``scipy_*64_``).
``blas_shim.c`` defines those 19 functions with OpenCV's 32-bit-integer interface and forwards
them to numpy's library. It is built under the file name and SONAME of OpenCV's OpenBLAS, so
cv2's ``DT_NEEDED`` entry loads the shim, and the bundle can drop OpenCV's copy.

Fail-safe by design: :func:`build_blas_shim` returns ``None`` (and prints why) when there is no C
compiler, when cv2 needs a BLAS/LAPACK symbol the shim does not define (an OpenCV upgrade that
calls more functions), or when numpy's library lacks a forwarding target. The caller then keeps
OpenCV's own OpenBLAS. Only the standard library is used: this runs inside the PyInstaller spec.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: The C source, kept next to this module.
SHIM_SOURCE = Path(__file__).with_name("blas_shim.c")

#: Where the bundle layout puts numpy's libraries relative to the shim (both ``.libs``
#: folders sit side by side under ``_internal/``).
DEFAULT_RUNPATH = "$ORIGIN/../numpy.libs"


def _dynamic_symbols(path: Path, *, defined: bool) -> set[str]:
    """Names in ``path``'s dynamic symbol table, defined or undefined, version tags removed."""
    which = "--defined-only" if defined else "--undefined-only"
    done = subprocess.run(
        ["nm", "-D", which, str(path)], capture_output=True, text=True, check=True
    )
    names = set()
    for line in done.stdout.splitlines():
        fields = line.split()
        if fields:
            # "foo@GLIBC_2.2.5" and "foo@@VER": the version does not matter for matching.
            names.add(fields[-1].split("@", 1)[0])
    return names


def needed_blas_symbols(cv2_so: Path, blas_so: Path) -> set[str]:
    """The symbols ``cv2_so`` imports that ``blas_so`` provides: what a replacement must define.

    Uses ``nm -D`` (binutils, present wherever the C compiler is).
    """
    return _dynamic_symbols(cv2_so, defined=False) & _dynamic_symbols(blas_so, defined=True)


def find_c_compiler() -> str | None:
    """The system C compiler (``cc``, else ``gcc``), or None."""
    return shutil.which("cc") or shutil.which("gcc")


def _cv2_extension(cv2_openblas: Path) -> Path | None:
    """cv2's extension module in the wheel layout (``site-packages/cv2/cv2*.so``)."""
    cv2_dir = cv2_openblas.parent.parent / "cv2"
    candidates = sorted(cv2_dir.glob("cv2*.so"))
    return candidates[0] if candidates else None


def _compile(compiler: str, numpy_openblas: Path, out: Path, runpath: str, trace: bool) -> str:
    """Compile and link the shim to ``out``; returns the compiler's complaint, "" on success."""
    command = [
        compiler,
        "-O2",
        "-fPIC",
        "-shared",
        "-fvisibility=hidden",  # export only the 19 entry points
        *(["-DBLAS_SHIM_TRACE"] if trace else []),
        "-o",
        str(out),
        str(SHIM_SOURCE),
        f"-Wl,-soname,{out.name}",
        # Refuse to link if numpy's library lacks a target instead of failing at import time.
        "-Wl,--no-undefined",
        "-Wl,--as-needed",
        "-Wl,--enable-new-dtags",  # RUNPATH, not RPATH
        f"-Wl,-rpath,{runpath}",  # a list argument: no shell expands $ORIGIN
        f"-L{numpy_openblas.parent}",
        f"-l:{numpy_openblas.name}",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    return "" if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


def _missing_symbols(cv2_so: Path, cv2_openblas: Path, shim: Path) -> set[str]:
    return needed_blas_symbols(cv2_so, cv2_openblas) - _dynamic_symbols(shim, defined=True)


def build_blas_shim(
    cv2_openblas: Path,
    numpy_openblas: Path,
    out_dir: Path,
    runpath: str = DEFAULT_RUNPATH,
    *,
    cv2_so: Path | None = None,
    trace: bool = False,
) -> Path | None:
    """Build the shim as ``out_dir / cv2_openblas.name``; ``None`` (printing why) if unsafe.

    ``cv2_so`` is cv2's extension module; by default it is found next to ``cv2_openblas`` in the
    wheel layout (``site-packages/cv2/cv2*.so``). ``trace`` builds a variant that logs every
    forwarded call to stderr (for tests). Nothing is written to ``out_dir`` unless every check
    passes, so a refused build cannot leave a half-made stand-in behind for the bundle to pick up.
    """
    compiler = find_c_compiler()
    if compiler is None:
        print("blas_shim: no C compiler (cc/gcc) on PATH; keeping OpenCV's OpenBLAS")
        return None
    if shutil.which("nm") is None:
        print("blas_shim: no nm (binutils) on PATH; keeping OpenCV's OpenBLAS")
        return None
    cv2_so = cv2_so or _cv2_extension(cv2_openblas)
    if cv2_so is None:
        print(f"blas_shim: no cv2 extension next to {cv2_openblas}; keeping OpenCV's OpenBLAS")
        return None
    with tempfile.TemporaryDirectory(prefix="blas_shim_") as scratch:
        built = Path(scratch) / cv2_openblas.name
        error = _compile(compiler, numpy_openblas, built, runpath, trace)
        if error:
            print(f"blas_shim: build failed; keeping OpenCV's OpenBLAS:\n{error}")
            return None
        try:
            missing = _missing_symbols(cv2_so, cv2_openblas, built)
        except subprocess.CalledProcessError as failure:
            print(f"blas_shim: nm failed ({failure.stderr.strip()}); keeping OpenCV's OpenBLAS")
            return None
        if missing:
            print(
                f"blas_shim: {cv2_so.name} needs {', '.join(sorted(missing))} from "
                f"{cv2_openblas.name}, which the shim does not define; keeping OpenCV's OpenBLAS"
            )
            return None
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / cv2_openblas.name
        shutil.copy2(built, target)
    return target
