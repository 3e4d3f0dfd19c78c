"""§7 scenarios 1–9 and 54–55 (P0: 失控, 失联, 查找), and the entry guards."""

from __future__ import annotations

from api.demo.paths_other import deceased
from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import (
    attempt,
    attempt_body,
    confirm,
    register,
    search_review,
    three_attempts,
    uncontactable,
)
from tests.domain.engine_world import Member, doc


def zhao_lei() -> Member:
    m = Member("赵磊")
    register(m)
    return m


def test_out_of_control_only_after_one_month_unreported() -> None:
    m = zhao_lei()
    absence = m.add(
        "AbsenceRecorded",
        {"departed_on": "2024-01-10", "reported_to_branch": False, "abroad": False},
        "吴芳",
        "2024-01-20",
    )
    assert (
        m.try_("OutOfControlListed", {"absence": absence}, "周明", "2024-02-10")[0]
        == "out-of-control-too-early"
    )
    m.add("OutOfControlListed", {"absence": absence}, "周明", "2024-02-11")
    assert m.file.state is MemberState.OUT_OF_CONTROL
    assert m.file.case_open and m.file.case_no == 1


def test_lost_contact_requires_six_months() -> None:
    m = zhao_lei()
    absence = m.add(
        "AbsenceRecorded",
        {"departed_on": "2024-01-10", "reported_to_branch": False, "abroad": False},
        "吴芳",
        "2024-01-20",
    )
    m.add("OutOfControlListed", {"absence": absence}, "周明", "2024-02-11")
    m.add("ParticipationRecorded", {"kind": "dues", "period": "2024-03"}, "吴芳", "2024-03-05")
    body = {"last_contact_date": "2024-01-05", "cause": 1, "org_category": 7}
    assert (
        m.try_("LostContactConfirmed", {**body, "reference_date": "2024-09-04"}, "周明", "2024-09-04")[0]
        == "under-six-months"
    )
    exclusive = DomainSettings(threshold_inclusive=False)
    assert m.try_(
        "LostContactConfirmed",
        {**body, "reference_date": "2024-09-05"},
        "周明",
        "2024-09-05",
        settings=exclusive,
    ) == ["under-six-months"]
    m.add("LostContactConfirmed", {**body, "reference_date": "2024-09-05"}, "周明", "2024-09-05")
    assert m.file.state is MemberState.LOST_SEARCHING


def test_search_attempt_needs_open_case_and_right_level() -> None:
    chen = Member("陈晨")
    register(chen)
    assert (
        chen.try_("SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳", "郑强"]), "吴芳", "2024-02-20")[
            0
        ]
        == "case-not-open"
    )
    m = zhao_lei()
    confirm(m, "2024-09-05")
    assert (
        m.try_("SearchAttemptRecorded", attempt_body(1, "direct", ["许文", "杜鹏"]), "许文", "2024-09-20")[0]
        == "wrong-level"
    )


def test_search_needs_two_full_member_signers() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    assert m.try_(
        "SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳", "钱丽"]), "吴芳", "2024-09-20"
    ) == ["search-needs-two-full-member-signers"]
    assert m.try_("SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳"]), "吴芳", "2024-09-20") == [
        "search-needs-two-full-member-signers"
    ]


def test_attestation_only_by_another_searcher_once() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    a1 = m.add("SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳", "郑强"]), "吴芳", "2024-09-20")
    assert "attestation-invalid" in m.try_(
        "Attested", {"attests": a1, "capacity": "searcher"}, "孙波", "2024-09-20"
    )
    m.add("Attested", {"attests": a1, "capacity": "searcher"}, "郑强", "2024-09-20")
    assert m.try_("Attested", {"attests": a1, "capacity": "searcher"}, "郑强", "2024-09-21") == [
        "attestation-invalid"
    ]


def test_uncontactable_needs_sufficient_search() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    attempt(m, 1, "direct", "2024-09-20")
    attempt(m, 2, "direct", "2024-10-15")
    body = {"cmeeting": {"date": "2024-10-20", "members_total": 5, "members_present": 5, "members_for": 5},
            "attempts": [e.hash for e in m.file.of_type("SearchAttemptRecorded")], "opinion": "无法联系",
            "proposed": "suspend_uncontactable"}  # fmt: skip
    assert m.try_("UncontactableConfirmed", body, "周明", "2024-10-20")[0] == "search-insufficient"


def test_uncontactable_confirmed_by_secretary_then_reviewed_by_committee() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    three_attempts(m)
    body = {"cmeeting": {"date": "2024-11-25", "members_total": 5, "members_present": 5, "members_for": 5},
            "attempts": [e.hash for e in m.file.of_type("SearchAttemptRecorded")], "opinion": "无法联系",
            "proposed": "suspend_uncontactable"}  # fmt: skip
    assert m.try_("UncontactableConfirmed", body, "吴芳", "2024-11-25")[0] == "wrong-role"
    uncontactable(m)
    search_review(m)
    assert m.file.state is MemberState.LOST_UNCONTACTABLE


def test_future_dated_statement_refused_beyond_clock_skew() -> None:
    chen = Member("陈晨")
    register(chen)
    body = {"kind": "dues", "period": "2025-03"}
    assert chen.try_("ParticipationRecorded", body, "吴芳", "2025-03-03", recorded="2025-03-01") == [
        "future-date"
    ]
    assert chen.try_("ParticipationRecorded", body, "吴芳", "2025-03-02", recorded="2025-03-01") == []


def test_death_confirmed_only_in_non_terminal_state() -> None:
    gao = Member("高峰")
    deceased(gao)
    assert gao.file.state is MemberState.DECEASED
    assert gao.try_(
        "DeathConfirmed", {"source": "family", "evidence": doc("证明")}, "周明", "2024-06-20"
    ) == ["step-not-allowed"]


def test_dissolved_branch_signs_nothing_and_committee_takes_over() -> None:
    yu = Member("余静")
    register(yu, home="B2", by="邱林")
    confirm(yu, "2023-03-01", last="2022-08-01", by="邱林")
    assert (
        yu.try_("SearchAttemptRecorded", attempt_body(1, "direct", ["邱林", "李静"]), "邱林", "2023-08-01")[0]
        == "unit-dissolved"
    )
    attempt(yu, 1, "department", "2023-08-01", by="李静", other="何敏")
    attempt(yu, 2, "direct", "2023-08-20", by="李静", other="何敏")
    attempt(yu, 3, "acquaintance", "2023-09-10", by="李静", other="何敏")
    uncontactable(
        yu, on="2023-10-10", by="孙波", meeting={"members_total": 7, "members_present": 6, "members_for": 6}
    )
    assert yu.file.state is MemberState.LOST_UNCONTACTABLE


def test_statement_on_empty_stream_needs_registration() -> None:
    m = Member("空")
    assert (
        m.try_("ContactRestored", {"via": "member_initiative", "whereabouts": "本地"}, "吴芳", "2024-05-01")[
            0
        ]
        == "member-not-registered"
    )
