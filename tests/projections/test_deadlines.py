"""The §6 deadline items (期限与逾期事项), one test per item code: the situation that starts it, its start and due
dates, and the statement that clears it. Every story runs on a real ledger (SQLite and PostgreSQL, one ledger
per backend for the module); the last test reads the items back through the status projection."""

from __future__ import annotations

from datetime import date

from domain.settings import DomainSettings
from projections.deadlines import LABELS, RULES, deadline_items
from projections.registry import catch_up_all
from projections.status_read import member_status
from tests.domain import test_engine_membership as membership
from tests.domain import test_engine_p5_p8 as p58
from tests.domain import test_engine_p10_p11 as p1011
from tests.domain import test_engine_paths as paths
from tests.domain.engine_steps import (
    approved,
    attach,
    attempt,
    attempt_body,
    confirm,
    contact,
    filed,
    guidance,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    search_review,
    talk,
    three_attempts,
    uncontactable,
)
from tests.domain.engine_world import A, Member, U, doc
from tests.domain.ledger_driver import LedgerDriver
from tests.domain.test_engine_lookback import wei_hua
from tests.domain.test_engine_transfers_appeals import FOUR_CLEAR, answer, appeal_review, lodge
from tests.projections import stories
from tests.projections.stories import (
    normal_management,
    probation_cancelled,
    rectified,
    rectify_review,
    remedy_filing,
    retained,
)

DEFAULTS = DomainSettings()
ledger = stories.ledger  # one story ledger per backend for the module
routed = stories.routed  # autouse: the story helpers write to it


def d(text: str) -> date:
    return date.fromisoformat(text)


def item(m: Member, code: str, settings: DomainSettings = DEFAULTS) -> tuple[str, str] | None:
    """(start, due) of the member's open item ``code``, None when there is none (at most one expected)."""
    found = [i for i in deadline_items(m.file, settings) if i.code == code]
    assert len(found) <= 1, found
    return (found[0].start.isoformat(), found[0].due.isoformat()) if found else None


def codes(m: Member) -> set[str]:
    return {i.code for i in deadline_items(m.file, DEFAULTS)}


def test_the_table_has_every_item_of_section_6_with_a_label() -> None:
    section6 = ["out-of-control-due", "lost-contact-due", "search-stale", "search-review-due", "disposition-due",
                "withdrawal-answer", "correction-period-unset", "education-support-due", "correction-end",
                "probation-end", "restoration-window-closes", "suspension-two-years", "notification-due",
                "announcement-due", "filing-due", "appeal-answer-due", "retention-due", "retention-return-due",
                "pocket-due", "certificate-check-due", "lookback-rectification-due"]  # fmt: skip
    assert sorted(r.code for r in RULES) == sorted(section6) and all(LABELS[c] for c in section6)


def away(on: str = "2024-03-12", **extra: object) -> tuple[Member, str]:
    m = Member("高峰")
    register(m)
    m.add("ParticipationRecorded", {"kind": "dues", "period": "2024-02"}, "吴芳", "2024-02-20")
    body = {"departed_on": "2024-03-10", "reported_to_branch": False, "abroad": False, **extra}
    return m, m.add("AbsenceRecorded", body, "吴芳", on)


def test_out_of_control_due_the_day_after_one_month_away_until_listed() -> None:
    m, absence = away()
    assert item(m, "out-of-control-due") == ("2024-03-10", "2024-04-11")
    m.add("OutOfControlListed", {"absence": absence}, "周明", "2024-04-11")
    assert item(m, "out-of-control-due") is None


def test_lost_contact_due_six_months_after_the_last_dues_until_confirmed() -> None:
    m, absence = away()
    m.add("OutOfControlListed", {"absence": absence}, "周明", "2024-04-11")
    assert item(m, "lost-contact-due") == ("2024-02-20", "2024-08-20")
    assert item(m, "lost-contact-due", DomainSettings(threshold_inclusive=False)) == (
        "2024-02-20",
        "2024-08-21",
    )
    assert item(m, "lost-contact-due", DomainSettings(lost_contact_threshold_months=3)) == (
        "2024-02-20",
        "2024-05-20",
    )
    confirm(m, "2024-08-20", last="2024-02-20")
    assert item(m, "lost-contact-due") is None and "search-stale" in codes(m)


def test_search_stale_counts_from_the_last_attempt_with_two_signers() -> None:
    m = Member("赵磊")
    register(m)
    confirm(m, "2024-09-02", last="2024-01-10")
    assert item(m, "search-stale") == ("2024-09-02", "2024-12-01")
    attempt(m, 1, "direct", "2024-09-20")
    assert item(m, "search-stale") == ("2024-09-20", "2024-12-19")
    lone = m.add(
        "SearchAttemptRecorded", attempt_body(2, "acquaintance", ["吴芳", "郑强"]), "吴芳", "2024-10-01"
    )
    assert item(m, "search-stale") == ("2024-09-20", "2024-12-19")
    m.add("Attested", {"attests": lone, "capacity": "searcher"}, "郑强", "2024-10-02")
    assert item(m, "search-stale") == ("2024-10-01", "2024-12-30")


