"""Finding and reading Rust sources: paths in, decoded text (or a one-line error) out."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "InputError",
    "SkippedPathWarning",
    "SourceFile",
    "read_source",
    "rust_files",
    "checkout_target",
    "crate_root",
    "source_dir",
    "CHECKOUT_LAYOUTS",
]

# Where svix-webhooks keeps the cleaner: older trees at the top, newer ones under `server/`.
CHECKOUT_LAYOUTS = (
    "svix-server/src/expired_message_cleaner.rs",
    "server/svix-server/src/expired_message_cleaner.rs",
)
_BOM = "\ufeff"
# Test code of a crate in directory mode: integration tests, benchmarks and examples.
TEST_DIRS = frozenset({"tests", "benches", "examples"})


class InputError(Exception):
    """A problem with an input path, stated in one line that names the path."""


class SkippedPathWarning(UserWarning):
    """A directory or entry a walk could not read (permissions, a symlink loop) and left out."""


def _warn_skipped(message: str) -> None:
    warnings.warn(message, SkippedPathWarning, stacklevel=4)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str  # decoded, without a leading BOM
    bom_bytes: int  # 3 when the file starts with a UTF-8 BOM, so byte offsets stay file offsets

    @property
    def display(self) -> str:
        return str(self.path)


def read_source(path: Path) -> SourceFile:
    """Read a Rust file as UTF-8; refuse binary and undecodable files with the offending offset."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a .rs file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(f"{path}: binary file (NUL byte at offset {nul}), not Rust source")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if text.startswith(_BOM):
        return SourceFile(path, text[1:], 3)
    return SourceFile(path, text, 0)


def rust_files(paths: list[Path], on_skip: Callable[[str], None] | None = None) -> list[Path]:
    """Expand files and directories into `.rs` files: directories walked in sorted order.

    A walk skips `tests/`, `benches/` and `examples/` directories below its root (a crate's test
    code, never library code); a file named explicitly, or such a directory given as the root
    itself, is still read.

    Symlinked directories are followed once; a link back into a directory already walked is not
    followed again, so a symlink loop cannot make the walk endless or list a file twice. What the
    walk cannot read (a directory it may not list, a link that loops) is left out and reported
    to ``on_skip`` in one line naming it; without ``on_skip``, as a ``SkippedPathWarning``.
    """
    out: list[Path] = []
    seen_files: set[tuple[int, int]] = set()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path.is_file():
            out.append(path)
            continue
        found = _walk(path, seen_files, on_skip or _warn_skipped)
        if not found:
            raise InputError(f"{path}: directory holds no .rs file")
        out.extend(found)
    return out


def _walk(
    root: Path, seen_files: set[tuple[int, int]], on_skip: Callable[[str], None]
) -> list[Path]:
    found: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            st = d.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            on_skip(f"{d}: cannot read directory: {exc.strerror or exc}")
            continue
        subdirs: list[Path] = []
        for e in entries:
            try:
                if e.is_dir():
                    if e.name not in TEST_DIRS:
                        subdirs.append(Path(e.path))
                elif e.name.endswith(".rs") and e.is_file():
                    fst = e.stat()
                    fkey = (fst.st_dev, fst.st_ino)
                    if fkey not in seen_files:
                        seen_files.add(fkey)
                        found.append(Path(e.path))
            except OSError as exc:
                on_skip(f"{e.path}: cannot read: {exc.strerror or exc}")
        stack.extend(reversed(subdirs))
    return sorted(found, key=lambda p: p.parts)


def checkout_target(checkout: Path) -> Path:
    """The cleaner file inside a svix-webhooks checkout, in either known layout."""
    if not checkout.is_dir():
        raise InputError(
            f"{checkout}: not a directory; SVIX must point at a svix-webhooks checkout"
        )
    for rel in CHECKOUT_LAYOUTS:
        candidate = checkout / rel
        if candidate.is_file():
            return candidate
    tried = " or ".join(CHECKOUT_LAYOUTS)
    raise InputError(f"{checkout}: no {tried} here; is this a svix-webhooks checkout?")


def cargo_manifests(root: Path) -> Iterator[tuple[Path, str]]:
    """The folder and text of each readable `Cargo.toml` at ``root`` and up to three folders
    above it (where a workspace keeps its profile and its member list)."""
    for d in [root, *list(root.parents)[:3]]:
        try:
            yield d, (d / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


def crate_root(path: Path) -> Path | None:
    """The directory of the nearest `Cargo.toml` at or above ``path``."""
    d = path.resolve().parent
    for candidate in (d, *d.parents):
        if (candidate / "Cargo.toml").is_file():
            return candidate
    return None


_MANIFEST_PATH = re.compile(r"(?m)^\s*path\s*=\s*\"([^\"]+\.rs)\"")


def source_dir(root: Path) -> Path | None:
    """Where the crate's sources are: `src/`, or the folder of the `path` its manifest names for
    a target (`[lib] path = "lib.rs"`: garage's crates keep their sources beside the manifest,
    and a file at a time, `#[cfg(test)] mod test;` was not seen as test code, held-out read 51).
    """
    if (root / "src").is_dir():
        return root / "src"
    try:
        manifest = (root / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = _MANIFEST_PATH.search(manifest)
    if m is None:
        return None
    folder = (root / m.group(1)).parent
    return folder if folder.is_dir() else None
