"""Procedure steps before the decision (procedures §2.5): opinions, pre-reviews, meetings, signatures,
reviews.

Every statement here is a path statement (``ref``*), except ``Reviewed`` of a search record (P0.8).
Vote arithmetic and quorum (guards 28–29), the step's outcome (guard 30) and month ranges (guards 36, 38)
depend on settings or on the instance and are left to the guards.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from domain.fields import Count, Date, DecisionMeeting, Doc, Hash, PositiveCount, Ref, Text, UniqueList, Vote
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, PathBody, Problems
from domain.statements.search import Abroad
from domain.statements.vocab import FREE_TEXT_GROUND_PATHS, PATH_GROUNDS, PATH_OUTCOMES, Outcome
from domain.statements.vocab_steps import MeetingOutcome, ReviewResult, ReviewSubject, SignatureExcuse

_REF_P4_1 = {"path": "P4", "step": "P4.1"}
_CMEETING = {"date": "2025-01-20", "members_total": 5, "members_present": 5, "members_for": 5}
_C1_MEETING = {"date": "2025-02-05", "members_total": 7, "members_present": 6, "members_for": 6}


def months_rules(problems: Problems, outcome: str, correction: int | None, extension: int | None) -> None:
    """``correction_months`` iff the outcome is 限期改正; ``extension_months`` iff it is 延长预备期."""
    problems.require_iff(
        "correction_months",
        correction,
        outcome == "correct_within_limit",
        "when the outcome is correct_within_limit",
    )
    problems.require_iff(
        "extension_months", extension, outcome == "extend_probation", "when the outcome is extend_probation"
    )


class CommitteeOpinionGiven(PathBody):
    """支委会（初步处置）意见 / 党支部初审: the first step of a path; it fixes the ``proposed`` outcome.

    ``proposed`` must be an outcome of ``ref.path``; ``grounds`` are that path's ground codes (free-text
    reasons for PX, where at least one is required; none for paths that list no grounds). An empty list
    for P8 or P11 is left to guard 25.
    """

    label = "支委会（初步处置）意见"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": _REF_P4_1,
                "proposed": "correct_within_limit",
                "grounds": [],
                "cmeeting": _CMEETING,
                "opinion": "黄海失联期间组织纪律散漫，本人愿意改正，建议给予限期改正，期限六个月。",
                "correction_months": 6,
            }
        )
    )

    proposed: Outcome
    grounds: UniqueList[Text]
    cmeeting: DecisionMeeting | None = None
    opinion: Text
    abroad: Abroad | None = None
    correction_months: Count | None = None
    extension_months: Count | None = None
    member_unreachable: bool | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        path = self.ref.path
        outcomes = PATH_OUTCOMES.get(path)
        if outcomes is None:
            problems.add(("ref", "path"), "not_disposition", f"{path} is not a disposition path")
        elif self.proposed not in outcomes:
            problems.add("proposed", "mismatch", f"{self.proposed} is not an outcome of {path}")
        allowed = PATH_GROUNDS.get(path)
        if path in FREE_TEXT_GROUND_PATHS:
            if not self.grounds:
                problems.missing("grounds", f"for {path} (the stated reasons)")
        else:
            for index, ground in enumerate(self.grounds):
                if allowed is None or ground not in allowed:
                    problems.add(("grounds", index), "ground", f"{ground!r} is not a ground of {path}")
        months_rules(problems, self.proposed, self.correction_months, self.extension_months)


class PreReviewed(PathBody):
    """预审意见: the grassroots committee's or the department's pre-review (``cmeeting`` at C: a guard)."""

    label = "预审意见"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.2"},
                "result": "agree",
                "opinion": "同意党支部提出的限期改正初步处置意见。",
                "cmeeting": _C1_MEETING,
            }
        )
    )

    result: ReviewResult
    opinion: Text
    cmeeting: DecisionMeeting | None = None


class GuidanceAttended(PathBody):
    """基层党委派人到会指导: a representative of the grassroots committee attends the general meeting."""

    label = "基层党委派人到会指导"
    model_config = ConfigDict(
        json_schema_extra=ex.examples({"ref": {"path": "P4", "step": "P4.3"}, "meeting_date": "2025-02-14"})
    )

    meeting_date: Date


class Exclusion(Checked):
    """Members left out of the 应到会 count of a general meeting, and why."""

    reason: Text
    count: PositiveCount


class GeneralMeetingResolved(PathBody):
    """支部党员大会决议: the general meeting's vote on the disposition (figures checked by guards 28–31)."""

    label = "支部党员大会决议"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.4"},
                "resolution": "correct_within_limit",
                "vote": {
                    "eligible_voters": 25,
                    "present_voters": 21,
                    "votes_for": 19,
                    "votes_against": 1,
                    "abstentions": 1,
                },
                "outcome": "passed",
                "text": "支部党员大会决定给予黄海限期改正，期限六个月。",
                "minutes": ex.doc("东街社区党支部党员大会记录"),
                "excluded": [{"reason": "保留组织关系（出国（境））", "count": 1}],
                "correction_months": 6,
            }
        )
    )

    resolution: Outcome
    vote: Vote
    outcome: MeetingOutcome
    text: Text
    minutes: Doc
    excluded: list[Exclusion] = Field(default_factory=list)
    correction_months: Count | None = None
    extension_months: Count | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        months_rules(problems, self.resolution, self.correction_months, self.extension_months)


class MemberSigned(PathBody):
    """本人在处置决议上签字: the scan of the resolution the member signed."""

    label = "本人在处置决议上签字"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P4", "step": "P4.5"},
                "resolution": ex.H_RESOLUTION,
                "scan": ex.doc("处置决议（本人签字）"),
            }
        )
    )

    resolution: Hash
    scan: Doc


class SignatureRefusalNoted(PathBody):
    """拒不签字 / 不能签字的注明: the branch notes why the member did not sign (guard 34)."""

    label = "拒不签字 / 不能签字的注明"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "ref": {"path": "P10", "step": "P10.6"},
                "resolution": ex.H_RESOLUTION,
                "reason": "unreachable",
                "note": "本人停止党籍满二年仍无法取得联系，无法签字。",
                "scan": ex.doc("处置决议（注明页）"),
            }
        )
    )

    resolution: Hash
    reason: SignatureExcuse
    note: Text
    scan: Doc


class Reviewed(Body):
    """审核（审查）意见: a review by the general branch or the grassroots committee.

    A path statement (``ref``*) except for the search record (P0.8), which belongs to no path: ``ref`` is
    present exactly when ``subject`` is not ``search_record``.
    """

    label = "审核（审查）意见"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "subject": "search_record",
                "result": "agree",
                "opinion": "经审核，党支部已采取多种方式查找，同意确认无法取得联系。",
                "cmeeting": {
                    "date": "2024-12-02",
                    "members_total": 7,
                    "members_present": 6,
                    "members_for": 6,
                },
            }
        )
    )

    ref: Ref | None = None
    remedies: Hash | None = None
    subject: ReviewSubject
    result: ReviewResult
    opinion: Text
    cmeeting: DecisionMeeting | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        problems.require_iff(
            "ref", self.ref, self.subject != "search_record", "when the subject is not search_record"
        )
