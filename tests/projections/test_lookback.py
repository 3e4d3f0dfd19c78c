"""回头看 findings, one test per code the look-back emits: each story provokes exactly that finding on a disposed
case (live, or entered from paper by 补录) and the test reads it back through ``read_lookback`` with its member,
path and step; a complete disposition has none. Every story runs on a real ledger, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.settings import DomainSettings
from projections.lookback import FINDING_LABELS, member_findings
from projections.reads import read_lookback
from tests.domain import test_engine_p5_p8 as p58
from tests.domain import test_engine_paths as paths
from tests.domain.engine_steps import (
    approved,
    attach,
    d_review,
    guidance,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    review,
    signed,
)
from tests.domain.engine_world import Member, U, doc
from tests.domain.ledger_driver import LedgerDriver
from tests.domain.test_engine_history import historical as entered
from tests.domain.test_engine_lookback import wei_hua, yan_lei
from tests.projections import stories
from tests.projections.stories import normal_management, rectified, rectify_review, remedy_filing

DEFAULTS = DomainSettings()
ledger = stories.ledger  # one story ledger per backend for the module
routed = stories.routed  # autouse: the story helpers write to it
T = date(2025, 12, 31)


def read(ledger: LedgerDriver, m: Member) -> dict[str, Any]:
    """The member's entry in the county's 回头看 as of T (the read path the API and the CLI use)."""
    report = read_lookback(ledger.system, U["D"], at=T)
    return next(x for x in report["members"] if x["member_id"] == m.stream)


def found(ledger: LedgerDriver, m: Member) -> list[tuple[str, str | None, str | None]]:
    """(code, path, step) of each finding of the member, as the look-back read returns them."""
    return [(f["code"], f["path"], f["step"]) for f in read(ledger, m)["findings"]]


def historical(m: Member, kind: str, body: dict[str, Any], on: str, **declared: Any) -> None:
    """Enter one paper record (补录), which the ledger must accept (its guard failures become findings)."""
    assert entered(m, kind, body, on, **declared) == [], kind


def forms(*codes: str) -> list[dict[str, str]]:
    """The scans of a paper record, each marked with the material it is (§2.10)."""
    return [{**doc(code), "form": code} for code in codes]


def xie_announced() -> Member:
    m, _ = p58.removed_lapsed_xie_jun()
    m.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "周明", "2024-04-28")
    return m


def test_a_complete_removal_has_no_finding(ledger: LedgerDriver) -> None:
    m = xie_announced()
    entry = read(ledger, m)
    assert entry["name"] == "谢军" and entry["findings"] == []
    assert entry["disposed"] == [{"path": "P6", "case_no": 1, "effect_on": "2024-04-25"}]


def test_step_missing_names_the_completion_step_never_recorded(ledger: LedgerDriver) -> None:
    m, _ = p58.removed_lapsed_xie_jun()
    assert found(ledger, m) == [("step-missing", "P6", "P6.10")]
    paper, _ = wei_hua()  # scenario 51: a 补录 P3 never filed with the county
    assert read(ledger, paper)["name"] == "韦华"
    assert found(ledger, paper) == [("step-missing", "P3", "P3.4")]


UK = {"country_region": "英国", "purpose": "study", "since": "2016-03-01", "settled": False,
      "planned_months": 24, "expected_return": "2018-03-01"}  # fmt: skip


def paper_member(name: str, back: dict[str, Any] | None = None) -> Member:
    """补录 (entered 2025-02-10): registered 2016-03-01, 失联 2016-04-01, contacted 2016-05-01."""
    m = Member(name)
    reg = {
        "name": name,
        "member_type": "full",
        "joined_on": "2000-01-01",
        "full_on": "2001-01-01",
        "home": U["B1"],
    }
    historical(m, "MemberRegistered", reg, "2016-03-01")
    lost = {"last_contact_date": "2015-06-30", "cause": 1, "org_category": 7, "reference_date": "2016-04-01"}
    historical(m, "LostContactConfirmed", lost, "2016-04-01")
    historical(
        m,
        "ContactRestored",
        {"via": "member_initiative", "whereabouts": "本地", **(back or {})},
        "2016-05-01",
    )
    return m


def test_step_out_of_order_when_a_paper_filing_predates_the_approval(ledger: LedgerDriver) -> None:
    m = paper_member("吕方", {"abroad": UK})
    historical(m, "MaterialAttached", {"doc": doc("申请表"), "form": "abroad-form"}, "2016-05-05")
    historical(m, "CommitteeOpinionGiven", opinion("P2", "P2.1", "retain_relation", "2016-05-10", abroad=UK),
               "2016-05-10")  # fmt: skip
    historical(m, "Approved", approved("P2", "P2.2", "retain_relation", "2016-05-20"), "2016-05-20", role="CSEC",
               unit="C1")  # fmt: skip
    filing = {"ref": ref("P2", "P2.3"), "filed_kind": "retention", "documents": [doc("备案")]}
    historical(m, "Filed", filing, "2016-05-15", role="ODS", unit="D")
    assert found(ledger, m) == [
        ("step-out-of-order", "P2", "P2.3"),
        ("date-before-prerequisite", "P2", "P2.3"),  # the guard the paper filing failed (§5.4)
        ("historical-out-of-order", "P2", "P2.3"),  # entered after a later-dated paper record
    ]
    assert read(ledger, m)["findings"][0]["note"] == "dated before P2.2"


def paper_p4(name: str) -> tuple[Member, str]:
    """补录 of a whole 限期改正 up to P4.9; returns the member and the hash of the P4.1 opinion."""
    m = paper_member(name)
    for check, finding in (("self_statement", "no_issue"), ("employer_letter", "unqualified_conduct"),
                           ("discipline_check", "no_issue"), ("police_check", "no_issue")):  # fmt: skip
        body: dict[str, Any] = {
            "check": check,
            "asked_on": "2016-05-05",
            "finding": finding,
            "summary": "核实",
        }
        if finding != "no_issue":
            body["criteria"] = ["discipline_lax"]
        historical(m, "ConductInvestigated", body, "2016-05-10")
    talk = {"kind": "verification", "talkers": [{"name": "何立", "role": "SEC", "unit": U["B1"]}],
            "summary": "谈话", "attitude": ["wants_to_stay", "willing_to_correct"]}  # fmt: skip
    historical(m, "TalkHeld", talk, "2016-05-12")
    p41 = opinion("P4", "P4.1", "correct_within_limit", "2016-05-20", correction_months=6)
    historical(m, "CommitteeOpinionGiven", p41, "2016-05-20", sources=forms("writeup", "disposal-form"))
    opinion_hash = m.head
    historical(m, "PreReviewed", review("P4", "P4.2", "2016-06-01"), "2016-06-01", role="CSEC", unit="C1")
    historical(
        m, "GuidanceAttended", guidance("P4", "P4.3", "2016-06-10"), "2016-06-10", role="CST", unit="C1"
    )
    resolution = meeting("P4", "P4.4", "correct_within_limit", correction_months=6)
    historical(m, "GeneralMeetingResolved", resolution, "2016-06-10")
    return m, opinion_hash


def test_member_signature_missing_when_the_paper_signature_names_another_record(ledger: LedgerDriver) -> None:
    m, p41 = paper_p4("柳青")
    historical(
        m, "MemberSigned", signed("P4", "P4.5", p41), "2016-06-11"
    )  # signed the opinion, not the resolution
    approval = approved("P4", "P4.6", "correct_within_limit", "2016-06-20", correction_months=6)
    historical(m, "Approved", approval, "2016-06-20", role="CSEC", unit="C1")
    decision = m.head
    historical(m, "MemberNotified", notified("P4", "P4.7", decision), "2016-06-22")
    historical(m, "Announced", {"ref": ref("P4", "P4.8"), "scope": "branch_meeting"}, "2016-06-22")
    period = {"ref": ref("P4", "P4.9"), "start": "2016-06-22", "end": "2016-12-22", "months": 6}
    historical(m, "CorrectionPeriodSet", period, "2016-06-22")
    assert found(ledger, m) == [("member-signature-missing", "P4", "P4.4")]
    assert FINDING_LABELS["member-signature-missing"] == "缺少本人签字或拒签说明"


def test_vote_without_majority_counted_against_the_eligible_voters(ledger: LedgerDriver) -> None:
    """Scenario 22's figures, accepted while the deployment counted the present voters (25/20/12)."""
    m = paths.huang_hai_before_meeting()
    vote = {
        "eligible_voters": 25,
        "present_voters": 20,
        "votes_for": 12,
        "votes_against": 6,
        "abstentions": 2,
    }
    present = DomainSettings(vote_pass_basis="present")
    body = meeting("P4", "P4.4", "correct_within_limit", vote, correction_months=6)
    res = m.add("GeneralMeetingResolved", body, "周明", "2025-02-14", settings=present)
    m.add("MemberSigned", signed("P4", "P4.5", res), "周明", "2025-02-15")
    decision = m.add("Approved", approved("P4", "P4.6", "correct_within_limit", "2025-02-26", correction_months=6),
                     "孙波", "2025-02-26")  # fmt: skip
    m.add("MemberNotified", notified("P4", "P4.7", decision), "周明", "2025-03-01")
    m.add("Announced", {"ref": ref("P4", "P4.8"), "scope": "branch_meeting"}, "周明", "2025-03-01")
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-09-01", "months": 6}
    m.add("CorrectionPeriodSet", period, "周明", "2025-03-01")
    assert found(ledger, m) == [("vote-without-majority", "P4", "P4.4")]
    assert member_findings(m.file, present) == []


