"""Source to items to tags: the part of the flow every command shares."""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .rules import Hit, hits_per_item, match_tokens
from .rules import prepare as prepare_rules
from .scanner import Item, ScanResult, scan_text
from .sources import InputError, SourceFile, read_source
from .symbols import use_map
from .workers import default_jobs, ordered_map

# `typing` costs a few milliseconds to import and is needed for annotations only; `items` pays
# every millisecond of start-up on each run. (mypy reads any `TYPE_CHECKING` as true.)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FileScan", "scan_file", "scan_source", "item_rows"]


@dataclass
class FileScan:
    source: SourceFile
    scan: ScanResult
    imports: dict[str, str]
    hits: list[list[Hit]] = field(default_factory=list)  # per item, rule hits
    # Results derived from this scan alone, kept by the layers that compute them (facts): a crate
    # index asks for the same callee's facts from many files.
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)

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
    imports = use_map(scan.uses, scan)
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
    text = items_text(fs) if as_json else "".join(format_row(row, False) for row in item_rows(fs))
    return ItemsOutput(path, text, warnings, None)


# JSON of one string, as `json.dumps(..., ensure_ascii=False)` writes it (the C encoder's own).
_JSON_STR = json.encoder.encode_basestring


def items_text(fs: FileScan) -> str:
    """The `items --json` lines of a file: ``format_row(row, True)`` of each of its
    ``item_rows``, written straight from the items (no dict, no encoder call per row).

    The rows' shape is fixed, so the JSON is too: keys in order, `": "` and `", "` between, ints
    as written, strings through the encoder's own string function. tests/test_pipeline.py holds
    this equal to the encoder's output.
    """
    items = fs.items
    bom = fs.source.bom_bytes
    enc = _JSON_STR
    head = f'{{"path": {enc(str(fs.source.path))}, "kind": '
    lines = []
    for idx, it in enumerate(items):
        parent = items[it.parent] if it.parent is not None else None
        doc = it.doc.split("\n\n")[0].replace("\n", " ") if it.doc else ""
        lines.append(
            f'{head}{enc(it.kind)}, "name": {enc(it.name)}, '
            f'"start_byte": {it.start_byte + bom}, "end_byte": {it.end_byte + bom}, '
            f'"start_line": {it.start_line}, "end_line": {it.end_line}, '
            f'"is_test": {"true" if it.is_test else "false"}, '
            f'"tags": [{", ".join(map(enc, fs.tags(idx)))}], '
            f'"parent": {enc(f"{parent.kind} {parent.name}") if parent else "null"}, '
            f'"doc": {enc(doc)}}}\n'
        )
    return "".join(lines)


# Below this much source, `items` scans in-process by default: starting workers costs more than
# it saves (a fork and a task round trip are about a millisecond; scanning runs at ~15 MB/s).
PARALLEL_MIN_BYTES = 64 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # unreadable: the scan reports it
        return 0


# Tasks per worker: enough that a worker slowed by other work on its core hands the rest to the
# others, few enough that each is a run of neighbouring files (a crate's files share their
# identifiers, so a worker that reads them together finds its caches warm).
TASKS_PER_WORKER = 12


def _runs(sizes: list[int], tasks: int) -> list[range]:
    """Consecutive files cut into about ``tasks`` runs of about equal size (in bytes)."""
    target = max(1, sum(sizes) // tasks)
    runs: list[range] = []
    start = acc = 0
    for i, size in enumerate(sizes):
        acc += size
        if acc >= target:
            runs.append(range(start, i + 1))
            start, acc = i + 1, 0
    if start < len(sizes):
        runs.append(range(start, len(sizes)))
    return runs


def items_outputs(
    files: list[Path], as_json: bool, jobs: int | None = None
) -> Iterator[ItemsOutput]:
    """``items_output`` of every file, in the order given, whatever the number of workers.

    ``jobs`` is the number of worker processes (default: ``workers.default_jobs()``, the same as
    `generate`, except that a small input is scanned in-process). Forked workers take runs of
    neighbouring files, the largest runs first, and the runs come back in file order
    (``workers.ordered_map``), so the output is the same bytes as a run in one process.
    """
    sizes = [_size(f) for f in files] if len(files) > 1 else [0]
    if jobs is None:
        jobs = default_jobs() if sum(sizes) >= PARALLEL_MIN_BYTES else 1
    jobs = min(jobs, len(files))
    if jobs <= 1:
        for f in files:
            yield items_output(f, as_json)
        return
    runs = _runs(sizes, jobs * TASKS_PER_WORKER)
    prepare_rules()  # once here, not once in every worker

    def work(r: int) -> bytes:
        # `items_output` is looked up at call time (not bound here), so a test can stand in for it.
        outs = [items_output(files[i], as_json) for i in runs[r]]
        return marshal.dumps([(o.text, o.warnings, o.error) for o in outs])

    run_size = [sum(sizes[i] for i in r) for r in runs]
    order = sorted(range(len(runs)), key=lambda r: -run_size[r])
    for r, payload in zip(runs, ordered_map(work, len(runs), jobs, order), strict=True):
        for i, (text, warnings, error) in zip(r, marshal.loads(payload), strict=True):
            yield ItemsOutput(files[i], text, warnings, error)
