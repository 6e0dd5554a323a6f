"""The shape of the house: imports only go down the layers (pyproject.toml's import-linter contracts),
the import graph has no circles, and modules and functions stay small."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plugins" / "csoa"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Over the limits on purpose, each with its reason (the README's architecture section repeats them).
LONGER_MODULES: dict[str, str] = {}
LONGER_FUNCTIONS: dict[str, str] = {}


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_graph_has_no_circles():
    graph = grimp.build_graph("csoa", cache_dir=None)
    edges = {module: graph.find_modules_directly_imported_by(module) for module in sorted(graph.modules)}
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as cycle:
        raise AssertionError(f"an import circle: {' -> '.join(cycle.args[1])}") from None


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_is_over_the_size_limit():
    too_long = {}
    for path in _modules():
        name = str(path.relative_to(PACKAGE.parent))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and name not in LONGER_MODULES:
            too_long[name] = lines
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def test_no_function_is_over_the_size_limit():
    too_long = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{path.relative_to(PACKAGE.parent)}:{node.name}"
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES and name not in LONGER_FUNCTIONS:
                    too_long[name] = lines
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines: {too_long}"