def paper_p1(name: str, *, p11: dict[str, Any] | None = None, p13_forms: tuple[str, ...] = (
        "recognition-form", "signed-application", "writeup"), p11_unit: str = "B1",
        p13_signer: tuple[str, str] = ("CSEC", "C1")) -> Member:  # fmt: skip
    """补录 of a 纳入正常管理 (P1) approved 2016-06-01, with the variations a test asks for."""
    m = paper_member(name)
    for check in ("self_statement", "employer_letter", "discipline_check", "police_check"):
        inv = {"check": check, "asked_on": "2016-05-05", "finding": "no_issue", "summary": "核实"}
        historical(m, "ConductInvestigated", inv, "2016-05-10")
    talk = {"kind": "education", "talkers": [{"name": "何立", "role": "SEC", "unit": U["B1"]}], "summary": "谈话",
            "attitude": ["recognises_problem", "willing_to_participate"]}  # fmt: skip
    historical(m, "TalkHeld", talk, "2016-05-12")
    body = {**opinion("P1", "P1.1", "normal_management", "2016-05-20"), **(p11 or {})}
    historical(m, "CommitteeOpinionGiven", body, "2016-05-20", unit=p11_unit)
    approval = approved("P1", "P1.3", "normal_management", "2016-06-01")
    role, unit = p13_signer
    historical(m, "Approved", approval, "2016-06-01", role=role, unit=unit, sources=forms(*p13_forms))
    return m


