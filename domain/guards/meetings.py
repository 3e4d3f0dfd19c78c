"""Guards of pre-reviews, meetings, votes, guidance and signatures (27–35, §5.3 vote rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.cases import result_of, table_step
from domain.dates import day
from domain.guards.context import Ctx
from domain.member import StepDone
from domain.procedures import steps_for


def _applies(c: Ctx, number: int) -> bool:
    return c.step is not None and number in c.step.guards


def pre_review_not_agreed(c: Ctx) -> str | None:
    """27 预审未同意: a required `PreReviewed` of the instance is missing or not agreed."""
    if not _applies(c, 27) or c.path is None:
        return None
    for step in steps_for(c.path, c.settings):
        if "PreReviewed" not in step.statements or (
            step.skip_when_b_is_c and c.levels is not None and c.levels.b_is_c
        ):
            continue
        latest = c.instance.latest(step.id) if c.instance is not None else None
        if latest is None or latest.result != "agree":
            return f"{step.id} not agreed"
    return None


def _meeting(body: Mapping[str, Any]) -> Mapping[str, Any]:
    m = body.get("cmeeting")
    return m if isinstance(m, Mapping) else {}


def quorum_not_met(c: Ctx) -> str | None:
    """28 到会人数未过半数: present × 2 ≤ eligible (meeting) or members_present × 2 ≤ members_total."""
    vote = c.body.get("vote") if c.type == "GeneralMeetingResolved" else None
    if isinstance(vote, Mapping) and vote["present_voters"] * 2 <= vote["eligible_voters"]:
        return "general meeting without quorum"
    m = _meeting(c.body)
    if m and m.get("members_present", 0) * 2 <= m.get("members_total", 0):
        return "committee without quorum"
    return None


def passes(vote: Mapping[str, Any], basis: str) -> bool:
    """§5.3: for × 2 > eligible (basis eligible) or > present (basis present)."""
    base = vote["eligible_voters"] if basis == "eligible" else vote["present_voters"]
    return bool(vote["votes_for"] * 2 > base)


def vote_arithmetic(c: Ctx) -> str | None:
    """29 表决数据不一致: impossible figures, or an `outcome` the figures do not give."""
    vote = c.body.get("vote") if c.type == "GeneralMeetingResolved" else None
    if isinstance(vote, Mapping):
        counted = vote["votes_for"] + vote["votes_against"] + vote["abstentions"]
        if (
            vote["eligible_voters"] == 0
            or vote["present_voters"] > vote["eligible_voters"]
            or counted > vote["present_voters"]
        ):
            return "impossible vote figures"
        computed = "passed" if passes(vote, c.settings.vote_pass_basis) else "not_passed"
        if c.body.get("outcome") != computed:
            return f"figures give {computed}"
    m = _meeting(c.body)
    if m and (
        m.get("members_present", 0) > m.get("members_total", 0)
        or m.get("members_for", 0) > m.get("members_present", 0)
    ):
        return "impossible committee figures"
    return None


def _latest_resolution(c: Ctx) -> StepDone | None:
    return c.instance.latest_of("GeneralMeetingResolved") if c.instance is not None else None


def _body_of(c: Ctx, done: StepDone | None) -> Mapping[str, Any]:
    entry = c.file.entry(done.hash) if done is not None else None
    return entry.body if entry is not None else {}


def outcome_mismatch(c: Ctx) -> str | None:
    """30 决议或审批结论与处置意见不一致: outcome differs from the step's or the instance's proposal, or months differ."""
    if c.type not in ("GeneralMeetingResolved", "Approved") or c.step is None:
        return None
    outcome = c.body.get("resolution" if c.type == "GeneralMeetingResolved" else "outcome")
    if c.step.outcome is not None and outcome != c.step.outcome:
        return f"{outcome} is not {c.step.outcome}"
    proposed = c.instance.proposed if c.instance is not None else None
    if proposed is not None and outcome != proposed and c.step.outcome is None:
        return f"{outcome} is not the proposal {proposed}"
    earlier = c.instance.latest_of("GeneralMeetingResolved") if c.type == "Approved" and c.instance else None
    if earlier is None and c.instance is not None:
        earlier = c.instance.latest_of("CommitteeOpinionGiven")
    previous = _body_of(c, earlier)
    for months in ("correction_months", "extension_months"):
        if (
            previous.get(months) is not None
            and c.body.get(months) is not None
            and previous[months] != c.body[months]
        ):
            return f"{months} differs"
    return None


def resolution_not_passed(c: Ctx) -> str | None:
    """31 决议未获通过: the instance's latest resolution did not pass, or the committee did not agree."""
    if not c.is_path_statement:
        return None
    latest = _latest_resolution(c)
    if latest is not None and c.type != "GeneralMeetingResolved" and latest.result != "passed":
        return "the resolution did not pass"
    agreeing = c.type == "Approved" or (
        c.type in ("PreReviewed", "Reviewed") and c.body.get("result") == "agree"
    )
    m = _meeting(c.body)
    if agreeing and m and m.get("members_for", 0) * 2 <= m.get("members_total", 0):
        return "the committee did not agree by majority"
    return None


