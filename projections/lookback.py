"""回头看 (look-back, procedures §4.19): every disposed case checked after the fact, per member and per unit.

For each path instance whose ◆ step is on record (a disposition), the findings are:
- ``step-missing``: a precondition of the ◆ step (followed back through the pre column) with no step on
  record; ``step-out-of-order``: a step dated before a step its pre column names;
- ``member-signature-missing``: a resolution of a path that needs it with neither ``MemberSigned`` nor
  ``SignatureRefusalNoted``; ``vote-without-majority`` / ``quorum-not-met``: the resolution's own figures;
- ``materials-missing``: a material a step lists that is not attached in the case (rendered ones excepted);
- ``suspension-under-two-years``: a P10 自行脱党除名 effective before the 2-year window of the suspension ended;
- ``correction-pending``: a 回头看 ``LookBackReviewed`` rectify with no ``LookBackRectified`` yet;
- the 补录 findings (§5.4: every guard a paper record failed, e.g. ``wrong-level``) and ``late-entry``.
Pure over a member file: the read in projections.reads folds the members of a unit as of T.
"""

from __future__ import annotations

from typing import Any

from domain.asof import late_entries
from domain.dates import add_months
from domain.guards.meetings import passes
from domain.member import Instance, MemberFile
from domain.procedures import steps_for
from domain.procedures.model import Step
from domain.settings import DomainSettings

SIGNED_PATHS = frozenset({"P4", "P5", "P6", "P10"})
RENDERED = frozenset({"registration-form", "search-record", "branch-resolution", "committee-resolution",
                      "suspension-approval", "withdrawal-application", "restoration-application"})  # fmt: skip

FINDING_LABELS: dict[str, str] = {
    "step-missing": "缺少必经步骤",
    "step-out-of-order": "步骤顺序颠倒",
    "member-signature-missing": "缺少本人签字或拒签说明",
    "vote-without-majority": "表决未过半数",
    "quorum-not-met": "到会人数不足",
    "materials-missing": "缺少材料",
    "suspension-under-two-years": "停止党籍未满两年即作除名处置",
    "correction-pending": "回头看整改未完成",
    "late-entry": "逾期补记",
    "wrong-level": "审批层级不符",
}
"""Chinese labels of the finding codes above; other codes (the guards failed by 补录 records) show as codes."""


def _finding(
    code: str, inst: Instance | None, step: str | None, note: str, digest: str = ""
) -> dict[str, Any]:
    return {"code": code, "path": inst.path if inst else None, "case_no": inst.case_no if inst else None,
            "step": step, "note": note, "hash": digest}  # fmt: skip


def _chain(steps: dict[str, Step], inst: Instance, file: MemberFile, effect: str) -> list[dict[str, Any]]:
    """Missing and out-of-order steps behind the ◆ step."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    todo = [effect]
    case_types = {e.type for e in file.entries if e.case_no == inst.case_no and not e.withdrawn}
    while todo:
        step = steps.get(todo.pop())
        if step is None or step.id in seen:
            continue
        seen.add(step.id)
        mine = inst.latest(step.id)
        for pre in step.pre:
            on_record = [inst.latest(a.step) for a in pre.any_of if inst.latest(a.step) is not None]
            case_level = [a.step for a in pre.any_of if a.step in steps and steps[a.step].case_level]
            if on_record:
                todo.extend(s.step for s in on_record if s is not None)
                first = on_record[0]
                if mine is not None and first is not None and mine.occurred_at < first.occurred_at:
                    out.append(_finding("step-out-of-order", inst, step.id, f"dated before {first.step}"))
            elif case_level and any(t in case_types for a in case_level for t in steps[a].statements):
                continue
            elif not all(steps.get(a.step) is None or steps[a.step].optional for a in pre.any_of):
                out.append(_finding("step-missing", inst, pre.any_of[0].step, f"required before {step.id}"))
    return out


def instance_findings(file: MemberFile, inst: Instance, settings: DomainSettings) -> list[dict[str, Any]]:
    """The findings of one disposed instance."""
    steps = {s.id: s for s in steps_for(inst.path, settings)}
    effect = next((s for s in inst.steps if s.hash == inst.effect_hash), None)
    if effect is None:
        return []
    out = _chain(steps, inst, file, effect.step)
    attached = {
        e.body.get("form") for e in file.entries if e.type == "MaterialAttached" and e.case_no == inst.case_no
    }
    for done in inst.steps:
        step = steps.get(done.step)
        for material in step.materials if step else ():
            if material.code not in RENDERED and material.code not in attached:
                out.append(_finding("materials-missing", inst, done.step, material.code))
        if done.type == "GeneralMeetingResolved":
            body = effect_entry(file, done.hash).body
            vote = body.get("vote") or {}
            if vote and body.get("outcome") == "passed" and not passes(vote, settings.vote_pass_basis):
                out.append(_finding("vote-without-majority", inst, done.step, "passed without majority"))
            if vote and vote["present_voters"] * 2 <= vote["eligible_voters"]:
                out.append(_finding("quorum-not-met", inst, done.step, "meeting without quorum"))
            signed = [e for e in file.entries if e.type in ("MemberSigned", "SignatureRefusalNoted")
                      and e.body.get("resolution") == done.hash and not e.withdrawn]  # fmt: skip
            if inst.path in SIGNED_PATHS and not signed:
                out.append(_finding("member-signature-missing", inst, done.step, "no signature or note"))
    if inst.path == "P10" and file.suspension is not None:
        start = getattr(file.suspension, settings.suspension_clock_start) or file.suspension.approval
        if start is not None and effect.occurred_at < add_months(start, 24):
            out.append(_finding("suspension-under-two-years", inst, effect.step, f"clock start {start}"))
    return out


def effect_entry(file: MemberFile, digest: str) -> Any:
    """The entry of a hash (raises when missing: a step always has its entry)."""
    entry = file.entry(digest)
    if entry is None:
        raise KeyError(digest)
    return entry


def member_findings(file: MemberFile, settings: DomainSettings) -> list[dict[str, Any]]:
    """Every look-back finding of one member: per disposed instance, then 补录, corrections, late entries."""
    out: list[dict[str, Any]] = []
    for inst in file.instances:
        if inst.effect_hash is not None and inst.path not in ("PA", "PL", "PT", "PM"):
            out.extend(instance_findings(file, inst, settings))
    for finding in file.findings:
        out.append(_finding(finding.code, None, None, "补录", finding.hash))
    rectified = {h for e in file.entries if e.type == "LookBackRectified" for h in [e.body.get("lookback")]}
    for entry in file.entries:
        rectify = entry.type == "LookBackReviewed" and entry.body.get("conclusion") == "rectify"
        if rectify and entry.hash not in rectified:
            out.append(_finding("correction-pending", None, None, "整改未完成", entry.hash))
    for digest in late_entries(file, settings.late_entry_days, settings.ledger_timezone):
        out.append(_finding("late-entry", None, None, "补记", digest))
    return out


def disposed(file: MemberFile) -> list[Instance]:
    """The instances whose ◆ step is on record."""
    return [i for i in file.instances if i.effect_hash is not None]
