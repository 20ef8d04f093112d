"""The book as one PDF (``make pdf``): complete, navigable, its numbers the cells'.

The PDF in ``_build/pdf/nnbook.pdf`` (or ``$NNBOOK_PDF``) is read with
poppler's tools (pdfinfo, pdftotext, pdfimages, pdftoppm; Debian's
poppler-utils) and pypdf (its outline and links). The numbers it must show are
taken from the execution cache, never from the PDF or the pages it was printed
from: each ``{glue:text}`name:spec``` of a chapter, formatted by ``spec``.
The first page and the exercises' page of each chapter are rendered to
``_build/screenshots/pdf/`` for a person to look at.

Run with ``make pdftest`` (part of ``make test``), which makes the PDF first.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PDF = Path(os.environ.get("NNBOOK_PDF", ROOT / "_build" / "pdf" / "nnbook.pdf")).resolve()
SHOTS = ROOT / "_build" / "screenshots" / "pdf"
CHAPTERS = ["neuron", "learning-rate", "initialization", "loss", "chain-rule"]
# The parts of the book besides the chapters; the API reference is left out.
OTHER_PARTS = ["preface", "glossary", "bibliography"]
POPPLER = ["pdfinfo", "pdftotext", "pdfimages", "pdftoppm"]
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


@pytest.fixture(scope="module", autouse=True)
def _the_pdf_and_its_tools() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{missing} missing: apt-get install poppler-utils", pytrace=False)
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `make pdf` first", pytrace=False)


def _run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, text=True
    ).stdout


@cache
def _text(first: int = 1, last: int = 0) -> str:
    """The PDF's text (pages ``first``..``last``; 0 = the last page)."""
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    return _run("pdftotext", "-enc", "UTF-8", *pages, PDF, "-")


def _squeezed(text: str) -> str:
    """Without white space (a line may break anywhere in the PDF) and with
    straight quotes (Sphinx prints "a" as “a”)."""
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans("“”‘’", "\"\"''"))


def _title(part: str) -> str:
    """The first heading of a part's source, as written."""
    source = (ROOT / "docs" / f"{part}.md").read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", source, re.MULTILINE).group(1).strip()


def _sections(part: str) -> list[str]:
    """The second-level headings of a part's source, in order (outside code cells,
    whose comments also start with #)."""
    source = (ROOT / "docs" / f"{part}.md").read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", source, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"^## (.+)$", prose, re.MULTILINE)


@cache
def _outline() -> list[tuple[str, int, int]]:
    """(title, depth, page number) of every bookmark, in order."""
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, depth, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def _chapter_page(chapter: int) -> int:
    """The page where chapter ``chapter`` (1-based) starts, by its bookmark."""
    [(_, _, page)] = [b for b in _outline() if b[1] == 0 and b[0].startswith(f"{chapter}. ")]
    return page


