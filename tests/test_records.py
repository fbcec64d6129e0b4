"""The record format's building blocks: line endings, code assembly, the assistant shape, JSONL
reading and the atomic writers."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from svixbt.records import (
    SYSTEM_PROMPT,
    assemble_code,
    assistant_content,
    dumps,
    line_ending,
    make_record,
    manifest_path_for,
    parse_jsonl,
    read_jsonl,
    read_jsonl_values,
    sha256_text,
    split_assistant,
    write_atomic,
    write_text_atomic,
)


@pytest.mark.parametrize(
    ("text", "eol"),
    [
        ("fn a() {}\nfn b() {}\n", "\n"),
        ("fn a() {}\r\nfn b() {}\r\n", "\r\n"),
        ("\r\nfn a() {}", "\r\n"),  # the very first character may be the `\r`
        ("fn a() {}\nfn b() {}\r\n", "\n"),  # the first line break decides
        ("\nfn a() {}\r\n", "\n"),
        ("\nfn a() {}\r", "\n"),  # a break at offset 0 has no `\r` before it
        ("fn a() {}", "\n"),  # no line break at all
        ("fn a() {}\r", "\n"),  # a lone CR is not a line ending
    ],
)
def test_line_ending_is_the_first_line_breaks(text: str, eol: str) -> None:
    assert line_ending(text) == eol


def test_assemble_code_sorts_dedups_and_joins_with_a_blank_line() -> None:
    text = "fn a() {}\nfn b() {}\nfn c() {}\n"
    a, c = (0, 9), (20, 29)
    assert assemble_code(text, [c, a, c]) == "fn a() {}\n\nfn c() {}"
    crlf = text.replace("\n", "\r\n")
    assert assemble_code(crlf, [(22, 31), (0, 9)]) == "fn a() {}\r\n\r\nfn c() {}"
    assert assemble_code(text, [a]) == "fn a() {}"


def test_make_record_has_the_exact_schema() -> None:
    rec = make_record("Add a loop.", "It sleeps.", "fn a() {}")
    assert dumps(rec) == (
        '{"type":"chatml","messages":[{"role":"system","content":'
        + json.dumps(SYSTEM_PROMPT)
        + '},{"role":"user","content":"Add a loop."},{"role":"assistant","content":'
        '"<think>\\nIt sleeps.\\n</think>\\n\\nfn a() {}"}]}'
    )


def test_dumps_keeps_unicode_and_is_compact() -> None:
    assert dumps({"a": "é 💥", "b": [1, 2]}) == '{"a":"é 💥","b":[1,2]}'


@pytest.mark.parametrize(
    ("think", "code"),
    [
        ("It sleeps.", "fn a() {}"),
        ("Two\nlines.", "fn a() {}\n"),
        ("It sleeps.", "// a comment that says </think>\n\nfn a() {}"),
        ("It sleeps.", "let s = 1;\n</think>\n\nfn a() {}"),  # the first closing tag ends it
        ("", "fn a() {}"),
    ],
)
def test_split_assistant_inverts_assistant_content(think: str, code: str) -> None:
    assert split_assistant(assistant_content(think, code)) == (think, code)


@pytest.mark.parametrize(
    "content",
    [
        "It sleeps.\n</think>\n\nfn a() {}",  # no opening tag
        " <think>\nIt sleeps.\n</think>\n\nfn a() {}",  # not at the very start
        "<think>\nIt sleeps.\n</think>\nfn a() {}",  # one newline after the closing tag
        "<think>\nIt sleeps.</think>\n\nfn a() {}",  # no newline before it
        "<think>\nIt sleeps.",
    ],
)
def test_split_assistant_refuses_other_shapes(content: str) -> None:
    assert split_assistant(content) is None


def test_split_assistant_does_not_take_the_opening_newline_as_the_closing_one() -> None:
    # `<think>\n</think>\n\n`: the closing tag's newline is not the opening tag's.
    assert split_assistant("<think>\n</think>\n\ncode") is None
    assert split_assistant("<think>\n\n</think>\n\ncode") == ("", "code")


def test_sha256_text_hashes_utf8_and_survives_lone_surrogates() -> None:
    assert sha256_text("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()
    assert sha256_text("\ud800") == hashlib.sha256(b"\xed\xa0\x80").hexdigest()


def test_parse_jsonl_skips_blank_lines_and_names_the_bad_one() -> None:
    assert parse_jsonl('{"a":1}\n\n  \n[2]\r\n3\n') == [{"a": 1}, [2], 3]
    with pytest.raises(ValueError, match=r"^f\.jsonl:3: not valid JSON \(Expecting value\)$"):
        parse_jsonl('{"a":1}\n\nnope\n{"b":2}\n', "f.jsonl")
    with pytest.raises(ValueError, match=r"^f\.jsonl:2: a record must be a JSON object$"):
        parse_jsonl('{"a":1}\n[1]\n', "f.jsonl", objects=True)
    with pytest.raises(ValueError, match=r"^<text>:1: not valid JSON"):
        parse_jsonl("nope")


def test_read_jsonl_wants_objects_and_utf8(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_bytes(b'{"a":"\xc3\xa9"}\n[1]\n')
    assert read_jsonl_values(f) == [{"a": "é"}, [1]]
    with pytest.raises(ValueError, match=f"^{f}:2: a record must be a JSON object$"):
        read_jsonl(f)
    f.write_bytes(b'{"a":1}\n{"b":"\xff"}\n')
    for read in (read_jsonl, read_jsonl_values):
        with pytest.raises(ValueError, match=f"^{f}: not UTF-8 \\(invalid byte at offset 14\\)$"):
            read(f)


@pytest.mark.parametrize(
    ("out", "manifest"),
    [
        ("data.jsonl", "data.manifest.jsonl"),
        ("dir/x.jsonl", "dir/x.manifest.jsonl"),
        ("data.json", "data.json.manifest.jsonl"),
        ("jsonl", "jsonl.manifest.jsonl"),
    ],
)
def test_manifest_path_is_beside_the_output(out: str, manifest: str) -> None:
    assert manifest_path_for(Path(out)) == Path(manifest)


def test_write_atomic_keeps_the_prefix_and_ends_it_with_one_newline(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    write_atomic(out, [{"a": "é"}], keep_prefix=b'{"old":1}')
    assert out.read_bytes() == b'{"old":1}\n{"a":"\xc3\xa9"}\n'
    write_atomic(out, [{"b": 2}], keep_prefix=out.read_bytes())
    assert out.read_bytes() == b'{"old":1}\n{"a":"\xc3\xa9"}\n{"b":2}\n'
    write_atomic(out, [])
    assert out.read_bytes() == b""


def test_atomic_writers_give_a_new_file_0644_and_keep_an_old_files_mode(tmp_path: Path) -> None:
    for write in (
        lambda p: write_atomic(p, [{"a": 1}]),
        lambda p: write_text_atomic(p, "text\n"),
    ):
        new = tmp_path / "new"
        write(new)
        assert new.stat().st_mode & 0o777 == 0o644
        new.chmod(0o600)
        write(new)
        assert new.stat().st_mode & 0o777 == 0o600
        new.unlink()
        assert os.listdir(tmp_path) == []


def test_write_text_atomic_writes_the_text_as_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.md"
    write_text_atomic(out, "a\r\nb é\n")
    assert out.read_bytes() == b"a\r\nb \xc3\xa9\n"
    # In the current directory too (a bare file name has no directory part to write the
    # temporary file into).
    monkeypatch.chdir(tmp_path)
    write_text_atomic(Path("bare.md"), "x")
    assert (tmp_path / "bare.md").read_text() == "x"
    assert sorted(os.listdir(tmp_path)) == ["bare.md", "r.md"]


def test_write_atomic_passes_lone_surrogates_through(tmp_path: Path) -> None:
    # As sha256_text hashes them: a record is written, never refused, for an odd string.
    out = tmp_path / "o.jsonl"
    write_atomic(out, [{"a": "\ud800"}])
    assert out.read_bytes() == b'{"a":"\xed\xa0\x80"}\n'


def test_the_temporary_file_is_a_hidden_sibling_renamed_over_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Beside the target, so the rename stays on one file system and is atomic.
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "o.jsonl"
    write_atomic(out, [{"a": 1}])
    write_text_atomic(out, "x")
    for src, dst in renames:
        assert dst == out and src.parent == tmp_path
        assert src.name.startswith(".o.jsonl.") and src.name.endswith(".tmp")
    assert len(renames) == 2


def test_a_failed_cleanup_does_not_hide_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rename(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    def no_unlink(path: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", no_rename)
    monkeypatch.setattr(os, "unlink", no_unlink)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(tmp_path / "o.md", "x")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_bytes(b"old\n")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(out, "\ud800")
    with pytest.raises(TypeError):
        write_atomic(out, [{"not json": {1, 2}}])
    assert out.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["o.jsonl"]
