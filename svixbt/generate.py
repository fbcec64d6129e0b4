"""The main job: Rust sources in, checked ChatML records (and a provenance manifest) out."""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import (
    Variety,
    Vocabulary,
    grounding_errors,
    pasted_code,
    run_errors,
    schema_errors,
    trace_errors,
)
from .claims import FileContext
from .codeblock import describe_slice
from .compose import Example, compose_examples
from .evidence import Indexes, file_context
from .records import (
    dumps,
    make_record,
    manifest_path_for,
    read_jsonl,
    sha256_text,
    split_assistant,
    write_atomic,
)
from .sources import InputError, crate_root, read_source, rust_files, source_dir
from .workers import default_jobs

__all__ = ["generate", "GenerateReport", "FileReport", "bundled_sample", "default_jobs"]

SAMPLE = "sample_cleaner.rs"


@dataclass
class FileReport:
    path: str
    written: int = 0
    rejected: list[str] = field(default_factory=list)
    skipped: str = ""
    failed: str = ""  # an error of svixbt's own while composing: the file gave no records
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)  # variety over the file's records
    none_because: str = ""  # why the file gave no records, when known up front


@dataclass
class GenerateReport:
    out: Path
    manifest: Path
    files: list[FileReport] = field(default_factory=list)
    used_sample: bool = False

    @property
    def written(self) -> int:
        return sum(f.written for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(1 for f in self.files if f.skipped)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.failed)


def bundled_sample() -> Path:
    from importlib import resources  # only here: a run over given paths never needs it

    return Path(str(resources.files("svixbt") / "data" / SAMPLE))


def _same_file(a: Path, b: Path) -> bool:
    # resolve() follows symlinks, so `-o link-to-input` is caught; samefile also catches hard links.
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


class _RealPaths:
    """``Path.resolve`` of many files, each directory resolved once: a file that is no symlink
    resolves to its directory's real path and its own name (a resolve is an lstat per path
    component, and a crate's files share their directories)."""

    def __init__(self) -> None:
        self.dirs: dict[Path, Path] = {}

    def __call__(self, p: Path) -> Path:
        if p.name in ("", ".", "..") or p.is_symlink():
            return p.resolve()
        d = self.dirs.get(p.parent)
        if d is None:
            d = self.dirs[p.parent] = p.parent.resolve()
        return d / p.name


def _check_output(out: Path, inputs: list[Path], real: _RealPaths | None = None) -> None:
    """Refuse an output that cannot be written, or would overwrite an input, before any work.

    ``_same_file(out, p)`` for each input, with ``out`` looked at once and the inputs resolved
    through ``real`` (shared between the checks of one run)."""
    parent = out.parent if str(out.parent) else Path(".")
    for d in (parent, *parent.parents):
        # A regular file somewhere up the path (`afile/out.jsonl`) is a different mistake from a
        # missing directory, and deserves its own message.
        if d.exists() and not d.is_dir():
            raise InputError(f"{out}: {d} is a file, not a directory")
    if not parent.is_dir():
        raise InputError(f"{out}: output directory {parent} does not exist; create it first")
    if out.is_dir():
        raise InputError(f"{out}: is a directory; give a file name such as {out / 'data.jsonl'}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{out}: not writable (directory {parent})")
    if out.exists() and not os.access(out, os.W_OK):
        raise InputError(f"{out}: not writable")
    if real is None:
        real = _RealPaths()
    try:
        real_out: Path | None = out.resolve()
    except OSError:
        real_out = None
    try:
        out_stat: os.stat_result | None = out.stat()
    except OSError:
        out_stat = None
    for p in inputs:
        try:
            same = real_out is not None and real(p) == real_out
        except OSError:
            same = False
        if not same and out_stat is not None:
            # samefile also catches hard links.
            try:
                same = os.path.samestat(out_stat, p.stat())
            except OSError:
                same = False
        if same:
            raise InputError(f"{out}: output path is also an input; choose another -o")


