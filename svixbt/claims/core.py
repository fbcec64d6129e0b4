"""The claim type, how a claim is made against the kinds table (``kinds``), and the per-file
context builders read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..crate_index import CrateIndex, FnDef
from ..facts import ItemFacts, Src
from ..flow import Flow, Region
from ..pipeline import FileScan
from .blocks import loop_ordinal
from .kinds import KINDS

__all__ = [
    "Proof",
    "Claim",
    "FileContext",
    "claims_for",
    "make",
    "LIST_SEP",
    "NOT",
    "MORE",
    "codes",
    "codes_upto",
]

# Separates the elements of a list slot (several code spans); folded code never holds it.
LIST_SEP = "\x1f"
# Marks a condition list entry that is known false (an earlier branch of an `if` chain).
NOT = "\x02"
# Ends a list slot cut short: "\x03" and how many elements were left out, said "and N more" so
# a list of the first three calls is not read as all of them (held-out read 56).
MORE = "\x03"


def codes(*values: str) -> str:
    """A list slot: code spans joined for the renderer."""
    return LIST_SEP.join(v for v in values if v)


def codes_upto(values: Sequence[str], most: int) -> str:
    """A list slot of the first ``most`` of ``values``, ending in how many more there are."""
    rest = len(values) - most
    return codes(*values[:most], *([f"{MORE}{rest}"] if rest > 0 else []))


@dataclass(frozen=True)
class Proof:
    """A span of a source file that shows a claim holds; ``text == file[start:end]``."""

    file: str  # display path of the file (as the record names it)
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    kind: str
    subject: str  # the item the claim is about
    slots: tuple[tuple[str, str], ...]  # values sentences may use, all read off the proof
    flags: frozenset[str]
    proof: tuple[Proof, ...]

    def get(self, name: str, default: str = "") -> str:
        for k, v in self.slots:
            if k == name:
                return v
        return default

    def has(self, *flags: str) -> bool:
        return all(f in self.flags for f in flags)

    @property
    def conditional(self) -> bool:
        """Whether the claim holds only under a condition (a guard around it, or a flag that
        gates its statement)."""
        return bool({"guarded", "gated"} & self.flags)

    def overlaps(self, other: Claim) -> bool:
        """Whether a proof span of this claim overlaps one of ``other``'s in the same file: the
        two are about the same code."""
        return any(
            p.file == q.file and p.start < q.end and q.start < p.end
            for p in self.proof
            for q in other.proof
        )

    @property
    def slot_map(self) -> dict[str, str]:
        return dict(self.slots)


@dataclass
class FileContext:
    """What claim builders may read about one file: its scan, its items' facts, the crate."""

    fs: FileScan
    display: str  # e.g. svix-server/src/expired_message_cleaner.rs
    index: CrateIndex
    file_idx: int | None
    facts: dict[int, ItemFacts]
    crate_prefix: str = ""  # how other files' display paths start (`svix-server/`)
    _fn_defs: dict[int, FnDef | None] = field(default_factory=dict, repr=False)
    _fns_by_name: dict[str, list[ItemFacts]] | None = field(default=None, repr=False, compare=False)
    # Per-item results that every other item's claims ask for again (a task's own tokio waits,
    # asked once per item that might lie on its path): computed once per file.
    memo: dict[tuple[str, int], Any] = field(default_factory=dict, repr=False, compare=False)

    def proof(self, src: Src) -> Proof:
        return Proof(self.display, src.start, src.end, src.text)

    def head_src(self, r: Region) -> Src:
        """The construct's condition or pattern as written: `Err(e) if e.is_timeout()`."""
        return Src(r.head_start, r.head_end, self.fs.scan.text[r.head_start : r.head_end])

    def region_src(self, f: ItemFacts, r: Region) -> Src:
        """The construct's own text up to its body: `while !crate::is_shutting_down()`."""
        scan = self.fs.scan
        a = r.start_tok if r.start_tok >= 0 else r.lo
        b = max(a, r.lo - 1)
        if r.kind in ("arm", "select-handler"):
            b = max(a, r.lo - 2)  # the pattern, without `=> {`
        start = scan.starts[a]
        end = scan.starts[b] + len(scan.texts[b])
        if r.head_end > 0 and r.kind in ("loop", "if", "match"):
            end = r.head_end
        elif r.kind in ("loop", "if", "else", "let-else", "match", "async"):
            # Up to (not including) the body's `{`.
            end = scan.starts[b] if scan.texts[b] == "{" else end
            end = len(scan.text[:end].rstrip())
        return Src(start, end, scan.text[start:end])

    def fn_def(self, idx: int) -> FnDef | None:
        if idx not in self._fn_defs:
            d = None
            if self.file_idx is not None:
                d = self.index.fn_at(self.file_idx, idx)
            self._fn_defs[idx] = d
        return self._fn_defs[idx]

    @property
    def module_clash(self) -> bool:
        """Whether another file of the crate would be called the same module ("the udprelay
        module" named one of shadowsocks' four `udprelay.rs`: blind read 104)."""
        key = ("module_clash", -1)
        if key not in self.memo:
            from .component import _from_path

            mine = _from_path(self.display)
            self.memo[key] = mine is not None and any(
                i != self.file_idx and _from_path(self.other_display(i)) == mine
                for i in range(len(self.index.rel))
            )
        return bool(self.memo[key])

    def other_display(self, file: int) -> str:
        return self.crate_prefix + self.index.rel[file]

    def other_proof(self, file: int, src: Src) -> Proof:
        """A proof in file ``file`` of the crate (this file or another)."""
        return Proof(self.other_display(file), src.start, src.end, src.text)

    def fns_named(self, name: str) -> list[ItemFacts]:
        """Every fn of this file called ``name``: free fns and methods alike, in file order."""
        if self._fns_by_name is None:
            # Built on first use: every call of every item asks, and a walk per question made
            # the claims of a file quadratic in its item count.
            self._fns_by_name = {}
            for f in self.facts.values():
                if f.kind == "fn":
                    self._fns_by_name.setdefault(f.name, []).append(f)
        return self._fns_by_name.get(name, [])

    def same_impl_fn(self, f: ItemFacts, name: str) -> ItemFacts | None:
        """Another fn called ``name`` in the `impl` block ``f`` belongs to, or None."""
        if f.item.parent is None:
            return None
        return next(
            (h for h in self.fns_named(name) if h.item.parent == f.item.parent and h is not f),
            None,
        )

    def local_fn(self, name: str) -> ItemFacts | None:
        """Facts of the file-level fn called ``name`` in this file (the first, if several)."""
        return next((f for f in self.fns_named(name) if f.item.parent is None), None)


