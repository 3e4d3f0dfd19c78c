"""The guards in their numbered order (§5.1): one named function per guard of §5.2."""

from __future__ import annotations

from collections.abc import Callable

from domain.guards import grounds, meetings, order, periods, remedies, search, structural
from domain.guards.context import Ctx

GuardFn = Callable[[Ctx], "str | None"]

ORDERED: tuple[tuple[int, GuardFn], ...] = (
    (1, structural.member_not_registered),
    (2, structural.historical_not_allowed),
    (3, structural.historical_source_missing),
    (4, structural.future_date),
    (5, structural.wrong_role),
    (6, structural.unit_dissolved),
    (7, structural.wrong_level),
    (8, structural.approval_level),
    (9, structural.case_not_open),
    (10, structural.step_not_allowed),
    (11, structural.unknown_step),
    (12, structural.path_already_active),
    (13, structural.step_already_done),
    (14, structural.full_member_only),
    (15, structural.probationary_only),
    (16, search.out_of_control_too_early),
    (17, search.under_six_months),
    (18, search.search_needs_two_full_member_signers),
    (19, search.attestation_invalid),
    (20, search.search_insufficient),
    (21, grounds.investigation_incomplete),
    (22, grounds.violation_not_referred),
    (23, grounds.misconduct_found),
    (24, grounds.suspended_needs_restoration),
    (25, grounds.ground_not_established),
    (26, grounds.abroad_below_threshold),
    (27, meetings.pre_review_not_agreed),
    (28, meetings.quorum_not_met),
    (29, meetings.vote_arithmetic),
    (30, meetings.outcome_mismatch),
    (31, meetings.resolution_not_passed),
    (32, meetings.guidance_missing),
    (33, meetings.member_signature_missing),
    (34, meetings.signature_excuse_not_allowed),
    (35, meetings.answer_pending),
    (36, periods.correction_period_invalid),
    (37, periods.correction_not_ended),
    (38, periods.extension_too_long),
    (39, periods.suspension_under_two_years),
    (40, periods.restoration_after_two_years),
    (41, periods.materials_missing),
    (42, order.date_before_prerequisite),
    (43, order.step_out_of_order),
    (44, order.announcement_public),
    (45, remedies.correction_not_permitted),
    (47, remedies.appeal_invalid),
    (48, remedies.remedy_without_basis),
    (49, remedies.lookback_target_invalid),
)
"""Guards 1–49 except 46, which `domain.engine` runs by replaying the stream."""

SKIPPED_FOR_REMEDIES = frozenset({9, 10, 12, 13, 42, 43})
"""§5.1: a statement whose `remedies` passes guard 48 skips these."""
ENTRY_GUARDS = frozenset({1, 2, 3, 4})
"""■ guards: they refuse a 补录 statement; the others become findings (§5.4)."""
