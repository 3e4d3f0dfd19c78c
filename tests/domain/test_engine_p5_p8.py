"""§7 scenarios 26–33 (P4 correction of a resolution, P5 劝退, P6 自行脱党除名, P7 退党, P8 取消预备)."""

from __future__ import annotations

from datetime import date

from api.demo.paths_advice import (
    p5_accepted,
    p5_advised,
    p5_cared_for,
    p5_refused,
    p5_removed_after_refusal,
    p51,
    through_p55,
)
from api.demo.paths_contacted import P7_VOTE, p7_applied, p8_approved
from api.demo.paths_correction import HUANG, through_p4_approval
from api.demo.paths_correction import not_changed_after_correction as not_changed
from api.demo.paths_lapsed import lapsed_checked, lapsed_lost, p6_decided
from domain.engine import check as check_statement
from domain.states import MemberState
from tests.domain.engine_steps import (
    approved,
    attach,
    confirm,
    contact,
    filed,
    guidance,
    inv_ok,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    register,
    review,
)
from tests.domain.engine_world import A, Member


def test_correction_that_breaks_the_vote_of_an_approved_resolution_is_refused() -> None:
    m = Member("黄海")
    through_p4_approval(m, HUANG)
    p44 = next(e for e in m.file.entries if e.ref == ("P4", "P4.4"))
    vote = {**p44.body["vote"], "votes_for": 12}
    body = {"corrects": p44.hash, "reason": "票数更正", "replacement": {**p44.body, "vote": vote}}
    assert m.try_("Corrected", body, "周明", "2025-03-02") == ["correction-invalidates-history"]
    refusals = check_statement(m.file, m.statement("Corrected", body, A["周明"], "2025-03-02"), m.world, m.settings,
                     date(2025, 3, 2))  # fmt: skip
    assert f"seq {p44.seq} would fail vote-arithmetic" in refusals[0].detail
    ok = {**p44.body, "text": "决议（更正错字）"}
    m.add("Corrected", {"corrects": p44.hash, "reason": "错字", "replacement": ok}, "周明", "2025-03-02")


def not_changed_after_correction(name: str) -> Member:
    """罗平 / 贺军: P4.6 2024-03-20, P4.9 2024-03-25, support 2024-05-10, P4.11 not_changed 2024-09-30."""
    m = Member(name)
    not_changed(m)
    assert m.file.state is MemberState.CONTACTED
    return m


def advised(name: str) -> Member:
    m = not_changed_after_correction(name)
    p5_advised(m, through_p55(m))
    assert m.file.state is MemberState.ADVISED
    return m


def test_p5_member_accepts_advice_to_withdraw() -> None:
    m = advised("罗平")
    h = p5_accepted(m)
    assert m.file.state is MemberState.REMOVED_ADVISED and not m.file.case_open
    p5_cared_for(m, h)


def test_p5_member_who_refuses_is_removed_by_meeting_and_department() -> None:
    m = advised("贺军")
    body = meeting("P5", "P5.11", "remove_after_refusal")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2024-12-15")[0] == "answer-pending"
    silent = {"ref": ref("P5", "P5.10"), "answer": "no_answer"}
    assert m.try_("WithdrawalAdviceAnswered", silent, "周明", "2024-12-20") == ["answer-pending"]
    p5_refused(m)
    assert m.file.state is MemberState.ADVISED
    p5_removed_after_refusal(m)
    assert m.file.state is MemberState.REMOVED_ADVISED


def test_p5_meeting_needs_the_department_pre_review() -> None:
    m = not_changed_after_correction("罗平")
    m.add("CommitteeOpinionGiven", p51(), "周明", "2024-10-08")
    m.add("PreReviewed", review("P5", "P5.2", "2024-10-15"), "孙波", "2024-10-15")
    m.add("GuidanceAttended", guidance("P5", "P5.4", "2024-11-08"), "李静", "2024-11-08")
    body = meeting("P5", "P5.5", "advise_withdrawal")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2024-11-08")[0] == "pre-review-not-agreed"