def test_a_complete_paper_disposition_has_no_finding(ledger: LedgerDriver) -> None:
    m = paper_p1("石榴")
    assert read(ledger, m)["findings"] == []


def test_quorum_not_met_when_the_branch_committee_met_without_half(ledger: LedgerDriver) -> None:
    m = paper_p1(
        "金星",
        p11={"cmeeting": {"date": "2016-05-20", "members_total": 5, "members_present": 2, "members_for": 2}},
    )
    assert found(ledger, m) == [("quorum-not-met", "P1", "P1.1")]


def test_materials_missing_when_the_paper_approval_lacks_the_recognition_form(ledger: LedgerDriver) -> None:
    m = paper_p1("木兰", p13_forms=("signed-application", "writeup"))
    assert found(ledger, m) == [("materials-missing", "P1", "P1.3")]
    assert read(ledger, m)["findings"][0]["note"] == "recognition-form"


def test_paper_records_bring_the_level_guards_they_failed(ledger: LedgerDriver) -> None:
    """§5.4: a paper opinion signed by another branch, an approval signed by the county (P1 belongs to C)."""
    branch = paper_p1("水生", p11_unit="B3")
    assert found(ledger, branch) == [("wrong-level", "P1", "P1.1")]
    county = paper_p1("火旺", p13_signer=("ODL", "D"))
    assert found(ledger, county) == [("approval-level", "P1", "P1.3")]
    assert read(ledger, county)["findings"][0]["note"] == "补录"


