"""Languages without a window: which language a tag, a locale or the command line names, the
units each market reads, the driver's preferences across switches and restarts, numbers as
each locale writes them, and the script layer (fonts per script, Arabic shaped and ordered).

The translator is one object per process: tests that switch it are put back to en-GB by the
`source_language` fixture in conftest.py.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from pathlib import Path

import pytest

from hmi import formatting as fmt
from hmi import units as u
from hmi.cli import parse_args, startup_language
from hmi.i18n import BY_TAG, LANGUAGES, catalogues, resolve, script, system_language, tr
from hmi.i18n import numbers as locale_numbers
from hmi.models.preferences import PreferencesModel
from hmi.units import METRIC, ConsumptionUnit, DistanceUnit, TemperatureUnit, UnitPreferences

TAGS = [language.tag for language in LANGUAGES]
DECIMAL_COMMA = ("de", "fr", "es", "it", "nl", "pl", "pt-PT")
DECIMAL_POINT = ("en-GB", "en-US", "ja", "zh-Hans", "ar")


# --- which language ---------------------------------------------------------------------------
@pytest.mark.parametrize("asked, tag", [
    ("de_DE.UTF-8", "de"), ("de-AT", "de"), ("de_CH@euro", "de"), ("pt", "pt-PT"),
    ("pt_PT.UTF-8", "pt-PT"), ("pt-BR", "pt-PT"), ("zh_CN", "zh-Hans"), ("zh_CN.UTF-8", "zh-Hans"),
    ("zh-Hans", "zh-Hans"), ("zh", "zh-Hans"), ("fr-CA", "fr"), ("fr_FR.UTF-8", "fr"),
    ("en", "en-GB"), ("en_GB.UTF-8", "en-GB"), ("en_US.UTF-8", "en-US"), ("en-us", "en-US"),
    ("ja_JP.UTF-8", "ja"), ("ar_AE.UTF-8", "ar"), ("ar", "ar"), ("nl_BE", "nl"), ("pl_PL", "pl"),
    ("es_MX", "es"), ("it_IT", "it"), ("C", None), ("C.UTF-8", None), ("POSIX", None),
    ("", None), (None, None), ("sv_SE.UTF-8", None), ("xx", None),
])
def test_resolve(asked: str | None, tag: str | None) -> None:
    found = resolve(asked)
    assert (found.tag if found else None) == tag


def test_every_shipped_tag_resolves_to_itself() -> None:
    assert [resolve(tag).tag for tag in TAGS] == TAGS   # type: ignore[union-attr]
    assert len(TAGS) == 12


@pytest.mark.parametrize("environ, tag", [
    ({}, None),
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "fr_FR.UTF-8", "LANGUAGE": "ar"}, "ar"),
    ({"LANGUAGE": "sv:nl:de", "LANG": "fr_FR.UTF-8"}, "nl"),     # LANGUAGE's first shipped one
    ({"LANGUAGE": "sv", "LANG": "pl_PL.UTF-8"}, "pl"),           # none shipped: next variable
    ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, None),              # the first set one decides
    ({"LANG": "C.UTF-8"}, None),
    ({"LC_ALL": "", "LANG": "it_IT.UTF-8"}, "it"),               # set but empty counts as unset
])
def test_system_language_reads_gettexts_variables_in_order(environ: dict[str, str],
                                                          tag: str | None) -> None:
    found = system_language(environ)
    assert (found.tag if found else None) == tag


@pytest.mark.parametrize("asked, environ, expected", [
    (None, {}, (None, "en-GB")),
    (None, {"LANG": "de_DE.UTF-8"}, (None, "de")),
    ("ja", {"LANG": "de_DE.UTF-8"}, ("ja", "de")),
    ("zh_CN.UTF-8", {}, ("zh-Hans", "en-GB")),
    ("xx", {"LANG": "fr_FR.UTF-8"}, (None, "fr")),   # hmi.cli refuses an unknown --language
])
def test_startup_language(asked: str | None, environ: dict[str, str],
                          expected: tuple[str | None, str]) -> None:
    assert startup_language(asked, environ) == expected


def test_language_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMA_LANGUAGE", raising=False)
    assert parse_args([]).language is None
    monkeypatch.setenv("EMA_LANGUAGE", "ja")
    assert parse_args([]).language == "ja"
    assert parse_args(["--language", "de"]).language == "de"
    environ = {"EMA_LANGUAGE": "ja", "LANG": "fr_FR.UTF-8"}
    assert startup_language(parse_args(["--language", "de"]).language, environ) == ("de", "fr")
    assert startup_language(parse_args([]).language, environ) == ("ja", "fr")


# --- market units -------------------------------------------------------------------------------
UK = ("mph", "°C", "mi", "mi/kWh")
US = ("mph", "°F", "mi", "mi/kWh")
EU = ("km/h", "°C", "km", "kWh/100 km")
JA = ("km/h", "°C", "km", "km/kWh")
MARKETS = {"en-GB": UK, "en-US": US, "de": EU, "fr": EU, "es": EU, "it": EU, "nl": EU, "pl": EU,
           "pt-PT": EU, "ja": JA, "zh-Hans": EU, "ar": EU}


def shown_units(units: UnitPreferences) -> tuple[str, str, str, str]:
    """The unit names a driver reads for a speed, a temperature, a distance, a consumption."""
    return (u.speed(10.0, units)[1], u.temperature(20.0, units)[1], u.distance(1000.0, units)[1],
            u.consumption(600.0, units)[1])


def test_every_language_has_a_market() -> None:
    assert sorted(MARKETS) == sorted(TAGS)


@pytest.mark.parametrize("tag", TAGS)
def test_market_units(tag: str) -> None:
    assert shown_units(BY_TAG[tag].units) == MARKETS[tag]
    assert shown_units(PreferencesModel(None, default_language=tag).units) == MARKETS[tag]


# --- preferences --------------------------------------------------------------------------------
def saved(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_market_units_follow_a_language_switch(tmp_path: Path) -> None:
    preferences = PreferencesModel(tmp_path / "p.json")
    assert (preferences.language, shown_units(preferences.units)) == ("en-GB", UK)
    for tag in ("de", "en-US", "ja", "zh-Hans", "en-GB"):
        preferences.choose("language", tag)
        assert shown_units(preferences.units) == MARKETS[tag], tag
        assert preferences.unit_source == "market" and preferences.chosen_units == []


def test_a_driver_chosen_unit_survives_a_switch(tmp_path: Path) -> None:
    preferences = PreferencesModel(tmp_path / "p.json")
    preferences.choose("distance", "km")          # a British driver who reads kilometres
    assert preferences.unit_source == "driver" and preferences.chosen_units == ["distance"]
    preferences.choose("language", "en-US")
    assert shown_units(preferences.units) == ("km/h", "°F", "km", "mi/kWh")   # only distance
    preferences.choose("language", "ja")
    assert shown_units(preferences.units) == ("km/h", "°C", "km", "km/kWh")
    preferences.choose("consumption", "mi/kWh")
    preferences.choose("language", "de")
    assert shown_units(preferences.units) == ("km/h", "°C", "km", "mi/kWh")
    assert preferences.chosen_units == ["consumption", "distance"]


def test_market_units_hands_every_unit_back(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    preferences = PreferencesModel(path, default_language="de")
    preferences.set_units(UnitPreferences(DistanceUnit.MI, TemperatureUnit.FAHRENHEIT,
                                          ConsumptionUnit.MI_PER_KWH))
    assert shown_units(preferences.units) == US and preferences.unit_source == "driver"
    preferences.choose("unit_source", "market")
    assert shown_units(preferences.units) == EU
    assert (preferences.unit_source, preferences.chosen_units) == ("market", [])
    assert saved(path)["units"] == {}


def test_language_and_chosen_units_persist(tmp_path: Path) -> None:
    path = tmp_path / "state" / "preferences.json"
    preferences = PreferencesModel(path)
    preferences.choose("language", "ja")
    preferences.choose("distance", "mi")
    preferences.choose("theme", "day")
    assert saved(path) == {"language": "ja", "units": {"distance": "mi"}, "theme": "day"}
    preferences.choose("accent", "Sedona")   # saved once the driver picks it
    assert saved(path)["accent"] == "Sedona"
    again = PreferencesModel(path, default_language="de")   # a saved choice beats the locale
    assert (again.language, again.chosen_units, again.theme) == ("ja", ["distance"], "day")
    assert shown_units(again.units) == ("mph", "°C", "mi", "km/kWh")   # the rest: Japan's
    assert again.unit_source == "driver"


def test_nothing_saved_starts_in_the_default_language(tmp_path: Path) -> None:
    preferences = PreferencesModel(tmp_path / "none.json", default_language="pl")
    assert preferences.language == "pl" and shown_units(preferences.units) == EU
    assert not (tmp_path / "none.json").exists()   # reading writes nothing
    assert PreferencesModel(None, default_language="tlh").language == "en-GB"


def test_a_file_from_before_languages_loads_its_units_as_chosen(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"distance": "mi", "temperature": "F", "consumption": "mi/kWh",
                                "theme": "day", "accent": "Sedona"}), encoding="utf-8")
    preferences = PreferencesModel(path, default_language="de")
    assert preferences.language == "de"
    assert shown_units(preferences.units) == US
    assert preferences.chosen_units == ["consumption", "distance", "temperature"]
    assert (preferences.theme, preferences.accent) == ("day", "Sedona")
    preferences.choose("language", "fr")                 # the driver's units stay
    assert shown_units(preferences.units) == US
    assert saved(path)["units"] == {"distance": "mi", "temperature": "F",
                                    "consumption": "mi/kWh"}   # rewritten in the new form


def test_unknown_saved_values_are_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"language": "tlh", "units": {"distance": "furlong",
                                                              "temperature": "F"}}),
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="hmi.models.preferences"):
        preferences = PreferencesModel(path, default_language="de")
    assert preferences.language == "de" and preferences.chosen_units == ["temperature"]
    assert shown_units(preferences.units) == ("km/h", "°F", "km", "kWh/100 km")
    assert "ignoring preference language='tlh'" in caplog.text
    assert "ignoring preference distance='furlong'" in caplog.text
    path.write_text("{not json", encoding="utf-8")
    assert PreferencesModel(path, default_language="it").language == "it"


def test_start_in_does_not_save(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    PreferencesModel(path).choose("language", "de")
    before = path.read_text(encoding="utf-8")
    preferences = PreferencesModel(path)
    preferences.start_in("ar")                    # --language ar, for this run only
    assert preferences.language == "ar" and shown_units(preferences.units) == EU
    assert path.read_text(encoding="utf-8") == before
    assert PreferencesModel(path).language == "de"
    fresh = PreferencesModel(tmp_path / "fresh.json")
    fresh.start_in("ja")
    assert not (tmp_path / "fresh.json").exists()
    with pytest.raises(ValueError):
        fresh.start_in("tlh")


# --- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("tag", TAGS)
def test_decimal_sign(tag: str) -> None:
    tr.switch(tag)
    decimal = "," if tag in DECIMAL_COMMA else "."
    assert tag in DECIMAL_COMMA + DECIMAL_POINT
    assert locale_numbers.decimal(12.34, 1) == f"12{decimal}3"
    assert fmt.trip(84_250.0, METRIC) == fmt.Shown(f"84{decimal}2", tr("km"))
    assert fmt.pressure(250_000.0, METRIC).text == f"2{decimal}5"
    assert fmt.energy(178_000_000.0).text == f"49{decimal}4"


@pytest.mark.parametrize("tag, odometer", [
    ("en-GB", "12,845"), ("en-US", "12,845"), ("de", "12.845"), ("es", "12.845"),
    ("it", "12.845"), ("nl", "12.845"), ("fr", "12\u00a0845"), ("pl", "12\u00a0845"),
    ("pt-PT", "12\u00a0845"), ("ja", "12,845"), ("zh-Hans", "12,845"), ("ar", "12,845"),
])
def test_thousands_separator(tag: str, odometer: str) -> None:
    tr.switch(tag)
    assert fmt.odometer(12_845_300.0, METRIC).text == odometer


@pytest.mark.parametrize("tag", TAGS)
def test_western_digits_everywhere(tag: str) -> None:
    tr.switch(tag)
    texts = [fmt.speed(27.7778, METRIC).text, fmt.odometer(9_876_543_210.0, METRIC).text,
             fmt.consumption(720.0, METRIC).text, fmt.percent(61.6).text,
             fmt.duration(4_500.0).text, fmt.drive_power(30_000.0).text]
    digits = {c for text in texts for c in text if unicodedata.category(c) == "Nd"}
    assert digits <= set("0123456789"), texts


@pytest.mark.parametrize("tag", TAGS)
def test_never_minus_zero(tag: str) -> None:
    tr.switch(tag)
    zero = "0"
    point_zero = "0,0" if tag in DECIMAL_COMMA else "0.0"
    assert locale_numbers.decimal(-0.0) == zero
    assert locale_numbers.decimal(-0.4) == zero
    assert locale_numbers.decimal(-0.04, 1) == point_zero
    assert fmt.speed(-0.1, METRIC).text == zero
    assert fmt.temperature(-0.2, METRIC).text == zero
    assert fmt.drive_power(300.0).text == zero
    assert fmt.consumption(-1.0, METRIC).text == point_zero
    assert locale_numbers.decimal(-3.0) in ("-3", "\u2212" + "3")   # a real minus stays


@pytest.mark.parametrize("tag, minutes_21, hour_15, under_a_minute", [
    ("en-GB", ("21", "mins"), ("1 hr 15", "mins"), ("< 1", "min")),
    ("en-US", ("21", "min"), ("1 hr 15", "min"), ("< 1", "min")),
    ("de", ("21", "Min."), ("1 Std. 15", "Min."), ("< 1", "Min.")),
    ("fr", ("21", "min"), ("1\u00a0h 15", "min"), ("< 1", "min")),
    ("es", ("21", "min"), ("1 h 15", "min"), ("< 1", "min")),
    ("ja", ("21", "分"), ("1 時間 15", "分"), ("< 1", "分")),
    ("zh-Hans", ("21", "分钟"), ("1小时 15", "分钟"), ("< 1", "分钟")),
    ("ar", ("21", "د"), ("1 س 15", "د"), ("< 1", "د")),
])
def test_durations_in_cldr_short_units(tag: str, minutes_21: tuple[str, str],
                                       hour_15: tuple[str, str],
                                       under_a_minute: tuple[str, str]) -> None:
    tr.switch(tag)
    assert tuple(fmt.duration(1_260.0)) == minutes_21
    assert tuple(fmt.duration(4_500.0)) == hour_15
    assert tuple(fmt.duration(30.0)) == under_a_minute
    assert fmt.duration(3_900.0).text.endswith(" 05")   # minutes after an hour: two digits


# --- the translator -----------------------------------------------------------------------------
def test_switch_translates_and_falls_back_to_english() -> None:
    tr.switch("de")
    assert tr("Settings") == "Einstellungen" and tr._("Drive") == tr("Drive") == "Fahren"
    assert tr("no such msgid") == "no such msgid" and tr("") == ""
    assert (tr.language, tr.right_to_left, tr.align("left")) == ("de", False, "left")
    tr.switch("ar")
    assert (tr.right_to_left, tr.align("left"), tr.align("right"), tr.align("center")) == \
        (True, "right", "left", "center")
    tr.switch("en-GB")
    assert tr("Settings") == "Settings" and not tr.right_to_left


def test_only_finished_translations_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    po = tmp_path / "xx" / "LC_MESSAGES" / "hmi.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Speed"\nmsgstr "Tempo"\n\n'
                  '#, fuzzy\nmsgid "Range"\nmsgstr "Reichweite"\n\n'
                  'msgid "Gear"\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    read = catalogues.translations.__wrapped__   # past the cache
    assert read("xx") == {"Speed": "Tempo"}
    assert read("yy") == {}                       # not shipped
    po.write_bytes(b'msgid "Speed"\nmsgstr "\xff\xfe"\n')   # not UTF-8
    with caplog.at_level(logging.WARNING, logger="hmi.i18n.catalogues"):
        assert read("xx") == {}
    assert "catalogue unreadable" in caplog.text


# --- the script layer ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, found", [
    ("Speed", "latin"), ("Ελληνικά", "latin"), ("12 km/h", "latin"), ("", "latin"),
    ("速度", "cjk"), ("スピード", "cjk"), ("日本語", "cjk"), ("简体中文", "cjk"),
    ("السرعة", "arabic"), ("日本語 · العربية", "arabic"), ("62 ٪", "arabic"),
])
def test_script_of(text: str, found: str) -> None:
    assert script.script_of(text) == found


def test_a_missing_font_falls_back_and_logs_once(monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture,
                                                 tmp_path: Path) -> None:
    missing = str(tmp_path / "NoSuchFont.ttc")
    monkeypatch.setitem(script.FONT_FILES, "cjk", (missing, missing, "fonts-noto-cjk"))
    monkeypatch.setattr(script, "_available", {})
    with caplog.at_level(logging.WARNING, logger="hmi.i18n.script"):
        assert script.font_for("cjk") == script.DEFAULT_FONT
        assert script.font_for("cjk") == script.DEFAULT_FONT
        label = script.ScriptLabel(text="日本語", font_size=20, font_name=script.DEFAULT_FONT)
        label.resolve_font_name()
        label.render()
    warnings = [r for r in caplog.records if r.name == "hmi.i18n.script"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert missing in warnings[0].getMessage() and "fonts-noto-cjk" in warnings[0].getMessage()
    assert label.options["font_name"] == script.DEFAULT_FONT
    assert script.font_for("latin") == script.DEFAULT_FONT


@pytest.mark.parametrize("text, name", [("日本語", "EmaNotoSansCJK"),
                                        ("العربية", "EmaNotoSansArabic"), ("Deutsch", None)])
def test_a_label_takes_the_font_of_its_text(text: str, name: str | None) -> None:
    installed = {"EmaNotoSansCJK": "cjk", "EmaNotoSansArabic": "arabic"}
    if name:   # make test installs the fonts: a missing one is a failed setup, not a skip
        assert Path(script.FONT_FILES[installed[name]][0]).is_file(), \
            f"{script.FONT_FILES[installed[name]][2]} is not installed"
    label = script.ScriptLabel(text=text, font_size=20, font_name=script.DEFAULT_FONT)
    label.resolve_font_name()
    assert label.options["font_name"] == (name or script.DEFAULT_FONT)


def test_arabic_is_shaped_into_joined_forms() -> None:
    shaped = script.shaped_logical("سلام")   # seen, lam, alef, meem
    assert [unicodedata.name(c) for c in shaped] == [
        "ARABIC LETTER SEEN INITIAL FORM", "ARABIC LIGATURE LAM WITH ALEF FINAL FORM",
        "ARABIC LETTER MEEM ISOLATED FORM"]
    joined = script.shaped_logical("السرعة")
    assert all("\ufe70" <= c <= "\ufeff" for c in joined)        # presentation forms only
    assert "FINAL FORM" in unicodedata.name(joined[-1])
    assert script.shaped_logical("قفل 50 %").endswith("\u066a")   # % in its Arabic form
    assert script.shaped_logical("Speed 62") == "Speed 62"          # Latin untouched


def test_visual_order_of_a_mixed_line() -> None:
    line = script.visual_line(script.shaped_logical("المدى 312 km"))
    assert "312" in line and "km" in line             # numbers and Latin stay left to right
    assert line.index("312") < line.index(script.shaped_logical("المدى")[::-1])
    assert line.startswith("km")                      # the right-to-left paragraph ends left


def test_wrapped_arabic_is_ordered_line_by_line() -> None:
    """The bidi algorithm reorders each line after breaking: the first line on screen holds
    the first words read (reordering the whole paragraph first would put the last ones there)."""
    words = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية".split()
    label = script.ScriptLabel(text=" ".join(words), font_size=20, text_size=(120, None),
                               font_name=script.DEFAULT_FONT)
    label.resolve_font_name()
    label.render()
    lines = ["".join(word.text for word in line.words).strip() for line in label._cached_lines]
    assert len(lines) >= 3, lines
    shaped = [script.shaped_logical(word) for word in words]
    logical_lines = [line[::-1].split() for line in lines]   # all-Arabic lines: visual = reversed
    assert logical_lines[0][0] == shaped[0]                   # first line starts with "one"
    assert shaped[-1] in logical_lines[-1] and shaped[-1] not in logical_lines[0]
    # logical words from first line to last, each shaped in its context: the whole text
    assert " ".join(" ".join(line) for line in logical_lines) == script.shaped_logical(
        " ".join(words))
    assert label.text == " ".join(words)                      # the widget keeps logical text


def test_a_run_language_is_not_saved_by_a_later_change(tmp_path: Path) -> None:
    """`--language ar` shows Arabic for this run; the driver then changes the theme: the file
    still holds the driver's own language, not the run's."""
    path = tmp_path / "preferences.json"
    PreferencesModel(path).choose("language", "de")
    preferences = PreferencesModel(path)
    preferences.start_in("ar")
    preferences.choose("theme", "day")
    again = PreferencesModel(path)
    assert (again.language, again.theme) == ("de", "day")


def test_an_unchosen_language_is_not_saved(tmp_path: Path) -> None:
    """A driver who only changed the theme has not chosen the system locale's language: the
    next start follows the locale again."""
    path = tmp_path / "preferences.json"
    PreferencesModel(path, default_language="fr").choose("theme", "day")
    assert "language" not in saved(path)
    assert PreferencesModel(path, default_language="it").language == "it"
