"""Appeals (申诉), revocation, look-back (回头看) and attached materials (procedures §2.8).

Which statements a hash may name, and who may sign, are guards 47–49.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from domain.fields import (
    Date,
    DecisionMeeting,
    Doc,
    Hash,
    NonEmpty,
    PathId,
    PositiveCount,
    StepId,
    Text,
    UniqueList,
)
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.vocab import Material
from domain.statements.vocab_steps import AppealDecision, AppealKind, Channel, LookBackConclusion, YesNo

#: A guard or finding code (procedures §5.2), e.g. ``step-missing``.
DeviationCode = Annotated[
    str, StringConstraints(strict=True, pattern=r"^[a-z]+(?:-[a-z0-9]+)*$"), Field(max_length=64)
]


class AppealLodged(Body):
    """受理申诉: an appeal against a disposition (◆ step) is received (《中国共产党党员权利保障条例》)."""

    label = "受理申诉"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "against": ex.H_APPROVAL,
                "grounds": "本人认为原工作单位未复函，事实不清。",
                "letter": ex.doc("申诉书"),
            }
        )
    )

    against: Hash
    grounds: Text
    letter: Doc


class AppealReviewed(Body):
    """复议 / 复查: reconsideration by the approving unit, or re-examination by an ancestor (guard 47)."""

    label = "复议 / 复查"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "appeal": ex.H_APPEAL,
                "kind": "reconsideration",
                "decision": "revoke",
                "reasons": "调查核实时原工作单位未复函，事实不清，撤销原处置。",
            }
        )
    )

    appeal: Hash
    kind: AppealKind
    decision: AppealDecision
    reasons: Text
    cmeeting: DecisionMeeting | None = None


class AppealAnswered(Body):
    """答复本人: the member is answered by the unit that received the appeal."""

    label = "答复本人"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "appeal": ex.H_APPEAL,
                "channel": "letter",
                "summary": "经复议，撤销原自行脱党除名处置。",
                "answer": ex.doc("申诉答复书"),
            }
        )
    )

    appeal: Hash
    channel: Channel
    summary: Text
    answer: Doc


class DispositionRevoked(Body):
    """撤销（纠正）原处置: a disposition is reverted, on an appeal review or a look-back that says revoke."""

    label = "撤销（纠正）原处置"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "target": ex.H_APPROVAL,
                "basis": ex.H_LOOKBACK,
                "reasons": "未经停止党籍程序直接除名，程序不完备。",
            }
        )
    )

    target: Hash
    basis: Hash
    reasons: Text


class LookBackAnswer(Checked):
    """The answer to one of the four questions; ``reasons`` are required for a no."""

    answer: YesNo
    reasons: Text | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.answer == "no" and self.reasons is None:
            problems.missing("reasons", "when the answer is no")


class LookBackAnswers(Checked):
    """回头看“四个是否”: facts clear, reasons sufficient, disposition appropriate, formalities complete."""

    facts_clear: LookBackAnswer
    reasons_sufficient: LookBackAnswer
    disposition_appropriate: LookBackAnswer
    formalities_complete: LookBackAnswer


class Deviation(Checked):
    """A deviation found: its guard or finding code, the step or material concerned, and a note."""

    code: DeviationCode
    step: StepId | None = None
    material: Material | None = None
    note: Text


class LookBackReviewed(Body):
    """回头看审核: a past disposition checked against the four questions ([001] 五.3).

    ``due`` goes with ``rectify`` and only with it, and a rectification needs at least one deviation.
    """

    label = "回头看审核"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "target": ex.H_APPROVAL,
                "answers": {
                    "facts_clear": {"answer": "yes"},
                    "reasons_sufficient": {"answer": "yes"},
                    "disposition_appropriate": {"answer": "yes"},
                    "formalities_complete": {"answer": "no", "reasons": "未报县委组织部登记备案。"},
                },
                "deviations": [{"code": "step-missing", "step": "P3.4", "note": "缺少登记备案。"}],
                "conclusion": "rectify",
                "due": "2025-06-30",
            }
        )
    )

    target: Hash
    answers: LookBackAnswers
    deviations: list[Deviation]
    conclusion: LookBackConclusion
    due: Date | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        problems.require_iff("due", self.due, self.conclusion == "rectify", "when the conclusion is rectify")
        if self.conclusion == "rectify" and not self.deviations:
            problems.missing("deviations", "when the conclusion is rectify (what is to be rectified)")


class LookBackRectified(Body):
    """回头看整改完成: the listed deviations are remedied; closes the look-back item."""

    label = "回头看整改完成"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"lookback": ex.H_LOOKBACK, "remedies": [ex.H_RECORD], "resolved": ["step-missing"]}
        )
    )

    lookback: Hash
    remedies: NonEmpty[UniqueList[Hash]]
    resolved: NonEmpty[UniqueList[DeviationCode]]


class MaterialAttached(Body):
    """附件材料: a document of a required material (所需材料, §2.10) attached to the member's file."""

    label = "附件材料"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "doc": ex.doc("处置不合格党员审批表（黄海）"),
                "form": "disposal-form",
                "pages": 2,
                "path": "P4",
            }
        )
    )

    doc: Doc
    form: Material
    pages: PositiveCount | None = None
    path: PathId | None = None
    supplements: Hash | None = None
    remedies: Hash | None = None