def test_paper_removal_without_suspension_lists_what_scenario_50_reviews(ledger: LedgerDriver) -> None:
    m, h7 = yan_lei()
    findings = read(ledger, m)["findings"]
    codes = {(f["code"], f["step"]) for f in findings}
    first = {("search-needs-two-full-member-signers", "P0.4"), ("search-insufficient", "P0.7b"),
             ("step-not-allowed", "P10.1"), ("step-not-allowed", "P10.5"), ("approval-level", "P10.8")}  # fmt: skip
    missing = {("step-missing", s) for s in ("P10.2", "P10.3", "P10.4", "P10.6", "P10.7", "P10.9")}
    assert first | missing <= codes
    assert [f["step"] for f in findings if f["code"] == "step-missing"] == [
        "P10.2", "P10.3", "P10.4", "P10.6", "P10.7", "P10.9"
    ]  # fmt: skip
    assert {f["note"] for f in findings if f["code"] == "materials-missing" and f["step"] == "P10.8"} == {
        "search-record", "suspension-approval", "disposal-form"
    }  # fmt: skip
    assert all(f["hash"] for f in findings) and any(f["hash"] == h7 for f in findings)


def cao_yu_removed(clock: DomainSettings) -> Member:
    """曹宇 (scenario 36) removed in March 2024, P10.1 accepted under ``clock``'s suspension clock."""
    m = paths.cao_yu()
    attach(m, "disposal-form", on="2024-03-04")
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2024-03-05", member_unreachable=True)
    m.add("CommitteeOpinionGiven", p101, "周明", "2024-03-05", settings=clock)
    m.add("PreReviewed", review("P10", "P10.2", "2024-03-06"), "孙波", "2024-03-06")
    m.add("PreReviewed", d_review("P10", "P10.3"), "陈刚", "2024-03-07")
    m.add("GuidanceAttended", guidance("P10", "P10.4", "2024-03-08"), "李静", "2024-03-08")
    res = m.add("GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "周明", "2024-03-08")
    m.add("SignatureRefusalNoted", refusal_note("P10", "P10.6", res, "unreachable"), "周明", "2024-03-09")
    m.add("Reviewed", review("P10", "P10.7", "2024-03-10", subject="resolution"), "孙波", "2024-03-10")
    m.add(
        "Approved", approved("P10", "P10.8", "remove_lapsed", "2024-03-12", at_c=False), "陈刚", "2024-03-12"
    )
    m.add("Announced", {"ref": ref("P10", "P10.9"), "scope": "party_members"}, "周明", "2024-03-13")
    return m


def test_removal_before_two_years_of_suspension(ledger: LedgerDriver) -> None:
    """Accepted while the clock ran from the P9.2 decision; read under the default clock (P9.3 approval)."""
    decision = DomainSettings(suspension_clock_start="decision")
    m = cao_yu_removed(decision)
    assert found(ledger, m) == [("suspension-under-two-years", "P10", "P10.8")]
    assert read(ledger, m)["findings"][0]["note"] == "window ends 2024-03-15"
    assert member_findings(m.file, decision) == []


def test_correction_pending_until_the_look_back_is_rectified(ledger: LedgerDriver) -> None:
    m, p33 = wei_hua()
    lookback = rectify_review(m, p33)
    remedy = remedy_filing(m, lookback)
    assert found(ledger, m) == [("correction-pending", "P3", "P3.3")]
    assert read(ledger, m)["findings"][0]["hash"] == lookback
    rectified(m, lookback, remedy)
    assert found(ledger, m) == []


def test_late_entry_of_a_live_approval(ledger: LedgerDriver) -> None:
    m = normal_management(recorded="2024-07-01")  # entered 42 days after the approval
    assert found(ledger, m) == [("late-entry", "P1", "P1.3")]
    assert member_findings(m.file, DomainSettings(late_entry_days=60)) == []


def test_status_without_procedure_for_a_member_registered_as_retained(ledger: LedgerDriver) -> None:
    m = Member("白露")
    body = {"name": "白露", "member_type": "full", "joined_on": "2010-05-20", "full_on": "2011-05-20",
            "home": U["B1"], "special_status": ["retained"]}  # fmt: skip
    m.add("MemberRegistered", body, "吴芳", "2021-02-01")
    entry = read(ledger, m)
    assert entry["disposed"] == [] and found(ledger, m) == [("status-without-procedure", None, None)]
    assert entry["findings"][0]["note"] == "retained"
