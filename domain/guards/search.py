"""Guards of 失控, 失联 and 查找 (16–20): the one-month and six-month rules, search signatures, co-signatures
and whether the search was sufficient."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.dates import add_months, day
from domain.guards.context import Ctx
from domain.member import Entry


def out_of_control_too_early(c: Ctx) -> str | None:
    """16 外出未超过一个月或已报告: the absence was reported, or is not over one month."""
    if c.type != "OutOfControlListed":
        return None
    absence = c.file.entry(str(c.body.get("absence")))
    if absence is None or absence.type != "AbsenceRecorded":
        return "no such absence"
    body = absence.body
    reported_on = day(body.get("reported_on"))
    departed = day(body.get("departed_on")) or c.t
    if body.get("reported_to_branch") or (reported_on is not None and reported_on <= c.t):
        return "absence reported"
    return "not over one month" if c.t <= add_months(departed, 1) else None


def under_six_months(c: Ctx) -> str | None:
    """17 与党组织失去联系未满六个月: L + threshold months against the reference date (§5.3)."""
    if c.type != "LostContactConfirmed":
        return None
    reference = day(c.body.get("reference_date")) or c.t
    last = [day(c.body.get("last_contact_date")) or date.min]
    last += [
        e.occurred_at
        for e in c.file.entries
        if e.type == "ParticipationRecorded"
        and e.body.get("kind") in ("org_life", "dues")
        and e.occurred_at <= reference
    ]
    due = add_months(max(last), c.settings.lost_contact_threshold_months)
    early = due > reference if c.settings.threshold_inclusive else due >= reference
    return f"L = {max(last)}, threshold reached {due}" if early else None


def _searchers(body: Mapping[str, Any]) -> list[object]:
    return list(body.get("searchers") or [])


def _key(actor: object) -> str:
    return str(actor.get("name")) if isinstance(actor, Mapping) else str(actor)


def search_needs_two_full_member_signers(c: Ctx) -> str | None:
    """18 查找记录须有至少两名正式党员签名: ≥ 2 distinct full-member searchers, the signer among them."""
    if c.type != "SearchAttemptRecorded":
        return None
    searchers = _searchers(c.body)
    keys = {_key(s) for s in searchers}
    if len(keys) < 2:
        return "fewer than two searchers"
    if any(c.standing(s, c.t) != "full" for s in searchers):
        return "a searcher is not a full member"
    signer = c.declared[0].name if c.declared else c.actor
    return None if signer in keys else "the signer is not a searcher"


def attestation_invalid(c: Ctx) -> str | None:
    """19 共同签署无效: the target is no search attempt here, or the attester is no other searcher, or repeats."""
    if c.type != "Attested":
        return None
    target = c.file.entry(str(c.body.get("attests")))
    if target is None or target.type != "SearchAttemptRecorded":
        return "target is not a search attempt of this stream"
    if c.actor not in {_key(s) for s in _searchers(target.body)}:
        return "attester is not among the searchers"
    if c.actor == target.actor:
        return "attester signed the attempt"
    again = [
        e
        for e in c.file.entries
        if e.type == "Attested" and e.actor == c.actor and e.body.get("attests") == target.hash
    ]
    return "already attested" if again else None


def full_signers(c: Ctx, attempt: Entry) -> set[str]:
    """The distinct full members who signed an attempt: its signer and its attesters (or, for 补录, the
    declared searchers with standing full)."""
    if attempt.historical:
        return {_key(s) for s in _searchers(attempt.body) if c.standing(s, attempt.occurred_at) == "full"}
    signers = {attempt.actor} | {
        e.actor
        for e in c.file.entries
        if e.type == "Attested" and e.body.get("attests") == attempt.hash and not e.withdrawn
    }
    return {a for a in signers if c.standing(a, attempt.occurred_at) == "full"}


def qualifying_attempts(c: Ctx) -> list[Entry]:
    """Attempts of the current case with at least two distinct full-member signers (guard 20)."""
    return [e for e in c.file.of_type("SearchAttemptRecorded") if len(full_signers(c, e)) >= 2]


def _clock_start(c: Ctx) -> date | None:
    s = c.file.suspension
    if s is None:
        return None
    return {"approval": s.approval, "decision": s.decision, "filing": s.filing}[
        c.settings.suspension_clock_start
    ]


def search_insufficient(c: Ctx) -> str | None:
    """20 查找不充分: too few qualifying attempts or methods, no 部门查找; for P10.1 none during suspension."""
    during_suspension = c.step_id == "P10.1" and not c.settings.direct_lapse_removal_allowed
    applies = (
        c.type == "UncontactableConfirmed"
        or c.step_id == "P10.1"
        or (c.step_id == "P3.1" and not c.file.contacted())
    )
    if not applies or (c.step is not None and 20 not in c.step.guards and c.type != "UncontactableConfirmed"):
        return None
    attempts = qualifying_attempts(c)
    if during_suspension:
        start = _clock_start(c)
        late = [e for e in attempts if start is not None and e.occurred_at >= start]
        return None if late else "no qualifying attempt during the suspension"
    methods = {e.body.get("method") for e in attempts}
    if len(attempts) < c.settings.min_search_attempts:
        return f"{len(attempts)} qualifying attempts"
    if len(methods) < c.settings.min_search_methods:
        return f"{len(methods)} methods"
    if c.settings.require_department_search and "department" not in methods:
        return "no department search"
    return None


def clock_start(c: Ctx) -> date | None:
    """The start of the 2-year window under `suspension_clock_start` ([C7])."""
    return _clock_start(c)
