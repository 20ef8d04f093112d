"""Each chapter names, near its start, the engine modules it teaches, and imports them.

The sentence is the one beginning "The code in this chapter uses"; its
{py:mod} references must be exactly the engine modules (not the book package)
that the chapter's code cells import, and it must come before the first code
cell. The imports follow PyTorch's idiom: nothing from the old paths.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
# The executed pages, but the landing page (its one cell counts the engine's lines).
CHAPTERS = sorted(
    p for p in DOCS.glob("*.md") if "kernelspec:" in p.read_text()[:500] and p.stem != "index"
)
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)\n```", re.S)
ENGINE = {
    "nnbook",
    "nnbook.autograd",
    "nnbook.nn",
    "nnbook.nn.functional",
    "nnbook.nn.init",
    "nnbook.optim",
    "nnbook.optim.lr_scheduler",
}


def code_of(cell: str) -> str:
    """A cell's code without its options (a YAML block or ``:key:`` lines)."""
    cell = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.S)
    return "\n".join(line for line in cell.split("\n") if not line.startswith(":"))


def imported_modules(text: str) -> set[str]:
    """The nnbook modules the code cells import (``from nnbook import nn`` is nnbook.nn)."""
    found = set()
    for cell in CELL.findall(text):
        for node in ast.walk(ast.parse(code_of(cell))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("nnbook")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nnbook"):
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    found.add(sub if sub in ENGINE or a.name in ("nn", "init") else node.module)
    return found


def named_modules(text: str) -> tuple[set[str], int]:
    """The modules of the "The code in this chapter uses" paragraph, and its offset."""
    found = re.search(r"The code in this chapter\s+uses", text)
    assert found, "no sentence naming the modules the chapter teaches"
    start = found.start()
    end = text.find("\n\n", start)
    return set(re.findall(r"\{py:mod\}`~?([\w.]+)`", text[start:end])), start


def test_there_are_chapters() -> None:
    assert len(CHAPTERS) >= 5


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_chapter_names_the_modules_it_imports(path: Path) -> None:
    text = path.read_text()
    named, at = named_modules(text)
    assert at < text.find("```{code-cell}"), "the sentence must come before the first code cell"
    imported = imported_modules(text) & ENGINE
    assert named == imported, f"named {sorted(named)}, imported {sorted(imported)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_chapter_imports_in_pytorch_idiom(path: Path) -> None:
    text = path.read_text()
    modules = imported_modules(text)
    old = {m for m in modules if m not in ENGINE and not m.startswith("nnbook.book")}
    assert not old, f"imports from paths that are not the engine's: {sorted(old)}"
    code = "\n".join(code_of(c) for c in CELL.findall(text))
    idiom = "use `from nnbook import nn` and `import nnbook.nn.functional as F`"
    assert "from nnbook.nn import (" not in code, idiom
    assert "from nnbook.nn.functional import" not in code, idiom
