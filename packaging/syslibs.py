"""Which system libraries Ripple's Qt parts link against, and which Debian packages hold them.

Used by the tests (the packages ``packaging/bootstrap.sh`` installs for a checkout must cover
what the Qt plugins Ripple uses link against) and by ``packaging/test-bundle`` (the packages a
bare Debian needs for the bundle, listed in the README, must cover what the bundle's libraries
do not carry themselves). Linux only: it runs ``ldd`` and ``dpkg-query``.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
from collections.abc import Iterable
from pathlib import Path

# The Qt plugins a Ripple window and its player load on a Linux desktop (relative to Qt's
# plugin folder): X11 and Wayland, their GL integrations, and the FFmpeg multimedia backend.
QT_PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations/libqxcb-glx-integration.so",
    "xcbglintegrations/libqxcb-egl-integration.so",
    "multimedia/libffmpegmediaplugin.so",
    "platformthemes/libqxdgdesktopportal.so",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
)

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of an ELF file: the libraries it links against directly.

    (A small reader of its own, so a bare machine needs no binutils for the tests.)"""
    return [value for tag, value in _dynamic_strings(path) if tag == 1]  # DT_NEEDED


def soname(path: Path) -> str | None:
    """The DT_SONAME of a shared library (the name the loader knows it by once loaded)."""
    return next((value for tag, value in _dynamic_strings(path) if tag == 14), None)  # DT_SONAME


