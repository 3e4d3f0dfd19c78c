"""DomainSettings: the §5.5 table, its defaults and its allowed alternatives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from domain.settings import DomainSettings, setting_docs

DEFAULTS_5_5: dict[str, Any] = {
    "lost_contact_threshold_months": 6,
    "threshold_inclusive": True,
    "retention_min_abroad_months": 1,
    "p3_general_meeting_required": True,
    "direct_lapse_removal_allowed": False,
    "suspension_clock_start": "approval",
    "vote_pass_basis": "eligible",
    "min_search_attempts": 3,
    "min_search_methods": 2,
    "require_department_search": True,
    "p10_requires_search_during_suspension": True,
    "required_conduct_checks": (
        ("self_statement",),
        ("employer_letter", "residence_org_letter"),
        ("discipline_check",),
        ("police_check",),
    ),
    "p4_signature_excuses": ("refused", "illness"),
    "guidance_required_paths": ("P4", "P5", "P6", "P10"),
    "general_branch_review_required": False,
    "correction_months_min": 3,
    "correction_months_max": 12,
    "correction_months_default": 6,
    "withdrawal_answer_days": 30,
    "probation_months": 12,
    "extension_months_min": 6,
    "extension_months_max": 12,
    "expired_probation_extension_from": "approval",
    "transfer_letter_validity_days": 90,
    "notify_within_days": 15,
    "announce_within_days": 30,
    "filing_due_days": 30,
    "appeal_answer_months": 3,
    "search_interval_days": 90,
    "search_review_days": 30,
    "disposition_due_days": 90,
    "education_support_interval_months": 3,
    "clock_skew_days": 1,
    "ledger_timezone": "Asia/Shanghai",
    "late_entry_days": 30,
    "lookback_scope_before": None,
    "correction_period_set_days": 30,
    "restoration_window_notice_months": 3,
}


def test_defaults_are_those_of_section_5_5() -> None:
    assert DomainSettings().model_dump() == DEFAULTS_5_5


def test_settings_are_frozen() -> None:
    settings = DomainSettings()
    with pytest.raises(ValidationError):
        settings.threshold_inclusive = False  # type: ignore[misc]


@pytest.mark.parametrize(
    "alternative",
    [
        {"threshold_inclusive": False},
        {"retention_min_abroad_months": 6},
        {"p3_general_meeting_required": False},
        {"direct_lapse_removal_allowed": True},
        {"suspension_clock_start": "decision"},
        {"suspension_clock_start": "filing"},
        {"vote_pass_basis": "present"},
        {"min_search_attempts": 1, "min_search_methods": 1},
        {"require_department_search": False},
        {"p10_requires_search_during_suspension": False},
        {"required_conduct_checks": (("self_statement",),)},
        {"p4_signature_excuses": ("refused", "illness", "other")},
        {"guidance_required_paths": ("P4", "P5", "P6", "P10", "P8", "P9", "P11")},
        {"general_branch_review_required": True},
        {"expired_probation_extension_from": "old_end"},
        {"clock_skew_days": 0},
        {"lookback_scope_before": date(2017, 2, 3)},
    ],
)
def test_documented_alternatives_are_accepted(alternative: dict[str, Any]) -> None:
    settings = DomainSettings(**alternative)
    assert {k: getattr(settings, k) for k in alternative} == alternative


@pytest.mark.parametrize(
    "bad",
    [
        {"retention_min_abroad_months": 3},
        {"suspension_clock_start": "meeting"},
        {"vote_pass_basis": "majority"},
        {"min_search_attempts": 0},
        {"min_search_methods": 5},
        {"clock_skew_days": 2},
        {"correction_months_min": 8, "correction_months_default": 6},
        {"correction_months_max": 4},
        {"extension_months_min": 12, "extension_months_max": 6},
        {"p4_signature_excuses": ("refused",)},
        {"p4_signature_excuses": ("refused", "illness", "unreachable")},
        {"guidance_required_paths": ("P4", "P5", "P6")},
        {"guidance_required_paths": ("P4", "P5", "P6", "P10", "P7")},
        {"required_conduct_checks": ((),)},
        {"required_conduct_checks": (("phone_call",),)},
        {"ledger_timezone": "Mars/Olympus"},
        {"no_such_setting": 1},
    ],
)
def test_values_outside_the_alternatives_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DomainSettings(**bad)


def test_every_setting_is_documented_with_its_source() -> None:
    docs = setting_docs()
    assert [d.name for d in docs] == list(DEFAULTS_5_5)
    for d in docs:
        assert d.source and d.description, d.name
        assert d.default == DEFAULTS_5_5[d.name]
    conflict_tags = {d.name: d.source for d in docs if "[C" in d.source}
    assert conflict_tags == {
        "threshold_inclusive": "forms §1.1 [C13]",
        "retention_min_abroad_months": "[C2]",
        "p3_general_meeting_required": "[C1]",
        "direct_lapse_removal_allowed": "[C3]",
        "suspension_clock_start": "[C7]",
        "p10_requires_search_during_suspension": "[C9]",
        "p4_signature_excuses": "[C5]",
    }
