"""§7 scenarios 37, 38 (second half) and 39 (P10 自行脱党除名 after two years, P11 取消预备 uncontactable)."""

from __future__ import annotations

from domain.states import MemberState
from tests.domain.engine_steps import (
    approved,
    attach,
    attempt,
    confirm,
    d_review,
    guidance,
    meeting,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    search_review,
    uncontactable,
)
from tests.domain.engine_world import Member
from tests.domain.test_engine_paths import cao_yu


def cao_yu_after_vote() -> tuple[Member, str]:
    """曹宇 (scenario 36, default settings) through P10.5 on 2024-04-19; returns the resolution hash."""
    m = cao_yu()
    attach(m, "disposal-form", on="2024-03-10")
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2024-03-15", member_unreachable=True)
    m.add("CommitteeOpinionGiven", p101, "周明", "2024-03-15")
    m.add("PreReviewed", review("P10", "P10.2", "2024-03-26"), "孙波", "2024-03-26")
    m.add("PreReviewed", d_review("P10", "P10.3"), "陈刚", "2024-04-09")
    m.add("GuidanceAttended", guidance("P10", "P10.4", "2024-04-19"), "李静", "2024-04-19")
    res = m.add("GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "周明", "2024-04-19")
    return m, res


def test_p10_suspended_member_still_unreachable_after_two_years_removed_as_lapsed() -> None:
    m, res = cao_yu_after_vote()
    m.add("SignatureRefusalNoted", refusal_note("P10", "P10.6", res, "unreachable"), "周明", "2024-04-20")
    m.add("Reviewed", review("P10", "P10.7", "2024-04-25", subject="resolution"), "孙波", "2024-04-25")
    body = approved("P10", "P10.8", "remove_lapsed", "2024-05-20", at_c=False)
    m.add("Approved", body, "陈刚", "2024-05-20")
    assert m.file.state is MemberState.REMOVED_LAPSED and not m.file.case_open
    m.add("Announced", {"ref": ref("P10", "P10.9"), "scope": "party_members"}, "周明", "2024-05-24")


def test_p10_signature_note_only_says_unreachable() -> None:
    m, res = cao_yu_after_vote()
    note = refusal_note("P10", "P10.6", res, "refused")
    assert m.try_("SignatureRefusalNoted", note, "周明", "2024-04-20") == ["signature-excuse-not-allowed"]


def test_p11_probation_of_uncontactable_member_cancelled() -> None:
    m = Member("彭程")
    register(m, on="2022-07-02", member_type="probationary", joined="2022-07-01")
    confirm(m, "2023-12-01", last="2023-05-01")
    attempt(m, 1, "direct", "2024-01-10")
    attempt(m, 2, "acquaintance", "2024-02-10")
    attempt(m, 3, "department", "2024-03-10", by="李静", other="何敏")
    uncontactable(m, on="2024-05-20")
    search_review(m, on="2024-06-03")
    attach(m, "writeup", on="2024-06-05")
    p111 = opinion("P11", "P11.1", "cancel_probation", "2024-06-10", member_unreachable=True)
    m.add("CommitteeOpinionGiven", {**p111, "grounds": ["uncontactable"]}, "周明", "2024-06-10")
    m.add("GeneralMeetingResolved", meeting("P11", "P11.2", "cancel_probation"), "周明", "2024-06-21")
    m.add("Approved", approved("P11", "P11.3", "cancel_probation", "2024-07-02"), "孙波", "2024-07-02")
    assert m.file.state is MemberState.PROBATION_CANCELLED and not m.file.case_open
