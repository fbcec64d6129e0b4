"""Command line: a thin Typer layer over the library. Exit codes: 0 done, 1 input or data error,
2 usage error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .sources import InputError

EXIT_CODES = "Exit codes: 0 done, 1 input or data error, 2 usage error."
# Only generate reads many files and goes on past one it fails on (generate_cmd returns 3).
GENERATE_EXIT_CODES = (
    "Exit codes: 0 done, 1 input or data error, 2 usage error, 3 svixbt failed on a file "
    "(it names the file; the other files' records are still written)."
)

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
        list[Path],
        typer.Argument(
            metavar="PATH", help="Rust files or directories (walked, .rs files sorted)."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per item per line.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j",
            "--jobs",
            min=1,
            help="Worker processes (default: SVIXBT_JOBS, else the cores available; a small "
            "input is scanned in one process). The output is the same bytes for any number.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the items (fn, struct, impl, ...) of Rust files with their exact byte and line spans.

    Spans are SPEC's item slices: from the first outer attribute or doc comment (and the plain
    comments attached above it) to the closing `}` or `;`. Tags are the background-task rules that
    fire inside the item.
    """
    # The command itself lives outside Typer: `svixbt items PATH...` runs it without importing
    # Typer at all (svixbt.main); this is the path for --help and unusual command lines.
    from .main import run_items

    code = run_items(paths, as_json, jobs)
    if code:
        raise typer.Exit(code)


@app.command(epilog=GENERATE_EXIT_CODES)
def generate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Rust files or directories. None given: the bundled sample (or --checkout)."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("-o", "--out", help="JSONL file to write (replaced atomically).")
    ] = Path("background_task_runner.jsonl"),
    checkout: Annotated[
        Path | None,
        typer.Option(
            "--checkout",
            help="A svix-webhooks checkout: use its svix-server/src/expired_message_cleaner.rs "
            "(top level or under server/).",
        ),
    ] = None,
    append: Annotated[
        bool,
        typer.Option("--append", help="Add to FILE instead of replacing it; never duplicates."),
    ] = False,
    seed: Annotated[int, typer.Option(help="Phrasing seed: same seed, same bytes.")] = 0,
    cap: Annotated[int, typer.Option(min=1, help="Most examples per source file.")] = 25,
    manifest: Annotated[
        Path | None,
        typer.Option(help="Provenance sidecar (default: OUT with .manifest.jsonl)."),
    ] = None,
    crate: Annotated[
        bool,
        typer.Option(
            "--crate/--no-crate",
            help="Read the surrounding crate (nearest Cargo.toml) for call sites.",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Only errors.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j",
            "--jobs",
            min=1,
            help="Worker processes (default: SVIXBT_JOBS, else the cores available). The files "
            "of one crate share a worker; the output is the same bytes for any number.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write ChatML training records for the background-task code of Rust files.

    Each record is a maintainer's request, an expert <think> block grounded in the code, and the
    code itself as whole, unedited slices of the source. Records that fail a check (schema,
    exactness, grounding, near-duplicates) are reported and not written. A provenance manifest
    (source, line ranges, sha256, focus, style, rules) is written beside the output.
    """
    # The command itself lives outside Typer: a plain `svixbt generate ...` runs it without
    # importing Typer at all (svixbt.generate_cmd); this is the path for --help and unusual
    # command lines.
    from .generate_cmd import GenerateArgs, run_generate

    code = run_generate(
        GenerateArgs(
            list(paths or []),
            out,
            checkout=checkout,
            append=append,
            seed=seed,
            cap=cap,
            manifest=manifest,
            crate=crate,
            quiet=quiet,
            jobs=jobs,
        )
    )
    if code:
        raise typer.Exit(code)


@app.command(epilog=EXIT_CODES)
def validate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="JSONL file written by `generate`.")],
    source: Annotated[
        Path | None,
        typer.Option(help="The Rust file (or directory) the records came from: adds exactness."),
    ] = None,
) -> None:
    """Check a dataset: exact schema and system text, <think> shape, grounding of every named
    identifier and value, no duplicate or near-duplicate requests and thinks; with --source,
    that every code block is whole slices of the source in source order."""
    from .checks import validate_file

    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        rep = validate_file(file, source)
    except (InputError, ValueError) as exc:
        fail(str(exc))
    for e in rep.errors:
        typer.echo(f"{file}: {e}", err=True)
    if rep.errors:
        fail(f"{file}: {len(rep.errors)} problem(s) in {rep.records} record(s)")
    for note in rep.notes:
        warn(f"{file}: {note}")
    if source:
        where = f" against {source}"
    else:
        where = "" if rep.notes else " against the manifest's sources"
    typer.echo(f"{file}: {rep.records} record(s) valid{where}")


@app.command(epilog=EXIT_CODES)
def explain(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A Rust file.")],
    crate: Annotated[
        bool, typer.Option("--crate/--no-crate", help="Look up call sites in the crate.")
    ] = True,
) -> None:
    """Show, for a person, what the tool found: each candidate and helper with its tags and
    evidence lines, its facts (values, sleeps, arms, SQL, logs), helpers, imports and call sites.
    """
    from .explain import render

    try:
        typer.echo(render(path, with_crate=crate), nl=False)
    except InputError as exc:
        fail(str(exc))


@app.command(epilog=EXIT_CODES)
def review(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="JSONL file written by `generate`.")],
    manifest: Annotated[
        Path | None,
        typer.Option(help="Provenance sidecar (default: FILE with .manifest.jsonl, if present)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write the Markdown here, not stdout.")
    ] = None,
) -> None:
    """Render records as Markdown for a person: per record the request, the think block, the code
    in a rust fence and its provenance (source, sha256, slices with line ranges, rules).

    Meant for reviewing dataset changes: `make golden` keeps such renders beside the golden files,
    so `git diff golden/` reads like prose and code.
    """
    from .records import write_text_atomic
    from .review import render_file

    if not file.is_file():
        fail(f"{file}: no such file")
    if manifest is not None and not manifest.is_file():
        fail(f"{manifest}: no such manifest")
    if out is not None:
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir():
            fail(f"{out}: output directory {parent} does not exist; create it first")
        if out.is_dir():
            fail(f"{out}: is a directory; give a file name such as {out / 'review.md'}")
    try:
        text = render_file(file, manifest)
        if out is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(out, text)
    except (OSError, ValueError) as exc:
        fail(str(exc))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("svixbt: interrupted; nothing was written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        # Last resort for a file system failure no command anticipated (disk full, I/O error):
        # still one line naming the path, never a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"svixbt: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
