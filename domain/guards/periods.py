"""Guards of periods, windows and materials (36–41): 限期改正, 延长预备期, the 2-year window, 所需材料."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.dates import add_months, day
from domain.guards.context import Ctx
from domain.guards.search import clock_start, qualifying_attempts
from domain.member import EFFECTIVE, ENDED


def _applies(c: Ctx, number: int) -> bool:
    return c.step is not None and number in c.step.guards


def _p46(c: Ctx) -> tuple[int | None, date | None]:
    done = c.instance.latest("P4.6") if c.instance is not None else None
    entry = c.file.entry(done.hash) if done is not None else None
    return (entry.body.get("correction_months"), entry.occurred_at) if entry is not None else (None, None)


def correction_period_invalid(c: Ctx) -> str | None:
    """36 改正期限不符合规定: months outside the settings; P4.9 start, end or months wrong."""
    if not _applies(c, 36):
        return None
    s = c.settings
    months = c.body.get("correction_months")
    if months is not None and not s.correction_months_min <= months <= s.correction_months_max:
        return f"{months} months"
    if c.type == "CorrectionPeriodSet":
        approved_months, approved_on = _p46(c)
        start, end = day(c.body.get("start")), day(c.body.get("end"))
        if start is None or end is None or (approved_on is not None and start < approved_on):
            return "start before the approval"
        if end != add_months(start, c.body.get("months", 0)):
            return f"end should be {add_months(start, c.body.get('months', 0))}"
        if approved_months is not None and c.body.get("months") != approved_months:
            return "months differ from the approval"
    return None


def correction_not_ended(c: Ctx) -> str | None:
    """37 改正期未满或未开展教育帮扶: P4.11 before the end, or no education support in the period."""
    if not _applies(c, 37) or c.instance is None:
        return None
    period = c.instance.latest("P4.9")
    entry = c.file.entry(period.hash) if period is not None else None
    if entry is None:
        return None
    start, end = day(entry.body.get("start")), day(entry.body.get("end"))
    if end is not None and c.t < end:
        return f"period ends {end}"
    support = [
        e
        for e in c.file.of_type("EducationSupportRecorded")
        if start is not None and start <= e.occurred_at <= c.t
    ]
    return None if support else "no education support"


def extension_too_long(c: Ctx) -> str | None:
    """38 预备期只能延长一次，半年至一年: months outside the settings, or an extension already in effect."""
    if not _applies(c, 38):
        return None
    months = c.body.get("extension_months")
    s = c.settings
    if months is not None and not s.extension_months_min <= months <= s.extension_months_max:
        return f"{months} months"
    earlier = [
        i for i in c.file.instances
        if i.path == "PX" and i.effect_hash and i is not c.instance and i.end_reason != "revoked"
        and i.status in (EFFECTIVE, ENDED)
    ]  # fmt: skip
    return "probation already extended" if earlier else None


def _window_end(c: Ctx) -> date | None:
    start = clock_start(c)
    return add_months(start, 24) if start is not None else None


def suspension_under_two_years(c: Ctx) -> str | None:
    """39 停止党籍未满二年: P10.1 before the window end (§5.3)."""
    if not _applies(c, 39):
        return None
    end = _window_end(c)
    return f"window ends {end}" if end is not None and c.t < end else None


def restoration_after_two_years(c: Ctx) -> str | None:
    """40 已超过停止党籍二年期限: `RestorationApplied` on or after the window end."""
    if c.type != "RestorationApplied":
        return None
    end = _window_end(c)
    return f"window ended {end}" if end is not None and c.t >= end else None


def _attached(c: Ctx) -> set[str]:
    codes = {str(e.body.get("form")) for e in c.file.of_type("MaterialAttached")}
    for e in c.file.scope():
        if e.historical:
            codes |= {str(s.get("form")) for s in _sources(c, e.hash) if s.get("form")}
    if c.outer.get("type") == "HistoricalRecordEntered":  # the record's own scans count at its own step
        codes |= {str(s.get("form")) for s in c.outer["body"].get("sources") or () if s.get("form")}
    return codes


def _sources(c: Ctx, digest: str) -> list[dict[str, object]]:
    for statement, h, _ in c.file.log:
        if h == digest:
            return list(statement["body"].get("sources") or [])
    return []


APPLICATIONS = {
    "withdrawal-application": "WithdrawalApplied",
    "restoration-application": "RestorationApplied",
}
"""Materials that are the `application` of a member's written application in the case (§2.10)."""


def _present(c: Ctx, code: str) -> bool:
    inst = c.instance
    rendered: dict[str, Callable[[], bool]] = {
        "registration-form": lambda: True,
        "search-record": lambda: bool(qualifying_attempts(c)),
        "branch-resolution": lambda: (
            inst is not None and inst.latest_of("GeneralMeetingResolved") is not None
        ),
        "committee-resolution": lambda: inst is not None and inst.latest_of("Approved") is not None,
        "suspension-approval": lambda: any(
            i.path == "P9" and i.latest("P9.3") and i.latest("P9.4") for i in c.file.instances
        ),
    }
    if code in APPLICATIONS:  # the statement's own `application` counts at its own step (P7.0, PR.0)
        return c.type == APPLICATIONS[code] or bool(c.file.of_type(APPLICATIONS[code]))
    if code in rendered:
        return bool(rendered[code]())
    return code in _attached(c)


def materials_missing(c: Ctx) -> str | None:
    """41 缺少所需材料: a material the step lists is not present (§2.10)."""
    if c.step is None or not c.step.materials:
        return None
    contacted = c.file.contacted()
    for material in c.step.materials:
        if material.contacted is not None and material.contacted != contacted:
            continue
        if material.with_step and (c.instance is None or c.instance.latest(material.with_step) is None):
            continue  # e.g. P3.3: branch-resolution only "when P3.2 held"; guard 43 reports a missing P3.2
        if material.code == "search-record" and c.type == "SearchAttemptRecorded":
            continue
        if not _present(c, material.code):
            return f"{material.code} missing"
    return None
