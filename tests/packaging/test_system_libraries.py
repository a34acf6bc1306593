"""The Debian packages bootstrap.sh installs cover what Ripple's Qt plugins link against.

On a bare Debian the checkout once ran with every test green while no clip could play: Qt's
FFmpeg multimedia plugin links against libXrandr, which nothing installed. This test derives
the list from the plugins themselves (their direct DT_NEEDED entries, resolved with ldd, mapped
to packages with dpkg) and fails when packaging/debian-packages.txt misses one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import syslibs

from tests.packaging.conftest import PACKAGING

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None or shutil.which("ldd") is None,
    reason="Debian/Ubuntu only (ldd and dpkg-query)",
)


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def test_bootstrap_reads_the_package_list() -> None:
    script = (PACKAGING / "bootstrap.sh").read_text(encoding="utf-8")
    assert "packaging/debian-packages.txt" in script
    listed = syslibs.read_package_list(PACKAGING / "debian-packages.txt")
    assert "libxrandr2" in listed and "python3-venv" in listed
    assert len(listed) == len(set(listed)), "a package is listed twice"


def test_the_qt_plugins_ripple_uses_are_all_there() -> None:
    files = syslibs.qt_plugin_files(_qt_dir())
    names = {f.name for f in files}
    assert {"libqxcb.so", "libffmpegmediaplugin.so", "libqoffscreen.so"} <= names


def test_debian_packages_cover_what_the_qt_plugins_link_against() -> None:
    import PySide6

    files = syslibs.qt_plugin_files(_qt_dir())
    need = syslibs.outside(files, [Path(PySide6.__file__).parent])
    by_package, unknown = syslibs.packages_for(need)
    assert not unknown, (
        f"these libraries the Qt plugins link against are not installed here, so their Debian "
        f"package cannot be told: {unknown} (install the package and add it to debian-packages.txt)"
    )
    listed = set(syslibs.read_package_list(PACKAGING / "debian-packages.txt"))
    missing = {pkg: sorted(libs) for pkg, libs in by_package.items()
               if pkg not in listed and pkg not in syslibs.IN_EVERY_DEBIAN}
    assert not missing, f"add to packaging/debian-packages.txt: {missing}"
    # The one that was missing on the bare machine.
    assert "libxrandr2" in by_package


def test_needed_reads_dt_needed() -> None:
    import PySide6

    plugin = _qt_dir() / "plugins" / "multimedia" / "libffmpegmediaplugin.so"
    direct = syslibs.needed(plugin)
    assert "libQt6Multimedia.so.6" in direct
    assert set(direct) - {"ld-linux-x86-64.so.2"} <= set(syslibs.ldd(plugin, [Path(PySide6.__file__).parent / "Qt" / "lib"]))
    assert syslibs.needed(PACKAGING / "debian-packages.txt") == []  # not an ELF file


def test_a_library_knows_the_name_the_loader_gives_it() -> None:
    # OpenCV's FFmpeg names in the bundle are links to Qt's libraries: test-bundle's check
    # counts a library reached under such a name as providing its soname too.
    avcodec = next(p for p in sorted((_qt_dir() / "lib").glob("libavcodec.so.*")) if p.name.count(".") == 2)
    assert syslibs.soname(avcodec) == avcodec.name  # libavcodec.so.63
    assert any(name.startswith("libavutil.so.") for name in syslibs.needed(avcodec))
    plugin = _qt_dir() / "plugins" / "platforms" / "libqxcb.so"
    assert syslibs.soname(plugin) is None  # a plugin is opened by path, it has no soname
