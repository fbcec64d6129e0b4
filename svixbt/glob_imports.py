"""`use super::*;` across a crate: a child module file sees its parent module's imports.

A glob of the parent brings in every name the parent can see, its private `use` lines too, since
a child module is inside its parent. rustfs splits `HealManager` over `manager/scheduler.rs` and
its siblings, each opening with `use super::*;`, while `manager.rs` imports
`tokio::time::{interval, sleep}`: read alone, `interval(..)` in the scheduler resolved to
nothing, and its loop was said to have "no sleep or interval of its own" (held-out read 77 #24).
"""

from __future__ import annotations

import re

from .pipeline import FileScan
from .rules import hits_per_item, match_tokens

__all__ = ["inherit_super_globs"]

_SUPER_GLOB = re.compile(r"^\s*(?:pub(?:\s*\([^)]*\))?\s+)?use\s+super\s*::\s*\*\s*;\s*$")


def _globs_super(fs: FileScan) -> bool:
    return any(
        not u.is_test and not u.nested and _SUPER_GLOB.match(u.text.split("\n")[-1] or u.text)
        for u in fs.scan.uses
    )


def _own_names(fs: FileScan) -> set[str]:
    """Names the child file defines at its top level: they shadow a glob import."""
    return {it.name for it in fs.scan.items if it.parent is None and it.kind not in ("impl",)}


def inherit_super_globs(scans: list[FileScan], modules: list[str]) -> None:
    """Give each file that writes `use super::*;` the imports of its parent module's file, where
    neither its own `use` lines nor its own items already bind the name. Parents go first, so a
    chain of globs carries down. The rule hits of a file that changed are read again."""
    by_module: dict[str, int] = {}
    for i, m in enumerate(modules):
        by_module.setdefault(m, i)
    order = sorted(range(len(scans)), key=lambda i: modules[i].count("::"))
    for i in order:
        fs = scans[i]
        module = modules[i]
        if "::" not in module or not _globs_super(fs):
            continue
        parent = by_module.get(module.rsplit("::", 1)[0])
        if parent is None or parent == i:
            continue
        own = _own_names(fs)
        added = False
        for local, full in scans[parent].imports.items():
            if local not in fs.imports and local not in own:
                fs.imports[local] = full
                added = True
        if added:
            fs.hits = hits_per_item(fs.scan, match_tokens(fs.scan, fs.imports))
