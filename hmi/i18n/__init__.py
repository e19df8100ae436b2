"""The one door every user-visible HMI string goes through on its way to the screen.

`tr(msgid)` takes the English (en-GB) text, the msgid, and gives the text to show in the
current language; kv files write `tr._('Speed')` so that their rules follow a live switch
(hmi.i18n.translator). Rules for callers, so that a translation can work:
- pass the whole phrase, not pieces glued together ("Front locker", not "Front" + " locker");
- put values in with `str.format` placeholders after translating:
  `tr("Using {program}").format(program=...)`, never inside the msgid with an f-string;
- tables built at import time hold msgids marked with `N_` and translate when shown.
Catalogues: hmi/locale/<language>/LC_MESSAGES/hmi.po, extracted with `pybabel extract`
(hmi/locale/babel.cfg, kv extractor in hmi.i18n.extract).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .languages import BY_TAG, LANGUAGES, SOURCE_LANGUAGE, Language, resolve, system_language

if TYPE_CHECKING:
    from .translator import Translator

    tr: Translator


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction without translating it yet (tables built at import time).

    A table of English texts built when a module is imported must not be translated then:
    the language can change while the app runs. Such tables hold msgids marked with `N_`,
    and the code that shows one calls `tr` on it.
    """
    return msgid


def __getattr__(name: str) -> Any:
    """`tr` and `Translator` are made on first use: they are Kivy objects, and hmi.cli reads
    the language table before Kivy may be imported (Kivy reads its environment at import)."""
    if name in ("tr", "Translator"):
        from . import translator

        if "tr" not in globals():
            globals()["tr"] = translator.Translator()
        globals()["Translator"] = translator.Translator
        return globals()[name]
    raise AttributeError(name)


__all__ = ["BY_TAG", "LANGUAGES", "SOURCE_LANGUAGE", "Language", "N_", "Translator", "resolve",
           "system_language", "tr"]
