"""Structural guards (结构性守卫) 1–15: registration, 补录 entry, dates, signer role, unit and level, case,
state, step and member type. Each returns None when it passes, or a short English detail when it fails."""

from __future__ import annotations

from datetime import timedelta

from domain.cases import level_units
from domain.guards.context import Ctx
from domain.levels import Level
from domain.member import ACTIVE, ENDED
from domain.procedures import PROCEDURES, MemberScope
from domain.signers import B_LEVELS, TYPE_ROLES, TYPE_SIGNERS, widen
from domain.statements import EXCLUDED_RECORD_TYPES
from domain.states import CASE_FAMILY_PATHS, CASE_FAMILY_STATEMENTS, allowances_for

HISTORICAL = "HistoricalRecordEntered"
EARLY_LIVE_TYPES = frozenset(
    {"MemberRegistered", "MemberDataCorrected", "ParticipationRecorded", "MaterialAttached"}
)
"""Live statements that do not close 补录 (guard 2)."""
OWN_SIGNER_RULES = frozenset({"Attested", "Corrected"})
TARGET_LEVELS = frozenset({Level.APPROVING, Level.REMEDIED})
"""Levels checked by guards 47–49 and 48 instead of guard 7."""


def member_not_registered(c: Ctx) -> str | None:
    """1 党员尚未登记: only `MemberRegistered` (or its 补录) may start a member stream."""
    if c.file.registered or c.type == "MemberRegistered":
        return None
    return "empty stream"


def historical_not_allowed(c: Ctx) -> str | None:
    """2 不符合补录条件: type not allowed, dated on or after the home unit's live_from, or live records exist."""
    if c.outer["type"] != HISTORICAL:
        return None
    if c.type in EXCLUDED_RECORD_TYPES:
        return f"{c.type} cannot be entered from paper"
    home = c.body.get("home") if c.type == "MemberRegistered" else c.file.home(c.t)
    unit = c.world.unit(str(home)) if home else None
    if unit is not None and unit.live_from is not None and c.t >= unit.live_from:
        return f"dated on or after live_from {unit.live_from}"
    live = [e for e in c.file.entries if not e.historical and e.type not in EARLY_LIVE_TYPES]
    return f"live {live[0].type} on the stream" if live else None


def historical_source_missing(c: Ctx) -> str | None:
    """3 补录须附原件扫描件: every source needs sha256, media_type and title."""
    if c.outer["type"] != HISTORICAL:
        return None
    sources = c.outer["body"].get("sources") or []
    if not sources:
        return "no sources"
    incomplete = [
        i for i, s in enumerate(sources) if not all(s.get(k) for k in ("sha256", "media_type", "title"))
    ]
    return f"source {incomplete[0]} incomplete" if incomplete else None


def future_date(c: Ctx) -> str | None:
    """4 发生日期晚于当前日期: `occurred_at` after the recording date plus `clock_skew_days`."""
    limit = c.recorded_on + timedelta(days=c.settings.clock_skew_days)
    return f"{c.t} > {limit}" if c.t > limit else None


def wrong_role(c: Ctx) -> str | None:
    """5 签署人无权签署此类记录: the signer holds none of the roles §2 lists for the type."""
    roles = TYPE_ROLES.get(c.type)
    if c.type in OWN_SIGNER_RULES or roles is None:
        return None
    if c.signer is None:
        return "signer not registered at occurred_at"
    allowed = widen(roles, c.b_is_branch)
    return None if c.signer.roles & allowed else f"roles {sorted(c.signer.roles)} not in {sorted(allowed)}"


def unit_dissolved(c: Ctx) -> str | None:
    """6 签署人所在组织已撤销: the signer's unit has a `UnitDissolved` dated on or before `occurred_at`."""
    if c.signer is None or c.signer.unit is None:
        return None
    unit = c.world.unit(c.signer.unit)
    if unit is not None and unit.dissolved_on is not None and unit.dissolved_on <= c.t:
        return f"unit dissolved {unit.dissolved_on}"
    return None


def wrong_level(c: Ctx) -> str | None:
    """7 组织层级不符: the signer's unit is not the unit the step's (or type's) level denotes at t."""
    if c.type in OWN_SIGNER_RULES or c.type in ("Approved", "Rejected") or c.signer is None:
        return None
    specs = c.step.signers if c.is_path_statement and c.step is not None else TYPE_SIGNERS.get(c.type)
    if not specs or any(s.level in TARGET_LEVELS for s in specs):
        return None
    for spec in specs:
        units = _receiving(c) if spec.level is Level.RECEIVING else level_units(c.levels, spec.level)
        roles = (
            widen(frozenset(spec.roles), c.b_is_branch) if spec.level in B_LEVELS else frozenset(spec.roles)
        )
        if c.signer.unit in units and c.signer.roles & roles:
            return None
    return f"unit {c.signer.unit} does not act at {[str(s.level) for s in specs]}"


