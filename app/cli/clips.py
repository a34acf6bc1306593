"""``ripple devices`` and ``ripple clip …``: device checks, test recordings, phone clips."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import add_json_flag, open_store, print_json
from app.errors import RippleError
from app.text import minute


def cmd_devices(args: argparse.Namespace) -> int:
    from media.devices import describe_devices

    print(describe_devices())
    return 0


def cmd_clip_record(args: argparse.Namespace) -> int:
    """A device test: records to a file, touches no store, prints what a technician needs."""
    from media.devices import record_test

    if args.seconds <= 0 or args.seconds > 600:
        raise RippleError("--seconds must be between 0 and 600.")
    width, height = (1920, 1080) if args.height == 1080 else (1280, 720)
    result = record_test(args.camera, args.seconds, Path(args.out), width=width, height=height,
                         fps=args.fps, audio=args.audio)
    offset = (
        f"{result.av_offset_start_ms:+.0f} ms at start, {result.av_offset_end_ms:+.0f} ms at end"
        if result.av_offset_start_ms is not None and result.av_offset_end_ms is not None
        else "n/a (no audio)"
    )
    print(f"Wrote {result.path} ({result.seconds:.1f} s{', with sound' if result.has_audio else ', no sound'}).")
    print(f"frames captured: {result.frames_captured}")
    print(f"frames dropped:  {result.frames_dropped} ({result.dropped_percent:.2f} %)")
    print(f"audio/video offset: {offset}")
    if result.warning:
        print(result.warning, file=sys.stderr)
    if result.error:
        print(f"ripple: {result.error}", file=sys.stderr)
        return 1
    return 0


def cmd_clip_import(args: argparse.Namespace) -> int:
    from app.clips.library import clip_files, import_clip
    from app.planning.ids import resolve_participant, resolve_workshop

    store = open_store(args)
    wid = resolve_workshop(store, args.workshop)
    pid = resolve_participant(store, args.participant)
    item = None
    if args.item:
        from app.planning.workshops import load_plan

        plan = load_plan(store, wid)
        matches = [a.id for a in plan.agenda if str(a.id).startswith(args.item.lower())]
        if len(matches) != 1:
            raise RippleError(f"“{args.item}” does not name one agenda item of this workshop.")
        item = matches[0]
    from app import settings

    view = import_clip(store, clip_files(), Path(args.video), wid, pid, agenda_item_id=item, scope=args.scope,
                       max_seconds=settings.load().max_clip_seconds)
    print(f"Imported a {view.seconds:.1f} s clip of {view.owner} ({view.width}×{view.height}"
          f"{', no sound' if not view.has_audio else ''}), id {view.id}.")
    return 0


def cmd_clip_list(args: argparse.Namespace) -> int:
    from app.clips.catalogue import list_clips
    from app.planning.ids import resolve_workshop

    store = open_store(args, create=False)
    wid = resolve_workshop(store, args.workshop) if args.workshop else None
    rows = list_clips(store, wid, include_hidden=args.all)
    if args.json:
        print_json([{"id": c.id, "workshop": c.workshop_id, "agenda_item": c.agenda_item_id,
                     "participant": c.participant_id, "owner": c.owner, "at": c.at, "seconds": c.seconds,
                     "scope": c.scope, "sha256": c.sha256, "width": c.width, "height": c.height,
                     "has_audio": c.has_audio, "title": c.title, "reactions": c.reactions,
                     "hidden": c.hidden, "hidden_reason": c.hidden_reason} for c in rows])
        return 0
    if not rows:
        print("No clips.")
    for c in rows:
        reactions = sum(c.reactions.values())
        flag = f"  [hidden: {c.hidden_reason}]" if c.hidden else ""
        print(f"{str(c.id)[:8]}  {minute(c.at.astimezone())}  {c.seconds:5.1f} s  {c.scope:<9}  "
              f"{reactions:>2} reactions  {c.owner}{flag}")
    return 0


def register(sub: Any) -> None:
    dev = sub.add_parser("devices", help="cameras and microphones found, with their modes")
    dev.set_defaults(handler=cmd_devices)

    clip = sub.add_parser("clip", help="record a device test, import a phone clip, list clips")
    cs = clip.add_subparsers(title="clip commands", metavar="ACTION", required=True)
    rec = cs.add_parser("record", help="record a test file (touches no store)")
    rec.add_argument("--camera", default="0", help="camera number, 'synthetic', or a video file")
    rec.add_argument("--seconds", type=float, default=5.0)
    rec.add_argument("--out", required=True, help="FILE.mp4")
    rec.add_argument("--height", type=int, choices=(720, 1080), default=720)
    rec.add_argument("--fps", type=float, default=30.0)
    rec.add_argument("--audio", choices=("default", "synthetic", "none"), default="default")
    rec.set_defaults(handler=cmd_clip_record)
    imp = cs.add_parser("import", help="bring in a phone clip (transcoded to H.264/AAC MP4, upright)")
    imp.add_argument("video")
    imp.add_argument("--workshop", required=True)
    imp.add_argument("--participant", required=True)
    imp.add_argument("--item", default="", help="agenda item id (prefix)")
    imp.add_argument("--scope", choices=("room", "community"), default="room")
    imp.set_defaults(handler=cmd_clip_import)
    lst = cs.add_parser("list", help="clips in the store")
    lst.add_argument("--workshop", default="")
    lst.add_argument("--all", action="store_true", help="include clips hidden by withdrawn consent")
    add_json_flag(lst)
    lst.set_defaults(handler=cmd_clip_list)
