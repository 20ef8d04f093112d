"""The code a reader sees teaches one idea at a time (issue 19).

A visible code cell of a chapter (one not tagged remove-cell, remove-input,
hide-cell or hide-input) holds no check (``assert``, ``np.testing.``) and no
bookkeeping of the build (``glue(``, ``keep(``): those go to a removed or
folded cell after the lesson. It is at most 30 lines long, and no line of it is
wider than 88 columns (the code column of the site at 1280 px). A helper a
visible cell calls (a function, class or lambda of the chapter's) is defined in
a visible cell, not only in a hidden one: the reader sees what the code runs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HIDDEN = {"remove-cell", "remove-input", "hide-cell", "hide-input"}
CHECK = re.compile(r"^\s*(assert\b|np\.testing\.|glue\(|keep\()")
MAX_LINES = 30
MAX_COLUMNS = 88
FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")


def _chapters() -> list[Path]:
    """The executed chapters: MyST notebooks, whose front matter names a kernel."""
    return sorted(p for p in DOCS.glob("*.md") if "\nkernelspec:" in p.read_text()[:2000])


@dataclass
class Cell:
    line: int  # 1-based line of the cell's first line of code
    tags: set[str]
    code: list[str]


def code_cells(text: str) -> list[Cell]:
    """Every ``{code-cell}`` of a MyST notebook: its tags (from a YAML options
    block or ``:key: value`` lines) and its code, leading blank lines dropped."""
    lines = text.splitlines()
    cells = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, start = match.group(1), i + 1
        end = start
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        body = lines[start:end]
        tags: set[str] = set()
        k = 0
        if body and body[0].strip() == "---":  # a YAML options block
            k = body.index("---", 1) + 1
            tags = set(re.findall(r"[\w-]+", " ".join(body[1 : k - 1])))
        while k < len(body) and body[k].startswith(":"):
            tags |= set(re.findall(r"[\w-]+", body[k]))
            k += 1
        while k < len(body) and not body[k].strip():
            k += 1
        cells.append(Cell(line=start + k + 1, tags=tags, code=body[k:]))
        i = end + 1
    return cells


def violations(text: str, name: str = "") -> list[str]:
    """What breaks the rule in the visible cells of a MyST notebook's text."""
    found = []
    for cell in code_cells(text):
        if cell.tags & HIDDEN:
            continue
        if len(cell.code) > MAX_LINES:
            found.append(f"{name}:{cell.line}: a visible cell of {len(cell.code)} lines")
        for n, line in enumerate(cell.code):
            where = f"{name}:{cell.line + n}"
            if len(line) > MAX_COLUMNS:
                found.append(f"{where}: a line of {len(line)} columns")
            if CHECK.match(line):
                found.append(f"{where}: a check or glue line in a visible cell: {line.strip()}")
    return found


def hidden_helpers(text: str, name: str = "") -> list[str]:
    """Functions, classes and lambdas defined in hidden cells only and used by
    a visible cell (IPython magics and shell lines are left out of the parse)."""
    hidden: dict[str, int] = {}
    shown: set[str] = set()
    found = []
    for cell in code_cells(text):
        source = "\n".join(ln for ln in cell.code if not ln.lstrip().startswith(("%", "!")))
        tree = ast.parse(source, filename=f"{name}:{cell.line}")
        defined = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        } | {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if cell.tags & HIDDEN:
            for helper in defined - shown:
                hidden.setdefault(helper, cell.line)
            continue
        names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
        used = {node.id for node in names if isinstance(node.ctx, ast.Load)}
        # A name the cell binds itself (leaf = 1) is the cell's own.
        shown |= defined | {node.id for node in names if isinstance(node.ctx, ast.Store)}
        for helper in sorted(used & hidden.keys() - shown):
            found.append(
                f"{name}:{cell.line}: uses {helper}, defined only in the hidden cell at "
                f"{name}:{hidden[helper]}"
            )
    return found


CHAPTERS = _chapters()


def test_the_chapters_are_found() -> None:
    assert {p.stem for p in CHAPTERS} >= {
        "neuron",
        "learning-rate",
        "initialization",
        "loss",
        "chain-rule",
    }


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_visible_cells_teach_one_idea(chapter: Path) -> None:
    found = violations(chapter.read_text(encoding="utf-8"), chapter.name)
    assert not found, f"{len(found)} violation(s):\n" + "\n".join(found)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_visible_cells_call_no_hidden_helper(chapter: Path) -> None:
    found = hidden_helpers(chapter.read_text(encoding="utf-8"), chapter.name)
    assert not found, f"{len(found)} use(s) of hidden helpers:\n" + "\n".join(found)


# --- the rule itself -------------------------------------------------------------

SAMPLE = """\
---
kernelspec:
  name: python3
---
# A chapter

```{code-cell} ipython3
x = 1
assert x == 1
glue("x", x)
print("LONG_LINE")
```

```{code-cell} ipython3
:tags: [remove-cell]
assert x == 1
np.testing.assert_allclose(x, 1)
```

````{code-cell} ipython3
---
tags: [hide-input]
---
keep(x)
````

```{code-cell} ipython3
---
tags: [hide-output]
---

np.testing.assert_allclose(x, 1)
```

```{code-cell} ipython3
LONG_CELL
```

```python
assert "a code block, not a cell"
```
""".replace("LONG_LINE", "y" * 89).replace("LONG_CELL", "\n".join(f"y = {i}" for i in range(31)))


def test_the_rule_catches_each_fault_in_visible_cells_only() -> None:
    found = violations(SAMPLE, "s.md")
    assert found == [
        "s.md:9: a check or glue line in a visible cell: assert x == 1",
        's.md:10: a check or glue line in a visible cell: glue("x", x)',
        "s.md:11: a line of 98 columns",
        "s.md:32: a check or glue line in a visible cell: np.testing.assert_allclose(x, 1)",
        "s.md:36: a visible cell of 31 lines",
    ]


def test_a_cell_of_30_short_lines_passes() -> None:
    cell = "\n".join(f"y{i} = {'1' * 80}" for i in range(30))
    assert violations(f"```{{code-cell}} ipython3\n{cell}\n```\n") == []


HELPERS = """\
```{code-cell} ipython3
:tags: [remove-cell]
%matplotlib inline
def leaf(x):
    return x
square = lambda x: x * x
class Box:
    pass
def shown():
    return 1
```

```{code-cell} ipython3
def shown():
    return 2
print(leaf(1), shown(), Box)
```

```{code-cell} ipython3
---
tags: [hide-input]
---
print(square(2), leaf(3))
```

```{code-cell} ipython3
leaf = 1
print(leaf + square(3))
```
"""


def test_the_helper_rule_flags_visible_calls_of_hidden_definitions() -> None:
    assert hidden_helpers(HELPERS, "h.md") == [
        "h.md:14: uses Box, defined only in the hidden cell at h.md:3",
        "h.md:14: uses leaf, defined only in the hidden cell at h.md:3",
        "h.md:27: uses square, defined only in the hidden cell at h.md:3",
    ]


if __name__ == "__main__":  # python tests/test_visible_cells.py docs/neuron.md ...
    import sys

    total = 0
    for arg in sys.argv[1:] or map(str, CHAPTERS):
        text = Path(arg).read_text(encoding="utf-8")
        found = violations(text, arg) + hidden_helpers(text, arg)
        print(*found, sep="\n") if found else None
        total += len(found)
    print(f"{total} violation(s)")
    sys.exit(1 if total else 0)
