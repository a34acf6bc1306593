"""Ripple's colours: one palette per colour scheme, drawn from by the window's theme
(``ui.kit.theme``) and by the PDF report (``app.export.pdf``), so a teal or an amber means
the same on screen and on paper (spontaneous and prompted above all)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    name: str
    bg: str
    surface: str
    surface2: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    spontaneous: str
    prompted: str
    danger: str
    success: str
    warning: str


LIGHT = Palette("light", "#F4F6F8", "#FFFFFF", "#EEF1F4", "#1B1F24", "#5B6573", "#DDE2E8",
                "#0E7C86", "#FFFFFF", "#0E7C86", "#C77C02", "#C8413B", "#2E8B57", "#B7791F")
DARK = Palette("dark", "#14171B", "#1D2126", "#262B31", "#E8EAED", "#9AA3AE", "#323840",
               "#3BB8C0", "#0B1215", "#3BB8C0", "#E8A93A", "#EF6A64", "#55C08A", "#E0B252")
