"""The shipped catalogues against the code: template up to date, every language complete,
placeholders intact, Arabic drawable by its font, a glossary per language.

The msgids in the code are extracted again here, in-process, exactly as `pybabel extract`
does it (hmi/locale/babel.cfg, keywords tr and N_ plus Babel's defaults, the kv extractor),
so a string added to the code without updating hmi.pot fails here and not on a driver's
screen. Each check is a function that returns its findings, and each has a test that plants
a violation in a small Catalog to show it can fail. No window: nothing here draws.

While translations are being merged, test_catalogue_is_complete fails for the languages
still being translated (fr, es, it, nl, pl, pt_PT), and test_glossary for those without a
glossary.toml yet: that is the check doing its job.
"""

from __future__ import annotations

import re
import string
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from hmi.i18n import LANGUAGES, SOURCE_LANGUAGE
from hmi.i18n.catalogues import LOCALE_DIR, po_path
from hmi.labels import ENUM_LABELS

HMI = LOCALE_DIR.parent
BABEL_CFG = LOCALE_DIR / "babel.cfg"
POT = LOCALE_DIR / "hmi.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "tr": None, "N_": None}   # pybabel extract -k tr -k N_
SHIPPED = [language for language in LANGUAGES if language.tag != SOURCE_LANGUAGE]
CATALOGUES = [language.catalogue for language in SHIPPED]

# What Noto Sans Arabic draws in a line with Arabic letters (hmi.i18n.script): the Arabic
# block, Western digits, spaces and a few marks; `% · … ? ; − – —` are mapped to forms it
# has before drawing (script.ARABIC_PUNCTUATION). Placeholders are filled with figures.
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
ARABIC_DRAWABLE = set("0123456789 \u00a0.,:-!«»%·…?;−–—")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# The Terrain Response programs every glossary must settle, with the system's own name.
GLOSSARY_TERMS = ("Terrain Response", *ENUM_LABELS["TerrainProgram"].values())


# --- the checks ---------------------------------------------------------------------------------
def code_msgids(root: Path = HMI, config: Path = BABEL_CFG) -> set[str]:
    """Every msgid the code under `root` passes to tr/N_ (Python) or tr._/N_ (kv)."""
    with config.open(encoding="utf-8") as stream:
        method_map, options_map = parse_mapping_cfg(stream, str(config))
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def ids(catalog: Catalog) -> set[str]:
    return {msgid for message in catalog for msgid in _msgids(message)}


def _msgids(message: Message) -> list[str]:
    if not message.id:
        return []   # the header
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _strings(message: Message) -> list[str]:
    raw = message.string
    return [raw] if isinstance(raw, str) else list(raw or ())


def template_problems(code: set[str], template: Catalog) -> list[str]:
    """hmi.pot out of date: msgids in the code it lacks, or msgids no code uses any more."""
    in_template = ids(template)
    return ([f"in the code, not in hmi.pot: {msgid!r}" for msgid in sorted(code - in_template)]
            + [f"in hmi.pot, not in the code: {msgid!r}"
               for msgid in sorted(in_template - code)])


def completeness_problems(template: Catalog, catalog: Catalog) -> list[str]:
    """Every msgid of the template translated: present, not empty, not fuzzy, none stale."""
    found = []
    translated = {msgid: message for message in catalog for msgid in _msgids(message)}
    for msgid in sorted(ids(template)):
        message = translated.get(msgid)
        if message is None:
            found.append(f"missing: {msgid!r}")
        elif not all(_strings(message)) or not _strings(message):
            found.append(f"empty: {msgid!r}")
        elif message.fuzzy:
            found.append(f"fuzzy: {msgid!r}")
    found += [f"not in hmi.pot (stale): {msgid!r}"
              for msgid in sorted(set(translated) - ids(template))]
    return found


def placeholders(text: str) -> set[str] | None:
    """The `{name}` fields of a str.format text; None when its braces are malformed."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return None


def placeholder_problems(catalog: Catalog) -> list[str]:
    """A translation whose placeholders differ from its msgid's would raise KeyError in
    `.format()` or drop the value; a malformed brace would raise ValueError."""
    found = []
    for message in catalog:
        for msgid in _msgids(message)[:1]:
            for text in _strings(message):
                if not text:
                    continue
                wanted, got = placeholders(msgid), placeholders(text)
                if got is None:
                    found.append(f"malformed braces: {msgid!r} -> {text!r}")
                elif got != wanted:
                    found.append(f"placeholders {sorted(got)} instead of {sorted(wanted or ())}: "
                                 f"{msgid!r} -> {text!r}")
    return found


def arabic_problems(catalog: Catalog) -> list[str]:
    """Characters in an Arabic-letter translation that Noto Sans Arabic cannot draw (a Latin
    letter, "/", "(", "&"...): they would render as empty boxes in that line's font."""
    found = []
    for message in catalog:
        for text in _strings(message):
            if not text or not ARABIC_LETTER.search(text):
                continue
            bad = sorted({c for c in PLACEHOLDER.sub("", text)
                          if not ("\u0600" <= c <= "\u06ff" or c in ARABIC_DRAWABLE)})
            if bad:
                names = ", ".join(f"{c!r} {unicodedata.name(c, f'U+{ord(c):04X}')}" for c in bad)
                found.append(f"{message.id!r} -> {text!r}: {names}")
    return found


