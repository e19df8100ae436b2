"""The shipped gettext catalogues, read with Babel straight from their `.po` files.

The `.po` files under hmi/locale are the only form in the repository and the package:
reading them at load (a few milliseconds per language) means a fresh checkout, an editable
install and a Pi image all work with no compile step that could be forgotten or go stale.
A fuzzy or empty entry is not used: the English source text shows instead, never a guess.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOG = logging.getLogger(__name__)
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "hmi"


def po_path(catalogue: str) -> Path:
    """Where the catalogue of directory name `catalogue` ("de", "pt_PT") lives."""
    return LOCALE_DIR / catalogue / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(catalogue: str) -> Catalog | None:
    """The Babel catalogue of one language, or None when it does not ship."""
    path = po_path(catalogue)
    if not path.exists():
        return None
    with path.open("rb") as stream:
        return read_po(stream, locale=catalogue)


@cache
def translations(catalogue: str) -> dict[str, str]:
    """msgid -> translated text for one language: only finished (non-fuzzy, non-empty) ones."""
    try:
        parsed = read_catalogue(catalogue)
    except (OSError, ValueError) as error:
        LOG.warning("language %s: catalogue unreadable (%s); showing English", catalogue, error)
        return {}
    if parsed is None:
        return {}
    return {str(message.id): str(message.string) for message in parsed
            if message.id and isinstance(message.id, str) and isinstance(message.string, str)
            and message.string and not message.fuzzy}
