"""`explain`: the evidence behind a file's examples, as text for a person."""

from __future__ import annotations

from pathlib import Path

from .context import needed_uses
from .evidence import build_evidence
from .pipeline import scan_file

__all__ = ["render"]


def render(path: Path, with_crate: bool = True) -> str:
    fs = scan_file(path)
    ev = build_evidence(fs, with_crate=with_crate)
    lines = [
        f"{ev.display}: {len(fs.items)} items, {len(ev.candidates)} candidate(s), "
        f"{len(ev.helpers)} helper(s)"
    ]
    if ev.crate_root is not None:
        lines.append(f"crate: {ev.crate_root}")
    src_lines = fs.text.splitlines()
    skipped = [it for it in fs.items if it.is_test and it.parent is None]
    for idx in ev.subjects():
        it = fs.items[idx]
        f = ev.facts[idx]
        role = "candidate" if idx in ev.candidates else "helper"
        lines.append("")
        lines.append(f"{role}: {it.kind} {it.name}  (lines {it.start_line}-{it.end_line})")
        if f.doc_summary:
            lines.append(f"  doc: {f.doc_summary}")
        if f.signature:
            lines.append(f"  signature: {f.signature}")
        lines.append(f"  tags: {', '.join(f.tags) or '-'}")
        for h in fs.own_hits(idx):
            lines.append(f"    {h.rule:18} line {h.line:4}: {src_lines[h.line - 1].strip()[:90]}")
        for c in f.consts:
            where = "fn" if c.local else "file"
            note = f"  // {c.comment}" if c.comment else ""
            lines.append(f"  const {c.name} = {c.expr}  => {c.human} ({where}){note}")
        for s in f.sleeps:
            via = f" via {s.cancellable}" if s.cancellable else ""
            lines.append(f"  sleep: {s.written}({s.arg}) line {s.line}{via}")
        for s in f.intervals:
            lines.append(f"  interval: {s.written}({s.arg}) line {s.line}")
        for s in f.timeouts:
            lines.append(f"  timeout: {s.written}({s.arg}) line {s.line}")
        for var, src in f.unwraps.items():
            lines.append(f"  sleeps for `{var}`, taken from `{src}`")
        for lp in f.loops:
            lines.append(f"  loop: {lp.keyword} {lp.condition}  (line {lp.line})".rstrip())
        for v, val in f.inits:
            lines.append(f"  let {v} = {val}")
        for arm in f.arms:
            acts = [f"logs {lg.macro}!" for lg in arm.logs]
            acts += [f"sets {v} = {val}" for v, val in arm.sets]
            acts += list(arm.returns)
            lines.append(f"  arm {arm.pattern} => {'; '.join(acts) or '-'}")
        for q in f.sql:
            flags = [x for x, on in (("LIMIT", q.limit), ("SKIP LOCKED", q.skip_locked)) if on]
            lines.append(f"  sql {q.verb} {','.join(q.tables)} [{' '.join(flags)}]: {q.text[:80]}")
        for lg in f.logs:
            lines.append(f'  log {lg.macro}! "{lg.message}" line {lg.line}')
        if f.shutdown:
            lines.append(f"  shutdown: {', '.join(dict.fromkeys(f.shutdown))}")
        for ret, line in f.early_returns:
            lines.append(f"  early return: {ret} (line {line})")
        reach = [fs.items[j].name for j in ev.reach.get(idx, [])]
        if reach:
            lines.append(f"  helpers: {', '.join(reach)}")
        uses = needed_uses(
            fs, [(fs.items[j].start, fs.items[j].end) for j in [idx, *ev.reach.get(idx, [])]]
        )
        for u in uses:
            lines.append(f"  import: {' '.join(u.text.split())}")
        callers = [fs.items[c].name for c in ev.callers.get(idx, [])]
        if callers:
            lines.append(f"  called here by: {', '.join(callers)}")
        for site in ev.sites.get(idx, []):
            wrap = " inside " + " inside ".join(site.wrappers) if site.wrappers else ""
            aw = " (awaited)" if site.awaited else ""
            lines.append(f"  call site: {site.file}:{site.line} in {site.caller or '-'}{wrap}{aw}")
    if skipped:
        lines.append("")
        lines.append("test code left out: " + ", ".join(f"{i.kind} {i.name}" for i in skipped))
    for p in fs.scan.problems:
        lines.append(f"problem: {p}")
    return "\n".join(lines) + "\n"