def test_p5_approval_belongs_to_the_department() -> None:
    m = not_changed_after_correction("罗平")
    res = through_p55(m)
    m.add("SignatureRefusalNoted", refusal_note("P5", "P5.6", res, "refused"), "周明", "2024-11-09")
    m.add("Reviewed", review("P5", "P5.7", "2024-11-14", subject="resolution"), "孙波", "2024-11-14")
    body = approved("P5", "P5.8", "advise_withdrawal", "2024-11-26")
    assert m.try_("Approved", body, "孙波", "2024-11-26")[0] == "approval-level"


def xie_jun() -> Member:
    """谢军: confirmed 2023-12-01, contacted 2024-02-05, INV with lost ideals, verification talk."""
    m = Member("谢军")
    lapsed_lost(m)
    contact(m, "2024-02-05")  # this module's `contact`: tests/projections/stories.py puts a search before it
    lapsed_checked(m)
    return m


def test_p5_no_change_ground_needs_an_ended_correction_period() -> None:
    m = xie_jun()
    assert m.try_("CommitteeOpinionGiven", p51("2024-02-26"), "周明", "2024-02-26")[0] == (
        "ground-not-established"
    )


def removed_lapsed_xie_jun() -> tuple[Member, str]:
    """Scenario 30 up to P6.9: returns 谢军 and the hash of P6.8."""
    m = xie_jun()
    return m, p6_decided(m)


def test_p6_member_who_lost_ideals_removed_as_lapsed() -> None:
    m, _ = removed_lapsed_xie_jun()
    assert m.file.state is MemberState.REMOVED_LAPSED and not m.file.case_open
    m.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "周明", "2024-04-28")


def test_p6_for_full_and_p8_for_probationary_members() -> None:
    liu = Member("刘洋")
    register(liu, member_type="probationary", joined="2023-05-10")
    confirm(liu, "2024-03-01", last="2023-08-20")
    contact(liu, "2024-11-05")
    inv_ok(liu, "2024-11-05")
    attach(liu, "writeup", on="2024-11-05")
    p61 = {**opinion("P6", "P6.1", "remove_lapsed", "2024-11-06"), "grounds": ["lost_ideals"]}
    assert liu.try_("CommitteeOpinionGiven", p61, "周明", "2024-11-06")[0] == "full-member-only"
    huang = Member("黄海")
    register(huang)
    confirm(huang, "2024-06-10", last="2023-12-01")
    contact(huang, "2025-01-18")
    attach(huang, "writeup", on="2025-01-18")
    p81 = {**opinion("P8", "P8.1", "cancel_probation", "2025-01-20"), "grounds": ["ignores_membership"]}
    assert huang.try_("CommitteeOpinionGiven", p81, "周明", "2025-01-20")[0] == "probationary-only"


def tang_min() -> Member:
    """唐敏: confirmed 2023-11-20, contacted 2024-02-20, written withdrawal application 2024-03-04."""
    m = Member("唐敏")
    p7_applied(m)
    return m


def test_p7_voluntary_withdrawal_decided_by_the_meeting_and_filed_at_committee() -> None:
    m = tang_min()
    res = m.add(
        "GeneralMeetingResolved", meeting("P7", "P7.1", "remove_withdrawn", P7_VOTE), "周明", "2024-03-15"
    )
    assert m.file.state is MemberState.REMOVED_WITHDRAWN and not m.file.case_open
    m.add("MemberNotified", notified("P7", "P7.2", res), "周明", "2024-03-18")
    assert m.try_("Filed", filed("P7", "P7.3", "withdrawal"), "陈刚", "2024-03-22")[0] == "wrong-level"
    m.add("Filed", filed("P7", "P7.3", "withdrawal"), "李静", "2024-03-22")
    assert m.file.instances[-1].end_reason == "completed"


def test_p8_probation_of_contacted_member_cancelled() -> None:
    m = Member("刘洋")
    h = p8_approved(m)
    assert m.file.state is MemberState.PROBATION_CANCELLED and not m.file.case_open
    m.add("MemberNotified", notified("P8", "P8.4", h), "周明", "2024-12-12")
