"""§7 scenario 53: status as of a date on the occurred and on the recorded basis; `late-entry`."""

from __future__ import annotations

from datetime import date

from domain.asof import as_of, late_entries, recorded_date
from domain.states import MemberState
from tests.domain.engine_steps import approved, guidance, meeting, notified, ref, review, signed
from tests.domain.test_engine_paths import huang_hai_at_p41


def test_status_as_of_differs_by_basis_when_steps_are_recorded_late() -> None:
    m = huang_hai_at_p41()
    m.add("PreReviewed", review("P4", "P4.2", "2025-02-05"), "孙波", "2025-02-05")
    late = "2025-03-03"
    m.add("GuidanceAttended", guidance("P4", "P4.3", "2025-02-14"), "李静", "2025-02-14", recorded=late)
    res = m.add(
        "GeneralMeetingResolved",
        meeting("P4", "P4.4", "correct_within_limit", correction_months=6),
        "周明",
        "2025-02-14",
        recorded=late,
    )
    m.add("MemberSigned", signed("P4", "P4.5", res), "周明", "2025-02-15", recorded=late)
    later = "2025-03-05"
    body = approved("P4", "P4.6", "correct_within_limit", "2025-02-26", correction_months=6)
    h = m.add("Approved", body, "孙波", "2025-02-26", recorded=later)
    m.add("MemberNotified", notified("P4", "P4.7", h), "周明", "2025-03-01", recorded=later)
    m.add(
        "Announced",
        {"ref": ref("P4", "P4.8"), "scope": "branch_meeting"},
        "周明",
        "2025-03-01",
        recorded=later,
    )
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-09-01", "months": 6}
    m.add("CorrectionPeriodSet", period, "周明", "2025-03-01", recorded=later)
    t = date(2025, 2, 28)
    assert as_of(m.file, t).state is MemberState.CORRECTING
    assert as_of(m.file, t, "recorded").state is MemberState.CONTACTED
    assert as_of(m.file, date(2025, 3, 5), "recorded") == as_of(m.file, date(2025, 3, 5))
    assert late_entries(m.file) == []
    seventeen_and_sixteen_days = [
        e.hash
        for e in m.file.entries
        if e.type in ("GuidanceAttended", "GeneralMeetingResolved", "MemberSigned")
    ]
    assert late_entries(m.file, late_entry_days=10) == seventeen_and_sixteen_days


def test_recorded_date_is_local_to_the_ledger_time_zone() -> None:
    assert recorded_date("2025-02-28T17:30:00Z") == date(2025, 3, 1)
    assert recorded_date("2025-02-28T17:30:00Z", "UTC") == date(2025, 2, 28)
    assert recorded_date("not a date") is None
