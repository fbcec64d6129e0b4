"""svixbt: turn Rust background-task code into byte-exact ChatML instruction-tuning records.

The library API (what the CLI and the tests call)::

    from svixbt import scan_file, item_rows, generate, validate_file
"""

from __future__ import annotations

from .pipeline import FileScan, item_rows, scan_file

__all__ = ["FileScan", "scan_file", "item_rows", "generate", "validate_file"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The generation path pulls in composition and checks; `items` should not pay for that.
    if name == "generate":
        from .generate import generate

        return generate
    if name == "validate_file":
        from .checks import validate_file

        return validate_file
    raise AttributeError(name)
