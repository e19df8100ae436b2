"""Every user-visible string of the kv files goes through hmi.i18n.tr, the one gettext hook.

kv rules write `tr._('Speed')` (the observable spelling: the rule re-evaluates on a language
switch, hmi.i18n.translator); Python writes `tr('Speed')`. A `text:` that is a bare literal
("Speed") would escape translation; bindings, pure numbers and symbols ("+", "−", "--") need
none. The designer's panel (hmi/demo/panel.kv) is translated too, so it is scanned as well."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hmi.i18n import N_, tr

HMI = Path(__file__).resolve().parents[2] / "hmi"
KV_FILES = sorted([*HMI.glob("screens/*.kv"), *HMI.glob("widgets/*.kv"), HMI / "shell.kv",
                   HMI / "demo" / "panel.kv"])
TEXT_LINE = re.compile(r"^\s*text\s*:\s*(?P<expr>.+?)\s*$")
LITERAL = re.compile(r"""(?P<quote>['"])(?P<body>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""")
TR_CALL = re.compile(r"\btr(?:\._)?\(\s*$")   # `tr(` or `tr._(` right before the literal
USES_TR = re.compile(r"\btr(?:\._)?\(")
IMPORT_TR = "#:import tr hmi.i18n.tr"


def untranslated(expr: str) -> list[str]:
    """String literals with a letter in a kv `text:` expression that are not tr's argument."""
    found = []
    for match in LITERAL.finditer(expr):
        if not re.search(r"[^\W\d_]", match.group("body")):
            continue   # numbers, symbols, spaces
        if not TR_CALL.search(expr[:match.start()]):
            found.append(match.group(0))
    return found


def test_the_scan_finds_what_it_should() -> None:
    assert untranslated("'Speed'") == ["'Speed'"]
    assert untranslated("'On' if root.x else tr._('Off')") == ["'On'"]
    assert untranslated("tr._('Speed')") == [] and untranslated("tr('Speed')") == []
    assert untranslated("tr._( \"Rated\" )") == []
    assert untranslated("str._('Speed')") == ["'Speed'"]   # another object's `_` is not tr
    assert untranslated("'{:g}x'.format(self.factor)") == ["'{:g}x'"]
    assert untranslated("'−'") == [] and untranslated("'--'") == [] and untranslated("'+'") == []
    assert untranslated("root.models.terrain.active.text") == []


def test_there_are_kv_files_to_scan() -> None:
    assert len(KV_FILES) >= 9 and all(p.exists() for p in KV_FILES)


def kv_problems(path: Path) -> list[str]:
    """Untranslated `text:` literals, and a file that calls tr without importing it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = [f"{path.name}:{number}: {line.strip()}" for number, line in enumerate(lines, 1)
           if (m := TEXT_LINE.match(line)) and untranslated(m.group("expr"))]
    if any(USES_TR.search(line) for line in lines if not line.lstrip().startswith("#")) \
            and IMPORT_TR not in lines:
        bad.append(f"{path.name}: uses tr without `{IMPORT_TR}`")
    return bad


# "{:g}x" in the panel's speed buttons is a number format with a unit symbol, not a word.
ALLOWED = {"panel.kv": {"""text: "{:g}x".format(self.factor)"""}}


@pytest.mark.parametrize("path", KV_FILES, ids=lambda p: str(p.relative_to(HMI)))
def test_kv_texts_go_through_tr(path: Path) -> None:
    allowed = ALLOWED.get(path.name, set())
    assert [bad for bad in kv_problems(path) if bad.split(": ", 1)[-1] not in allowed] == []


def test_the_scan_fails_a_planted_literal_and_a_missing_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.kv"
    planted.write_text("<Thing>:\n    text: 'Speed'\n    Label:\n        text: tr._('Range')\n",
                       encoding="utf-8")
    assert kv_problems(planted) == ["planted.kv:2: text: 'Speed'",
                                    f"planted.kv: uses tr without `{IMPORT_TR}`"]


def test_tr_is_the_identity_in_the_source_language() -> None:
    assert tr.language == "en-GB"
    assert tr("Speed") == "Speed" and tr("") == "" and N_("Rated") == "Rated"
    assert tr._("Speed") == "Speed"