def make(
    kind: str,
    subject: str,
    slots: Mapping[str, str],
    proof: Iterable[Proof],
    flags: Iterable[str] = (),
) -> Claim:
    """A claim, with its slots in the declared order (optional ones only when given)."""
    _, required, optional = KINDS[kind]
    missing = [s for s in required if not slots.get(s)]
    if missing:
        raise ValueError(f"{kind} claim about {subject} lacks {missing}")
    unknown = set(slots) - set(required) - set(optional)
    if unknown:
        raise ValueError(f"{kind} claim has undeclared slots {sorted(unknown)}")
    ordered = tuple(
        (s, LIST_SEP.join(_folded(s, v) for v in slots[s].split(LIST_SEP)))
        for s in (*required, *optional)
        if slots.get(s)
    )
    return Claim(kind, subject, ordered, frozenset(flags), tuple(proof))


# A log line's text is quoted for grepping: its own spacing stays ("🖧  Gossiping {} SUCCESS"
# with two spaces was quoted with one, held-out read 98 #14). Code is folded: its line breaks
# and indentation are layout.
_QUOTED = frozenset({"message"})


def _folded(slot: str, value: str) -> str:
    if slot in _QUOTED and "\n" not in value and "\t" not in value:
        return value.strip()
    return " ".join(value.split())


def merge_in_place(found: list[Claim], members: list[Claim], merged: Claim) -> list[Claim]:
    """``found`` with ``members`` replaced by ``merged``, said where the first of them was: a
    sentence said once per alike claim read as a template run again (signal listeners, handles
    pushed into one list)."""
    at = found.index(members[0])
    rest = [c for c in found if c not in members]
    return [*rest[:at], merged, *rest[at:]]


