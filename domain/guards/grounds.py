"""Guards of the investigation and the path's situation (21–26): INV complete, violations referred,
misconduct, suspension, the ground of each path (处置情形) and the retention threshold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.guards.context import Ctx
from domain.member import Entry
from domain.states import SUSPENDED

LETTER_CHECKS = frozenset({"employer_letter", "residence_org_letter"})
AUTHORITY_CHECKS = ("discipline_check", "police_check")
MISCONDUCT = frozenset({"unqualified_conduct", "violation_suspected"})
LOST_IDEALS = frozenset({"ideals_lacking", "political_stance_wavering"})


def _applies(c: Ctx, number: int) -> bool:
    return c.starts_instance and c.step is not None and number in c.step.guards


def investigation_incomplete(c: Ctx) -> str | None:
    """21 调查核实不完整: a required check has no `ConductInvestigated`, or 纪检/公安 gave no reply."""
    if not _applies(c, 21):
        return None
    checks = c.file.of_type("ConductInvestigated")
    done = {e.body.get("check") for e in checks}
    for group in c.settings.required_conduct_checks:
        if not done & set(group):
            return f"no {'/'.join(group)}"
    for kind in AUTHORITY_CHECKS:
        latest = [e for e in checks if e.body.get("check") == kind]
        if latest and latest[-1].body.get("finding") == "no_reply":
            return f"{kind} unanswered"
    return None


def violation_not_referred(c: Ctx) -> str | None:
    """22 违纪违法线索未移送纪检、公安: a violation_suspected finding not cited by a `ViolationReferred`."""
    if not _applies(c, 22):
        return None
    cited = {h for e in c.file.of_type("ViolationReferred") for h in e.body.get("findings", ())}
    open_ = [
        e
        for e in c.file.of_type("ConductInvestigated")
        if e.body.get("finding") == "violation_suspected" and e.hash not in cited
    ]
    return "violation finding not referred" if open_ else None


def misconduct_found(c: Ctx) -> str | None:
    """23 存在不合格表现或违纪违法行为: P1.1 with such a finding in the case."""
    if not _applies(c, 23):
        return None
    bad = [e for e in c.file.of_type("ConductInvestigated") if e.body.get("finding") in MISCONDUCT]
    return "misconduct finding" if bad else None


def suspended_needs_restoration(c: Ctx) -> str | None:
    """24 停止党籍期间须先恢复党籍: P1, P2, P4, PX while CONTACTED with `suspended`."""
    if not _applies(c, 24):
        return None
    return "membership suspended" if SUSPENDED in c.file.flags else None


def _talks(c: Ctx, kind: str | None = None) -> list[Entry]:
    return [e for e in c.file.of_type("TalkHeld") if kind is None or e.body.get("kind") == kind]


def _attitudes(e: Entry) -> set[str]:
    return set(e.body.get("attitude", ()))


def _persists(c: Ctx, attitude: str) -> bool:
    """A talk showing `attitude`, followed by a later education talk that still shows it."""
    talks = _talks(c)
    for i, first in enumerate(talks):
        if attitude in _attitudes(first):
            later = talks[i + 1 :]
            if any(t.body.get("kind") == "education" and attitude in _attitudes(t) for t in later):
                return True
    return False


def _findings(c: Ctx, finding: str) -> list[Entry]:
    return [e for e in c.file.of_type("ConductInvestigated") if e.body.get("finding") == finding]


def _p1(c: Ctx) -> bool:
    talks = _talks(c, "education")
    return bool(talks) and {"recognises_problem", "willing_to_participate"} <= _attitudes(talks[-1])


def _abroad(c: Ctx) -> Mapping[str, Any]:
    abroad = c.body.get("abroad")
    return abroad if isinstance(abroad, Mapping) else {}


def _p2(c: Ctx) -> bool:
    return bool(_abroad(c)) and _abroad(c).get("settled") is False


def _p3(c: Ctx) -> bool:
    if _abroad(c).get("settled") is not True:
        return False
    if c.file.contacted():
        return True
    return any(
        e.body.get("result") == "settled_abroad_established" for e in c.file.of_type("SearchAttemptRecorded")
    )


def _p4(c: Ctx) -> bool:
    talks = _talks(c, "verification")
    wants = any({"wants_to_stay", "willing_to_correct"} <= _attitudes(t) for t in talks)
    return bool(_findings(c, "unqualified_conduct")) and wants


def _not_changed(c: Ctx) -> bool:
    return any(e.body.get("result") == "not_changed" for e in c.file.of_type("CorrectionPeriodEnded"))


def _lost_ideals(c: Ctx) -> bool:
    return any(LOST_IDEALS & set(e.body.get("criteria") or ()) for e in _findings(c, "unqualified_conduct"))


def _insists(c: Ctx) -> bool:
    return bool(c.file.of_type("WithdrawalApplied")) or _persists(c, "insists_withdrawal")


GROUND_RULES: Mapping[str, Callable[[Ctx], bool]] = {
    "threat": lambda c: _persists(c, "threatens_withdrawal"),
    "no_change_after_correction": _not_changed,
    "lost_ideals": _lost_ideals,
    "insists_withdrawal": _insists,
}
"""Grounds of P5 and P6 (§4.6, §4.7): each named ground must be established."""

PATH_RULES: Mapping[str, Callable[[Ctx], bool]] = {
    "P1": _p1,
    "P2": _p2,
    "P3": _p3,
    "P4": _p4,
    "P8": lambda c: bool(c.body.get("grounds")),
    "P11": lambda c: bool(c.body.get("grounds")),
    "PN": lambda c: bool([e for e in _findings(c, "file_defect") if e.body.get("check") == "file_check"]),
}
"""Situations of the other paths (guard 25)."""


def ground_not_established(c: Ctx) -> str | None:
    """25 处置情形不成立: the situation the path requires is not on record."""
    if not _applies(c, 25) or c.path is None:
        return None
    rule = PATH_RULES.get(c.path)
    if rule is not None:
        return None if rule(c) else f"{c.path} situation not established"
    grounds = [g for g in c.body.get("grounds", ()) if g in GROUND_RULES]
    if not grounds:
        return "no ground given"
    failing = [g for g in grounds if not GROUND_RULES[g](c)]
    return f"ground {failing[0]} not established" if failing else None


def abroad_below_threshold(c: Ctx) -> str | None:
    """26 出国（境）时间未达保留条件: P2.1 with `planned_months` below `retention_min_abroad_months`."""
    if c.step is None or 26 not in c.step.guards:
        return None
    months = _abroad(c).get("planned_months") or 0
    return f"{months} months" if months < c.settings.retention_min_abroad_months else None
