"""The model's modules import one another in one direction only (no cycles).

rating drives a Vehicle and the scenario runner builds one, so neither may be imported by
vehicle.py; a cycle would come back as a late import inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vehicle_sim.model

MODEL_DIR = Path(vehicle_sim.model.__file__).parent


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in MODEL_DIR.glob("*.py"):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                deps.add(node.module.split(".")[0])
        graph[path.stem] = deps
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return False


def test_no_import_cycles_in_the_model():
    graph = _graph()
    cyclic = [m for m in graph if m != "__init__" and _reaches(graph, m, m)]
    assert cyclic == []


def test_the_vehicle_does_not_know_ratings_or_scenarios():
    graph = _graph()
    for module in ("rating", "scenario", "scenario_runner", "trace"):
        assert not _reaches(graph, "vehicle", module), module
    assert not _reaches(graph, "rating", "scenario")


def test_functions_do_not_import_late():
    for path in MODEL_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef):
                late = [n for n in ast.walk(func) if isinstance(n, ast.Import | ast.ImportFrom)]
                assert late == [], f"{path.name}: {func.name} imports inside its body"