def glossary_problems(path: Path, tag: str, catalog: Catalog | None = None) -> list[str]:
    """glossary.toml: present, parsable, for `tag`, every term with a translation, the Terrain
    Response programs settled, and a term that is a msgid translated the same way in hmi.po."""
    if not path.is_file():
        return [f"no glossary: {path}"]
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [f"unparsable {path.name}: {error}"]
    found = []
    if data.get("language") != tag:
        found.append(f"language = {data.get('language')!r}, not {tag!r}")
    terms = data.get("term")
    if not isinstance(terms, list) or not all(isinstance(term, dict) for term in terms):
        return [*found, "no [[term]] tables"]
    settled: dict[str, str] = {}
    for number, term in enumerate(terms, 1):
        english, translation = term.get("en"), term.get("translation")
        if not isinstance(english, str) or not english.strip() \
                or not isinstance(translation, str) or not translation.strip():
            found.append(f"term {number}: needs en and translation ({term!r})")
            continue
        settled[english] = translation
    found += [f"lacks the term {term!r}" for term in GLOSSARY_TERMS if term not in settled]
    if catalog is not None:
        shown = {message.id: message.string for message in catalog
                 if isinstance(message.id, str) and isinstance(message.string, str)
                 and message.string and not message.fuzzy}
        found += [f"{english!r}: glossary says {translation!r}, hmi.po {shown[english]!r}"
                  for english, translation in settled.items()
                  if english in shown and shown[english] != translation]
    return found


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale)


def catalog_of(entries: Iterable[tuple[str, str] | tuple[str, str, bool]],
               locale: str = "de") -> Catalog:
    """A small Catalog for the planted-violation tests: (msgid, msgstr[, fuzzy])."""
    catalog = Catalog(locale=locale)
    for msgid, msgstr, *fuzzy in entries:
        catalog.add(msgid, msgstr, flags=("fuzzy",) if fuzzy and fuzzy[0] else ())
    return catalog


@pytest.fixture(scope="module")
def template() -> Catalog:
    return load(POT)


# --- the shipped catalogues ---------------------------------------------------------------------
def test_every_shipped_language_has_a_catalogue_and_nothing_else_ships() -> None:
    directories = sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    assert directories == sorted(CATALOGUES)
    assert len(CATALOGUES) == 11 and all(po_path(name).is_file() for name in CATALOGUES)


def test_template_is_up_to_date(template: Catalog) -> None:
    code = code_msgids()
    assert len(code) > 150, "the extraction found almost nothing: is babel.cfg read?"
    assert template_problems(code, template) == []


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_catalogue_is_complete(template: Catalog, catalogue: str) -> None:
    problems = completeness_problems(template, load(po_path(catalogue), catalogue))
    assert problems == [], f"{catalogue}: {len(problems)} problems, first: {problems[:5]}"


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_placeholders_match_the_source(catalogue: str) -> None:
    assert placeholder_problems(load(po_path(catalogue), catalogue)) == []


def test_arabic_uses_only_what_its_font_draws() -> None:
    assert arabic_problems(load(po_path("ar"), "ar")) == []


@pytest.mark.parametrize("language", SHIPPED, ids=lambda language: language.catalogue)
def test_glossary(language: Any) -> None:
    path = LOCALE_DIR / language.catalogue / "glossary.toml"
    catalog = load(po_path(language.catalogue), language.catalogue)
    assert glossary_problems(path, language.tag, catalog) == []


# --- each check can fail ------------------------------------------------------------------------
def test_extraction_reads_python_and_kv_with_the_projects_mapping(tmp_path: Path) -> None:
    (tmp_path / "screen.py").write_text(
        "from hmi.i18n import N_, tr\nA = N_('Marked')\nB = tr('Shown')\nC = _('Default')\n"
        "D = tr(variable)\n", encoding="utf-8")
    (tmp_path / "screen.kv").write_text(
        "#:import tr hmi.i18n.tr\n<Thing>:\n    # text: tr._('Commented')\n"
        "    text: tr._('From kv')\n    Label:\n        text: tr._(root.name)\n",
        encoding="utf-8")
    (tmp_path / "benchmark").mkdir()
    (tmp_path / "benchmark" / "tool.py").write_text("X = tr('Tool only')\n", encoding="utf-8")
    assert code_msgids(tmp_path) == {"Marked", "Shown", "Default", "From kv"}


