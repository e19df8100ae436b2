"""Every translation of every shipped language can be drawn: no character falls outside the
font its text renders in (hmi.i18n.script chooses Roboto, Noto Sans CJK or Noto Sans Arabic
from the text itself). A box on the glass is the one failure nothing at run time reports."""

from __future__ import annotations

import re

import pytest

from hmi.i18n import LANGUAGES, SOURCE_LANGUAGE
from hmi.i18n.catalogues import translations
from tests.support.fonts import undrawable

PLACEHOLDER = re.compile(r"\{\w*\}")   # filled in with figures or other translated texts
SHIPPED = [language for language in LANGUAGES if language.tag != SOURCE_LANGUAGE]


@pytest.mark.parametrize("language", SHIPPED, ids=lambda language: language.tag)
def test_every_translation_is_drawable(language) -> None:
    texts = translations(language.catalogue)
    assert texts, f"no catalogue for {language.tag}"
    missing = {msgid: sorted(gaps) for msgid, text in texts.items()
               if (gaps := undrawable(PLACEHOLDER.sub("0", text)))}
    assert missing == {}


def test_the_source_texts_are_drawable() -> None:
    texts = translations(SHIPPED[0].catalogue)
    assert {msgid: sorted(gaps) for msgid in texts if (gaps := undrawable(msgid))} == {}