# The author's words are quoted inside a sentence, which brings its own full stop.
def claims_for(ctx: FileContext, idx: int) -> list[Claim]:
    """Every claim the evidence supports about item ``idx``, in a stable order."""
    from .branch_guard import mark_handler_branch
    from .callee_results import callee_result_claims
    from .channels import channel_claims
    from .const_values import const_value_claims
    from .data import data_claims
    from .dead_stop import dead_stop_claims
    from .docs import doc_claims, note_claims
    from .exit_tally import exit_tally_claims
    from .failures import failure_claims
    from .handed_off import handed_off_claims
    from .handler_awaits import handler_await_claims
    from .implications import implication_claims
    from .log_durations import log_duration_claims
    from .log_lines import log_line_claims
    from .loop_guard import mark_loop_guard
    from .next_try import next_try_claims
    from .passed_waits import passed_wait_claims
    from .patterns import mark_after_narrower, mark_narrow_err
    from .per_target import per_target_claims
    from .retry import retry_claims
    from .return_prelude import return_prelude_claims
    from .rounds import round_claims
    from .schedule import schedule_claims
    from .select_loser import select_loser_claims
    from .shaped import shape_claims
    from .spawn_loop import spawn_loop_claims
    from .spin import spin_claims
    from .task_panics import task_panic_claims
    from .task_state import task_state_claims
    from .tasks import task_claims
    from .twins import twin_claims
    from .variants import variant_claims
    from .wakers import waker_claims
    from .woken_work import woken_work_claims

    f = ctx.facts.get(idx)
    if f is None or f.kind != "fn":
        return doc_claims(ctx, idx) if f is not None else []
    out: list[Claim] = []
    for builder in (
        schedule_claims,
        handler_await_claims,
        log_duration_claims,
        failure_claims,
        round_claims,
        task_claims,
        task_state_claims,
        data_claims,
        retry_claims,
        doc_claims,
        note_claims,
        twin_claims,
        waker_claims,
        channel_claims,
        variant_claims,
    ):
        out.extend(builder(ctx, idx))
    out.extend(const_value_claims(ctx, f))
    out.extend(per_target_claims(ctx, f))
    out.extend(passed_wait_claims(ctx, f))
    for by_index in (spin_claims, handed_off_claims, task_panic_claims, woken_work_claims):
        out.extend(by_index(ctx, idx))
    out.extend(exit_tally_claims(ctx, idx))
    out.extend(return_prelude_claims(ctx, idx))
    out.extend(shape_claims(ctx, f))
    out = spawn_loop_claims(_left_to_say(ctx, f, out))
    out = dead_stop_claims(ctx, f, out)
    out = mark_narrow_err(mark_after_narrower(f, out))
    # Last: they read the claims above.
    out.extend(implication_claims(ctx, idx, out))
    out.extend(next_try_claims(ctx, idx, out))
    out.extend(log_line_claims(ctx, idx, out))
    out.extend(callee_result_claims(ctx, idx, out))
    out.extend(select_loser_claims(ctx, idx, out))
    return mark_handler_branch(ctx, f, mark_loop_guard(ctx, f, out))


def _outside_macros(ctx: FileContext, f: ItemFacts, out: list[Claim]) -> list[Claim]:
    """``out`` less what macros hide."""
    if f.macro_exits or f.macro_names & ctx.index.leaving_macros():
        # Some way out sits inside a macro's own syntax: which loop it leaves, and under what
        # condition, is the macro's business (librespot's `unwrap!`: "the branch on `x` does
        # `break`" dropped its condition, held-out read 36). Nothing about the ways out. So too
        # a crate macro whose expansion returns (restate's `shortcircuit!`: "Counted in full,
        # the loop can be left by three `return`s" missed every one of its returns, read 65).
        out = [c for c in out if c.kind not in _EXIT_KINDS]
        # A loop's race is then no walk-through of what ends the loop: "what gets it out of
        # the loop?" was asked of restate's invoker loops and left unanswered (session 51).
        out = [
            replace(c, flags=c.flags | {"exits-hidden"}) if c.kind == "select" else c for c in out
        ]
    if f.macro_code:
        # And nothing proven only by code inside such a macro: its conditions are unknown (a
        # log line there read as written on every win of its branch).
        out = [
            c
            for c in out
            if not c.proof
            or not all(
                p.file == ctx.display and any(a <= p.start < b for a, b in f.macro_code)
                for p in c.proof
            )
        ]
    return out


def _left_to_say(ctx: FileContext, f: ItemFacts, out: list[Claim]) -> list[Claim]:
    """``out`` less what cannot be said of the item as built and run."""
    out = _main_loop_only(ctx, f, out)
    out = _outside_macros(ctx, f, out)
    out = _outside_test_cfg(ctx, f, out)
    out = _outside_narrowed_arms(ctx, f, out)
    # What a stub's error branch does is never reached: no claim about its failure is made.
    stubs = {c.get("call") for c in out if c.kind == "stub_call"}
    return [c for c in out if c.kind == "stub_call" or not (stubs and c.get("call") in stubs)]