@cache
def _executed(part: str) -> Any:
    """A chapter with the outputs of its cached execution (the cache the site
    and the PDF are built from: the path conf/conf.py gives myst-nb)."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    config = Config.read(ROOT / "conf", overrides={}, tags=Tags())
    nb = read_myst_markdown_notebook((ROOT / "docs" / f"{part}.md").read_text(encoding="utf-8"))
    nb.metadata.setdefault("kernelspec", {})["name"] = "python3"  # nb_kernel_rgx_aliases
    _, nb = get_cache(config._raw_config["nb_execution_cache_path"]).merge_match_into_notebook(nb)
    return nb


def _glued(part: str) -> dict[str, str]:
    """Every value a chapter glues, as its text/plain."""
    values = {}
    for cell in _executed(part).cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                values[record["name"]] = output["data"][record["mime_prefix"] + "text/plain"]
    return values


def _shown_numbers(part: str) -> list[tuple[str, str]]:
    """(role, text) of each number the chapter's prose pastes: the glued value
    formatted as the role asks (``{glue:text}`name:.3f``` shows ``f"{x:.3f}"``)."""
    source = (ROOT / "docs" / f"{part}.md").read_text(encoding="utf-8")
    values = _glued(part)
    shown = []
    for match in GLUE_TEXT.finditer(source):
        name, spec = match.group(1), match.group(2) or ""
        value = ast.literal_eval(values[name])
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown.append((match.group(0), format(value, spec) if spec else values[name]))
    return shown


# --- the tests ------------------------------------------------------------------


def test_the_pdf_opens_and_is_a_tagged_a4_book() -> None:
    info = dict(line.split(":", 1) for line in _run("pdfinfo", PDF).splitlines() if ":" in line)
    assert int(info["Pages"]) > 50
    assert info["Tagged"].strip() == "yes"
    assert "(A4)" in info["Page size"]
    assert info["Title"].strip().startswith("nnbook")


@pytest.mark.parametrize("number", range(1, len(CHAPTERS) + 1))
def test_one_bookmark_per_chapter(number: int) -> None:
    title = _title(CHAPTERS[number - 1])
    tops = [t for t, depth, _ in _outline() if depth == 0]
    mine = [t for t in tops if _squeezed(t) == _squeezed(f"{number}. {title}")]
    assert len(mine) == 1, f"no single top-level bookmark for chapter {number} in {tops}"
    # The bookmark leads to the chapter's first page.
    assert _squeezed(title) in _squeezed(_text(_chapter_page(number), _chapter_page(number)))


def test_the_bookmarks_are_the_parts_in_order_with_their_sections() -> None:
    tops = [t for t, depth, _ in _outline() if depth == 0]
    titles = [_title(p) for p in ["index", "preface"]]
    titles += [f"{n}. {_title(c)}" for n, c in enumerate(CHAPTERS, 1)]
    titles += [_title(p) for p in OTHER_PARTS[1:]]
    assert [_squeezed(t) for t in tops] == [_squeezed(t) for t in titles]
    pages = [page for _, _, page in _outline()]
    assert pages == sorted(pages)
    sections = [_squeezed(t) for t, depth, _ in _outline() if depth == 1]
    for number, chapter in enumerate(CHAPTERS, 1):
        for k, heading in enumerate(_sections(chapter), 1):
            assert _squeezed(f"{number}.{k}. {heading}") in sections


@pytest.mark.parametrize("part", CHAPTERS + OTHER_PARTS)
def test_every_part_is_in_the_text(part: str) -> None:
    assert _squeezed(_title(part)) in _squeezed(_text())


def test_the_api_reference_is_left_out() -> None:
    assert _squeezed(_title("api")) not in _squeezed(_text())


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_glued_numbers_are_printed(chapter: str) -> None:
    shown = _shown_numbers(chapter)
    assert len(shown) >= 10, f"only {len(shown)} glued numbers found in {chapter}.md"
    text = _squeezed(_text())
    missing = [(role, value) for role, value in shown if _squeezed(value) not in text]
    assert missing == []


def test_no_unresolved_reference() -> None:
    assert "??" not in _text()


def test_equations_are_numbered_by_chapter() -> None:
    text = _squeezed(_text())
    for number in range(1, len(CHAPTERS) + 1):
        assert f"({number}.1)" in text, f"no equation ({number}.1)"


def test_every_internal_link_has_a_target() -> None:
    """Cross-references are links to named destinations; each one exists."""
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    names = set(reader.named_destinations)
    internal, dangling = 0, []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link" or "/Dest" not in annot:
                continue
            internal += 1
            dest = annot["/Dest"]
            if isinstance(dest, str) and dest not in names and "/" + dest not in names:
                dangling.append(dest)
    assert internal > 100
    assert dangling == []


def test_the_figures_are_embedded() -> None:
    """At least one image in the PDF for each distinct figure the cells drew."""
    figures = set()
    for chapter in CHAPTERS:
        for cell in _executed(chapter).cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if any(t.startswith("remove") for t in tags):
                continue
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    figures.add(output["data"]["image/png"])
    rows = _run("pdfimages", "-list", PDF).splitlines()[2:]
    images = [row for row in rows if row.split()[2] == "image"]
    assert len(figures) >= 20
    assert len(images) >= len(figures)


@pytest.mark.parametrize("number", range(1, len(CHAPTERS) + 1))
def test_a_page_of_each_chapter_is_rendered(number: int) -> None:
    """The chapter's first page and the first page of its exercises, as PNG."""
    chapter = CHAPTERS[number - 1]
    exercises = [
        p for t, d, p in _outline() if d == 1 and re.fullmatch(rf"{number}\.\d+\. Exercises", t)
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in [("start", _chapter_page(number)), ("exercises", exercises[0] + 1)]:
        target = SHOTS / f"{number}-{chapter}-{name}"
        _run(
            "pdftoppm",
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            "70",
            "-png",
            "-singlefile",
            PDF,
            target,
        )
        assert target.with_suffix(".png").stat().st_size > 10_000
