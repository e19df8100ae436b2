"""The observable translator: one object every user-visible string goes through.

Kivy has no internationalisation of its own. The usual pattern, used here, is an observable
whose `_` kv rules call (`text: tr._('Speed')`): the kv compiler sees `tr._` and binds the
rule to it, so switching the language re-evaluates every such rule in the same frame with no
rebuild. Python code calls the same object (`tr('Speed')`), and the view-models re-derive
their texts when `language` changes (hmi.applier follows it like a unit change).
"""

from __future__ import annotations

from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, StringProperty

from .catalogues import translations
from .languages import BY_TAG, SOURCE_LANGUAGE, Language

# Attribute names a kv rule may bind on the translator that stand for "the language".
_LANGUAGE_KEYS = ("_", "align")


class Translator(EventDispatcher):
    """The current language and its texts; `language` is a shipped tag such as "de"."""

    language = StringProperty(SOURCE_LANGUAGE)
    right_to_left = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texts: dict[str, str] = {}

    @property
    def current(self) -> Language:
        return BY_TAG[self.language]

    def switch(self, tag: str) -> None:
        """Show `tag`'s texts from now on; every bound kv rule re-evaluates at once."""
        language = BY_TAG[tag]
        self._texts = translations(language.catalogue) if tag != SOURCE_LANGUAGE else {}
        self.right_to_left = language.right_to_left
        self.language = tag

    def __call__(self, msgid: str) -> str:
        """The text to show for the English `msgid`; "" stays "" (gettext would answer its
        catalogue header), and a msgid with no finished translation shows in English."""
        if not msgid:
            return msgid
        return self._texts.get(msgid, msgid)

    def _(self, msgid: str) -> str:
        """kv's spelling of a call: `tr._('Speed')` makes the rule follow the language."""
        return self(msgid)

    def align(self, halign: str) -> str:
        """A label's alignment as the reading direction wants it: kv writes
        `halign: tr.align('left')`, and right-to-left languages get 'right'."""
        if self.right_to_left and halign in ("left", "right"):
            return "right" if halign == "left" else "left"
        return halign

    # kv binds a rule to every attribute it reads; `_` and `align` are methods, so a
    # binding to them is a binding to `language`.
    def fbind(self, name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        if name in _LANGUAGE_KEYS:
            name = "language"
        return super().fbind(name, func, *args, **kwargs)

    def funbind(self, name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        if name in _LANGUAGE_KEYS:
            name = "language"
        return super().funbind(name, func, *args, **kwargs)

    def unbind_uid(self, name: str, uid: Any) -> Any:
        if name in _LANGUAGE_KEYS:
            name = "language"
        return super().unbind_uid(name, uid)
