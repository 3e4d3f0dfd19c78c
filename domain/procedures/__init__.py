"""Every procedure table of procedures.md §4 as data, and the step list a deployment's settings give.

`PROCEDURES` maps P0…P11, PR, PX, PN, PT, PM, PA, PL, PH to their `Procedure`; `steps_for(path, settings)`
applies the path's switches (§5.5) and returns its steps in table order. One generic engine (the guards)
reads these tables; adding a path means adding a table, not a branch of `if`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from domain.procedures.contacted import P1, P2, P3, P4
from domain.procedures.leaving import P5, P6, P7, P8
from domain.procedures.membership import PN, PR, PX
from domain.procedures.model import ANY, Material, MemberScope, Pre, PreAlt, Procedure, Signer, Step
from domain.procedures.other import PA, PH, PL, PM, PT
from domain.procedures.search import P0
from domain.procedures.switches import Switch, When
from domain.procedures.uncontacted import P9, P10, P11
from domain.settings import DomainSettings

PROCEDURES: Mapping[str, Procedure] = MappingProxyType(
    {p.id: p for p in (P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, PR, PX, PN, PT, PM, PA, PL, PH)}
)
"""Every §4 table by path id, in the page's order."""


def steps_for(path: str, settings: DomainSettings) -> list[Step]:
    """The steps of `path` under `settings`, in table order; `KeyError` for an unknown path."""
    steps = PROCEDURES[path].steps
    for switch in PROCEDURES[path].switches:
        if switch.holds(settings):
            steps = switch.apply(steps)
    return list(steps)


def find_step(step_id: str) -> Step:
    """The step with this id in the tables as written (before settings); `KeyError` when none has it."""
    path = step_id.split(".")[0]
    return PROCEDURES[path].step(step_id)


__all__ = [
    "ANY",
    "PROCEDURES",
    "Material",
    "MemberScope",
    "Pre",
    "PreAlt",
    "Procedure",
    "Signer",
    "Step",
    "Switch",
    "When",
    "find_step",
    "steps_for",
]
