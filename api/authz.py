"""Enforcing the authorisation table (``api.authz_table``) over the registry as of today.

``Authority`` answers the two questions of every refusal: does the caller hold an allowed role for this
kind of target (else 403 ``role-not-allowed``), and does the target lie in the subtree of the caller's
unit (else 403 ``out-of-scope``). Reads resolve the caller from the bearer token, writes from the
statement's signer; the typed dependencies that routes declare are in ``api.authz_deps``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from api.authz_table import Rule, Target
from api.submissions import SignedItem
from domain.engine import stream_kind
from domain.member import MemberFile
from domain.registry import RegistryWorld
from ledger import keys
from ledger.errors import LedgerError, ValidationFailed
from ledger.statement import statement_hash
from ledger.system import LedgerSystem

RECEIPT_TYPE = "RelationReceived"
LETTER_TYPES = ("RelationTransferred", "TransferReissued")


class RoleNotAllowed(LedgerError):
    """The caller holds none of the roles this endpoint allows on this kind of target."""

    code = "role-not-allowed"
    status = 403
    title_zh = "角色无权使用此功能"


class OutOfScope(LedgerError):
    """The target lies outside the subtree of the caller's unit."""

    code = "out-of-scope"
    status = 403
    title_zh = "超出本单位管辖范围"


@dataclass(frozen=True)
class Caller:
    """An actor as of today: its unit (None: the root administrator, whose scope is everything) and roles."""

    actor: str
    unit: str | None
    roles: frozenset[str]


@dataclass(frozen=True)
class StreamTarget:
    """What a stream is: its kind, the unit that places it in the tree, and open transfer letters."""

    stream: str
    kind: Target
    unit: str | None
    receiving: frozenset[str] = frozenset()
    """Units named by open transfer letters (the receipt exception of DESIGN.md)."""


def fresh_registry(system: LedgerSystem) -> RegistryWorld:
    """The registry, reloaded when another process changed unit or actor streams since it was folded."""
    ledger = system.ledger
    if ledger.registry_version != system.log.registry_version():
        ledger.reload_registry()
    return ledger.registry


def open_letters(member: MemberFile) -> frozenset[str]:
    """``to_unit`` of each transfer letter on the file not yet answered by a receipt (接收支部 hook)."""
    received = {e.body.get("letter_no") for e in member.of_type(RECEIPT_TYPE) if not e.withdrawn}
    return frozenset(
        str(e.body["to_unit"])
        for e in member.of_type(*LETTER_TYPES)
        if not e.withdrawn and e.body.get("to_unit") and e.body.get("letter_no") not in received
    )


