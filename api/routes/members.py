"""Member reads (党员查询): the list of a subtree, one member's status, dossier (JSON or PDF), bundle, overdue.

Each route authorises through a typed dependency of ``api.authz_deps`` (which writes the access log for
one member's data; the lists log each member they show), brings what it reads from up to date
(``api.read_models``), calls one read function and renders it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.authz_deps import (
    BundleAccess,
    DossierAccess,
    DossierPdfAccess,
    MembersScope,
    MemberStatusAccess,
    OverdueScope,
)
from api.member_reads import MemberQuery, overdue_items, search_members
from api.pages.member_file import print_html
from api.pdf import html_to_pdf, pdf_filename
from api.read_models import FreshSystem, LoggedSystem
from api.read_schemas import Basis, Dossier, ExportBundle, MemberPage, MemberStatus, OverduePage
from api.unit_reads import content_disposition
from ledger.bundle import export_bundle
from projections.dossier_read import dossier as read_dossier
from projections.status_read import member_status

router = APIRouter(tags=["members"])
REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"description": "role-not-allowed, out-of-scope"},
    404: {"description": "no such member or unit"},
}
AsOf = Annotated[date | None, Query(description="YYYY-MM-DD: the state as of the end of that day")]
BasisQuery = Annotated[
    Basis, Query(description="occurred (what happened by then) | recorded (what was known)")
]
Page = Annotated[int, Query(ge=1, le=1_000_000, description="page number, from 1")]


@router.get("/members", response_model=MemberPage, responses=REFUSALS)
def list_members(
    scope: MembersScope,
    system: FreshSystem,
    state: Annotated[str | None, Query(max_length=40, description="state code, e.g. LOST_SEARCHING")] = None,
    cause: Annotated[int | None, Query(ge=1, le=7, description="失联原因 code 1..7")] = None,
    overdue: Annotated[bool | None, Query(description="with (true) or without (false) overdue items")] = None,
    name: Annotated[str | None, Query(min_length=1, max_length=50, description="name contains")] = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Members of the unit's subtree (default: the caller's unit), by branch and name (党员查询).

    Each member on the page is written to the access log (view ``members``).
    """
    query = MemberQuery(unit=scope.unit, state=state, cause=cause, overdue=overdue, name=name)
    found = search_members(system, query, today=scope.today, page=page, per_page=per_page)
    scope.record((row["member_id"], row["home"]["id"]) for row in found["members"])
    return found


@router.get("/members/{id}/status", response_model=MemberStatus, responses=REFUSALS)
def status(
    access: MemberStatusAccess, system: FreshSystem, as_of: AsOf = None, basis: BasisQuery = "occurred"
) -> dict[str, Any]:
    """One member's state, open case, next steps and deadlines (党员状态), now or as of a date."""
    today = access.authority.today
    return member_status(system, access.target.stream, at=as_of, basis=basis, today=today)


@router.get("/members/{id}/dossier", response_model=Dossier, responses=REFUSALS)
def dossier(
    access: DossierAccess, system: FreshSystem, as_of: AsOf = None, basis: BasisQuery = "occurred"
) -> dict[str, Any]:
    """失联党员查找处置全程纪实表 (附件4) as JSON, each entry with its verification, now or as of a date."""
    return read_dossier(system, access.target.stream, at=as_of, basis=basis)


PDF_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
          "description": "the print view of the 全程纪实表 as an A4 PDF"},
    503: {"description": "pdf-unavailable: Chromium is not installed on the server"},
}  # fmt: skip


@router.get("/members/{id}/dossier.pdf", response_class=Response, responses={**REFUSALS, **PDF_ANSWER})
def dossier_pdf(
    access: DossierPdfAccess, system: FreshSystem, as_of: AsOf = None, basis: BasisQuery = "occurred"
) -> Response:
    """全程纪实表 as PDF: the print view (``/ui/members/{id}?print=1``) printed by headless Chromium."""
    member = access.target.stream
    html = print_html(system, member, as_of, basis, access.authority.today)
    content = html_to_pdf(html)
    name = member_status(system, member, today=access.authority.today)["name"]
    filename, fallback = pdf_filename(name, member, as_of)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(filename, fallback)})  # fmt: skip


@router.get("/members/{id}/bundle", response_model=ExportBundle, responses=REFUSALS)
def bundle(access: BundleAccess, system: LoggedSystem) -> JSONResponse:
    """The member's export bundle (导出验证包), a download verifiable offline with the verifier key."""
    content = export_bundle(system, access.target.stream)
    filename = f"member-{access.target.stream}.bundle.json"
    return JSONResponse(content, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/overdue", response_model=OverduePage, responses=REFUSALS)
def overdue(
    scope: OverdueScope,
    system: FreshSystem,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Overdue deadlines (逾期事项) in the unit's subtree (default: the caller's unit), most overdue first.

    Each member on the page is written to the access log (view ``overdue``).
    """
    found = overdue_items(system, scope.unit, today=scope.today, page=page, per_page=per_page)
    scope.record(dict.fromkeys((item["member_id"], item["home"]["id"]) for item in found["items"]))
    return found
