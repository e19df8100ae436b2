"""Babel extractor for Kivy language files: the msgids of `tr._('...')` and `N_('...')`.

kv rules are Python expressions after a `name:`, so each line's expression goes through
Babel's own Python extractor; only the line numbering and the kv comment syntax differ.
Registered in hmi/locale/babel.cfg as `[hmi.i18n.extract:extract_kv: **.kv]`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

RULE = re.compile(r"^\s*[\w.]+\s*:\s*(?P<expr>.+?)\s*$")
KEYWORDS = {"_": None, "N_": None}


def extract_kv(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
               options: Mapping[str, Any]) -> Iterator[tuple[int, Any, Any, Any]]:
    """Yield what Babel's Python extractor yields for every tr._/N_ call in a kv file, with
    the kv file's line number."""
    for number, raw in enumerate(fileobj.read().decode("utf-8").splitlines(), 1):
        if raw.lstrip().startswith("#"):
            continue
        match = RULE.match(raw)
        if not match or ("_(" not in match.group("expr")):
            continue
        source = io.BytesIO(match.group("expr").encode("utf-8"))
        for _line, funcname, message, comments in extract_python(
                source, KEYWORDS, comment_tags, dict(options)):  # type: ignore[arg-type]
            yield number, funcname, message, comments
