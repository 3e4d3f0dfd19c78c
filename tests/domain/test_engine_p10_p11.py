"""§7 scenarios 37, 38 (second half) and 39 (P10 自行脱党除名 after two years, P11 取消预备 uncontactable)."""

from __future__ import annotations

from api.demo.paths_lapsed import p10_approved, p10_resolved
from api.demo.paths_other import p11_cancelled
from domain.states import MemberState
from tests.domain.engine_steps import ref, refusal_note
from tests.domain.engine_world import Member
from tests.domain.test_engine_paths import cao_yu


def cao_yu_after_vote() -> tuple[Member, str]:
    """曹宇 (scenario 36, default settings) through P10.5 on 2024-04-19; returns the resolution hash."""
    m = cao_yu()
    return m, p10_resolved(m)


def test_p10_suspended_member_still_unreachable_after_two_years_removed_as_lapsed() -> None:
    m, res = cao_yu_after_vote()
    p10_approved(m, res)
    assert m.file.state is MemberState.REMOVED_LAPSED and not m.file.case_open
    m.add("Announced", {"ref": ref("P10", "P10.9"), "scope": "party_members"}, "周明", "2024-05-24")


def test_p10_signature_note_only_says_unreachable() -> None:
    m, res = cao_yu_after_vote()
    note = refusal_note("P10", "P10.6", res, "refused")
    assert m.try_("SignatureRefusalNoted", note, "周明", "2024-04-20") == ["signature-excuse-not-allowed"]


def test_p11_probation_of_uncontactable_member_cancelled() -> None:
    m = Member("彭程")
    p11_cancelled(m)
    assert m.file.state is MemberState.PROBATION_CANCELLED and not m.file.case_open
