"""Everything known about one file, gathered once: its scan, its items' facts, the crate index.

``generate`` and ``validate`` build one ``Indexes`` per run and pass it down, so a crate is read
once however many of its files are processed, and nothing reads files behind the caller's back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .claims import FileContext
from .crate_index import CrateIndex, build_index, single_file_index
from .fact_types import ItemFacts
from .facts import file_consts, item_facts, known_facts
from .pipeline import FileScan, scan_source
from .sources import SourceFile, cargo_manifests, source_dir

__all__ = ["Indexes", "file_context", "display_path", "imported_consts"]


@dataclass
class Indexes:
    """Crate indexes built so far in this run, by crate root."""

    with_crate: bool = True
    by_root: dict[Path, CrateIndex] = field(default_factory=dict)
    # Resolved paths and crate roots already looked up: a resolve is an lstat per component, and
    # every file of a crate asks the same questions about the same directories.
    _real: dict[Path, Path] = field(default_factory=dict, repr=False)
    _roots: dict[Path, Path | None] = field(default_factory=dict, repr=False)

    def _resolve(self, path: Path) -> Path:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = path.resolve()
        return real

    def _root_of(self, path: Path) -> Path | None:
        """``sources.crate_root(path)``, with each directory looked up once."""
        d = self._resolve(path).parent
        if d not in self._roots:
            self._roots[d] = next(
                (c for c in (d, *d.parents) if (c / "Cargo.toml").is_file()), None
            )
        return self._roots[d]

    def crate_of(self, path: Path) -> CrateIndex | None:
        """The index of the crate whose src/ tree ``path`` may belong to (built on first use);
        None when crates are off or the file is in no crate with a src/ directory."""
        if not self.with_crate:
            return None
        root = self._root_of(path)
        if root is None:
            return None
        idx = self.by_root.get(root)
        if idx is None:
            if source_dir(root) is None:
                return None
            idx = build_index(path, self.by_root)
        return idx

    def _in_crate(self, path: Path, text: str) -> tuple[CrateIndex, int] | None:
        idx = self.crate_of(path)
        if idx is not None:
            pos = idx.file_at(self._resolve(path), resolved=True)
            if pos is not None and idx.files[pos].text == text:
                return idx, pos
        return None

    def scan(self, source: SourceFile) -> FileScan:
        """``scan_source(source)``, reusing the crate index's scan of the same text: a file of
        a crate is then scanned once per run, not once for the index and once on its own."""
        found = self._in_crate(source.path, source.text)
        if found is None:
            return scan_source(source)
        known = found[0].files[found[1]]
        return FileScan(source, known.scan, known.imports, known.hits)

    def for_file(self, fs: FileScan) -> tuple[CrateIndex, int]:
        """The index holding ``fs`` and its position there; the file alone when it is in no
        crate, when crates are off, or when the crate's copy differs from what was read."""
        found = self._in_crate(fs.source.path, fs.text)
        return found if found is not None else (single_file_index(fs), 0)


@functools.lru_cache(maxsize=64)
def display_base(root: Path) -> Path:
    """The folder a crate's paths are told from: the workspace the crate belongs to (its
    `Cargo.toml` has a `[workspace]` table, the crate's own or one up to three folders above),
    as the repository shows them; else the folder holding the crate. A crate that is its own
    workspace root is told from itself (`src/system/flow_supervisor.rs`): told from its parent
    it was named by whatever folder it was checked out to (`trm/src/...`, held-out read 26)."""
    real = root.resolve()
    for d, text in cargo_manifests(real):
        if _WORKSPACE.search(text):
            return d
    return real.parent


_WORKSPACE = re.compile(r"(?m)^\s*\[workspace\]\s*$")


