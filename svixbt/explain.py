"""`explain`: what the tool found in a file, for a person — subjects, their claims with the
line of each proof, and the examples the claims support."""

from __future__ import annotations

from pathlib import Path

from .claims import Claim, FileContext
from .claims.core import LIST_SEP, MORE, NOT
from .evidence import Indexes, file_context
from .pipeline import scan_file
from .plan import _claims as claims_by_item
from .plan import plan_examples, subjects_of

__all__ = ["render", "render_context"]


def _claim_line(ctx: FileContext, c: Claim) -> str:
    flags = f" [{', '.join(sorted(c.flags))}]" if c.flags else ""
    slots = "; ".join(
        f"{k}={v.replace(LIST_SEP, ' | ').replace(NOT, 'not ').replace(MORE, '+')}"
        for k, v in c.slots
    )
    where = []
    for p in c.proof[:3]:
        if p.file == ctx.display:
            where.append(f"line {ctx.fs.scan.line_of(p.start)}")
        else:
            where.append(p.file)
    return f"    {c.kind}{flags}: {slots}  ({', '.join(where)})"


def render_context(ctx: FileContext) -> str:
    claims = claims_by_item(ctx)
    tasks, helpers = subjects_of(ctx, claims)
    idx = ctx.index
    lines = [
        f"{ctx.display}: {len(ctx.fs.items)} items, {len(tasks)} task(s), {len(helpers)} helper(s)"
    ]
    if idx.root is not None:
        state = "every file read" if idx.complete else "some files unreadable"
        lines.append(f"crate: {idx.root} ({len(idx.files)} files, {state})")
    else:
        lines.append("crate: none (callers and execution context are not claimed)")
    for i in tasks + helpers:
        it = ctx.fs.items[i]
        role = "task" if i in tasks else "helper"
        lines.append("")
        lines.append(f"{role}: {it.kind} {it.name}  (lines {it.start_line}-{it.end_line})")
        for c in claims[i]:
            lines.append(_claim_line(ctx, c))
    plans = plan_examples(ctx, claims)
    lines.append("")
    lines.append(f"examples the claims support: {len(plans)}")
    for p in sorted(plans, key=lambda p: p.priority, reverse=True):
        kinds = ", ".join(dict.fromkeys(c.kind for c in p.claims))
        lines.append(f"  {ctx.fs.items[p.subject].name} / {p.focus}: {kinds}")
    tests = [it.name for it in ctx.fs.items if it.is_test and it.parent is None]
    if tests:
        lines.append("")
        lines.append(f"test code left out: {', '.join(tests)}")
    return "\n".join(lines) + "\n"


def render(path: Path, with_crate: bool = True) -> str:
    fs = scan_file(path)
    return render_context(file_context(fs, Indexes(with_crate=with_crate)))
