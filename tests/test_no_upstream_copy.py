"""The repo holds no svix code: the workplace guard must print nothing for tracked files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUARD = ROOT.parent / "shared" / "guard" / "check-upstream-copy"


@pytest.mark.skipif(not GUARD.exists(), reason="the shared guard is not beside this checkout")
def test_guard_finds_no_svix_lines() -> None:
    run = subprocess.run([str(GUARD)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.stdout == "" and run.returncode == 0, run.stdout
