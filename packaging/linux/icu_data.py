"""Trim ICU's data library (``libicudata.so.NN``) for the frozen Linux bundle.

Why: PySide6's Linux wheel ships ICU with *all* of its data — 32 MB of converter tables,
break-iterator dictionaries and display names for ~800 locales. Qt 6 calls only a handful of
ICU services (case mapping, collation for ``QCollator``/file-dialog sorting, time-zone names,
``ucnv_*`` for encodings Qt does not implement itself), and the app ships only English and
German. This tool writes a drop-in replacement library with the same SONAME and the same
exported data symbol (``icudtNN_dat``) holding only what those services need for the app's
languages; the bundle shrinks by ~28 MB.

How: the library is one ELF object whose exported symbol is an ICU "common data" package
(header with magic 0xda27 and data format ``CmnD``, then a table of contents of
``(nameOffset, dataOffset)`` pairs, then 16-byte aligned items). We read that package with
``struct``, keep the items :data:`KEEP_RULES` allows, write a new package (same header, new
name-sorted TOC, since ICU binary-searches it) and link it back into a shared library with the
C compiler (``.incbin`` in a generated assembler file).

What a user notices with the trimmed data: collation, case mapping and time-zone names work as
before for English and German (and root, which every other locale falls back to); encodings
that need an ICU table (Shift-JIS, GBK, EBCDIC...) become unavailable — Qt then reports the
decoder as invalid, as it does for any unknown encoding. UTF-8/16/32, Latin-1 and US-ASCII are
implemented in code, not data, and keep working.

Usage: ``python packaging/linux/icu_data.py SRC [DST] [--languages en,de]`` prints the report;
without DST it trims into a temporary directory (a dry run for the figures).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: ICU's item alignment inside a common-data package (``pkgdata`` pads every item to this).
ALIGNMENT = 16
#: ``MappedData`` magic bytes that open every ICU data header.
MAGIC = b"\xda\x27"
#: Data format of a common-data package with an offset TOC (the only kind we rewrite).
COMMON_DATA_FORMAT = b"CmnD"

#: A locale bundle's file stem: ``root`` or a 2-3 letter language with optional subtags
#: (``de``, ``de_AT``, ``en_US_POSIX``, ``zh_Hant_TW``). Anything else at the top level
#: (``supplementalData``, ``zoneinfo64``, ``likelySubtags``...) is ICU's own infrastructure.
LOCALE_STEM = re.compile(r"^(root|[a-z]{2,3})(_[A-Za-z0-9]*)*$")


@dataclass(frozen=True)
class FolderRule:
    """What to keep inside one folder of the package (items of unlisted folders are dropped)."""

    #: Exact file names kept whatever the languages (indexes, pools, shared tables).
    names: frozenset[str] = frozenset()
    #: File extensions kept whatever the name (the top level's code-point property tables).
    extensions: frozenset[str] = frozenset()
    #: Keep every ``.res`` whose stem is not a locale ID (top-level supplemental data).
    non_locale_res: bool = False
    #: Keep ``root`` and the wanted languages with all their regional variants.
    locales: bool = False


#: The keep-rule: folder -> what survives. Folders not named here (cnv tables live at the top
#: level as ``*.cnv`` and are dropped by omission; ``brkitr``, ``unit``, ``curr``, ``lang``,
#: ``region``, ``translit``, ``rbnf``) are dropped whole: Qt never calls the ICU services that
#: read them (break iteration, unit/currency/number formatting, display names of languages and
#: regions, transliteration).
KEEP_RULES: dict[str, FolderRule] = {
    # Top level: the resource index and key pool every locale bundle needs, the supplemental
    # data (likely subtags, zone rules/metazones, plurals, ICU version...), the aliases that
    # name the algorithmic converters (cnvalias.icu), normalization (.nrm), StringPrep (.spp),
    # confusables (.cfu) and Unicode property tables (.icu); plus root/en/de locale bundles,
    # which collation and zone names fall back through. Two legacy tables stay (19 KB): the
    # Western European code pages CSV files and label printers still produce (windows-1252,
    # ISO-8859-15); East Asian and EBCDIC tables go.
    "": FolderRule(
        names=frozenset(
            {
                "res_index.res",
                "pool.res",
                "cnvalias.icu",
                "ibm-5348_P100-1997.cnv",  # windows-1252
                "ibm-923_P100-1998.cnv",  # ISO-8859-15
            }
        ),
        extensions=frozenset({".icu", ".nrm", ".spp", ".cfu"}),
        non_locale_res=True,
        locales=True,
    ),
    # Collation (QCollator, localeAwareCompare, file-dialog sorting): the root collation
    # table (ucadata.icu) and the tailorings of the wanted languages (de__PHONEBOOK included).
    "coll": FolderRule(names=frozenset({"res_index.res", "ucadata.icu"}), locales=True),
    # Time-zone display names (ucal_getTimeZoneDisplayName) for the wanted languages.
    "zone": FolderRule(
        names=frozenset({"res_index.res", "pool.res", "tzdbNames.res"}), locales=True
    ),
}


class IcuTrimError(RuntimeError):
    """The source is not an ICU data library we can rewrite; keep the original file."""


class CompilerNotFoundError(IcuTrimError):
    """No C compiler to link the trimmed data into a library; keep the original file."""


@dataclass
class TrimReport:
    """What a trim kept and dropped, for the build log."""

    items_kept: int
    items_dropped: int
    bytes_before: int  # size of the source library file
    bytes_after: int  # size of the written library file
    kept_per_folder: dict[str, int] = field(default_factory=dict)
    dropped_per_folder: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        kept = ", ".join(f"{k or '.'}: {v}" for k, v in sorted(self.kept_per_folder.items()))
        return (
            f"ICU data: {self.bytes_before / 1e6:.1f} MB -> {self.bytes_after / 1e6:.1f} MB, "
            f"{self.items_kept} items kept ({kept}), {self.items_dropped} dropped"
        )


@dataclass(frozen=True)
class DataSymbol:
    """Where the exported ``icudtNN_dat`` package lies in the library file."""

    name: str
    file_offset: int
    size: int
    soname: str


# --- ELF ------------------------------------------------------------------------------------

SHT_DYNSYM = 11
SHT_DYNAMIC = 6
DT_SONAME = 14
DATA_SYMBOL = re.compile(rb"^icudt\d+_dat$")


def _c_string(blob: bytes, offset: int) -> bytes:
    return blob[offset : blob.index(b"\0", offset)]


def find_data_symbol(elf: bytes) -> DataSymbol:
    """Locate ``icudtNN_dat`` through the dynamic symbol table, and read the SONAME."""
    if elf[:4] != b"\x7fELF":
        raise IcuTrimError("not an ELF file")
    is64 = elf[4] == 2
    order = "<" if elf[5] == 1 else ">"
    # Section header table position/entry size/count live at fixed offsets per class.
    if is64:
        shoff, shentsize, shnum = struct.unpack_from(order + "Q10xHH", elf, 0x28)
        shdr, sym_fmt, sym_size = "IIQQQQIIQQ", "IBBHQQ", 24
        dyn_fmt = "qQ"
    else:
        shoff, shentsize, shnum = struct.unpack_from(order + "I10xHH", elf, 0x20)
        shdr, sym_fmt, sym_size = "IIIIIIIIII", "IIIBBH", 16
        dyn_fmt = "iI"
    # (type, addr, offset, size, link) of every section
    sections = []
    for i in range(shnum):
        f = struct.unpack_from(order + shdr, elf, shoff + i * shentsize)
        sections.append((f[1], f[3], f[4], f[5], f[6]))

    symbol: tuple[bytes, int, int] | None = None
    soname = b""
    for sh_type, _addr, off, size, link in sections:
        strtab_off = sections[link][2]
        if sh_type == SHT_DYNSYM:
            for pos in range(off, off + size, sym_size):
                f = struct.unpack_from(order + sym_fmt, elf, pos)
                if is64:
                    name_off, shndx, value, sym_sz = f[0], f[3], f[4], f[5]
                else:
                    name_off, value, sym_sz, shndx = f[0], f[1], f[2], f[5]
                name = _c_string(elf, strtab_off + name_off)
                if DATA_SYMBOL.match(name) and 0 < shndx < len(sections):
                    _t, s_addr, s_off, _s, _l = sections[shndx]
                    symbol = (name, s_off + value - s_addr, sym_sz)
        elif sh_type == SHT_DYNAMIC:
            step = struct.calcsize(order + dyn_fmt)
            for pos in range(off, off + size, step):
                tag, val = struct.unpack_from(order + dyn_fmt, elf, pos)
                if tag == DT_SONAME:
                    soname = _c_string(elf, strtab_off + val)
    if symbol is None:
        raise IcuTrimError("no exported icudtNN_dat symbol: not an ICU data library")
    if not soname:
        raise IcuTrimError("the library has no SONAME")
    name, offset, size = symbol
    return DataSymbol(name.decode(), offset, size, soname.decode())


# --- ICU common data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """A parsed common-data package: its header verbatim and its items by full name."""

    header: bytes
    items: dict[str, bytes]  # "icudt73l/coll/de.res" -> bytes (incl. original padding)


def parse_package(data: bytes) -> Package:
    """Split a ``CmnD`` package into header and items (an item ends where the next begins)."""
    if len(data) < 32 or data[2:4] != MAGIC:
        raise IcuTrimError("the data symbol does not hold an ICU data header")
    header_size = struct.unpack_from("<H", data, 0)[0]
    is_big_endian = data[8]
    if is_big_endian:
        raise IcuTrimError("big-endian ICU data is not supported")
    if data[12:16] != COMMON_DATA_FORMAT or data[16] != 1:
        raise IcuTrimError(f"not an offset-TOC common-data package: {data[12:17]!r}")
    toc = data[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    by_offset = sorted(entries, key=lambda e: e[1])
    ends = [e[1] for e in by_offset[1:]] + [len(toc)]
    items = {
        _c_string(toc, name_off).decode("ascii"): toc[data_off:end]
        for (name_off, data_off), end in zip(by_offset, ends, strict=True)
    }
    return Package(header=data[:header_size], items=items)


def _pad(length: int) -> int:
    return -length % ALIGNMENT


def build_package(header: bytes, items: dict[str, bytes]) -> bytes:
    """Write a ``CmnD`` package: header, TOC sorted by name (ICU binary-searches it), items
    each starting on a 16-byte boundary (ICU maps them in place and reads them as structs)."""
    names = sorted(items, key=lambda n: n.encode("ascii"))
    name_blob = bytearray()
    name_offsets = []
    toc_fixed = 4 + 8 * len(names)
    for name in names:
        name_offsets.append(toc_fixed + len(name_blob))
        name_blob += name.encode("ascii") + b"\0"
    toc_len = toc_fixed + len(name_blob)
    toc_len += _pad(len(header) + toc_len)  # first item on an aligned absolute offset

    body = bytearray()
    data_offsets = []
    for name in names:
        body += b"\0" * _pad(len(header) + toc_len + len(body))
        data_offsets.append(toc_len + len(body))
        body += items[name]

    toc = bytearray(struct.pack("<I", len(names)))
    for name_off, data_off in zip(name_offsets, data_offsets, strict=True):
        toc += struct.pack("<II", name_off, data_off)
    toc += name_blob
    toc += b"\0" * (toc_len - len(toc))
    return header + bytes(toc) + bytes(body)


# --- the keep-rule --------------------------------------------------------------------------


def _language_of(locale: str) -> str:
    """``de-AT``/``de_AT``/``DE`` -> ``de``: a language keeps its whole family of variants."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def _is_wanted_locale(stem: str, languages: frozenset[str]) -> bool:
    if stem == "root":
        return True
    return any(stem == lang or stem.startswith(lang + "_") for lang in languages)


