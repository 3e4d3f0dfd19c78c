"""The shapes of a procedure table (procedures.md §4.0): steps, signers, preconditions, materials, paths.

Statement types and roles are their exact names as strings (`"CommitteeOpinionGiven"`, `"SEC"`); `ANY` in a
role or statement list stands for "the remedied step's own" (PL.2a, PL.2b).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.levels import Level

if TYPE_CHECKING:
    from domain.procedures.switches import Switch

ANY = "*"
"""Stands for the remedied step's own role or statement type (PL.2a, PL.2b)."""

BodyValue = str | bool


class MemberScope(StrEnum):
    """Which member type a path applies to (guards 14 `full-member-only`, 15 `probationary-only`)."""

    FULL = "full"
    PROBATIONARY = "probationary"
    BOTH = "both"

    @property
    def label(self) -> str:
        """The Chinese name of the scope."""
        return {"full": "正式党员", "probationary": "预备党员", "both": "正式或预备党员"}[self.value]


@dataclass(frozen=True)
class Signer:
    """Who signs a step at one level: the level symbol (§1.2) and the roles (§1.3) that may sign there."""

    level: Level
    roles: tuple[str, ...]


@dataclass(frozen=True)
class PreAlt:
    """A step that must be on record, optionally with its result among `results` (e.g. agree, passed)."""

    step: str
    results: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pre:
    """One precondition: any one of its alternatives satisfies it (the "or" of the pre column)."""

    any_of: tuple[PreAlt, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        """The step ids this precondition names."""
        return tuple(alt.step for alt in self.any_of)


@dataclass(frozen=True)
class Material:
    """A material code (§2.10) checked at a step (guard 41).

    `contacted` restricts it to contacted (True) or not-contacted (False) members; `with_step` to instances
    in which that step is part of the path under the settings (e.g. branch-resolution only when P3.2 is).
    """

    code: str
    contacted: bool | None = None
    with_step: str | None = None


@dataclass(frozen=True)
class Step:
    """One row of a §4 table.

    `outcome` is the outcome code the step's `proposed` / `resolution` / `outcome` must carry; `fixed` holds
    other body values the table fixes (subject, kind, filed_kind, …); `result` is the result that lets the
    path go on (agree, passed, accepts); `choices` restricts a body field to the listed values. The §4.0
    marks are `case_level` ((c): no `ref`), `repeatable` (rep), `optional` (opt) and `effect` (◆).
    `skip_when_b_is_c` marks C's reviews of B's own act, skipped when B is C (§1.2); `gb_for` marks a GB
    review and names the C step it precedes (§4.0). `conditions` are the pre column's other conditions,
    `guards` the §5.2 guard numbers that name this step.
    """

    id: str
    name_zh: str
    name_en: str
    signers: tuple[Signer, ...]
    statements: tuple[str, ...]
    outcome: str | None = None
    fixed: Mapping[str, BodyValue] = field(default_factory=dict)
    result: str | None = None
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pre: tuple[Pre, ...] = ()
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    guards: tuple[int, ...] = ()
    case_level: bool = False
    repeatable: bool = False
    optional: bool = False
    effect: bool = False
    skip_when_b_is_c: bool = False
    gb_for: str | None = None
    notes: str = ""

    @property
    def levels(self) -> tuple[Level, ...]:
        """Every level at which the step may be signed, in table order."""
        return tuple(s.level for s in self.signers)

    @property
    def level(self) -> Level:
        """The step's main level (the first one the table names)."""
        return self.signers[0].level

    @property
    def pre_steps(self) -> tuple[str, ...]:
        """Every step id named in the pre column."""
        return tuple(s for p in self.pre for s in p.steps)

    @property
    def marks(self) -> tuple[str, ...]:
        """The §4.0 marks in their printed form: (c), rep, opt, ◆."""
        flags = (
            (self.case_level, "(c)"),
            (self.repeatable, "rep"),
            (self.optional, "opt"),
            (self.effect, "◆"),
        )
        return tuple(text for on, text in flags if on)


@dataclass(frozen=True)
class Procedure:
    """A §4 table with its heading data.

    `outcomes` are the §2.0 outcome codes the path decides; `approving_level` is guard 8's level (C, D or
    D+), None where no `Approved` exists (P0, P7, PT…); `filing_level` is where `Filed` goes; `uses_ref`
    says whether its statements carry `ref` (§2.0); `applies_to` is the member type of guards 14–15.
    `switches` are the settings that change the step list (§5.5), applied by `steps_for`.
    """

    id: str
    name_zh: str
    name_en: str
    seeds: tuple[str, ...]
    steps: tuple[Step, ...]
    outcomes: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    approving_level: Level | None = None
    filing_level: Level | None = None
    applies_to: MemberScope = MemberScope.BOTH
    start: str = ""
    column: str = ""
    uses_ref: bool = True
    switches: tuple[Switch, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def effect_steps(self) -> tuple[Step, ...]:
        """The ◆ steps: their `occurred_at` is the outcome's effective date."""
        return tuple(s for s in self.steps if s.effect)

    def step(self, step_id: str) -> Step:
        """The step with this id; `KeyError` when the table has none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)