def test_search_review_due_after_the_committee_finds_the_member_uncontactable() -> None:
    m = Member("赵磊")
    register(m)
    confirm(m, "2024-09-05", last="2024-01-05")
    three_attempts(m)
    uncontactable(m, on="2024-11-25")
    assert item(m, "search-review-due") == ("2024-11-25", "2024-12-25") and item(m, "search-stale") is None
    search_review(m, on="2024-12-02")
    assert item(m, "search-review-due") is None
    assert item(m, "disposition-due") == ("2024-12-02", "2025-03-02")


def test_disposition_due_after_contact_until_a_path_starts() -> None:
    m = paths.chen_chen()
    assert item(m, "disposition-due") == ("2024-04-08", "2024-07-07")
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-10"),
        "周明",
        "2024-05-10",
    )
    assert item(m, "disposition-due") is None


def test_withdrawal_answer_due_until_the_member_accepts_or_the_removal_meeting() -> None:
    m = p58.advised("贺军")
    assert item(m, "withdrawal-answer") == ("2024-11-29", "2024-12-29")
    m.add("WithdrawalAdviceAnswered", {"ref": ref("P5", "P5.10"), "answer": "refuses"}, "周明", "2024-12-20")
    assert item(m, "withdrawal-answer") == ("2024-11-29", "2024-12-29")
    m.add("GuidanceAttended", guidance("P5", "P5.11a", "2025-01-10"), "李静", "2025-01-10")
    m.add("GeneralMeetingResolved", meeting("P5", "P5.11", "remove_after_refusal"), "周明", "2025-01-10")
    assert item(m, "withdrawal-answer") is None


def correcting() -> Member:
    m = Member("黄海")
    p58.through_p4_approval(m, p58.HUANG)
    return m


def period(m: Member) -> None:
    body = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-09-01", "months": 6}
    m.add("CorrectionPeriodSet", body, "周明", "2025-03-01")


def test_correction_period_unset_after_the_approval_until_fixed() -> None:
    m = correcting()
    assert item(m, "correction-period-unset") == ("2025-02-26", "2025-03-28")
    assert item(m, "correction-end") is None
    period(m)
    assert item(m, "correction-period-unset") is None


def test_education_support_due_every_three_months_of_the_correction() -> None:
    m = correcting()
    assert item(m, "education-support-due") == ("2025-02-26", "2025-05-26")
    assert item(m, "education-support-due", DomainSettings(education_support_interval_months=1)) == (
        "2025-02-26", "2025-03-26",
    )  # fmt: skip
    m.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "周明", "2025-04-10")
    assert item(m, "education-support-due") == ("2025-04-10", "2025-07-10")


def test_correction_end_due_on_the_end_of_the_period_until_evaluated() -> None:
    m = correcting()
    period(m)
    assert item(m, "correction-end") == ("2025-03-01", "2025-09-01")
    m.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "周明", "2025-04-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "corrected", "opinion": "已改正",
             "cmeeting": {"date": "2025-09-05", "members_total": 5, "members_present": 5, "members_for": 5}}  # fmt: skip
    m.add("CorrectionPeriodEnded", ended, "周明", "2025-09-05")
    assert item(m, "correction-end") is None and item(m, "education-support-due") is None


def test_probation_end_due_until_full_membership_and_moved_by_an_extension() -> None:
    m = Member("许可")
    register(m, on="2024-01-15", member_type="probationary", joined="2024-01-10")
    assert item(m, "probation-end") == ("2024-01-10", "2025-01-10")
    m.add(
        "FullMembershipRecorded",
        {"approved_on": "2025-01-12", "decision": doc("转正决议")},
        "周明",
        "2025-01-12",
    )
    assert item(m, "probation-end") is None
    wei = membership.wei_feng()
    assert item(wei, "probation-end") == ("2023-06-30", "2024-06-30")
    wei.add("CommitteeOpinionGiven", membership.px1("2024-10-15", 8), "周明", "2024-10-15")
    wei.add("GeneralMeetingResolved", meeting("PX", "PX.2", "extend_probation", extension_months=8), "周明",
            "2024-10-25")  # fmt: skip
    body = approved("PX", "PX.3", "extend_probation", "2024-11-12", extension_months=8)
    wei.add("Approved", body, "孙波", "2024-11-12")
    assert item(wei, "probation-end") == ("2023-06-30", "2025-07-12")