def keep_item(name: str, languages: frozenset[str]) -> bool:
    """Apply :data:`KEEP_RULES` to a full item name such as ``icudt73l/coll/de.res``."""
    relative = name.split("/", 1)[1]  # drop the package prefix "icudt73l/"
    folder, _, file_name = relative.rpartition("/")
    rule = KEEP_RULES.get(folder)
    if rule is None:
        return False
    if file_name in rule.names:
        return True
    stem, dot, ext = file_name.rpartition(".")
    if f"{dot}{ext}" in rule.extensions:
        return True
    if ext != "res":
        return False
    if LOCALE_STEM.match(stem) is None:
        return rule.non_locale_res
    return rule.locales and _is_wanted_locale(stem, languages)


def _folder_of(name: str) -> str:
    return name.split("/", 1)[1].rpartition("/")[0]


# --- linking --------------------------------------------------------------------------------


def find_c_compiler() -> str | None:
    """The compiler to link with: ``$CC`` if set, else cc/gcc/clang from PATH."""
    candidates = [os.environ["CC"]] if os.environ.get("CC") else ["cc", "gcc", "clang"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _assembler_source(symbol: str, blob: Path) -> str:
    # %object/%progbits rather than @...: '@' starts a comment on some ARM assemblers.
    quoted = str(blob).replace("\\", "\\\\").replace('"', '\\"')
    return (
        '\t.section .rodata,"a",%progbits\n'
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, %object\n"
        f"\t.balign {ALIGNMENT}\n"
        f"{symbol}:\n"
        f'\t.incbin "{quoted}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        # No executable stack: the original library does not ask for one either.
        '\t.section .note.GNU-stack,"",%progbits\n'
    )


def link_data_library(package: bytes, symbol: DataSymbol, dst: Path) -> None:
    """Link ``package`` into a shared library exporting ``symbol.name`` under its SONAME."""
    compiler = find_c_compiler()
    if compiler is None:
        raise CompilerNotFoundError(
            "no C compiler (cc/gcc/clang or $CC) found to link the trimmed ICU data; "
            "keep the original libicudata"
        )
    with tempfile.TemporaryDirectory(prefix="icudata-") as tmp:
        blob = Path(tmp) / "icudata.bin"
        blob.write_bytes(package)
        source = Path(tmp) / "icudata.S"
        source.write_text(_assembler_source(symbol.name, blob))
        command = [
            compiler,
            "-shared",
            "-nostdlib",  # data only: no libc, no start files, like the original
            f"-Wl,-soname,{symbol.soname}",
            "-Wl,-z,noexecstack",
            "-o",
            str(dst),
            str(source),
        ]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise IcuTrimError(f"linking the trimmed ICU data failed: {done.stderr.strip()}")


# --- the entry point ------------------------------------------------------------------------


def trim_icudata(src: Path, dst: Path, languages: Iterable[str]) -> TrimReport:
    """Write to ``dst`` a copy of the ICU data library ``src`` holding only what Qt uses for
    ``languages`` (plus root). Raises :class:`CompilerNotFoundError` when there is no C
    compiler and :class:`IcuTrimError` when ``src`` is not a library we understand; in both
    cases ``dst`` is not written and the caller should keep the original."""
    wanted = frozenset(_language_of(lang) for lang in languages)
    elf = src.read_bytes()
    symbol = find_data_symbol(elf)
    package = parse_package(elf[symbol.file_offset : symbol.file_offset + symbol.size])

    kept = {n: d for n, d in package.items.items() if keep_item(n, wanted)}
    dropped = [n for n in package.items if n not in kept]
    if not any(n.endswith("/root.res") for n in kept):
        raise IcuTrimError("the keep-rule kept no root.res: unexpected ICU data layout")

    dst.parent.mkdir(parents=True, exist_ok=True)
    link_data_library(build_package(package.header, kept), symbol, dst)
    return TrimReport(
        items_kept=len(kept),
        items_dropped=len(dropped),
        bytes_before=len(elf),
        bytes_after=dst.stat().st_size,
        kept_per_folder=dict(Counter(_folder_of(n) for n in kept)),
        dropped_per_folder=dict(Counter(_folder_of(n) for n in dropped)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="libicudata.so.NN to trim")
    parser.add_argument("dst", type=Path, nargs="?", help="where to write (default: dry run)")
    parser.add_argument("--languages", default="en,de", help="comma-separated, default en,de")
    args = parser.parse_args(argv)
    languages = [lang for lang in args.languages.split(",") if lang]
    with tempfile.TemporaryDirectory(prefix="icudata-dry-") as tmp:
        dst = args.dst or Path(tmp) / args.src.name
        try:
            report = trim_icudata(args.src, dst, languages)
        except IcuTrimError as error:
            print(f"not trimmed: {error}", file=sys.stderr)
            return 1
    print(report.summary())
    dropped = ", ".join(f"{k or '.'}: {v}" for k, v in sorted(report.dropped_per_folder.items()))
    print(f"dropped per folder: {dropped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
