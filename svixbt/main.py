"""The `svixbt` entry point: `items` and `generate` with plain arguments run without Typer,
everything else in Typer.

`items` is the command run in loops and benchmarks, over a few files as often as over a crate, so
its start-up matters: importing Typer (and Click, and what they import) costs more than scanning
a small crate. `generate` over a crate pays the same again: Typer's import and its per-parameter
conversion (Pydantic) come to about a sixth of a run over svix-server/src. This module imports
neither; ``run_items`` here and ``generate_cmd.run_generate`` (imported only for `generate`, so
that `items` starts as light as before) are the commands themselves, which the Typer commands
(``cli.items``, ``cli.generate``) call too, so both paths print the same bytes. Any command line
not fully understood here (help, an option it does not know, a bad or repeated value, no path)
goes to Typer, which explains it as it does for every other command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

__all__ = ["main", "run_items", "parse_items"]


def _error(message: str) -> None:
    sys.stderr.write(f"svixbt: error: {message}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"svixbt: warning: {message}\n")


def run_items(paths: list[Path], as_json: bool, jobs: int | None = None) -> int:
    """`svixbt items`: print the items of ``paths``; return the exit code (0, or 1 for input)."""
    from .pipeline import items_outputs
    from .sources import InputError, rust_files

    try:
        files = rust_files(paths, on_skip=lambda message: _warn(f"skipped {message}"))
    except InputError as exc:
        _error(str(exc))
        return 1
    out = sys.stdout
    skipped = 0
    for res in items_outputs(files, as_json, jobs):
        if res.error is not None:
            if len(files) == 1:
                _error(res.error)
                return 1
            _warn(f"skipped {res.error}")
            skipped += 1
            continue
        for w in res.warnings:
            _warn(w)
        out.write(res.text)
    if skipped and skipped == len(files):
        _error(f"no readable .rs file among {len(files)}")
        return 1
    if skipped:
        _warn(f"{skipped} file(s) skipped")
    return 0


def parse_items(args: list[str]) -> tuple[list[Path], bool, int | None] | None:
    """Paths, ``--json`` and ``--jobs`` of an `items` command line (without the word `items`);
    None for anything else (help, another option, a bad value, no path), which Typer handles."""
    as_json = False
    jobs: int | None = None
    paths: list[Path] = []
    options_done = False
    k = 0
    while k < len(args):
        arg = args[k]
        k += 1
        if options_done or arg == "-" or not arg.startswith("-"):
            paths.append(Path(arg))
        elif arg == "--json":
            as_json = True
        elif arg == "--":
            options_done = True
        elif arg in ("-j", "--jobs") or arg.startswith(("--jobs=", "-j")):
            if arg in ("-j", "--jobs"):
                if k == len(args):
                    return None
                value = args[k]
                k += 1
            else:
                value = arg.split("=", 1)[1] if arg.startswith("--jobs=") else arg[2:]
            # Typer's own rule (an integer, at least 1); anything else is its error to report.
            if not value.isdecimal() or not value.isascii() or int(value) < 1:
                return None
            jobs = int(value)
        else:
            return None
    return (paths, as_json, jobs) if paths else None


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["generate"]:
        from .generate_cmd import main_generate

        main_generate(args[1:])  # exits, unless the command line is Typer's to read
    parsed = parse_items(args[1:]) if args[:1] == ["items"] else None
    if parsed is None:
        from .cli import main as typer_main

        typer_main()
        return

    def items() -> int:
        code = run_items(*parsed)
        sys.stdout.flush()
        return code

    exit_with(items, on_broken_pipe=_quiet_stdout)


def _quiet_stdout() -> int:
    # As Click does: the reader went away; keep the interpreter from complaining at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


def exit_with(run: Callable[[], int], on_broken_pipe: Callable[[], int] = lambda: 0) -> NoReturn:
    """Run a command outside Typer and exit with its code; an interrupt, a closed pipe or an
    I/O error nothing anticipated becomes one line and an exit code, never a traceback."""
    try:
        code = run()
    except KeyboardInterrupt:
        sys.stderr.write("svixbt: interrupted; nothing was written\n")
        sys.stderr.flush()
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(on_broken_pipe())
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        sys.exit(1)
    sys.exit(code)
