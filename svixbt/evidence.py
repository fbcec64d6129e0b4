"""The background-task profile: which items are candidates, what they bring along, and the facts.

Candidates are items with a strong tag (tokio timers and task combinators, polling loops, shutdown
handling, retry). Helpers reachable from a candidate come along and may get examples of their own.
Test code is out; database-only and OpenAPI-only items are out unless a candidate reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .context import CallSite, call_sites, crate_scans, reachable, references
from .facts import ItemFacts, item_facts
from .pipeline import FileScan
from .rules import STRONG_TAGS

__all__ = ["Evidence", "build_evidence", "display_path", "grounding_context"]

# Kinds that can be the subject of an example. Consts and aliases only travel as context.
_SUBJECT_KINDS = frozenset({"fn", "impl", "struct", "trait", "enum"})
# Strong tags that can come from naming alone, so they need async work alongside.
_NAME_ONLY_TAGS = frozenset({"shutdown", "retry-backoff"})


@dataclass
class Evidence:
    fs: FileScan
    display: (
        str  # the path a maintainer would name, e.g. svix-server/src/expired_message_cleaner.rs
    )
    facts: dict[int, ItemFacts]
    candidates: list[int]  # items with strong background-task evidence, most important first
    helpers: list[int]  # non-candidate items reachable from a candidate, in source order
    reach: dict[int, list[int]]  # item -> same-file items it reaches (context slices)
    callers: dict[int, list[int]]  # item -> same-file fns that call it directly
    sites: dict[int, list[CallSite]] = field(default_factory=dict)  # calls from other files
    local_sites: dict[int, list[CallSite]] = field(default_factory=dict)  # calls in this file
    crate_text: str = ""  # concatenated crate sources, for grounding claims about the crate
    crate_root: Path | None = None
    crate_fn_returns: dict[str, str] = field(default_factory=dict)  # crate fn -> return type

    @property
    def module(self) -> str:
        return Path(self.display).stem

    def subjects(self) -> list[int]:
        return self.candidates + [h for h in self.helpers if h not in self.candidates]

    def name(self, idx: int) -> str:
        return self.fs.items[idx].name


def display_path(path: Path, crate_root: Path | None) -> str:
    """`<crate dir>/src/file.rs` when the file sits in a crate, else the path as given."""
    if crate_root is not None:
        try:
            rel = path.resolve().relative_to(crate_root.resolve().parent)
            return rel.as_posix()
        except ValueError:
            pass
    # Outside a crate an absolute path says more about this machine than about the code.
    return path.name if path.is_absolute() else path.as_posix()


def _importance(f: ItemFacts) -> tuple[int, int]:
    strong = len(set(f.tags) & STRONG_TAGS)
    richness = (
        len(f.sleeps)
        + len(f.intervals)
        + len(f.timeouts)
        + len(f.loops)
        + len(f.arms)
        + len(f.consts)
        + len(f.sql)
        + len(f.logs)
        + len(f.spawns)
        + f.selects
        + f.joins
    )
    return strong * 10 + richness, f.item.end - f.item.start


def build_evidence(fs: FileScan, with_crate: bool = True) -> Evidence:
    items = fs.items
    local_fns = {it.name for it in items if it.kind == "fn" and it.parent is None}
    facts: dict[int, ItemFacts] = {}
    for idx, it in enumerate(items):
        if it.is_test:
            continue
        facts[idx] = item_facts(fs, idx, local_fns)

    def strong(idx: int) -> bool:
        f = facts.get(idx)
        if f is None or items[idx].kind not in _SUBJECT_KINDS:
            return False
        own = {h.tag for h in fs.own_hits(idx)} & STRONG_TAGS
        if not own:
            return False
        # A name like `poll_shutdown` or `retry_count` alone is not a background task: without
        # tokio timers, task combinators or a polling loop, it must at least await something.
        if own <= _NAME_ONLY_TAGS:
            return "async" in items[idx].qualifiers or "await" in f.idents
        return True

    candidates = [idx for idx in facts if strong(idx)]
    # A method's impl is not a candidate of its own when its methods are: one subject, not two.
    candidates = [
        c
        for c in candidates
        if not (items[c].kind == "impl" and any(items[o].parent == c for o in candidates))
    ]
    candidates.sort(key=lambda i: _importance(facts[i]), reverse=True)

    reach: dict[int, list[int]] = {}
    for idx in facts:
        reach[idx] = [j for j in reachable(fs, idx) if not items[j].is_test]
    helpers: list[int] = []
    for c in candidates:
        for j in reach[c]:
            if j not in candidates and j not in helpers and items[j].kind in _SUBJECT_KINDS:
                helpers.append(j)
    helpers.sort()

    callers: dict[int, list[int]] = {idx: [] for idx in facts}
    for idx in facts:
        if items[idx].kind != "fn":
            continue
        for j in references(fs, idx):
            if items[j].kind == "fn" and idx not in callers.get(j, []):
                callers.setdefault(j, []).append(idx)

    root = None
    crate_text = ""
    sites: dict[int, list[CallSite]] = {}
    returns: dict[str, str] = {}
    if with_crate:
        root, scans = crate_scans(fs.source.path)
        if root is not None:
            crate_text = "\n".join(s.text for s in scans)
            module = fs.source.path.stem
            for idx in candidates + helpers:
                # A private fn cannot be called from another file: any same-named call there is
                # some other fn.
                if items[idx].kind != "fn" or not items[idx].visibility:
                    continue
                found = [
                    s
                    for s in call_sites(root, scans, items[idx].name, fs.source.path, module)
                    if not _same_file(root, s.file, fs.source.path)
                ]
                if found:
                    sites[idx] = found
            wanted = {
                c.written.split("::")[-1]
                for f in facts.values()
                for c in f.calls
                if c.written.startswith("crate::")
            }
            for s in scans:
                for it in s.items:
                    if it.kind == "fn" and it.name in wanted and it.parent is None:
                        sig = s.text[it.keyword_start : it.end].split("{", 1)[0]
                        if "->" in sig:
                            returns.setdefault(it.name, " ".join(sig.split("->", 1)[1].split()))
    local_sites: dict[int, list[CallSite]] = {}
    for idx in candidates + helpers:
        if items[idx].kind == "fn" and callers.get(idx):
            found = call_sites(fs.source.path.parent, [fs], items[idx].name, fs.source.path)
            if found:
                local_sites[idx] = found
    ev = Evidence(
        fs=fs,
        display=display_path(fs.source.path, root),
        facts=facts,
        candidates=candidates,
        helpers=helpers,
        reach=reach,
        callers=callers,
        sites=sites,
        crate_text=crate_text,
        crate_root=root,
        crate_fn_returns=returns,
        local_sites=local_sites,
    )
    return ev


def grounding_context(ev: Evidence) -> str:
    """Everything a claim about this file may rest on: the file, its crate, and file paths."""
    paths = {ev.display}
    for sites in ev.sites.values():
        paths.update(s.file for s in sites)
    return "\n".join([ev.fs.text, ev.crate_text, *sorted(paths)])


def _same_file(root: Path, rel: str, path: Path) -> bool:
    try:
        return (root / rel).resolve() == path.resolve()
    except OSError:
        return False
