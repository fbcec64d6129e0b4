"""Source to items to tags: the part of the flow every command shares."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rules import Hit, hits_per_item, match_tokens
from .scanner import Item, ScanResult, scan_text
from .sources import InputError, SourceFile, read_source
from .symbols import use_map

__all__ = ["FileScan", "scan_file", "scan_source", "item_rows"]


@dataclass
class FileScan:
    source: SourceFile
    scan: ScanResult
    imports: dict[str, str]
    hits: list[list[Hit]] = field(default_factory=list)  # per item, rule hits

    @property
    def items(self) -> list[Item]:
        return self.scan.items

    @property
    def text(self) -> str:
        return self.scan.text

    def tags(self, index: int) -> list[str]:
        return sorted({h.tag for h in self.hits[index]})

    def own_hits(self, index: int) -> list[Hit]:
        """Hits of an item minus those inside its child items (an impl's methods)."""
        item = self.items[index]
        children = [c for c in self.items if c.parent == index]
        return [
            h
            for h in self.hits[index]
            if not any(c.start <= h.offset < c.end for c in children)
            and item.start <= h.offset < item.end
        ]


def scan_source(source: SourceFile) -> FileScan:
    scan = scan_text(source.text)
    imports = use_map(scan.uses)
    fs = FileScan(source, scan, imports)
    file_hits = match_tokens(scan, imports)
    fs.hits = hits_per_item(scan, file_hits)
    return fs


def scan_file(path: Path) -> FileScan:
    """Read and scan one Rust file; raises ``sources.InputError`` for unreadable input."""
    return scan_source(read_source(path))


def item_rows(fs: FileScan) -> list[dict[str, Any]]:
    """The `items --json` rows: SPEC's fields, with byte offsets into the file as stored."""
    bom = fs.source.bom_bytes
    rows = []
    for idx, it in enumerate(fs.items):
        parent = fs.items[it.parent] if it.parent is not None else None
        rows.append(
            {
                "path": str(fs.source.path),
                "kind": it.kind,
                "name": it.name,
                "start_byte": it.start_byte + bom,
                "end_byte": it.end_byte + bom,
                "start_line": it.start_line,
                "end_line": it.end_line,
                "is_test": it.is_test,
                "tags": fs.tags(idx),
                "parent": f"{parent.kind} {parent.name}" if parent else None,
                "doc": it.doc.split("\n\n")[0].replace("\n", " ") if it.doc else "",
            }
        )
    return rows


# -- the `items` command's per-file work, in-process or over worker processes ---------------------


@dataclass(frozen=True)
class ItemsOutput:
    """What `items` prints for one file: stdout text, problem warnings, or why it was skipped."""

    path: Path
    text: str
    warnings: tuple[str, ...]
    error: str | None  # the InputError message when the file could not be read


# `json.dumps(row, ensure_ascii=False)`, without building an encoder per row as `dumps` does.
_ENCODE_JSON = json.JSONEncoder(ensure_ascii=False).encode


def format_row(row: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return _ENCODE_JSON(row) + "\n"
    tags = ",".join(row["tags"])
    return (
        f"{row['path']}:{row['start_line']}-{row['end_line']}\t{row['kind']}\t"
        f"{row['name']}{'  [test]' if row['is_test'] else ''}"
        f"{'  ' + tags if tags else ''}\n"
    )


def items_output(path: Path, as_json: bool) -> ItemsOutput:
    """Scan one file into the lines `items` prints for it."""
    try:
        fs = scan_file(path)
    except InputError as exc:
        return ItemsOutput(path, "", (), str(exc))
    warnings = tuple(f"{path}: {p}" for p in fs.scan.problems)
    text = "".join(format_row(row, as_json) for row in item_rows(fs))
    return ItemsOutput(path, text, warnings, None)


# Fewer files than this are scanned in-process: a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16


def _jobs(n_files: int) -> int:
    env = os.environ.get("SVIXBT_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), max(n_files, 1))
    if n_files < PARALLEL_MIN_FILES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(2, cpus))


def items_outputs(files: list[Path], as_json: bool) -> Iterator[ItemsOutput]:
    """``items_output`` of every file, in the order given, whatever the number of workers.

    With many files and more than one core, files go to a pool of forked workers in small chunks;
    ``Executor.map`` hands the results back in input order, so the output is the same bytes as a
    sequential run.
    """
    jobs = _jobs(len(files))
    fork_ok = hasattr(os, "fork")
    if jobs <= 1 or not fork_ok:
        for f in files:
            yield items_output(f, as_json)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Fork: workers start with every module already imported (spawn would import them again).
    ctx = multiprocessing.get_context("fork")
    chunk = max(1, min(16, len(files) // (jobs * 8)))
    ex = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
    try:
        yield from ex.map(items_output, files, [as_json] * len(files), chunksize=chunk)
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
