"""The README's quickstart runs, and trains: a PyTorch-style loop on nnbook."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart() -> str:
    text = README.read_text()
    section = text[text.index("### Quickstart") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_quickstart_trains_to_full_accuracy() -> None:
    code = quickstart()
    assert len(code.strip().splitlines()) <= 20
    scope: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), scope)
    assert float(scope["accuracy"]) == 1.0  # type: ignore[arg-type]
    assert float(scope["loss"]) < 0.05  # type: ignore[arg-type]
