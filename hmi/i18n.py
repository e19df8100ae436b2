"""The one door every user-visible HMI string goes through on its way to the screen.

`tr(msgid)` takes the English text (the msgid) and gives the text to show. Today it is the
identity; it is the single hook where gettext (Babel catalogues, a live language switch) plugs
in, so no other module formats a user-visible string without passing it through here.

Rules for callers, so that a translation can work later:
- pass the whole phrase, not pieces glued together ("Front locker", not "Front" + " locker");
- put values in with `str.format` placeholders after translating:
  `tr("Using {program}").format(program=...)`, never inside the msgid with an f-string;
- kv files import it with `#:import tr hmi.i18n.tr` and write `text: tr('Speed')`
  (tests/hmi/test_i18n.py fails on a bare `text: 'literal'`).
"""

from __future__ import annotations


def tr(msgid: str) -> str:
    """The text to show for the English `msgid` (identity until translations exist).

    "" stays "" (gettext would answer the catalogue header): callers may pass an empty text."""
    if not msgid:
        return msgid
    return msgid


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction without translating it yet (tables built at import time).

    A table of English texts built when a module is imported must not be translated then:
    the language can change while the app runs. Such tables hold msgids marked with `N_`,
    and the code that shows one calls `tr` on it.
    """
    return msgid
