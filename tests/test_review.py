"""`svixbt review`: Markdown renders of records; the field-level JSONL diff behind golden tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from svixbt.cli import app
from svixbt.records import dumps, make_record
from svixbt.review import diff_jsonl, record_fields, render_markdown

CODE = "async fn tick() {\n    sleep(Duration::from_secs(5)).await;\n}"
ROW: dict[str, Any] = {
    "record": 1,
    "record_sha256": "0" * 64,
    "source": "src/ticker.rs",
    "source_sha256": "abcdef0123456789" + "f" * 48,
    "item": "tick",
    "focus": "periodic",
    "style": "github-issue",
    "rules": ["tokio-sleep", "polling-loop"],
    "slices": [
        {"kind": "use", "name": "use std::time::Duration;", "start_line": 1, "end_line": 1},
        {
            "kind": "fn",
            "name": "tick",
            "start_line": 3,
            "end_line": 5,
            "start_byte": 30,
            "end_byte": 90,
        },
    ],
    "seed": 0,
}


def small_record(code: str = CODE, user: str = "Make `tick` wait 5 s.\n\nThanks") -> dict[str, Any]:
    return make_record(user, "`tick` sleeps 5 seconds between passes.", code)


def test_render_pieces() -> None:
    md = render_markdown([small_record()], [ROW], title="data.jsonl", manifest_name="m.jsonl")
    assert md.startswith("# Review of `data.jsonl`\n\n1 record(s); provenance from `m.jsonl`.\n")
    assert "\n## Record 1: periodic · github-issue · `tick`\n" in md
    assert "\n**Request**\n\n> Make `tick` wait 5 s.\n>\n> Thanks\n" in md
    assert "\n**Think**\n\n`tick` sleeps 5 seconds between passes.\n" in md
    assert f"\n**Code**\n\n```rust\n{CODE}\n```\n" in md
    assert "- source: `src/ticker.rs` (sha256 `abcdef0123456789…`)\n" in md
    assert "- rules: `tokio-sleep`, `polling-loop`\n" in md
    assert "- slices:\n  - `use std::time::Duration;`, line 1\n  - fn `tick`, lines 3–5\n" in md
    assert md.endswith("- seed: 0\n")


def test_render_without_manifest_and_empty() -> None:
    md = render_markdown([small_record()], [], title="x.jsonl")
    assert "\n## Record 1\n" in md
    assert "no manifest" in md and "**Provenance**" not in md
    empty = render_markdown([], [], title="none.jsonl")
    assert "0 record(s)" in empty and "_No records._" in empty


def test_manifest_rows_matched_by_record_number() -> None:
    # An appended manifest numbers rows by JSONL line, whatever order they are listed in.
    second = dict(ROW, record=2, item="other", focus="shutdown")
    md = render_markdown([small_record(), small_record(user="b")], [second, ROW], title="t")
    assert "## Record 1: periodic" in md and "## Record 2: shutdown" in md


def test_fence_longer_than_backticks_in_code() -> None:
    code = 'const DOC: &str = "```rust\\n````";\nfn f() {}'
    md = render_markdown([small_record(code)], [], title="t")
    assert f"\n`````rust\n{code}\n`````\n" in md


def test_crlf_code_rendered_as_lines_and_flagged() -> None:
    md = render_markdown([small_record(CODE.replace("\n", "\r\n"))], [], title="t")
    assert "\r" not in md
    assert "**Code** (CRLF line endings in the record)" in md
    assert f"```rust\n{CODE}\n```" in md


def test_think_lines_that_markdown_would_reinterpret_are_escaped() -> None:
    rec = make_record("u", "# not a heading\n> not a quote\nplain", "fn f() {}")
    md = render_markdown([rec], [], title="t")
    assert "\\# not a heading\n\\> not a quote\nplain" in md


def test_not_chatml_record_shown_whole() -> None:
    md = render_markdown([{"type": "other"}], [], title="t")
    assert '**Record (not in the ChatML shape)**\n\n```json\n{\n "type": "other"\n}\n```' in md
    assert record_fields({"type": "other"}) == {"record": '{\n "type": "other"\n}'}


def jsonl(*recs: dict[str, Any]) -> str:
    return "".join(dumps(r) + "\n" for r in recs)


def test_diff_identical_is_empty() -> None:
    assert diff_jsonl(jsonl(small_record()), jsonl(small_record())) == ""


def test_diff_names_record_field_and_line() -> None:
    a = small_record()
    b = small_record(CODE.replace("from_secs(5)", "from_secs(6)"))
    msg = diff_jsonl(jsonl(a, a), jsonl(a, b), "old", "new", labels=[ROW, dict(ROW, record=2)])
    assert msg.startswith("record 2 (periodic of tick), field `code`:\n")
    assert "    -    sleep(Duration::from_secs(5)).await;\n" in msg
    assert "    +    sleep(Duration::from_secs(6)).await;\n" in msg
    # The changed span is also quoted, for long prose lines where one character is hard to spot.
    assert (
        "    ~ column 31: 'Duration::from_secs(5)).await;' -> 'Duration::from_secs(6)).await;'"
        in msg
    )
    assert "field `think`" not in msg and "record 1" not in msg


def test_diff_inserted_record_does_not_shift_the_rest() -> None:
    a, b, c = small_record(user="a"), small_record(user="b"), small_record(user="c")
    msg = diff_jsonl(jsonl(a, c), jsonl(a, b, c))
    assert msg == "record 2 added (only in fresh): 'b'"
    assert diff_jsonl(jsonl(a, b, c), jsonl(a, c)) == "record 2 removed (only in golden): 'b'"


def test_diff_manifest_per_key() -> None:
    other = dict(ROW, rules=["tokio-sleep"], style="refactor")
    msg = diff_jsonl(jsonl(ROW), jsonl(other), kind="manifest")
    assert "manifest row 1 (periodic of tick), field `style`:" in msg
    assert "\n    -github-issue\n    +refactor" in msg
    assert "field `rules`:" in msg and '    -"polling-loop"' in msg


def test_diff_line_endings_only() -> None:
    a = small_record()
    b = small_record(CODE.replace("\n", "\r\n"))
    msg = diff_jsonl(jsonl(a), jsonl(b))
    assert "field `code`" in msg and "only line endings" in msg and "\\r\\n" in msg


def test_diff_serialisation_only() -> None:
    rec = small_record()
    spaced = json.dumps(rec, ensure_ascii=False) + "\n"  # default separators add spaces
    msg = diff_jsonl(jsonl(rec), spaced)
    assert "same content, different bytes" in msg


def test_diff_invalid_json_falls_back_to_lines() -> None:
    msg = diff_jsonl(jsonl(small_record()), '{"type": broken\n', "golden", "fresh")
    assert msg.startswith("fresh is not valid JSONL; line diff:")
    assert '+{"type": broken' in msg


def test_cli_review_writes_markdown(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(jsonl(small_record()), encoding="utf-8")
    (tmp_path / "d.manifest.jsonl").write_text(jsonl(ROW), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["review", str(data)])
    assert res.exit_code == 0, res.output
    assert "## Record 1: periodic · github-issue · `tick`" in res.output
    out = tmp_path / "d.md"
    res = runner.invoke(app, ["review", str(data), "-o", str(out)])
    assert res.exit_code == 0 and res.output == ""
    assert "```rust\n" in out.read_text(encoding="utf-8")


def test_cli_review_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["review", str(tmp_path / "missing.jsonl")])
    assert res.exit_code == 1 and "missing.jsonl: no such file" in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    res = runner.invoke(app, ["review", str(bad)])
    assert res.exit_code == 1 and "bad.jsonl:1: not valid JSON" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["review", str(bad), "--manifest", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 1 and "nope.jsonl: no such manifest" in res.output
    res = runner.invoke(app, ["review", str(bad), "-o", str(tmp_path / "no/dir/x.md")])
    assert res.exit_code == 1 and "does not exist" in res.output
