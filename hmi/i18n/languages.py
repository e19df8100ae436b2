"""The languages the cabin ships, and what each one's market expects by default.

One row per language: its tag (BCP 47, as `--language` and `$EMA_LANGUAGE` take it), the
name it is listed under in Settings (its own name, so a driver who cannot read the current
language still finds theirs), the Babel locale that formats its numbers, its script (which
decides the font, hmi.i18n.script) and the units its market reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..units import ConsumptionUnit, DistanceUnit, TemperatureUnit, UnitPreferences

SOURCE_LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Language:
    """One shipped language: `tag` is BCP 47, `catalogue` the gettext directory name."""

    tag: str
    native_name: str
    babel_locale: str
    script: str            # "latin", "cjk" or "arabic"
    units: UnitPreferences
    right_to_left: bool = False
    units_reason: str = ""

    @property
    def catalogue(self) -> str:
        """The directory under hmi/locale (gettext spells regions with "_")."""
        return self.tag.replace("-", "_")


_UK = UnitPreferences(DistanceUnit.MI, TemperatureUnit.CELSIUS, ConsumptionUnit.MI_PER_KWH)
_US = UnitPreferences(DistanceUnit.MI, TemperatureUnit.FAHRENHEIT, ConsumptionUnit.MI_PER_KWH)
_EU = UnitPreferences(DistanceUnit.KM, TemperatureUnit.CELSIUS, ConsumptionUnit.KWH_PER_100KM)
_JA = UnitPreferences(DistanceUnit.KM, TemperatureUnit.CELSIUS, ConsumptionUnit.KM_PER_KWH)

LANGUAGES: tuple[Language, ...] = (
    Language("en-GB", "English (UK)", "en_GB", "latin", _UK,
             units_reason="UK roads sign miles and mph; temperatures are read in °C"),
    Language("en-US", "English (US)", "en_US", "latin", _US),
    Language("de", "Deutsch", "de_DE", "latin", _EU),
    Language("fr", "Français", "fr_FR", "latin", _EU),
    Language("es", "Español", "es_ES", "latin", _EU),
    Language("it", "Italiano", "it_IT", "latin", _EU),
    Language("nl", "Nederlands", "nl_NL", "latin", _EU),
    Language("pl", "Polski", "pl_PL", "latin", _EU),
    Language("pt-PT", "Português", "pt_PT", "latin", _EU),
    Language("ja", "日本語", "ja_JP", "cjk", _JA,
             units_reason="Japanese EV meters (Nissan Leaf, Sakura) show 電費 in km/kWh, "
                          "read like fuel economy in km/L"),
    Language("zh-Hans", "简体中文", "zh_Hans_CN", "cjk", _EU,
             units_reason="Chinese EVs and the GB/T 18386 test state 百公里电耗, "
                          "energy per 100 km (kWh/100 km)"),
    Language("ar", "العربية", "ar", "arabic", _EU, right_to_left=True),
)
BY_TAG = {language.tag: language for language in LANGUAGES}

# How system locales and loose tags name the shipped languages ("pt" is Portugal's here:
# the Brazilian market is not shipped, and European Portuguese reads better there than English).
_ALIASES = {"en": "en-GB", "pt": "pt-PT", "zh": "zh-Hans", "zh-cn": "zh-Hans",
            "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans", "en-us": "en-US", "en-gb": "en-GB"}


def system_language(environ: Mapping[str, str]) -> Language | None:
    """The shipped language the system locale asks for, in gettext's order of variables
    (LANGUAGE may list several, "de:en"); None when it names none we ship (C, POSIX)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in environ.get(variable, "").split(":"):
            found = resolve(tag)
            if found is not None:
                return found
        if environ.get(variable) and variable != "LANGUAGE":
            return None   # the first locale variable set decides, as in gettext
    return None


def resolve(tag: str | None) -> Language | None:
    """The shipped language a tag or POSIX locale names ("de_DE.UTF-8", "de-AT", "ja"), or
    None when none is shipped for it; callers then fall back to the next source."""
    if not tag:
        return None
    clean = tag.split(".")[0].split("@")[0].replace("_", "-").strip()
    if not clean or clean.upper() in ("C", "POSIX"):
        return None
    lowered = {language.tag.lower(): language for language in LANGUAGES}
    key = clean.lower()
    for candidate in (key, _ALIASES.get(key, ""), key.split("-")[0],
                      _ALIASES.get(key.split("-")[0], "")):
        if candidate in lowered:
            return lowered[candidate]
        if candidate in _ALIASES:
            return BY_TAG[_ALIASES[candidate]]
    return None
