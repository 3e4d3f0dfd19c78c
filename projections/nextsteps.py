"""The next allowed steps of a member (下一步可办理事项) and who may take them, read from the procedure tables.

With an active path instance: the steps of its path (under the settings) not yet done (or repeatable)
whose preconditions are on record (domain.cases.missing_pre). Without one: the disposition paths the
state allows (§3.2), each with its first step. Each step names its signers: level symbol, the units that
level denotes for this member, and the roles that may sign (§1.2, §1.3).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from domain.cases import first_step, missing_pre, waived
from domain.codes import ROLE
from domain.levels import MemberLevels, member_levels
from domain.member import Instance, MemberFile
from domain.procedures import PROCEDURES, Step, steps_for
from domain.registry import RegistryWorld
from domain.settings import DomainSettings
from domain.states import Allowance, MemberState, allowances_for

DISPOSITION_PATHS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "PR", "PX", "PN")


def levels_of(file: MemberFile, world: RegistryWorld, t: date) -> MemberLevels | None:
    """B … D+ for the member at t, or None when the home unit is unknown to the registry."""
    home = file.home(t)
    if not home:
        return None
    try:
        return member_levels(world.tree(t), home, t)
    except (ValueError, KeyError):
        return None


def describe_step(step: Step, levels: MemberLevels | None) -> dict[str, Any]:
    """A step as JSON: id, Chinese name, statement types, signers with level, units and roles."""
    return {
        "step": step.id,
        "name": step.name_zh,
        "statements": list(step.statements),
        "optional": step.optional,
        "signers": [
            {
                "level": signer.level.value,
                "level_label": signer.level.label_zh,
                "units": list(levels.units(signer.level)) if levels is not None else [],
                "roles": [{"code": r, "label": ROLE.label(r) if r in ROLE else r} for r in signer.roles],
            }
            for signer in step.signers
        ],
    }


def next_steps(
    file: MemberFile, world: RegistryWorld, settings: DomainSettings, t: date
) -> list[dict[str, Any]]:
    """The steps that may be taken next for this member (see the module docstring)."""
    if file.state is None or file.state.terminal:
        return []
    levels = levels_of(file, world, t)
    active = file.active_instances()
    if active:
        return [step for i in active for step in _instance_steps(file, i, levels, settings)]
    allowed = _allowed_names(file, settings)
    out = _search_steps(file, levels, allowed)
    for path in DISPOSITION_PATHS:
        if path not in allowed:
            continue
        step = _table_step(path, first_step(path))
        if not missing_pre(file, step, None, levels):
            out.append({"path": path, "path_name": PROCEDURES[path].name_zh, **describe_step(step, levels)})
    return out


SEARCH_STEPS = ("P0.4", "P0.7a", "P0.7b", "P0.8")
"""The P0 steps offered while a member is searched for (查找, 取得联系, 确认无法联系, 基层党委意见)."""


def _search_steps(
    file: MemberFile, levels: MemberLevels | None, allowed: frozenset[str]
) -> list[dict[str, Any]]:
    out = []
    for step_id in SEARCH_STEPS:
        step = _table_step("P0", step_id)
        if step.statements[0] in allowed and not missing_pre(file, step, None, levels):
            out.append({"path": "P0", "path_name": PROCEDURES["P0"].name_zh, **describe_step(step, levels)})
    return out


@functools.lru_cache(maxsize=8)
def _allowance_table(settings: DomainSettings) -> Mapping[str, tuple[Allowance, ...]]:
    """The allowance rows of every name ``next_steps`` asks about, looked up once per settings."""
    names = {*DISPOSITION_PATHS, *(PROCEDURES["P0"].step(s).statements[0] for s in SEARCH_STEPS)}
    return MappingProxyType({name: allowances_for(name, settings) for name in names})


def _allowed_names(file: MemberFile, settings: DomainSettings) -> frozenset[str]:
    """The paths and search statements of ``next_steps`` that the member's type, state and flags allow."""
    return _allowed(file.state, file.flags, file.member_type_at(date.max), settings)


@functools.lru_cache(maxsize=1024)
def _allowed(
    state: MemberState | None, flags: frozenset[str], member_type: str, settings: DomainSettings
) -> frozenset[str]:
    """``_allowed_names`` of every member with this state, flags and type: a few dozen combinations."""
    out = set()
    for name, rows in _allowance_table(settings).items():
        scope = PROCEDURES[name].applies_to.value if name in PROCEDURES else "both"
        if scope != "both" and scope != member_type:
            continue
        if any(state in a.states and (a.flag is None or a.flag in flags) for a in rows):
            out.add(name)
    return frozenset(out)


@functools.lru_cache(maxsize=256)
def _settled_steps(path: str, settings: DomainSettings) -> tuple[Step, ...]:
    """``steps_for`` remembered per path and settings (the tables and settings are constant)."""
    return tuple(steps_for(path, settings))


@functools.lru_cache(maxsize=256)
def _table_step(path: str, step_id: str) -> Step:
    """``PROCEDURES[path].step(step_id)`` remembered."""
    return PROCEDURES[path].step(step_id)


def _instance_steps(
    file: MemberFile, instance: Instance, levels: MemberLevels | None, settings: DomainSettings
) -> list[dict[str, Any]]:
    done = {s.step for s in instance.steps}
    out = []
    for step in _settled_steps(instance.path, settings):
        if step.case_level or (step.id in done and not step.repeatable):
            continue
        if waived(step.id, levels) or (step.gb_for is not None and step.gb_for in done):
            continue
        if missing_pre(file, step, instance, levels):
            continue
        path_name = PROCEDURES[instance.path].name_zh
        out.append({"path": instance.path, "path_name": path_name, **describe_step(step, levels)})
    return out
