"""Deadlines and overdue items (期限与逾期事项) of procedures.md §6, computed from a member file.

Each item has a start date and a due date; it is *due* on that date and *overdue* from the day after,
until the clearing statement arrives (then the item is no longer produced). Items never refuse anything.
Pure: the caller decides what "today" is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.dates import add_months, day
from domain.member import ACTIVE, EFFECTIVE, Entry, Instance, MemberFile
from domain.settings import DomainSettings
from domain.states import MemberState as S

LABELS = {
    "out-of-control-due": "外出未报告超过一个月，应列入失控名单",
    "lost-contact-due": "失控满六个月，应认定失联",
    "search-stale": "查找久未推进",
    "search-review-due": "查找记录待基层党委审核",
    "disposition-due": "已取得联系（或确认无法联系）待启动处置程序",
    "correction-period-unset": "限期改正待确定改正期限",
    "correction-end": "限期改正期满待评估",
    "probation-end": "预备期届满",
    "suspension-two-years": "停止党籍满二年，应作自行脱党除名处理",
    "notification-due": "处置决定待通知本人",
    "announcement-due": "处置决定待宣布",
    "filing-due": "处置待登记备案",
    "appeal-answer-due": "申诉待答复",
}
"""The Chinese label of every item code."""

NOTIFY = frozenset({"P4", "P5", "P6", "P7", "P8", "PR", "PX"})
ANNOUNCE = frozenset({"P4", "P5", "P6", "P10"})
FILE = frozenset({"P2", "P3", "P7", "P9"})


@dataclass(frozen=True)
class Item:
    """One deadline: its §6 code, Chinese label, start and due dates."""

    code: str
    start: date
    due: date

    @property
    def label(self) -> str:
        """The Chinese label."""
        return LABELS[self.code]

    def overdue(self, today: date) -> bool:
        """Overdue from the day after the due date."""
        return today > self.due


def _last(file: MemberFile, *types: str) -> Entry | None:
    found = file.of_type(*types)
    return found[-1] if found else None


def deadline_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    """Every open §6 item of the member, ordered by due date."""
    if file.state is None:
        return []
    items = [*_case_items(file, settings), *_path_items(file, settings), *_member_items(file, settings)]
    return sorted(items, key=lambda i: (i.due, i.code))


def _case_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    out: list[Item] = []
    state = file.state
    if state is S.NORMAL:
        absence = _last(file, "AbsenceRecorded")
        departed = day(absence.body.get("departed_on")) if absence else None
        if absence and departed and not absence.body.get("reported_to_branch"):
            listed = [e for e in file.of_type("OutOfControlListed") if e.body.get("absence") == absence.hash]
            if not listed:
                out.append(Item("out-of-control-due", departed, add_months(departed, 1) + timedelta(days=1)))
    if state is S.OUT_OF_CONTROL:
        listed_at = file.case_opened_at or date.min
        out.append(
            Item("lost-contact-due", listed_at, add_months(listed_at, settings.lost_contact_threshold_months))
        )
    if state is S.LOST_SEARCHING:
        attempt = _last(file, "SearchAttemptRecorded")
        start = attempt.occurred_at if attempt else (file.case_opened_at or date.min)
        out.append(Item("search-stale", start, start + timedelta(days=settings.search_interval_days)))
    review = [e for e in file.of_type("Reviewed") if e.body.get("subject") == "search_record"]
    if state is S.LOST_UNCONTACTABLE and not any(r.body.get("result") == "agree" for r in review):
        confirmed = _last(file, "UncontactableConfirmed")
        if confirmed is not None and not review:
            start = confirmed.occurred_at
            out.append(Item("search-review-due", start, start + timedelta(days=settings.search_review_days)))
    if not file.active_instances() and state in (S.CONTACTED, S.LOST_UNCONTACTABLE):
        begun = _disposition_start(file, state)
        if begun is not None:
            out.append(Item("disposition-due", begun, begun + timedelta(days=settings.disposition_due_days)))
    return out


def _disposition_start(file: MemberFile, state: S) -> date | None:
    start: date | None
    if state is S.CONTACTED:
        contact = _last(file, "ContactRestored")
        start = contact.occurred_at if contact else None
    else:
        agreed = [
            e
            for e in file.of_type("Reviewed")
            if e.body.get("subject") == "search_record" and e.body.get("result") == "agree"
        ]
        start = agreed[-1].occurred_at if agreed else None
    if start is None:
        return None
    ended = [i.steps[-1].occurred_at for i in _case_instances(file) if i.status not in (ACTIVE, EFFECTIVE)]
    return max([start, *ended])


def _case_instances(file: MemberFile) -> list[Instance]:
    return [i for i in file.instances if i.case_no == file.case_no and i.steps]


def _path_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    out: list[Item] = []
    for i in file.instances:
        if i.effect_on is None or i.end_reason == "revoked":
            continue
        start = i.effect_on
        if i.path in NOTIFY and i.latest_of("MemberNotified") is None:
            out.append(Item("notification-due", start, start + timedelta(days=settings.notify_within_days)))
        if i.path in ANNOUNCE and i.latest_of("Announced") is None:
            out.append(Item("announcement-due", start, start + timedelta(days=settings.announce_within_days)))
        if i.path in FILE and i.latest_of("Filed") is None:
            out.append(Item("filing-due", start, start + timedelta(days=settings.filing_due_days)))
    if file.state is S.CORRECTING:
        out.extend(_correction_items(file, settings))
    if file.state is S.SUSPENDED_UNCONTACTABLE and file.suspension is not None:
        s = file.suspension
        clock = {"approval": s.approval, "decision": s.decision, "filing": s.filing}[
            settings.suspension_clock_start
        ]
        if clock is not None:
            out.append(Item("suspension-two-years", clock, add_months(clock, 24)))
    return out


def _correction_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    instance = file.instance_for("P4")
    if instance is None or instance.effect_on is None:
        return []
    period = _last(file, "CorrectionPeriodSet")
    if period is None:
        start = instance.effect_on
        due = start + timedelta(days=settings.correction_period_set_days)
        return [Item("correction-period-unset", start, due)]
    end = day(period.body.get("end"))
    return [Item("correction-end", period.occurred_at, end)] if end is not None else []


def _member_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    out: list[Item] = []
    if file.state is not None and not file.state.terminal and file.member_type_at(date.max) == "probationary":
        end = file.probation_end(settings.probation_months, settings.expired_probation_extension_from)
        if end is not None and file.joined_on is not None:
            out.append(Item("probation-end", file.joined_on, end))
    answered = {e.body.get("appeal") for e in file.entries if e.type == "AppealAnswered" and not e.withdrawn}
    for e in file.entries:
        if e.type == "AppealLodged" and not e.withdrawn and e.hash not in answered:
            due = add_months(e.occurred_at, settings.appeal_answer_months)
            out.append(Item("appeal-answer-due", e.occurred_at, due))
    return out
