"""Case opening and search (procedures §2.3): 失控, 认定失联, 口袋党员, 联系查找, 取得联系, 确认无法联系,
确认死亡."""

from __future__ import annotations

from pydantic import ConfigDict

from domain.codes import CAUSE_OTHER, CauseCode, OccupationCode, OrgCategoryCode
from domain.fields import (
    Actor,
    CampaignId,
    Count,
    Date,
    DateOrYearMonth,
    DecisionMeeting,
    Doc,
    Hash,
    IntCode,
    NonEmpty,
    OptionalText,
    PositiveCount,
    ShortText,
    Text,
    UniqueList,
)
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.vocab_case import (
    ContactVia,
    DeathSource,
    Purpose,
    SearchMethod,
    SearchResult,
    UncontactableProposal,
)


class OutOfControlListed(Body):
    """列入“失控”党员名单: away over a month without reporting ([002] 措施 二); timing is guard 16."""

    label = "列入“失控”党员名单"
    model_config = ConfigDict(
        json_schema_extra=ex.examples({"absence": ex.H_ABSENCE, "note": "外出未报告，电话无人接听"})
    )

    absence: Hash
    note: OptionalText | None = None


class LostContactConfirmed(Body):
    """认定失联: the member has lost contact (失联党员, 6 months or more: guard 17 checks the time).

    ``last_contact_date`` is the later of ``last_org_life_date`` and ``last_dues_date`` when both are given,
    and not before the one given otherwise (forms §1.2). ``cause_remarks`` is required for cause ⑦ 其他.
    """

    label = "认定失联"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "last_org_life_date": "2023-12-20",
                "last_dues_date": "2024-01-05",
                "last_contact_date": "2024-01-05",
                "cause": 1,
                "occupation": 3,
                "org_category": 7,
                "reference_date": "2024-09-05",
            }
        )
    )

    last_org_life_date: Date | None = None
    last_dues_date: Date | None = None
    last_contact_date: Date
    cause: IntCode[CauseCode]
    cause_remarks: Text | None = None
    occupation: IntCode[OccupationCode] | None = None
    org_category: IntCode[OrgCategoryCode]
    campaign_id: CampaignId | None = None
    reference_date: Date

    def cross_field_rules(self, problems: Problems) -> None:
        if self.cause == CAUSE_OTHER and self.cause_remarks is None:
            problems.missing("cause_remarks", "when cause is 7 (其他: 具体原因在备注栏中注明)")
        known = [day for day in (self.last_org_life_date, self.last_dues_date) if day is not None]
        if len(known) == 2 and self.last_contact_date != max(known):
            problems.add(
                "last_contact_date", "mismatch", "must be the later of last_org_life_date and last_dues_date"
            )
        elif known and self.last_contact_date < known[0]:
            problems.add(
                "last_contact_date", "order", "is before the last organisational life or dues date given"
            )


class PocketMemberFlagged(Body):
    """标记“口袋”党员: transferred out but never reported to the receiving organisation (forms §1.5)."""

    label = "标记“口袋”党员"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "letter_no": "安河组转〔2024〕015号",
                "transferred_out_on": "2024-02-01",
                "receiving_org": "青石村党支部",
                "checked_with_receiver_on": "2024-05-06",
                "whereabouts_known": True,
            }
        )
    )

    letter_no: ShortText
    transferred_out_on: Date
    receiving_org: ShortText
    checked_with_receiver_on: Date | None = None
    whereabouts_known: bool

    def cross_field_rules(self, problems: Problems) -> None:
        if (
            self.checked_with_receiver_on is not None
            and self.checked_with_receiver_on < self.transferred_out_on
        ):
            problems.add("checked_with_receiver_on", "order", "is before transferred_out_on")


class SearchAttemptRecorded(Body):
    """联系查找记录: one 第X次联系查找情况 of the search-record form (forms §3.3).

    At least one searcher here; two distinct full members, the signer among them, is guard 18 (it names
    its own refusal, and a 补录 record keeps a one-signer paper as a finding).
    """

    label = "联系查找记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "attempt_no": 1,
                "method": "direct",
                "target": "赵磊本人（原手机号）",
                "phone": "13905561234",
                "narrative": (
                    "2024年9月20日，支部工作人员吴芳拨打赵磊原手机号，提示已停机；"
                    "到其户籍地址走访，邻居称其已外出多年。"
                ),
                "result": "no_trace",
                "searchers": [ex.WU_FANG, ex.ZHENG_QIANG],
            }
        )
    )

    attempt_no: PositiveCount
    method: SearchMethod
    target: Text
    phone: OptionalText | None = None
    narrative: Text
    follow_up_on: Date | None = None
    result: SearchResult
    searchers: NonEmpty[list[Actor]]


class Abroad(Checked):
    """A stay abroad (出国（境）): where, why, since when, settled or not, and for how long."""

    country_region: ShortText
    purpose: Purpose
    since: Date
    settled: bool
    planned_months: Count | None = None
    expected_return: Date | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.expected_return is not None and self.expected_return < self.since:
            problems.add("expected_return", "order", "is before since")


class ContactRestored(Body):
    """取得联系: contact is made again; ``attempt`` (the successful search) iff ``via`` is search."""

    label = "取得联系"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "via": "search",
                "attempt": ex.H_ATTEMPT_2,
                "whereabouts": "英国伦敦，在读研究生",
                "phone": "+44 7700 900123",
                "abroad": {
                    "country_region": "英国",
                    "purpose": "study",
                    "since": "2023-09-01",
                    "settled": False,
                    "planned_months": 24,
                    "expected_return": "2025-09-01",
                },
            }
        )
    )

    via: ContactVia
    attempt: Hash | None = None
    whereabouts: Text
    phone: OptionalText | None = None
    abroad: Abroad | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        problems.require_iff("attempt", self.attempt, self.via == "search", "when via is search")


class UncontactableConfirmed(Body):
    """确认无法取得联系: the branch committee's opinion on the search record (记录表 支委会意见).

    ``cmeeting`` may be absent only for a branch without 支委会, which the guards know, not the body.
    """

    label = "确认无法取得联系"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "cmeeting": {
                    "date": "2024-11-25",
                    "members_total": 5,
                    "members_present": 5,
                    "members_for": 5,
                },
                "attempts": [ex.H_ATTEMPT_1, ex.H_ATTEMPT_2, ex.H_ATTEMPT_3],
                "opinion": "经直接联系、人际查找和部门查找，仍无法与赵磊取得联系，建议停止其党籍。",
                "proposed": "suspend_uncontactable",
            }
        )
    )

    cmeeting: DecisionMeeting | None = None
    attempts: NonEmpty[UniqueList[Hash]]
    opinion: Text
    proposed: UncontactableProposal


class DeathConfirmed(Body):
    """确认死亡: the member has died (附件5 column X); ``died_on`` may be a date or a year and month."""

    label = "确认死亡"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"died_on": "2024-05-30", "source": "household_register", "evidence": ex.doc("户籍注销证明")}
        )
    )

    died_on: DateOrYearMonth | None = None
    source: DeathSource
    evidence: Doc