@dataclass
class Authority:
    """The table's checks over one registry snapshot and one day; writes in a batch extend it as they go."""

    system: LedgerSystem
    today: date
    registry: RegistryWorld = field(init=False)
    pending_units: dict[str, str | None] = field(default_factory=dict)
    pending_homes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.registry = fresh_registry(self.system)

    def caller(self, actor: str) -> Caller | None:
        """The actor's unit and roles today, or None when it holds no registration."""
        view = self.registry.actor(actor, self.today)
        if view is None:
            return None
        return Caller(actor=actor, unit=view.unit, roles=view.roles)

    def parent(self, unit: str) -> str | None:
        """A unit's parent, for registered units and units registered earlier in the same batch."""
        if unit in self.pending_units:
            return self.pending_units[unit]
        record = self.registry.unit(unit)
        return record.parent if record is not None else None

    def within(self, caller: Caller, unit: str | None) -> bool:
        """Whether ``unit`` is the caller's unit or lies below it (the root administrator: always)."""
        if caller.unit is None:
            return True
        seen: set[str] = set()
        current = unit
        while current is not None and current not in seen:
            if current == caller.unit:
                return True
            seen.add(current)
            current = self.parent(current)
        return False

    def stream(self, stream: str) -> StreamTarget:
        """The kind and place of an existing stream (or an empty one)."""
        if stream in self.registry.units or stream in self.pending_units:
            return StreamTarget(stream, Target.UNIT, stream)
        versions = self.registry.actors.get(stream)
        if versions:
            view = self.registry.actor(stream, self.today) or versions[-1].view
            return StreamTarget(stream, Target.ACTOR, view.unit)
        if stream in self.pending_homes:
            return StreamTarget(stream, Target.MEMBER, self.pending_homes[stream])
        state = self.system.ledger.state(uuid.UUID(stream))
        if state.member is not None and state.member.registered:
            member = state.member
            return StreamTarget(stream, Target.MEMBER, member.home(self.today), open_letters(member))
        if state.seq == 0:
            return StreamTarget(stream, Target.EMPTY, None)
        return StreamTarget(stream, Target.ACTOR, None)

    def check(self, rule: Rule, caller: Caller, target: StreamTarget, *, receipt: bool = False) -> None:
        """Refuse unless the caller holds an allowed role and the target lies in its subtree."""
        self.check_role(rule, caller, target.kind)
        if target.kind is Target.EMPTY or self.within(caller, target.unit):
            return
        if receipt and any(self.within(caller, unit) for unit in target.receiving):
            return  # DESIGN.md: the receiving branch named in a transfer letter records the receipt.
        raise OutOfScope(
            f"stream {target.stream} ({target.kind.value}) lies outside the subtree of your unit",
            stream=target.stream,
        )

    @staticmethod
    def check_role(rule: Rule, caller: Caller, kind: Target) -> None:
        """Refuse unless the caller holds one of the roles the rule allows on this kind of target."""
        allowed = rule.allowed(kind)
        if not caller.roles & allowed:
            held = ", ".join(sorted(caller.roles)) or "none"
            wanted = ", ".join(sorted(allowed)) or "no role"
            raise RoleNotAllowed(
                f"{rule.key} on a {kind.value} stream needs one of: {wanted}; you hold: {held}",
                allowed=sorted(allowed),
            )

    def check_write(self, rule: Rule, statement: Mapping[str, Any]) -> None:
        """Authorise one statement whose signature verified: its signer, its stream, what it names."""
        caller = self.caller(str(statement.get("actor")))
        kind = Target(stream_kind(str(statement.get("type"))))
        if caller is None:
            raise RoleNotAllowed("the signer holds no registration (unit and roles) as of today")
        self.check_role(rule, caller, kind)
        stream = str(statement.get("stream"))
        body = statement.get("body")
        body = body if isinstance(body, Mapping) else {}
        existing = self.stream(stream)
        if existing.kind is not Target.EMPTY:
            self.check(rule, caller, existing, receipt=statement.get("type") == RECEIPT_TYPE)
        for unit in _named_units(str(statement.get("type")), existing.kind, body):
            if not self.within(caller, unit):
                raise OutOfScope(f"the statement names unit {unit}, outside the subtree of your unit")
        self._remember(kind, existing.kind, stream, body)

    def _remember(self, kind: Target, was: Target, stream: str, body: Mapping[str, Any]) -> None:
        if was is Target.EMPTY and kind is Target.UNIT:
            parent = body.get("parent")
            self.pending_units[stream] = str(parent) if isinstance(parent, str) else None
        if was is Target.EMPTY and kind is Target.MEMBER and isinstance(body.get("home"), str):
            self.pending_homes[stream] = str(body["home"])


def _named_units(kind: str, was: Target, body: Mapping[str, Any]) -> Iterable[str | None]:
    """The units a statement places its stream under: a new member's home, a new unit's parent, an actor's unit.

    Other statements on a stream not begun yet name no place; the ledger refuses them (T1 of §3.2).
    """
    if kind == "MemberRegistered" and was is Target.EMPTY:
        yield _text(body.get("home"))
    elif kind == "UnitRegistered" and was is Target.EMPTY:
        yield _text(body.get("parent"))
    elif kind == "ActorRegistered" or (stream_kind(kind) == "actor" and was is Target.EMPTY):
        yield _text(body.get("unit"))


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def signature_holds(system: LedgerSystem, statement: Mapping[str, Any], signature: str) -> bool:
    """Whether the statement verifies with a key enrolled for its actor (else the ledger refuses it: 401)."""
    try:
        actor_stream = uuid.UUID(str(statement.get("actor")))
        digest = statement_hash(statement)
    except (ValueError, ValidationFailed):
        return False
    record = system.ledger.state(actor_stream).key(str(statement.get("key")))
    return record is not None and keys.verify_statement_signature(record.verifier, digest, signature)


def authorise_writes(system: LedgerSystem, rule: Rule, items: Sequence[SignedItem], today: date) -> None:
    """Authorise every signed item of a write; a refusal in a batch names the item's ``index``.

    Items whose signature does not verify are left to the ledger, which refuses them (401) whatever
    their target; so a forged statement learns nothing about scopes.
    """
    authority = Authority(system, today)
    for index, (statement, signature) in enumerate(items):
        if not _is_uuid(statement.get("stream")) or not signature_holds(system, statement, signature):
            continue
        try:
            authority.check_write(rule, statement)
        except LedgerError as error:
            if len(items) > 1:
                error.details["index"] = index
            raise
