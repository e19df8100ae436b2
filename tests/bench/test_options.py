"""`ema-bench`'s options are the documented ones: its parser, its usage line and README agree."""

from __future__ import annotations

import re
from pathlib import Path

from hmi.benchmark import cli

README = Path(__file__).resolve().parents[2] / "README.md"
OPTION = re.compile(r"--[a-z][a-z-]*")


def parser_options() -> set[str]:
    return {opt for action in cli.build_parser()._actions for opt in action.option_strings
            if opt.startswith("--") and opt != "--help"}


def readme_options() -> set[str]:
    """Every option on an `ema-bench` command line in README (its Performance section)."""
    lines = [line for line in README.read_text().splitlines()
             if line.lstrip("`").startswith("ema-bench")]
    assert lines, "README shows no ema-bench command"
    return {opt for line in lines for opt in OPTION.findall(line.split("#", 1)[0])}


def test_readme_documents_exactly_the_parsers_options() -> None:
    assert parser_options() == {"--quick", "--json"}
    assert readme_options() == parser_options()


def test_the_usage_in_the_docstring_lists_exactly_the_parsers_options() -> None:
    usage = next(line for line in (cli.__doc__ or "").splitlines()
                 if line.strip().startswith("ema-bench ["))
    assert set(OPTION.findall(usage)) == parser_options()
    assert "--skip-sim" not in (cli.__doc__ or "")
