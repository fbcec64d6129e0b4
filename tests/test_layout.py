"""The size limits issue 11 set for the code: no function over about 80 lines anywhere in the
package, and no claim builder module (``svixbt/claims``) over about 500. A function that long
does several jobs; a builder module that long holds several kinds of claim."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "svixbt"
MAX_FUNCTION_LINES = 80
MAX_BUILDER_LINES = 500


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (
            f"{path.name}:{node.lineno} {node.name}",
            node.end_lineno - node.lineno + 1,
        )
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno
    ]


def test_no_function_is_over_80_lines() -> None:
    long = [
        (name, n)
        for path in sorted(PACKAGE.rglob("*.py"))
        for name, n in _functions(path)
        if n > MAX_FUNCTION_LINES
    ]
    assert not long, long


def test_no_claim_builder_module_is_over_500_lines() -> None:
    builders = sorted((PACKAGE / "claims").glob("*.py"))
    assert builders
    big = [
        (p.name, n)
        for p in builders
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_BUILDER_LINES
    ]
    assert not big, big


def test_the_measure_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "m.py").write_text(f"def f() -> None:\n{body}\n", encoding="utf-8")
    assert _functions(tmp_path / "m.py") == [("m.py:1 f", MAX_FUNCTION_LINES + 1)]
