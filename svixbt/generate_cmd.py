"""`svixbt generate` without Typer: its plain command lines, read here, and the command itself.

``svixbt.main`` imports this module for `generate` only; ``cli.generate`` (Typer: help and any
command line ``parse_generate`` leaves to it) runs the same ``run_generate``, so both paths print
the same bytes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .main import _error, _warn, exit_with

__all__ = ["GenerateArgs", "parse_generate", "run_generate", "main_generate"]


@dataclass
class GenerateArgs:
    """A `generate` command line, with Typer's defaults (see ``cli.generate``)."""

    paths: list[Path]
    out: Path = Path("background_task_runner.jsonl")
    checkout: Path | None = None
    append: bool = False
    seed: int = 0
    cap: int = 25
    manifest: Path | None = None
    crate: bool = True
    quiet: bool = False
    jobs: int | None = None


def run_generate(a: GenerateArgs) -> int:
    """`svixbt generate`: write the records; return the exit code (0, 1 for input, 2 usage)."""
    import gc

    from .generate import generate
    from .sources import InputError, checkout_target

    # A run builds many objects that live to its end (tokens, facts, region trees) and few
    # cycles: with the default thresholds the collector kept re-walking them (about 5% of a run
    # over a crate). Objects made by the imports are frozen out of every collection, and young
    # collections come every 20000 allocations rather than every 700.
    gc.freeze()
    gc.set_threshold(20000, 50, 100)

    paths = a.paths
    try:
        if a.checkout is not None:
            if paths:
                _error("give either PATHS or --checkout, not both")
                return 2
            paths = [checkout_target(a.checkout)]
        if not paths and not a.quiet:
            _echo("svixbt: no PATH given; using the bundled sample", sys.stderr)
        progress = None if a.quiet or not paths else (lambda msg: _echo(msg, sys.stderr))
        rep = generate(
            paths or None,
            a.out,
            append=a.append,
            seed=a.seed,
            cap=a.cap,
            manifest=a.manifest,
            with_crate=a.crate,
            progress=progress,
            jobs=a.jobs,
        )
    except InputError as exc:
        _error(str(exc))
        return 1
    for fr in rep.files:
        if fr.skipped:
            _warn(f"skipped {fr.skipped}")
        if fr.failed:
            _error(
                f"{fr.path}: svixbt failed on this file and wrote no record for it "
                f"({fr.failed}); please report it with the file attached"
            )
        for prob in fr.problems:
            _warn(f"{fr.path}: damaged Rust: {prob}")
        for rej in fr.rejected:
            _warn(f"{fr.path}: not written: {rej}")
        for note in fr.notes:
            _warn(note)
        if not a.quiet and not fr.skipped:
            extra = f", {len(fr.rejected)} rejected" if fr.rejected else ""
            extra += f", {fr.duplicates} already in {a.out}" if fr.duplicates else ""
            extra += f" ({fr.none_because})" if fr.none_because and not fr.written else ""
            _echo(f"  {fr.path}: {fr.written} example(s){extra}", sys.stderr)
    if not a.quiet:
        skipped = f"; {rep.skipped} file(s) skipped" if rep.skipped else ""
        skipped += f"; {rep.failed} file(s) failed" if rep.failed else ""
        _echo(
            f"wrote {rep.written} example(s) to {rep.out} (manifest: {rep.manifest}){skipped}",
            sys.stdout,
        )
    return 3 if rep.failed else 0


def _echo(message: str, stream: TextIO) -> None:
    """One line, flushed at once, as ``typer.echo`` writes it."""
    stream.write(message + "\n")
    stream.flush()


_GENERATE_VALUES = ("-o", "--out", "--checkout", "--seed", "--cap", "--manifest", "-j", "--jobs")
_GENERATE_FLAGS = {
    "--append": ("append", True),
    "--crate": ("crate", True),
    "--no-crate": ("crate", False),
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
}


def _plain_int(value: str, least: int | None = None) -> int | None:
    """``value`` as Typer reads an int option, when it is written plainly (`12`); None for
    anything else (`+3`, `007`, ` 3`, `x`), which is Typer's to read or refuse."""
    try:
        n = int(value)
    except ValueError:
        return None
    if str(n) != value or (least is not None and n < least):
        return None
    return n


def parse_generate(args: list[str]) -> GenerateArgs | None:
    """A `generate` command line (without the word `generate`); None for anything that is not
    plain: help, an unknown, repeated or attached (`-oX`) option, a value that starts with `-` or
    that Typer would refuse, an empty argument. Typer handles those."""
    a = GenerateArgs([])
    seen: set[str] = set()
    options_done = False
    k = 0
    while k < len(args):
        arg = args[k]
        k += 1
        if not arg:
            return None
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return None  # an undecodable name: Typer's conversion decides what it is
        if options_done or arg == "-" or not arg.startswith("-"):
            a.paths.append(Path(arg))
            continue
        if arg == "--":
            options_done = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _GENERATE_FLAGS and not eq:
            field, flag = _GENERATE_FLAGS[name]
            if field in seen:
                return None
            seen.add(field)
            setattr(a, field, flag)
            continue
        if name not in _GENERATE_VALUES:
            return None
        if not eq:
            if k == len(args):
                return None
            value = args[k]
            k += 1
        if not value or value.startswith("-"):
            return None
        field = {"-o": "out", "--out": "out", "-j": "jobs", "--jobs": "jobs"}.get(name, name[2:])
        if field in seen:
            return None
        seen.add(field)
        if field in ("seed", "cap", "jobs"):
            n = _plain_int(value, None if field == "seed" else 1)
            if n is None:
                return None
            setattr(a, field, n)
        else:
            setattr(a, field, Path(value))
    return a


def main_generate(args: list[str]) -> None:
    """Run a plain `generate` command line (``args`` without the word `generate`) and exit, with
    ``cli.main``'s handling of what no command anticipated; return (nothing run) for a command
    line that is Typer's to read."""
    a = parse_generate(args)
    if a is None:
        return
    exit_with(lambda: run_generate(a))
