"""Erasure leaves nothing behind: every byte Ripple wrote — laptop stores and their write-ahead
logs, clip folders, pending takes, the log, the shared store (a SQLite file and its clip
folder, or a ``pg_dump`` of the PostgreSQL schema) — is searched for the erased name and
e-mail after an erasure, old and crafted portable files, and syncs in every order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.clips.library import ClipLibrary
from app.erasure import erase_participant
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.models import Clip, Contribution, Participant, Reaction
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers import REPO_ROOT
from tests.helpers.sync import add_clip_file, clips_root

NAME = "Rafael Costa"
EMAIL = "rafael.costa@example.org"
SECRETS = (NAME.encode(), EMAIL.encode(), NAME.encode().hex().encode(), EMAIL.encode().hex().encode())


def _library(root: Path) -> ClipLibrary:
    return ClipLibrary(root)


def _import(store: Store, lib: ClipLibrary, path: Path) -> str:
    return import_workshop(store, path, add_clip=lib.add_checked, remove_clip=lib.delete,
                           has_clip=lib.exists).summary()


def _hits(root: Path, skip: Path) -> list[str]:
    """Every file under ``root`` (but ``skip``) that holds the name or e-mail, any case."""
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or skip in path.parents:
            continue
        data = path.read_bytes().lower()
        for secret in SECRETS:
            if secret.lower() in data:
                found.append(f"{path.relative_to(root)}: {secret[:30]!r}")
    return found


def _pg_dump(url: str) -> bytes:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    schema = query["options"][0].split("=", 1)[1]
    plain = url.split("?")[0].replace("+psycopg", "")
    run = subprocess.run(["pg_dump", "--schema", schema, plain], capture_output=True, timeout=120, check=True)
    assert b"CREATE TABLE" in run.stdout and b"participants" in run.stdout
    return run.stdout


def _seed(a: Store, ra: Path, outside: Path) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, str, Path]:
    """Rafael with everything that can hold something about him; returns (workshop, Rafael,
    Ben, Rafael's clip file fingerprint, a .ripple exported before the erasure)."""
    wid = create_workshop(a, "Failure circle")
    add_agenda_item(a, wid, "challenge", "Stories")
    raf = add_participant(a, wid, NAME, email=EMAIL, team="North")
    ben = add_participant(a, wid, "Ben Ode", email="ben@example.org")
    set_consent(a, raf, video=True, analytics=True, by="Marta")
    live = LiveWorkshop(a, wid)
    live.next()
    first = live.log(raf, "spontaneous", note=f"{NAME} told the story of the lost client")
    live.log(ben, "spontaneous", note=f"Built on {NAME}'s story; write to {EMAIL}", builds_on=first.id)
    sha = add_clip_file(ra, b"\x00\x00\x00\x18ftypmp42" + f"video of {NAME}".encode() + os.urandom(30_000))
    with a.write() as s:
        clip = Clip(workshop_id=wid, participant_id=raf, at=datetime.now(UTC), seconds=30.0, sha256=sha,
                    title=f"{NAME} - my failure story", thumbnail=f"PNG {NAME}".encode(),
                    extra={"caption": f"CAPTION-{NAME}"})
        s.add(clip)
        s.flush()
        s.add(Reaction(workshop_id=wid, at=datetime.now(UTC), participant_id=ben, clip_id=clip.id, kind="helpful"))
        row = s.get(Contribution, first.id)
        assert row is not None
        row.extra = {"said": f"EXTRA-{NAME}"}
        p = s.get(Participant, raf)
        assert p is not None
        p.extra = {"nickname": f"EXTRA-{NAME}"}
    # A booth take a crash left behind.
    incoming = ra / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    (incoming / "take.mp4").write_bytes(f"take of {NAME}".encode() * 100)
    (incoming / "take.json").write_text(json.dumps({"workshop": str(wid), "participant": str(raf),
                                                    "agenda_item": None, "started_at": "2026-12-03T10:00:00+00:00"}))
    pre = outside / "before-erasure.ripple"
    export_workshop(a, wid, pre, clip_path=_library(ra).path_if_present)
    return wid, raf, ben, sha, pre


def _crafted(pre: Path, ben: uuid.UUID, outside: Path) -> Path:
    """The old file, with Rafael's clip claimed by Ben under a new id (and a new workshop)."""
    with zipfile.ZipFile(pre) as zf:
        doc = json.loads(zf.read("workshop.json"))
        files = {n: zf.read(n) for n in zf.namelist() if n.startswith("clips/")}
    doc["workshop"]["id"] = str(uuid.uuid4())
    doc["workshop"]["title"] = "Another one"
    for section in ("agenda", "contributions", "reactions"):
        doc[section] = []
    doc["participants"] = [p for p in doc["participants"] if p["id"] == str(ben)]
    for clip in doc["clips"]:
        clip["id"], clip["participant"], clip["agenda_item"] = str(uuid.uuid4()), str(ben), None
        clip["title"] = "Ben's"
    out = outside / "crafted.ripple"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("workshop.json", json.dumps(doc))
        for name, data in files.items():
            zf.writestr(name, data)
    return out


def _failed_import_logged(tmp_path: Path, home: Path, outside: Path) -> None:
    """A failed import names the person on the screen, never in the log."""
    bad = outside / "bad.json"
    bad.write_text(json.dumps({
        "format": "ripple-workshop", "version": 1,
        "workshop": {"id": str(uuid.uuid4()), "title": "W", "started_at": "2026-11-22T09:00:00+01:00"},
        "participants": [{"id": str(uuid.uuid4()), "name": NAME, "email": f"{NAME} <{EMAIL}>"}],
        "agenda": [], "contributions": [{"id": "x", "participant": NAME}], "clips": [], "reactions": [],
    }))
    env = {**os.environ, "RIPPLE_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run([sys.executable, "-m", "app.cli", "--db", f"sqlite:///{tmp_path / 'c.db'}",
                          "workshop", "import", str(bad)], capture_output=True, text=True, env=env,
                         cwd=REPO_ROOT, timeout=60)
    assert run.returncode == 1 and run.stderr.startswith("ripple: ")
    logs = list(home.rglob("ripple.log"))
    assert logs and "refused" in logs[0].read_text(encoding="utf-8")


