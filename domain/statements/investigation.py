"""Investigation (调查核实), talks (谈话), referral of violations and party discipline (procedures §2.4)."""

from __future__ import annotations

from pydantic import ConfigDict

from domain.fields import Actor, Date, Doc, Hash, NonEmpty, ShortText, Text, UniqueList
from domain.statements import examples as ex
from domain.statements.base import Body, Problems
from domain.statements.vocab_case import (
    Attitude,
    CheckKind,
    Criterion,
    Finding,
    ReferralTarget,
    Sanction,
    TalkKind,
)


class ConductInvestigated(Body):
    """调查核实: one check of the member's conduct during and after the lost-contact period ([001] 二.1).

    ``criteria`` (the six signs of an unqualified member) go with ``unqualified_conduct`` and only with it;
    ``no_reply`` has no ``answered_on``; ``file_defect`` comes only from a ``file_check``.
    """

    label = "调查核实"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "check": "employer_letter",
                "asked_on": "2025-01-08",
                "answered_on": "2025-01-13",
                "finding": "unqualified_conduct",
                "criteria": ["discipline_lax"],
                "summary": "原工作单位复函：失联期间长期不参加组织生活，经多次提醒仍不向党组织报告去向。",
                "evidence": ex.doc("某公司关于黄海同志表现情况的复函"),
            }
        )
    )

    check: CheckKind
    asked_on: Date
    answered_on: Date | None = None
    finding: Finding
    criteria: UniqueList[Criterion] | None = None
    summary: Text
    evidence: Doc | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        unqualified = self.finding == "unqualified_conduct"
        if unqualified and not self.criteria:
            problems.missing("criteria", "when the finding is unqualified_conduct")
        elif not unqualified and self.criteria is not None:
            problems.unexpected("criteria", "unless the finding is unqualified_conduct", self.criteria)
        if self.finding == "no_reply" and self.answered_on is not None:
            problems.unexpected("answered_on", "when the finding is no_reply", self.answered_on)
        if self.finding == "file_defect" and self.check != "file_check":
            problems.add("finding", "mismatch", "file_defect is found only by a file_check")
        if self.answered_on is not None and self.answered_on < self.asked_on:
            problems.add("answered_on", "order", "is before asked_on")


class TalkHeld(Body):
    """谈话: a talk with the member and the attitudes it showed (``attitude`` may be empty, not absent)."""

    label = "谈话"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "kind": "education",
                "talkers": [ex.ZHOU_MING, ex.ZHENG_QIANG],
                "attitude": ["recognises_problem", "willing_to_participate"],
                "summary": "本人认识到长期不与党组织联系的错误，表示今后按时参加组织生活、交纳党费。",
                "record": ex.doc("谈话记录"),
            }
        )
    )

    kind: TalkKind
    talkers: NonEmpty[UniqueList[Actor]]
    attitude: UniqueList[Attitude]
    summary: Text
    record: Doc | None = None


class ViolationReferred(Body):
    """移送违纪违法线索: clues of violations passed to 纪检 or 公安 (a disposition never replaces them)."""

    label = "移送违纪违法线索"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "to": "public_security",
                "findings": [ex.H_FINDING],
                "summary": "公安机关反映其失联期间涉嫌参与非法集资，线索移送县公安局。",
                "letter": ex.doc("线索移送函"),
            }
        )
    )

    to: ReferralTarget
    findings: NonEmpty[UniqueList[Hash]]
    summary: Text
    letter: Doc


class DisciplineRecorded(Body):
    """党纪处分记录: a sanction decided outside these paths (开除党籍 ends the membership: column M or V)."""

    label = "党纪处分记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "sanction": "expulsion",
                "decided_by": "中共安河县纪律检查委员会",
                "decided_on": "2025-11-20",
                "article": "第三十六条",
                "decision": ex.doc("关于给予钟声开除党籍处分的决定"),
            }
        )
    )

    sanction: Sanction
    decided_by: ShortText
    decided_on: Date
    article: ShortText | None = None
    decision: Doc
