"""§7 scenarios of P1, P4 and P9 (10–13, 18–25, 34–35)."""

from __future__ import annotations

from api.demo.paths_contacted import P1_MATERIALS as P1_MATERIALS
from api.demo.paths_contacted import p1_approved, p1_talked
from api.demo.paths_correction import HUANG, p4_before_meeting, p4_proposed, p4_talked, through_p4_approval
from api.demo.paths_lapsed import p10_still_unreachable
from api.demo.paths_other import CAO, ZHAO, p9_approved, p9_filed, uncontactable_reviewed
from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import (
    approved,
    attach,
    confirm,
    guidance,
    investigate,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    search_review,
    three_attempts,
    uncontactable,
)
from tests.domain.engine_world import Member, doc

HUANG_AT_P41 = {
    **HUANG,
    "last": "2023-12-01",
    "inv": "2025-01-10",
    "talk": "2025-01-15",
    "attach": "2025-01-16",
}
"""黄海 as scenarios 18–25 date him (his investigation, talk and materials on three days)."""


def chen_chen(skip: str | None = None) -> Member:
    m = Member("陈晨")
    p1_talked(m, skip)
    return m


def test_p1_normal_management_approved_by_committee() -> None:
    m = chen_chen()
    p1_approved(m)
    assert m.file.state is MemberState.NORMAL and not m.file.case_open


def test_p1_needs_complete_investigation_and_referral() -> None:
    m = chen_chen(skip="police_check")
    p11 = opinion("P1", "P1.1", "normal_management", "2024-05-10")
    assert m.try_("CommitteeOpinionGiven", p11, "周明", "2024-05-10")[0] == "investigation-incomplete"
    finding = investigate(m, "police_check", "2024-05-07", finding="violation_suspected")
    assert m.try_("CommitteeOpinionGiven", p11, "周明", "2024-05-10")[0] == "violation-not-referred"
    m.add(
        "ViolationReferred",
        {"to": "public_security", "findings": [finding], "summary": "移送", "letter": doc("移送函")},
        "周明",
        "2024-05-08",
    )
    assert m.try_("CommitteeOpinionGiven", p11, "周明", "2024-05-10")[0] == "misconduct-found"


def test_p1_approval_needs_materials_level_and_date() -> None:
    m = chen_chen()
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-10"),
        "周明",
        "2024-05-10",
    )
    attach(m, "signed-application", "writeup", on="2024-05-12")
    body = approved("P1", "P1.3", "normal_management", "2024-05-20")
    assert m.try_("Approved", body, "孙波", "2024-05-20") == ["materials-missing"]
    attach(m, "recognition-form", on="2024-05-12")
    assert (
        m.try_(
            "Approved",
            approved("P1", "P1.3", "normal_management", "2024-05-20", at_c=False),
            "陈刚",
            "2024-05-20",
        )[0]
        == "approval-level"
    )
    assert (
        m.try_("Approved", approved("P1", "P1.3", "normal_management", "2024-05-08"), "孙波", "2024-05-08")[0]
        == "date-before-prerequisite"
    )


def test_p1_one_active_instance_each_step_once_known_steps_only() -> None:
    m = chen_chen()
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-10"),
        "周明",
        "2024-05-10",
    )
    p41 = opinion("P4", "P4.1", "correct_within_limit", "2024-05-11", correction_months=6)
    assert "path-already-active" in m.try_("CommitteeOpinionGiven", p41, "周明", "2024-05-11")
    assert m.try_(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-11"),
        "周明",
        "2024-05-11",
    ) == ["step-already-done"]
    bad = approved("P1", "P1.7", "normal_management", "2024-05-20")
    assert m.try_("Approved", bad, "孙波", "2024-05-20")[0] == "unknown-step"


def huang_hai_at_p41() -> Member:
    m = Member("黄海")
    p4_proposed(m, HUANG_AT_P41)
    return m


def huang_hai_before_meeting() -> Member:
    m = Member("黄海")
    p4_before_meeting(m, HUANG_AT_P41)
    return m


