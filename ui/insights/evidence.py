"""The evidence panel: the numbers and the records behind one person's rank, and beside
them (small, never part of the index) the person's role-play record."""

from __future__ import annotations

import html
import uuid
from datetime import datetime

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.context import Ripple
from app.influence.engine import COMPONENTS
from app.influence.workshop import Profile
from app.insights.workshop import Evidence, Person
from app.roleplay.record import RolePlayRecord, roleplay_record
from app.text import plural
from app.vocabulary import CHANNEL_LABELS, KIND_SHORT
from ui.kit import theme
from ui.tasks import run_task


def _fmt_when(d: datetime) -> str:
    return d.strftime("%a %d %b, %H:%M")


class EvidencePanel(QTextBrowser):
    """The numbers and the records behind one person's rank."""

    def __init__(self, parent: QWidget | None = None, *, ctx: Ripple | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.person: uuid.UUID | None = None
        self.ctx = ctx  # given: the person's role-play record is read and added below
        self.roleplay: RolePlayRecord | None = None
        self._html = ""
        self.show_hint("Click a name to see the evidence behind it.")

    def show_hint(self, text: str) -> None:
        self.person = None
        p = theme.current()
        self.setHtml(f"<p style='color:{p.muted}'>{html.escape(text)}</p>")

    def show_evidence(self, ev: Evidence, *, status: str = "", reasons: tuple[str, ...] = (),
                      headline: str = "") -> None:
        self.person = ev.person.id
        p = theme.current()
        prof = ev.profile
        e = html.escape
        parts = [f"<h2 style='margin:0'>{e(ev.person.label)}</h2>"]
        sub = " · ".join(x for x in (status, headline) if x)
        if sub:
            parts.append(f"<div style='color:{p.accent};font-weight:600'>{e(sub)}</div>")
        parts.append(f"<p>{e(ev.summary)}.</p>")
        if reasons:
            lines = "<br>".join("• " + e(r) for r in reasons)
            parts.append(f"<p style='color:{p.muted}'>{lines}</p>")
        parts.append(self._points(prof))
        if ev.shares:
            parts.append(f"<h3>Shares that set others off ({len(ev.shares)})</h3><ul>")
            for s in ev.shares:
                who = []
                if s.explicit:
                    who.append("built on by " + e(_names(s.explicit)))
                if s.inferred:
                    who.append("followed by " + e(_names(s.inferred)))
                if s.second_order:
                    who.append(f"+{s.second_order} further")
                mark = "●" if s.spontaneous else "○"
                line = (f"<li><b>{e(_fmt_when(s.at))}</b> · {e(s.item or s.workshop)} · {mark} "
                        f"{e(KIND_SHORT.get(s.kind, s.kind))}"
                        + (f" — {'; '.join(who)}" if who else "")
                        + (f" · {plural(s.reactions, 'reaction')}" if s.reactions else "")
                        + (f"<br><i style='color:{p.muted}'>{e(s.note)}</i>" if s.note else "") + "</li>")
                parts.append(line)
            parts.append("</ul>")
        if ev.failures:
            parts.append(f"<h3>Failure stories ({len(ev.failures)})</h3><ul>")
            for s in ev.failures:
                mark = "spontaneous" if s.spontaneous else "prompted"
                parts.append(f"<li>{e(_fmt_when(s.at))} · {e(s.item or s.workshop)} · {mark}</li>")
            parts.append("</ul>")
        if ev.clips:
            parts.append(f"<h3>Clips ({len(ev.clips)})</h3><ul>")
            for c in ev.clips:
                scope = "shared beyond the room" if c.scope == "community" else "room only"
                parts.append(f"<li>{e(_fmt_when(c.at))} · {e(c.title or c.workshop)} · {c.seconds:.0f} s · "
                             f"{scope} · {plural(c.reactions, 'reaction')}</li>")
            parts.append("</ul>")
        if ev.set_off:
            parts.append("<h3>Who they set off</h3><p>"
                         + e(", ".join(f"{x.label} ×{n}" if n > 1 else x.label for x, n in ev.set_off)) + "</p>")
        self._html = "".join(parts)
        self.roleplay = None
        self.setHtml(self._html)
        if self.ctx is not None:
            pid = ev.person.id
            run_task(self, roleplay_record, self.ctx.store, pid, key="roleplay",
                     on_success=lambda rec: self._add_roleplay(pid, rec))

    def _add_roleplay(self, pid: uuid.UUID, record: RolePlayRecord | None) -> None:
        """The role-play record under the evidence (when the person has played)."""
        if pid != self.person or record is None or not record.rounds:
            return
        self.roleplay = record
        self.setHtml(self._html + roleplay_html(record))

    @staticmethod
    def _points(prof: Profile) -> str:
        p = theme.current()
        rows = [(k, v) for k, v in prof.components.items() if abs(v) > 1e-9]
        rows.sort(key=lambda kv: (-kv[1], COMPONENTS.index(kv[0]) if kv[0] in COMPONENTS else 99))
        if not rows:
            return ""
        cells = "".join(
            f"<tr><td style='padding-right:12px'>{html.escape(k)}</td>"
            f"<td align='right'><b>{v:.1f}</b></td></tr>" for k, v in rows
        )
        # (no colour of its own: the text's, which follows a live theme switch)
        return (f"<h3>Points</h3><table cellspacing='0'>{cells}"
                f"<tr><td style='color:{p.muted}'>total</td><td align='right'><b>{prof.score:.1f}</b></td></tr>"
                "</table>")


def roleplay_html(record: RolePlayRecord) -> str:
    """Rounds per role, verbal and non-verbal means, each criterion's mean over workshops."""
    p = theme.current()
    e = html.escape
    roles = ", ".join(f"{e(record.role_names.get(k, k))} ×{n}" for k, n in sorted(record.rounds_by_role.items()))
    channels = " · ".join(f"{CHANNEL_LABELS[ch].lower()} <b>{v:.1f}</b>" for ch, v in
                          (("non_verbal", record.non_verbal), ("verbal", record.verbal)) if v is not None)
    parts = [f"<h3>Role plays <span style='color:{p.muted};font-weight:normal'>(not part of the index)</span></h3>",
             f"<p>{record.rounds} round{'s' if record.rounds != 1 else ''}: {roles}"
             + (f"<br>{channels}" if channels else "") + "</p>"]
    rows = []
    for c in record.criteria:
        trend = " → ".join(f"{x.mean:.1f}" for x in c.points)
        mean = f"{c.mean:.1f}" if c.mean is not None else "–"
        rows.append(f"<tr><td style='padding-right:12px'>{e(c.label)}</td><td align='right'><b>{mean}</b></td>"
                    f"<td style='color:{p.muted};padding-left:10px'>{e(trend) if len(c.points) > 1 else ''}</td></tr>")
    if rows:
        parts.append(f"<table cellspacing='0' style='color:{p.text}'>" + "".join(rows) + "</table>")
    return "".join(parts)


def _names(people: tuple[Person, ...]) -> str:
    counts: dict[str, int] = {}
    for x in people:
        counts[x.label] = counts.get(x.label, 0) + 1
    return ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in counts.items())

