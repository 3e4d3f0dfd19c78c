"""The reviewer pages (server-rendered): sign-in, members, a member's file (全程纪实表), the ledger.

Every page goes through the same dependencies as the JSON API: the session (here from the HttpOnly cookie,
see ``api.pages.session``), the authorisation table's rules and, for a member's file, ``stream_access``,
which writes the read to the hash-chained access log before anything is shown. Lists are limited to the
caller's subtree; asking for a unit outside it is refused (403 ``out-of-scope``), never silently filtered.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.authz import Authority, OutOfScope, RoleNotAllowed
from api.authz_deps import Access, ClockDep, stream_access
from api.authz_table import Target, rule
from api.deps import CurrentSession, SettingsDep, SystemDep, transparency_reader
from api.member_reads import MemberQuery, search_members
from api.pages.ledger_view import ledger_overview
from api.pages.member_file import file_context
from api.pages.render import STATE_LABELS, page
from api.pages.session import PREFIX
from ledger.system import LedgerSystem
from projections.registry import catch_up_all
from projections.status_read import StatusFilter, list_status, registry_of, subtree

router = APIRouter(prefix=PREFIX, include_in_schema=False)
MEMBER_READ = "GET /streams/{id}"
"""Pages show members' data under the table's rule for reading a member's stream."""
PER_PAGE = 50
_catch_up_lock = threading.Lock()

FileAccess = Annotated[Access, Depends(stream_access(MEMBER_READ, "file-page"))]


def fresh(system: LedgerSystem) -> None:
    """Bring the status and dossier projections up to date before a page reads them."""
    with _catch_up_lock:
        catch_up_all(system)


@router.get("", response_class=HTMLResponse)
def home() -> Response:
    """The pages start at the member list."""
    return RedirectResponse(f"{PREFIX}/members", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, settings: SettingsDep, next: str = f"{PREFIX}/members") -> Response:
    """Sign-in: the browser signs the challenge with a key file the user picks (WebCrypto)."""
    from api.demo.keystore import INDEX_FILE, keystore_dir, read_index

    demo = read_index(settings) if (keystore_dir(settings) / INDEX_FILE).exists() else []
    target = next if next.startswith(f"{PREFIX}/") else f"{PREFIX}/members"
    return page(request, "sign_in.html", demo=demo, next=target)


@router.get("/members", response_class=HTMLResponse)
def members(
    request: Request,
    system: SystemDep,
    session: CurrentSession,
    clock: ClockDep,
    unit: str | None = None,
    state: str | None = None,
    cause: Annotated[str, Query(pattern="^[1-7]?$")] = "",
    overdue: Literal["", "yes", "no"] = "",
    name: Annotated[str, Query(max_length=50)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """党员列表: search by name, filter by unit, state, cause and overdue; counts per state."""
    today = clock().date()
    authority = Authority(system, today)
    caller = authority.caller(session.actor)
    if caller is None:
        raise RoleNotAllowed("the signed-in actor holds no registration (unit and roles) as of today")
    Authority.check_role(rule(MEMBER_READ), caller, Target.MEMBER)
    chosen = unit or caller.unit
    if chosen is not None and not authority.within(caller, chosen):
        raise OutOfScope(f"unit {chosen} lies outside the subtree of your unit", unit=chosen)
    fresh(system)
    registry = registry_of(system)
    units = subtree(registry, caller.unit) if caller.unit else list(registry.tree(date.max).units)
    unit_names = {u: (registry.unit(u).name if registry.unit(u) else u) for u in units}  # type: ignore[union-attr]
    base = StatusFilter(
        unit=chosen, cause=int(cause) if cause else None, overdue={"yes": True, "no": False}.get(overdue)
    )
    wanted = MemberQuery(base.unit, state or None, base.cause, base.overdue, name.strip() or None)
    listing = search_members(system, wanted, today=today, page=page_no, per_page=PER_PAGE)
    counts = {}
    for code in STATE_LABELS:
        n = list_status(
            system, StatusFilter(base.unit, code, base.cause, base.overdue), today=today, per_page=1
        )
        if n["total"]:
            counts[code] = n["total"]
    pages = max(1, -(-listing["total"] // PER_PAGE))
    query = {
        "unit": unit or "",
        "state": state or "",
        "cause": int(cause) if cause else "",
        "overdue": overdue,
        "name": name,
    }
    return page(
        request,
        "members.html",
        listing=listing,
        counts=counts,
        units=sorted(unit_names.items(), key=lambda item: item[1]),
        query=query,
        pages=pages,
        today=today.isoformat(),
    )


@router.get("/members/{id}", response_class=HTMLResponse)
def member_file(
    request: Request,
    system: SystemDep,
    access: FileAccess,
    clock: ClockDep,
    at: date | None = None,
    basis: Literal["occurred", "recorded"] = "occurred",
    print_view: Annotated[bool, Query(alias="print")] = False,
) -> Response:
    """一人一档: the 全程纪实表 as the official form, beside the timeline of every statement."""
    fresh(system)
    context = file_context(system, access.target.stream, at, basis, clock().date())
    return page(request, "member.html", print_view=print_view, **context)


@router.get("/ledger", response_class=HTMLResponse, dependencies=[Depends(transparency_reader)])
def ledger_page(
    request: Request,
    system: SystemDep,
    checkpoint: Annotated[str, Query(max_length=4000)] = "",
) -> Response:
    """账本: the latest checkpoint and size; a pasted older checkpoint checked by a consistency proof."""
    overview: dict[str, Any] = ledger_overview(system, checkpoint)
    return page(request, "ledger.html", **overview, pasted=checkpoint)
