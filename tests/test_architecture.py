"""The package rules, read from the source:

- `protocols` imports nothing of ours; the contract (all of `protocols` but `protocols.bus`)
  imports neither paho nor the bus, and `import protocols` exports only contract names;
- `vehicle_sim` and `hmi` import `protocols`, never each other, and never start each other
  either: no `python -m vehicle_sim...` from `hmi` (nor the reverse), no console script of the
  other package. A launch by module name is a dependency that an import rule cannot see.
  The declared exceptions: the demo launcher (hmi/demo/) and the benchmark (hmi/benchmark/)
  start the simulator on purpose.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"protocols", "vehicle_sim", "hmi", "tests"}
ALLOWED = {
    "protocols": {"protocols"},
    "vehicle_sim": {"protocols", "vehicle_sim"},
    "hmi": {"protocols", "hmi"},
}
# Folders that may start another package's process, and which package.
LAUNCH_EXCEPTIONS = {
    "hmi/demo": {"vehicle_sim"},
    "hmi/benchmark": {"vehicle_sim"},
}
CONTRACT_FORBIDDEN = ("paho", "protocols.bus")
CONTRACT_MODULES = ("catalogue", "codec", "errors", "messages", "topics")
SUBMODULES = {"auth", "bus", "catalogue", "codec", "diagnostics", "errors", "freshness",
              "messages", "seal", "topics"}
MODULE_PATH = re.compile(r"(?P<package>[A-Za-z_]\w*)(\.[A-Za-z_]\w*)+")
DASH_M = re.compile(r"(?:^|\s)-m\s+(?P<package>[A-Za-z_]\w*)")


# --- the checkers (pure: source text in, findings out) -------------------------------------
def imported_modules(source: str, package: str = "") -> set[str]:
    """Every module `source` imports, relative imports made absolute against `package` (the
    dotted name of the package the file is in: `protocols.bus` for protocols/bus/mqtt.py and
    for protocols/bus/__init__.py)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _absolute(name: str | None, level: int, package: str) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".") if package else []
    parts = parts[: max(len(parts) - (level - 1), 0)]
    return ".".join([*parts, *([name] if name else [])])


def imported_packages(source: str, package: str = "") -> set[str]:
    """The top-level packages of ours that `source` imports."""
    return {name.split(".")[0] for name in imported_modules(source, package)} & OURS


def launched_packages(source: str, scripts: dict[str, str] | None = None) -> set[str]:
    """The packages of ours that `source` starts as a process: a string naming one of their
    modules (`"vehicle_sim.cli"`, `f"hmi.{tool}"`), a `-m` followed by the package
    (`"-m", "vehicle_sim"` or `"python -m hmi.cli"`), or one of their console scripts."""
    scripts = scripts or {}
    found: set[str] = set()
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            found |= _packages_in_string(node.value, scripts)
        elif isinstance(node, ast.JoinedStr) and node.values \
                and isinstance(node.values[0], ast.Constant):
            head = str(node.values[0].value)
            if "." in head:
                found |= _packages_in_string(head.rstrip("."), scripts) | (
                    {head.split(".")[0]} & OURS)
        elif isinstance(node, (ast.List, ast.Tuple)):
            found |= _dash_m_argument(node.elts)
    return found & OURS


def _packages_in_string(text: str, scripts: dict[str, str]) -> set[str]:
    found = {match["package"] for match in DASH_M.finditer(text)}
    whole = MODULE_PATH.fullmatch(text)
    if whole:
        found.add(whole["package"])
    if text in scripts:
        found.add(scripts[text])
    return found


def _dash_m_argument(elements: list[ast.expr]) -> set[str]:
    """`[..., "-m", "vehicle_sim", ...]`: a bare package name after -m."""
    found: set[str] = set()
    for before, after in zip(elements, elements[1:], strict=False):
        if isinstance(before, ast.Constant) and before.value == "-m" \
                and isinstance(after, ast.Constant) and isinstance(after.value, str):
            found.add(after.value.split(".")[0])
    return found


def console_scripts() -> dict[str, str]:
    """`ema-sim` -> `vehicle_sim`, from pyproject's [project.scripts]."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {name: target.split(".")[0] for name, target in project["scripts"].items()}


# --- the tree ------------------------------------------------------------------------------
def sources(package: str) -> list[tuple[Path, str, str]]:
    """(path relative to ROOT, the package it is in, source) for every file of `package`."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        found.append((relative, ".".join(relative.parent.parts), path.read_text()))
    return found