def test_restoration_window_shown_three_months_before_it_closes_until_applied() -> None:
    m = membership.suspended("蔡亮", membership.CAI)
    assert item(m, "restoration-window-closes") is None
    contact(m, "2024-08-01")
    assert item(m, "restoration-window-closes") == ("2025-01-10", "2025-04-09")
    notice = DomainSettings(restoration_window_notice_months=6)
    assert item(m, "restoration-window-closes", notice) == ("2024-10-10", "2025-04-09")
    m.add("RestorationApplied", membership.APPLICATION, "吴芳", "2024-08-05")
    assert item(m, "restoration-window-closes") is None


def test_suspension_two_years_due_at_the_window_end_until_removal() -> None:
    m, res = p1011.cao_yu_after_vote()
    assert item(m, "suspension-two-years") == ("2022-03-15", "2024-03-15")
    by_decision = DomainSettings(suspension_clock_start="decision")
    assert item(m, "suspension-two-years", by_decision) == ("2022-03-02", "2024-03-02")
    m.add("SignatureRefusalNoted", refusal_note("P10", "P10.6", res, "unreachable"), "周明", "2024-04-20")
    m.add("Reviewed", review("P10", "P10.7", "2024-04-25", subject="resolution"), "孙波", "2024-04-25")
    m.add(
        "Approved", approved("P10", "P10.8", "remove_lapsed", "2024-05-20", at_c=False), "陈刚", "2024-05-20"
    )
    assert item(m, "suspension-two-years") is None
    assert item(m, "announcement-due") == ("2024-05-20", "2024-06-19")


def test_notification_due_fifteen_days_after_the_decision_until_notified() -> None:
    m, decision = probation_cancelled()
    assert item(m, "notification-due") == ("2024-12-10", "2024-12-25")
    assert item(m, "probation-end") is None
    m.add("MemberNotified", notified("P8", "P8.4", decision), "周明", "2024-12-12")
    assert item(m, "notification-due") is None


def test_announcement_due_thirty_days_after_the_removal_until_announced() -> None:
    m, _ = p58.removed_lapsed_xie_jun()
    assert item(m, "announcement-due") == ("2024-04-25", "2024-05-25") and item(m, "notification-due") is None
    m.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "周明", "2024-04-28")
    assert item(m, "announcement-due") is None


def test_filing_due_thirty_days_after_the_retention_until_filed() -> None:
    m = retained()
    assert item(m, "filing-due") == ("2024-04-18", "2024-05-18")
    m.add("Filed", filed("P2", "P2.3", "retention"), "何敏", "2024-04-25")
    assert item(m, "filing-due") is None


def test_appeal_answer_due_three_months_after_lodging_until_answered() -> None:
    m, removal = p58.removed_lapsed_xie_jun()
    appeal = lodge(m, removal)
    assert item(m, "appeal-answer-due") == ("2024-05-20", "2024-08-20")
    m.add("AppealReviewed", appeal_review(appeal, decision="maintain"), "蒋华", "2024-07-15")
    assert item(m, "appeal-answer-due") == ("2024-05-20", "2024-08-20")
    m.add("AppealAnswered", answer(appeal), "蒋华", "2024-07-25")
    assert item(m, "appeal-answer-due") is None


STUDY = {"country_region": "英国", "purpose": "study", "since": "2024-03-01", "settled": False,
         "planned_months": 12, "expected_return": "2025-03-01"}  # fmt: skip


def test_retention_due_when_a_member_goes_abroad_until_the_committee_approves() -> None:
    m = Member("周游")
    register(m)
    trip = {"departed_on": "2024-03-01", "reported_to_branch": True, "abroad": True, "settled": False,
            "purpose": "study", "expected_return": "2025-03-01"}  # fmt: skip
    m.add("AbsenceRecorded", trip, "吴芳", "2024-02-25")
    assert item(m, "retention-due") == ("2024-02-25", "2024-02-25") and item(m, "out-of-control-due") is None
    assert item(m, "retention-due", DomainSettings(retention_min_abroad_months=6)) is not None
    attach(m, "abroad-form", on="2024-02-26")
    m.add("CommitteeOpinionGiven", opinion("P2", "P2.1", "retain_relation", "2024-02-27", abroad=STUDY), "周明",
          "2024-02-27")  # fmt: skip
    m.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-02-28"), "孙波", "2024-02-28")
    assert item(m, "retention-due") is None and item(m, "retention-return-due") == (
        "2024-02-28",
        "2025-03-01",
    )


