"""Decisions and what completes them: approval, rejection, filing, notification, announcement, withdrawal
of an instance (procedures §2.5). All are path statements (``ref``*)."""

from __future__ import annotations

from pydantic import ConfigDict

from domain.fields import Count, DecisionMeeting, Doc, Hash, NonEmpty, Text
from domain.statements import examples as ex
from domain.statements.base import PathBody, Problems
from domain.statements.steps import months_rules
from domain.statements.vocab import Outcome
from domain.statements.vocab_steps import AnnouncementScope, Channel, FiledKind


class Approved(PathBody):
    """审批同意: the approving level agrees (◆ of most paths); level and outcome are guards 8 and 30."""

    label = "审批同意"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.6"},
                "outcome": "correct_within_limit",
                "opinion": "同意东街社区党支部对黄海限期改正的决议，期限六个月。",
                "cmeeting": {
                    "date": "2025-02-26",
                    "members_total": 7,
                    "members_present": 6,
                    "members_for": 6,
                },
                "decision": ex.doc("城关镇党委关于同意给予黄海限期改正的批复"),
                "correction_months": 6,
            }
        )
    )

    outcome: Outcome
    opinion: Text
    cmeeting: DecisionMeeting | None = None
    decision: Doc
    correction_months: Count | None = None
    extension_months: Count | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        months_rules(problems, self.outcome, self.correction_months, self.extension_months)


class Rejected(PathBody):
    """审批不同意: the approving level refuses; the path instance ends."""

    label = "审批不同意"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P1", "step": "P1.3"},
                "reasons": "调查核实材料不全，未向公安机关了解其失联期间表现。",
                "cmeeting": {
                    "date": "2024-05-20",
                    "members_total": 7,
                    "members_present": 6,
                    "members_for": 5,
                },
            }
        )
    )

    reasons: Text
    cmeeting: DecisionMeeting | None = None
    decision: Doc | None = None


class Filed(PathBody):
    """登记备案: filing with the department (with C for 退党); ``files_transferred`` only for 停止党籍."""

    label = "登记备案"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P9", "step": "P9.4"},
                "filed_kind": "suspension",
                "documents": [ex.doc("城关镇党委关于停止赵磊党籍的批复")],
                "files_transferred": False,
            }
        )
    )

    filed_kind: FiledKind
    documents: NonEmpty[list[Doc]]
    files_transferred: bool | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.files_transferred is not None and self.filed_kind != "suspension":
            problems.unexpected(
                "files_transferred", "unless filed_kind is suspension", self.files_transferred
            )


class MemberNotified(PathBody):
    """通知本人: the member is told of the decision (``unreachable`` when no channel reaches them)."""

    label = "通知本人"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.7"},
                "decision": ex.H_APPROVAL,
                "channel": "in_person",
                "receipt": ex.doc("处置决定送达回执"),
            }
        )
    )

    decision: Hash
    channel: Channel
    receipt: Doc | None = None


class Announced(PathBody):
    """以适当方式宣布: the disposition is announced; ``public`` is kept for 补录 only (guard 44)."""

    label = "以适当方式宣布"
    model_config = ConfigDict(
        json_schema_extra=ex.examples({"ref": {"path": "P4", "step": "P4.8"}, "scope": "branch_meeting"})
    )

    scope: AnnouncementScope


class PathWithdrawn(PathBody):
    """撤回处置程序: the branch ends a path instance before its decision."""

    label = "撤回处置程序"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"ref": {"path": "P4", "step": "P4.1"}, "reason": "本人书面申请退党，改按自愿退党程序办理。"}
        )
    )

    reason: Text
