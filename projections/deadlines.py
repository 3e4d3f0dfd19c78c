"""Deadlines and overdue items (期限与逾期事项) of procedures.md §6, computed from a member file.

Each item has a start date and a due date; it is *due* on that date and *overdue* from the day after,
until the clearing statement arrives (then the item is no longer produced). Items never refuse anything.
Pure: the caller decides what "today" is. The §6 table is :data:`RULES`, one row per item code: its
Chinese label and the function that finds the item's open occurrences in a member file. Durations come
from ``DomainSettings`` or from the statement that sets them (``answer_due``, ``valid_until``, ``due``,
``check_every_months``); the paths that owe a notification, an announcement or a filing are read from the
procedure tables (the completion steps after each ◆ step).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.dates import add_months, day
from domain.member import ACTIVE, EFFECTIVE, Entry, Instance, MemberFile
from domain.procedures import PROCEDURES
from domain.settings import DomainSettings
from domain.states import SUSPENDED
from domain.states import MemberState as S

SUSPENSION_WINDOW_MONTHS = 24
"""停止党籍2年: the restoration window and the wait before 自行脱党除名 ([001] 四.1, [000] r10, §5.3)."""

ONE_DAY = timedelta(days=1)


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


Finder = Callable[[MemberFile, DomainSettings], Iterable[Item]]


@dataclass(frozen=True)
class Rule:
    """One row of the §6 table: the item code, its Chinese label, and where its occurrences come from."""

    code: str
    label: str
    find: Finder


def _last(file: MemberFile, *types: str) -> Entry | None:
    found = file.of_type(*types)
    return found[-1] if found else None


def _completion_paths(statement_type: str) -> frozenset[str]:
    """The paths whose tables list a step of this type after the ◆ step (§6 rows notification/…/filing)."""
    out = set()
    for path, procedure in PROCEDURES.items():
        effects = {s.id for s in procedure.steps if s.effect}
        for step in procedure.steps:
            after = any(alt.step in effects for pre in step.pre for alt in pre.any_of)
            if after and statement_type in step.statements:
                out.add(path)
    return frozenset(out)


NOTIFY = _completion_paths("MemberNotified")
ANNOUNCE = _completion_paths("Announced")
FILE = _completion_paths("Filed")


def window_end(file: MemberFile, settings: DomainSettings) -> date | None:
    """The end of the 2-year window of the suspension in force: clock start (§5.3, [C7]) + 24 months."""
    s = file.suspension
    if s is None:
        return None
    clock = {"approval": s.approval, "decision": s.decision, "filing": s.filing}[
        settings.suspension_clock_start
    ]
    return add_months(clock, SUSPENSION_WINDOW_MONTHS) if clock is not None else None


def _out_of_control(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """外出未报告: the latest absence, unreported and not listed, is over one month old ([002])."""
    absence = _last(file, "AbsenceRecorded")
    if file.state is not S.NORMAL or absence is None:
        return
    body = absence.body
    departed = day(body.get("departed_on"))
    reported = body.get("reported_to_branch") or day(body.get("reported_on")) is not None
    listed = any(e.body.get("absence") == absence.hash for e in file.of_type("OutOfControlListed"))
    if departed is not None and not reported and not listed:
        yield Item("out-of-control-due", departed, add_months(departed, 1) + ONE_DAY)


def _lost_contact(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """失控 member: L (the latest 组织生活 / 党费, else the departure, else the listing) + the threshold."""
    if file.state is not S.OUT_OF_CONTROL:
        return
    contacts = [e.occurred_at for e in file.entries if e.type == "ParticipationRecorded" and not e.withdrawn
                and e.body.get("kind") in ("org_life", "dues")]  # fmt: skip
    listing = _last(file, "OutOfControlListed")
    absence = file.entry(str(listing.body.get("absence"))) if listing is not None else None
    departed = day(absence.body.get("departed_on")) if absence is not None else None
    start = max(contacts) if contacts else departed or file.case_opened_at
    if start is None:
        return
    due = add_months(start, settings.lost_contact_threshold_months)
    yield Item("lost-contact-due", start, due if settings.threshold_inclusive else due + ONE_DAY)


def qualifies(file: MemberFile, attempt: Entry) -> bool:
    """An attempt with two distinct signers: its signer and an attester (补录: two declared full searchers).

    The full-member standing of each signer was checked when the statement was accepted (guard 18).
    """
    if attempt.historical:
        full = {str(s.get("name")) for s in attempt.body.get("searchers") or () if isinstance(s, dict)
                and s.get("standing") == "full"}  # fmt: skip
        return len(full) >= 2
    attesters = {e.actor for e in file.entries if e.type == "Attested" and not e.withdrawn
                 and e.body.get("attests") == attempt.hash}  # fmt: skip
    return bool(attesters - {attempt.actor})


def _search_stale(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """查找: the last attempt with two full-member signers (or the case opening) + `search_interval_days`."""
    if file.state is not S.LOST_SEARCHING:
        return
    attempts = [e for e in file.of_type("SearchAttemptRecorded") if qualifies(file, e)]
    start = attempts[-1].occurred_at if attempts else file.case_opened_at
    if start is not None:
        yield Item("search-stale", start, start + timedelta(days=settings.search_interval_days))


def _search_review(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """支委会 found the member uncontactable (P0.7b): C's opinion (P0.8) is due."""
    reviews = [e for e in file.of_type("Reviewed") if e.body.get("subject") == "search_record"]
    confirmed = _last(file, "UncontactableConfirmed")
    if file.state is S.LOST_UNCONTACTABLE and confirmed is not None and not reviews:
        start = confirmed.occurred_at
        yield Item("search-review-due", start, start + timedelta(days=settings.search_review_days))