def _dynamic_strings(path: Path) -> list[tuple[int, str]]:
    """The dynamic section's entries that name a string (DT_NEEDED, DT_SONAME, ...)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF":
        return []
    is64, little = data[4] == 2, data[5] == 1
    end = "<" if little else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
        sh_fmt, dyn_fmt = end + "IIQQQQIIQQ", end + "qQ"
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
        sh_fmt, dyn_fmt = end + "IIIIIIIIII", end + "iI"
    sections = [struct.unpack_from(sh_fmt, data, shoff + i * shentsize) for i in range(shnum)]
    names: list[tuple[int, str]] = []
    for sec in sections:
        if sec[1] != 6:  # SHT_DYNAMIC
            continue
        offset, size, link = sec[4], sec[5], sec[6]
        strtab = sections[link][4]
        step = struct.calcsize(dyn_fmt)
        for pos in range(offset, offset + size, step):
            tag, value = struct.unpack_from(dyn_fmt, data, pos)
            if tag == 0:
                break
            if tag in (1, 14, 15, 29):  # DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH
                stop = data.index(b"\0", strtab + value)
                names.append((tag, data[strtab + value:stop].decode()))
    return names


def section_names(path: Path) -> list[str]:
    """The section names of an ELF64 little-endian file ([] for anything else)."""
    with path.open("rb") as fh:
        head = fh.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return []
        shoff, = struct.unpack_from("<Q", head, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", head, 0x3A)
        fh.seek(shoff)
        table = fh.read(shentsize * shnum)
        sections = [struct.unpack_from("<IIQQQQIIQQ", table, i * shentsize) for i in range(shnum)]
        if not sections or shstrndx >= len(sections):
            return []
        fh.seek(sections[shstrndx][4])
        strings = fh.read(sections[shstrndx][5])
    return [strings[sec[0]:strings.index(b"\0", sec[0])].decode(errors="replace") for sec in sections]


def ldd(path: Path, library_path: Iterable[Path] = ()) -> dict[str, str | None]:
    """soname -> where it resolves (None: not found), for ``path`` and all it pulls in."""
    env = dict(os.environ)
    extra = [str(p) for p in library_path]
    if extra:
        env["LD_LIBRARY_PATH"] = os.pathsep.join([*extra, env.get("LD_LIBRARY_PATH", "")]).rstrip(os.pathsep)
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
    found: dict[str, str | None] = {}
    for line in out.splitlines():
        m = _LDD_LINE.match(line)
        if m:
            found[m.group(1)] = None if m.group(2) == "not found" else m.group(2)
    return found


def _under(path: str, roots: list[str]) -> bool:
    real = str(Path(path).resolve())
    return any(real.startswith(r + os.sep) for r in roots)


def outside(files: Iterable[Path], inside: Iterable[Path], library_path: Iterable[Path] = ()) -> dict[str, str | None]:
    """The system libraries that ``files``, or the libraries of their own they pull in (those
    under one of the ``inside`` folders), link against directly: soname -> where ``ldd``
    finds it (None: not found). What those system libraries need in turn is the system's
    business (a package's dependencies), so it is not listed."""
    roots = [str(Path(p).resolve()) for p in inside]
    need: dict[str, str | None] = {}
    for f in files:
        resolved = ldd(f, library_path)
        own = [f] + [Path(w) for w in resolved.values() if w is not None and _under(w, roots)]
        # A library loaded under one name (OpenCV's libavcodec-<hash>.so.63 is a link to Qt's
        # libavcodec.so.63) also answers for its soname; ldd lists it once, by the first name.
        provided = {soname(o) for o in own}
        for elf in own:
            for name in needed(elf):
                where = resolved.get(name)
                if where is not None and _under(where, roots):
                    continue
                if where is None and (name == f.name or name in provided or any(o.name == name for o in own)):
                    continue  # two libraries that need each other: ldd does not list f itself
                if name not in need or need[name] is None:
                    need[name] = where
    return need


def _variants(path: str) -> list[str]:
    """``path`` and its twins across Debian's merged /usr (dpkg knows only one of them)."""
    out = [path, str(Path(path).resolve())]
    for p in list(out):
        if p.startswith("/lib"):
            out.append("/usr" + p)
        elif p.startswith("/usr/lib"):
            out.append(p[len("/usr"):])
    return list(dict.fromkeys(out))


def debian_packages(paths: Iterable[str]) -> dict[str, str]:
    """path -> the Debian package that installed it (paths no package owns are left out)."""
    paths = list(paths)
    variants = {v: p for p in paths for v in _variants(p)}
    if not variants:
        return {}
    result = subprocess.run(["dpkg-query", "-S", *variants], capture_output=True, text=True)
    owner: dict[str, str] = {}
    for line in result.stdout.splitlines():
        pkgs, _, file = line.partition(": ")
        if file in variants:
            owner.setdefault(variants[file], pkgs.split(",")[0].split(":")[0].strip())
    return owner


# On every Debian, even a minimal debootstrap: the C and C++ runtimes and zlib (apt and dpkg
# need them). Every other package a Qt plugin links against must be installed explicitly.
IN_EVERY_DEBIAN = frozenset({"libc6", "libgcc-s1", "libstdc++6", "zlib1g"})


def packages_for(need: dict[str, str | None]) -> tuple[dict[str, set[str]], list[str]]:
    """(package -> sonames it provides, sonames whose library is missing or owned by no package)."""
    by_package: dict[str, set[str]] = {}
    unknown: list[str] = []
    owners = debian_packages(w for w in need.values() if w)
    for soname, where in sorted(need.items()):
        if soname.startswith("ld-linux"):
            continue  # the dynamic loader itself (libc6)
        pkg = owners.get(where) if where else None
        if pkg is None:
            unknown.append(soname if where is None else f"{soname} ({where})")
            continue
        by_package.setdefault(pkg, set()).add(soname)
    return by_package, unknown


def read_package_list(path: Path) -> list[str]:
    """A package list file: one package a line, ``#`` comments."""
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def qt_plugin_files(qt_dir: Path) -> list[Path]:
    plugins = qt_dir / "plugins"
    return [plugins / rel for rel in QT_PLUGINS if (plugins / rel).is_file()]


def bundle_elf_files(bundle: Path) -> list[Path]:
    return [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]


def bundle_library_path(bundle: Path) -> list[Path]:
    internal = bundle / "_internal"
    return [internal, internal / "PySide6" / "Qt" / "lib"]
