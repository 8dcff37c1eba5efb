"""The BLAS shim (packaging/linux/blas_shim.py) gives cv2 the same answers as OpenCV's OpenBLAS.

The shim is built from the venv's real cv2 and numpy libraries, then this file runs itself as a
probe script in fresh interpreters: once with the shim forced in through ``LD_PRELOAD`` (same
SONAME as OpenCV's OpenBLAS, so cv2 binds to it), once with a tracing build of the shim (to
prove each case really reaches LAPACK/CBLAS rather than OpenCV's own small-matrix code: the
thresholds in OpenCV's hal_internal.cpp are 100 rows for LU, Cholesky and GEMM, 30 for QR and
25 for SVD), and once as installed. Each case compares cv2's answer with numpy's, and the tests
also compare the shim run with the as-installed run, including "not solvable" verdicts.

Not reached through LAPACK in this OpenCV build, but checked because the app relies on them:
``eigenNonSymmetric`` (OpenCV's own code), ``getPerspectiveTransform`` (an 8x8 system) and
``warpPerspective``. ``?geqrf_`` has no Python entry point, so it is called through ctypes.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging" / "linux"))

import blas_shim  # noqa: E402  (packaging/linux is not a package)

SITE = Path(cv2.__file__).resolve().parents[1]
CV2_SO = next(iter(sorted((SITE / "cv2").glob("cv2*.so"))), None)
CV2_OPENBLAS = next(iter(sorted((SITE / "opencv_python_headless.libs").glob("libopenblas*"))), None)
NUMPY_OPENBLAS = next(iter(sorted((SITE / "numpy.libs").glob("libscipy_openblas64_*"))), None)

#: The element types the cases run in.
Real = type[np.floating[Any]]

#: Relative (Frobenius-norm) error allowed against numpy / the as-installed run.
TOL: dict[Real, float] = {np.float32: 2e-5, np.float64: 1e-12}


@dataclass(frozen=True)
class Check:
    """One output of a case: cv2's answer, the expected one, and the relative tolerance."""

    label: str
    got: np.ndarray
    want: np.ndarray
    tol: float  # 0: must be equal (flags, verdicts)


@dataclass(frozen=True)
class Case:
    run: Callable[[np.random.Generator], list[Check]]
    reaches: frozenset[str]  # shim entry points the case must call (empty: none expected)


# ---- the cases (run in the probe subprocess) -------------------------------------------------


def _flag(label: str, got: object, want: object) -> Check:
    return Check(label, np.array([got]), np.array([want]), 0.0)


def _conditioned(rng: np.random.Generator, n: int, dt: Real) -> np.ndarray:
    """A well-conditioned n x n matrix (eigenvalues within 1 of 4), so float32 stays accurate."""
    return (4 * np.eye(n) + rng.standard_normal((n, n)) / np.sqrt(n)).astype(dt)


def _spd(rng: np.random.Generator, n: int, dt: Real) -> np.ndarray:
    m = rng.standard_normal((n, n))
    return (m @ m.T / n + np.eye(n)).astype(dt)


def _matrix(rng: np.random.Generator, shape: tuple[int, int], dt: Real, spd: bool) -> np.ndarray:
    """A square well-conditioned (or symmetric positive definite) matrix, else a random one."""
    m, n = shape
    if m == n:
        return _spd(rng, n, dt) if spd else _conditioned(rng, n, dt)
    return rng.standard_normal(shape).astype(dt)


def _solve_case(flags: int, shape: tuple[int, int], rhs: int, spd: bool = False) -> Callable:
    def make(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
        def run(rng: np.random.Generator) -> list[Check]:
            a = _matrix(rng, shape, dt, spd)
            b = rng.standard_normal((shape[0], rhs)).astype(dt)
            ok, x = cv2.solve(a, b, flags=flags)
            want = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=None)[0]
            return [_flag("solvable", ok, True), Check("x", x, want, TOL[dt])]

        return run

    return make


def _svd_checks(a: np.ndarray, dt: Real, flags: int = 0) -> list[Check]:
    w, u, vt = cv2.SVDecomp(a, flags=flags)
    want_w = np.linalg.svd(a.astype(np.float64), compute_uv=False)
    checks = [Check("w", w.ravel(), want_w, TOL[dt])]
    if not flags & cv2.SVD_NO_UV:
        k = len(want_w)
        rebuilt = u[:, :k] @ np.diag(w.ravel()) @ vt[:k]
        checks.append(Check("u*w*vt", rebuilt, a, TOL[dt]))
        checks.append(Check("u'u", u.T @ u, np.eye(u.shape[1]), TOL[dt]))
    return checks


