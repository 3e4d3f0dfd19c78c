"""The access log for inspectors (查阅日志): query who read which member's data, recheck the chain, and
take signed checkpoints of its head that a later check must find extended (a deleted tail shows)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api import accesslog
from api.authz import Authority, Caller, OutOfScope
from api.authz_deps import AccessLogReader, AccessLogVerifier, ClockDep, signed_in_caller
from api.authz_table import Target, rule
from api.deps import SystemDep
from api.schemas import UUID_PATTERN
from ledger import note
from ledger.errors import NotFound
from ledger.system import LedgerSystem

router = APIRouter(prefix="/access-log", tags=["access log"])
Uuid = Annotated[str | None, Query(pattern=UUID_PATTERN)]
REFUSALS: dict[int | str, dict[str, str]] = {403: {"description": "role-not-allowed, out-of-scope"}}
CheckpointTaker = Annotated[Caller, Depends(signed_in_caller("GET /access-log/checkpoint"))]
HeldVerifier = Annotated[Caller, Depends(signed_in_caller("POST /access-log/verify"))]
MAX_NOTE = 8192
"""Longest checkpoint note accepted: an origin, two short lines and a few signature lines."""


class HeldCheckpoint(BaseModel):
    """An access-log checkpoint the inspector kept, to be found extended by today's log."""

    model_config = ConfigDict(extra="forbid")
    checkpoint: str = Field(
        max_length=MAX_NOTE, description="the signed note as `GET /access-log/checkpoint` returned it"
    )


@router.get(
    "", responses={**REFUSALS, 404: {"description": "not-found: no such member or unit to filter by"}}
)
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
    """Recheck the whole access-log chain and every checkpoint issued of it (查阅日志校验).

    Names the first broken row, and each issued checkpoint whose row the log no longer holds with the
    signed hash (a deleted or rewritten tail) or whose note does not verify with the ledger key.
    """
    return _verified(system, ())


@router.post(
    "/verify", responses={**REFUSALS, 422: {"description": "bad-checkpoint, checkpoint-not-signed-by-ledger"}}
)
def verify_held(_: HeldVerifier, system: SystemDep, held: HeldCheckpoint | None = None) -> dict[str, Any]:
    """As ``GET``, and the log must also extend the checkpoint the inspector kept (所持检查点校验).

    A kept note catches a tail deleted together with the issued notes. It must be signed by the ledger
    key (else 422 ``checkpoint-not-signed-by-ledger``) and be an access-log checkpoint (else 422
    ``bad-checkpoint``).
    """
    verifier = note.VerifierKey.parse(system.verifier_key())
    kept = () if held is None else (accesslog.open_checkpoint(held.checkpoint, verifier),)
    return _verified(system, kept)


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses={**REFUSALS, 409: {"description": "access-log-not-extended"}},
)
def checkpoint(_: CheckpointTaker, system: SystemDep) -> Response:
    """The access log's head signed now by the ledger key (查阅日志检查点), a C2SP signed note.

    It is kept too; keep your copy and hand it to ``POST /access-log/verify`` later. Refused (409
    ``access-log-not-extended``) when the log no longer extends its latest checkpoint.
    """
    return PlainTextResponse(accesslog.issue_checkpoint(system), media_type="text/plain; charset=utf-8")


def _verified(system: LedgerSystem, held: tuple[note.Checkpoint, ...]) -> dict[str, Any]:
    report = accesslog.verify(system.log, note.VerifierKey.parse(system.verifier_key()), held)
    chain = report.chain
    broken = None if chain.ok else {"position": chain.broken_at, "reason": chain.reason}
    return {
        "ok": report.ok,
        "rows": chain.rows,
        "head": chain.head,
        "first_broken": broken,
        "checkpoints": {"issued": report.issued, "held": report.held},
        "checkpoint_failures": [asdict(failure) for failure in report.failures],
    }
