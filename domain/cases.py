"""Cases and path instances (案件与处置程序, procedures.md §3.3): which instance a path statement joins,
what a step's result is, whether a pre of §4 is on record, and how an instance moves on.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.levels import Level, MemberLevels
from domain.member import ACTIVE, EFFECTIVE, ENDED, Entry, Instance, MemberFile, Snapshot, StepDone, renewed
from domain.procedures import PROCEDURES, Pre, Step, find_step, steps_for
from domain.settings import DomainSettings

CASE_STEPS: Mapping[str, str] = {
    "AbsenceRecorded": "P0.1",
    "OutOfControlListed": "P0.2",
    "LostContactConfirmed": "P0.3",
    "SearchAttemptRecorded": "P0.4",
    "ConductInvestigated": "P0.5",
    "ViolationReferred": "P0.6",
    "ContactRestored": "P0.7a",
    "UncontactableConfirmed": "P0.7b",
    "DeathConfirmed": "P0.9",
    "EducationSupportRecorded": "P4.10",
    "WithdrawalApplied": "P7.0",
    "RestorationApplied": "PR.0",
    "PocketMemberFlagged": "PT.3",
    "RelationTransferred": "PT.1",
    "TransferReissued": "PT.1r",
    "RelationReceived": "PT.2",
    "MobileCertificateIssued": "PM.1",
}
"""The (c) or side-procedure step each statement type without `ref` performs (for pre, materials, level)."""

SEARCH_RECORD_REVIEW = "P0.8"
RESULT_FIELDS = ("result", "answer", "finding")


def result_of(statement_type: str, body: Mapping[str, Any]) -> str | None:
    """The result a step carries: agree/disagree/return, passed/not_passed, accepts/refuses, a finding."""
    if statement_type == "GeneralMeetingResolved":
        return str(body.get("outcome"))
    if statement_type in ("Approved", "Rejected"):
        return "approved" if statement_type == "Approved" else "rejected"
    for name in RESULT_FIELDS:
        if isinstance(body.get(name), str):
            return str(body[name])
    return None


def step_of(statement_type: str, body: Mapping[str, Any]) -> str | None:
    """The step id a statement performs: its `ref.step`, P0.8 for a search-record review, or the (c) step."""
    ref = body.get("ref")
    if isinstance(ref, Mapping):
        return str(ref.get("step"))
    if statement_type == "Reviewed":
        return SEARCH_RECORD_REVIEW
    return CASE_STEPS.get(statement_type)


def table_step(step_id: str | None) -> Step | None:
    """The step as the tables write it, or None."""
    if step_id is None:
        return None
    return _table_step(step_id)


@functools.lru_cache(maxsize=4096)
def _table_step(step_id: str) -> Step | None:
    """``find_step`` remembered: the tables are constant and the fold asks for a step per statement."""
    try:
        return find_step(step_id)
    except (KeyError, IndexError):
        return None


def settled_step(path: str, step_id: str, settings: DomainSettings) -> Step | None:
    """The step under the settings' switches, or None when the path has no such step (guard 11)."""
    if path not in PROCEDURES:
        return None
    return next((s for s in steps_for(path, settings) if s.id == step_id), None)


@functools.lru_cache(maxsize=64)
def first_step(path: str) -> str:
    """The first step of a path that is neither (c) nor optional: the one that starts an instance."""
    return next(s.id for s in PROCEDURES[path].steps if not s.case_level and not s.optional)


def instance_to_join(file: MemberFile, path: str, step_id: str, *, remedial: bool = False) -> Instance | None:
    """The existing instance a path statement belongs to; None when it starts a new one (§3.3)."""
    pool = file.instances if remedial else tuple(i for i in file.instances if i.case_no == file.case_no)
    found = [i for i in pool if i.path == path]
    latest = found[-1] if found else None
    if latest is None:
        return None
    if latest.status != ACTIVE and step_id == first_step(path) and latest.done(step_id):
        return None
    return latest


def is_effect(step: Step | None, statement_type: str, body: Mapping[str, Any]) -> bool:
    """Whether this statement is the ◆ step taking effect (P5.10 only when accepting, P7.1 when passed)."""
    if step is None or not step.effect:
        return False
    return step.result is None or result_of(statement_type, body) == step.result


def ending(statement_type: str, result: str | None) -> str | None:
    """Why a statement ends its instance, if it does (§3.3)."""
    if statement_type in ("PreReviewed", "Reviewed") and result == "disagree":
        return "not_agreed"
    if statement_type == "Rejected":
        return "rejected"
    if statement_type == "GeneralMeetingResolved" and result == "not_passed":
        return "not_passed"
    if statement_type == "PathWithdrawn":
        return "withdrawn"
    return None


