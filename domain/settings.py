"""Deployment settings of the domain rules (procedures.md §5.5, with the two [inferred] durations of §6).

`DomainSettings` is the one frozen model every rule reads. Each field names its source: a conflict tag
([C1]…[C14], resolved in procedures.md §4.21), a seed, or [inferred] for a design choice the seeds do not
state. The kernel maps environment variables onto this model; the domain only defines it.
`live_from` (§5.5, last row) is a property of each unit (`UnitRegistered`), not a deployment setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.config import JsonDict

ConductCheck = Literal[
    "self_statement", "employer_letter", "residence_org_letter", "discipline_check", "police_check",
    "file_check", "other",
]  # fmt: skip
"""A `ConductInvestigated.check` code (procedures.md §2.4)."""

SignatureExcuse = Literal["refused", "illness", "other"]
"""A reason of `SignatureRefusalNoted` that P4 may accept ([C5])."""

GuidancePath = Literal["P4", "P5", "P6", "P10", "P8", "P9", "P11"]
"""A path whose post-meeting C step needs C's representative at the meeting (guard 32)."""

PositiveInt = Annotated[int, Field(ge=1)]

DEFAULT_CONDUCT_CHECKS: tuple[tuple[ConductCheck, ...], ...] = (
    ("self_statement",),
    ("employer_letter", "residence_org_letter"),
    ("discipline_check",),
    ("police_check",),
)
BASE_SIGNATURE_EXCUSES: tuple[SignatureExcuse, ...] = ("refused", "illness")
BASE_GUIDANCE_PATHS: tuple[GuidancePath, ...] = ("P4", "P5", "P6", "P10")


def _setting(default: Any, source: str, doc: str, alternatives: str = "—", **bounds: Any) -> Any:
    """A pydantic Field carrying its §5.5 source and alternatives for the generated documentation."""
    extra: JsonDict = {"source": source, "alternatives": alternatives}
    return Field(default, description=doc, json_schema_extra=extra, **bounds)


