"""Tree-sitter item lister with the shape of `python -m svixbt items --json`, as a bench baseline.

    python bench/ts_items.py PATH...

Directories are walked recursively and their `.rs` files listed in sorted order, like svixbt does.
One JSON object per item per line: path, kind, name, start_byte, end_byte. The item rule is the
one in tests/treesitter_ref.py (imported, not copied, so the benchmark and the differential test
time and check the same code).
"""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from treesitter_ref import extract  # noqa: E402

BOM = b"\xef\xbb\xbf"


def rust_files(args: list[str]) -> Iterator[Path]:
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.rs") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(errno.ENOENT, "no such file or directory", arg)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: ts_items.py PATH...", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        for path in rust_files(argv):
            data = path.read_bytes()
            # Offsets are relative to the text without BOM, as in svixbt.
            if data.startswith(BOM):
                data = data[len(BOM) :]
            name = str(path)
            for it in extract(data).items:
                record = {
                    "path": name,
                    "kind": it.kind,
                    "name": it.name,
                    "start_byte": it.start_byte,
                    "end_byte": it.end_byte,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        reason = exc.strerror or "cannot read"
        print(f"ts_items.py: {exc.filename}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