def guidance_missing(c: Ctx) -> str | None:
    """32 基层党委未派人到会指导: no `GuidanceAttended` at C on the day of the meeting."""
    if not _applies(c, 32) or c.instance is None:
        return None
    meeting = _latest_resolution(c)
    for done in c.instance.steps:
        entry = c.file.entry(done.hash)
        if done.type != "GuidanceAttended" or entry is None:
            continue
        unit = entry.signers[0].unit if entry.signers else _signer_unit(c, entry.actor, entry.occurred_at)
        signed_at_c = c.levels is not None and unit == c.levels.c  # a 补录 record: its declared signer
        if signed_at_c and meeting is not None and day(entry.body.get("meeting_date")) == meeting.occurred_at:
            return None
    return "no guidance at the meeting"


def _signer_unit(c: Ctx, actor: str, t: Any) -> str | None:
    view = c.world.actor(actor, t)
    return view.unit if view is not None else None


def member_signature_missing(c: Ctx) -> str | None:
    """33 缺少本人签字或未签字的注明: no signature or note naming the latest resolution."""
    if not _applies(c, 33) or c.instance is None:
        return None
    meeting = _latest_resolution(c)
    names = {
        c.file.entry(s.hash).body.get("resolution")  # type: ignore[union-attr]
        for s in c.instance.steps
        if s.type in ("MemberSigned", "SignatureRefusalNoted") and c.file.entry(s.hash) is not None
    }
    return None if meeting is not None and meeting.hash in names else "no signature or note"


def signature_excuse_not_allowed(c: Ctx) -> str | None:
    """34 该不签字理由不适用: the reason is not one the path allows ([C5])."""
    if c.type != "SignatureRefusalNoted" or c.step is None:
        return None
    allowed = c.step.choices.get("reason")
    if c.path == "P4":
        allowed = tuple(c.settings.p4_signature_excuses)
    reason = c.body.get("reason")
    return f"{reason} not allowed" if allowed is not None and reason not in allowed else None


def answer_pending(c: Ctx) -> str | None:
    """35 尚待本人答复: P5.11a / P5.11 before a refusal or no answer; no_answer before `answer_due`."""
    if c.step_id in ("P5.11a", "P5.11"):
        answers = (
            [s.result for s in c.instance.steps if s.type == "WithdrawalAdviceAnswered"] if c.instance else []
        )
        return None if {"refuses", "no_answer"} & set(answers) else "no refusal or lapse yet"
    if (
        c.type == "WithdrawalAdviceAnswered"
        and c.body.get("answer") == "no_answer"
        and c.instance is not None
    ):
        advised = c.instance.latest_of("WithdrawalAdvised")
        due = day(_body_of(c, advised).get("answer_due"))
        if due is not None and c.t < due:
            return f"answer due {due}"
    return None


def step_result(c: Ctx) -> str | None:
    """The result this statement carries (for logs)."""
    return result_of(c.type, c.body) if table_step(c.step_id) else None
