"""Guards of order and publicity (42–44): dates before prerequisites, steps out of order, public announcements."""

from __future__ import annotations

from domain.cases import missing_pre, pre_dates
from domain.dates import day
from domain.guards.context import Ctx
from domain.guards.structural import instance_ended
from domain.states import CASE_FAMILY_PATHS, CASE_FAMILY_STATEMENTS


def date_before_prerequisite(c: Ctx) -> str | None:
    """42 日期早于前置步骤: before the case opened, before a pre step, or guidance on another day."""
    case_statement = c.type in CASE_FAMILY_STATEMENTS or c.path in CASE_FAMILY_PATHS
    opened = c.file.case_opened_at
    if case_statement and c.file.case_open and opened is not None and c.t < opened:
        return f"before the case opened {opened}"
    if c.step is not None:
        late = [d for d in pre_dates(c.file, c.step, c.instance) if d > c.t]
        if late:
            return f"before a prerequisite dated {late[0]}"
    if c.type == "GuidanceAttended" and c.instance is not None and c.step is not None:
        meeting = next(
            (cond.split()[2] for cond in c.step.conditions if cond.startswith("meeting_date")), None
        )
        held = c.instance.latest(meeting) if meeting else None
        if held is not None and day(c.body.get("meeting_date")) != held.occurred_at:
            return "guidance on another day than the meeting"
    return None


def step_out_of_order(c: Ctx) -> str | None:
    """43 步骤顺序不符: a pre of this step is not on record (or its instance has ended)."""
    if c.step is None or (not c.is_path_statement and not c.step.pre):
        return None
    if c.is_path_statement and instance_ended(c):
        return "the instance has ended"
    missing = missing_pre(c.file, c.step, c.instance, c.levels)
    return f"missing {missing[0].steps}" if missing else None


def announcement_public(c: Ctx) -> str | None:
    """44 处置工作不得公开宣传报道: `Announced` with scope public."""
    return "public announcement" if c.type == "Announced" and c.body.get("scope") == "public" else None
