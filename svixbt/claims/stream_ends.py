"""Whether a `while let Some(x) = self.next().await` can end through its pattern: a `Stream`
impl of the file whose `poll_next` never gives `None` keeps the loop going for good.

reth's DNS discovery service spawns `while let Some(event) = self.next().await { .. }`, and its
`poll_next` is `Poll::Ready(Some(ready!(self.get_mut().poll(cx))))`: the stream never ends, so
the task runs until it is aborted. "The task is over at the first check that does not match"
promised an end the code cannot reach (held-out read 80 #14).
"""

from __future__ import annotations

import re

from ..fact_types import Src
from ..facts import ItemFacts
from ..scanner import Item
from .core import FileContext, Proof

__all__ = ["endless_stream", "never_none"]

_ANY_SOME = re.compile(r"Some\s*\(\s*(?:mut\s+)?(?:\w+|_)\s*\)")
_NEXT = re.compile(r"(\w+)\s*\.\s*next\s*\(\s*\)\s*\.await")
# What lets `poll_next` give `None`: the word itself, a `?` (on a `Poll<Option<..>>` it hands a
# `None` up), or a poll handed on from another stream (`self.inner.poll_next(cx)`).
_MAY_END = re.compile(
    r"\bNone\b|\?|\bpoll_next\w*|\bpoll_recv\w*|Poll\s*::\s*Ready\s*\((?!\s*Some\()"
)


def endless_stream(
    ctx: FileContext, f: ItemFacts, pattern: str, expr: str
) -> tuple[str, Src, int] | None:
    """(the stream's type, its `poll_next` as written, the `impl Stream` item) when ``expr``
    is `x.next().await` on a type whose `Stream` impl in this file never yields `None`, and
    ``pattern`` takes every `Some` (`Some(Ok(x))` still fails on an error item)."""
    m = _NEXT.fullmatch(expr.strip())
    if m is None or not _ANY_SOME.fullmatch(pattern.strip()):
        return None
    owner = _type_of(ctx, f, m.group(1))
    if not owner:
        return None
    for i, it in enumerate(ctx.fs.items):
        if it.kind != "impl" or not re.search(
            rf"(?:^|[\s:])Stream\s+for\s+{re.escape(owner)}\b", it.name
        ):
            continue
        poll = next(
            (c for c in ctx.fs.items if c.parent == i and c.kind == "fn" and c.name == "poll_next"),
            None,
        )
        if poll is None or poll.body_start is None:
            return None
        body = ctx.fs.scan.text[poll.body_start : poll.end]
        if _MAY_END.search(body) or "Some(" not in body:
            return None
        return owner, _src(ctx, poll), i
    return None


def _type_of(ctx: FileContext, f: ItemFacts, name: str) -> str:
    """The type of ``name`` as the fn's own signature gives it: its impl's type for `self`."""
    if name == "self":
        d = ctx.fn_def(f.index)
        return d.owner if d is not None else ""
    for param, ty in f.params:
        if param == name:
            t = re.fullmatch(r"(?:&\s*(?:mut\s+)?)?(?:[\w]+::)*(\w+)(?:<.*>)?", ty.strip(), re.S)
            return t.group(1) if t else ""
    return ""


def _src(ctx: FileContext, it: Item) -> Src:
    start = it.keyword_start
    return Src(start, it.end, ctx.fs.scan.text[start : it.end])


def never_none(
    ctx: FileContext, f: ItemFacts, m: re.Match[str] | None, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """The `poll_next` that proves a `while let` on the stream never ends there (read 80 #14)."""
    endless = endless_stream(ctx, f, m.group(1), m.group(2)) if m else None
    if endless is None:
        return []
    slots["stream"] = endless[0]
    flags.add("never-none")
    return [ctx.proof(endless[1])]
