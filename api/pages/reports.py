"""The report pages: 附件5 统计表, the three registers (名册与登记表), and 回头看, for a chosen unit and date.

Each page lives at ``/ui/units/{id}/…`` and goes through the same dependency as the JSON API
(``api.authz_deps.unit_scope``: the unit must lie in the caller's subtree; each member the page shows is
written to the access log); ``?format=xlsx`` on the page downloads the official layout. ``/ui/statistics``,
``/ui/registers`` and ``/ui/lookback`` send the browser to the chosen unit (default: the caller's own).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.authz import Authority, RoleNotAllowed
from api.authz_deps import ClockDep, ListScope, LookbackScope, RegistersScope, StatisticsScope
from api.deps import CurrentSession, SystemDep
from api.pages.render import page
from api.pages.session import PREFIX
from api.read_models import FreshSystem
from api.schemas import UUID_PATTERN
from api.unit_reads import (
    WRITERS,
    included,
    lookback_doc,
    members_of,
    register_doc,
    statistics_doc,
    xlsx_response,
)
from domain.asof import Basis
from ledger.errors import ValidationFailed
from ledger.system import LedgerSystem
from projections.reads import MEMBERS_PAGE
from projections.registers import TITLES, Kind
from projections.status_read import registry_of, subtree

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def page_date(as_of: Annotated[str, Query(max_length=10)] = "") -> date | None:
    """The ``as_of`` of a page form: empty means today; otherwise YYYY-MM-DD."""
    if not as_of:
        return None
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise ValidationFailed(f"query.as_of: {as_of!r} is not a date (YYYY-MM-DD)") from None


AsOf = Annotated[date | None, Depends(page_date)]
PageFormat = Annotated[Literal["html", "xlsx"], Query()]
REPORTS = {"statistics": "statistics", "registers": "registers/roster", "lookback": "lookback"}


def unit_choices(system: LedgerSystem, unit: str | None) -> list[tuple[str, str]]:
    """(id, name) of every unit in the subtree of ``unit`` (None: every unit), by name."""
    registry = registry_of(system)
    units = subtree(registry, unit) if unit else list(registry.tree(date.max).units)
    named = {u: record.name for u in units if (record := registry.unit(u)) is not None}
    return sorted(named.items(), key=lambda item: item[1])


def _show(
    request: Request, scope: ListScope, doc: dict[str, Any], template: str, kind: str, fallback: str,
    format: str, **extra: Any,
) -> Response:  # fmt: skip
    scope.record(included(scope.system, members_of(doc)))
    if format == "xlsx":
        return xlsx_response(doc, WRITERS[kind], fallback)
    choices = unit_choices(scope.system, scope.caller.unit)
    return page(request, template, doc=doc, unit=scope.unit, units=choices, **extra)


def _query(as_of: date | None, basis: Basis) -> dict[str, str]:
    return {"as_of": as_of.isoformat() if as_of else "", "basis": basis}


def choose_unit(
    request: Request,
    system: SystemDep,
    session: CurrentSession,
    clock: ClockDep,
    as_of: AsOf,
    unit: Annotated[str | None, Query(pattern=UUID_PATTERN)] = None,
    basis: Basis = "occurred",
) -> Response:
    """Send the browser to the report of the chosen unit (default: the caller's unit)."""
    caller = Authority(system, clock().date()).caller(session.actor)
    if caller is None:
        raise RoleNotAllowed("the signed-in actor holds no registration (unit and roles) as of today")
    chosen = unit or caller.unit or next(iter(unit_choices(system, None)), ("", ""))[0]
    query = urlencode({k: v for k, v in _query(as_of, basis).items() if v})
    report = REPORTS[request.url.path.rsplit("/", 1)[-1]]
    return RedirectResponse(f"{PREFIX}/units/{chosen}/{report}?{query}", status_code=303)


for _name in REPORTS:
    router.add_api_route(f"/{_name}", choose_unit, methods=["GET"], response_class=HTMLResponse)


@router.get("/units/{id}/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request, scope: StatisticsScope, system: FreshSystem, as_of: AsOf,
    basis: Basis = "occurred", format: PageFormat = "html",
    members_offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:  # fmt: skip
    """附件5 统计表 of the unit's subtree as of 统计时间, each relation of the note marked holding or not.

    The members' placements are shown a page at a time (``members_offset``); the download reads them all.
    """
    offset, limit = (0, None) if format == "xlsx" else (members_offset, MEMBERS_PAGE)
    doc = statistics_doc(system, scope.unit or "", as_of or scope.today, basis, None, offset, limit)
    query = _query(as_of, basis)
    return _show(request, scope, doc, "statistics.html", "statistics", "statistics", format, query=query)


@router.get("/units/{id}/registers/{form}", response_class=HTMLResponse)
def registers_page(
    request: Request, scope: RegistersScope, system: FreshSystem, form: Kind, as_of: AsOf,
    basis: Basis = "occurred", format: PageFormat = "html",
) -> Response:  # fmt: skip
    """名册与登记表: one register per tab (失联党员名册, 取得联系, 仍然无法), each with its .xlsx download."""
    doc = register_doc(system, form, scope.unit or "", as_of or scope.today, basis, None)
    query = _query(as_of, basis)
    return _show(request, scope, doc, "registers.html", "register", f"register-{form}", format, query=query,
                 tabs=TITLES, form=form)  # fmt: skip


@router.get("/units/{id}/lookback", response_class=HTMLResponse)
def lookback_page(
    request: Request, scope: LookbackScope, system: FreshSystem, as_of: AsOf,
    basis: Basis = "occurred", format: PageFormat = "html",
) -> Response:  # fmt: skip
    """回头看: findings counted by branch and code, and listed by member, linking to the member's file."""
    doc = lookback_doc(system, scope.unit or "", as_of or scope.today, basis)
    by_unit: dict[str, Counter[str]] = {}
    for member in doc["members"]:
        counts = by_unit.setdefault(member["home_name"], Counter())
        counts.update(f["code"] for f in member["findings"])
    query = _query(as_of, basis)
    return _show(request, scope, doc, "lookback.html", "lookback", "lookback", format, query=query,
                 by_unit=sorted(by_unit.items()))  # fmt: skip
