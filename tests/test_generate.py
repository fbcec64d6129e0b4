"""End to end through the library (and once through the CLI) on the bundled sample and fixtures."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import assert_code_is_slices, cli_env, write_crate

from svixbt.checks import validate_file
from svixbt.generate import GenerateReport, bundled_sample, generate
from svixbt.generate_cmd import GenerateArgs, parse_generate
from svixbt.pipeline import scan_file
from svixbt.records import dumps, split_assistant
from svixbt.rules import STRONG_TAGS
from svixbt.wording.requests import STYLES

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def code_of(rec: dict[str, Any]) -> str:
    parts = split_assistant(rec["messages"][2]["content"])
    assert parts is not None
    return parts[1]


class Run:
    def __init__(self, out: Path, report: GenerateReport) -> None:
        self.out = out
        self.report = report
        self.manifest = report.manifest
        self.records = records(out)
        self.rows = records(report.manifest)
        self.codes = [code_of(r) for r in self.records]
        self.requests = [r["messages"][1]["content"] for r in self.records]


def run(tmp: Path, paths: list[Path] | None = None, seed: int = 0) -> Run:
    tmp.mkdir(parents=True, exist_ok=True)
    out = tmp / "out.jsonl"
    return Run(out, generate(paths, out, seed=seed))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run(tmp_path_factory.mktemp("seed0"))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run(tmp_path_factory.mktemp("mixed"), [FIXTURES / "mixed_db.rs"])


def _background_fns(path: Path) -> set[str]:
    """Non-test fns with background-task mechanics of their own (a candidate tag, SPEC)."""
    fs = scan_file(path)
    return {
        it.name
        for i, it in enumerate(fs.items)
        if it.kind == "fn" and not it.is_test and {h.tag for h in fs.own_hits(i)} & STRONG_TAGS
    }


def test_sample_gives_every_background_fn_an_example(sample: Run) -> None:
    assert sample.report.used_sample is True
    assert sample.report.files[0].rejected == []
    assert sample.report.written == len(sample.records) == len(sample.rows)
    assert _background_fns(bundled_sample()) == {"nap", "stale_attempt_pruner_loop"}
    assert _background_fns(bundled_sample()) <= {row["item"] for row in sample.rows}
    # Each record is a different example: no item is written twice with the same focus.
    keys = [(row["item"], row["focus"]) for row in sample.rows]
    assert len(set(keys)) == len(keys)


def test_every_task_of_a_worker_pool_gets_an_example(tmp_path: Path) -> None:
    # SPEC: a file with few blocks still gets an example for each of them. The tasks are the
    # fns with tokio mechanics of their own; the helpers they call (`backoff_for`, arithmetic)
    # and a method that only awaits handles (`shutdown`) come along as code, not as subjects.
    from svixbt.compose import _claims, subjects_of
    from svixbt.evidence import Indexes, file_context

    path = FIXTURES / "worker_pool.rs"
    pool = run(tmp_path, [path])
    ctx = file_context(scan_file(path), Indexes())
    tasks, _ = subjects_of(ctx, _claims(ctx))
    names = {ctx.fs.items[i].name for i in tasks}
    assert names == {"run_worker", "send_with_retry", "start", "preflight"}
    assert names <= {row["item"] for row in pool.rows}
    # `send_once` only bounds one request with `tokio::time::timeout`: a deadline and nothing
    # else is request handling, not a task of its own (held-out read 15, qdrant's queries).
    assert _background_fns(path) - names == {"backoff_for", "shutdown", "send_once"}


def test_every_record_validates_against_the_sample(sample: Run) -> None:
    rep = validate_file(sample.out, source=bundled_sample())
    assert rep.errors == []
    assert rep.records == len(sample.records)


def test_validate_through_manifest_alone(sample: Run) -> None:
    rep = validate_file(sample.out)
    assert rep.errors == []
    assert rep.notes == []


def test_second_run_is_byte_identical(sample: Run, tmp_path: Path) -> None:
    again = run(tmp_path)
    assert again.out.read_bytes() == sample.out.read_bytes()
    assert again.manifest.read_bytes() == sample.manifest.read_bytes()


@pytest.mark.parametrize("seed", [1, 2])
def test_seed_changes_requests_not_code(sample: Run, tmp_path: Path, seed: int) -> None:
    other = run(tmp_path, seed=seed)
    assert other.requests != sample.requests
    # Records of the same (item, focus) carry the very same code whatever the seed.
    base = {(r["item"], r["focus"]): c for r, c in zip(sample.rows, sample.codes, strict=True)}
    theirs = {(r["item"], r["focus"]): c for r, c in zip(other.rows, other.codes, strict=True)}
    shared = base.keys() & theirs.keys()
    assert len(shared) >= len(base) - 1
    assert all(base[k] == theirs[k] for k in shared)
    assert set(other.codes) <= set(sample.codes)
    assert {r["seed"] for r in other.rows} == {seed}


def test_every_seed_writes_the_same_examples(tmp_path: Path) -> None:
    keys = []
    for seed in range(4):
        r = run(tmp_path / str(seed), seed=seed)
        keys.append(sorted((row["item"], row["focus"]) for row in r.rows))
    assert all(k == keys[0] for k in keys)


def test_manifest_rows(sample: Run) -> None:
    src = bundled_sample()
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    fs = scan_file(src)
    lines = sample.out.read_text(encoding="utf-8").splitlines()
    assert len(sample.rows) == len(sample.records)
    for n, (row, line) in enumerate(zip(sample.rows, lines, strict=True), 1):
        assert row["record"] == n
        assert row["record_sha256"] == hashlib.sha256(line.encode()).hexdigest()
        assert Path(row["source"]) == src
        assert row["source_sha256"] == sha
        assert isinstance(row["focus"], str) and row["focus"]
        assert row["style"] in STYLES
        assert any(s["kind"] == "fn" and s["name"] == row["item"] for s in row["slices"])
        # The rules named are real rules that hit inside the code this record ships.
        shipped = {(s["start_byte"], s["end_byte"]) for s in row["slices"]}
        hit = {
            h.rule
            for i, it in enumerate(fs.items)
            if (it.start_byte, it.end_byte) in shipped
            for h in fs.hits[i]
        }
        assert row["rules"], row["item"]
        assert set(row["rules"]) <= hit, (row["item"], set(row["rules"]) - hit)
    assert len({row["style"] for row in sample.rows}) > 1, "every request in one style"


def test_manifest_slices_locate_the_code(sample: Run) -> None:
    raw = bundled_sample().read_bytes()
    for row, code in zip(sample.rows, sample.codes, strict=True):
        assert_code_is_slices(code, raw, row["slices"])
        for s in row["slices"]:
            # The line range is the byte range's: where it starts and how many lines it spans.
            piece = raw[s["start_byte"] : s["end_byte"]]
            assert s["start_line"] == raw[: s["start_byte"]].count(b"\n") + 1, s
            assert s["end_line"] == s["start_line"] + piece.count(b"\n"), s


def test_every_record_has_exact_keys_and_shape(sample: Run) -> None:
    first = sample.out.read_text(encoding="utf-8").splitlines()[0]
    rec = json.loads(first)
    assert list(rec.keys()) == ["type", "messages"]
    assert [list(m.keys()) for m in rec["messages"]] == [["role", "content"]] * 3
    lines = sample.out.read_text(encoding="utf-8").splitlines()
    for line, rec in zip(lines, sample.records, strict=True):
        assert dumps(rec) == line


def test_no_test_code_in_any_code_block(sample: Run) -> None:
    for code in sample.codes:
        assert "#[cfg(test)]" not in code
        assert "mod tests" not in code
        assert "#[tokio::test]" not in code


def _non_test_fns(path: Path) -> list[str]:
    fs = scan_file(path)
    return sorted({it.name for it in fs.items if it.kind == "fn" and not it.is_test})


def _fns_in_code(codes: list[str]) -> set[str]:
    return {m for code in codes for m in re.findall(r"\bfn\s+(\w+)", code)}


def test_top_level_fns_of_the_sample_in_some_code_block(sample: Run) -> None:
    fs = scan_file(bundled_sample())
    top = {it.name for it in fs.items if it.kind == "fn" and it.parent is None and not it.is_test}
    assert top == {
        "run_in_txn",
        "attempt_lifecycle_migrated",
        "prune_stale_attempts_batch",
        "nap",
        "stale_attempt_pruner_loop",
    }
    assert top <= _fns_in_code(sample.codes)


def test_every_non_test_fn_of_the_sample_in_some_code_block(sample: Run) -> None:
    assert set(_non_test_fns(bundled_sample())) <= _fns_in_code(sample.codes)


def test_cli_generate_without_path_uses_bundled_sample(sample: Run, tmp_path: Path) -> None:
    out = tmp_path / "cli.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "svixbt", "generate", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=cli_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "bundled sample" in proc.stderr
    # The CLI is the library: the very records a library run on the sample writes.
    assert out.read_bytes() == sample.out.read_bytes()
    assert f"wrote {len(sample.records)} example(s) to {out}" in proc.stdout


def test_parse_generate_leaves_what_it_does_not_know_to_typer() -> None:
    got = parse_generate(
        ["-o", "x.jsonl", "a.rs", "--seed", "3", "--cap=2", "--no-crate", "-q", "-j", "2", "-"]
    )
    want = GenerateArgs(
        [Path("a.rs"), Path("-")], Path("x.jsonl"), seed=3, cap=2, crate=False, quiet=True, jobs=2
    )
    assert got == want
    assert parse_generate([]) == GenerateArgs([])
    assert parse_generate(["--", "--append"]) == GenerateArgs([Path("--append")])
    for args in (
        ["--help"],
        ["-oout.jsonl"],
        ["-o", "-q"],
        ["--seed", "+3"],
        ["--seed", "-3"],
        ["--seed", "03"],
        ["--cap", "0"],
        ["--jobs=x"],
        ["-q", "--quiet"],
        ["--crate", "--no-crate"],
        ["-o", "a", "--out", "b"],
        ["a.rs", "--out"],
        [""],
        ["--append=1"],
    ):
        assert parse_generate(args) is None, args


@pytest.mark.parametrize(
    "args",
    [
        ["--seed", "1", "--cap", "3", str(FIXTURES / "traps")],
        ["--checkout", str(FIXTURES), "x.rs"],
        ["--no-crate", "-q", "/no/such/file.rs"],
    ],
    ids=["files", "usage-error", "input-error"],
)
def test_cli_generate_prints_the_same_with_and_without_typer(
    tmp_path: Path, args: list[str]
) -> None:
    """A plain `generate` command line runs without Typer (svixbt.generate_cmd); Typer runs
    the same function, so output, messages and exit code are the same bytes."""
    runs = []
    for how, entry in (("plain", ["-m", "svixbt"]), ("typer", ["-c", _TYPER_MAIN])):
        out = tmp_path / how / "out.jsonl"
        out.parent.mkdir()
        proc = subprocess.run(
            [sys.executable, *entry, "generate", "-o", "out.jsonl", *args],
            capture_output=True,
            cwd=out.parent,
            env=cli_env(),
            timeout=120,
        )
        written = out.read_bytes() if out.exists() else None
        runs.append((proc.returncode, proc.stdout, proc.stderr, written))
    assert runs[0] == runs[1]


_TYPER_MAIN = "import sys; sys.argv[0] = 'svixbt'; from svixbt.cli import main; main()"


# -- a file mixing db models, a migration and OpenAPI with one background task ---------------

DB_OR_OPENAPI = {
    "Model",
    "Relation",
    "ActiveModelBehavior for ActiveModel",
    "TenantQuota",
    "Migration",
    "MigrationName for Migration",
    "MigrationTrait for Migration",
    "name",
    "up",
    "down",
    "get_tenant_quota",
    "QuotaOut",
}


def test_mixed_file_keeps_only_the_background_loop(mixed: Run) -> None:
    assert mixed.records
    assert {row["item"] for row in mixed.rows} == {"quota_refresh_loop"}
    for row in mixed.rows:
        names = {s["name"] for s in row["slices"] if s["kind"] != "use"}
        assert names - DB_OR_OPENAPI, row  # never only db / OpenAPI items
        assert "quota_refresh_loop" in names


def test_mixed_file_code_has_no_db_or_openapi_items(mixed: Run) -> None:
    for code in mixed.codes:
        assert "pub async fn quota_refresh_loop(" in code
        for marker in ("DeriveEntityModel", "MigrationTrait", "utoipa::path", "ToSchema"):
            assert marker not in code


def test_mixed_file_validates(mixed: Run) -> None:
    rep = validate_file(mixed.out, source=FIXTURES / "mixed_db.rs")
    assert rep.errors == []


def test_s61_a_file_svixbt_fails_on_is_named_and_the_others_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """faktory-rs: one claim builder raising on one file lost every record of the run. Now the
    file is named, the other files' records are written, and the exit code says it failed."""
    import svixbt.generate as gen
    from svixbt.generate_cmd import run_generate

    src = (
        "pub async fn tick() {\n    loop {\n"
        "        tokio::time::sleep(std::time::Duration::from_secs(5)).await;\n"
        "        flush().await;\n    }\n}\n\nasync fn flush() {}\n"
    )
    (tmp_path / "good.rs").write_text(src, encoding="utf-8")
    (tmp_path / "bad.rs").write_text(src.replace("tick", "tock"), encoding="utf-8")
    real = gen.compose_examples

    def flaky(ctx: Any, **kw: Any) -> Any:
        if ctx.display.endswith("bad.rs"):
            raise ValueError("boom")
        return real(ctx, **kw)

    monkeypatch.setattr(gen, "compose_examples", flaky)
    out = tmp_path / "out.jsonl"
    a = parse_generate(
        [str(tmp_path / "good.rs"), str(tmp_path / "bad.rs"), "-o", str(out), "-j", "1"]
    )
    assert a is not None
    assert run_generate(a) == 3
    err = capsys.readouterr().err
    assert "bad.rs: svixbt failed on this file" in err and "ValueError: boom" in err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows and all("tock" not in r for r in rows)
    # Every file failing leaves an existing output as it was.
    before = out.read_bytes()
    a = parse_generate([str(tmp_path / "bad.rs"), "-o", str(out), "-j", "1"])
    assert a is not None and run_generate(a) == 1
    assert out.read_bytes() == before


def test_s62_a_file_nothing_reaches_says_why_it_gave_no_records(tmp_path: Path) -> None:
    """A crate file no `mod` reaches gives no records; the per-file line says why, so "0
    example(s)" does not read as a file without background work."""
    write_crate(
        tmp_path,
        {
            "lib.rs": "mod used;\n",
            "used.rs": _ONE_LOOP,
            "orphan.rs": _ONE_LOOP,
        },
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "svixbt",
            "generate",
            str(tmp_path / "src"),
            "-o",
            str(tmp_path / "out.jsonl"),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=cli_env(),
    )
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if "orphan.rs" in x and "example(s)" in x)
    assert "0 example(s)" in line and "no `mod` from a crate root reaches it" in line
    used = next(x for x in proc.stderr.splitlines() if "used.rs" in x and "example(s)" in x)
    assert "reaches it" not in used


_ONE_LOOP = """
pub async fn tick() {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
"""
