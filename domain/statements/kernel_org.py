"""Organisation, actors, corrections, co-signatures and review campaigns (procedures §2.1, §2.2).

``KeyEnrolled`` and ``KeyRevoked`` (密钥登记 / 吊销) belong to the ledger kernel and are not modelled here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict

from domain.codes import AdminLevel, OrgCategoryCode, Role, Standing, UnitKind
from domain.fields import (
    CampaignId,
    Date,
    Hash,
    IntCode,
    JsonObject,
    NonEmpty,
    ShortText,
    Text,
    UniqueList,
    Uuid,
    as_date,
)
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.vocab_case import AttestationCapacity, CampaignPhase


class UnitRegistered(Body):
    """组织登记: an organisation unit (党支部, 党总支, 基层党委, 组织部门) enters the ledger.

    Body-only rules: ``admin_level`` iff the unit is an ``org_department``; every other kind needs a
    ``parent``. Whether the parent's kind and level fit (§1.1) needs the parent's statements: a guard.
    """

    label = "组织登记"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "name": "东街社区党支部",
                "kind": "branch",
                "parent": ex.UNIT_C1,
                "org_category": 7,
                "has_committee": True,
                "live_from": "2021-01-01",
            }
        )
    )

    name: ShortText
    kind: UnitKind
    parent: Uuid | None = None
    admin_level: AdminLevel | None = None
    org_category: IntCode[OrgCategoryCode] | None = None
    has_committee: bool | None = None
    live_from: Date

    def cross_field_rules(self, problems: Problems) -> None:
        department = self.kind == "org_department"
        problems.require_iff("admin_level", self.admin_level, department, "when kind is org_department")
        if not department and self.parent is None:
            problems.missing("parent", f"for a unit of kind {self.kind}")


class UnitDissolved(Body):
    """组织撤销: the unit ends at ``occurred_at``; its duties pass to ``successor`` or upwards."""

    label = "组织撤销"
    model_config = ConfigDict(json_schema_extra=ex.examples({"successor": ex.UNIT_C1}))

    successor: Uuid | None = None


class ActorRegistered(Body):
    """人员登记: an actor's unit, roles and own Party standing (党籍) from ``occurred_at`` on."""

    label = "人员登记"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "name": "周明",
                "unit": ex.UNIT_B1,
                "roles": ["SEC"],
                "standing": "full",
                "member": ex.MEMBER_ZHAO_LEI,
            }
        )
    )

    name: ShortText
    unit: Uuid
    roles: NonEmpty[UniqueList[Role]]
    standing: Standing
    member: Uuid | None = None


class Corrected(Body):
    """更正: replaces the body of the statement ``corrects`` names, or withdraws it (guards 45–46).

    Exactly one of ``replacement`` and ``withdrawn``; the replacement is checked against the target's type
    by the guards, which know the target.
    """

    label = "更正"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"corrects": ex.H_ATTEMPT_1, "reason": "联系电话记录有误", "withdrawn": True},
        )
    )

    corrects: Hash
    reason: Text
    replacement: JsonObject | None = None
    withdrawn: Literal[True] | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if (self.replacement is None) == (self.withdrawn is None):
            problems.add("replacement", "exactly_one", "give exactly one of replacement and withdrawn")


class Attested(Body):
    """共同签署: a searcher or witness co-signs a ``SearchAttemptRecorded`` (guard 19)."""

    label = "共同签署"
    model_config = ConfigDict(
        json_schema_extra=ex.examples({"attests": ex.H_ATTEMPT_1, "capacity": "searcher", "note": "情况属实"})
    )

    attests: Hash
    capacity: AttestationCapacity
    note: Text | None = None


class CampaignPhaseSpan(Checked):
    """One phase of a review campaign, first and last day included."""

    phase: CampaignPhase
    start: Date
    end: Date

    def cross_field_rules(self, problems: Problems) -> None:
        if self.end < self.start:
            problems.add("end", "order", "the phase ends before it starts")


PHASE_ORDER: tuple[CampaignPhase, ...] = ("study_deploy", "central_review", "disposition", "consolidation")


class ReviewCampaignOpened(Body):
    """集中排查启动: a 党员组织关系集中排查 campaign with its phases ([003] 附件1, forms §5.1).

    Phases come in the order 学习部署, 集中排查, 规范处置, 总结巩固, each at most once, without overlap;
    集中排查 is required and ``review_end`` (排查工作结束时) is its last day.
    """

    label = "集中排查启动"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "campaign_id": "anhe-2017",
                "name": "安河县党员组织关系集中排查",
                "basis": "皖组发〔2017〕4号",
                "scope_unit": ex.UNIT_D,
                "phases": [
                    {"phase": "study_deploy", "start": "2017-02-06", "end": "2017-02-28"},
                    {"phase": "central_review", "start": "2017-03-01", "end": "2017-03-31"},
                    {"phase": "disposition", "start": "2017-04-01", "end": "2017-06-30"},
                    {"phase": "consolidation", "start": "2017-07-01", "end": "2017-08-31"},
                ],
                "review_start": "2017-03-01",
                "review_end": "2017-03-31",
            }
        )
    )

    campaign_id: CampaignId
    name: ShortText
    basis: ShortText | None = None
    scope_unit: Uuid
    phases: NonEmpty[list[CampaignPhaseSpan]]
    review_start: Date
    review_end: Date

    def cross_field_rules(self, problems: Problems) -> None:
        ranks = [PHASE_ORDER.index(span.phase) for span in self.phases]
        for index in range(1, len(self.phases)):
            if ranks[index] <= ranks[index - 1]:
                problems.add(
                    ("phases", index, "phase"),
                    "order",
                    "phases must follow 学习部署, 集中排查, 规范处置, 总结巩固",
                )
            elif as_date(self.phases[index].start) <= as_date(self.phases[index - 1].end):
                problems.add(
                    ("phases", index, "start"), "overlap", "a phase must start after the previous one ends"
                )
        central = [span for span in self.phases if span.phase == "central_review"]
        if not central:
            problems.missing("phases", "(the central_review phase 集中排查)")
        elif self.review_end != central[0].end:
            problems.add(
                "review_end", "mismatch", "review_end must be the last day of the central_review phase"
            )
        if self.review_end < self.review_start:
            problems.add("review_end", "order", "review_end is before review_start")