def _outside_test_cfg(ctx: FileContext, f: ItemFacts, out: list[Claim]) -> list[Claim]:
    """``out`` less claims proven by a statement under `#[cfg(test)]`: test builds only
    (ldk-node binds a 30 s interval `#[cfg(not(test))]` and a 5 s one `#[cfg(test)]`; "it
    builds a `tokio::time::interval` of 5 seconds" was false of the real node, read 43)."""
    from .variants import stmt_cfg

    if f.flow is None or "cfg(test)" not in ctx.fs.text[f.item.start : f.item.end].replace(" ", ""):
        return out
    memo: dict[int, bool] = {}

    def in_test(pos: int) -> bool:
        if pos not in memo:
            gate = stmt_cfg(ctx, f, pos)
            memo[pos] = gate is not None and gate.text.replace(" ", "") == "#[cfg(test)]"
        return memo[pos]

    return [c for c in out if not any(p.file == ctx.display and in_test(p.start) for p in c.proof)]


# A catch-all error arm or if-let: `Err(_)`, `Err(e)`, `let Err(e)` (failures.py reads it too).
CATCH_ALL_ERR = re.compile(r"(?:let\s+)?Err\(\s*(?:_|[a-z_]\w*)\s*\)")


def _outside_narrowed_arms(ctx: FileContext, f: ItemFacts, out: list[Claim]) -> list[Claim]:
    """``out`` less claims about failures and lines inside a catch-all `Err(e)` arm that an
    earlier arm of the same `match` narrows (`Err(Error::NotFound { .. }) => {}`): "a failed
    `store.delete` lands in `Err(error)`, which writes .." was false of crates.io's delete,
    whose not-found errors log nothing (held-out read 47)."""
    if f.flow is None:
        return out
    fl = f.flow
    spans: list[tuple[int, int]] = []
    for r in fl.regions:
        if r.kind != "arm" or r.parent is None or not CATCH_ALL_ERR.fullmatch(r.head.strip()):
            continue
        earlier = [
            a
            for a in fl.regions
            if a.kind == "arm"
            and a.parent == r.parent
            and a.lo < r.lo
            and a.head.strip().startswith("Err(")
            and not CATCH_ALL_ERR.fullmatch(a.head.strip())
            and " if " not in a.head
            # Only an arm that swallows its errors silently (`=> {}`): one that logs or leaves
            # is said by the claims about it (``failures._specific``).
            and _silent_arm(fl, a)
        ]
        if earlier:
            starts = fl.scan.starts
            end = starts[r.hi] + 1 if r.hi < len(starts) else len(fl.scan.text)
            spans.append((starts[r.start_tok if r.start_tok >= 0 else r.lo], end))
    if not spans:
        return out
    kinds = {"err_arm", "log", "next_try", "error_log_pace", "error_log_spread", "spin_on_error"}
    return [
        c
        for c in out
        if c.kind not in kinds
        or not any(p.file == ctx.display and a <= p.start < b for p in c.proof for a, b in spans)
    ]


def _silent_arm(fl: Flow, a: Region) -> bool:
    """Whether match arm ``a`` does nothing: `=> {}` or `=> ()`."""
    starts, text = fl.scan.starts, fl.scan.text
    lo = starts[a.start_tok if a.start_tok >= 0 else a.lo]
    hi = starts[a.hi] + 1 if a.hi < len(starts) else len(text)
    body = text[lo:hi].split("=>", 1)[-1]
    return not re.sub(r"[\s{}(),]", "", body)


# Claims about how a loop or a task ends.
_EXIT_KINDS = frozenset(
    {
        "loop",
        "select_exit",
        "loop_break",
        "exit_tally",
        "task_end",
        "endless_task",
        "shutdown_branch",
    }
)


# Kinds whose sentences carry their own guard and arm, and never say "the loop".
_LOOP_FREE = frozenset({"log", "return"})


def _main_loop_only(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """Drops the claims about a loop beside the main one: their sentences say "the loop", which
    reads as the main one (Arroyo's `start_inner` had its replay loop's `break` said to end its
    main loop, pueue's wait-for-start sleep said to pace its streaming loop; read 27)."""
    from .loops import main_loop, side_loops

    if f.flow is None:
        return claims
    scan = ctx.fs.scan
    spans = [(scan.starts[r.lo], scan.starts[r.hi - 1] + 1) for r in side_loops(f)]
    if not spans:
        return claims

    def beside(c: Claim) -> bool:
        own = [p for p in c.proof if p.file == ctx.display]
        return bool(own) and all(any(a <= p.start and p.end <= b for a, b in spans) for p in own)

    main = main_loop(f)
    nth = loop_ordinal(f, main) if main is not None else ""
    out = []
    for c in claims:
        if beside(c) and (c.kind not in _LOOP_FREE or "in-loop" in c.flags):
            continue
        if c.kind == "sleep" and "in-loop" in c.flags and nth:
            # Which loop the pause is in: "between rounds" of which loop, with several.
            c = replace(c, slots=(*c.slots, ("nth", nth)), flags=c.flags | {"side-loops"})
        out.append(c)
    return out
