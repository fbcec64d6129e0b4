"""The crate, read once: its fns, where each is called, and the task each call runs in.

A call site is resolved the way rustc would find the fn, as far as names allow: through the file's
`use` map, `crate::`/`self::`/`super::` paths, the crate's own name, same-module fns and
`Type::method` paths. A method called as `x.name(..)` on an unknown receiver cannot be resolved
by name, so it never counts as a known caller; it makes the caller set incomplete instead.

Execution context comes from the region tree of the calling fn (``flow``): a call inside a
`tokio::spawn` runs in the task that spawn starts; inside a `tokio::join!` branch it runs as that
branch of the caller's task; a plain `.await` runs in the caller's own context, which is then
looked up the same way. What cannot be worked out is returned as unknown, and never said.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import compress
from pathlib import Path

from .facts import Src
from .flow import Flow, Region, build_flow, path_at
from .glob_imports import inherit_super_globs
from .mechanisms import resolve, spawn_said
from .pipeline import FileScan, scan_source
from .sources import InputError, crate_root, read_source, rust_files, source_dir
from .wrappers import Wrapper, rebind_wrappers, spawn_wrappers

__all__ = ["FnDef", "Site", "Context", "CrateIndex", "build_index", "single_file_index"]


@dataclass(frozen=True)
class FnDef:
    file: int  # index into CrateIndex.files
    item: int  # index into that file's items
    name: str
    module: str  # `crate::queue::redis`
    owner: str  # the impl's self type for a method, "" for a free fn
    visibility: str
    is_test: bool

    @property
    def key(self) -> tuple[int, int]:
        return (self.file, self.item)

    @property
    def path(self) -> str:
        return "::".join(p for p in (self.module, self.owner, self.name) if p)


@dataclass(frozen=True)
class Site:
    """One call of a crate fn: where, by which fn, and inside what."""

    file: int
    caller: int | None  # item index of the enclosing fn in that file
    caller_name: str
    tok: int
    line: int
    src: Src  # the call expression
    written: str
    awaited: bool
    is_test: bool
    # Not awaited but an argument of another call (`serve(..).with_graceful_shutdown(f())`):
    # an async callee's future goes wherever that call puts it, which the crate does not show.
    passed: bool = False


@dataclass(frozen=True)
class Context:
    """Where a fn runs, as worked out from one call path.

    kind: ``spawned`` (a task started by ``mechanism`` in ``by``), ``blocking`` (the blocking
    pool), ``join-branch`` (branch ``index`` of ``siblings`` of a join in ``by``), ``select``
    (a future raced in a select in ``by``), ``main`` (the fn `main`).
    """

    kind: str
    by: str  # the fn whose code holds the mechanism
    by_file: str
    mechanism: str
    path: tuple[str, ...]  # fn names from the subject's caller up to ``by``
    proof: tuple[tuple[int, Src], ...]  # (file, call site) along the path
    repeated: str = ""  # a spawn inside a loop or iterator: one task per element
    index: int = 0
    siblings: int = 0
    branch_calls: tuple[str, ...] = ()  # for a join: the main call of each branch
    guard: tuple[str, ...] = ()  # conditions between the call and the mechanism, innermost first
    # The call sits in a loop inside the task: the task awaits it round after round, so it is
    # one step of the task, not the task itself (corrosion's `vacuum_db`, blind read 99).
    in_task_loop: bool = False
    repeat_guarded: bool = False  # the repeated spawn sits under a condition inside its loop
    # The mechanism itself sits under an `if` or arm of ``by`` (pgcat's `main` starts the
    # metrics server only `if let Some(true) = ..`: "`main` calls it inside a task" dropped
    # that, blind read 105).
    site_guarded: bool = False
    # The call is the mechanism's whole argument (`tokio::spawn(db_writer(..))`): its future is
    # the task itself, not a call made inside one (nostr-rs-relay's writer: "calls it from
    # inside a `tokio::task::spawn` task" was misleading, held-out read 30).
    direct: bool = False
    dropped: bool = False  # the spawn is a statement of its own: its JoinHandle is let go
    # The call is awaited where it is made (a plain fn that starts a task is only called:
    # stalwart's `spawn_webhook_handler`, "whose loop awaits it" was FALSE, read 61).
    awaited: bool = True


_LEAVES = re.compile(r"\b(?:return|break|continue)\b")


# Library macros that return an `Err` when their condition fails (anyhow's, eyre's and snafu's
# `ensure!`, snafu's `whatever!`): greptimedb's election loop was said to be left "only by a
# `?`" beside an `ensure!` on its lease (read 68). `bail!` is read as the `return` it is.
_LIBRARY_LEAVING = frozenset({"ensure", "ensure_whatever", "whatever"})


@dataclass
class CrateIndex:
    root: Path | None
    files: list[FileScan]
    rel: list[str]  # each file's path relative to the crate root
    modules: list[str]
    complete: bool  # every .rs file under src/ was read
    crate_name: str
    fns: list[FnDef] = field(default_factory=list)
    sites: dict[tuple[int, int], list[Site]] = field(default_factory=dict)
    # Names used as values (`.map(check)`) or called as methods on unknown receivers: callers of
    # a fn with such a name cannot be listed completely.
    value_uses: set[str] = field(default_factory=set)
    method_calls: set[str] = field(default_factory=set)
    _flows: dict[tuple[int, int], Flow | None] = field(default_factory=dict, repr=False)
    _contexts: dict[tuple[tuple[int, int], int], list[Context] | None] = field(
        default_factory=dict, repr=False
    )
    _by_module: dict[tuple[str, str], list[FnDef]] = field(default_factory=dict, repr=False)
    # Files that are test code by their `mod` declaration (`#[cfg(test)] mod tests;`).
    test_files: frozenset[int] = field(default_factory=frozenset)
    # The crate's spawn wrappers by name (``wrappers.spawn_wrappers``).
    wrappers: dict[str, Wrapper] = field(default_factory=dict)
    _by_path: dict[Path, int] | None = field(default=None, repr=False)
    _fn_by_key: dict[tuple[int, int], FnDef] | None = field(default=None, repr=False)
    _callees: dict[tuple[int, int], list[tuple[int, int]]] | None = field(default=None, repr=False)
    _leaving: frozenset[str] | None = field(default=None, repr=False)
    _async_names: frozenset[str] | None = field(default=None, repr=False)
    # Crate-wide answers worked out once by the claim builders (``claims.runtime``), by key.
    memo: dict[str, object] = field(default_factory=dict, repr=False)

    def async_fn_names(self) -> frozenset[str]:
        """The names of the crate's `async fn`s (free fns and methods)."""
        if self._async_names is None:
            names = set()
            for d in self.fns:
                fs = self.files[d.file]
                it = fs.items[d.item]
                pat = rf"\basync\s+(?:unsafe\s+)?fn\s+{re.escape(d.name)}\b"
                if re.search(pat, fs.text[it.start : it.end]):
                    names.add(d.name)
            self._async_names = frozenset(names)
        return self._async_names

    def leaving_macros(self) -> frozenset[str]:
        """The crate's `macro_rules!` whose expansion holds a `return`, `break` or `continue`
        (restate's `shortcircuit!` returns on six of its seven outcomes): a loop that calls one
        has ways out its own text does not show."""
        if self._leaving is None:
            self._leaving = (
                frozenset(
                    it.name
                    for fs in self.files
                    for it in fs.items
                    if it.kind == "macro_rules" and _LEAVES.search(fs.text[it.start : it.end])
                )
                | _LIBRARY_LEAVING
            )
        return self._leaving

    # -- lookups --------------------------------------------------------------------------
    def file_of(self, fs: FileScan) -> int | None:
        for i, f in enumerate(self.files):
            if f is fs:
                return i
        return self.file_at(fs.source.path)

    def file_at(self, path: Path, resolved: bool = False) -> int | None:
        """The position of the file at ``path`` (symlinks resolved, unless ``resolved`` says
        that ``path`` already is), or None."""
        if self._by_path is None:
            # Resolved once per index: resolving every file's path for every lookup made a run
            # over a crate quadratic in its file count (one realpath is a dozen lstat calls).
            self._by_path = {}
            for i, f in enumerate(self.files):
                self._by_path.setdefault(f.source.path.resolve(), i)
        return self._by_path.get(path if resolved else path.resolve())

    def fn_at(self, file: int, item: int) -> FnDef | None:
        if self._fn_by_key is None or len(self._fn_by_key) != len(self.fns):
            self._fn_by_key = {}
            for d in self.fns:
                self._fn_by_key.setdefault(d.key, d)
        return self._fn_by_key.get((file, item))

    def callees_at(self, file: int, start: int) -> list[FnDef]:
        """The crate fns the call written at char offset ``start`` of ``file`` may reach."""
        if self._callees is None:
            self._callees = {}
            for key, sites in self.sites.items():
                for s in sites:
                    self._callees.setdefault((s.file, s.src.start), []).append(key)
        return [d for k in self._callees.get((file, start), []) if (d := self.fn_at(*k))]

    def flow(self, file: int, item: int) -> Flow | None:
        key = (file, item)
        if key not in self._flows:
            fs = self.files[file]
            it = fs.items[item]
            fl: Flow | None = None
            if it.kind == "fn" and it.body_start is not None:
                rng = fs.scan.token_range(it.body_start, it.end)
                if len(rng) >= 2:
                    fl = build_flow(fs.scan, rng.start + 1, rng.stop - 1, fs.imports)
            self._flows[key] = fl
        return self._flows[key]

    def callers(self, d: FnDef, tests: bool = False) -> list[Site]:
        return [s for s in self.sites.get(d.key, []) if tests or not s.is_test]

    def callers_complete(self, d: FnDef) -> bool:
        """True when ``callers`` lists every call of ``d`` in the program: the whole crate was
        read, nothing outside it can name ``d``, and no call by value or method syntax hides."""
        if not self.complete or d.visibility == "pub":
            return False
        # A bare name is a free fn's (or a local's); a method or associated fn is named as a
        # value by its path, `Type::name` or `Self::name`.
        if d.owner:
            named = {f"{d.owner}::{d.name}", f"Self::{d.name}"} & self.value_uses
        else:  # `.map(check)` or `.map(utils::check)`
            named = {v for v in self.value_uses if v.rpartition("::")[2] == d.name}
        if named:
            return False
        # A method may be called as `x.name(..)` on a receiver we cannot type; an associated
        # fn with no `self` cannot (ntpd's `CsptpServerTask::spawn`, whose one caller drops the
        # handle it returns, went unsaid: every `.spawn(..)` of the crate hid it, read 95 #15).
        hidden = self.takes_self(d) or self._in_trait_impl(d)  # `T::name(..)` on a generic
        return not (d.owner and d.name in self.method_calls and hidden)

    def _in_trait_impl(self, d: FnDef) -> bool:
        fs = self.files[d.file]
        parent = fs.items[d.item].parent
        return parent is not None and " for " in f" {fs.items[parent].name} "

    def takes_self(self, d: FnDef) -> bool:
        """Whether method ``d`` has a `self` receiver (as far as its signature shows)."""
        fs = self.files[d.file]
        it = fs.items[d.item]
        head = fs.text[it.keyword_start : it.body_start if it.body_start is not None else it.end]
        m = re.search(rf"\bfn\s+{re.escape(d.name)}\b", head)
        if m is None:
            return True
        k, depth = m.end(), 0
        while k < len(head):  # past the generics, `<A: Trait<B>>`, to the parameter list
            ch = head[k]
            depth += {"<": 1, ">": -1}.get(ch, 0) if head[k - 1 : k + 1] != "->" else 0
            if ch == "(" and depth == 0:
                break
            k += 1
        return re.match(r"\(\s*(?:&\s*(?:'\w+\s+)?)?(?:mut\s+)?self\b", head[k:]) is not None

    # -- execution context ----------------------------------------------------------------
    def contexts(self, d: FnDef, depth: int = 0) -> list[Context] | None:
        """Where ``d`` runs, one entry per distinct context; None when unknown.

        Known only when every call is known (``callers_complete``, or ``d`` is `main`) and each
        call path ends in a task mechanism or `main`.
        """
        # Asked again for every call site below ``d`` (each caller's context walks up through
        # it): computed once per depth, since the answer only depends on ``d`` and the cutoff.
        key = (d.key, depth)
        if key not in self._contexts:
            self._contexts[key] = self._contexts_of(d, depth)
        found = self._contexts[key]
        return None if found is None else list(found)

    def _contexts_of(self, d: FnDef, depth: int) -> list[Context] | None:
        if d.name == "main" and d.module == "crate" and not d.owner:
            return [Context("main", "main", self.rel[d.file], "", (), ())]
        if depth > 6 or not self.callers_complete(d):
            return None
        sites = self.callers(d)
        if not sites:
            return None
        out: list[Context] = []
        for s in sites:
            ctx = self.site_context(s, depth, self.is_async(d))
            if ctx is None:
                return None
            for c in ctx:
                if c not in out:
                    out.append(c)
        return out

    def is_async(self, d: FnDef) -> bool:
        return "async" in self.files[d.file].items[d.item].qualifiers

    def site_context(self, s: Site, depth: int = 0, is_async: bool = True) -> list[Context] | None:
        """The context a call at ``s`` runs in (``is_async``: whether the callee is)."""
        if s.caller is None:
            return None
        fl = self.flow(s.file, s.caller)
        if fl is None:
            return None
        reg = fl.region_at(s.tok)
        found = self.mechanism_region(fl, reg)
        if _in_closure_first(fl, reg):
            # `set_on_run_complete(move || capture(..))`: the closure runs whenever its taker
            # calls it, maybe on another thread ("`main` calls it directly" was FALSE of
            # screenpipe's analytics, held-out read 91 #1).
            return None
        fs = self.files[s.file]
        if found is None and is_async and not s.awaited and not s.passed:
            found = self._joined_binding(fl, fs, s)
        if is_async and s.passed and not (found is not None and found[1].lo == s.tok):
            # Its future is handed to another call, which may spawn it, poll it or drop it;
            # only a future that is a mechanism's own argument (`tokio::spawn(run())`) is known.
            return None
        if found is not None:
            kind, r = found
            return [self._context(kind, r, fl, s, fs)]
        # A plain call: it runs wherever the caller runs.
        caller = self.fn_at(s.file, s.caller)
        if caller is None:
            return None
        up = self.contexts(caller, depth + 1)
        if up is None:
            return None
        return [
            replace(c, path=(s.caller_name, *c.path), proof=((s.file, s.src), *c.proof)) for c in up
        ]

    @staticmethod
    def _joined_binding(fl: Flow, fs: FileScan, s: Site) -> tuple[str, Region] | None:
        """`let fut = run(..);` and then `tokio::try_join!(fut, ..)` in the same fn: the future
        runs as that join's branch, not where the call is written (an async call does nothing
        until polled)."""
        t = fs.scan.texts
        k = s.tok
        # The call's path may be several tokens (`a::b`): step back to its first one.
        while k >= 2 and t[k - 1] == "::":
            k -= 2
        if k < 3 or t[k - 1] != "=":
            return None
        name = t[k - 2]
        if not (t[k - 3] == "let" or (t[k - 3] == "mut" and k >= 4 and t[k - 4] == "let")):
            return None
        branches = [
            r for r in fl.regions if r.kind == "join-branch" and r.hi - r.lo == 1 and r.lo > k
        ]
        hits = [r for r in branches if t[r.lo] == name]
        return ("join-branch", hits[0]) if len(hits) == 1 else None

    @staticmethod
    def mechanism_region(fl: Flow, reg: Region) -> tuple[str, Region] | None:
        for r in fl.chain(reg.id):
            if r.kind in ("spawn", "blocking"):
                return r.kind, r
            if r.kind == "join-branch":
                return "join-branch", r
            if r.kind in ("select-future", "select-handler"):
                return "select", r
        return None

    def _context(self, kind: str, r: Region, fl: Flow, s: Site, fs: FileScan) -> Context:
        kind = "spawned" if kind == "spawn" else kind
        repeated = ""
        repeat_guarded = False
        proof: tuple[tuple[int, Src], ...] = ((s.file, s.src),)
        branch_calls: tuple[str, ...] = ()
        if kind == "spawned":
            for anc in fl.chain(r.id)[1:]:
                if anc.kind == "loop":
                    repeated = f"{anc.keyword} {anc.head}".strip()
                    # A spawn under an `if` or arm inside that loop runs on some rounds only
                    # (rathole's per-peer forwarder: "each iteration spawns", read 101).
                    repeat_guarded = r.parent is not None and bool(
                        fl.conditions(r.parent, stop=anc.id)
                    )
                    # The loop's head proves the repetition: `for delivery in batch`.
                    lo = fs.scan.starts[anc.start_tok]
                    hi = anc.head_end if anc.head_end > lo else lo + len(anc.keyword)
                    proof += ((s.file, Src(lo, hi, fs.scan.text[lo:hi])),)
                    break
        if kind == "join-branch":
            branches = [
                x for x in fl.regions if x.kind == "join-branch" and x.start_tok == r.start_tok
            ]
            branch_calls = tuple(self._main_call(fs, fl, b) for b in branches)
        in_task_loop = any(
            a.kind == "loop" for a in fl.chain(fl.region_at(s.tok).id) if fl.inside(a.id, r.id)
        )
        conds = fl.conditions(fl.region_at(s.tok).id, stop=r.id)
        # Only plain `if` conditions are kept; under an `else` or a `match` arm the condition
        # would have to be said negated or as a pattern, so none is said (guard stays empty).
        guard = tuple(c.head for c in conds) if all(c.kind == "if" for c in conds) else ("?",)
        return Context(
            kind,
            s.caller_name,
            self.rel[s.file],
            spawn_said(r.keyword, r.detail),
            (s.caller_name,),
            proof,
            repeated,
            r.index,
            r.siblings,
            branch_calls,
            guard,
            in_task_loop,
            repeat_guarded,
            r.parent is not None and bool(fl.conditions(r.parent)),
            kind == "spawned" and self._whole_argument(fs, r, s),
            kind == "spawned" and self.spawn_statement(fs, r),
            s.awaited,
        )

    @staticmethod
    def spawn_statement(fs: FileScan, r: Region) -> bool:
        """Whether spawn region ``r``'s call is a statement by itself (`tokio::spawn(..);`):
        nothing binds, returns or awaits the handle it gives back."""
        t, c = fs.scan.texts, fs.scan.codes
        close = r.call_hi
        before = r.start_tok - 1
        while before >= 0 and c[before] in "cdi":
            before -= 1  # a comment above the spawn
        if before < 0 or close < 0:
            return False
        return t[before] in (";", "{", "}") and close + 1 < len(t) and t[close + 1] == ";"

    @staticmethod
    def _whole_argument(fs: FileScan, r: Region, s: Site) -> bool:
        """Whether the call at site ``s`` is all of spawn region ``r``'s code: `spawn(run(..))`,
        its path's first token first and its `)` last."""
        t = fs.scan.texts
        k = s.tok
        while k >= 2 and t[k - 1] == "::":
            k -= 2
        return k == r.lo and fs.scan.starts[r.hi - 1] + len(t[r.hi - 1]) == s.src.end

    def _main_call(self, fs: FileScan, fl: Flow, branch: Region) -> str:
        """The call a join branch exists for: the last awaited plain call in it that runs
        whenever the branch does ("" when every such call sits under a condition)."""
        t = fs.scan.texts
        found = ""
        for k in range(branch.lo, branch.hi):
            if t[k] == "await" and k >= 2 and t[k - 1] == ".":
                opener = _opener_of(t, k - 2, branch.lo)
                if opener > 0:
                    j = opener - 1
                    start = j
                    while start >= 2 and t[start - 1] == "::":
                        start -= 2
                    if fs.scan.codes[j] == "n" and (start == 0 or t[start - 1] != "."):
                        if fl.conditions(fl.region_at(start).id, stop=branch.id):
                            continue
                        found = "::".join(t[start : j + 1 : 2])
        return found


