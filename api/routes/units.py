"""Reports of a unit's subtree: the three registers, the 附件5 table, 回头看 (JSON, or ``.xlsx``).

Each route authorises through ``api.authz_deps.unit_scope`` (the unit ``{id}`` must lie in the caller's
subtree), brings the projections up to date, computes the document as of ``as_of`` (default: today) on
the chosen basis, writes each member the document includes to the access log (as a list read), and
answers JSON, or with ``?format=xlsx`` the official layout as a download named after the form's title.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import Field

from api.authz_deps import ListScope, LookbackScope, RegistersScope, StatisticsScope
from api.read_models import FreshSystem
from api.read_schemas import Basis
from api.report_schemas import Lookback, Register, Statistics
from api.unit_reads import (
    WRITERS,
    included,
    lookback_doc,
    members_of,
    register_doc,
    statistics_doc,
    xlsx_response,
)
from projections.reads import MEMBERS_PAGE
from projections.registers import Kind

router = APIRouter(tags=["reports"])
MAX_MEMBERS = 5000
"""The largest page of cohort members a 附件5 read lists by number (``all`` lists every one)."""
XLSX_ANSWER: dict[str, Any] = {
    "content": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}
        }
    },
    "description": "JSON, or with `format=xlsx` the official layout as an .xlsx download",
}
REFUSALS: dict[int | str, dict[str, Any]] = {
    200: XLSX_ANSWER,
    403: {"description": "role-not-allowed, out-of-scope"},
    404: {"description": "no such unit or review campaign"},
}
AsOf = Annotated[date | None, Query(description="YYYY-MM-DD: as of the end of that day (default: today)")]
BasisQuery = Annotated[
    Basis, Query(description="occurred (what happened by then) | recorded (what was known)")
]
Campaign = Annotated[
    str | None, Query(min_length=1, max_length=80, description="a review campaign (集中排查) by id")
]
Format = Annotated[Literal["json", "xlsx"], Query(description="json (default) | xlsx")]
MembersOffset = Annotated[
    int, Query(ge=0, description="附件5: the first cohort member listed (0-based, in the listing's order)")
]
MembersLimit = Annotated[
    Annotated[int, Field(ge=0, le=MAX_MEMBERS)] | Literal["all"],
    Query(
        description=f"附件5: how many cohort members to list (0–{MAX_MEMBERS}, or all); default {MEMBERS_PAGE}"
    ),
]
Form = Annotated[
    Kind, Path(description="roster (失联党员名册) | contacted (取得联系) | uncontactable (仍然无法)")
]


def _answer(
    scope: ListScope, doc: dict[str, Any], format: str, kind: str, fallback: str
) -> Response | dict[str, Any]:
    scope.record(included(scope.system, members_of(doc)))
    return xlsx_response(doc, WRITERS[kind], fallback) if format == "xlsx" else doc


@router.get("/units/{id}/registers/{form}", response_model=Register, responses=REFUSALS)
def registers(
    scope: RegistersScope,
    system: FreshSystem,
    form: Form,
    as_of: AsOf = None,
    basis: BasisQuery = "occurred",
    campaign: Campaign = None,
    format: Format = "json",
) -> Response | dict[str, Any]:
    """One register of the unit's subtree (名册与登记表) as of 填表日期; each member on it is access-logged."""
    doc = register_doc(system, form, scope.unit or "", as_of or scope.today, basis, campaign)
    return _answer(scope, doc, format, "register", f"register-{form}")


@router.get("/units/{id}/statistics", response_model=Statistics, responses=REFUSALS)
def statistics(
    scope: StatisticsScope,
    system: FreshSystem,
    as_of: AsOf = None,
    basis: BasisQuery = "occurred",
    campaign: Campaign = None,
    format: Format = "json",
    members_offset: MembersOffset = 0,
    members_limit: MembersLimit = MEMBERS_PAGE,
) -> Response | dict[str, Any]:
    """附件5 of the unit's subtree as of 统计时间, each relation checked, with a page of its cohort members.

    The counts and checks cover the whole cohort; ``members`` lists ``members_limit`` of them from
    ``members_offset`` (``members_total`` in all; ``members_limit=all`` lists every one, as the ``.xlsx``
    download does). Each member listed is access-logged.
    """
    limit = None if members_limit == "all" or format == "xlsx" else members_limit
    offset = 0 if format == "xlsx" else members_offset
    doc = statistics_doc(system, scope.unit or "", as_of or scope.today, basis, campaign, offset, limit)
    return _answer(scope, doc, format, "statistics", "statistics")


@router.get("/units/{id}/lookback", response_model=Lookback, responses=REFUSALS)
def lookback(
    scope: LookbackScope,
    system: FreshSystem,
    as_of: AsOf = None,
    basis: BasisQuery = "occurred",
    format: Format = "json",
) -> Response | dict[str, Any]:
    """回头看 of the unit's subtree: disposed cases and findings per member; each member shown is logged."""
    doc = lookback_doc(system, scope.unit or "", as_of or scope.today, basis)
    return _answer(scope, doc, format, "lookback", "lookback")
