"""ChatML records: the exact schema, byte-exact code assembly, and atomic JSONL writes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
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
    "read_jsonl",
    "write_atomic",
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
    """Whole slices of ``text`` in source order, joined by SPEC's rule (``codeblock.join_slices``):
    the source's own whitespace between neighbours, one blank line between slices apart."""
    from .codeblock import join_slices  # codeblock needs line_ending from here

    return join_slices(text, spans)


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


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL file; raises ValueError naming the line of the first bad one."""
    out: list[dict[str, Any]] = []
    with path.open("rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 (invalid byte at offset {exc.start})") from None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{lineno}: a record must be a JSON object")
        out.append(obj)
    return out


def manifest_path_for(out: Path) -> Path:
    """`data.jsonl` -> `data.manifest.jsonl`, beside it."""
    name = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(name + ".manifest.jsonl")


def write_atomic(path: Path, rows: Sequence[dict[str, Any]], keep_prefix: bytes = b"") -> None:
    """Write ``keep_prefix`` then ``rows`` as JSONL through a temporary file and a rename.

    The temporary file lives in the target directory so the rename is atomic; a run that fails or
    is interrupted before the rename leaves the existing file byte-identical.
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # Binary, so the kept prefix is copied byte for byte whatever it holds.
        with os.fdopen(fd, "wb") as fh:
            fh.write(keep_prefix)
            if keep_prefix and not keep_prefix.endswith(b"\n"):
                fh.write(b"\n")
            for row in rows:
                fh.write(dumps(row).encode("utf-8", "surrogatepass") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        # Never leave a stray temporary file beside the output.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