def test_no_retention_due_for_a_short_trip_or_a_settled_member() -> None:
    m = Member("周游")
    register(m)
    short = {"departed_on": "2024-03-01", "reported_to_branch": True, "abroad": True, "settled": False,
             "expected_return": "2024-05-01"}  # fmt: skip
    m.add("AbsenceRecorded", short, "吴芳", "2024-02-25")
    assert item(m, "retention-due") == ("2024-02-25", "2024-02-25")
    assert item(m, "retention-due", DomainSettings(retention_min_abroad_months=6)) is None
    m.add("AbsenceRecorded", {**short, "settled": True, "expected_return": None}, "吴芳", "2024-02-26")
    assert item(m, "retention-due") is None


def test_retention_return_due_on_the_expected_return_until_life_resumes() -> None:
    m = retained()
    assert item(m, "retention-return-due") == ("2024-04-18", "2025-09-01")
    back = talk(m, "return", [], "2025-09-03")
    m.add("OrganisationalLifeResumed", {"talk": back}, "周明", "2025-09-05")
    assert item(m, "retention-return-due") is None


def test_pocket_due_the_day_after_the_letter_expires_until_flagged_or_received() -> None:
    m = Member("叶青")
    register(m)
    letter = {"letter_no": "安河组转〔2024〕015号", "to_unit": U["B4"], "nature": "permanent",
              "valid_until": "2024-05-01", "four_clear": FOUR_CLEAR}  # fmt: skip
    m.add("RelationTransferred", letter, "周明", "2024-02-01")
    assert item(m, "pocket-due") == ("2024-02-01", "2024-05-02")
    pocket = {"letter_no": letter["letter_no"], "transferred_out_on": "2024-02-01", "receiving_org": "青石村党支部",
              "checked_with_receiver_on": "2024-05-06", "whereabouts_known": True}  # fmt: skip
    m.add("PocketMemberFlagged", pocket, "吴芳", "2024-05-06")
    assert item(m, "pocket-due") is None
    reissue = {"original_letter_no": letter["letter_no"], "reason": "letter_expired",
               "identity_verified": {"by": A["李静"], "on": "2024-05-18", "basis": "身份证核验"},
               "letter_no": "安河组转〔2024〕031号", "to_unit": U["B4"], "valid_until": "2024-08-20"}  # fmt: skip
    m.add("TransferReissued", reissue, "周明", "2024-05-20")
    assert item(m, "pocket-due") == ("2024-05-20", "2024-08-21")
    m.add("RelationReceived", {"letter_no": "安河组转〔2024〕031号"}, "潘越", "2024-05-28")
    assert item(m, "pocket-due") is None


def test_certificate_check_due_every_check_period_until_checked() -> None:
    m = normal_management()
    cert = {"certificate_no": "流动〔2024〕007", "valid_until": "2025-06-03", "destination": "江苏省苏州市",
            "check_every_months": 12}  # fmt: skip
    m.add("MobileCertificateIssued", cert, "周明", "2024-06-03")
    assert item(m, "certificate-check-due") == ("2024-06-03", "2025-06-03")
    m.add("MobileCertificateIssued", {**cert, "valid_until": "2026-06-03", "check_every_months": 6}, "周明",
          "2025-06-03")  # fmt: skip
    assert item(m, "certificate-check-due") == ("2025-06-03", "2025-12-03")


def test_lookback_rectification_due_by_the_review_until_rectified() -> None:
    m, p33 = wei_hua()
    lookback = rectify_review(m, p33)
    assert item(m, "lookback-rectification-due") == ("2025-04-02", "2025-06-30")
    remedy = remedy_filing(m, lookback)
    assert item(m, "lookback-rectification-due") == ("2025-04-02", "2025-06-30")
    rectified(m, lookback, remedy)
    assert item(m, "lookback-rectification-due") is None and item(m, "filing-due") is None


def test_status_projection_stores_the_items_and_reads_them_overdue(ledger: LedgerDriver) -> None:
    """Through the status projection: 劝退 answer and 限期改正 items, overdue by the reading date."""
    advised = p58.advised("罗平")
    huang = correcting()
    system = ledger.system
    catch_up_all(system)
    luo = member_status(system, advised.stream, today=date(2024, 12, 30))
    assert [(x["code"], x["start"], x["due"], x["overdue"]) for x in luo["deadlines"]] == [
        ("notification-due", "2024-03-20", "2024-04-04", True),  # the story never notified its P4.6
        ("announcement-due", "2024-03-20", "2024-04-19", True),
        ("withdrawal-answer", "2024-11-29", "2024-12-29", True),
    ]
    hh = member_status(system, huang.stream, today=date(2025, 3, 28))
    assert {(x["code"], x["due"], x["overdue"]) for x in hh["deadlines"]} == {
        ("correction-period-unset", "2025-03-28", False),
        ("education-support-due", "2025-05-26", False),
        ("notification-due", "2025-03-13", True),
        ("announcement-due", "2025-03-28", False),
    }
    assert hh["overdue"] and hh["deadlines"][0]["label"] == "处置决定待通知本人"
