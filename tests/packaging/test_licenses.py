"""Ripple is GPL-3.0-or-later, and every component a bundle carries has its licence on record."""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

import licenses
import pytest

from tests.packaging.conftest import ROOT


def _project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


def test_ripple_is_gpl_3_or_later() -> None:
    assert _project()["license"] == "GPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text


def test_every_package_a_bundle_carries_has_a_licence() -> None:
    closure = licenses.runtime_closure(_project()["dependencies"])
    # The bundle's big parts are all in the closure (a sanity check of the closure itself).
    names = {n.lower().replace("_", "-") for n in closure}
    assert {"pyside6-essentials", "pyside6-addons", "av", "opencv-python-headless", "numpy"} <= names
    components = licenses.python_components(closure)  # raises, naming the package, if one has none
    assert all(c.license for c in components)


def test_a_package_without_a_licence_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "nolicence-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: nolicence\nVersion: 1.0\n", encoding="utf-8")
    (info / "RECORD").write_text("nolicence.py,,\n", encoding="utf-8")
    # The file must exist: importlib_metadata (which keyring imports, and which then answers
    # importlib.metadata.distributions() too) leaves missing files out of a RECORD.
    (tmp_path / "nolicence.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    dist = metadata.distribution("nolicence")
    assert licenses.licence_of(dist) is None
    with pytest.raises(licenses.LicenseError, match=r"nolicence 1\.0"):
        licenses.python_components({"nolicence": (dist, ["nolicence.py"])})
    found = licenses.bundled_distributions(tmp_path / "bundle", {"nolicence"})
    assert "nolicence" in found  # found through its module in the archive


@pytest.mark.parametrize(
    ("metadata_text", "expected"),
    [
        ("License-Expression: MIT OR Apache-2.0\n", "MIT OR Apache-2.0"),
        ("Classifier: License :: OSI Approved :: BSD License\n", "BSD License"),
        ("License: PSF\n", "PSF"),
        ("License: UNKNOWN\n", None),
    ],
)
def test_licence_from_metadata(tmp_path: Path, metadata_text: str, expected: str | None) -> None:
    info = tmp_path / "x-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.4\nName: x\nVersion: 1.0\n{metadata_text}", encoding="utf-8")
    assert licenses.licence_of(metadata.PathDistribution(info)) == expected


def _native_libraries() -> list[str]:
    """The native libraries the installed wheels vendor, as a bundle would hold them."""
    import PySide6

    site = Path(PySide6.__file__).resolve().parent.parent
    found = [f"{p.parent.name}/{p.name}" for p in sorted(site.glob("*.libs/*")) if p.is_file()]
    qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    wanted = ("libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6Multimedia", "libav", "libsw", "libicu")
    found += [f"{licenses.QT_LIB_FOLDER}{p.name}" for p in sorted(qt_lib.glob("*.so*"))
              if p.name.startswith(wanted)] if sys.platform.startswith("linux") else []
    return found


def test_every_vendored_native_library_has_a_licence() -> None:
    libs = _native_libraries()
    assert any("libx264" in lib for lib in libs), "PyAV's wheel no longer vendors x264?"
    unknown = [lib for lib in libs if licenses.native_licence(lib) is None]
    assert not unknown, f"add these to packaging/licenses.py NATIVE: {unknown}"
    assert licenses.native_licence("av.libs/libx264-d6533a8d.so.165") == ("x264", "GPL-2.0-or-later")
    ffmpeg = licenses.native_licence("av.libs/libavcodec-5e6b81c2.so.62.28.102")
    assert ffmpeg is not None and ffmpeg[0] == "FFmpeg"


def test_native_stem() -> None:
    assert licenses.native_stem("libopenblasp-r0-59ffcd50.3.15.so") == "libopenblasp-r0"
    assert licenses.native_stem("libgfortran-040039e1-0352e75f.so.5.0.0") == "libgfortran"
    assert licenses.native_stem("libavcodec.62.dylib") == "libavcodec"
    assert licenses.native_stem("libscipy_openblas64_-32a4b2a6.so") == "libscipy_openblas64_"
    assert licenses.native_stem("avcodec-62-5e6b81c2.dll") == "libavcodec"  # a Windows wheel


def test_render_lists_every_component() -> None:
    comps = [
        licenses.Component("x264", "from av 1", "GPL-2.0-or-later", "native", ["av.libs/libx264.so"]),
        licenses.Component("numpy", "2.0", "BSD-3-Clause", "python", [], [("LICENSE.txt", "the text")]),
    ]
    text = licenses.render(comps)
    assert "GPL-3.0-or-later" in text and "x264" in text and "the text" in text