def test_p4_correction_approved_then_evaluated() -> None:
    m = Member("黄海")
    approval = through_p4_approval(m, {**HUANG_AT_P41, "p45": "2025-02-15"})
    assert m.file.state is MemberState.CORRECTING
    m.add("MemberNotified", notified("P4", "P4.7", approval), "周明", "2025-03-01")
    m.add("Announced", {"ref": ref("P4", "P4.8"), "scope": "branch_meeting"}, "周明", "2025-03-01")
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-08-31", "months": 6}
    assert m.try_("CorrectionPeriodSet", period, "周明", "2025-03-01") == ["correction-period-invalid"]
    m.add("CorrectionPeriodSet", {**period, "end": "2025-09-01"}, "周明", "2025-03-01")
    m.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "周明", "2025-04-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "corrected", "opinion": "已改正",
             "cmeeting": {"date": "2025-09-05", "members_total": 5, "members_present": 5, "members_for": 5}}  # fmt: skip
    assert m.try_("CorrectionPeriodEnded", ended, "周明", "2025-08-20") == ["correction-not-ended"]
    m.add("CorrectionPeriodEnded", ended, "周明", "2025-09-05")
    assert m.file.state is MemberState.NORMAL and not m.file.case_open


def test_p4_meeting_needs_agreed_pre_review() -> None:
    m = huang_hai_at_p41()
    body = meeting("P4", "P4.4", "correct_within_limit", correction_months=6)
    assert m.try_("GeneralMeetingResolved", body, "周明", "2025-02-14")[0] == "pre-review-not-agreed"
    m.add("PreReviewed", review("P4", "P4.2", "2025-02-05", result="return"), "孙波", "2025-02-05")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2025-02-14")[0] == "pre-review-not-agreed"
    m.add("PreReviewed", review("P4", "P4.2", "2025-02-06"), "孙波", "2025-02-06")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2025-02-14") == []


def test_p4_vote_needs_quorum_and_consistent_figures() -> None:
    m = huang_hai_before_meeting()

    def vote(e: int, p: int, f: int, a: int, s: int, outcome: str = "passed") -> list[str]:
        v = {"eligible_voters": e, "present_voters": p, "votes_for": f, "votes_against": a, "abstentions": s}
        return m.try_(
            "GeneralMeetingResolved",
            meeting("P4", "P4.4", "correct_within_limit", v, outcome, correction_months=6),
            "周明",
            "2025-02-14",
        )

    assert vote(25, 12, 11, 0, 1)[0] == "quorum-not-met"
    assert vote(25, 20, 12, 6, 3)[0] == "vote-arithmetic"
    assert vote(25, 20, 12, 6, 2)[0] == "vote-arithmetic"


def test_p4_not_passed_resolution_ends_instance() -> None:
    m = huang_hai_before_meeting()
    v = {"eligible_voters": 25, "present_voters": 20, "votes_for": 12, "votes_against": 6, "abstentions": 2}
    m.add(
        "GeneralMeetingResolved",
        meeting("P4", "P4.4", "correct_within_limit", v, "not_passed", correction_months=6),
        "周明",
        "2025-02-14",
    )
    assert m.file.instances[-1].end_reason == "not_passed"
    body = approved("P4", "P4.6", "correct_within_limit", "2025-02-26", correction_months=6)
    assert m.try_("Approved", body, "孙波", "2025-02-26")[0] == "resolution-not-passed"


def test_p4_signature_and_guidance_before_approval() -> None:
    base = huang_hai_at_p41()
    base.add("PreReviewed", review("P4", "P4.2", "2025-02-05"), "孙波", "2025-02-05")
    res = base.add(
        "GeneralMeetingResolved",
        meeting("P4", "P4.4", "correct_within_limit", correction_months=6),
        "周明",
        "2025-02-14",
    )
    assert base.try_(
        "SignatureRefusalNoted", refusal_note("P4", "P4.5", res, "other"), "周明", "2025-02-15"
    ) == ["signature-excuse-not-allowed"]
    body = approved("P4", "P4.6", "correct_within_limit", "2025-02-26", correction_months=6)
    m = base.fork()
    m.add("GuidanceAttended", guidance("P4", "P4.3", "2025-02-14"), "李静", "2025-02-14")
    assert m.try_("Approved", body, "孙波", "2025-02-26")[0] == "member-signature-missing"
    m = base.fork()
    m.add("SignatureRefusalNoted", refusal_note("P4", "P4.5", res, "illness"), "周明", "2025-02-15")
    assert m.try_("Approved", body, "孙波", "2025-02-26")[0] == "guidance-missing"


