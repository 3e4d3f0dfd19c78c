"""The guard table of procedures.md §5.2 as data: number, stable code, ■ mark and the bilingual message.

The code is the RFC 9457 problem `type` the API returns; ■ (`blocks_history`) marks the guards that also
refuse a 补录 statement, every other one becomes a finding there (§5.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class GuardInfo:
    """One row of §5.2."""

    number: int
    code: str
    blocks_history: bool
    zh: str
    en: str


@dataclass(frozen=True)
class Refusal:
    """Why a statement is refused (拒绝理由): the guard number, its stable code and the message in both languages.

    `detail` says which fact failed (English, for logs and problem documents); it is not part of the code.
    """

    guard: int
    code: str
    zh: str
    en: str
    detail: str = ""


GUARDS: Mapping[int, GuardInfo] = MappingProxyType({
    1: GuardInfo(1, "member-not-registered", True, "党员尚未登记", "The member is not registered."),
    2: GuardInfo(2, "historical-not-allowed", True, "不符合补录条件", "Historical entry is not allowed here."),
    3: GuardInfo(3, "historical-source-missing", True, "补录须附原件扫描件", "A historical entry needs the scanned original."),
    4: GuardInfo(4, "future-date", True, "发生日期晚于当前日期", "The occurred date lies in the future."),
    5: GuardInfo(5, "wrong-role", False, "签署人无权签署此类记录", "The signer's role may not sign this statement."),
    6: GuardInfo(6, "unit-dissolved", False, "签署人所在组织已撤销", "The signer's unit no longer exists."),
    7: GuardInfo(7, "wrong-level", False, "组织层级不符", "Wrong organisational level for this step."),
    8: GuardInfo(8, "approval-level", False, "审批层级不符", "This approval belongs to another level."),
    9: GuardInfo(9, "case-not-open", False, "该党员无在办案件", "No open case for this member."),
    10: GuardInfo(10, "step-not-allowed", False, "当前状态不允许此步骤", "Not allowed in the member's current state."),
    11: GuardInfo(11, "unknown-step", False, "程序中无此步骤", "No such step in this path."),
    12: GuardInfo(12, "path-already-active", False, "已有处置程序在办", "Another disposition is in progress."),
    13: GuardInfo(13, "step-already-done", False, "该步骤已完成", "This step is already done."),
    14: GuardInfo(14, "full-member-only", False, "仅适用于正式党员", "For full members only."),
    15: GuardInfo(15, "probationary-only", False, "仅适用于预备党员", "For probationary members only."),
    16: GuardInfo(16, "out-of-control-too-early", False, "外出未超过一个月或已报告", "Absence not over one month, or reported."),
    17: GuardInfo(17, "under-six-months", False, "与党组织失去联系未满六个月", "Out of contact for less than six months."),
    18: GuardInfo(18, "search-needs-two-full-member-signers", False, "查找记录须有至少两名正式党员签名", "At least two full members must sign each search record."),
    19: GuardInfo(19, "attestation-invalid", False, "共同签署无效", "Invalid co-signature."),
    20: GuardInfo(20, "search-insufficient", False, "查找不充分", "The search is not sufficient."),
    21: GuardInfo(21, "investigation-incomplete", False, "调查核实不完整", "The conduct investigation is incomplete."),
    22: GuardInfo(22, "violation-not-referred", False, "违纪违法线索未移送纪检、公安", "Violation clues were not referred."),
    23: GuardInfo(23, "misconduct-found", False, "存在不合格表现或违纪违法行为，不能纳入正常管理", "Misconduct found: not eligible for normal management."),
    24: GuardInfo(24, "suspended-needs-restoration", False, "停止党籍期间须先恢复党籍", "Membership is suspended: restore it first."),
    25: GuardInfo(25, "ground-not-established", False, "处置情形不成立", "The situation this path requires is not established."),
    26: GuardInfo(26, "abroad-below-threshold", False, "出国（境）时间未达保留条件", "Stay abroad below the retention threshold."),
    27: GuardInfo(27, "pre-review-not-agreed", False, "预审未同意", "Pre-review missing or not agreed."),
    28: GuardInfo(28, "quorum-not-met", False, "到会人数未过半数", "Quorum not met."),
    29: GuardInfo(29, "vote-arithmetic", False, "表决数据不一致", "Vote figures are inconsistent."),
    30: GuardInfo(30, "outcome-mismatch", False, "决议或审批结论与处置意见不一致", "The outcome differs from the proposal."),
    31: GuardInfo(31, "resolution-not-passed", False, "决议未获通过", "The resolution did not pass."),
    32: GuardInfo(32, "guidance-missing", False, "基层党委未派人到会指导", "No representative of the 基层党委 attended the meeting."),
    33: GuardInfo(33, "member-signature-missing", False, "缺少本人签字或未签字的注明", "The member's signature or the note is missing."),
    34: GuardInfo(34, "signature-excuse-not-allowed", False, "该不签字理由不适用", "This reason is not allowed for this path."),
    35: GuardInfo(35, "answer-pending", False, "尚待本人答复", "The member's answer is still pending."),
    36: GuardInfo(36, "correction-period-invalid", False, "改正期限不符合规定", "Invalid correction period."),
    37: GuardInfo(37, "correction-not-ended", False, "改正期未满或未开展教育帮扶", "Period not over, or no education support."),
    38: GuardInfo(38, "extension-too-long", False, "预备期只能延长一次，半年至一年", "Probation may be extended once, by 6 to 12 months."),
    39: GuardInfo(39, "suspension-under-two-years", False, "停止党籍未满二年", "Suspended for less than two years."),
    40: GuardInfo(40, "restoration-after-two-years", False, "已超过停止党籍二年期限", "The two-year restoration window has passed."),
    41: GuardInfo(41, "materials-missing", False, "缺少所需材料", "Required materials missing."),
    42: GuardInfo(42, "date-before-prerequisite", False, "日期早于前置步骤", "Dated before a prerequisite step."),
    43: GuardInfo(43, "step-out-of-order", False, "步骤顺序不符", "Step out of order."),
    44: GuardInfo(44, "announcement-public", False, "处置工作不得公开宣传报道", "Dispositions are not announced publicly."),
    45: GuardInfo(45, "correction-not-permitted", False, "无权更正该记录", "Not permitted to correct this statement."),
    46: GuardInfo(46, "correction-invalidates-history", False, "更正将使后续记录不成立", "The correction would invalidate later statements."),
    47: GuardInfo(47, "appeal-invalid", False, "申诉记录无效", "Invalid appeal record."),
    48: GuardInfo(48, "remedy-without-basis", False, "纠正缺少依据", "Revocation or remedy without a decision calling for it."),
    49: GuardInfo(49, "lookback-target-invalid", False, "回头看对象不是处置决定", "The look-back target is not a disposition."),})  # fmt: skip
"""Guards 1–49 by number."""

VALIDATION = GuardInfo(0, "validation", True, "数据校验未通过", "The statement does not validate.")
"""Unit- and actor-stream refusals (§1.1 parent rules, signer rules) use the kernel's `validation` type."""


def refusal(number: int, detail: str = "") -> Refusal:
    """The refusal of guard `number` (0: `validation`)."""
    info = GUARDS[number] if number else VALIDATION
    return Refusal(info.number, info.code, info.zh, info.en, detail)
