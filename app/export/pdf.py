"""The L&D PDF report: a few pages an L&D manager can forward as they are.

Written with reportlab only (no Qt), so the headless CLI on a server makes the same file as
the desktop app. Page one answers "who, and how sure are we" (a chart and the ranked table);
then each candidate's evidence, the team numbers (small teams suppressed) and how to read it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.brand import LIGHT
from app.export.document import PDF_DETAILED, CandidateRow, EvidenceRow, ExportDocument
from app.text import noun, plural

# Paper is light: the light palette, as on screen.
TEAL = colors.HexColor(LIGHT.accent)
AMBER = colors.HexColor(LIGHT.prompted)
INK = colors.HexColor(LIGHT.text)
MUTED = colors.HexColor(LIGHT.muted)
LINE = colors.HexColor(LIGHT.border)
SOFT = colors.HexColor(LIGHT.surface2)
ESTABLISHED = colors.HexColor("#7F95A8")
MARGIN = 16 * mm

_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/segoeui.ttf", "C:/Windows/Fonts/segoeuib.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
)


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """A regular and a bold font that cover accented names (a system TTF when there is one,
    else the Vera font reportlab ships)."""
    import reportlab

    for regular, bold in _FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            try:
                pdfmetrics.registerFont(TTFont("RippleSans", regular))
                pdfmetrics.registerFont(TTFont("RippleSans-Bold", bold))
                return "RippleSans", "RippleSans-Bold"
            except Exception:  # a damaged font file: try the next one
                continue
    base = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("RippleSans", str(base / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("RippleSans-Bold", str(base / "VeraBd.ttf")))
    return "RippleSans", "RippleSans-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=22, leading=26, textColor=TEAL, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=9.5, leading=13, textColor=MUTED),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13, leading=17, textColor=INK, spaceBefore=10,
                             spaceAfter=5),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=11, leading=14, textColor=INK, spaceBefore=8,
                             spaceAfter=2),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK,
                               alignment=TA_LEFT),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.2, leading=10, textColor=INK),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=8.2, leading=10, textColor=INK),
    }


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _emerging(status: str) -> bool:
    return status.startswith("emerging")


def _bar_chart(rows: list[CandidateRow], width: float) -> Drawing:
    """Influence index of the top candidates, emerging ones in teal; a line at 1.0 (typical)."""
    regular, bold = fonts()
    shown = rows[:12]
    height = 40 + 17 * max(1, len(shown))
    d = Drawing(width, height)
    if not shown:
        d.add(String(0, height / 2, "No candidates in this period.", fontName=regular, fontSize=9, fillColor=MUTED))
        return d
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 30
    chart.width, chart.height = width - 150, height - 40
    ordered = list(reversed(shown))
    chart.data = [[r.index for r in ordered]]
    chart.categoryAxis.categoryNames = [r.participant[:22] for r in ordered]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = LINE
    top = max(r.index for r in shown)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(2.0, round(top * 1.15 + 0.5))
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.strokeColor = LINE
    chart.valueAxis.gridStrokeColor = SOFT
    chart.valueAxis.visibleGrid = True
    chart.bars.strokeColor = None
    chart.barWidth = 9
    chart.bars[0].fillColor = TEAL
    for i, r in enumerate(ordered):
        chart.bars[(0, i)].fillColor = TEAL if _emerging(r.status) else ESTABLISHED
    chart.barLabels.fontName = bold
    chart.barLabels.fontSize = 7.5
    chart.barLabelFormat = "%.2f"
    chart.barLabels.nudge = 12
    d.add(chart)
    span = chart.valueAxis.valueMax - chart.valueAxis.valueMin
    x1 = chart.x + chart.width * (1.0 - chart.valueAxis.valueMin) / span
    d.add(Line(x1, chart.y, x1, chart.y + chart.height, strokeColor=AMBER, strokeDashArray=[2, 2], strokeWidth=0.8))
    d.add(String(x1 + 2, chart.y + chart.height + 2, "typical participant = 1.0", fontName=regular, fontSize=7,
                 fillColor=AMBER))
    d.add(String(chart.x, 4, "Influence index over the period", fontName=regular, fontSize=7.5, fillColor=MUTED))
    for i, (label, colour) in enumerate((("emerging", TEAL), ("established", ESTABLISHED))):
        x = chart.x + 130 + i * 70
        d.add(Rect(x, 3.5, 7, 7, fillColor=colour, strokeColor=None))
        d.add(String(x + 10, 4, label, fontName=regular, fontSize=7.5, fillColor=MUTED))
    return d


def _trend_chart(row: CandidateRow, width: float = 62 * mm, height: float = 30 * mm) -> Drawing:
    regular, _bold = fonts()
    d = Drawing(width, height)
    points = [(i + 1, v) for i, (_day, v) in enumerate(row.series)]
    if len(points) < 2:
        d.add(String(4, height / 2, f"one workshop: index {row.index:.2f}", fontName=regular, fontSize=8,
                     fillColor=MUTED))
        return d
    plot = LinePlot()
    plot.x, plot.y = 22, 22
    plot.width, plot.height = width - 30, height - 28
    plot.data = [points, [(1, 1.0), (len(points), 1.0)]]
    plot.lines[0].strokeColor = TEAL
    plot.lines[0].strokeWidth = 1.6
    plot.lines[1].strokeColor = AMBER
    plot.lines[1].strokeDashArray = [2, 2]
    plot.lines[1].strokeWidth = 0.7
    plot.xValueAxis.valueMin = 1
    plot.xValueAxis.valueMax = len(points)
    plot.xValueAxis.valueSteps = list(range(1, len(points) + 1)) if len(points) <= 8 else None
    plot.xValueAxis.labels.fontName = regular
    plot.xValueAxis.labels.fontSize = 6.5
    plot.xValueAxis.strokeColor = LINE
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = max(2.0, max(v for _x, v in points) * 1.1)
    plot.yValueAxis.labels.fontName = regular
    plot.yValueAxis.labels.fontSize = 6.5
    plot.yValueAxis.strokeColor = LINE
    d.add(plot)
    d.add(String(plot.x, 2, "index per workshop (dashed: typical)", fontName=regular, fontSize=6.5, fillColor=MUTED))
    return d


def _table(data: list[list[Any]], widths: list[float], *, header: bool = True, zebra: bool = True) -> Table:
    regular, bold = fonts()
    t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 8.2),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
    ]
    if header:
        style += [
            ("FONTNAME", (0, 0), (-1, 0), bold),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, TEAL),
        ]
    if zebra:
        for i in range(1 if header else 0, len(data)):
            if i % 2 == 0:
                style.append(("BACKGROUND", (0, i), (-1, i), SOFT))
    t.setStyle(TableStyle(style))
    return t


def _evidence_lines(rows: list[EvidenceRow], limit: int = 3) -> list[str]:
    out = []
    for e in [r for r in rows if r.what != "commitment"][:limit]:
        if e.what == "clip":
            out.append(f"Clip in {_esc(e.workshop)} ({e.when}), {e.clip_seconds or 0:.0f} s, "
                       f"{plural(e.reactions, 'reaction')}")
            continue
        who = []
        if e.built_on_by:
            who.append(f"built on by {_esc(e.built_on_by)}")
        if e.set_off_inferred:
            who.append(f"followed by {_esc(e.set_off_inferred)}")
        if e.second_order:
            who.append(f"+{e.second_order} further")
        what = "failure story" if e.what == "failure story" else e.kind
        line = f"{_esc(e.when)} · {_esc(e.workshop)} · {_esc(e.agenda_item)}: {what}, {e.initiative}"
        if who:
            line += " — " + "; ".join(who)
        out.append(line)
    return out


def write_pdf(doc: ExportDocument, path: Path) -> None:
    """Render the document to ``path`` (A4): the answer and the ranked table first, then each
    candidate's evidence, the team numbers and how to read it all."""
    st = _styles()
    width = A4[0] - 2 * MARGIN
    story: list[Any] = [*_opening(doc, st, width), *_candidates(doc, st, width)]
    if doc.candidates:
        story += _evidence_pages(doc, st, width)
    story += _teams(doc, st, width)
    story += _how_to_read(doc, st)
    pdf = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=16 * mm,
        title=doc.title, author="Ripple", subject=f"Influencer candidates, {doc.period}",
    )
    pdf.build(story, onFirstPage=_footer, onLaterPages=_footer)


