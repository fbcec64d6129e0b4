"""Issue #7: bad input gets a clear one-line error, damaged Rust never crashes, and nothing already
written is ever lost. Exit codes and stderr go through the real CLI (a subprocess); the atomicity
tests go through the library, where a failure can be injected mid-run."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import assert_code_is_slices, cli_env

import svixbt.generate as gen
from svixbt.cli import EXIT_CODES, GENERATE_EXIT_CODES
from svixbt.pipeline import scan_file
from svixbt.records import read_jsonl, split_assistant, write_atomic
from svixbt.scanner import scan_text
from svixbt.sources import InputError, SkippedPathWarning, read_source, rust_files

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "svixbt" / "data" / "sample_cleaner.rs"


def svixbt(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "svixbt", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_env(),
        timeout=120,
    )


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert SPEC's shape for bad input: exit 1, one error line naming the path, no traceback."""
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("svixbt: error:")]
    assert len(errors) == 1, proc.stderr
    for n in needles:
        assert n in errors[0], (n, errors[0])
    return errors[0]


def no_stray_temp_files(directory: Path) -> None:
    assert not [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


# --- Input paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["items", "generate"])
def test_missing_path_is_one_line_error(tmp_path: Path, command: str) -> None:
    proc = svixbt(command, tmp_path / "nope.rs", cwd=tmp_path)
    one_line_error(proc, "nope.rs", "no such file")


@pytest.mark.parametrize("command", ["items", "generate"])
def test_directory_without_rust_file_is_one_line_error(tmp_path: Path, command: str) -> None:
    d = tmp_path / "src"
    d.mkdir()
    (d / "README.md").write_text("not rust\n")
    one_line_error(svixbt(command, d, cwd=tmp_path), str(d), "no .rs file")


@pytest.mark.parametrize("command", ["items", "generate"])
def test_binary_file_names_path_and_offset(tmp_path: Path, command: str) -> None:
    f = tmp_path / "blob.rs"
    f.write_bytes(b"fn a() {}\n\x00\x01\x02")
    one_line_error(svixbt(command, f, cwd=tmp_path), str(f), "binary", "offset 10")


@pytest.mark.parametrize("command", ["items", "generate"])
def test_non_utf8_file_names_path_and_offset(tmp_path: Path, command: str) -> None:
    f = tmp_path / "latin1.rs"
    f.write_bytes("// caf\u00e9\nfn a() {}\n".encode("latin-1"))
    one_line_error(svixbt(command, f, cwd=tmp_path), str(f), "not UTF-8", "0xe9", "offset 6")


def test_read_source_errors_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.rs")
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)


def mixed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    (d / "a_binary.rs").write_bytes(b"\x00\x00")
    (d / "b_latin1.rs").write_bytes(b"// \xff\n")
    (d / "c_good.rs").write_bytes(SAMPLE.read_bytes())
    return d


def test_items_over_directory_skips_bad_files_and_counts_them(tmp_path: Path) -> None:
    d = mixed_dir(tmp_path)
    proc = svixbt("items", d, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "c_good.rs" in proc.stdout and "stale_attempt_pruner_loop" in proc.stdout
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("svixbt: warning:")]
    assert any("a_binary.rs" in w and "binary" in w for w in warnings)
    assert any("b_latin1.rs" in w and "not UTF-8" in w for w in warnings)
    assert "2 file(s) skipped" in proc.stderr


def test_generate_over_directory_skips_bad_files_and_counts_them(tmp_path: Path) -> None:
    d = mixed_dir(tmp_path)
    out = tmp_path / "out.jsonl"
    proc = svixbt("generate", d, "-o", out, "--no-crate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "skipped" in proc.stderr and "a_binary.rs" in proc.stderr
    assert "2 file(s) skipped" in proc.stdout
    assert len(read_jsonl(out)) > 0


@pytest.mark.parametrize("command", ["items", "generate"])
def test_directory_with_no_readable_file_fails_and_keeps_output(
    tmp_path: Path, command: str
) -> None:
    d = tmp_path / "src"
    d.mkdir()
    (d / "a.rs").write_bytes(b"\x00")
    (d / "b.rs").write_bytes(b"\xff")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"precious\n")
    args = ["-o", out] if command == "generate" else []
    one_line_error(svixbt(command, d, *args, cwd=tmp_path), "no readable .rs file")
    assert out.read_bytes() == b"precious\n"