def advance(file: MemberFile, entry: Entry, before: Snapshot | None) -> tuple[Instance, ...]:
    """The instances after a path statement `entry` (the caller passes the snapshot before the state change)."""
    ref = entry.ref
    if ref is None:
        return file.instances
    path, step_id = ref
    if path not in PROCEDURES or not PROCEDURES[path].uses_ref:
        return file.instances
    remedial = bool(entry.body.get("remedies"))
    joined = instance_to_join(file, path, step_id, remedial=remedial)
    instance = joined or Instance(path=path, case_no=file.case_no, started=entry.hash)
    result = result_of(entry.type, entry.body)
    instance = renewed(
        instance,
        steps=(*instance.steps, StepDone(step_id, entry.hash, entry.type, result, entry.occurred_at)),
    )
    if entry.type == "CommitteeOpinionGiven":
        instance = renewed(instance, proposed=entry.body.get("proposed"))
    step = table_step(step_id)
    reason = ending(entry.type, result)
    if remedial:
        pass
    elif is_effect(step, entry.type, entry.body) and instance.status == ACTIVE:
        instance = renewed(
            instance, status=EFFECTIVE, effect_hash=entry.hash, effect_on=entry.occurred_at, before=before
        )
    elif reason is not None and instance.status == ACTIVE:
        instance = renewed(instance, status=ENDED, end_reason=reason)
    if instance.status == EFFECTIVE and step_id == PROCEDURES[path].steps[-1].id:
        instance = renewed(instance, status=ENDED, end_reason="completed")
    if joined is None:
        return (*file.instances, instance)
    return tuple(instance if i is joined else i for i in file.instances)


def supersede(instances: tuple[Instance, ...], case_no: int, paths: frozenset[str]) -> tuple[Instance, ...]:
    """T6: an open P3, P9 or P11 instance ends `superseded` when contact is restored."""
    return tuple(
        renewed(i, status=ENDED, end_reason="superseded")
        if i.status == ACTIVE and i.case_no == case_no and i.path in paths
        else i
        for i in instances
    )


def waived(step_id: str, levels: MemberLevels | None) -> bool:
    """A pre that cannot apply to this member: a GB review where no GB exists, C reviewing itself (§1.2)."""
    step = table_step(step_id)
    if step is None or levels is None:
        return False
    if step.gb_for and levels.gb is None:
        return True
    return step.skip_when_b_is_c and levels.b_is_c


def _case_step_entries(file: MemberFile, step: Step) -> list[Entry]:
    """The entries in scope that record a (c) step: one of its statement types, with the body it fixes."""
    fixed = [(k, v) for k, v in step.fixed.items() if "." not in k]
    statements = step.statements
    return [e for e in file.of_type(*statements) if all(e.body.get(k, v) == v for k, v in fixed)]


def pre_records(file: MemberFile, pre: Pre, instance: Instance | None) -> list[tuple[str, date]]:
    """The records satisfying one pre of §4: (result, date) for each; empty when none is on record."""
    found: list[tuple[str, date]] = []
    for alt in pre.any_of:
        step = table_step(alt.step)
        if step is None:
            continue
        if step.case_level or not PROCEDURES[alt.step.split(".")[0]].uses_ref:
            entries = _case_step_entries(file, step)
            if alt.step == SEARCH_RECORD_REVIEW:
                entries = [e for e in entries if e.body.get("subject") == "search_record"]
            records = [(result_of(e.type, e.body) or "", e.occurred_at) for e in entries]
        else:
            records = [(s.result or "", s.occurred_at) for s in (instance.done(alt.step) if instance else ())]
        if alt.results:
            records = records if step.case_level else records[-1:]
            records = [r for r in records if r[0] in alt.results]
        found.extend(records)
    return found


def missing_pre(
    file: MemberFile, step: Step, instance: Instance | None, levels: MemberLevels | None
) -> list[Pre]:
    """The pres of `step` with no record (waived ones left out)."""
    return [
        p
        for p in step.pre
        if not all(waived(s, levels) for s in p.steps) and not pre_records(file, p, instance)
    ]


def pre_dates(file: MemberFile, step: Step, instance: Instance | None) -> list[date]:
    """For each pre on record, the earliest date that satisfies it (guard 42 compares `occurred_at`)."""
    out = []
    for p in step.pre:
        records = pre_records(file, p, instance)
        if records:
            out.append(min(d for _, d in records))
    return out


def level_units(levels: MemberLevels | None, level: Level) -> tuple[str, ...]:
    """The units acting at `level` for the member (empty when unknown)."""
    return levels.units(level) if levels is not None else ()
