"""Transfers of the organisational relation (转移组织关系) and 流动党员证 certificates (procedures §2.7)."""

from __future__ import annotations

from pydantic import ConfigDict

from domain.fields import Actor, Date, Doc, PositiveCount, ShortText, Text, Uuid
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.member import FourClear
from domain.statements.vocab_case import TransferNature
from domain.statements.vocab_steps import ReissueReason


def destination_rules(problems: Problems, to_unit: str | None, to_org: str | None) -> None:
    """Exactly one destination: ``to_unit`` (a unit in the ledger) or ``to_org`` (an organisation outside)."""
    if (to_unit is None) == (to_org is None):
        problems.add("to_org", "exactly_one", "give exactly one of to_unit (inside) and to_org (outside)")


class RelationTransferred(Body):
    """转移组织关系（开具介绍信）: a transfer letter, with the 四个清楚 complete ([002] 四).

    Complete means: nature (equal to ``nature``), mobile and backup contact; WeChat is optional, as not
    every member has one.
    """

    label = "转移组织关系"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "letter_no": "安河组转〔2024〕015号",
                "to_unit": ex.UNIT_B4,
                "nature": "permanent",
                "valid_until": "2024-05-01",
                "four_clear": {
                    "nature": "permanent",
                    "mobile": "13905567777",
                    "wechat": "yeqing_77",
                    "backup_contact": "叶红（姐）13800001111",
                },
            }
        )
    )

    letter_no: ShortText
    to_unit: Uuid | None = None
    to_org: ShortText | None = None
    nature: TransferNature
    valid_until: Date
    four_clear: FourClear

    def cross_field_rules(self, problems: Problems) -> None:
        destination_rules(problems, self.to_unit, self.to_org)
        for name in ("nature", "mobile", "backup_contact"):
            if getattr(self.four_clear, name) is None:
                problems.missing(("four_clear", name), "for a transfer (四个清楚)")
        if self.four_clear.nature is not None and self.four_clear.nature != self.nature:
            problems.add(("four_clear", "nature"), "mismatch", "differs from the nature of the transfer")


class IdentityCheck(Checked):
    """Who verified the member's identity before a re-issue, when, and on what basis."""

    by: Actor
    on: Date
    basis: Text


class TransferReissued(Body):
    """补转（重新开具介绍信）: a new letter after the old one was lost, expired or mishandled."""

    label = "补转组织关系"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "original_letter_no": "安河组转〔2024〕015号",
                "reason": "letter_expired",
                "identity_verified": {
                    "by": ex.LI_JING,
                    "on": "2024-05-18",
                    "basis": "核对身份证原件及党员档案",
                },
                "letter_no": "安河组转〔2024〕031号",
                "to_unit": ex.UNIT_B4,
                "valid_until": "2024-08-20",
            }
        )
    )

    original_letter_no: ShortText
    reason: ReissueReason
    identity_verified: IdentityCheck
    letter_no: ShortText
    to_unit: Uuid | None = None
    to_org: ShortText | None = None
    valid_until: Date

    def cross_field_rules(self, problems: Problems) -> None:
        destination_rules(problems, self.to_unit, self.to_org)
        if self.letter_no == self.original_letter_no:
            problems.add("letter_no", "mismatch", "a re-issued letter needs its own number")


class RelationReceived(Body):
    """组织关系接收 / 回执: the letter was received (a receipt for an outside receiver is a guard)."""

    label = "组织关系接收 / 回执"
    model_config = ConfigDict(json_schema_extra=ex.examples({"letter_no": "安河组转〔2024〕031号"}))

    letter_no: ShortText
    receipt: Doc | None = None


class MobileCertificateIssued(Body):
    """发放（换发）《流动党员证》: the mobile-member certificate and how often it is checked (缴验)."""

    label = "发放（换发）《流动党员证》"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "certificate_no": "皖流字2024第0158号",
                "valid_until": "2026-06-02",
                "destination": "江苏省苏州市",
                "destination_org": "苏州工业园区某社区党委",
                "check_every_months": 12,
            }
        )
    )

    certificate_no: ShortText
    valid_until: Date
    destination: Text
    destination_org: ShortText | None = None
    check_every_months: PositiveCount