def _svd_case(shape: tuple[int, int], flags: int = 0) -> Callable:
    def make(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
        return lambda rng: _svd_checks(rng.standard_normal(shape).astype(dt), dt, flags)

    return make


def _invert_case(flags: int, shape: tuple[int, int], spd: bool = False) -> Callable:
    def make(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
        def run(rng: np.random.Generator) -> list[Check]:
            a = _matrix(rng, shape, dt, spd)
            ret, inv = cv2.invert(a, flags=flags)
            want = np.linalg.pinv(a.astype(np.float64))
            return [_flag("invertible", ret != 0, True), Check("inverse", inv, want, TOL[dt])]

        return run

    return make


def _determinant(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
    def run(rng: np.random.Generator) -> list[Check]:
        # Near the identity with rows swapped: the sign comes from LAPACK's pivot array, so an
        # odd and an even permutation catch pivots lost in the int64 -> int copy.
        near_identity = np.eye(200) + 0.1 * rng.standard_normal((200, 200)) / np.sqrt(200)
        checks = []
        for label, order in (("odd", [1, 0, 5, 9, 7]), ("even", [1, 0, 9, 5, 7])):
            a = near_identity.copy()
            a[[0, 1, 5, 9, 7]] = a[order]
            a = a.astype(dt)
            want = np.array([np.linalg.det(a.astype(np.float64))])
            checks.append(Check(f"det {label}", np.array([cv2.determinant(a)]), want, TOL[dt]))
        return checks

    return run


def _gemm(dt: Real, flags: int, with_c: bool, roi: bool = False) -> Callable:
    def run(rng: np.random.Generator) -> list[Check]:
        big = rng.standard_normal((300, 420)).astype(dt)
        # A view with a row stride of 420 elements exercises lda != columns.
        a = big[:, 60:360] if roi else big[:, :300].copy()
        b = rng.standard_normal((300, 300)).astype(dt)
        c = rng.standard_normal((300, 300)).astype(dt)
        src3 = c if with_c else None  # None: no C term (the stubs do not say None is allowed)
        got = cv2.gemm(a, b, 1.5, src3, 0.25 if with_c else 0.0, flags=flags)  # type: ignore[arg-type]
        a64, b64, c64 = (x.astype(np.float64) for x in (a, b, c))
        a64 = a64.T if flags & cv2.GEMM_1_T else a64
        b64 = b64.T if flags & cv2.GEMM_2_T else b64
        c64 = c64.T if flags & cv2.GEMM_3_T else c64
        want = 1.5 * a64 @ b64 + (0.25 * c64 if with_c else 0)
        return [Check("d", got, want, TOL[dt])]

    return run


def _complex_gemm(dt: Real, flags: int) -> Callable[[np.random.Generator], list[Check]]:
    def run(rng: np.random.Generator) -> list[Check]:
        # Two-channel matrices are complex to cv2.gemm (cblas_cgemm / cblas_zgemm).
        a, b, c = (rng.standard_normal((300, 300, 2)).astype(dt) for _ in range(3))
        got = cv2.gemm(a, b, 2.0, c, 0.5, flags=flags)

        def cx(m: np.ndarray) -> np.ndarray:
            return m[..., 0].astype(np.float64) + 1j * m[..., 1]

        ca, cb = cx(a), cx(b)
        cb = cb.T if flags & cv2.GEMM_2_T else cb
        want = 2.0 * ca @ cb + 0.5 * cx(c)
        return [Check("d", cx(got), want, TOL[dt])]

    return run


def _eigen_nonsymmetric(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
    def run(rng: np.random.Generator) -> list[Check]:
        p = np.eye(40) + 0.2 * rng.standard_normal((40, 40)) / np.sqrt(40)
        want = np.arange(1.0, 41.0)
        a = (p @ np.diag(want) @ np.linalg.inv(p)).astype(dt)
        values, _ = cv2.eigenNonSymmetric(a)
        return [Check("eigenvalues", np.sort(values.ravel()), want, 10 * TOL[dt])]

    return run


def _singular(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
    def run(rng: np.random.Generator) -> list[Check]:
        a = _conditioned(rng, 200, dt)
        a[:, 50] = 0  # an exactly zero column: LU meets an exactly zero pivot
        b = rng.standard_normal((200, 1)).astype(dt)
        not_spd = _conditioned(rng, 200, dt)
        not_spd = not_spd + not_spd.T
        not_spd[7, 7] = -100  # a negative diagonal entry: Cholesky must fail
        ret_inv, _ = cv2.invert(a, flags=cv2.DECOMP_LU)
        ret_chol, _ = cv2.invert(not_spd, flags=cv2.DECOMP_CHOLESKY)
        return [
            _flag("solve LU", cv2.solve(a, b, flags=cv2.DECOMP_LU)[0], False),
            _flag("solve Cholesky", cv2.solve(not_spd, b, flags=cv2.DECOMP_CHOLESKY)[0], False),
            _flag("invert LU", ret_inv, 0.0),
            _flag("invert Cholesky", ret_chol, 0.0),
            _flag("determinant", cv2.determinant(a), 0.0),
        ]

    return run


def _pnp_usac(rng: np.random.Generator) -> list[Check]:
    # USAC's DLS PnP solver is what calls dgeev_ (a 27x27 eigenproblem).
    points = rng.uniform(-1, 1, (100, 3)) + [0, 0, 5]
    k = np.array([[500.0, 0, 320], [0, 500, 240], [0, 0, 1]])
    rvec, tvec = np.array([0.05, -0.1, 0.02]), np.array([0.3, -0.1, 0.2])
    image, _ = cv2.projectPoints(points, rvec, tvec, k, None)
    ok, got_r, got_t, _ = cv2.solvePnPRansac(points, image, k, None, flags=cv2.USAC_DEFAULT)
    return [
        _flag("found", ok, True),
        Check("rvec", got_r.ravel(), rvec, 1e-4),
        Check("tvec", got_t.ravel(), tvec, 1e-4),
    ]


def _perspective(rng: np.random.Generator) -> list[Check]:
    src = np.array([[0, 0], [199, 0], [199, 149], [0, 149]], np.float32)
    dst = np.array([[10, 5], [190, 20], [180, 140], [5, 130]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    rows = []
    for (x, y), (u, v) in zip(src.astype(np.float64), dst.astype(np.float64), strict=True):
        rows.append(([x, y, 1, 0, 0, 0, -u * x, -u * y], u))
        rows.append(([0, 0, 0, x, y, 1, -v * x, -v * y], v))
    coeffs = np.linalg.solve(np.array([r for r, _ in rows]), np.array([t for _, t in rows]))
    want_m = np.append(coeffs, 1.0).reshape(3, 3)
    image = rng.integers(0, 256, (150, 200), dtype=np.uint8)
    warped = cv2.warpPerspective(image, m, (200, 150))
    want_warp = cv2.warpPerspective(image, want_m, (200, 150))
    return [Check("M", m, want_m, 1e-9), Check("warped", warped, want_warp, 1e-3)]


def _geqrf(dt: Real) -> Callable[[np.random.Generator], list[Check]]:
    def run(rng: np.random.Generator) -> list[Check]:
        # No Python entry point reaches ?geqrf_, so call cv2's BLAS library directly (the shim,
        # or OpenCV's OpenBLAS in the as-installed run), with OpenCV's 32-bit integers.
        lib = ctypes.CDLL(str(_cv2_blas_library()))
        func = lib.sgeqrf_ if dt is np.float32 else lib.dgeqrf_
        a = np.asfortranarray(rng.standard_normal((120, 50)).astype(dt))
        want: np.ndarray = np.linalg.qr(a.astype(np.float64), mode="r")  # type: ignore[assignment]
        m, n, lda, lwork, info = (ctypes.c_int(v) for v in (120, 50, 120, -1, 99))
        tau = np.zeros(50, dt)
        func.restype = None

        def call(work: np.ndarray) -> int:
            data = [x.ctypes.data_as(ctypes.c_void_p) for x in (a, tau, work)]
            ints = [ctypes.byref(v) for v in (m, n, lda, lwork, info)]
            func(ints[0], ints[1], data[0], ints[2], data[1], data[2], ints[3], ints[4])
            return info.value

        query = np.zeros(1, dt)
        query_info = call(query)  # lwork = -1: the optimal size comes back in query[0]
        lwork.value = int(query[0])
        final_info = call(np.zeros(max(lwork.value, 1), dt))
        return [
            _flag("query info", query_info, 0),
            _flag("optimal lwork >= n", lwork.value >= 50, True),
            _flag("info", final_info, 0),
            Check("R", np.triu(a[:50]), want, TOL[dt]),
        ]

    return run


def _cv2_blas_library() -> Path:
    """The file cv2's BLAS dependency resolved to in this process (the shim when preloaded)."""
    assert CV2_OPENBLAS is not None
    for path in _mapped_files():
        if path.name == CV2_OPENBLAS.name:
            return path
    raise AssertionError("cv2's BLAS library is not mapped")


def _mapped_files() -> list[Path]:
    lines = Path("/proc/self/maps").read_text().splitlines()
    return sorted({Path(line.split()[-1]) for line in lines if "/" in line.split()[-1]})


def _per_dtype(name: str, make: Callable, calls: Callable[[str], set[str]]) -> dict[str, Case]:
    return {
        f"{name}[{dt.__name__}]": Case(make(dt), frozenset(calls("s" if dt is np.float32 else "d")))
        for dt in (np.float32, np.float64)
    }


def _cases() -> dict[str, Case]:
    lu, normal, chol = cv2.DECOMP_LU, cv2.DECOMP_NORMAL, cv2.DECOMP_CHOLESKY
    qr, svd = cv2.DECOMP_QR, cv2.DECOMP_SVD
    table: list[tuple[str, Callable, Callable[[str], set[str]]]] = [
        ("solve LU 200x200 3 rhs", _solve_case(lu, (200, 200), 3), lambda p: {p + "gesv_"}),
        ("solve LU 200x200 1 rhs", _solve_case(lu, (200, 200), 1), lambda p: {p + "gesv_"}),
        ("solve Cholesky 200x200", _solve_case(chol, (200, 200), 2, spd=True),
         lambda p: {p + "posv_"}),
        ("solve QR 40x40", _solve_case(qr, (40, 40), 1), lambda p: {p + "gels_"}),
        ("solve QR 200x30", _solve_case(qr, (200, 30), 1), lambda p: {p + "gels_"}),
        ("solve QR 200x30 2 rhs", _solve_case(qr, (200, 30), 2), lambda p: {p + "gels_"}),
        ("solve SVD 40x40", _solve_case(svd, (40, 40), 1), lambda p: {p + "gesdd_"}),
        ("solve SVD 200x30", _solve_case(svd, (200, 30), 1), lambda p: {p + "gesdd_"}),
        ("solve NORMAL+LU 400x150", _solve_case(normal | lu, (400, 150), 1),
         lambda p: {p + "gesv_", f"cblas_{p}gemm"}),
        ("SVDecomp 200x30", _svd_case((200, 30)), lambda p: {p + "gesdd_"}),
        ("SVDecomp 30x200", _svd_case((30, 200)), lambda p: {p + "gesdd_"}),
        ("SVDecomp 40x40 no UV", _svd_case((40, 40), cv2.SVD_NO_UV), lambda p: {p + "gesdd_"}),
        ("SVDecomp 200x30 full UV", _svd_case((200, 30), cv2.SVD_FULL_UV),
         lambda p: {p + "gesdd_"}),
        ("invert LU 200x200", _invert_case(lu, (200, 200)), lambda p: {p + "gesv_"}),
        ("invert Cholesky 200x200", _invert_case(chol, (200, 200), spd=True),
         lambda p: {p + "posv_"}),
        ("invert SVD 200x30", _invert_case(svd, (200, 30)), lambda p: {p + "gesdd_"}),
        ("determinant 200x200", _determinant, lambda p: {p + "getrf_"}),
        ("gemm 300x300", lambda dt: _gemm(dt, 0, False), lambda p: {f"cblas_{p}gemm"}),
        ("gemm 300x300 A'B+C'", lambda dt: _gemm(dt, cv2.GEMM_1_T | cv2.GEMM_3_T, True),
         lambda p: {f"cblas_{p}gemm"}),
        ("gemm 300x300 view", lambda dt: _gemm(dt, 0, True, roi=True),
         lambda p: {f"cblas_{p}gemm"}),
        ("gemm complex 300x300", lambda dt: _complex_gemm(dt, 0),
         lambda p: {"cblas_cgemm" if p == "s" else "cblas_zgemm"}),
        ("gemm complex 300x300 AB'", lambda dt: _complex_gemm(dt, cv2.GEMM_2_T),
         lambda p: {"cblas_cgemm" if p == "s" else "cblas_zgemm"}),
        ("eigenNonSymmetric 40x40", _eigen_nonsymmetric, lambda p: set()),
        ("singular", _singular, lambda p: {p + "gesv_", p + "posv_", p + "getrf_"}),
        ("geqrf via ctypes", _geqrf, lambda p: {p + "geqrf_"}),
    ]  # fmt: skip
    cases: dict[str, Case] = {}
    for name, make, calls in table:
        cases.update(_per_dtype(name, make, calls))
    cases["solvePnPRansac USAC"] = Case(_pnp_usac, frozenset({"dgeev_"}))
    cases["getPerspectiveTransform+warpPerspective"] = Case(_perspective, frozenset())
    return cases


CASES = _cases()


def _probe_main(out_dir: Path) -> None:
    """Runs every case, saving cv2's and numpy's answers plus the mapped libraries."""
    arrays: dict[str, np.ndarray] = {}
    for name, case in CASES.items():
        print(f"case: {name}", file=sys.stderr, flush=True)  # brackets the shim's trace
        for check in case.run(np.random.default_rng(zlib.crc32(name.encode()))):
            key = f"{name}|{check.label}"
            arrays[f"{key}|got"], arrays[f"{key}|want"] = check.got, check.want
            arrays[f"{key}|tol"] = np.array(check.tol)
    np.savez(out_dir / "results.npz", **arrays)  # type: ignore[arg-type]
    maps = [str(path) for path in _mapped_files()]
    (out_dir / "maps.json").write_text(json.dumps(maps))


# ---- the probe runs --------------------------------------------------------------------------

# CI installs a C compiler (.ci/run), so there a missing one fails these tests instead of hiding
# them; on a developer's machine without one they are skipped with the reason.
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or None in (CV2_SO, CV2_OPENBLAS, NUMPY_OPENBLAS)
    or (blas_shim.find_c_compiler() is None and not os.environ.get("CI")),
    reason="needs Linux wheels of opencv-python-headless and numpy, and a C compiler (gcc)",
)


@dataclass(frozen=True)
class ProbeRun:
    results: dict[str, np.ndarray]
    maps: list[str]
    calls: dict[str, set[str]]  # case -> shim entry points called (tracing build only)


def _run_probe(out_dir: Path, preload: Path | None) -> ProbeRun:
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, __file__, str(out_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=50,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    with np.load(out_dir / "results.npz") as data:
        results = {key: data[key] for key in data.files}
    calls: dict[str, set[str]] = {}
    current = ""
    for line in done.stderr.splitlines():
        if line.startswith("case: "):
            current = line.removeprefix("case: ")
            calls[current] = set()
        elif line.startswith("blas_shim: ") and current:
            calls[current].add(line.removeprefix("blas_shim: "))
    return ProbeRun(results, json.loads((out_dir / "maps.json").read_text()), calls)


def _build(out_dir: Path, trace: bool = False) -> Path:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    shim = blas_shim.build_blas_shim(
        CV2_OPENBLAS, NUMPY_OPENBLAS, out_dir, runpath=str(NUMPY_OPENBLAS.parent), trace=trace
    )
    assert shim is not None
    return shim


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("shim"))


@pytest.fixture(scope="module")
def with_shim(shim: Path, tmp_path_factory: pytest.TempPathFactory) -> ProbeRun:
    return _run_probe(tmp_path_factory.mktemp("with_shim"), shim)


@pytest.fixture(scope="module")
def as_installed(tmp_path_factory: pytest.TempPathFactory) -> ProbeRun:
    return _run_probe(tmp_path_factory.mktemp("as_installed"), None)


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> ProbeRun:
    trace_shim = _build(tmp_path_factory.mktemp("trace_shim"), trace=True)
    return _run_probe(tmp_path_factory.mktemp("traced"), trace_shim)


def _checks(run: ProbeRun, case: str) -> Iterator[tuple[str, np.ndarray, np.ndarray, float]]:
    prefix = f"{case}|"
    labels = sorted({key.split("|")[1] for key in run.results if key.startswith(prefix)})
    assert labels, f"the probe produced nothing for {case}"
    for label in labels:
        key = prefix + label
        yield (
            label,
            run.results[f"{key}|got"],
            run.results[f"{key}|want"],
            float(run.results[f"{key}|tol"]),
        )


def _mismatch(got: np.ndarray, want: np.ndarray, tol: float) -> str:
    """ "" when ``got`` matches ``want`` (exactly for tol 0, else in relative norm)."""
    if tol == 0:
        return "" if np.array_equal(got, want) else f"{got!r} != {want!r}"
    if got.shape != want.shape:
        return f"shape {got.shape} != {want.shape}"
    error = np.linalg.norm(got.astype(np.complex128) - want) / max(np.linalg.norm(want), 1e-300)
    return "" if error <= tol else f"relative error {error:.3g} > {tol:.3g}"


# ---- tests -----------------------------------------------------------------------------------


def test_shim_is_named_like_opencvs_openblas_and_loads_numpys(shim: Path) -> None:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    dynamic = subprocess.run(["readelf", "-d", str(shim)], capture_output=True, text=True).stdout
    assert shim.name == CV2_OPENBLAS.name
    assert f"Library soname: [{CV2_OPENBLAS.name}]" in dynamic
    assert f"Shared library: [{NUMPY_OPENBLAS.name}]" in dynamic
    assert f"Library runpath: [{NUMPY_OPENBLAS.parent}]" in dynamic
    assert shim.stat().st_size < 100_000  # vs ~39 MB for OpenCV's OpenBLAS


def test_default_runpath_is_relative_to_the_shim(tmp_path: Path) -> None:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    shim = blas_shim.build_blas_shim(CV2_OPENBLAS, NUMPY_OPENBLAS, tmp_path)
    assert shim is not None
    dynamic = subprocess.run(["readelf", "-d", str(shim)], capture_output=True, text=True).stdout
    assert "Library runpath: [$ORIGIN/../numpy.libs]" in dynamic


def test_shim_defines_every_blas_symbol_cv2_needs(shim: Path) -> None:
    assert CV2_SO is not None and CV2_OPENBLAS is not None
    needed = blas_shim.needed_blas_symbols(CV2_SO, CV2_OPENBLAS)
    exported = subprocess.run(
        ["nm", "-D", "--defined-only", str(shim)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "cblas_sgemm" in needed and "dgesdd_" in needed  # the check sees real imports
    assert needed <= set(exported)


def test_refuses_when_cv2_needs_a_symbol_the_shim_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    source = tmp_path / "fake_cv2.c"
    # dsyev_ is in OpenCV's OpenBLAS but not in the shim: a future cv2 that calls it.
    source.write_text(
        "void dsyev_(void);\nvoid cblas_sgemm(void);\nvoid use(void) { dsyev_(); cblas_sgemm(); }\n"
    )
    fake_cv2 = tmp_path / "cv2.abi3.so"
    compiler = blas_shim.find_c_compiler()
    assert compiler is not None
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(fake_cv2), str(source)], check=True, timeout=60
    )
    out_dir = tmp_path / "out"
    shim = blas_shim.build_blas_shim(CV2_OPENBLAS, NUMPY_OPENBLAS, out_dir, cv2_so=fake_cv2)
    assert shim is None
    assert "dsyev_" in capsys.readouterr().out
    assert not out_dir.exists() or not any(out_dir.iterdir())  # nothing half-made left behind


def test_without_a_compiler_the_build_keeps_opencvs_openblas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no cc, no gcc
    assert blas_shim.build_blas_shim(CV2_OPENBLAS, NUMPY_OPENBLAS, tmp_path / "out") is None
    assert "no C compiler" in capsys.readouterr().out


def test_cv2_loads_the_shim_instead_of_opencvs_openblas(with_shim: ProbeRun, shim: Path) -> None:
    assert CV2_OPENBLAS is not None and NUMPY_OPENBLAS is not None
    assert str(shim) in with_shim.maps
    assert str(CV2_OPENBLAS) not in with_shim.maps
    assert str(NUMPY_OPENBLAS) in with_shim.maps


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_reaches_the_expected_blas_functions(traced: ProbeRun, case: str) -> None:
    assert traced.calls[case] >= CASES[case].reaches, traced.calls[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_cv2_through_the_shim_agrees_with_numpy(with_shim: ProbeRun, case: str) -> None:
    failures = [
        f"{label}: {problem}"
        for label, got, want, tol in _checks(with_shim, case)
        if (problem := _mismatch(got, want, tol))
    ]
    assert not failures, failures


@pytest.mark.parametrize("case", sorted(CASES))
def test_cv2_through_the_shim_agrees_with_opencvs_openblas(
    with_shim: ProbeRun, as_installed: ProbeRun, case: str
) -> None:
    baseline = {label: got for label, got, _, _ in _checks(as_installed, case)}
    failures = [
        f"{label}: {problem}"
        for label, got, _, tol in _checks(with_shim, case)
        if (problem := _mismatch(got, baseline[label], tol))
    ]
    assert not failures, failures


if __name__ == "__main__":
    _probe_main(Path(sys.argv[1]))