def test_nothing_of_an_erased_person_is_left_anywhere(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path, ripple_home: Path
) -> None:
    outside = tmp_path / "outside"  # the person's own files: old exports, the crafted file
    outside.mkdir()
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    la, lb = _library(ra), _library(rb)
    remote = open_remote(remote_url)
    _wid, raf, ben, sha, pre = _seed(a, ra, outside)
    _failed_import_logged(tmp_path, ripple_home, outside)
    for store, root in ((a, ra), (b, rb)):
        sync(store, remote, clips_root=root)
    assert lb.exists(sha)
    before = _hits(tmp_path, skip=outside)
    # The search finds him before: in both laptops' stores, both clip folders, the take.
    assert {h.split("/")[0].split(":")[0] for h in before} >= {"a-clips", "b-clips"}, before
    if remote_url.startswith("postgresql"):
        assert NAME.encode().lower() in _pg_dump(remote_url).lower()

    result = erase_participant(a, raf, la)
    assert result.files_deleted == 1 and result.takes_discarded == 1 and result.mentions_removed >= 1
    for store, root in ((a, ra), (b, rb), (a, ra)):
        sync(store, remote, clips_root=root)

    # An old file re-imported brings back neither the file, nor the title, nor the note.
    for store, lib in ((a, la), (b, lb)):
        _import(store, lib, pre)
        assert not lib.exists(sha)
    # A crafted file claiming his clip for Ben does not keep the file alive.
    crafted = _crafted(pre, ben, outside)
    _import(b, lb, crafted)
    assert not lb.exists(sha)
    for store, root in ((b, rb), (a, ra), (b, rb)):
        sync(store, remote, clips_root=root)
    for store in (a, b, remote):
        with store.read() as s:
            assert not list(s.scalars(select(Clip).where(Clip.sha256 == sha)))  # none live
    for lib in (la, lb):
        assert not lib.exists(sha)

    if remote_url.startswith("postgresql"):
        # The sync that brought the erasure vacuumed the shared store's tables.
        with remote.engine.connect() as conn:
            vacuumed = conn.exec_driver_sql(
                "SELECT last_vacuum FROM pg_stat_user_tables WHERE schemaname = current_schema() "
                "AND relname = 'participants'").scalar()
        assert vacuumed is not None
    for store in (a, b, remote):
        store.close()  # every byte on disk, nothing in a cache
    leftovers = _hits(tmp_path, skip=outside)
    assert not leftovers, leftovers
    if remote_url.startswith("postgresql"):
        dump = _pg_dump(remote_url).lower()
        assert not [s for s in SECRETS if s.lower() in dump]
        assert b"ben@example.org" in dump  # the dump holds the rest


def test_rostering_an_erased_email_again_makes_a_new_person_without_consent(
    laptops: Callable[..., Store], tmp_path: Path
) -> None:
    from app.planning.ids import person_id_for_email

    a, b = laptops("a"), laptops("b")
    shared = tmp_path / "share"
    shared.mkdir()
    remote = open_remote(f"sqlite:///{shared / 'r.db'}")
    wid = create_workshop(a, "W")
    raf = add_participant(a, wid, NAME, email=EMAIL)
    set_consent(a, raf, video=True, analytics=True, by="Marta")
    live = LiveWorkshop(a, wid)
    live.next()
    share = live.log(raf)
    sync(a, remote)
    sync(b, remote)
    erase_participant(a, raf)
    again = add_participant(a, wid, NAME, email=EMAIL)
    sync(a, remote)
    # Laptop B, which had the old key, rosters him after its next sync...
    sync(b, remote)
    on_b = add_participant(b, wid, NAME, email=EMAIL)
    assert on_b == again  # (B found him by e-mail: the same new person)
    for store in (a, b):  # his anonymous share stayed, on an id nothing derives
        with store.read() as s:
            anonymous = s.get(Contribution, share.id)
            assert anonymous is not None and anonymous.participant_id not in (raf, again)
            ghost = s.get(Participant, anonymous.participant_id)
            assert ghost is not None and ghost.erased_at is not None
    for store, pid in ((a, again), (b, on_b)):
        assert pid != raf
        with store.write() as s:
            p = s.get(Participant, pid)
            assert p is not None and p.erased_at is None
            assert not (p.consent_video or p.consent_analytics or p.consent_community)
            old = s.get(Participant, raf, execution_options={"include_deleted": True})
            assert old is not None and old.erased_at is not None and old.email is None
            # The id the e-mail gives is an empty tombstone: what stays of him is elsewhere.
            assert person_id_for_email(EMAIL) == raf
            assert not list(s.scalars(select(Contribution).where(Contribution.participant_id == raf)
                                      .execution_options(include_deleted=True)))
    remote.close()