def display_path(path: Path, root: Path | None) -> str:
    """`<crate dir>/src/file.rs` (told from the crate's workspace, see ``display_base``) when
    the file sits in a crate, else the path as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(display_base(root)).as_posix()
        except ValueError:
            pass
    # Outside a crate an absolute path says more about this machine than about the code.
    return path.name if path.is_absolute() else path.as_posix()


def _crate_prefix(root: Path | None) -> str:
    """What goes before a path relative to the crate root to tell it as ``display_path`` does."""
    if root is None:
        return ""
    rel = root.resolve().relative_to(display_base(root)).as_posix()
    return "" if rel == "." else f"{rel}/"


def file_context(fs: FileScan, indexes: Indexes) -> FileContext:
    idx, pos = indexes.for_file(fs)
    # Facts come from the index's own scan of the file, so token positions agree with its flows.
    scan = idx.files[pos]
    consts = {**imported_consts(idx, pos), **file_consts(scan)}
    facts = {
        i: known_facts(scan, i) or item_facts(scan, i, consts)
        for i, it in enumerate(scan.items)
        if not it.is_test
    }
    aim_through_adapters(idx, facts.values())
    display = display_path(fs.source.path, idx.root)
    if idx.root is None:
        idx.rel[pos] = display  # a file alone is named as the user gave it
    prefix = _crate_prefix(idx.root)
    return FileContext(scan, display, idx, pos, facts, prefix)


def imported_consts(idx: CrateIndex, pos: int) -> dict[str, float]:
    """Values of the consts file ``pos`` imports by name from another file of its crate (`use
    crate::jobs::CADENCE_SECS;`, or through the crate's own name from a bin): triagebot's job
    scheduler ticks every `JOB_SCHEDULING_CADENCE_IN_SECS`, defined in jobs.rs, and its cadence
    went unsaid."""
    out: dict[str, float] = {}
    fs = idx.files[pos]
    by_module: dict[str, int] = {}
    for i, m in enumerate(idx.modules):
        by_module.setdefault(m, i)
    for name, full in sorted(fs.imports.items()):
        if not name.isupper() or "::" not in full:
            continue
        segs = full.split("::")
        if segs[0] == idx.crate_name and idx.crate_name:
            segs = ["crate", *segs[1:]]
        segs = _from_crate(idx.modules[pos], segs)
        if segs[0] != "crate" or segs[-1] != name:
            continue  # an alias or another crate's const: its value is not read here
        j = by_module.get("::".join(segs[:-1]))
        if j is None or j == pos:
            continue
        v = file_consts(idx.files[j]).get(name)
        if v is not None:
            out[name] = v
    return out


def _from_crate(module: str, segs: list[str]) -> list[str]:
    """A `use` path made absolute: `super::X` in `crate::sync::google` is `crate::sync::X`
    (DefGuard's directory sync takes `REQUEST_PAGINATION_SLOWDOWN` from its parent module, and
    its 100 ms pause went unsaid, held-out read 94 #4-#6); `self::` is the file's own module."""
    if segs[0] == "self":
        return [*module.split("::"), *segs[1:]]
    if segs[0] != "super":
        return segs
    base = module.split("::")
    while segs and segs[0] == "super" and len(base) > 1:
        base, segs = base[:-1], segs[1:]
    return [*base, *segs]


def aim_through_adapters(idx: CrateIndex, facts: Iterable[ItemFacts]) -> None:
    """`self.seal(..).with_overdue(..).await`: the crate's own `async fn` is what runs and fails;
    a method the crate does not define, chained after it, only wraps its future (restate's
    bifrost: "when `with_overdue` fails" six times of an adapter that cannot fail, read 65).
    The await, and the `?` after it, are moved to the inner call."""
    own = {d.name for d in idx.fns}
    async_names = idx.async_fn_names()
    for f in facts:
        by_close = {c.close_tok: c for c in f.calls}
        for c in f.calls:
            if c.kind != "method" or not c.awaited or c.name in own:
                continue
            inner = by_close.get(c.tok - 2)
            # `.log_slow_after(..).with_overdue(..)`: every adapter link is passed over.
            while inner is not None and inner.kind == "method" and inner.name not in own:
                inner = by_close.get(inner.tok - 2)
            if inner is not None and inner.name in async_names and not inner.awaited:
                inner.awaited, inner.propagates = True, c.propagates
                c.awaited, c.propagates = False, False
