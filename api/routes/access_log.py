"""The access log for inspectors (查阅日志): query who read which member's data, and recheck the chain."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import accesslog
from api.authz import Authority, OutOfScope
from api.authz_deps import AccessLogReader, AccessLogVerifier, ClockDep
from api.authz_table import Target, rule
from api.deps import SystemDep
from api.schemas import UUID_PATTERN
from ledger.errors import NotFound

router = APIRouter(prefix="/access-log", tags=["access log"])
Uuid = Annotated[str | None, Query(pattern=UUID_PATTERN)]
REFUSALS: dict[int | str, dict[str, str]] = {403: {"description": "role-not-allowed, out-of-scope"}}


@router.get("", responses=REFUSALS)
def query(
    caller: AccessLogReader,
    system: SystemDep,
    clock: ClockDep,
    member: Uuid = None,
    actor: Uuid = None,
    unit: Uuid = None,
    since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?$")] = None,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Reads of members' data within ``unit`` (default: the caller's unit), oldest first (查阅记录).

    ``member`` and ``unit`` must lie in the caller's subtree (else 403 ``out-of-scope``); ``since`` is a
    date or an RFC 3339 UTC time; page with ``after`` = the last ``position`` seen.
    """
    authority = Authority(system, clock().date())
    scope = caller.unit
    if unit is not None:
        if authority.registry.unit(unit) is None:
            raise NotFound(f"no unit {unit}")
        if not authority.within(caller, unit):
            raise OutOfScope(f"unit {unit} lies outside the subtree of your unit")
        scope = unit
    if member is not None:
        target = authority.stream(str(uuid.UUID(member)))
        if target.kind is not Target.MEMBER:
            raise NotFound(f"no member {member}")
        authority.check(rule("GET /access-log"), caller, target)
    within = replace(caller, unit=scope)
    found = [
        row
        for row in accesslog.rows(system.log, member=member, actor=actor, since=since)
        if row.position > after and authority.within(within, row.unit or None)
    ]
    page = found[:limit]
    return {
        "unit": scope,
        "rows": [asdict(row) for row in page],
        "next_after": page[-1].position if len(found) > limit else None,
    }


@router.get("/verify", responses=REFUSALS)
def verify(_: AccessLogVerifier, system: SystemDep) -> dict[str, Any]:
    """Recheck the whole access-log chain; name the first broken row (查阅日志校验)."""
    report = accesslog.verify(system.log)
    broken = None if report.ok else {"position": report.broken_at, "reason": report.reason}
    return {"ok": report.ok, "rows": report.rows, "head": report.head, "first_broken": broken}