def allowed_launches(relative: Path) -> set[str]:
    text = relative.as_posix()
    return set().union(*(packages for folder, packages in LAUNCH_EXCEPTIONS.items()
                         if text.startswith(folder + "/")))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package: str) -> None:
    offenders = {
        str(relative): sorted(imported_packages(source, inside) - ALLOWED[package])
        for relative, inside, source in sources(package)
        if imported_packages(source, inside) - ALLOWED[package]
    }
    assert offenders == {}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_starts_no_process_of_another(package: str) -> None:
    scripts = console_scripts()
    offenders = {}
    for relative, _, source in sources(package):
        launched = launched_packages(source, scripts) - ALLOWED[package]
        launched -= allowed_launches(relative)
        if launched:
            offenders[str(relative)] = sorted(launched)
    assert offenders == {}


def test_the_contract_imports_neither_paho_nor_the_bus() -> None:
    offenders = {}
    for relative, package, source in sources("protocols"):
        if package == "protocols.bus" or package.startswith("protocols.bus."):
            continue
        bad = sorted(name for name in imported_modules(source, package)
                     if any(name == f or name.startswith(f + ".") for f in CONTRACT_FORBIDDEN))
        if bad:
            offenders[str(relative)] = bad
    assert offenders == {}


def test_import_protocols_loads_no_paho() -> None:
    """In a fresh interpreter, so that nothing imported by the test run hides it."""
    code = ("import sys, protocols, protocols.bus; "
            "assert 'paho' not in sys.modules, sorted(m for m in sys.modules if 'paho' in m); "
            "assert 'protocols.bus.mqtt' not in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_protocols_exports_only_contract_names() -> None:
    """Every name `protocols` exports is defined in a contract module; no transport name."""
    import protocols

    contract = {f"protocols.{name}" for name in CONTRACT_MODULES}

    def from_the_contract(name: str) -> bool:
        value = getattr(protocols, name)
        origin = getattr(value, "__module__", None)
        if isinstance(origin, str) and origin.startswith("protocols"):
            return origin in contract
        return any(vars(sys.modules[module]).get(name) is value for module in contract)

    foreign = [name for name in protocols.__all__ if not from_the_contract(name)]
    assert foreign == []
    assert set(protocols.__all__) == {name for name in vars(protocols)
                                      if not name.startswith("_")} - SUBMODULES


# --- the checkers catch what they should -------------------------------------------------
def test_rule_catches_a_forbidden_import() -> None:
    source = "from vehicle_sim.model import spec\nimport hmi.app\n"
    assert imported_packages(source) == {"vehicle_sim", "hmi"}


def test_relative_imports_resolve_against_the_module() -> None:
    assert "protocols.bus.base" in imported_modules("from .base import Transport\n",
                                                    "protocols.bus")
    assert "protocols.topics" in imported_modules("from ..topics import ROOT\n",
                                                  "protocols.bus")
    assert "protocols.bus" in imported_modules("from .bus import Transport\n", "protocols")


@pytest.mark.parametrize("source, expected", [
    ('subprocess.Popen([sys.executable, "-m", "vehicle_sim.cli", "--broker", url])\n',
     {"vehicle_sim"}),
    ('command = [sys.executable, "-m", "vehicle_sim"]\n', {"vehicle_sim"}),
    ('os.system("python -m hmi.cli --profile desktop")\n', {"hmi"}),
    ('module = f"hmi.testbench.{name}"\n', {"hmi"}),
    ('subprocess.run(["ema-sim", "--broker", url])\n', {"vehicle_sim"}),
    ('importlib.import_module("vehicle_sim.node")\n', {"vehicle_sim"}),
])
def test_launch_rule_catches_a_planted_launch(source: str, expected: set[str]) -> None:
    assert launched_packages(source, {"ema-sim": "vehicle_sim"}) == expected


def test_launch_rule_ignores_docstrings_and_prose() -> None:
    source = ('"""Starts `python -m vehicle_sim.cli` in the demo only."""\n'
              'LABEL = "the hmi shows vehicle_sim values"\nKIND = "hmi"\n')
    assert launched_packages(source, {"ema-sim": "vehicle_sim"}) == set()


def test_launch_exceptions_are_only_the_demo_and_the_benchmark() -> None:
    assert allowed_launches(Path("hmi/demo/simulator.py")) == {"vehicle_sim"}
    assert allowed_launches(Path("hmi/benchmark/frames.py")) == {"vehicle_sim"}
    assert allowed_launches(Path("hmi/testbench/pytest_plugin.py")) == set()
    assert allowed_launches(Path("hmi/demonstration.py")) == set()


def test_the_contract_rule_catches_paho_and_the_bus() -> None:
    source = "import paho.mqtt.client as mqtt\nfrom .bus import Transport\n"
    names = imported_modules(source, "protocols")
    assert {"paho.mqtt.client", "protocols.bus"} <= names
