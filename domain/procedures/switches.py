"""Settings that change a procedure table (procedures.md §5.5), as data: a condition and a list of edits.

A `Switch` holds when every `When` holds for the `DomainSettings`; its actions then edit the step list.
Each action is a small frozen value with `apply` (pure: steps in, steps out) and `describe` (for the page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from domain.procedures.model import Pre, PreAlt, Step
from domain.settings import DomainSettings

Steps = tuple[Step, ...]


@dataclass(frozen=True)
class When:
    """`setting` equals `value`, or (with `contains`) the setting's list contains `value`."""

    setting: str
    value: object
    contains: bool = False

    def holds(self, settings: DomainSettings) -> bool:
        """Whether the condition holds for these settings."""
        actual = getattr(settings, self.setting)
        return self.value in actual if self.contains else bool(actual == self.value)

    def describe(self) -> str:
        """The condition as the page prints it."""
        value = str(self.value).lower() if isinstance(self.value, bool) else str(self.value)
        return f"{value} ∈ `{self.setting}`" if self.contains else f"`{self.setting}` = {value}"


class Action(Protocol):
    """An edit of a step list."""

    def apply(self, steps: Steps) -> Steps:
        """The edited steps (unchanged when the named step is absent)."""
        ...

    def describe(self) -> str:
        """The edit as the page prints it."""
        ...


def _edit(steps: Steps, step_id: str, change: Callable[[Step], Step]) -> Steps:
    return tuple(change(s) if s.id == step_id else s for s in steps)


def _without(pre: tuple[Pre, ...], step_id: str) -> tuple[Pre, ...]:
    kept = (Pre(tuple(a for a in p.any_of if a.step != step_id)) for p in pre)
    return tuple(p for p in kept if p.any_of)


@dataclass(frozen=True)
class DropStep:
    """Remove a step. A pre that named only it is replaced by its own pre (A → X → B becomes A → B); an
    "or" that loses it keeps its other alternatives; materials tied to it (`with_step`) go too."""

    step: str

    def apply(self, steps: Steps) -> Steps:
        dropped = next((s for s in steps if s.id == self.step), None)
        if dropped is None:
            return steps
        return tuple(self._rewire(s, dropped) for s in steps if s.id != self.step)

    def _rewire(self, s: Step, dropped: Step) -> Step:
        pre: list[Pre] = []
        for p in s.pre:
            if self.step not in p.steps:
                pre.append(p)
            elif len(p.any_of) > 1:
                pre.append(Pre(tuple(a for a in p.any_of if a.step != self.step)))
            else:
                pre.extend(q for q in dropped.pre if q not in pre)
        materials = tuple(m for m in s.materials if m.with_step != self.step)
        return replace(s, pre=tuple(pre), materials=materials)

    def describe(self) -> str:
        return f"{self.step} is left out"


@dataclass(frozen=True)
class DropPre:
    """Stop requiring `pre_step` before `step`."""

    step: str
    pre_step: str

    def apply(self, steps: Steps) -> Steps:
        return _edit(steps, self.step, lambda s: replace(s, pre=_without(s.pre, self.pre_step)))

    def describe(self) -> str:
        return f"{self.step} no longer needs {self.pre_step}"


@dataclass(frozen=True)
class AddPre:
    """Require `pre_step` (with one of `results`, if given) before `step`."""

    step: str
    pre_step: str
    results: tuple[str, ...] = ()

    def apply(self, steps: Steps) -> Steps:
        extra = Pre((PreAlt(self.pre_step, self.results),))
        return _edit(steps, self.step, lambda s: replace(s, pre=(*s.pre, extra)))

    def describe(self) -> str:
        results = " " + "/".join(self.results) if self.results else ""
        return f"{self.step} also needs {self.pre_step}{results}"


@dataclass(frozen=True)
class RequireStep:
    """Make an optional step required, as a pre of the step `before`."""

    step: str
    before: str

    def apply(self, steps: Steps) -> Steps:
        if all(s.id != self.step for s in steps):
            return steps
        steps = _edit(steps, self.step, lambda s: replace(s, optional=False))
        return AddPre(self.before, self.step).apply(steps)

    def describe(self) -> str:
        return f"{self.step} is required before {self.before}"


@dataclass(frozen=True)
class DropMaterial:
    """Stop checking material `code` at `step`."""

    step: str
    code: str

    def apply(self, steps: Steps) -> Steps:
        def keep_others(s: Step) -> Step:
            return replace(s, materials=tuple(m for m in s.materials if m.code != self.code))

        return _edit(steps, self.step, keep_others)

    def describe(self) -> str:
        return f"{self.step} no longer checks {self.code}"


@dataclass(frozen=True)
class DropGuard:
    """Stop applying guard `guard` at `step`."""

    step: str
    guard: int

    def apply(self, steps: Steps) -> Steps:
        return _edit(
            steps, self.step, lambda s: replace(s, guards=tuple(sorted(set(s.guards) - {self.guard})))
        )

    def describe(self) -> str:
        return f"guard {self.guard} does not apply to {self.step}"


@dataclass(frozen=True)
class AddGuard:
    """Apply guard `guard` at `step` as well."""

    step: str
    guard: int

    def apply(self, steps: Steps) -> Steps:
        return _edit(steps, self.step, lambda s: replace(s, guards=tuple(sorted({*s.guards, self.guard}))))

    def describe(self) -> str:
        return f"guard {self.guard} applies to {self.step}"


@dataclass(frozen=True)
class SetChoices:
    """Allow exactly `values` in body field `field` at `step`."""

    step: str
    field: str
    values: tuple[str, ...]

    def apply(self, steps: Steps) -> Steps:
        return _edit(steps, self.step, lambda s: replace(s, choices={**s.choices, self.field: self.values}))

    def describe(self) -> str:
        return f"{self.step} `{self.field}` ∈ {{{', '.join(self.values)}}}"


@dataclass(frozen=True)
class Switch:
    """When every condition holds, the actions edit the steps, in order."""

    when: tuple[When, ...]
    actions: tuple[Action, ...]
    note: str = ""

    def holds(self, settings: DomainSettings) -> bool:
        """Whether the switch is on for these settings."""
        return all(w.holds(settings) for w in self.when)

    def apply(self, steps: Steps) -> Steps:
        """The steps after every action."""
        for action in self.actions:
            steps = action.apply(steps)
        return steps

    def describe(self) -> str:
        """The switch as one line of the page."""
        condition = " and ".join(w.describe() for w in self.when)
        edits = "; ".join(a.describe() for a in self.actions)
        note = f" ({self.note})" if self.note else ""
        return f"when {condition}: {edits}{note}"
