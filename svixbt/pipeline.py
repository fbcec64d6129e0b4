"""Source to items to tags: the part of the flow every command shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rules import Hit, hits_per_item, match_tokens
from .scanner import Item, ScanResult, scan_text
from .sources import SourceFile, read_source
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
    file_hits = match_tokens(scan, imports, scan.match)
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
