"""Examples from evidence: (slices, focus, style) -> a maintainer's request and an expert's think.

Every sentence is built from facts the tool found; a builder whose evidence is missing returns
nothing, so a fact with no evidence is left out rather than guessed. The focus table below says
which builders exist, for which subjects, and how much each matters when a file has more
candidates than the cap.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .codeblock import CodeBlock, Slice, build_code, module_allowed
from .evidence import Evidence
from .focus_helpers import (
    focus_error_mapping,
    focus_gate,
    focus_helper_role,
    focus_probe,
    focus_sql_batch,
    focus_timeout_tx,
    focus_two_statements,
    module_draft,
    module_driver,
    pair_draft,
)
from .focus_tasks import (
    focus_batch,
    focus_errors,
    focus_fallback,
    focus_interval,
    focus_join,
    focus_launch,
    focus_observability,
    focus_retry,
    focus_schedule,
    focus_select,
    focus_shutdown,
    focus_spawn,
    focus_startup,
    focus_timeout,
)
from .narrate import Builder, Draft, launch_sentence, pace_sentence
from .phrasing import STYLES, Phraser, render_request

__all__ = ["Example", "Focus", "FOCUSES", "compose_examples", "Phraser", "STYLES"]


@dataclass
class Example:
    primary: int
    focus: str
    style: str
    items: list[int]
    spans: list[tuple[int, int]]
    rules: list[str]
    user: str = ""
    think: str = ""
    code: str = ""
    importance: tuple[int, int, int] = (0, 0, 0)
    subjects: list[int] = field(default_factory=list)
    slices: list[Slice] = field(default_factory=list)  # the code block's slices, with kinds


@dataclass(frozen=True)
class Focus:
    id: str
    builder: Builder
    for_candidates: bool
    priority: int
    with_helpers: bool = True


FOCUSES: tuple[Focus, ...] = (
    Focus("adaptive-schedule", focus_schedule, True, 10),
    Focus("shutdown", focus_shutdown, True, 9),
    Focus("error-backoff", focus_errors, True, 9),
    Focus("startup-check", focus_startup, True, 8),
    Focus("batch-size", focus_batch, True, 7),
    Focus("launch", focus_launch, True, 6),
    Focus("observability", focus_observability, True, 5),
    Focus("spawn", focus_spawn, True, 9),
    Focus("interval", focus_interval, True, 9),
    Focus("select", focus_select, True, 8),
    Focus("retry", focus_retry, True, 8),
    Focus("timeout", focus_timeout, True, 7),
    Focus("join", focus_join, True, 6),
    Focus("fallback", focus_fallback, True, 1),
    Focus("batch-sql", focus_sql_batch, False, 7),
    Focus("legacy-gate", focus_gate, False, 6),
    Focus("two-statements", focus_two_statements, False, 5),
    Focus("error-mapping", focus_error_mapping, False, 4),
    Focus("statement-timeout", focus_timeout_tx, False, 6),
    Focus("startup-probe", focus_probe, False, 6),
    Focus("helper-role", focus_helper_role, False, 2),
)


def _common_tail(ev: Evidence, idx: int, draft: Draft, focus: str, ph: Phraser) -> list[str]:
    """Reasoning every example about a task should carry: how it is launched, if not yet said."""
    # A one-off concurrent check (join) is not a launched task.
    if draft.launched or focus == "join":
        return []
    s = launch_sentence(ev, idx, ph, f"tail-{focus}-{idx}")
    return [s] if s else []


def _example(ev: Evidence, primary: int, focus: str, subjects: list[int]) -> Example:
    """An example whose code block (``codeblock.build_code``) shows ``subjects``."""
    block = build_code(ev.fs, subjects)
    ex = Example(primary, focus, "", block.items, block.spans, _rule_ids(ev, block.items))
    ex.subjects, ex.slices, ex.code = subjects, block.slices, block.text
    return ex


def _with_mentioned(ev: Evidence, ex: Example) -> None:
    """Bring a deeper helper into the code when the request or think names it (the focus is
    about it); the code block is otherwise one level deep."""
    have = set(ex.items)
    deeper = {j for s in ex.subjects for j in ev.reach.get(s, [])} - have
    named = set(re.findall(r"`([A-Za-z_]\w*)(?:\(\))?`", ex.user + "\n" + ex.think))
    extra = sorted(j for j in deeper if ev.fs.items[j].name in named)
    if extra:
        block: CodeBlock = build_code(ev.fs, ex.subjects, extra)
        ex.items, ex.spans, ex.slices, ex.code = block.items, block.spans, block.slices, block.text
        ex.rules = _rule_ids(ev, block.items)


def _rule_ids(ev: Evidence, items: list[int]) -> list[str]:
    out: set[str] = set()
    for i in items:
        f = ev.facts.get(i)
        if f:
            out.update(f.rule_ids)
    return sorted(out)


def compose_examples(ev: Evidence, ph: Phraser, cap: int = 25) -> list[Example]:
    """All examples the evidence supports, most important first, capped per file."""
    drafts: list[tuple[tuple[int, int, int], Example, Draft]] = []
    style_i = random.Random(f"{ph.seed}|style|{ev.display}").randrange(len(STYLES))
    subjects = ev.subjects()
    for rank, idx in enumerate(subjects):
        is_cand = idx in ev.candidates
        produced = 0
        for focus in FOCUSES:
            if focus.for_candidates != is_cand:
                continue
            if focus.id in ("helper-role", "fallback") and produced:
                continue
            draft = focus.builder(ev, idx, ph)
            if draft is None or not draft.think:
                continue
            produced += 1
            ex = _example(ev, idx, focus.id, [idx])
            imp = (int(is_cand), focus.priority, -rank)
            drafts.append((imp, ex, draft))
    # Composites: the whole module's background machinery (SPEC: only in a small file).
    if len(subjects) >= 2 and module_allowed(ev.fs):
        d = module_draft(ev, ph)
        if d is not None:
            d.launched = True  # a composite says how its driver runs, or nothing, itself
            ex = _example(ev, module_driver(ev), "module", sorted(subjects))
            drafts.append(((1, 7, 0), ex, d))
    # Composites: helpers that do the same job for different callers, shown side by side.
    groups: dict[tuple[str, ...], list[int]] = {}
    for h in ev.helpers:
        fh = ev.facts[h]
        if fh.item.kind == "fn" and fh.tags:
            groups.setdefault(tuple(fh.tags), []).append(h)
    for members in groups.values():
        if len(members) < 2:
            continue
        d = pair_draft(ev, members, ph)
        if d is None:
            continue
        ex = _example(ev, members[0], "helper-pair", members)
        drafts.append(((0, 5, 0), ex, d))
    drafts.sort(key=lambda x: x[0], reverse=True)
    chosen = drafts[:cap]
    out: list[Example] = []
    for n, (imp, ex, draft) in enumerate(chosen):
        ex.style = STYLES[(style_i + n) % len(STYLES)]
        salt = f"{ex.focus}|{ev.name(ex.primary)}"
        ex.user = render_request(ex.style, draft.ask, ph, salt)
        tail = _common_tail(ev, ex.primary, draft, ex.focus, ph)
        parts = draft.think + [t for t in tail if t not in draft.think]
        if not any("tokio" in p for p in parts):
            pace = pace_sentence(ev, ex.primary, ph, salt)
            if pace:
                parts.append(pace)
        ex.think = " ".join(parts)
        _with_mentioned(ev, ex)
        ex.importance = imp
        out.append(ex)
    return out
