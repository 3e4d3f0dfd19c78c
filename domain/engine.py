"""The domain engine the ledger calls on every append (规则引擎): `check` then `evolve`.

- `check(state, statement, world, settings, recorded_on)` → every refusal, in guard order (empty: accept);
- `findings(...)` → the 补录 guard codes to store with an accepted `HistoricalRecordEntered` (§5.4);
- `evolve(state, statement, hash, recorded_at, findings=())` → the next state of any stream kind;
- `decide(...)` does all three for the ledger in one call.
Pure: no database, no clock, no crypto.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from domain.dates import day
from domain.evolve import evolve_member, replay, unwrap
from domain.guards.context import Ctx, build
from domain.guards.registry import ENTRY_GUARDS, ORDERED, SKIPPED_FOR_REMEDIES
from domain.guards.table import Refusal, refusal
from domain.member import MemberFile
from domain.registry import ACTOR_TYPES, UNIT_TYPES, RegistryWorld, World
from domain.settings import DomainSettings
from domain.streams import check_actor_stream, check_unit_stream

S = TypeVar("S", MemberFile, RegistryWorld)


def stream_kind(statement_type: str) -> str:
    """unit, actor or member: which kind of stream a statement type belongs to."""
    if statement_type in UNIT_TYPES:
        return "unit"
    if statement_type in ACTOR_TYPES:
        return "actor"
    return "member"


def _run(ctx: Ctx, numbers: frozenset[int] | None = None) -> list[Refusal]:
    skip: frozenset[int] = frozenset()
    if ctx.remedial or ctx.type == "DispositionRevoked":
        from domain.guards.remedies import remedy_without_basis

        failed = remedy_without_basis(ctx)
        if failed:
            return [refusal(48, failed)]
        skip = SKIPPED_FOR_REMEDIES if ctx.remedial else frozenset()
    out = []
    for number, guard in ORDERED:
        if number in skip or (numbers is not None and number not in numbers):
            continue
        detail = guard(ctx)
        if detail:
            out.append(refusal(number, detail))
    return out


def check(
    state: MemberFile,
    statement: Mapping[str, Any],
    world: World,
    settings: DomainSettings,
    recorded_on: date,
) -> list[Refusal]:
    """Every refusal of a member-stream statement, in guard order; [] means accept (§5.1)."""
    kind = statement["type"]
    if stream_kind(kind) == "unit":
        return check_unit_stream(statement, world)
    if stream_kind(kind) == "actor":
        return check_actor_stream(statement, world)
    record_type, body, _ = unwrap(statement)
    ctx = build(state, statement, record_type, body, world, settings, recorded_on)
    if kind == "HistoricalRecordEntered":
        entry = [r for r in _run(ctx, ENTRY_GUARDS) if r.guard in ENTRY_GUARDS]
        return entry + _enterer(state, statement, world, settings, recorded_on)
    refusals = _run(ctx)
    if kind == "Corrected" and not refusals:
        refusals = correction_invalidates_history(state, statement, world, settings)
    return refusals


def _enterer(
    state: MemberFile, statement: Mapping[str, Any], world: World, settings: DomainSettings, recorded_on: date
) -> list[Refusal]:
    """PH.1: the person entering paper records signs as SEC/BST@B, CST@C or ODS@D on the entry date."""
    entered = {**statement, "occurred_at": recorded_on.isoformat(), "type": "HistoricalRecordEntered"}
    ctx = build(state, entered, "HistoricalRecordEntered", statement["body"], world, settings, recorded_on)
    return _run(ctx, frozenset({5, 6, 7}))


def findings(
    state: MemberFile,
    statement: Mapping[str, Any],
    world: World,
    settings: DomainSettings,
    recorded_on: date,
) -> tuple[str, ...]:
    """§5.4: the codes the unwrapped 补录 record fails (guards 5–49, as if signed by its original signers)."""
    if statement["type"] != "HistoricalRecordEntered":
        return ()
    record_type, body, declared = unwrap(statement)
    ctx = build(state, statement, record_type, body, world, settings, recorded_on, declared)
    return tuple(r.code for r in _run(ctx) if r.guard not in ENTRY_GUARDS)


def correction_invalidates_history(
    state: MemberFile, statement: Mapping[str, Any], world: World, settings: DomainSettings
) -> list[Refusal]:
    """46 更正将使后续记录不成立: replay guards 5–44 over the stream with the correction applied."""
    log = (*state.log, (statement, "0" * 64, ""))
    corrected = replay(log)
    target = statement["body"]["corrects"]
    numbers = frozenset(range(5, 45))
    file = MemberFile()
    for (original, digest, recorded_at), entry in zip(state.log, corrected.entries, strict=False):
        current = original
        if digest == target:
            if statement["body"].get("withdrawn"):
                file = evolve_member(file, original, digest, recorded_at)
                continue
            current = {**original, "body": statement["body"]["replacement"]}
        recorded = day(recorded_at[:10]) or entry.occurred_at
        if original["type"] not in ("HistoricalRecordEntered", "Corrected"):
            ctx = build(file, current, current["type"], current["body"], world, settings, recorded)
            failed = _run(ctx, numbers)
            if failed:
                return [refusal(46, f"seq {original.get('seq')} would fail {failed[0].code}")]
        file = evolve_member(file, current, digest, recorded_at)
    return []


def evolve(
    state: S, statement: Mapping[str, Any], digest: str, recorded_at: str, found: tuple[str, ...] = ()
) -> S:
    """The next state of a stream (member file, or the registry for unit and actor streams)."""
    if isinstance(state, RegistryWorld):
        return state.apply(statement)  # type: ignore[return-value]
    return evolve_member(state, statement, digest, recorded_at, found)


@dataclass(frozen=True)
class Decision:
    """The outcome of one append: refusals (empty when accepted) and the state after it."""

    refusals: list[Refusal]
    state: MemberFile


def decide(
    state: MemberFile,
    statement: Mapping[str, Any],
    digest: str,
    recorded_at: str,
    world: World,
    settings: DomainSettings,
    recorded_on: date | None = None,
) -> Decision:
    """check, then (when accepted) findings and evolve: what the ledger calls for a member statement.

    `recorded_on` is the local date (`ledger_timezone`) of `recorded_at`; the UTC date when omitted.
    """
    recorded_on = recorded_on or day(recorded_at[:10]) or date.min
    refusals = check(state, statement, world, settings, recorded_on)
    if refusals:
        return Decision(refusals, state)
    found = findings(state, statement, world, settings, recorded_on)
    return Decision([], evolve_member(state, statement, digest, recorded_at, found))
