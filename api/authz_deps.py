"""Typed FastAPI dependencies enforcing the authorisation table: a route's signature says what it needs.

- ``SignedInCaller(key)``: the token's actor, holding a role the rule allows (no target).
- ``StreamAccess(key, view)``: the caller may read the stream ``{id}``; a member stream read is appended
  to the access log under ``view`` before any data is served.
- ``ListScope`` (``MembersScope``, ``OverdueScope``): the subtree a list may show (the ``unit`` query,
  default the caller's unit, must lie in the caller's subtree); ``scope.record`` logs each member shown.
- ``unit_scope`` (``RegistersScope``, ``StatisticsScope``, ``LookbackScope``): the same for ``/units/{id}/…``
  reports, whose unit is the path's ``{id}``.
- ``WriteGate``: ``gate.check(items)`` authorises signed statements by their signers, under the rule of
  the route being served.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from api import accesslog
from api.auth import Clock
from api.authz import Authority, Caller, RoleNotAllowed, StreamTarget, authorise_writes
from api.authz_table import Rule, Target, rule
from api.deps import AuthenticatorDep, CurrentSession, SystemDep
from api.schemas import UUID_PATTERN
from api.submissions import SignedItem
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from ledger.timefmt import format_recorded_at

StreamId = Annotated[str, Path(pattern=UUID_PATTERN, description="the stream (member, unit or actor) uuid")]


async def get_clock(authenticator: AuthenticatorDep) -> Clock:
    """The service clock (the sign-in clock, so tests move both together)."""
    return authenticator.clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def client_address(request: Request) -> str:
    """The client's address as the server sees it (for the access log only, never the request log)."""
    return request.client.host if request.client is not None else "unknown"


@dataclass(frozen=True)
class Access:
    """A granted read of one stream."""

    caller: Caller
    target: StreamTarget
    authority: Authority


def _caller(authority: Authority, actor: str) -> Caller:
    caller = authority.caller(actor)
    if caller is None:
        raise RoleNotAllowed("the signed-in actor holds no registration (unit and roles) as of today")
    return caller


def _any_role(entry: Rule, caller: Caller) -> None:
    if not any(caller.roles & roles for roles in entry.roles.values()):
        Authority.check_role(entry, caller, next(iter(entry.roles)))


def signed_in_caller(key: str) -> Callable[..., Caller]:
    """A dependency: the signed-in caller, refused unless it holds a role ``key``'s rule allows."""
    entry = rule(key)

    def dependency(session: CurrentSession, system: SystemDep, clock: ClockDep) -> Caller:
        caller = _caller(Authority(system, clock().date()), session.actor)
        _any_role(entry, caller)
        return caller

    return dependency


def stream_access(key: str, view: str) -> Callable[..., Access]:
    """A dependency: the caller may read stream ``{id}`` under ``key``'s rule; member reads are logged."""
    entry = rule(key)

    def dependency(
        id: StreamId, request: Request, session: CurrentSession, system: SystemDep, clock: ClockDep
    ) -> Access:
        now = clock()
        authority = Authority(system, now.date())
        caller = _caller(authority, session.actor)
        _any_role(entry, caller)
        target = authority.stream(str(uuid.UUID(id)))
        if target.kind not in entry.roles:
            noun = "member" if set(entry.roles) == {Target.MEMBER} else "stream"
            raise NotFound(f"no {noun} {target.stream}")
        authority.check(entry, caller, target, receipt=view == "head")
        if target.kind is Target.MEMBER:
            record_read(system, caller, target, view, client_address(request), now)
        return Access(caller, target, authority)

    return dependency


@dataclass(frozen=True)
class ListScope:
    """A granted list read: the caller, the unit whose subtree is listed (None: every unit), today."""

    caller: Caller
    unit: str | None
    today: date
    system: LedgerSystem
    view: str
    client: str
    now: datetime

    def record(self, members: Iterable[tuple[str, str]]) -> None:
        """Append each listed member ``(member, unit)`` to the access log, in one transaction."""
        reads = [accesslog.Read(member, unit, self.view) for member, unit in members]
        accesslog.append_many(
            self.system.log, at=format_recorded_at(self.now), actor=self.caller.actor, client=self.client,
            reads=reads,
        )  # fmt: skip


UnitFilter = Annotated[
    str | None,
    Query(pattern=UUID_PATTERN, description="a unit: its subtree is listed (default: the caller's unit)"),
]