def _disposition(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """Contacted (or P0.8 agreed) with no path running: the first step of a path is due."""
    if file.active_instances() or file.state not in (S.CONTACTED, S.LOST_UNCONTACTABLE):
        return
    start: date | None
    if file.state is S.CONTACTED:
        contact = _last(file, "ContactRestored")
        start = contact.occurred_at if contact else None
    else:
        agreed = [e for e in file.of_type("Reviewed")
                  if e.body.get("subject") == "search_record" and e.body.get("result") == "agree"]  # fmt: skip
        start = agreed[-1].occurred_at if agreed else None
    if start is None:
        return
    ended = [i.steps[-1].occurred_at for i in _case_instances(file) if i.status not in (ACTIVE, EFFECTIVE)]
    begun = max([start, *ended])
    yield Item("disposition-due", begun, begun + timedelta(days=settings.disposition_due_days))


def _case_instances(file: MemberFile) -> list[Instance]:
    return [i for i in file.instances if i.case_no == file.case_no and i.steps]


def _withdrawal_answer(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """劝退 (P5.9): the member's answer by `answer_due`, then the removal meeting (P5.11) if it is not yes."""
    p5 = file.instance_for("P5")
    advised = p5.latest("P5.9") if p5 is not None else None
    if file.state is not S.ADVISED or p5 is None or advised is None or p5.latest("P5.11") is not None:
        return
    entry = file.entry(advised.hash)
    due = day(entry.body.get("answer_due")) if entry is not None else None
    start = advised.occurred_at
    yield Item("withdrawal-answer", start, due or start + timedelta(days=settings.withdrawal_answer_days))


def _correcting(file: MemberFile) -> Instance | None:
    p4 = file.instance_for("P4") if file.state is S.CORRECTING else None
    return p4 if p4 is not None and p4.effect_on is not None else None


def _correction_period(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """限期改正 approved (P4.6): the correction period is to be fixed (P4.9)."""
    p4 = _correcting(file)
    if p4 is None or p4.effect_on is None:
        return
    if _last(file, "CorrectionPeriodSet") is None:
        start = p4.effect_on
        yield Item(
            "correction-period-unset", start, start + timedelta(days=settings.correction_period_set_days)
        )


def _correction_end(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """The correction period fixed at P4.9 ends: the evaluation (P4.11) is due on its `end`."""
    period = _last(file, "CorrectionPeriodSet") if _correcting(file) is not None else None
    end = day(period.body.get("end")) if period is not None else None
    if period is not None and end is not None:
        yield Item("correction-end", period.occurred_at, end)


def _education_support(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """教育帮扶 during 限期改正: due `education_support_interval_months` after P4.6 or the last support."""
    p4 = _correcting(file)
    if p4 is None or p4.effect_on is None:
        return
    support = [
        e.occurred_at for e in file.of_type("EducationSupportRecorded") if e.occurred_at >= p4.effect_on
    ]
    start = max([p4.effect_on, *support])
    yield Item("education-support-due", start, add_months(start, settings.education_support_interval_months))


def _probation(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """预备期届满: 转正, an extension (PX) or a cancellation (P8 / P11) is due at the end of probation."""
    if file.state is None or file.state.terminal or file.member_type_at(date.max) != "probationary":
        return
    end = file.probation_end(settings.probation_months, settings.expired_probation_extension_from)
    if end is not None and file.joined_on is not None:
        yield Item("probation-end", file.joined_on, end)


def _restoration_window(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """A suspended member back in contact may apply for 恢复党籍 (PR.0) until the day before the window end."""
    end = window_end(file, settings)
    contacted = file.state is S.CONTACTED and SUSPENDED in file.flags
    if end is None or not contacted or file.of_type("RestorationApplied"):
        return
    yield Item(
        "restoration-window-closes",
        add_months(end, -settings.restoration_window_notice_months),
        end - ONE_DAY,
    )


def _suspension_two_years(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """停止党籍（无法联系）满二年: P10 is due while the member stays uncontactable."""
    end = window_end(file, settings)
    s = file.suspension
    if file.state is S.SUSPENDED_UNCONTACTABLE and end is not None and s is not None:
        clock = {"approval": s.approval, "decision": s.decision, "filing": s.filing}[
            settings.suspension_clock_start
        ]
        yield Item("suspension-two-years", clock or end, end)


def _completion(
    code: str, paths: frozenset[str], statement_type: str, days: Callable[[DomainSettings], int]
) -> Finder:
    """The completion step of this type owed after each ◆ step of these paths (not after a revoked one)."""

    def find(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
        for i in file.instances:
            owed = i.path in paths and i.end_reason != "revoked" and i.latest_of(statement_type) is None
            if owed and i.effect_on is not None:
                yield Item(code, i.effect_on, i.effect_on + timedelta(days=days(settings)))

    return find


def _appeal_answer(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """申诉: the answer (PA.4) is due `appeal_answer_months` after the appeal was lodged."""
    answered = {e.body.get("appeal") for e in file.entries if e.type == "AppealAnswered" and not e.withdrawn}
    for e in file.entries:
        if e.type == "AppealLodged" and not e.withdrawn and e.hash not in answered:
            yield Item(
                "appeal-answer-due", e.occurred_at, add_months(e.occurred_at, settings.appeal_answer_months)
            )


def _retention(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """出国（境）, not to settle, for at least `retention_min_abroad_months`: 保留组织关系 (P2) is due."""
    absence = _last(file, "AbsenceRecorded")
    if file.state is not S.NORMAL or absence is None:
        return
    body = absence.body
    departed, back = day(body.get("departed_on")), day(body.get("expected_return"))
    long_enough = (
        back is None or departed is None or back >= add_months(departed, settings.retention_min_abroad_months)
    )
    retained = any(i.path == "P2" and i.effect_on is not None and i.effect_on >= absence.occurred_at
                   for i in file.instances)  # fmt: skip
    if body.get("abroad") and not body.get("settled") and long_enough and not retained:
        yield Item("retention-due", absence.occurred_at, absence.occurred_at)


def _expected_return(file: MemberFile, p2: Instance) -> date | None:
    opinion = p2.latest("P2.1")
    entry = file.entry(opinion.hash) if opinion is not None else None
    abroad = entry.body.get("abroad") if entry is not None else None
    back = day(abroad.get("expected_return")) if isinstance(abroad, dict) else None
    absence = _last(file, "AbsenceRecorded")
    return back or (day(absence.body.get("expected_return")) if absence is not None else None)


def _retention_return(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """保留组织关系: at the expected return, 恢复组织生活 (or P3, or 认定失联) is due."""
    p2 = next((i for i in reversed(file.instances) if i.path == "P2" and i.effect_on is not None), None)
    if file.state is not S.RETAINED or p2 is None or p2.effect_on is None:
        return
    back = _expected_return(file, p2)
    if back is not None:
        yield Item("retention-return-due", p2.effect_on, back)


def _pocket(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """A transfer letter past its `valid_until` with no receipt: 口袋党员 check (PT.2 or PT.3) is due."""
    if file.state is None or file.state.terminal:
        return
    live = [e for e in file.entries if not e.withdrawn]
    letters = [e for e in live if e.type in ("RelationTransferred", "TransferReissued")]
    if not letters:
        return
    letter = letters[-1]
    number = letter.body.get("letter_no")
    cleared = any(e.type in ("RelationReceived", "PocketMemberFlagged") and e.body.get("letter_no") == number
                  for e in live)  # fmt: skip
    until = day(letter.body.get("valid_until"))
    if until is not None and not cleared:
        yield Item("pocket-due", letter.occurred_at, until + ONE_DAY)


def _certificate_check(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """《流动党员证》: a check or renewal (PM.2) every `check_every_months` after the last issue."""
    if file.state is None or file.state.terminal:
        return
    latest: dict[object, Entry] = {}
    for e in file.entries:
        if e.type == "MobileCertificateIssued" and not e.withdrawn:
            latest[e.body.get("certificate_no")] = e
    for e in latest.values():
        months = e.body.get("check_every_months")
        if isinstance(months, int) and months > 0:
            yield Item("certificate-check-due", e.occurred_at, add_months(e.occurred_at, months))


def _lookback_rectification(file: MemberFile, settings: DomainSettings) -> Iterable[Item]:
    """回头看 calls for rectification: `LookBackRectified` is due by the review's `due`."""
    done = {e.body.get("lookback") for e in file.entries if e.type == "LookBackRectified" and not e.withdrawn}
    for e in file.entries:
        rectify = e.type == "LookBackReviewed" and e.body.get("conclusion") == "rectify"
        due = day(e.body.get("due"))
        if rectify and not e.withdrawn and e.hash not in done and due is not None:
            yield Item("lookback-rectification-due", e.occurred_at, due)


RULES: tuple[Rule, ...] = (
    Rule("out-of-control-due", "外出未报告超过一个月，应列入失控名单", _out_of_control),
    Rule("lost-contact-due", "失控满六个月，应认定失联", _lost_contact),
    Rule("search-stale", "查找久未推进", _search_stale),
    Rule("search-review-due", "查找记录待基层党委审核", _search_review),
    Rule("disposition-due", "已取得联系（或确认无法联系）待启动处置程序", _disposition),
    Rule("withdrawal-answer", "劝退待本人答复", _withdrawal_answer),
    Rule("correction-period-unset", "限期改正待确定改正期限", _correction_period),
    Rule("correction-end", "限期改正期满待评估", _correction_end),
    Rule("education-support-due", "限期改正期间待开展教育帮扶", _education_support),
    Rule("probation-end", "预备期届满", _probation),
    Rule("restoration-window-closes", "恢复党籍申请期限将届满", _restoration_window),
    Rule("suspension-two-years", "停止党籍满二年，应作自行脱党除名处理", _suspension_two_years),
    Rule("notification-due", "处置决定待通知本人",
         _completion("notification-due", NOTIFY, "MemberNotified", lambda s: s.notify_within_days)),
    Rule("announcement-due", "处置决定待宣布",
         _completion("announcement-due", ANNOUNCE, "Announced", lambda s: s.announce_within_days)),
    Rule("filing-due", "处置待登记备案", _completion("filing-due", FILE, "Filed", lambda s: s.filing_due_days)),
    Rule("appeal-answer-due", "申诉待答复", _appeal_answer),
    Rule("retention-due", "出国（境）未定居，待办理保留组织关系", _retention),
    Rule("retention-return-due", "保留组织关系期满，待回国恢复组织生活", _retention_return),
    Rule("pocket-due", "介绍信逾期未报到，待核实是否为“口袋”党员", _pocket),
    Rule("certificate-check-due", "流动党员证待缴验", _certificate_check),
    Rule("lookback-rectification-due", "回头看整改待完成", _lookback_rectification),
)  # fmt: skip
"""The §6 table, in its printed order."""

LABELS: dict[str, str] = {rule.code: rule.label for rule in RULES}
"""The Chinese label of every item code."""


def deadline_items(file: MemberFile, settings: DomainSettings) -> list[Item]:
    """Every open §6 item of the member, ordered by due date."""
    if file.state is None:
        return []
    items = [item for rule in RULES for item in rule.find(file, settings)]
    return sorted(items, key=lambda i: (i.due, i.code))
