"""Build Ripple's one-folder bundle for this machine: ``packaging/build`` runs this.

Steps: write the generated inputs (Ripple's package metadata with its entry points, the
version and commit), run PyInstaller on ``packaging/ripple.spec`` into ``dist/ripple/``, write
``THIRD_PARTY_LICENSES`` from what was actually bundled, pack the archive (Linux:
``dist/Ripple-VERSION-linux-x86_64.tar.gz`` with the folder, a ``.desktop`` file, the icon and
an installer for the menu entry), print the sizes and fail when they are over the budget in
``packaging/budget.toml``.

Exit status: 0 built, 1 a step failed (one sentence says which), 3 over the size budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

import licenses  # noqa: E402  (packaging/ is not a package; its modules sit beside this one)
import sizes  # noqa: E402


class BuildError(Exception):
    """A build step failed; ``str()`` is the one sentence to print."""


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


def git_commit() -> str:
    """The commit the bundle is built from, with ``-dirty`` when the work tree has changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def platform_tag() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def write_meta(meta: Path, proj: dict, commit: str) -> None:
    """Ripple's own ``.dist-info`` (the CLI finds the desktop app and the Qt self-test through
    its entry points) and ``build.json`` (``ripple --version`` prints the commit from it).

    Generated from ``pyproject.toml`` rather than copied from the environment, so a build does
    not depend on how (or whether) Ripple is installed in the builder's venv."""
    if meta.exists():
        shutil.rmtree(meta)
    info = meta / f"ripple-{proj['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.4\n"
        f"Name: {proj['name']}\nVersion: {proj['version']}\n"
        f"Summary: {proj.get('description', '')}\n"
        f"License-Expression: {proj.get('license', '')}\n",
        encoding="utf-8",
    )
    lines: list[str] = []
    groups = {"console_scripts": proj.get("scripts", {}), **proj.get("entry-points", {})}
    for group, entries in groups.items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {target}" for name, target in entries.items()]
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    (info / "top_level.txt").write_text("app\ndb\nmedia\nui\n", encoding="utf-8")
    (meta / "build.json").write_text(
        json.dumps({
            "version": proj["version"],
            "commit": commit,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": platform_tag(),
        }, indent=2) + "\n",
        encoding="utf-8",
    )


def run_pyinstaller(dist: Path, work: Path, meta: Path, version: str) -> None:
    env = dict(os.environ, RIPPLE_BUILD_META=str(meta), RIPPLE_VERSION=version)
    # The spec's collect_submodules() imports Ripple's packages in a helper process.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(PACKAGING / "ripple.spec"),
    ]
    print("build: running PyInstaller (a few minutes)", flush=True)
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {result.returncode}); its messages are above.")


def ensure_builder() -> None:
    """PyInstaller at the version packaging/requirements.txt pins, installed if it is not."""
    from importlib import metadata

    pins = {}
    for line in (PACKAGING / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    try:
        ok = all(metadata.version(name) == version for name, version in pins.items())
    except metadata.PackageNotFoundError:
        ok = False
    if ok:
        return
    print("build: installing the pinned builder (packaging/requirements.txt)", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-r", str(PACKAGING / "requirements.txt")],
    )
    if result.returncode != 0:
        raise BuildError("pip could not install the builder from packaging/requirements.txt; "
                         "its messages are above.")


def strip_debug_info(folder: Path) -> int:
    """Linux: drop the debug sections of the libraries that still carry them (here: libpython,
    ~17 MB of them). Only those: running strip over libraries that auditwheel or Qt's build
    rewrote with patchelf (the wheels' ``*.libs/``, Qt's FFmpeg) corrupts them ("ELF load
    command address/offset not page-aligned"), which the bundle's self-test caught."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0
    sys.path.insert(0, str(PACKAGING))
    import syslibs

    before = sizes.folder_size(folder)[0]
    # Not the executable itself either: PyInstaller appends its archive to it.
    for path in syslibs.bundle_elf_files(folder / "_internal"):
        if ".libs" in path.parent.name or ".debug_info" not in syslibs.section_names(path):
            continue
        subprocess.run(["strip", "--strip-debug", str(path)], check=False, stderr=subprocess.DEVNULL)
    return before - sizes.folder_size(folder)[0]


def python_prefixes() -> list[str]:
    import site

    return sorted({sys.prefix, sys.base_prefix, *site.getsitepackages()})


def bundle_dir(dist: Path) -> Path:
    return dist / "ripple"


def write_archive(dist: Path, version: str, tag: str) -> Path:
    """The archive a trainer downloads: one top folder with the bundle and its desktop bits."""
    folder = bundle_dir(dist)
    top = f"Ripple-{version}"
    if sys.platform == "win32":
        out = dist / f"Ripple-{version}-{tag}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(folder.rglob("*")):
                zf.write(path, f"{top}/ripple/{path.relative_to(folder)}")
        return out
    if sys.platform == "darwin" and (dist / "Ripple.app").is_dir() and shutil.which("ditto"):
        # The .app (what a Mac user drags to Applications); ditto keeps its symlinks and
        # extended attributes, which zip does not.
        out = dist / f"Ripple-{version}-{tag}.zip"
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(dist / "Ripple.app"), str(out)], check=True)
        return out
    out = dist / f"Ripple-{version}-{tag}.tar.gz"
    linux = PACKAGING / "linux"
    with tarfile.open(out, "w:gz", compresslevel=6) as tf:
        tf.add(folder, f"{top}/ripple")
        if sys.platform.startswith("linux"):
            tf.add(linux / "ripple.desktop", f"{top}/ripple.desktop")
            tf.add(PACKAGING / "icons" / "ripple.png", f"{top}/ripple.png")
            tf.add(linux / "install.sh", f"{top}/install.sh")
            tf.add(linux / "README.txt", f"{top}/README.txt")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--no-archive", action="store_true", help="stop after dist/ripple/ (no archive, no budget)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    proj = project()
    version, commit, tag = proj["version"], git_commit(), platform_tag()
    print(f"build: Ripple {version} (commit {commit}) for {tag}", flush=True)
    try:
        ensure_builder()
        meta = (args.work / "ripple-meta").resolve()
        write_meta(meta, proj, commit)
        run_pyinstaller(args.dist, args.work / "pyinstaller", meta, version)
        folder = bundle_dir(args.dist)
        saved = strip_debug_info(folder)
        if saved:
            print(f"build: stripped {saved / sizes.MB:.0f} MB of debug information", flush=True)
        shutil.copy2(ROOT / "LICENSE", folder / "LICENSE")
        toc = args.work / "pyinstaller" / "ripple" / "COLLECT-00.toc"
        sources = licenses.system_sources(toc, python_prefixes()) if toc.is_file() else {}
        report = licenses.collect(folder, sources)
        (folder / "THIRD_PARTY_LICENSES").write_text(licenses.render(report), encoding="utf-8")
        print(f"build: THIRD_PARTY_LICENSES lists {len(report)} components", flush=True)
        if args.no_archive:
            return 0
        archive = write_archive(args.dist, version, tag)
    except (BuildError, licenses.LicenseError) as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    measured = sizes.measure(folder, archive)
    budget = sizes.load_budget(PACKAGING / "budget.toml", tag)
    print(f"build: {archive.relative_to(args.dist.parent) if archive.is_relative_to(args.dist.parent) else archive}")
    print(sizes.report(measured, budget))
    print(f"build: done in {time.monotonic() - started:.0f} s", flush=True)
    over = sizes.over_budget(measured, budget)
    if over:
        print(f"build: over the size budget in packaging/budget.toml: {over}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
