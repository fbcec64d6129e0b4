"""Command line: a thin Typer layer over the library. Exit codes: 0 done, 1 input or data error,
2 usage error."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .sources import InputError

EXIT_CODES = "Exit codes: 0 done, 1 input or data error, 2 usage error."

app = typer.Typer(
    name="svixbt",
    help=(
        "Turn Rust background-task code (first of all svix-server's expired_message_cleaner.rs) "
        "into byte-exact ChatML instruction-tuning records.\n\n"
        "Typical use: `svixbt generate --checkout ~/src/svix-webhooks -o data.jsonl`, then "
        "`svixbt validate data.jsonl` and `svixbt review data.jsonl`.\n\n" + EXIT_CODES
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    # A callback keeps Typer in multi-command mode, so `svixbt items ...` is always a subcommand.
    pass


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"svixbt: error: {message}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"svixbt: warning: {message}", err=True)


@app.command(epilog=EXIT_CODES)
def items(
    paths: Annotated[
        list[Path], typer.Argument(help="Rust files or directories (walked, .rs files sorted).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per item per line.")
    ] = False,
) -> None:
    """List the items (fn, struct, impl, ...) of Rust files with their exact byte and line spans.

    Spans are SPEC's item slices: from the first outer attribute or doc comment (and the plain
    comments attached above it) to the closing `}` or `;`. Tags are the background-task rules that
    fire inside the item.
    """
    from .pipeline import item_rows, scan_file
    from .sources import rust_files

    try:
        files = rust_files(paths)
    except InputError as exc:
        fail(str(exc))
    out = sys.stdout
    skipped = 0
    for f in files:
        try:
            fs = scan_file(f)
        except InputError as exc:
            if len(files) == 1:
                fail(str(exc))
            warn(f"skipped {exc}")
            skipped += 1
            continue
        for p in fs.scan.problems:
            warn(f"{f}: {p}")
        for row in item_rows(fs):
            if as_json:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                tags = ",".join(row["tags"])
                out.write(
                    f"{row['path']}:{row['start_line']}-{row['end_line']}\t{row['kind']}\t"
                    f"{row['name']}{'  [test]' if row['is_test'] else ''}"
                    f"{'  ' + tags if tags else ''}\n"
                )
    if skipped:
        warn(f"{skipped} file(s) skipped")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("svixbt: interrupted; nothing was written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
