"""The rubric summary beside the review: per player, the verbal and non-verbal means and
each criterion's mean score with how many rated it and their comments."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.roleplay.review import Review
from ui.kit import theme


def _dots(mean: float | None) -> str:
    if mean is None:
        return "·····"
    full = round(mean)
    return "●" * full + "○" * (5 - full)


class RubricSummary(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)

    def show_review(self, review: Review) -> None:
        p = theme.current()
        e = html.escape
        parts: list[str] = []
        if not any(c.count for s in review.summaries for c in s.criteria):
            parts.append(f"<p style='color:{p.muted}'>Nobody has rated this round yet: observers rate it in the "
                         "console after the play phase.</p>")
        for s in review.summaries:
            role = review.round.role_of(s.player) or ""
            found = review.scenario.role(role)
            role_name = found.name if found else role
            verbal = f"{s.verbal:.1f}" if s.verbal is not None else "–"
            non_verbal = f"{s.non_verbal:.1f}" if s.non_verbal is not None else "–"
            parts.append(f"<h3 style='margin-bottom:0'>{e(review.names.get(s.player, 'someone'))} "
                         f"<span style='color:{p.muted};font-weight:normal'>· {e(role_name)}</span></h3>")
            parts.append(f"<div>non-verbal <b>{non_verbal}</b> &nbsp; verbal <b>{verbal}</b></div>")
            rows = []
            for c in s.criteria:
                if not c.count:
                    continue
                comments = "".join(f"<br><i style='color:{p.muted}'>“{e(x)}”</i>" for x in c.comments)
                rows.append(f"<tr><td style='padding-right:8px'>{e(c.label)}</td>"
                            f"<td style='color:{p.accent}'>{_dots(c.mean)}</td>"
                            f"<td align='right'>&nbsp;{c.mean:.1f}</td>"
                            f"<td style='color:{p.muted}'>&nbsp;×{c.count}{comments}</td></tr>")
            if rows:
                parts.append("<table cellspacing='0'>" + "".join(rows) + "</table>")
            else:
                parts.append(f"<div style='color:{p.muted}'>not rated yet</div>")
        self.setHtml("".join(parts))