def generate(
    paths: list[Path] | None,
    out: Path,
    *,
    append: bool = False,
    seed: int = 0,
    cap: int = 25,
    manifest: Path | None = None,
    with_crate: bool = True,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> GenerateReport:
    """Generate records for ``paths`` (files or directories; None: the bundled sample).

    Records that fail a check are not written; they are listed in the report. The output and its
    manifest are replaced atomically, or extended with ``append`` (never duplicating a record).

    ``jobs`` worker processes compose the files' records (None: ``default_jobs()``); the files
    of one crate go to one worker, which reads the crate once. The output is the same bytes
    whatever the number of workers.
    """
    manifest = manifest or manifest_path_for(out)
    used_sample = not paths
    inputs = [bundled_sample()] if used_sample else list(paths or [])
    if _same_file(out, manifest):
        raise InputError(
            f"{out}: the manifest would overwrite the output; choose another --manifest"
        )
    files = _checked_files(inputs, out, manifest)
    single = len(files) == 1 and all(p.is_file() for p in inputs)
    report = GenerateReport(out=out, manifest=manifest, used_sample=used_sample)
    kept, kept_manifest, existing, variety, line_no = _kept(out, manifest, append)

    rows: list[dict[str, Any]] = []
    mrows: list[dict[str, Any]] = []
    settings = _Settings(seed, cap, with_crate, single)
    for i, (f, work) in enumerate(zip(files, _file_works(files, settings, jobs), strict=True), 1):
        # Everything below depends on the records before this one (duplicates, variety, record
        # numbers), so it runs here, in file order, whichever process composed the file.
        fr = FileReport(str(f))
        report.files.append(fr)
        if progress:
            progress(f"[{i}/{len(files)}] {f}")
        if work.skipped or work.failed:
            fr.skipped, fr.failed = work.skipped, work.failed
            continue
        fr.problems, fr.none_because = work.problems, work.none_because
        written: list[tuple[str, str]] = []
        for cand in work.candidates:
            if cand.line in existing:
                fr.duplicates += 1
                continue
            errs = cand.errs + variety.errors(cand.user, cand.think)
            if errs:
                fr.rejected.append(f"{cand.label}: {'; '.join(errs)}")
                continue
            existing.add(cand.line)
            variety.add(cand.user, cand.think, cand.label)
            rows.append(cand.record)
            written.append((cand.user, cand.think))
            line_no += 1
            fr.written += 1
            mrows.append({"record": line_no, **cand.manifest})
        fr.notes = run_errors(work.display, [u for u, _ in written], [t for _, t in written])
    _nothing_composed(report, len(files), out)
    for target, new_rows, prefix in ((out, rows, kept), (manifest, mrows, kept_manifest)):
        try:
            write_atomic(target, new_rows, keep_prefix=prefix)
        except OSError as exc:
            # Name the file we meant to write, not the temporary one beside it.
            raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return report


def _nothing_composed(report: GenerateReport, n: int, out: Path) -> None:
    """Raises when no file gave candidates: replacing the output with an empty file would lose
    its records."""
    if n and report.failed and report.skipped + report.failed == n:
        bad = next(fr for fr in report.files if fr.failed)
        raise InputError(
            f"svixbt failed on every file (first: {bad.path}: {bad.failed}); {out} left "
            "unchanged; please report it with the file attached"
        )
    if n and report.skipped == n:
        first = next(fr.skipped for fr in report.files if fr.skipped)
        raise InputError(f"no readable .rs file among {n} (first: {first}); {out} left unchanged")


def _checked_files(inputs: list[Path], out: Path, manifest: Path) -> list[Path]:
    """The .rs files of ``inputs``, once neither output would overwrite one of them."""
    real = _RealPaths()
    _check_output(out, inputs, real)
    _check_output(manifest, inputs, real)
    files = rust_files(inputs)
    # A directory input expands to files the checks above never saw (`generate src -o src/x.rs`).
    _check_output(out, files, real)
    _check_output(manifest, files, real)
    return files


def _kept(out: Path, manifest: Path, append: bool) -> tuple[bytes, bytes, set[str], Variety, int]:
    """With ``append``: the output's and manifest's bytes to keep, its records (to never write
    twice), their wording (for the variety check) and how many there are."""
    existing: set[str] = set()
    variety = Variety()
    if not (append and out.exists()):
        return b"", b"", existing, variety, 0
    kept = out.read_bytes()
    try:
        old = read_jsonl(out)
    except ValueError as exc:
        raise InputError(f"{out}: cannot append: {exc}") from None
    for n, r in enumerate(old, 1):
        existing.add(dumps(r))
        parts = None if schema_errors(r) else split_assistant(r["messages"][2]["content"])
        if parts is not None:
            variety.add(r["messages"][1]["content"], parts[0], f"existing record {n}")
    kept_manifest = manifest.read_bytes() if manifest.exists() else b""
    return kept, kept_manifest, existing, variety, len(old)


def _record_errors(ctx: FileContext, ex: Example, sources: dict[str, str]) -> list[str]:
    """Trace, grounding, tokio and pasted-code checks for one example before it is written."""
    context = ex.names
    errs = trace_errors(ex.fills, ex.claims, context, sources)
    errs += grounding_errors([ex.user, ex.think], ex.code, Vocabulary.of(ex.claims, context))
    if "tokio" not in ex.think:
        errs.append("the think never names tokio")
    if pasted_code(ex.user, ex.code):
        errs.append("the request pastes code")
    return errs


def _manifest_row(
    line: str, path: Path, source_sha: str, ctx: FileContext, ex: Example, seed: int
) -> dict[str, Any]:
    """A manifest row but for its leading ``record`` number, which only file order decides."""
    fs = ctx.fs
    bom = fs.source.bom_bytes
    text = fs.text
    slices = []
    for s in ex.block.slices:
        start_byte = len(text[: s.start].encode("utf-8", "surrogatepass")) + bom
        kind, name = describe_slice(fs, s)
        slices.append(
            {
                "kind": kind,
                "name": name,
                "slice": s.kind,  # use, item, member, impl-head, impl-tail, macro-def
                "subject": s.subject,
                "start_line": fs.scan.line_of(s.start),
                "end_line": fs.scan.line_of(max(s.start, s.end - 1)),
                "start_byte": start_byte,
                "end_byte": start_byte
                + len(text[s.start : s.end].encode("utf-8", "surrogatepass")),
            }
        )
    claims = []
    for c in ex.claims:
        proofs = sorted(
            {
                (p.file, fs.scan.line_of(p.start)) if p.file == ctx.display else (p.file, -1)
                for p in c.proof
            }
        )
        claims.append(
            {
                "kind": c.kind,
                "about": c.subject,
                "proof": [f"{file}:{line}" if line > 0 else file for file, line in proofs],
            }
        )
    return {
        "record_sha256": sha256_text(line),
        "source": path.as_posix(),
        "source_sha256": source_sha,
        "item": fs.items[ex.primary].name,
        "focus": ex.focus,
        "style": ex.style,
        "rules": ex.rules,
        "slices": slices,
        "claims": claims,
        "seed": seed,
    }


# -- composing files, in this process or in forked workers ----------------------------------------


@dataclass(frozen=True)
class _Settings:
    seed: int
    cap: int
    with_crate: bool
    single: bool  # one file named on its own: an unreadable file is an error, not a skip


@dataclass
class _Candidate:
    """One composed example with the checks that need only its own file done."""

    line: str  # the record as written
    record: dict[str, Any]
    user: str
    think: str
    label: str
    errs: list[str]  # schema, trace, grounding, tokio and pasted-code errors
    manifest: dict[str, Any]  # its manifest row, without the record number


@dataclass
class _FileWork:
    """What one file contributes before the run-wide checks: candidates in compose order."""

    skipped: str = ""
    failed: str = ""
    problems: list[str] = field(default_factory=list)
    display: str = ""
    candidates: list[_Candidate] = field(default_factory=list)
    none_because: str = ""  # why a file gives no records at all, when that is known up front


def _compose_file(
    f: Path, indexes: Indexes, settings: _Settings, crate_sources: dict[Path, dict[str, str]]
) -> _FileWork:
    """Compose one file's candidates. ``crate_sources`` holds, per crate root of ``indexes``, the
    text of each file of the crate by its display name (filled as crates are met)."""
    try:
        src = read_source(f)
    except InputError as exc:
        if settings.single:
            raise
        return _FileWork(skipped=str(exc))
    fs = indexes.scan(src)
    ctx = file_context(fs, indexes)
    work = _FileWork(problems=[str(p) for p in fs.scan.problems], display=ctx.display)
    if ctx.file_idx is not None and ctx.file_idx in ctx.index.test_files:
        # compose_examples gives such a file nothing: say why, or "0 example(s)" reads as a
        # file with no background work (yazi declares its modules with a macro).
        work.none_because = (
            "test code, or no `mod` from a crate root reaches it; --no-crate reads it alone"
        )
    source_sha = hashlib.sha256(f.read_bytes()).hexdigest()
    sources = {ctx.display: ctx.fs.text}
    root = ctx.index.root
    if root is not None:
        # Every file of a crate checks against the whole crate's text: gathered once per crate.
        crate = crate_sources.get(root)
        if crate is None:
            crate = crate_sources[root] = {
                ctx.other_display(i): other.text for i, other in enumerate(ctx.index.files)
            }
        sources.update(crate)
    try:
        examples = compose_examples(ctx, seed=settings.seed, cap=settings.cap)
    except Exception as exc:
        # A bug of ours on one file should not cost the run every other file's records; the
        # CLI names the file and exits non-zero, so the run is not taken for a clean one.
        where = traceback.extract_tb(exc.__traceback__)[-1]
        at = f"{Path(where.filename).name}:{where.lineno}"
        return _FileWork(failed=f"{type(exc).__name__}: {exc} (at svixbt {at})")
    for ex in examples:
        rec = make_record(ex.user, ex.think, ex.code)
        line = dumps(rec)
        work.candidates.append(
            _Candidate(
                line=line,
                record=rec,
                user=ex.user,
                think=ex.think,
                label=f"{ex.focus} of {fs.items[ex.primary].name}",
                errs=schema_errors(rec) + _record_errors(ctx, ex, sources),
                manifest=_manifest_row(line, src.path, source_sha, ctx, ex, settings.seed),
            )
        )
    return work


def _compose_group(files: list[Path], settings: _Settings) -> list[_FileWork]:
    """Compose files that share one crate index; it is dropped when the group is done, so a run
    holds one crate in memory at a time."""
    indexes = Indexes(with_crate=settings.with_crate)
    crate_sources: dict[Path, dict[str, str]] = {}
    return [_compose_file(f, indexes, settings, crate_sources) for f in files]


# Files outside any crate share nothing; they travel to workers this many at a time.
_LOOSE_CHUNK = 8


def _crate_keys(files: list[Path], with_crate: bool) -> list[Path | None]:
    """The crate root each file's index comes from (None: the file is indexed alone): its
    nearest Cargo.toml, when that directory has a src/ tree, as ``Indexes`` decides."""
    roots: dict[Path, Path | None] = {}  # directory -> crate root, each looked up once
    keys: list[Path | None] = []
    for f in files:
        if not with_crate:
            keys.append(None)
            continue
        d = f.parent
        if d not in roots:
            found = crate_root(f)
            roots[d] = found if found is not None and source_dir(found) is not None else None
        keys.append(roots[d])
    return keys


def _groups(keys: list[Path | None]) -> list[list[int]]:
    """File positions grouped so that the files of one crate are in one group (in file order)."""
    by_key: dict[Path, list[int]] = {}
    loose: list[list[int]] = []
    for i, key in enumerate(keys):
        if key is not None:
            by_key.setdefault(key, []).append(i)
        elif loose and len(loose[-1]) < _LOOSE_CHUNK:
            loose[-1].append(i)
        else:
            loose.append([i])
    return [*by_key.values(), *loose]


def _file_works(files: list[Path], settings: _Settings, jobs: int | None) -> Iterator[_FileWork]:
    """``_FileWork`` of every file, in file order, composed here or by forked workers."""
    keys = _crate_keys(files, settings.with_crate)
    groups = _groups(keys)
    workers = min(jobs if jobs is not None else default_jobs(), len(groups))
    if workers <= 1 or not hasattr(os, "fork"):
        indexes = Indexes(with_crate=settings.with_crate)
        crate_sources: dict[Path, dict[str, str]] = {}
        for i, f in enumerate(files):
            # Files come sorted, so a crate's files are consecutive: one crate index is held at
            # a time, as in a worker.
            if i and keys[i] != keys[i - 1]:
                indexes = Indexes(with_crate=settings.with_crate)
                crate_sources = {}
            yield _compose_file(f, indexes, settings, crate_sources)
        return
    import multiprocessing
    from multiprocessing.pool import AsyncResult

    # Fork: workers start with every module imported and nothing to send but paths.
    size = [sum(_size(files[i]) for i in g) for g in groups]
    owner: dict[int, tuple[AsyncResult[list[_FileWork]], list[int]]] = {}
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
    try:
        # Largest groups first, so that a big crate does not start last and finish alone.
        for g in sorted(range(len(groups)), key=lambda g: -size[g]):
            res = pool.apply_async(_compose_group, ([files[i] for i in groups[g]], settings))
            for i in groups[g]:
                owner[i] = (res, groups[g])
        done: dict[int, _FileWork] = {}
        for i in range(len(files)):
            if i not in done:
                res, group = owner[i]
                done.update(zip(group, res.get(), strict=True))
            yield done.pop(i)
    except BaseException:
        # Interrupted (Ctrl-C) or failed: stop the workers now, queued groups and all.
        pool.terminate()
        raise
    pool.close()
    pool.join()


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool, so a worker has nothing to report.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