def _opening(doc: ExportDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """Title, what was analysed, and the chart: "who, and how sure are we" at a glance."""
    sub = f"{_esc(doc.period)} · {_esc(doc.team)} · generated {doc.generated_at.astimezone():%d %b %Y %H:%M}"
    if doc.pseudonymized:
        sub += " · pseudonymized"
    emerging = sum(1 for r in doc.candidates if _emerging(r.status))
    return [
        Paragraph(_esc(doc.title), st["title"]),
        Paragraph(sub, st["subtitle"]),
        Spacer(1, 6),
        Paragraph(
            f"From <b>{doc.workshops}</b> workshops and <b>{doc.contributions}</b> logged contributions, "
            f"<b>{doc.analysed}</b> participants who consented to analytics were analysed. "
            f"<b>{len(doc.candidates)}</b> are influencer "
            f"candidates, <b>{emerging}</b> of them emerging. A candidate's shares repeatedly set others off "
            "(ripples), they speak up without being called on, and the evidence does not rest on a single "
            "lucky moment.",
            st["body"],
        ),
        Spacer(1, 8),
        _bar_chart(doc.candidates, width),
        Spacer(1, 6),
    ]


def _candidates(doc: ExportDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    head = ["#", "Participant", "Team", "Status", "Index", "Trend", "Spont./pr.", "Set off", "Built on"]
    data: list[list[Any]] = [head]
    for r in doc.candidates:
        data.append([
            r.rank, Paragraph(_esc(r.participant), st["cellb"]), Paragraph(_esc(r.team), st["cell"]),
            Paragraph(_esc(r.status), st["cell"]), f"{r.index:.2f}", f"{r.trend:+.2f}",
            f"{r.spontaneous} / {r.prompted}", f"{r.people_set_off} (+{r.second_order})", r.explicit_ripples,
        ])
    if len(data) == 1:
        data.append(["", Paragraph("No one met the candidate rules in this period.", st["cell"]), "", "", "", "",
                     "", "", ""])
    return [
        Paragraph("Candidates", st["h2"]),
        _table(data, [7 * mm, 33 * mm, 22 * mm, 29 * mm, 12 * mm, 13 * mm, 20 * mm, 18 * mm, width - 154 * mm]),
        Spacer(1, 4),
        Paragraph(
            "Index: influence over the period relative to the typical participant of the same workshops (1.0). "
            "Trend: change of the index per workshop. Spont./pr.: spontaneous and prompted shares. "
            "Set off: distinct people who shared after them "
            "(in brackets: reached through their ripples). Built on: contributions that explicitly built on theirs.",
            st["small"],
        ),
    ]


def _evidence_pages(doc: ExportDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """One block per detailed candidate: their facts, why, their strongest evidence, their trend."""
    out: list[Any] = [PageBreak(), Paragraph("The evidence behind each name", st["h2"])]
    by_person: dict[str, list[EvidenceRow]] = {}
    for e in doc.evidence:
        by_person.setdefault(e.participant, []).append(e)
    for r in doc.candidates[:PDF_DETAILED]:
        facts = (
            f"<b>{r.spontaneous}</b> spontaneous and <b>{r.prompted}</b> prompted shares in "
            f"<b>{r.workshops}</b> {noun(r.workshops, 'workshop')} ({r.first_workshop} – {r.last_workshop}); "
            f"<b>{r.rippling_shares}</b> shares set off <b>{r.people_set_off}</b> people "
            f"({r.explicit_ripples} built on explicitly), <b>{r.second_order}</b> more through their ripples; "
            f"{plural(r.first_moves, 'first move')}, {plural(r.failure_stories, 'failure story', 'failure stories')}, "
            f"{plural(r.clips, 'clip')}, {plural(r.reactions, 'peer reaction')}."
        )
        left = [
            Paragraph(f"{r.rank}. {_esc(r.participant)} <font color='#5B6573'>— {_esc(r.status)}</font>",
                      st["h3"]),
            Paragraph(facts, st["body"]),
            Spacer(1, 2),
            Paragraph("Why: " + _esc(r.reasons), st["small"]),
        ]
        if r.commitment:
            rating = f", last rating {r.last_rating}/10" if r.last_rating is not None else ""
            left.append(Paragraph(f"Commitment: {_esc(r.commitment)} ({plural(r.check_ins, 'check-in')}{rating})",
                                  st["small"]))
        for line in _evidence_lines(by_person.get(r.participant, [])):
            left.append(Paragraph("• " + line, st["small"]))
        block = Table([[left, _trend_chart(r)]], colWidths=[width - 66 * mm, 66 * mm])
        block.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        out.append(KeepTogether([block]))
    return out


def _teams(doc: ExportDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    tdata: list[list[Any]] = [["Team", "People", "Candidates", "Mean index", "Spontaneity", "Contributions"]]
    for t in doc.teams:
        if t.suppressed:
            tdata.append([t.team, "fewer than 5 — suppressed", "", "", "", ""])
        else:
            tdata.append([t.team, t.people, t.candidates, f"{t.mean_index:.2f}", f"{t.spontaneity:.0%}",
                          t.contributions])
    if len(tdata) == 1:
        tdata.append(["—", "", "", "", "", ""])
    return [
        CondPageBreak(60 * mm),
        Paragraph("Teams", st["h2"]),
        _table(tdata, [46 * mm, 40 * mm, 22 * mm, 22 * mm, 22 * mm, width - 152 * mm]),
    ]


def _how_to_read(doc: ExportDocument, st: dict[str, ParagraphStyle]) -> list[Any]:
    """The method in four paragraphs, with this export's numbers (a flat list of texts)."""
    r_ = doc.rules
    w = doc.weights
    out: list[Any] = [Paragraph("How to read this report", st["h2"])]
    for text in (
        f"<b>Ripple.</b> A contribution B is a ripple of A when B explicitly builds on A (logged by the trainer), "
        f"or when B comes from another participant of the same agenda item and group within "
        f"{doc.window_s:g} seconds after a spontaneous A (inferred; when several shares could have set B off, "
        "they share the credit). A ripple of a ripple is second-order reach.",
        f"<b>Points.</b> Explicit ripple {w.explicit_ripple:g}, inferred ripple {w.inferred_ripple:g} (shared), "
        f"person set off {w.reach_explicit:g} (explicitly) or {w.reach_inferred:g} (inferred only), second-order "
        f"person {w.second_order_reach:g}, first move {w.first_mover:g}, spontaneous share {w.spontaneous:g}, "
        f"prompted share {w.prompted:g}, spontaneity {w.spontaneity:g} × rate, unprompted failure story "
        f"{w.failure:g}, clip {w.clip:g}, reaction {w.reaction:g}, network centrality above average "
        f"{w.centrality:g}.",
        f"<b>Candidate.</b> At least {r_.min_spontaneous} spontaneous shares and ripples from at least "
        f"{r_.min_rippling_shares} different shares; an index of at least {r_.strong_index:g}; at least "
        f"{r_.min_spontaneity:.0%} of shares unprompted; and, unless new, still above typical without their "
        "single best workshop.",
        f"<b>Emerging.</b> A candidate who is rising (index up by at least {r_.rising_slope:g} per workshop over "
        f"at least {r_.min_trend_workshops} workshops) or new (at most {r_.new_max_workshops} workshops, joined "
        "after their team started).",
    ):
        out.append(Paragraph(text, st["body"]))
        out.append(Spacer(1, 3))
    for note in doc.notes:
        out.append(Paragraph(_esc(note), st["small"]))
    return out


def _footer(canvas: Any, pdf: Any) -> None:
    regular, _bold = fonts()
    canvas.saveState()
    canvas.setFont(regular, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 10 * mm, "Ripple · confidential: participants who consented to analytics only")
    canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"page {pdf.page}")
    canvas.restoreState()


__all__ = ["fonts", "write_pdf"]