# --- Damaged Rust -----------------------------------------------------------------------------

GOOD = "/// Kept.\nfn before() -> u32 {\n    1\n}\n\n"
DAMAGE = {
    "unbalanced_open": ("fn broken() {\n    if x {\n        y();\n}\n", "never closed"),
    "unbalanced_close": ("fn broken() {\n}\n}\n}\n", "unmatched `}`"),
    "string": ('fn broken() {\n    let s = "no end;\n}\n', "unterminated string"),
    "raw_string": ('fn broken() {\n    let s = r#"no end";\n}\n', "unterminated raw string"),
    "block_comment": ("fn broken() {\n    /* no /* end */\n}\n", "unterminated block comment"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_rust_keeps_earlier_items_and_warns(tmp_path: Path, name: str) -> None:
    damage, message = DAMAGE[name]
    f = tmp_path / f"{name}.rs"
    f.write_text(GOOD + damage)
    res = scan_text(GOOD + damage)
    assert [it.name for it in res.items][:1] == ["before"]
    assert any(message in p.message for p in res.problems), res.problems
    proc = svixbt("items", "--json", f, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = [json.loads(ln) for ln in proc.stdout.splitlines()]
    assert rows and rows[0]["name"] == "before"
    assert any(
        ln.startswith("svixbt: warning:") and message in ln for ln in proc.stderr.splitlines()
    )


def test_damaged_rust_through_generate_exits_zero(tmp_path: Path) -> None:
    f = tmp_path / "damaged.rs"
    f.write_text(SAMPLE.read_text() + DAMAGE["string"][0])
    proc = svixbt("generate", f, "-o", tmp_path / "out.jsonl", "--no-crate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "damaged Rust" in proc.stderr and "unterminated string" in proc.stderr
    assert len(read_jsonl(tmp_path / "out.jsonl")) > 0


def test_twenty_thousand_nested_braces(tmp_path: Path) -> None:
    depth = 20_000
    text = GOOD + "fn deep() " + "{" * depth + "}" * depth + "\n" + "fn open() " + "{" * depth
    t0 = time.perf_counter()
    res = scan_text(text)  # a RecursionError would surface here
    assert time.perf_counter() - t0 < 5
    assert [it.name for it in res.items] == ["before", "deep"]
    assert any("never closed" in p.message for p in res.problems)
    f = tmp_path / "deep.rs"
    f.write_text(text)
    proc = svixbt("items", f, cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "before" in proc.stdout and "deep" in proc.stdout


def test_fifty_megabyte_file_is_scanned_in_bounded_time(tmp_path: Path) -> None:
    # Runs in `make test` on purpose: size is where a quadratic step or a recursion shows. The
    # sample repeated holds `use` declarations, tests modules and impls, each of which once had a
    # quadratic pass (use parents, problem offsets); a 50 MB run then took well over ten minutes.
    sample = SAMPLE.read_text(encoding="utf-8")
    copies = 50 * 2**20 // len(sample.encode()) + 1
    f = tmp_path / "big.rs"
    with f.open("w", encoding="utf-8") as fh:
        for _ in range(copies):
            fh.write(sample)
        fh.write('fn damaged() {\n    let s = "never closed;\n')
    assert f.stat().st_size >= 50 * 2**20
    per_copy = len(scan_text(sample).items)
    t0 = time.perf_counter()
    proc = svixbt("items", f, cwd=tmp_path)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert elapsed < 60, f"{elapsed:.1f}s"
    assert len(proc.stdout.splitlines()) == copies * per_copy
    assert "unterminated string" in proc.stderr and "`damaged` is never closed" in proc.stderr


def test_items_closed_inside_an_unclosed_container_are_found() -> None:
    res = scan_text("mod tests {\n    fn closed() {}\n    fn broken() {\n")
    assert "closed" in [it.name for it in res.items]


def test_empty_file_is_no_error(tmp_path: Path) -> None:
    f = tmp_path / "empty.rs"
    f.write_bytes(b"")
    proc = svixbt("items", f, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert scan_text("").items == []


# --- Output paths -----------------------------------------------------------------------------


def test_output_directory_missing(tmp_path: Path) -> None:
    proc = svixbt("generate", SAMPLE, "-o", tmp_path / "no" / "out.jsonl", cwd=tmp_path)
    one_line_error(proc, "out.jsonl", "does not exist")


def test_output_under_a_regular_file(tmp_path: Path) -> None:
    # Unwritable even for root, unlike a chmod: a path component is a regular file.
    (tmp_path / "afile").write_text("x")
    proc = svixbt("generate", SAMPLE, "-o", tmp_path / "afile" / "out.jsonl", cwd=tmp_path)
    one_line_error(proc, "out.jsonl", "afile is a file")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root writes through chmod 0o555; test_output_under_a_regular_file covers unwritable",
)
def test_output_directory_read_only(tmp_path: Path) -> None:
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    try:
        one_line_error(svixbt("generate", SAMPLE, "-o", d / "out.jsonl"), "not writable")
    finally:
        d.chmod(0o755)


def test_output_is_a_directory(tmp_path: Path) -> None:
    one_line_error(svixbt("generate", SAMPLE, "-o", tmp_path, cwd=tmp_path), "is a directory")


def test_output_equal_to_input(tmp_path: Path) -> None:
    f = tmp_path / "cleaner.rs"
    f.write_bytes(SAMPLE.read_bytes())
    one_line_error(svixbt("generate", f, "-o", f, cwd=tmp_path), "also an input")
    # Through a symlink, and as the manifest, it is the same file.
    link = tmp_path / "link.jsonl"
    link.symlink_to(f)
    one_line_error(svixbt("generate", f, "-o", link, cwd=tmp_path), "also an input")
    proc = svixbt("generate", f, "-o", tmp_path / "o.jsonl", "--manifest", f, cwd=tmp_path)
    one_line_error(proc, "also an input")
    assert f.read_bytes() == SAMPLE.read_bytes()


def test_output_equal_to_a_file_inside_an_input_directory(tmp_path: Path) -> None:
    d = tmp_path / "src"
    d.mkdir()
    (d / "cleaner.rs").write_bytes(SAMPLE.read_bytes())
    proc = svixbt("generate", d, "-o", d / "cleaner.rs", cwd=tmp_path)
    one_line_error(proc, "also an input")
    assert (d / "cleaner.rs").read_bytes() == SAMPLE.read_bytes()


def test_manifest_equal_to_output(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    proc = svixbt("generate", SAMPLE, "-o", out, "--manifest", out, cwd=tmp_path)
    one_line_error(proc, "manifest would overwrite the output")


# --- Atomic writes and --append ---------------------------------------------------------------


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    out = tmp_path / "out.jsonl"
    gen.generate([SAMPLE], out, with_crate=False)
    return out, out.read_bytes(), gen.manifest_path_for(out).read_bytes()


def test_failure_mid_run_leaves_output_byte_identical(
    written: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, old, old_manifest = written
    real = gen.compose_examples

    def compose_then_fail(*args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from list(real(*args, **kwargs))[:3]
        raise RuntimeError("injected failure mid-run")

    monkeypatch.setattr(gen, "compose_examples", compose_then_fail)
    for append in (False, True):
        with pytest.raises(RuntimeError, match="injected"):
            gen.generate([SAMPLE], out, seed=7, append=append, with_crate=False)
        assert out.read_bytes() == old
        assert gen.manifest_path_for(out).read_bytes() == old_manifest
    no_stray_temp_files(out.parent)


def test_failure_during_write_leaves_output_byte_identical(
    written: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, old, _ = written

    def rows() -> Iterator[dict[str, Any]]:
        yield {"a": 1}
        raise KeyboardInterrupt  # an interrupt after part of the new file is on disk

    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, rows(), keep_prefix=b"")
    assert out.read_bytes() == old
    no_stray_temp_files(out.parent)

    def no_rename(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(InputError, match="cannot write: No space left"):
        gen.generate([SAMPLE], out, seed=3, with_crate=False)
    assert out.read_bytes() == old
    no_stray_temp_files(out.parent)


def test_write_keeps_existing_mode(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text("")
    out.chmod(0o600)
    write_atomic(out, [{"a": 1}])
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text() == '{"a":1}\n'


def manifest_consistent(out: Path) -> None:
    recs = read_jsonl(out)
    rows = read_jsonl(gen.manifest_path_for(out))
    assert [r["record"] for r in rows] == list(range(1, len(recs) + 1))
    from svixbt.records import dumps, sha256_text

    assert [r["record_sha256"] for r in rows] == [sha256_text(dumps(r)) for r in recs]


def test_append_rerun_adds_nothing(written: tuple[Path, bytes, bytes]) -> None:
    out, old, old_manifest = written
    rep = gen.generate([SAMPLE], out, append=True, with_crate=False)
    assert rep.written == 0 and sum(f.duplicates for f in rep.files) > 0
    assert out.read_bytes() == old
    assert gen.manifest_path_for(out).read_bytes() == old_manifest
    manifest_consistent(out)


def test_append_other_seed_never_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    gen.generate([SAMPLE], out, seed=0, with_crate=False)
    before = out.read_bytes()
    gen.generate([SAMPLE], out, seed=1, append=True, with_crate=False)
    assert out.read_bytes().startswith(before)
    lines = out.read_text().splitlines()
    assert len(lines) == len(set(lines))
    manifest_consistent(out)
    proc = svixbt("generate", SAMPLE, "-o", out, "--append", "--seed", "1", "--no-crate")
    assert proc.returncode == 0 and "wrote 0 example(s)" in proc.stdout, proc.stderr
    assert len(out.read_text().splitlines()) == len(lines)


def test_append_to_damaged_output_fails_and_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_bytes(b'{"type":"chatml"}\nnot json\n')
    proc = svixbt("generate", SAMPLE, "-o", out, "--append", cwd=tmp_path)
    one_line_error(proc, "o.jsonl:2", "cannot append")
    assert out.read_bytes() == b'{"type":"chatml"}\nnot json\n'


# --- Line endings, BOM, symlinks --------------------------------------------------------------


def code_blocks(out: Path) -> list[str]:
    blocks = []
    for rec in read_jsonl(out):
        parts = split_assistant(rec["messages"][2]["content"])
        assert parts is not None
        blocks.append(parts[1])
    return blocks


def test_crlf_source_keeps_crlf_in_code_blocks(tmp_path: Path) -> None:
    raw = SAMPLE.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    src = tmp_path / "crlf.rs"
    src.write_bytes(raw)
    out = tmp_path / "o.jsonl"
    gen.generate([src], out, with_crate=False)
    blocks = code_blocks(out)
    assert blocks
    fs = scan_file(src)
    pieces = {
        (it.start_line, it.end_line): fs.text[it.start : it.end]
        for it in [*fs.items, *fs.scan.uses]
    }
    for block, row in zip(blocks, read_jsonl(gen.manifest_path_for(out)), strict=True):
        lines = block.split("\n")
        assert all(ln.endswith("\r") for ln in lines[:-1]), "a code line lost its \\r"
        assert "\r" not in lines[-1]
        # Byte-exact: the block is the manifest's slices of the CRLF file, with the file's own
        # bytes between neighbours that only whitespace separates, else a CRLF blank line.
        expected = ""
        last = -1
        for s in row["slices"]:
            a, b = s["start_byte"], s["end_byte"]
            if last >= 0:
                gap = raw[last:a]
                expected += gap.decode() if not gap.strip() else "\r\n\r\n"
            expected += raw[a:b].decode()
            last = b
        assert all(
            raw[s["start_byte"] : s["end_byte"]].decode() in pieces.values()
            for s in row["slices"]
            if s["slice"] == "item"
        )
        assert block == expected


def test_bom_does_not_leak_and_offsets_point_into_the_file(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + SAMPLE.read_bytes()
    src = tmp_path / "bom.rs"
    src.write_bytes(raw)
    out = tmp_path / "o.jsonl"
    gen.generate([src], out, with_crate=False)
    assert "\ufeff" not in out.read_text(encoding="utf-8")
    assert all(not b.startswith("\ufeff") for b in code_blocks(out))
    proc = svixbt("items", "--json", src, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(ln) for ln in proc.stdout.splitlines()]
    plain = [json.loads(ln) for ln in svixbt("items", "--json", SAMPLE).stdout.splitlines()]
    assert rows and len(rows) == len(plain)
    fs = scan_file(SAMPLE)
    for row, base, it in zip(rows, plain, fs.items, strict=True):
        assert (row["start_byte"], row["end_byte"]) == (
            base["start_byte"] + 3,
            base["end_byte"] + 3,
        )
        assert raw[row["start_byte"] : row["end_byte"]].decode() == fs.text[it.start : it.end]
    # Manifest offsets are offsets into the file as stored, BOM included: the same slices as in
    # the file without it, three bytes on.
    plain_raw = SAMPLE.read_bytes()
    rows = read_jsonl(gen.manifest_path_for(out))
    for block, row in zip(code_blocks(out), rows, strict=True):
        assert_code_is_slices(block, raw, row["slices"])
        for s in row["slices"]:
            a, b = s["start_byte"], s["end_byte"]
            assert a >= 3 and raw[a:b] == plain_raw[a - 3 : b - 3]


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    d = tmp_path / "src"
    (d / "sub").mkdir(parents=True)
    (d / "a.rs").write_text("fn a() {}\n")
    (d / "sub" / "b.rs").write_text("fn b() {}\n")
    (d / "self").symlink_to(d, target_is_directory=True)
    (d / "sub" / "up").symlink_to(d, target_is_directory=True)
    (d / "sub" / "parent").symlink_to("..", target_is_directory=True)
    (d / "a_alias.rs").symlink_to(d / "a.rs")
    files = rust_files([d])
    assert sorted(p.name for p in files) == ["a.rs", "b.rs"]
    proc = svixbt("items", d, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(ln.split("\t")[2] for ln in proc.stdout.splitlines()) == ["a", "b"]


def test_unreadable_entries_are_reported_not_swallowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "src"
    (d / "locked").mkdir(parents=True)
    (d / "a.rs").write_text("fn a() {}\n")
    (d / "locked" / "hidden.rs").write_text("fn hidden() {}\n")
    (d / "loop.rs").symlink_to("loop.rs")  # stat fails: too many levels of symbolic links
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        # Root reads any directory, so a directory it may not list is simulated.
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    skipped: list[str] = []
    assert rust_files([d], on_skip=skipped.append) == [d / "a.rs"]
    assert skipped == [
        f"{d / 'loop.rs'}: cannot read: {os.strerror(errno.ELOOP)}",
        f"{d / 'locked'}: cannot read directory: Permission denied",
    ]
    # A caller that does not listen still hears of it.
    with pytest.warns(SkippedPathWarning) as caught:
        assert rust_files([d]) == [d / "a.rs"]
    assert [str(w.message) for w in caught] == skipped


def test_items_warns_about_an_unreadable_entry(tmp_path: Path) -> None:
    (tmp_path / "a.rs").write_text("fn a() {}\n")
    (tmp_path / "loop.rs").symlink_to("loop.rs")
    proc = svixbt("items", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (
        f"svixbt: warning: skipped {tmp_path / 'loop.rs'}: cannot read: "
        f"{os.strerror(errno.ELOOP)}\n"
    )
    assert proc.stdout.split("\t")[2].strip() == "a"


# --- Exit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["items"], ["validate"]])
def test_exit_codes_are_documented_in_help(command: list[str]) -> None:
    proc = svixbt(*command, "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())  # help text is re-wrapped to the terminal width
    assert EXIT_CODES in text, proc.stdout


def test_generate_help_names_exit_three() -> None:
    # generate goes on past a file it fails on and exits 3 (README's exit codes); its help says so.
    proc = svixbt("generate", "--help")
    text = " ".join(proc.stdout.split())
    assert GENERATE_EXIT_CODES in text and "3 svixbt failed on a file" in text, proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "--bogus"],
        ["generate", "--cap", "0"],
        ["items"],
        ["no-such-command"],
        ["generate", "--checkout", ".", "x.rs"],
    ],
)
def test_usage_errors_exit_two(args: list[str], tmp_path: Path) -> None:
    proc = svixbt(*args, cwd=tmp_path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
