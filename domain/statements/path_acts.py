"""Path-specific acts: 教育帮扶, 限期改正 period, 劝退 and its answer, written applications, 恢复组织生活
(procedures §2.6). Those marked ``ref`` in the catalogue are path statements; the others are case-level."""

from __future__ import annotations

from pydantic import ConfigDict

from domain.fields import Actor, Count, Date, DecisionMeeting, Doc, Hash, OptionalText, Text
from domain.statements import examples as ex
from domain.statements.base import Body, PathBody, Problems
from domain.statements.vocab_steps import Channel, CorrectionResult, EducationMeasure, WithdrawalAnswer


class EducationSupportRecorded(Body):
    """教育帮扶 / 继续关心帮助: talks, training, pairing support during 限期改正, or care afterwards."""

    label = "教育帮扶 / 继续关心帮助"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "measure": "pairing",
                "partner": ex.ZHENG_QIANG,
                "summary": "安排支委郑强与黄海结对，每月谈心一次，督促按时参加主题党日。",
            }
        )
    )

    measure: EducationMeasure
    partner: Actor | None = None
    summary: Text


class CorrectionPeriodSet(PathBody):
    """确定改正期限: the 限期改正 period; ``end`` = add_months(``start``, ``months``) is guard 36."""

    label = "确定改正期限"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"ref": {"path": "P4", "step": "P4.9"}, "start": "2025-03-01", "end": "2025-09-01", "months": 6}
        )
    )

    start: Date
    end: Date
    months: Count


class CorrectionPeriodEnded(PathBody):
    """限期改正期满评估: the branch committee judges whether the member has corrected."""

    label = "限期改正期满评估"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.11"},
                "result": "corrected",
                "cmeeting": {
                    "date": "2025-09-05",
                    "members_total": 5,
                    "members_present": 5,
                    "members_for": 5,
                },
                "opinion": "改正期内按时参加组织生活、交纳党费，已改正。",
            }
        )
    )

    result: CorrectionResult
    cmeeting: DecisionMeeting
    opinion: Text


class WithdrawalAdvised(PathBody):
    """劝其退党: the member is advised to withdraw and given until ``answer_due`` to answer."""

    label = "劝其退党"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P5", "step": "P5.9"},
                "answer_due": "2024-12-29",
                "channel": "in_person",
                "record": ex.doc("劝退谈话记录"),
            }
        )
    )

    answer_due: Date
    channel: Channel
    record: Doc | None = None


class WithdrawalAdviceAnswered(PathBody):
    """对劝退的答复: the member accepts (with the written withdrawal), refuses, or does not answer."""

    label = "对劝退的答复"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"ref": {"path": "P5", "step": "P5.10"}, "answer": "accepts", "statement": ex.doc("罗平退党声明")}
        )
    )

    answer: WithdrawalAnswer
    statement: Doc | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.answer == "accepts" and self.statement is None:
            problems.missing("statement", "when the answer is accepts (the member's written withdrawal)")
        if self.answer == "no_answer" and self.statement is not None:
            problems.unexpected("statement", "when the answer is no_answer")


class WithdrawalApplied(Body):
    """书面退党申请: the member's signed application to leave the Party (ground of P7 and of P6)."""

    label = "书面退党申请"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"application": ex.doc("唐敏退党申请书"), "reason_summary": "本人表示不愿再履行党员义务。"}
        )
    )

    application: Doc
    reason_summary: OptionalText | None = None


class RestorationApplied(Body):
    """书面恢复党籍申请: within two years of 停止党籍 (guard 40), the member applies to be restored."""

    label = "书面恢复党籍申请"
    model_config = ConfigDict(json_schema_extra=ex.examples({"application": ex.doc("蔡亮恢复党籍申请书")}))

    application: Doc


class OrganisationalLifeResumed(Body):
    """回国恢复组织生活: a member whose relation was retained returns, after a return talk."""

    label = "回国恢复组织生活"
    model_config = ConfigDict(json_schema_extra=ex.examples({"talk": ex.H_TALK}))

    talk: Hash
