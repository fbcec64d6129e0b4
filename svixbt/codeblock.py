"""Temporary stand-in for the code-block module being written on branch issue10-code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .context import needed_uses, reachable, use_runs
from .pipeline import FileScan
from .records import assemble_code

__all__ = ["Slice", "CodeBlock", "build_code", "whole_module_ok"]


@dataclass(frozen=True)
class Slice:
    start: int
    end: int
    kind: str
    item: int | None


@dataclass
class CodeBlock:
    slices: list[Slice]
    text: str
    context_lines: int


def build_code(fs: FileScan, subjects: Sequence[int], extra: Sequence[int] = ()) -> CodeBlock:
    items: set[int] = set(subjects) | set(extra)
    for s in list(items):
        items.update(j for j in reachable(fs, s) if not fs.items[j].is_test)
    chosen = [i for i in items if fs.items[i].parent not in items]
    spans = sorted({(fs.items[i].start, fs.items[i].end) for i in chosen})
    spans = sorted(set(spans + use_runs(fs, needed_uses(fs, spans))))
    slices = [Slice(a, b, "item", None) for a, b in spans]
    return CodeBlock(slices, assemble_code(fs.text, spans), 0)


def whole_module_ok(fs: FileScan) -> bool:
    lines = sum(it.end_line - it.start_line + 1 for it in fs.items if it.parent is None and not it.is_test)
    return lines <= 250


def code_errors(code: str, fs: FileScan) -> list[str]:
    """Stand-in: the code must be whole item or `use` slices joined by one blank line."""
    from .context import all_use_runs
    from .records import line_ending

    spans = [(it.start, it.end) for it in fs.items] + all_use_runs(fs)
    source = fs.text
    sep = line_ending(source) * 2
    by_first: dict[str, list[tuple[int, int]]] = {}
    for a, b in spans:
        if b > a:
            by_first.setdefault(source[a], []).append((a, b))
    stack: list[tuple[int, int, bool]] = [(0, -1, False)]
    seen: set[tuple[int, int, bool]] = set()
    while stack:
        pos, last_end, after_sep = stack.pop()
        if (pos, last_end, after_sep) in seen:
            continue
        seen.add((pos, last_end, after_sep))
        if pos == len(code) and last_end >= 0 and not after_sep:
            return []
        for a, b in by_first.get(code[pos], []) if pos < len(code) else []:
            if a < last_end or not code.startswith(source[a:b], pos):
                continue
            nxt = pos + b - a
            if nxt == len(code):
                stack.append((nxt, b, False))
            elif code.startswith(sep, nxt):
                stack.append((nxt + len(sep), b, True))
    return ["code is not whole slices of the source in source order"]
