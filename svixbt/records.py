"""ChatML records: the exact schema, byte-exact code assembly, JSONL reading and atomic writes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "SYSTEM_PROMPT",
    "line_ending",
    "assemble_code",
    "make_record",
    "dumps",
    "assistant_content",
    "split_assistant",
    "parse_jsonl",
    "read_jsonl",
    "read_jsonl_values",
    "write_atomic",
    "write_text_atomic",
    "manifest_path_for",
    "sha256_text",
]

SYSTEM_PROMPT = (
    "You are the Svix Maintainer AI, an expert in the internal svix-server Rust architecture, "
    "specializing in background tasks and periodic scheduling."
)
THINK_OPEN = "<think>\n"
THINK_CLOSE = "\n</think>\n\n"


def line_ending(text: str) -> str:
    """The file's own line ending: CRLF when its first line break is CRLF."""
    nl = text.find("\n")
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def assemble_code(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Whole slices of ``text`` in source order, joined by one blank line in the file's ending."""
    ordered = sorted(set(spans))
    eol = line_ending(text)
    return (eol + eol).join(text[a:b] for a, b in ordered)


def assistant_content(think: str, code: str) -> str:
    return f"{THINK_OPEN}{think}{THINK_CLOSE}{code}"


def split_assistant(content: str) -> tuple[str, str] | None:
    """``(think, code)`` from an assistant message, or None when it is not in the exact shape."""
    if not content.startswith(THINK_OPEN):
        return None
    end = content.find(THINK_CLOSE, len(THINK_OPEN))
    if end < 0:
        return None
    return content[len(THINK_OPEN) : end], content[end + len(THINK_CLOSE) :]


def make_record(user: str, think: str, code: str) -> dict[str, Any]:
    # Key order is part of the contract, and dicts keep insertion order.
    return {
        "type": "chatml",
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
            {"role": "assistant", "content": assistant_content(think, code)},
        ],
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_jsonl(text: str, name: str = "<text>", objects: bool = False) -> list[Any]:
    """JSON values of JSONL text, one per non-blank line; ValueError names the first bad line
    (``name:line``), and with ``objects`` a line that is not a JSON object is one."""
    out: list[Any] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{name}:{lineno}: not valid JSON ({exc.msg})") from None
        if objects and not isinstance(obj, dict):
            raise ValueError(f"{name}:{lineno}: a record must be a JSON object")
        out.append(obj)
    return out


def _read_utf8(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 (invalid byte at offset {exc.start})") from None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL file; raises ValueError naming the line of the first bad one."""
    return parse_jsonl(_read_utf8(path), str(path), objects=True)


def read_jsonl_values(path: Path) -> list[Any]:
    """Every JSON value of a JSONL file, objects or not (for showing a broken file as it is)."""
    return parse_jsonl(_read_utf8(path), str(path))


def manifest_path_for(out: Path) -> Path:
    """`data.jsonl` -> `data.manifest.jsonl`, beside it."""
    name = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(name + ".manifest.jsonl")


def write_atomic(path: Path, rows: Iterable[dict[str, Any]], keep_prefix: bytes = b"") -> None:
    """Write ``keep_prefix`` (copied byte for byte) then ``rows`` as JSONL, atomically."""

    def chunks() -> Iterator[bytes]:
        yield keep_prefix
        if keep_prefix and not keep_prefix.endswith(b"\n"):
            yield b"\n"
        for row in rows:
            yield dumps(row).encode("utf-8", "surrogatepass") + b"\n"

    _write_bytes_atomic(path, chunks())


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8, atomically, its line endings as they are."""
    _write_bytes_atomic(path, [text.encode("utf-8")])


def _write_bytes_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    """Write through a temporary file in the target directory and a rename.

    The rename is atomic, so a run that fails or is interrupted before it (``chunks`` may raise
    while it is produced) leaves an existing file byte-identical and no temporary file behind. A
    file that existed keeps its permissions; a new one gets 0644.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
