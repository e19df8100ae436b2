"""Every user-visible string of the kv files goes through hmi.i18n.tr, the one gettext hook.

A `text:` that is a bare literal ("Speed") would escape translation; bindings, pure numbers
and symbols ("+", "−", "--") need none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hmi.i18n import N_, tr

HMI = Path(__file__).resolve().parents[2] / "hmi"
# The cabin's kv files. The designer's panel (hmi/demo) is a desktop tool in English only.
KV_FILES = sorted([*HMI.glob("screens/*.kv"), *HMI.glob("widgets/*.kv"), HMI / "shell.kv"])
TEXT_LINE = re.compile(r"^\s*text\s*:\s*(?P<expr>.+?)\s*$")
LITERAL = re.compile(r"""(?P<quote>['"])(?P<body>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""")


def untranslated(expr: str) -> list[str]:
    """String literals with a letter in a kv `text:` expression that are not tr's argument."""
    found = []
    for match in LITERAL.finditer(expr):
        if not re.search(r"[^\W\d_]", match.group("body")):
            continue   # numbers, symbols, spaces
        if not re.search(r"\btr\(\s*$", expr[:match.start()]):
            found.append(match.group(0))
    return found


def test_the_scan_finds_what_it_should() -> None:
    assert untranslated("'Speed'") == ["'Speed'"]
    assert untranslated("'On' if root.x else tr('Off')") == ["'On'"]
    assert untranslated("tr('Speed')") == []
    assert untranslated("tr( \"Rated\" )") == []
    assert untranslated("'−'") == [] and untranslated("'--'") == [] and untranslated("'+'") == []
    assert untranslated("root.models.terrain.active.text") == []


def test_there_are_kv_files_to_scan() -> None:
    assert len(KV_FILES) >= 8 and all(p.exists() for p in KV_FILES)


@pytest.mark.parametrize("path", KV_FILES, ids=lambda p: str(p.relative_to(HMI)))
def test_kv_texts_go_through_tr(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = [f"{path.name}:{number}: {line.strip()}" for number, line in enumerate(lines, 1)
           if (m := TEXT_LINE.match(line)) and untranslated(m.group("expr"))]
    assert bad == []
    if any("tr(" in line for line in lines if TEXT_LINE.match(line)):
        assert "#:import tr hmi.i18n.tr" in lines


def test_tr_is_the_identity_until_translations_exist() -> None:
    assert tr("Speed") == "Speed" and tr("") == "" and N_("Rated") == "Rated"