def list_scope(key: str, view: str) -> Callable[..., ListScope]:
    """A dependency: the subtree the caller may list under ``key``'s rule (``unit`` must lie in its own)."""
    entry = rule(key)

    def dependency(
        request: Request, session: CurrentSession, system: SystemDep, clock: ClockDep, unit: UnitFilter = None
    ) -> ListScope:
        now = clock()
        authority = Authority(system, now.date())
        caller = _caller(authority, session.actor)
        _any_role(entry, caller)
        scope = caller.unit
        if unit is not None:
            if authority.registry.unit(unit) is None:
                raise NotFound(f"no unit {unit}")
            authority.check(entry, caller, StreamTarget(unit, Target.UNIT, unit))
            scope = unit
        else:
            Authority.check_role(entry, caller, Target.NONE)
        return ListScope(caller, scope, now.date(), system, view, client_address(request), now)

    return dependency


UnitId = Annotated[str, Path(pattern=UUID_PATTERN, description="the unit uuid: its subtree is read")]


def unit_scope(key: str, view: str) -> Callable[..., ListScope]:
    """A dependency: the subtree of unit ``{id}``, which must lie in the caller's own, under ``key``'s rule."""
    entry = rule(key)

    def dependency(
        id: UnitId, request: Request, session: CurrentSession, system: SystemDep, clock: ClockDep
    ) -> ListScope:
        now = clock()
        authority = Authority(system, now.date())
        caller = _caller(authority, session.actor)
        _any_role(entry, caller)
        unit = str(uuid.UUID(id))
        if authority.registry.unit(unit) is None:
            raise NotFound(f"no unit {unit}")
        authority.check(entry, caller, StreamTarget(unit, Target.UNIT, unit))
        return ListScope(caller, unit, now.date(), system, view, client_address(request), now)

    return dependency


def record_read(
    system: LedgerSystem, caller: Caller, target: StreamTarget, view: str, client: str, now: datetime
) -> None:
    """Append one read of a member's data to the access log."""
    accesslog.append(
        system.log,
        at=format_recorded_at(now),
        actor=caller.actor,
        member=target.stream,
        unit=target.unit or "",
        view=view,
        client=client,
    )


@dataclass(frozen=True)
class Gate:
    """Authorises the signed statements of one write request under one rule."""

    system: LedgerSystem
    entry: Rule
    today: date

    def check(self, items: Sequence[SignedItem]) -> None:
        """Refuse (403) unless every signer may write what it signed where it signed it."""
        authorise_writes(self.system, self.entry, items, self.today)


async def route_gate(request: Request, system: SystemDep, clock: ClockDep) -> Gate:
    """A dependency: the gate of the rule of the route being served (``METHOD /path template``)."""
    template = getattr(request.scope.get("route"), "path", "")
    return Gate(system, rule(f"{request.method} {template}"), clock().date())


HeadAccess = Annotated[Access, Depends(stream_access("GET /streams/{id}/head", "head"))]
StreamReadAccess = Annotated[Access, Depends(stream_access("GET /streams/{id}", "stream"))]
MemberStatusAccess = Annotated[Access, Depends(stream_access("GET /members/{id}/status", "status"))]
DossierAccess = Annotated[Access, Depends(stream_access("GET /members/{id}/dossier", "dossier"))]
BundleAccess = Annotated[Access, Depends(stream_access("GET /members/{id}/bundle", "bundle"))]
DossierPdfAccess = Annotated[Access, Depends(stream_access("GET /members/{id}/dossier.pdf", "dossier-pdf"))]
RegistersScope = Annotated[ListScope, Depends(unit_scope("GET /units/{id}/registers/{form}", "registers"))]
StatisticsScope = Annotated[ListScope, Depends(unit_scope("GET /units/{id}/statistics", "statistics"))]
LookbackScope = Annotated[ListScope, Depends(unit_scope("GET /units/{id}/lookback", "lookback"))]
MembersScope = Annotated[ListScope, Depends(list_scope("GET /members", "members"))]
OverdueScope = Annotated[ListScope, Depends(list_scope("GET /overdue", "overdue"))]
AccessLogReader = Annotated[Caller, Depends(signed_in_caller("GET /access-log"))]
AccessLogVerifier = Annotated[Caller, Depends(signed_in_caller("GET /access-log/verify"))]
WriteGate = Annotated[Gate, Depends(route_gate)]