def test_p4_correction_months_within_settings() -> None:
    m = Member("黄海")
    p4_talked(m, HUANG_AT_P41)
    attach(m, "writeup", on="2025-01-16")
    body = opinion("P4", "P4.1", "correct_within_limit", "2025-01-20", correction_months=24)
    assert m.try_("CommitteeOpinionGiven", body, "周明", "2025-01-20") == ["correction-period-invalid"]


def test_p4_resolution_must_match_the_proposal() -> None:
    m = huang_hai_before_meeting()
    assert (
        m.try_("GeneralMeetingResolved", meeting("P4", "P4.4", "advise_withdrawal"), "周明", "2025-02-14")[0]
        == "outcome-mismatch"
    )


def zhao_lei_reviewed() -> Member:
    m = Member("赵磊")
    uncontactable_reviewed(m, ZHAO)
    return m


def test_p9_suspension_of_uncontactable_member() -> None:
    m = zhao_lei_reviewed()
    p9_approved(m, {**ZHAO, "attach": "2024-12-03"})
    assert m.file.state is MemberState.SUSPENDED_UNCONTACTABLE and m.file.case_open
    p9_filed(m, ZHAO)
    assert m.file.suspension is not None and str(m.file.suspension.approval) == "2024-12-27"


def test_p9_needs_committee_review_of_search_and_its_materials() -> None:
    m = Member("邓丽")
    register(m)
    confirm(m, "2024-05-02", last="2023-10-01")
    three_attempts(m)
    uncontactable(m)
    body = opinion("P9", "P9.1", "suspend_uncontactable", "2024-12-06", member_unreachable=True)
    attach(m, "writeup", on="2024-12-03")
    assert m.try_("CommitteeOpinionGiven", body, "周明", "2024-12-06") == ["step-out-of-order"]
    search_review(m)
    m.add("CommitteeOpinionGiven", body, "周明", "2024-12-06")
    m.add("GeneralMeetingResolved", meeting("P9", "P9.2", "suspend_uncontactable"), "周明", "2024-12-16")
    assert m.try_(
        "Approved", approved("P9", "P9.3", "suspend_uncontactable", "2024-12-27"), "孙波", "2024-12-27"
    ) == ["materials-missing"]


def cao_yu(settings: DomainSettings | None = None) -> Member:
    """曹宇 (scenario 36): suspended 2022-03-15 (materials attached 2022-02-01), sought again 2024-01-22."""
    m = Member("曹宇", settings=settings or DomainSettings())
    p10_still_unreachable(m, {**CAO, "attach": "2022-02-01"})
    return m


def test_unreachable_member_removed_only_after_two_years_suspended() -> None:
    body = opinion("P10", "P10.1", "remove_lapsed", "2024-03-14", member_unreachable=True)
    assert cao_yu().try_("CommitteeOpinionGiven", body, "周明", "2024-03-14") == [
        "suspension-under-two-years"
    ]
    decision_clock = DomainSettings(suspension_clock_start="decision")
    assert cao_yu(decision_clock).try_("CommitteeOpinionGiven", body, "周明", "2024-03-14") == []


def test_p10_needs_suspension_first_unless_direct_lapse() -> None:
    m = zhao_lei_reviewed()
    attach(m, "writeup", on="2024-12-03")
    body = opinion("P10", "P10.1", "remove_lapsed", "2024-12-06", member_unreachable=True)
    assert m.try_("CommitteeOpinionGiven", body, "周明", "2024-12-06")[0] == "step-not-allowed"
    direct = DomainSettings(direct_lapse_removal_allowed=True)
    assert m.try_("CommitteeOpinionGiven", body, "周明", "2024-12-06", settings=direct) == []