class DomainSettings(BaseModel):
    """Every deployment setting of procedures.md §5.5, with its default and its allowed alternatives."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def __hash__(self) -> int:
        """The rule tables are cached per settings, so every lookup hashes them: keep that cheap."""
        return hash(tuple(self.__dict__.values()))

    lost_contact_threshold_months: PositiveInt = _setting(
        6, "[001], [002], [003]", "Months without organisational life or dues before 失联 (guard 17)."
    )
    threshold_inclusive: bool = _setting(
        True, "forms §1.1 [C13]", "6个月以上 read inclusively; false reads 超过 (strictly more).", "false"
    )
    retention_min_abroad_months: Literal[1, 6] = _setting(
        1, "[C2]", "Minimum planned stay abroad for 保留组织关系 (P2.1, guard 26).", "6 ([000] r2)"
    )
    p3_general_meeting_required: bool = _setting(
        True, "[C1]", "P3 holds a 党员大会 decision (P3.2) before C approves.", "false ([000] r3)"
    )
    direct_lapse_removal_allowed: bool = _setting(
        False,
        "[C3]",
        "An uncontactable member may be removed (P10) without a 2-year suspension first.",
        "true ([003] 附件2, [004])",
    )
    suspension_clock_start: Literal["approval", "decision", "filing"] = _setting(
        "approval", "[C7]", "Which P9 date starts the 2-year window: P9.3, P9.2 or P9.4.", "decision, filing"
    )
    vote_pass_basis: Literal["eligible", "present"] = _setting(
        "eligible",
        "§5.3 [inferred]",
        "Majority of a 党员大会 counted against eligible or present voters.",
        "present",
    )
    min_search_attempts: PositiveInt = _setting(
        3,
        "[inferred]; 记录表 has four slots",
        "Qualifying attempts before 无法取得联系 (guard 20).",
        "any ≥ 1",
    )
    min_search_methods: int = _setting(
        2,
        "[inferred]; [004] asks to fix 次数、方式",
        "Distinct search methods required (guard 20).",
        "1–4",
        ge=1,
        le=4,
    )
    require_department_search: bool = _setting(
        True, "[002] 仍然无法 form note 1, [004] task 2", "At least one 部门查找 attempt (guard 20).", "false"
    )
    p10_requires_search_during_suspension: bool = _setting(
        True, "[C9]", "P10.1 needs a qualifying search attempt dated during the suspension (P10.0).", "false"
    )
    required_conduct_checks: tuple[tuple[ConductCheck, ...], ...] = _setting(
        DEFAULT_CONDUCT_CHECKS,
        "[001] 二.1",
        "INV checks (guard 21); each inner group is satisfied by any one of its checks.",
        "any subset",
    )
    p4_signature_excuses: tuple[SignatureExcuse, ...] = _setting(
        BASE_SIGNATURE_EXCUSES, "[C5]", "Reasons P4.5 accepts for a missing member signature.", "+ other"
    )
    guidance_required_paths: tuple[GuidancePath, ...] = _setting(
        BASE_GUIDANCE_PATHS,
        "[000] r4–r6, r10",
        "Paths whose meeting needs C's representative (guard 32).",
        "+ P8, P9, P11",
    )
    general_branch_review_required: bool = _setting(
        False,
        "[003] 登记表 [inferred]",
        "Where a 党总支 exists, its review precedes every C decision.",
        "true",
    )
    correction_months_min: PositiveInt = _setting(
        3, "[inferred]: the seeds fix no length", "Shortest 限期改正."
    )
    correction_months_max: PositiveInt = _setting(
        12, "[inferred]: the seeds fix no length", "Longest 限期改正."
    )
    correction_months_default: PositiveInt = _setting(6, "[inferred]", "Proposed length of a 限期改正.")
    withdrawal_answer_days: PositiveInt = _setting(
        30, "[inferred]", "Days the member has to answer 劝退 (P5.9)."
    )
    probation_months: PositiveInt = _setting(12, "党章 [inferred]", "Length of probation (预备期).")
    extension_months_min: PositiveInt = _setting(6, "[001] 二.4", "Shortest 延长预备期 (guard 38).")
    extension_months_max: PositiveInt = _setting(12, "[001] 二.4", "Longest 延长预备期 (guard 38).")
    expired_probation_extension_from: Literal["approval", "old_end"] = _setting(
        "approval",
        "[inferred]",
        "Start of an extension whose old probation end has passed (PX.3).",
        "old_end",
    )
    transfer_letter_validity_days: PositiveInt = _setting(
        90, "[inferred] (规定期限 of forms §1.5)", "Validity of a transfer letter (PT.1)."
    )
    notify_within_days: PositiveInt = _setting(15, "[inferred] (及时)", "`notification-due` after a ◆ step.")
    announce_within_days: PositiveInt = _setting(
        30, "[inferred] (及时)", "`announcement-due` after a ◆ step."
    )
    filing_due_days: PositiveInt = _setting(30, "[inferred] (及时)", "`filing-due` after a ◆ step.")
    appeal_answer_months: PositiveInt = _setting(3, "[inferred]", "`appeal-answer-due` after `AppealLodged`.")
    search_interval_days: PositiveInt = _setting(
        90, "[inferred]; [004]: neither 拖着 nor 挂着", "`search-stale` after the last attempt."
    )
    search_review_days: PositiveInt = _setting(30, "[inferred]", "`search-review-due` after P0.7b.")
    disposition_due_days: PositiveInt = _setting(
        90, "[inferred]; [004]: neither 拖着 nor 挂着", "`disposition-due` while no path is active."
    )
    education_support_interval_months: PositiveInt = _setting(
        3, "[inferred]", "`education-support-due` during 限期改正."
    )
    clock_skew_days: Literal[0, 1] = _setting(
        1, "[inferred]", "Days `occurred_at` may exceed the local date of `recorded_at` (guard 4).", "0"
    )
    ledger_timezone: str = _setting("Asia/Shanghai", "[inferred]", "Time zone of every ledger date (§5.3).")
    late_entry_days: PositiveInt = _setting(
        30, "[inferred] (finding only)", "`late-entry` finding threshold."
    )
    lookback_scope_before: date | None = _setting(
        None,
        "[001] 五.3",
        "回头看 scope: dispositions effective before this date (2017-02-03 for [001]).",
        "per deployment",
    )
    correction_period_set_days: PositiveInt = _setting(
        30, "§6 [inferred]", "`correction-period-unset` after P4.6 (not a §5.5 row)."
    )
    restoration_window_notice_months: PositiveInt = _setting(
        3, "§6 [inferred]", "`restoration-window-closes` shown this long before the end (not a §5.5 row)."
    )

    @field_validator("ledger_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {value}") from exc
        return value

    @field_validator("required_conduct_checks")
    @classmethod
    def _non_empty_groups(
        cls, value: tuple[tuple[ConductCheck, ...], ...]
    ) -> tuple[tuple[ConductCheck, ...], ...]:
        if any(not group for group in value):
            raise ValueError("every required_conduct_checks group needs at least one check")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DomainSettings:
        checks = (
            (self.correction_months_min <= self.correction_months_default, "correction_months_min ≤ default"),
            (self.correction_months_default <= self.correction_months_max, "correction_months default ≤ max"),
            (self.extension_months_min <= self.extension_months_max, "extension_months_min ≤ max"),
            (
                set(BASE_SIGNATURE_EXCUSES) <= set(self.p4_signature_excuses),
                "p4_signature_excuses keeps refused and illness ([C5])",
            ),
            (
                set(BASE_GUIDANCE_PATHS) <= set(self.guidance_required_paths),
                "guidance_required_paths keeps P4, P5, P6, P10 ([000] r4–r6, r10)",
            ),
        )
        problems = [text for holds, text in checks if not holds]
        if problems:
            raise ValueError("; ".join(problems))
        return self


@dataclass(frozen=True)
class SettingDoc:
    """One row of the settings table: name, default, alternatives, source and meaning."""

    name: str
    default: object
    alternatives: str
    source: str
    description: str


def setting_docs() -> list[SettingDoc]:
    """The settings table of procedures.md §5.5 as rows, read from `DomainSettings` itself."""
    rows = []
    for name, info in DomainSettings.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        rows.append(
            SettingDoc(
                name=name,
                default=info.default,
                alternatives=str(extra.get("alternatives", "—")),
                source=str(extra.get("source", "")),
                description=info.description or "",
            )
        )
    return rows
