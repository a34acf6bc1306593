"""THIRD_PARTY_LICENSES for a built bundle, from what it actually holds.

Three kinds of component end up in the bundle:

* Python distributions: found from the modules in the bundle's archive (PYZ) and the files in
  its folder, matched against each installed distribution's RECORD; the licence comes from
  the distribution's metadata (``License-Expression``, else its licence classifiers, else a
  short ``License`` field) and its licence files are appended in full.
* Native libraries that wheels vendor (``av.libs/``, ``opencv_python_headless.libs/``, ...)
  and Qt's own libraries: named and licensed from the table ``NATIVE`` below (FFmpeg and x264
  included) -- a library the table does not know stops the build.
* Libraries PyInstaller copied from the build machine (Linux: from Debian packages): named by
  their package, version and the licences its ``copyright`` file declares.

A component without a licence raises :class:`LicenseError`, which fails ``packaging/build``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

RIPPLE_LICENSE = "GPL-3.0-or-later"


class LicenseError(Exception):
    """Something bundled has no licence on record; ``str()`` names it."""


@dataclass
class Component:
    name: str
    version: str
    license: str
    kind: str  # "python", "native", "system"
    files: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (file name, text)


# ---------------------------------------------------------------- native libraries

# soname stem -> (component, licence as shipped in these wheels). The FFmpeg in PyAV's wheel is
# built with x264 and x265, so it is GPL; Qt's FFmpeg (PySide6/Qt/lib) is the LGPL build.
NATIVE: dict[str, tuple[str, str]] = {
    # PyAV (av.libs)
    "libavcodec": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libavdevice": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libavfilter": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libavformat": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libavutil": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libswresample": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libswscale": ("FFmpeg", "GPL-2.0-or-later (built with x264/x265)"),
    "libx264": ("x264", "GPL-2.0-or-later"),
    "libx265": ("x265", "GPL-2.0-or-later"),
    "libSvtAv1Enc": ("SVT-AV1", "BSD-3-Clause-Clear"),
    "libdav1d": ("dav1d", "BSD-2-Clause"),
    "libvmaf": ("VMAF", "BSD-2-Clause-Patent"),  # PyAV 18.1.1 on: FFmpeg's vmaf filter
    "libaom": ("libaom", "BSD-2-Clause"),
    "libavif": ("libavif", "BSD-2-Clause"),
    "libvpx": ("libvpx", "BSD-3-Clause"),
    "libopus": ("Opus", "BSD-3-Clause"),
    "libmp3lame": ("LAME", "LGPL-2.0-or-later"),
    "libopencore-amrnb": ("opencore-amr", "Apache-2.0"),
    "libopencore-amrwb": ("opencore-amr", "Apache-2.0"),
    "libwebp": ("libwebp", "BSD-3-Clause"),
    "libwebpmux": ("libwebp", "BSD-3-Clause"),
    "libsharpyuv": ("libwebp", "BSD-3-Clause"),
    "libvpl": ("Intel oneVPL", "MIT"),
    "libgnutls": ("GnuTLS", "LGPL-2.1-or-later"),
    "libnettle": ("Nettle", "LGPL-3.0-or-later OR GPL-2.0-or-later"),
    "libhogweed": ("Nettle", "LGPL-3.0-or-later OR GPL-2.0-or-later"),
    "libgmp": ("GMP", "LGPL-3.0-or-later OR GPL-2.0-or-later"),
    "libunistring": ("libunistring", "LGPL-3.0-or-later OR GPL-2.0-or-later"),
    "libasound": ("alsa-lib", "LGPL-2.1-or-later"),
    "libdrm": ("libdrm", "MIT"),
    "libxcb": ("libxcb", "X11"),
    "libxcb-shape": ("libxcb", "X11"),
    "libxcb-shm": ("libxcb", "X11"),
    "libxcb-xfixes": ("libxcb", "X11"),
    "libXau": ("libXau", "MIT-open-group"),
    # Pillow (pillow.libs; reportlab needs Pillow)
    "libbrotlicommon": ("Brotli", "MIT"),
    "libbrotlidec": ("Brotli", "MIT"),
    "libfreetype": ("FreeType", "FTL OR GPL-2.0-or-later"),
    "libharfbuzz": ("HarfBuzz", "MIT"),
    "libjpeg": ("libjpeg-turbo", "IJG AND BSD-3-Clause AND Zlib"),
    "liblcms2": ("Little CMS", "MIT"),
    "liblzma": ("XZ Utils (liblzma)", "0BSD"),
    "libopenjp2": ("OpenJPEG", "BSD-2-Clause"),
    "libtiff": ("LibTIFF", "libtiff"),
    "libwebpdemux": ("libwebp", "BSD-3-Clause"),
    "libzstd": ("Zstandard", "BSD-3-Clause OR GPL-2.0-only"),
    # OpenCV and numpy
    "libopenblasp-r0": ("OpenBLAS", "BSD-3-Clause"),
    "libscipy_openblas64_": ("OpenBLAS", "BSD-3-Clause"),
    "libgfortran": ("GCC runtime (libgfortran)", "GPL-3.0-or-later WITH GCC-exception-3.1"),
    "libquadmath": ("GCC runtime (libquadmath)", "LGPL-2.1-or-later"),
    "libpng16": ("libpng", "libpng-2.0"),
    # psycopg's libpq and what it links
    "libpq": ("PostgreSQL libpq", "PostgreSQL"),
    "libssl": ("OpenSSL", "Apache-2.0"),
    "libcrypto": ("OpenSSL", "Apache-2.0"),
    "libgssapi_krb5": ("MIT Kerberos", "MIT"),
    "libkrb5": ("MIT Kerberos", "MIT"),
    "libk5crypto": ("MIT Kerberos", "MIT"),
    "libkrb5support": ("MIT Kerberos", "MIT"),
    "libcom_err": ("e2fsprogs com_err", "MIT"),
    "libkeyutils": ("keyutils", "LGPL-2.1-or-later"),
    "libldap": ("OpenLDAP", "OLDAP-2.8"),
    "liblber": ("OpenLDAP", "OLDAP-2.8"),
    "libsasl2": ("Cyrus SASL", "BSD-Attribution-HPND-disclaimer"),
    "libcrypt": ("libxcrypt", "LGPL-2.1-or-later"),
}

QT_LIB_FOLDER = "PySide6/Qt/lib/"
QT_NATIVE: dict[str, tuple[str, str]] = {
    "libQt6": ("Qt", "LGPL-3.0-only"),
    "libavcodec": ("FFmpeg (Qt Multimedia's build)", "LGPL-2.1-or-later"),
    "libavformat": ("FFmpeg (Qt Multimedia's build)", "LGPL-2.1-or-later"),
    "libavutil": ("FFmpeg (Qt Multimedia's build)", "LGPL-2.1-or-later"),
    "libswresample": ("FFmpeg (Qt Multimedia's build)", "LGPL-2.1-or-later"),
    "libswscale": ("FFmpeg (Qt Multimedia's build)", "LGPL-2.1-or-later"),
    "libicu": ("ICU", "Unicode-3.0"),
}

_HASH = re.compile(r"(-[0-9a-f]{8})+$")
_VERSION = re.compile(r"-\d+$")


def native_stem(filename: str) -> str:
    """``libavcodec-5e6b81c2.so.62.28.102`` -> ``libavcodec`` (auditwheel's hash removed)."""
    stem = _VERSION.sub("", _HASH.sub("", filename.split(".", 1)[0]))
    # Windows wheels (delvewheel) drop the "lib": avcodec-62-<hash>.dll.
    return stem if stem.startswith("lib") else f"lib{stem}"


def native_licence(relpath: str) -> tuple[str, str] | None:
    name = relpath.rsplit("/", 1)[-1]
    if relpath.startswith(QT_LIB_FOLDER):
        for prefix, entry in QT_NATIVE.items():
            if name.startswith(prefix):
                return entry
        return None
    return NATIVE.get(native_stem(name))


# ---------------------------------------------------------------- Python distributions

_CLASSIFIER = re.compile(r"^License :: (?:OSI Approved :: )?(.+)$")


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    return str(meta[name] or "").strip() if name in meta else ""


def licence_of(dist: metadata.Distribution) -> str | None:
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    classifiers = [m.group(1) for c in meta.get_all("Classifier") or [] if (m := _CLASSIFIER.match(c))]
    classifiers = [c for c in classifiers if c not in ("OSI Approved",)]
    if classifiers:
        return " AND ".join(dict.fromkeys(classifiers))
    text = _field(meta, "License")
    if text and text.upper() != "UNKNOWN" and len(text) <= 120 and "\n" not in text:
        return text
    if text and text.upper() != "UNKNOWN":  # the whole licence pasted into the field
        return text.splitlines()[0].strip()[:120] or None
    return None


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for f in dist.files or []:
        parts = [p.lower() for p in f.parts]
        if not parts[0].endswith(".dist-info"):
            continue
        name = parts[-1]
        if "licenses" in parts or name.startswith(("license", "licence", "copying", "notice", "authors")):
            try:
                texts.append((f.name, Path(str(f.locate())).read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    return texts


def _dist_name(dist: metadata.Distribution) -> str:
    return str(dist.metadata["Name"])


def bundled_distributions(internal: Path, modules: set[str]) -> dict[str, tuple[metadata.Distribution, list[str]]]:
    """Installed distributions with a module in ``modules`` or a file under ``internal``."""
    found: dict[str, tuple[metadata.Distribution, list[str]]] = {}
    for dist in metadata.distributions():
        name = _dist_name(dist)
        if name.lower() in ("ripple", "pyinstaller", "pyinstaller-hooks-contrib"):
            continue
        hits: list[str] = []
        for f in dist.files or []:
            if f.parts and (f.parts[0].endswith((".dist-info", ".egg-info")) or f.parts[0] == ".."):
                continue
            posix = "/".join(f.parts)
            if posix.endswith(".py"):
                module = posix[:-3].replace("/", ".").removesuffix(".__init__")
                if module in modules:
                    hits.append(posix)
            elif not posix.endswith((".pyc", ".pyi")) and (internal / posix).is_file():
                hits.append(posix)
        if hits and name not in found:
            found[name] = (dist, hits)
    return found


def python_components(found: dict[str, tuple[metadata.Distribution, list[str]]]) -> list[Component]:
    """A component per distribution; :class:`LicenseError` names those with no licence."""
    components: list[Component] = []
    unlicensed: list[str] = []
    for name, (dist, hits) in sorted(found.items(), key=lambda kv: kv[0].lower()):
        licence = licence_of(dist)
        if licence is None:
            unlicensed.append(f"{name} {dist.version}")
            continue
        components.append(Component(name, dist.version, licence, "python", hits[:3], licence_texts(dist)))
    if unlicensed:
        raise LicenseError(f"no licence recorded for these bundled packages: {', '.join(unlicensed)}")
    return components


def pyz_modules(executable: Path) -> set[str]:
    """The module names in a PyInstaller executable's archive."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(executable))
    names: set[str] = set(archive.toc)
    for entry in list(archive.toc):
        if entry.endswith(".pyz"):
            names |= set(archive.open_embedded_archive(entry).toc)
    return names


# ---------------------------------------------------------------- libraries from the build machine


# Debian packages whose copyright file is not machine-readable (DEP-5): their licence, by
# package name or name prefix, as their copyright file states it in prose.
DEBIAN_LICENCES: dict[str, str] = {
    "libc6": "LGPL-2.1-or-later",
    "libgcc-s1": "GPL-3.0-or-later WITH GCC-exception-3.1",
    "libstdc++6": "GPL-3.0-or-later WITH GCC-exception-3.1",
    "libcairo": "LGPL-2.1-only OR MPL-1.1",
    "libfontconfig1": "HPND-sell-variant",
    "libgssapi-krb5-2": "MIT",
    "libk5crypto3": "MIT",
    "libkrb5": "MIT",
    "libpixman-1-0": "MIT",
    "libselinux1": "public-domain",
    "libx11": "X11",
    "libxau6": "MIT",
    "libxcb": "X11",
    "libxdmcp6": "MIT",
    "libxext6": "MIT",
    "libxrandr2": "HPND-sell-variant",
    "libxrender1": "HPND-sell-variant",
    "libxkbcommon": "MIT",
    "libgcrypt20": "LGPL-2.1-or-later",
    "libjpeg62-turbo": "IJG AND BSD-3-Clause AND Zlib",
}


def debian_copyright_licences(package: str) -> str | None:
    """The licence of a Debian package's main files: the ``Files: *`` paragraph of its DEP-5
    copyright file, else the table above."""
    path = Path("/usr/share/doc") / package / "copyright"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    if text.startswith("Format:"):
        for paragraph in re.split(r"\n\s*\n", text):
            if re.search(r"^Files:\s*\*\s*$", paragraph, flags=re.MULTILINE):
                m = re.search(r"^License:\s*(\S[^\n]*)$", paragraph, flags=re.MULTILINE)
                if m:
                    return m.group(1).strip()
    for key in sorted(DEBIAN_LICENCES, key=len, reverse=True):
        if package == key or package.startswith(key):
            return DEBIAN_LICENCES[key]
    return None


def debian_version(package: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True)
    return out.stdout.strip() or "?"


def system_components(sources: dict[str, str]) -> list[Component]:
    """Components for libraries copied from the build machine: ``{bundle path: source path}``."""
    if not sources:
        return []
    if not sys.platform.startswith("linux"):
        # macOS and Windows builds copy only the OS's own redistributables (the VC runtime,
        # nothing on macOS); they are listed by file.
        return [Component(Path(src).name, "?", "system redistributable", "system", [dest])
                for dest, src in sorted(sources.items())]
    sys.path.insert(0, str(Path(__file__).parent))
    import syslibs

    owners = syslibs.debian_packages(sources.values())
    by_package: dict[str, list[str]] = {}
    missing: list[str] = []
    for dest, src in sorted(sources.items()):
        pkg = owners.get(src)
        if pkg is None:
            missing.append(f"{dest} (from {src})")
        else:
            by_package.setdefault(pkg, []).append(dest)
    if missing:
        raise LicenseError("these bundled libraries belong to no Debian package, so their licence is "
                           f"unknown: {', '.join(missing)}")
    comps = []
    for pkg, files in sorted(by_package.items()):
        licence = debian_copyright_licences(pkg)
        if licence is None:
            raise LicenseError(f"the Debian package {pkg} (bundled: {', '.join(files)}) declares no "
                               f"machine-readable licence in /usr/share/doc/{pkg}/copyright; add it to DEBIAN_LICENCES")
        comps.append(Component(f"{pkg} (Debian)", debian_version(pkg), licence, "system", files))
    return comps


# ---------------------------------------------------------------- the whole bundle


def _internal(folder: Path) -> Path:
    return folder / "_internal" if (folder / "_internal").is_dir() else folder


def _executable(folder: Path) -> Path:
    for name in ("ripple", "ripple.exe"):
        if (folder / name).is_file():
            return folder / name
    raise LicenseError(f"no ripple executable in {folder}")


def collect(folder: Path, sources: dict[str, str] | None = None) -> list[Component]:
    """Every component in the bundle at ``folder``. ``sources`` maps the bundle's paths of
    binaries PyInstaller copied from outside any Python package to where it took them from."""
    internal = _internal(folder)
    modules = pyz_modules(_executable(folder))
    components: list[Component] = [
        Component("Python", sys.version.split()[0], "PSF-2.0", "python", ["libpython, the standard library"]),
    ]
    components += python_components(bundled_distributions(internal, modules))

    native: dict[tuple[str, str, str], Component] = {}
    unknown: list[str] = []
    for path in sorted(internal.rglob("*")):
        rel = path.relative_to(internal).as_posix()
        if not path.is_file() or path.is_symlink():
            continue
        # Linux and Windows wheels vendor into NAME.libs/, macOS ones into NAME/.dylibs/.
        if not (".libs/" in rel or "/.dylibs/" in rel or rel.startswith(QT_LIB_FOLDER)):
            continue
        entry = native_licence(rel)
        if entry is None:
            unknown.append(rel)
            continue
        origin = _native_origin(rel)
        comp = native.setdefault((*entry, origin), Component(entry[0], origin, entry[1], "native"))
        comp.files.append(rel)
    if unknown:
        raise LicenseError("no licence on record (packaging/licenses.py NATIVE) for these bundled "
                           f"libraries: {', '.join(unknown)}")
    components += sorted(native.values(), key=lambda c: c.name.lower())
    components += system_components(sources or {})
    return components


def _native_origin(rel: str) -> str:
    """Which wheel brought a native library, as "from NAME VERSION" (its own version is not
    recorded anywhere reliable; the wheel's is)."""
    if rel.startswith(QT_LIB_FOLDER):
        wheel = "PySide6_Essentials"
    else:
        folder = rel.split("/", 1)[0].removesuffix(".libs")
        folder = {"cv2": "opencv-python-headless"}.get(folder, folder)
        wheel = folder.replace("_", "-")
    try:
        return f"from {wheel} {metadata.version(wheel)}"
    except metadata.PackageNotFoundError:
        return f"from {wheel}"


def render(components: list[Component]) -> str:
    out = [
        "Ripple -- third-party components in this bundle",
        "=" * 48,
        "",
        f"Ripple itself is released under {RIPPLE_LICENSE} (see LICENSE). It bundles the components",
        "below, each under its own licence. The FFmpeg in PyAV is built with x264 and x265 and is",
        "GPL-licensed, which is why Ripple as a whole is GPL. The sources of the Python packages are",
        "on PyPI under the same name and version; the native libraries' sources are those of the",
        "projects named, at the versions shown (the Debian ones: `apt-get source PACKAGE`).",
        "",
        f"{'component':<44} {'version':<24} licence",
        f"{'-' * 44} {'-' * 24} {'-' * 30}",
    ]
    for c in components:
        out.append(f"{c.name:<44} {c.version:<24} {c.license}")
    out += ["", "", "Files of each native and system component", "=" * 41, ""]
    for c in components:
        if c.kind != "python":
            out.append(f"{c.name} {c.version}: {', '.join(c.files)}")
    out += ["", "", "Licence texts shipped with the Python packages", "=" * 46]
    for c in components:
        for fname, text in c.texts:
            out += ["", f"---- {c.name} {c.version}: {fname} ----", "", text.rstrip()]
    return "\n".join(out) + "\n"


def system_sources(toc_file: Path, python_prefixes: list[str]) -> dict[str, str]:
    """From PyInstaller's COLLECT TOC: the binaries taken from outside Python and its packages."""
    import ast

    entries = ast.literal_eval(toc_file.read_text(encoding="utf-8"))
    if isinstance(entries, tuple):
        entries = entries[0]
    found: dict[str, str] = {}
    for dest, src, kind in entries:
        if kind != "BINARY" or not src:
            continue
        if any(str(src).startswith(p) for p in python_prefixes):
            continue
        found[str(dest).replace("\\", "/")] = str(src)
    return found


def runtime_closure(requirements: list[str]) -> dict[str, tuple[metadata.Distribution, list[str]]]:
    """The installed distributions ``requirements`` pull in, recursively (no extras): what a
    bundle of Ripple holds, without building one (the tests use it)."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    found: dict[str, tuple[metadata.Distribution, list[str]]] = {}
    queue = list(requirements)
    while queue:
        req = Requirement(queue.pop())
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        key = canonicalize_name(req.name)
        if key in found:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency not installed here
        found[key] = (dist, [])
        queue += dist.requires or []
    return {str(d.metadata["Name"]): (d, hits) for d, hits in found.values()}
