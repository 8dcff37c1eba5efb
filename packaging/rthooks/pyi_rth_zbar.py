"""PyInstaller runtime hook: let pyzbar find the zbar library bundled beside the app.

pyzbar asks ``ctypes.util.find_library("zbar")``, which on Linux and macOS searches only the
system (ldconfig cache, dyld paths), never the bundle. When the spec bundled the build
machine's zbar, answer with that file; otherwise leave the lookup alone, so a zbar installed on
the user's system still works and a missing one is reported plainly by the app.
"""

import ctypes.util
import glob
import os
import sys


def _install() -> None:
    if sys.platform == "win32":  # the pyzbar wheel bundles its DLLs, found next to the module
        return
    base = getattr(sys, "_MEIPASS", "")
    found = sorted(
        glob.glob(os.path.join(base, "libzbar.so*"))
        + glob.glob(os.path.join(base, "libzbar*.dylib"))
    )
    if not found:
        return
    bundled = found[0]
    original = ctypes.util.find_library

    def find_library(name: str) -> "str | None":
        if name == "zbar":
            return bundled
        return original(name)

    ctypes.util.find_library = find_library


_install()
