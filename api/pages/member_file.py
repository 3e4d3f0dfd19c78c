"""A member's file (一人一档) for the pages and the PDF: the 全程纪实表 and timeline, now or as of a date.

``file_context`` is what ``member.html`` renders (the page under ``/ui/members/{id}``); ``print_html``
renders its print view as one self-contained document (style sheet inlined, no script, no other
resource) for ``api.pdf`` to print.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from api.pages.render import ENV
from api.pages.timeline import form_view, timeline
from domain.asof import Basis
from ledger.system import LedgerSystem
from projections.dossier_read import dossier
from projections.status_read import member_status

STYLE = Path(__file__).resolve().parents[1] / "static" / "app.css"


def file_context(
    system: LedgerSystem, member: str, at: date | None, basis: Basis, today: date
) -> dict[str, Any]:
    """The template context of a member's file (projections already up to date)."""
    doc = dossier(system, member, at=at, basis=basis)
    status = member_status(system, member, at=at, basis=basis, today=today)
    return {
        "doc": doc,
        "status": status,
        "form": form_view(doc),
        "timeline": timeline(doc),
        "at": at.isoformat() if at else "",
        "basis": basis,
        "today": today.isoformat(),
    }


def print_html(system: LedgerSystem, member: str, at: date | None, basis: Basis, today: date) -> str:
    """The print view of the member's file as one self-contained HTML document."""
    context = file_context(system, member, at, basis, today)
    inline = STYLE.read_text(encoding="utf-8")
    return ENV.get_template("member.html").render(
        request=None, print_view=True, standalone=True, inline_css=inline, **context
    )
