"""The README's example record is a real record: the first of golden/sample_cleaner.jsonl.

`make golden` (SVIXBT_UPDATE_GOLDEN=1) rewrites the block; otherwise a stale block fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import UPDATE_GOLDEN

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GOLDEN = ROOT / "golden" / "sample_cleaner.jsonl"
START, END = "<!-- example:start -->", "<!-- example:end -->"


def render_example() -> str:
    rec = json.loads(GOLDEN.read_text(encoding="utf-8").splitlines()[0])
    user = rec["messages"][1]["content"]
    assistant = rec["messages"][2]["content"]
    think, code = assistant.split("\n</think>\n\n", 1)
    think = think.removeprefix("<think>\n")
    code_lines = code.splitlines()
    shown = "\n".join(code_lines[:12])
    quoted = "\n".join("> " + ln if ln else ">" for ln in user.splitlines())
    return (
        f"{START}\n**user**\n\n{quoted}\n\n**assistant**\n\n```\n<think>\n{think}\n</think>\n\n"
        f"{shown}\n... ({len(code_lines) - 12} more lines, byte for byte from the source)\n```\n"
        f"{END}"
    )


def test_readme_example_is_the_golden_first_record() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(re.escape(START) + r".*?" + re.escape(END), text, re.S)
    assert block is not None, "README lost its example markers"
    fresh = render_example()
    if UPDATE_GOLDEN:
        README.write_text(text.replace(block.group(0), fresh), encoding="utf-8")
        return
    assert block.group(0) == fresh, "README example is stale; run `make golden`"
