"""Which column of a roster holds what: header names as people write them, in four languages.

HR tools and spreadsheets name the same column "E-Mail", "Courriel", "Correo electrónico" or
"email_address", in any case, with or without accents, stars or "(optional)". A header is
compared by its letters and digits only (accents and case dropped), so one alias covers all
those spellings. "Name", "Nom" and "Nombre" are the whole name on their own, but the family
name next to a first-name column (German "Vorname | Name", French "Prénom | Nom") and the
given name next to a family-name column (Spanish "Nombre | Apellidos").

When nothing names the people, the trainer maps the columns (the preview's combos, the CLI's
``--columns name=Mitarbeiter,email=Kontakt``); :func:`mapped_columns` turns that into the
same column table :func:`guess_columns` makes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from app.errors import RippleError

#: The fields a roster column can fill, in the order the preview offers them, with their labels.
FIELDS: dict[str, str] = {
    "name": "Name",
    "first": "First name",
    "last": "Last name",
    "email": "E-mail",
    "team": "Team",
    "video": "Video consent",
    "community": "Beyond-the-room consent",
    "analytics": "Analytics consent",
}
CONSENT_FIELDS = ("video", "community", "analytics")

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "full name", "participant", "participant name", "display name", "learner", "attendee",
        "employee", "employee name", "person", "trainee",
        "vollständiger name", "teilnehmer", "teilnehmerin", "teilnehmer:in", "teilnehmername",
        "mitarbeiter", "mitarbeiterin", "mitarbeitername", "name, vorname", "vor- und nachname",
        "nombre", "nombre completo", "nombre y apellidos", "participante", "asistente", "empleado",
        "nom", "nom complet", "nom et prénom", "prénom et nom", "nom prénom", "prénom nom",
        "participante", "stagiaire", "apprenant", "collaborateur", "collaboratrice",
    ),
    "first": (
        "first name", "first", "given name", "forename", "christian name",
        "vorname", "rufname",
        "nombre de pila", "primer nombre", "nombres",
        "prénom", "prénoms",
    ),
    "last": (
        "last name", "last", "surname", "family name",
        "nachname", "familienname", "zuname",
        "apellido", "apellidos", "primer apellido",
        "nom de famille", "nom de naissance", "nom d'usage",
    ),
    "email": (
        "email", "email address", "mail", "mail address", "work email", "business email", "work e-mail",
        "emailadresse", "e-mail-adresse", "mailadresse", "dienstliche e-mail", "geschäftliche e-mail",
        "correo", "correo electrónico", "correo-e", "email corporativo", "correo corporativo",
        "dirección de correo", "dirección de correo electrónico", "dirección de email",
        "courriel", "adresse e-mail", "adresse mail", "adresse électronique", "adresse courriel", "mél",
    ),
    "team": (
        "team", "department", "dept", "group", "unit", "business unit", "division", "function",
        "abteilung", "bereich", "gruppe", "organisationseinheit",
        "equipo", "departamento", "área", "grupo", "unidad",
        "équipe", "service", "département", "groupe", "direction", "unité",
    ),
    "video": (
        "video consent", "consent video", "video", "video recording", "recording consent", "consent recording",
        "einwilligung video", "videoeinwilligung", "video einwilligung", "videoaufnahme",
        "consentimiento video", "consentimiento de vídeo", "vídeo",
        "consentement vidéo", "vidéo", "enregistrement vidéo",
    ),
    "community": (
        "community consent", "consent community", "community", "share beyond room", "beyond the room",
        "share beyond the room", "beyond room", "sharing consent", "clip sharing",
        "weitergabe", "außerhalb des raums", "teilen",
        "compartir", "fuera de la sala", "más allá de la sala",
        "partage", "au-delà de la salle", "hors de la salle",
    ),
    "analytics": (
        "analytics consent", "consent analytics", "analytics",
        "auswertung", "einwilligung auswertung", "analyse",
        "analítica", "analíticas", "consentimiento analítica",
        "analytique", "consentement analyse",
    ),
}

#: The names that are the whole name alone, but one part of it next to the other part.
_AMBIGUOUS = frozenset({"name", "nom", "nombre"})

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: str) -> str:
    """A header as compared: letters and digits only, accents and case dropped, anything in
    brackets ("E-mail (work)", "Name [required]") left out."""
    text = _BRACKETS.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if c.isalnum())
    return kept.casefold().replace("ß", "ss")


#: alias key → field, built once.
ALIASES: dict[str, str] = {}
for _field, _names in _ALIASES.items():
    for _name in _names:
        ALIASES.setdefault(header_key(_name), _field)
_AMBIGUOUS_KEYS = frozenset(header_key(n) for n in _AMBIGUOUS)


def guess_columns(header: list[str]) -> dict[str, int]:
    """Field → column index for the headers Ripple recognises; the first column for a field
    wins. A lone "Name"/"Nom"/"Nombre" next to a first-name (or a last-name) column is the
    other part of the name."""
    columns: dict[str, int] = {}
    ambiguous: list[int] = []
    for i, text in enumerate(header):
        key = header_key(text)
        if key in _AMBIGUOUS_KEYS:
            ambiguous.append(i)
            continue
        found = ALIASES.get(key)
        if found is not None and found not in columns:
            columns[found] = i
    if ambiguous:
        if "first" in columns and "last" not in columns:
            columns["last"] = ambiguous[0]
        elif "last" in columns and "first" not in columns:
            columns["first"] = ambiguous[0]
        elif "name" not in columns:
            columns["name"] = ambiguous[0]
    return dict(sorted(columns.items(), key=lambda kv: list(FIELDS).index(kv[0])))


def has_name(columns: Mapping[str, int]) -> bool:
    """Whether the columns say who each row is: a name, or a first or a last name."""
    return any(k in columns for k in ("name", "first", "last"))


def unrecognised(header: list[str], columns: Mapping[str, int]) -> list[str]:
    """The (non-empty) headers of the columns no field uses, as written."""
    used = set(columns.values())
    return [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]


def _field_of(word: str) -> str:
    key = header_key(word)
    for field, label in FIELDS.items():
        if key in (field, header_key(label)):
            return field
    if key in ("beyond", "beyondtheroom", "sharing"):
        return "community"
    names = ", ".join(FIELDS)
    raise RippleError(f"“{word.strip()}” is not something a roster column can hold; use one of {names}.")


def _column_of(ref: str, header: list[str]) -> int:
    """The column a mapping names: its header (compared like :func:`header_key`, the exact
    text first), or its number counted from 1."""
    ref = ref.strip()
    for i, text in enumerate(header):
        if text.strip() == ref:
            return i
    key = header_key(ref)
    matches = [i for i, text in enumerate(header) if key and header_key(text) == key]
    if matches:
        return matches[0]
    if ref.isdigit() and 1 <= int(ref) <= len(header):
        return int(ref) - 1
    listed = ", ".join(f"“{h.strip()}”" for h in header if h.strip()) or "none with a header"
    raise RippleError(f"The roster has no column “{ref}”; its columns are {listed}.")


def parse_mapping(spec: str) -> dict[str, str]:
    """``name=Mitarbeiter,email=Kontakt`` → {"name": "Mitarbeiter", "email": "Kontakt"}; fields
    checked, column references kept as written (the file's header resolves them)."""
    mapping: dict[str, str] = {}
    for part in (p for p in spec.split(",") if p.strip()):
        word, sep, ref = part.partition("=")
        if not sep or not ref.strip():
            raise RippleError(f"“{part.strip()}” in --columns is not FIELD=COLUMN (for example name=Mitarbeiter).")
        field = _field_of(word)
        if field in mapping:
            raise RippleError(f"--columns names a column for {field} twice; give one.")
        mapping[field] = ref.strip()
    if not mapping:
        raise RippleError("--columns is empty; give FIELD=COLUMN pairs, for example name=Mitarbeiter.")
    return mapping


def mapped_columns(header: list[str], mapping: Mapping[str, str | int], *, guess: bool = True) -> dict[str, int]:
    """The column table for a trainer's ``mapping`` (field → header text or index). With
    ``guess``, the recognised headers fill the fields the mapping leaves out, on columns it
    does not use."""
    chosen: dict[str, int] = {}
    for field, ref in mapping.items():
        if field not in FIELDS:
            raise RippleError(f"“{field}” is not something a roster column can hold.")
        chosen[field] = ref if isinstance(ref, int) else _column_of(ref, header)
    if guess:
        used = set(chosen.values())
        for field, i in guess_columns(header).items():
            if field not in chosen and i not in used:
                chosen[field] = i
    return chosen


def joined_name(parts: Iterable[str]) -> str:
    """First and last name (or any parts) as one name: trimmed, inner spaces made one."""
    return " ".join(" ".join(p.split()) for p in parts if p and not p.isspace())
