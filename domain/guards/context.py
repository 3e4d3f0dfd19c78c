"""What a guard reads (守卫上下文): the member file, the statement (unwrapped for 补录), the signer as of
`occurred_at`, the member's levels, the step of §4 under the settings and the instance it joins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.cases import first_step, instance_to_join, settled_step, step_of, table_step
from domain.dates import day
from domain.levels import MemberLevels, UnitKind, member_levels
from domain.member import DeclaredSigner, Instance, MemberFile
from domain.procedures import PROCEDURES, Step
from domain.registry import ActorView, World
from domain.settings import DomainSettings


@dataclass(frozen=True)
class Ctx:
    """One statement under check."""

    file: MemberFile
    type: str
    body: Mapping[str, Any]
    t: date
    actor: str
    signer: ActorView | None
    world: World
    settings: DomainSettings
    recorded_on: date
    levels: MemberLevels | None
    path: str | None
    step_id: str | None
    step: Step | None
    instance: Instance | None
    starts_instance: bool
    historical: bool
    outer: Mapping[str, Any]
    declared: tuple[DeclaredSigner, ...] = ()

    @property
    def b_is_branch(self) -> bool:
        """Whether B is still a branch (else a committee or general branch acts, §1.2)."""
        if self.levels is None or self.levels.b is None:
            return True
        unit = self.world.unit(self.levels.b)
        return unit is None or unit.kind is UnitKind.BRANCH

    @property
    def remedial(self) -> bool:
        """A statement carrying `remedies` (PL.2a, PL.2b); `LookBackRectified.remedies` lists them instead."""
        return bool(self.body.get("remedies")) and self.type != "LookBackRectified"

    @property
    def is_path_statement(self) -> bool:
        """Carries `ref` of a path."""
        return self.path is not None

    def standing(self, actor: object, t: date) -> str | None:
        """An actor's own standing at t; a named person of a 补录 record carries its declared one."""
        if isinstance(actor, Mapping):
            return str(actor.get("standing")) if actor.get("standing") else None
        view = self.world.actor(str(actor), t)
        return view.standing if view is not None else None


def signer_view(world: World, actor: str, t: date, declared: tuple[DeclaredSigner, ...]) -> ActorView | None:
    """The signer at t; for 补录 the declared original signers (unit of the first, all their roles)."""
    if not declared:
        return world.actor(actor, t)
    unit = declared[0].unit
    roles = frozenset(s.role for s in declared if s.unit == unit)
    return ActorView(actor=declared[0].name, unit=unit, roles=roles, standing=declared[0].standing or "full")


def levels_for(
    file: MemberFile, body: Mapping[str, Any], kind: str, world: World, t: date
) -> MemberLevels | None:
    """B … D+ for the member at t (for a registration, from the home it names)."""
    home = body.get("home") if kind == "MemberRegistered" else file.home(t)
    record = body.get("record_body")
    if not home and kind == "HistoricalRecordEntered" and isinstance(record, Mapping):
        home = record.get("home")
    if not isinstance(home, str):
        return None
    try:
        return member_levels(world.tree(t), home, t)
    except ValueError:
        return None


def build(
    file: MemberFile,
    statement: Mapping[str, Any],
    kind: str,
    body: Mapping[str, Any],
    world: World,
    settings: DomainSettings,
    recorded_on: date,
    declared: tuple[DeclaredSigner, ...] = (),
) -> Ctx:
    """The context of one statement (already unwrapped when it is a 补录 record)."""
    t = day(statement["occurred_at"]) or date.min
    ref = body.get("ref")
    path = str(ref["path"]) if isinstance(ref, Mapping) else None
    step_id = step_of(kind, body)
    if path is not None and step_id is not None:
        step = settled_step(path, step_id, settings)
        uses_ref = path in PROCEDURES and PROCEDURES[path].uses_ref
        instance = (
            instance_to_join(file, path, step_id, remedial=bool(body.get("remedies"))) if uses_ref else None
        )
        starts = uses_ref and instance is None and step is not None and step_id == first_step(path)
    else:
        step, instance, starts = table_step(step_id), None, False
    return Ctx(
        file=file, type=kind, body=body, t=t, actor=str(statement.get("actor", "")),
        signer=signer_view(world, str(statement.get("actor", "")), t, declared), world=world,
        settings=settings, recorded_on=recorded_on, levels=levels_for(file, body, kind, world, t),
        path=path, step_id=step_id, step=step, instance=instance, starts_instance=starts,
        historical=bool(declared), outer=statement, declared=declared,
    )  # fmt: skip