def test_a_stale_template_fails() -> None:
    template = catalog_of([("Speed", ""), ("Gone", "")])
    assert template_problems({"Speed", "New"}, template) == [
        "in the code, not in hmi.pot: 'New'", "in hmi.pot, not in the code: 'Gone'"]


def test_missing_empty_fuzzy_and_stale_entries_fail() -> None:
    template = catalog_of([("Speed", ""), ("Range", ""), ("Gear", ""), ("Ready", "")])
    catalog = catalog_of([("Speed", "Tempo"), ("Range", ""), ("Gear", "Gang", True),
                          ("Old", "Alt")])
    assert completeness_problems(template, catalog) == [
        "fuzzy: 'Gear'", "empty: 'Range'", "missing: 'Ready'", "not in hmi.pot (stale): 'Old'"]
    assert completeness_problems(template, catalog_of(
        [("Speed", "Tempo"), ("Range", "Reichweite"), ("Gear", "Gang"),
         ("Ready", "Bereit")])) == []


def test_changed_placeholders_fail() -> None:
    catalog = catalog_of([("{seconds} s ago", "vor {sekunden} s"),
                          ("{hours} h ago", "vor {hours} Std."),
                          ("Using {program}", "Mit {program"),
                          ("{a} of {b}", "{b} von {a}"),
                          ("Locking {percent} %", "Sperrt")])
    assert placeholder_problems(catalog) == [
        "placeholders ['sekunden'] instead of ['seconds']: '{seconds} s ago' -> "
        "'vor {sekunden} s'",
        "malformed braces: 'Using {program}' -> 'Mit {program'",
        "placeholders [] instead of ['percent']: 'Locking {percent} %' -> 'Sperrt'"]


def test_arabic_outside_the_font_fails() -> None:
    catalog = catalog_of([("Speed", "السرعة"),
                          ("Locking {percent} %", "قفل {percent} %"),
                          ("Range · rated", "المدى · المقدر…"),
                          ("Front locker", "قفل (أمامي)"),
                          ("Mud & Ruts", "طين & أخاديد"),
                          ("TC OFF", "TC متوقف"),
                          ("km/h", "km/h")], locale="ar")   # no Arabic letters: Roboto draws it
    assert arabic_problems(catalog) == [
        "'Front locker' -> 'قفل (أمامي)': '(' LEFT PARENTHESIS, ')' RIGHT PARENTHESIS",
        "'Mud & Ruts' -> 'طين & أخاديد': '&' AMPERSAND",
        "'TC OFF' -> 'TC متوقف': 'C' LATIN CAPITAL LETTER C, 'T' LATIN CAPITAL LETTER T"]


GOOD_GLOSSARY = 'language = "de"\n' + "".join(
    f'[[term]]\nen = "{term}"\ntranslation = "{term} (de)"\n' for term in GLOSSARY_TERMS)


def test_a_missing_unparsable_or_short_glossary_fails(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    assert glossary_problems(path, "de") == [f"no glossary: {path}"]
    path.write_text('language = "de"\n[[term]\nen = "Sand"\n', encoding="utf-8")
    assert glossary_problems(path, "de")[0].startswith("unparsable glossary.toml")
    path.write_text(GOOD_GLOSSARY, encoding="utf-8")
    assert glossary_problems(path, "de") == []
    assert glossary_problems(path, "fr") == ["language = 'de', not 'fr'"]
    path.write_text(GOOD_GLOSSARY.replace('en = "Rock Crawl"', 'en = "Rock crawl"')
                    + '[[term]]\nen = "locker"\ntranslation = ""\n', encoding="utf-8")
    assert glossary_problems(path, "de") == [
        "term 10: needs en and translation ({'en': 'locker', 'translation': ''})",
        "lacks the term 'Rock Crawl'"]


def test_a_glossary_that_disagrees_with_the_catalogue_fails(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    path.write_text(GOOD_GLOSSARY, encoding="utf-8")
    catalog = catalog_of([("Sand", "Sand (de)"), ("Wade", "Wasserdurchfahrt"),
                          ("Eco", "", False), ("Auto", "Automatik", True)])
    assert glossary_problems(path, "de", catalog) == [
        "'Wade': glossary says 'Wade (de)', hmi.po 'Wasserdurchfahrt'"]