def _opener_of(t: list[str], close: int, lo: int) -> int:
    """The `(` matching the `)` at ``close`` (the scan's match table maps openers only)."""
    if t[close] != ")":
        return -1
    depth = 0
    for j in range(close, lo - 1, -1):
        if t[j] == ")":
            depth += 1
        elif t[j] == "(":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _module_of(rel_src: Path) -> str:
    parts = list(rel_src.with_suffix("").parts)
    if parts and parts[-1] in ("lib", "main", "mod"):
        parts = parts[:-1]
    if parts and parts[0] == "bin":
        parts = []
    return "::".join(["crate", *parts])


def _crate_name(root: Path) -> str:
    try:
        text = (root / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    m = re.search(r'(?ms)^\[package\].*?^\s*name\s*=\s*"([^"]+)"', text)
    return m.group(1).replace("-", "_") if m else ""


def build_index(path: Path, cache: dict[Path, CrateIndex] | None = None) -> CrateIndex:
    """The index of the crate around ``path`` (nearest Cargo.toml, its src/ tree); a file
    outside any crate is indexed alone. ``cache`` maps crate roots to indexes already built."""
    root = crate_root(path)
    src = source_dir(root) if root is not None else None
    if root is None or src is None or not src.is_dir():
        return single_file_index(scan_source(read_source(path)))
    if cache is not None and root in cache:
        return cache[root]
    complete = True
    try:
        files = rust_files([src])
    except InputError:
        files = []
        complete = False
    scans: list[FileScan] = []
    rels: list[str] = []
    modules: list[str] = []
    by_path: dict[Path, int] = {}
    # Each path resolved once (a resolve is an lstat per component).
    real_root, real_src = root.resolve(), src.resolve()
    for f in files:
        try:
            fs = scan_source(read_source(f))
        except InputError:
            complete = False
            continue
        real = f.resolve()
        by_path.setdefault(real, len(scans))
        scans.append(fs)
        rels.append(real.relative_to(real_root).as_posix())
        modules.append(_module_of(real.relative_to(real_src)))
    name = _crate_name(root)
    inherit_super_globs(scans, modules)
    # Before anything reads a flow: a call of a spawn wrapper is a spawn in every layer.
    wrappers = spawn_wrappers(scans)
    rebind_wrappers(scans, wrappers, name, modules)
    idx = CrateIndex(root, scans, rels, modules, complete, name)
    idx.wrappers = wrappers
    idx._by_path = by_path
    paths = [real_root / r for r in rels]
    # Files no build of the program runs: test modules, and files no `mod` declaration reaches
    # from a crate root (rumqttd's `replicator/remote.rs`, full of `unimplemented!()`, read as a
    # running job's failures in held-out read 42).
    idx.test_files = (
        _test_module_files(scans, paths, by_path)
        | {i for i, m in enumerate(modules) if _TEST_SUPPORT & set(m.split("::"))}
        | _unreached_files(scans, paths, by_path, real_src)
        # A crate that is a test suite by its name (kamu's `kamu-cli-e2e-repo-tests`, whose
        # `test_login_*` fns read as background tasks in held-out read 101).
        | (set(range(len(scans))) if _TEST_CRATE.search(name) else set())
    )
    _index_fns(idx)
    _index_sites(idx)
    if cache is not None:
        cache[root] = idx
    return idx


_TEST_CRATE = re.compile(r"(?:^|_)(?:e2e|tests|testing|test_utils?|test_support)(?:_|$)")

# Modules that hold test support by their name, compiled in or not (vector's `test_util`, whose
# helpers read as background tasks of the crate).
_TEST_SUPPORT = frozenset({"test_util", "test_utils", "testing", "test_helpers", "tests"})


def _test_module_files(
    scans: list[FileScan], paths: list[Path], by_path: dict[Path, int]
) -> frozenset[int]:
    """The files a `#[cfg(test)] mod name;` brings in (`name.rs`, `name/mod.rs` and all below
    `name/`): test code as much as an inline `#[cfg(test)] mod tests { .. }` is (blind read 99:
    corrosion's agent/tests.rs, a stress test, read as a background task)."""
    out: set[int] = set()
    for fs, path in zip(scans, paths, strict=True):
        for it in fs.items:
            if it.kind != "mod" or not it.is_test or it.body_start is not None:
                continue
            # `#[cfg(test)] #[path = "./unit/web_client_tests.rs"] mod web_client_tests;`
            # (zellij): the file the attribute names, relative to the declaring file's folder
            # (read 76 took four records from it).
            pathed = next((m.group(1) for a in it.attrs for m in [_PATH_ATTR.search(a)] if m), None)
            if pathed is not None:
                target = (path.parent / pathed).resolve()
                for p, i in by_path.items():
                    if p.resolve() == target:
                        out.add(i)
                continue
            home = (
                path.parent
                if path.name in ("mod.rs", "lib.rs", "main.rs")
                else (path.parent / path.stem)
            )
            for candidate in (home / f"{it.name}.rs", home / it.name / "mod.rs"):
                if candidate in by_path:
                    out.add(by_path[candidate])
            below = home / it.name
            out.update(i for p, i in by_path.items() if below in p.parents)
    return frozenset(out)


_PATH_ATTR = re.compile(r'#\[\s*path\s*=\s*"([^"]+)"\s*\]')


def _unreached_files(
    scans: list[FileScan], paths: list[Path], by_path: dict[Path, int], src: Path
) -> frozenset[int]:
    """The files of ``src`` that no chain of `mod name;` declarations reaches from a crate root
    (`lib.rs`, `main.rs`, `bin/*.rs`, `bin/*/main.rs`). Empty when there is no such root or any
    file uses `#[path = ..]` or a `mod` in a macro could hide one: then reach is not known."""
    roots = [by_path[p] for p in (src / "lib.rs", src / "main.rs") if p in by_path]
    roots += [
        i
        for p, i in by_path.items()
        if p.parent == src / "bin" or p.parent.parent == src / "bin" and p.name == "main.rs"
    ]
    if not roots or any(re.search(r"#\[\s*path\s*=", fs.text) for fs in scans):
        return frozenset()
    try:
        manifest = (src.parent / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        manifest = ""
    if re.search(r"(?m)^\s*path\s*=", manifest):
        return frozenset()  # a `[lib]` or `[[bin]]` root of its own: reach is not known
    seen = set(roots)
    todo = list(roots)
    while todo:
        fi = todo.pop()
        fs, path = scans[fi], paths[fi]
        home = (
            path.parent if path.name in ("mod.rs", "lib.rs", "main.rs") else path.parent / path.stem
        )
        declared: list[tuple[list[str], str]] = []
        for it in fs.items:
            if it.kind != "mod" or it.body_start is not None:
                continue
            # `mod a { mod b; }` declares `a/b.rs`: the inline modules around it are folders.
            inline: list[str] = []
            up = it.parent
            while up is not None:
                if fs.items[up].kind == "mod":
                    inline.insert(0, fs.items[up].name)
                up = fs.items[up].parent
            declared.append((inline, it.name))
        # `mod x;` inside a macro (lemmy's `cfg_select! { feature = "full" => { pub mod
        # rate_limit; .. } }`) is no item of the scan, but its tokens are there.
        t, c = fs.scan.texts, fs.scan.codes
        named = {n for _, n in declared}
        for k in range(len(t) - 2):
            if t[k] == "mod" and c[k] not in "cds" and t[k + 2] == ";" and t[k + 1] not in named:
                declared.append(([], t[k + 1]))
        declared += [([], n) for n in _macro_named(fs) if n not in named]
        for inline, name in declared:
            base = home.joinpath(*inline)
            for candidate in (base / f"{name}.rs", base / name / "mod.rs"):
                j = by_path.get(candidate)
                if j is not None and j not in seen:
                    seen.add(j)
                    todo.append(j)
    return frozenset(set(range(len(scans))) - seen)


def _macro_named(fs: FileScan) -> set[str]:
    """The bare names a macro invocation of the file is given (`mod_flat!(backend proxy
    refresher)`): a macro may declare modules by them, so a file so named counts as reached
    (yazi declares every module that way, and its crates gave no record and no reason)."""
    t, c, match = fs.scan.texts, fs.scan.codes, fs.scan.match
    out: set[str] = set()
    for k in range(1, len(t) - 1):
        if (
            t[k] != "!"
            or c[k - 1] != "n"
            or t[k + 1] not in ("(", "{", "[")
            or t[k - 1] == "macro_rules"
        ):
            continue
        end = match[k + 1]
        if end > k + 1:
            out.update(t[j].removeprefix("r#") for j in range(k + 2, end) if c[j] == "n")
    return out


def single_file_index(fs: FileScan) -> CrateIndex:
    """An index of one file: call sites inside it, nothing claimed about the rest."""
    wrappers = spawn_wrappers([fs])
    rebind_wrappers([fs], wrappers, "")
    idx = CrateIndex(None, [fs], [fs.source.path.name], ["crate"], False, "")
    idx.wrappers = wrappers
    _index_fns(idx)
    _index_sites(idx)
    return idx


def _index_fns(idx: CrateIndex) -> None:
    for fi, fs in enumerate(idx.files):
        for ii, it in enumerate(fs.items):
            if it.kind != "fn":
                continue
            owner = owner_of(fs, ii)
            if owner is None:
                continue  # a fn inside a fn body is local to it
            d = FnDef(fi, ii, it.name, idx.modules[fi], owner, it.visibility, it.is_test)
            idx.fns.append(d)
            idx._by_module.setdefault((owner or d.module, it.name), []).append(d)


def _enclosing_fn(fs: FileScan, offset: int) -> int | None:
    best: int | None = None
    for i, it in enumerate(fs.items):
        if (
            it.kind == "fn"
            and it.start <= offset < it.end
            and (best is None or it.start >= fs.items[best].start)
        ):
            best = i
    return best


def _parent_module(module: str) -> str:
    return module.rsplit("::", 1)[0] if "::" in module else module


def _resolve_target(idx: CrateIndex, fi: int, parts: list[str], in_impl: str) -> list[FnDef]:
    """Crate fns a call written as ``parts`` in file ``fi`` can name."""
    fs = idx.files[fi]
    module = idx.modules[fi]
    if parts[0] in ("Self",) and in_impl:
        parts = [in_impl, *parts[1:]]
    full = resolve(parts, fs.imports)
    segs = full.split("::")
    if segs[0] == idx.crate_name and idx.crate_name:
        segs = ["crate", *segs[1:]]
    elif segs[0] == "self":
        segs = [*module.split("::"), *segs[1:]]
    elif segs[0] == "super":
        m = module
        while segs and segs[0] == "super":
            m = _parent_module(m)
            segs = segs[1:]
        segs = [*m.split("::"), *segs]
    elif segs[0] != "crate":
        if len(segs) == 1:
            segs = [*module.split("::"), segs[0]]
        elif segs[0][:1].isupper():
            # `Type::method(..)`: a method of a same-crate type of that name; the type this
            # module defines when it defines one (two modules' `Stepper::new` are not one fn).
            found = list(idx._by_module.get((segs[-2], segs[-1]), []))
            local = [d for d in found if idx.modules[d.file] == module]
            return local or found
        else:
            # `child::f(..)` through a module declared below this one.
            segs = [*module.split("::"), *segs]
    name = segs[-1]
    owner_or_module = "::".join(segs[:-1])
    found = list(idx._by_module.get((owner_or_module, name), []))
    if not found and len(segs) >= 2 and segs[-2][:1].isupper():
        found = list(idx._by_module.get((segs[-2], name), []))
    return found


def _span_test(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether an offset lies in any of ``spans`` (``a <= off < b``), by bisection over
    their union instead of a walk over all of them."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]
    ends = [b for _, b in merged]

    def test(off: int) -> bool:
        i = bisect_right(starts, off) - 1
        return i >= 0 and off < ends[i]

    return test


def _index_sites(idx: CrateIndex) -> None:
    for fi, fs in enumerate(idx.files):
        t, c, st = fs.scan.texts, fs.scan.codes, fs.scan.starts
        n = len(t)
        impl_spans = [
            (it.start, it.end, it.name.split(" for ")[-1].split("<")[0].strip())
            for it in fs.items
            if it.kind == "impl"
        ]
        in_use = _span_test([(u.start, u.end) for u in fs.scan.uses])
        for k in compress(range(n), map("n".__eq__, c)):
            prev = t[k - 1] if k else ""
            nxt = t[k + 1] if k + 1 < n else ""
            if prev == ".":
                if nxt == "(" or nxt == "::":
                    idx.method_calls.add(t[k])
                continue
            if prev == "::" or prev == "fn":
                continue
            parts, j = path_at(t, c, k, len(t))
            if j >= n:
                continue
            if t[j] != "(":
                # A fn named without a call: passed as a value (`.map(check)`), unless it is a
                # path inside a `use` declaration.
                if t[j] not in ("!", "{", "<") and not in_use(st[k]):
                    if len(parts) == 1:
                        idx.value_uses.add(parts[0])
                    else:
                        # `.map(Worker::spawn)`: an associated fn named as a value.
                        idx.value_uses.add("::".join(parts[-2:]))
                continue
            off = st[k]
            # Only a `Self::` path needs the impl around the call.
            in_impl = (
                next((name for a, b, name in impl_spans if a <= off < b), "")
                if parts[0] == "Self"
                else ""
            )
            targets = _resolve_target(idx, fi, parts, in_impl)
            if not targets:
                continue
            caller = _enclosing_fn(fs, off)
            close = fs.scan.match[j] if fs.scan.match[j] > j else j
            awaited = close + 2 < n and t[close + 1] == "." and t[close + 2] == "await"
            passed = not awaited and k > 0 and t[k - 1] in ("(", ",")
            is_test = fi in idx.test_files or caller is not None and fs.items[caller].is_test
            end = st[close] + 1
            site = Site(
                fi,
                caller,
                fs.items[caller].name if caller is not None else "",
                k,
                fs.scan.line_of(off),
                Src(off, end, fs.text[off:end]),
                "::".join(parts),
                awaited,
                is_test,
                passed,
            )
            for d in targets:
                if caller is not None and (fi, caller) == d.key:
                    continue  # recursion is not a caller
                idx.sites.setdefault(d.key, []).append(site)


def owner_of(fs: FileScan, item: int) -> str | None:
    """The type a fn is a method of: the self type of its `impl` block (`Retry` for
    `impl<'a, Re> Retry<'a, Re>`, `KafkaConsumer` for `impl SenderInput for KafkaConsumer`), its
    trait, or "" for a free fn; None for a fn inside another fn's body."""
    it = fs.items[item]
    if it.parent is None:
        return ""
    parent = fs.items[it.parent]
    if parent.kind == "impl":
        return parent.name.split(" for ")[-1].split("<")[0].strip()
    if parent.kind == "trait":
        return parent.name
    if parent.kind == "fn":
        return None
    return ""


# Adapters that call their closure right where they are (`.map(|e| dispatch(e))` whose futures
# the fn then joins): the call runs in the caller's context.
_INLINE_TAKERS = frozenset(
    {
        "map",
        "filter_map",
        "flat_map",
        "for_each",
        "filter",
        "and_then",
        "then",
        "map_err",
        "unwrap_or_else",
        "ok_or_else",
        "or_else",
        "map_or_else",
        "fold",
        "any",
        "all",
        "find",
        "find_map",
        "inspect",
        "retain",
        "sort_by",
        "sort_by_key",
    }
)


def _in_closure_first(fl: Flow, reg: Region) -> bool:
    """Whether a closure handed to a call that may run it later or elsewhere (a callback)
    encloses ``reg`` inside any task mechanism around it."""
    t = fl.scan.texts
    for r in fl.chain(reg.id):
        if r.kind in ("spawn", "blocking", "join-branch", "select-future", "select-handler"):
            return False
        if r.kind != "closure":
            continue
        k = (r.start_tok if r.start_tok >= 0 else r.lo) - 1
        while k >= 0 and t[k] in ("move", "async"):
            k -= 1
        if not (k >= 1 and t[k] == "(" and t[k - 1] in _INLINE_TAKERS):
            return True
    return False
