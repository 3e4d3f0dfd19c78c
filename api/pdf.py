"""The 全程纪实表 as PDF: the print view rendered to a self-contained HTML file, printed by headless Chromium.

The page is the one ``/ui/members/{id}?print=1`` shows (``api.pages``), with the style sheet inlined and
no script, written to a private temporary directory and printed to A4 with Chromium's
``--print-to-pdf``; the CJK glyphs come from the system's Noto CJK fonts (``make chromium``). No network
is involved: the file names no other resource. Without Chromium the read is refused with 503
``pdf-unavailable`` (the JSON dossier and the print page still work).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from ledger.errors import LedgerError

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 60
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)


class PdfUnavailable(LedgerError):
    """The PDF cannot be made here: Chromium is not installed, or it failed to print the page."""

    code = "pdf-unavailable"
    status = 503
    title_zh = "暂时无法生成PDF"


def chromium() -> str | None:
    """The Chromium executable (``LEDGER_CHROMIUM`` first, then the usual names), or None."""
    for candidate in (os.environ.get("LEDGER_CHROMIUM", ""), *CHROMIUM):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    return None


def html_to_pdf(html: str) -> bytes:
    """Print one self-contained HTML document to PDF (A4) with headless Chromium."""
    executable = chromium()
    if executable is None:
        raise PdfUnavailable(
            "Chromium is not installed on the server (run `make chromium`); the print page "
            "/ui/members/{id}?print=1 and the JSON dossier remain available"
        )
    with tempfile.TemporaryDirectory(prefix="ledger-pdf-") as tmp:
        source, target = Path(tmp) / "dossier.html", Path(tmp) / "dossier.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, cwd=tmp)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"Chromium failed to print the page: {type(error).__name__}") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Chromium did not produce a PDF")
        return target.read_bytes()


def pdf_filename(name: str, member: str, at: date | None) -> tuple[str, str]:
    """(UTF-8 file name, ASCII fallback) of a member's 全程纪实表 PDF."""
    day = f"_{at.isoformat()}" if at else ""
    return f"失联党员查找处置全程纪实表_{name}{day}.pdf", f"dossier-{member}{day}.pdf"
