"""The PDF is the same bytes every time the same book is printed (part of
``make pdftest``; ``make check`` compares the PDFs of two whole builds).

Chromium stamps a PDF with the clock, a random file identifier and the numbers
of the page's nodes (which shift when a script makes one more); conf/print_pdf.py
replaces all three. Here the book's single page (``_build/pdf/html``, which
``make pdf`` printed) is printed again, with the dates of the PDF already made,
and must give that PDF byte for byte.
"""

from __future__ import annotations

import calendar
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "_build" / "pdf" / "nnbook.pdf"
PAGE = ROOT / "_build" / "pdf" / "html" / "index.html"
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")


def _epoch(pdf: Path) -> str | None:
    """SOURCE_DATE_EPOCH as the PDF records it (its creation date), if it has one."""
    from pypdf import PdfReader

    date = (PdfReader(pdf).metadata or {}).get("/CreationDate")
    if date is None:
        return None
    return str(calendar.timegm(time.strptime(str(date), "D:%Y%m%d%H%M%SZ")))


def test_printing_the_book_again_gives_the_same_bytes(tmp_path):
    if not (PDF.is_file() and PAGE.is_file()):
        pytest.fail("no PDF or no page it was printed from: run `make pdf` first", pytrace=False)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    epoch = _epoch(PDF)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    again = tmp_path / "again.pdf"
    cmd = [sys.executable, str(ROOT / "conf" / "print_pdf.py"), "--chromium", CHROMIUM,
           str(PAGE), str(again)]  # fmt: skip
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert again.read_bytes() == PDF.read_bytes()


def test_the_pdf_dates_are_the_last_commits():
    """make pdf passes the time of the last commit as SOURCE_DATE_EPOCH (outside a
    git checkout there is none, and the PDF has no dates)."""
    if not PDF.is_file():
        pytest.fail("no PDF: run `make pdf` first", pytrace=False)
    log = ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"]
    commit = subprocess.run(log, capture_output=True, text=True, check=False).stdout.strip()
    assert _epoch(PDF) == (commit or None)
