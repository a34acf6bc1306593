"""Properties of the roster's header matcher and name joiner: whatever the case, accents,
spacing and punctuation of a known header, and whatever order the columns come in, the same
field is found in the same column; first and last names join into one clean name."""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import RippleError
from app.planning.roster import parse_roster
from app.planning.roster_columns import (
    _ALIASES,
    _AMBIGUOUS,
    ALIASES,
    FIELDS,
    guess_columns,
    header_key,
    joined_name,
    mapped_columns,
    parse_mapping,
)

#: Every alias with the field it names (the ambiguous "Name"/"Nom"/"Nombre" alone: the name).
KNOWN = [(alias, field) for field, names in _ALIASES.items() for alias in names if alias not in _AMBIGUOUS]
#: One unambiguous alias per field, for headers with every field.
ONE_EACH = {field: next(a for a, f in KNOWN if f == field and ALIASES[header_key(a)] == field) for field in FIELDS}

noise = st.sampled_from(["", " ", "  ", "\t", "_", "-", ".", "*", " (optional)", " [required]", ":"])


@st.composite
def spelled(draw: st.DrawFn, alias: str) -> str:
    """``alias`` as some spreadsheet writes it: any case per letter, accents kept, dropped or
    decomposed, spaces and punctuation changed, a bracketed remark."""
    chars = []
    for c in alias:
        if c.isalpha():
            c = draw(st.sampled_from([c, c.upper(), c.lower()]))
            if unicodedata.combining(unicodedata.normalize("NFD", c)[-1:]) and draw(st.booleans()):
                c = unicodedata.normalize("NFD", c)[0]  # the accent left out
        elif not c.isalnum():
            c = draw(st.sampled_from([c, " ", "_", "-", "", "  "]))
        chars.append(c)
    text = "".join(chars)
    form = draw(st.sampled_from(["NFC", "NFD"]))
    return draw(noise.filter(lambda n: "(" not in n and "[" not in n)) + unicodedata.normalize(form, text) + draw(noise)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # 2 busy cores: a slow draw is not a bug
@given(data=st.data(), pair=st.sampled_from(KNOWN))
def test_a_known_header_is_found_however_it_is_spelled(data: st.DataObject, pair: tuple[str, str]) -> None:
    alias, field = pair
    header = data.draw(spelled(alias))
    assert header_key(header) == header_key(alias)
    assert guess_columns([header]) == {field: 0}
    assert ALIASES[header_key(alias)] == field


def test_no_alias_names_two_fields() -> None:
    fields_of: dict[str, set[str]] = {}
    for alias, field in KNOWN:
        fields_of.setdefault(header_key(alias), set()).add(field)
    assert {k: v for k, v in fields_of.items() if len(v) > 1} == {}


@given(order=st.permutations(list(FIELDS)), data=st.data(), extra=st.lists(st.sampled_from(["Standort", "Kürzel", "ID", ""]), max_size=3))
def test_every_field_is_found_in_its_column_whatever_the_order(order: list[str], data: st.DataObject,
                                                                 extra: list[str]) -> None:
    header = [data.draw(spelled(ONE_EACH[f])) for f in order] + extra
    assert guess_columns(header) == {f: order.index(f) for f in FIELDS}


@given(text=st.text(max_size=20))
def test_header_key_ignores_case_and_composition(text: str) -> None:
    key = header_key(text)
    assert key == header_key(unicodedata.normalize("NFD", text)) == header_key(unicodedata.normalize("NFC", text))
    assert key == header_key(key)  # idempotent
    assert all(c.isalnum() for c in key)


@given(header=st.lists(st.text(max_size=12), max_size=8))
def test_guessed_columns_are_distinct_columns_of_the_header(header: list[str]) -> None:
    columns = guess_columns(header)
    assert set(columns) <= set(FIELDS)
    assert len(set(columns.values())) == len(columns)
    assert all(0 <= i < len(header) for i in columns.values())


@given(lone=st.sampled_from(sorted(_AMBIGUOUS)), data=st.data(), before=st.booleans())
def test_a_lone_name_column_is_the_whole_name_or_the_other_part(lone: str, data: st.DataObject, before: bool) -> None:
    name = data.draw(spelled(lone))
    assert guess_columns([name, "E-Mail"]) == {"name": 0, "email": 1}
    for part, other in (("Vorname", "last"), ("Prénom", "last"), ("Apellidos", "first"), ("Surname", "first")):
        header = [name, part] if before else [part, name]
        columns = guess_columns(header)
        assert columns[other] == header.index(name) and len(columns) == 2


words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=8)
spaces = st.sampled_from(["", " ", "  ", "\t", " \t "])


@given(parts=st.lists(st.tuples(spaces, st.lists(words, max_size=3), spaces), max_size=3))
def test_joined_names_keep_every_word_once_and_single_spaced(parts: list[tuple[str, list[str], str]]) -> None:
    texts = [lead + "  ".join(ws) + trail for lead, ws, trail in parts]
    name = joined_name(texts)
    assert name.split(" ") == [w for _lead, ws, _trail in parts for w in ws] or name == ""
    assert name == name.strip() and "  " not in name


@settings(max_examples=60, deadline=None)
@given(people=st.lists(st.tuples(words, words, st.from_regex(r"[A-Za-z]{1,6}@[A-Za-z]{1,6}\.(com|DE|Fr)", fullmatch=True)),
                       min_size=1, max_size=6, unique_by=lambda p: p[2].lower()),
       first=st.sampled_from(["Vorname", "Prénom", "First name", "nombre de pila"]),
       last=st.sampled_from(["Nachname", "Nom", "Last name", "Apellidos"]),
       mail=st.sampled_from(["E-Mail", "Courriel", "Correo electrónico", "email_address"]),
       sep=st.sampled_from([",", ";", "\t"]))
def test_a_roster_with_first_and_last_names_reads_back_joined_and_lower_cased(
    people: list[tuple[str, str, str]], first: str, last: str, mail: str, sep: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow([mail, last, first])
    for given_name, family, email in people:
        writer.writerow([f" {email} ", family, given_name])
    roster = parse_roster(out.getvalue())
    expected = [(unicodedata.normalize("NFC", f"{g} {f}"), e.lower()) for g, f, e in people]
    assert [(r.name, r.email) for r in roster.rows] == expected


@given(header=st.lists(st.sampled_from(["Wer", "Kontakt", "Bereich", "Notiz", "Nr"]), min_size=1, max_size=5, unique=True),
       data=st.data())
def test_a_mapping_by_header_any_case_or_by_number_is_the_same_column(header: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(header) - 1))
    ref = data.draw(st.sampled_from([header[i], header[i].upper(), f" {header[i].lower()} ", str(i + 1)]))
    if ref.strip().isdigit() and ref.strip() in header:
        return
    assert mapped_columns(header, {"name": ref}, guess=False) == {"name": i}
    assert mapped_columns(header, {"name": ref})["name"] == i


@given(spec=st.text(alphabet=st.sampled_from("name=emailtu,;= Wer1"), max_size=30))
def test_the_columns_option_parses_or_says_why(spec: str) -> None:
    try:
        mapping = parse_mapping(spec)
    except RippleError as exc:
        assert str(exc).endswith(".")
        return
    assert mapping and set(mapping) <= set(FIELDS)