def _receiving(c: Ctx) -> tuple[str, ...]:
    letters = c.file.of_type("RelationTransferred", "TransferReissued")
    match = [e.body.get("to_unit") for e in letters if e.body.get("letter_no") == c.body.get("letter_no")]
    return tuple(str(u) for u in match if u)


def approval_level(c: Ctx) -> str | None:
    """8 审批层级不符: `Approved` / `Rejected` signed outside the path's approving unit (C, D or D+)."""
    if (
        c.type not in ("Approved", "Rejected")
        or c.path is None
        or c.path not in PROCEDURES
        or c.signer is None
    ):
        return None
    level = PROCEDURES[c.path].approving_level
    if level is None:
        return f"{c.path} has no approval"
    units = level_units(c.levels, level)
    return None if c.signer.unit in units else f"approval of {c.path} belongs to {level}"


def _completion(c: Ctx) -> bool:
    return c.instance is not None and c.instance.effect_hash is not None and not c.starts_instance


def case_not_open(c: Ctx) -> str | None:
    """9 该党员无在办案件: a case-family statement while no case is open (completion steps excepted)."""
    family = c.type in CASE_FAMILY_STATEMENTS or (c.path in CASE_FAMILY_PATHS and c.is_path_statement)
    if not family or c.file.case_open or _completion(c):
        return None
    return "no open case"


def step_not_allowed(c: Ctx) -> str | None:
    """10 当前状态不允许此步骤: the type or path is not allowed in the member's state (§3.2)."""
    state = c.file.state
    if c.type == "MemberRegistered":
        return None if state is None else "already registered"
    if state is None or _completion(c):
        return None
    name = c.path if c.is_path_statement and c.path is not None else c.type
    for row in allowances_for(name, c.settings):
        if row.after_effect or state not in row.states:
            continue
        if row.flag is not None and row.flag not in c.file.flags:
            continue
        if all(c.body.get(cond.field) in cond.values for cond in row.when):
            return None
    return f"{name} not allowed in {state}"


def unknown_step(c: Ctx) -> str | None:
    """11 程序中无此步骤: `ref.step` is not a step of `ref.path`, or that step is signed by another type."""
    if not c.is_path_statement or c.type == "PathWithdrawn":
        return None
    if c.step is None:
        return f"no step {c.step_id} in {c.path}"
    return None if c.type in c.step.statements else f"{c.step_id} is not a {c.type}"


def path_already_active(c: Ctx) -> str | None:
    """12 已有处置程序在办: the first statement of an instance while another instance is active."""
    if not c.starts_instance:
        return None
    active = [i for i in c.file.active_instances() if i.status == ACTIVE]
    return f"{active[0].path} is active" if active else None


def step_already_done(c: Ctx) -> str | None:
    """13 该步骤已完成: the instance already holds this step (unless its latest result is `return`)."""
    if c.instance is None or c.step is None or c.step.repeatable or c.starts_instance:
        return None
    done = [s for s in c.instance.done(c.step.id) if s.type == c.type]
    if not done or done[-1].result == "return":
        return None
    return f"{c.step.id} already on record"


def _scope(c: Ctx) -> MemberScope | None:
    if c.path is None or c.path not in PROCEDURES:
        return None
    return PROCEDURES[c.path].applies_to


def full_member_only(c: Ctx) -> str | None:
    """14 仅适用于正式党员: P3–P6, P9, P10 for a probationary member."""
    if _scope(c) is MemberScope.FULL and c.file.member_type_at(c.t) != "full":
        return "probationary member"
    return None


def probationary_only(c: Ctx) -> str | None:
    """15 仅适用于预备党员: P8, P11, PX for a full member."""
    if _scope(c) is MemberScope.PROBATIONARY and c.file.member_type_at(c.t) == "full":
        return "full member"
    return None


def instance_ended(c: Ctx) -> bool:
    """The statement names an instance that ended without completing (used by guard 43)."""
    inst = c.instance
    return (
        inst is not None and inst.status == ENDED and inst.end_reason != "completed" and not c.starts_instance
    )
