"""Everything known about one file, gathered once: its scan, its items' facts, the crate index.

``generate`` and ``validate`` build one ``Indexes`` per run and pass it down, so a crate is read
once however many of its files are processed, and nothing reads files behind the caller's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .claims import FileContext
from .crate_index import CrateIndex, build_index, single_file_index
from .facts import file_consts, item_facts
from .pipeline import FileScan

__all__ = ["Indexes", "file_context", "display_path"]


@dataclass
class Indexes:
    """Crate indexes built so far in this run, by crate root."""

    with_crate: bool = True
    by_root: dict[Path, CrateIndex] = field(default_factory=dict)

    def for_file(self, fs: FileScan) -> tuple[CrateIndex, int]:
        """The index holding ``fs`` and its position there; the file alone when it is in no
        crate, when crates are off, or when the crate's copy differs from what was read."""
        if self.with_crate:
            idx = build_index(fs.source.path, self.by_root)
            pos = idx.file_of(fs)
            if pos is not None and idx.files[pos].text == fs.text:
                return idx, pos
        return single_file_index(fs), 0


def display_path(path: Path, root: Path | None) -> str:
    """`<crate dir>/src/file.rs` when the file sits in a crate, else the path as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve().parent).as_posix()
        except ValueError:
            pass
    # Outside a crate an absolute path says more about this machine than about the code.
    return path.name if path.is_absolute() else path.as_posix()


def file_context(fs: FileScan, indexes: Indexes) -> FileContext:
    idx, pos = indexes.for_file(fs)
    # Facts come from the index's own scan of the file, so token positions agree with its flows.
    scan = idx.files[pos]
    consts = file_consts(scan)
    facts = {i: item_facts(scan, i, consts) for i, it in enumerate(scan.items) if not it.is_test}
    display = display_path(fs.source.path, idx.root)
    if idx.root is None:
        idx.rel[pos] = display  # a file alone is named as the user gave it
    prefix = f"{idx.root.name}/" if idx.root is not None else ""
    return FileContext(scan, display, idx, pos, facts, prefix)
