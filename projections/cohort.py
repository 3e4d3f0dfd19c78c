"""The 失联 cohort (失联党员): per member, the facts the registers and the 附件5 table read, as of a date.

A member file folded as of T (``domain.asof``) gives: the registration form as corrected (五核查
``MemberDataCorrected``), the first 认定失联 (``LostContactConfirmed``) and its reference instant, the last
contact date (forms §1.2: the later of the stated dates and every 组织生活 / 党费 record up to the reference
instant), whether and when contact was regained, and the state. Pure: no database access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from domain.dates import add_months, day
from domain.member import Entry, MemberFile
from domain.registry import Campaign
from domain.settings import DomainSettings
from domain.statements.registration import MEMBER_FIELDS


@dataclass(frozen=True)
class CohortFacts:
    """One member of the cohort as of T.

    The registration form and the last contact date are read from the file when first asked for: the
    registers need them, the 附件5 placement (computed at every change date of every member) does not.
    """

    member_id: str
    file: MemberFile
    """The member file as of T the facts are read from."""
    confirmed: Entry
    reference: date
    contact_on: date | None
    state: str
    flags: frozenset[str]

    @cached_property
    def profile(self) -> Mapping[str, Any]:
        """The 党员基本情况登记 as corrected (``profile`` of the file)."""
        return profile(self.file)

    @cached_property
    def last_contact(self) -> date | None:
        """最近一次参加党组织生活或交纳党费日期 (``last_contact`` of the file)."""
        return last_contact(self.file, self.confirmed, self.reference)

    @property
    def contacted(self) -> bool:
        """Contact regained (a ``ContactRestored``) after the member was confirmed 失联 (forms §4.5 step 2)."""
        return self.contact_on is not None

    @property
    def cause(self) -> int | None:
        """失去联系情形 code 1..7."""
        value = self.confirmed.body.get("cause")
        return int(value) if isinstance(value, int) else None


def profile(file: MemberFile) -> dict[str, Any]:
    """The 党员基本情况登记 body with every later 五核查 correction (``MemberDataCorrected``) applied."""
    out: dict[str, Any] = {}
    for entry in file.entries:
        if entry.withdrawn:
            continue
        if entry.type == "MemberRegistered":
            out.update(entry.body)
        elif entry.type == "MemberDataCorrected":
            field = MEMBER_FIELDS.get(int(entry.body.get("field", 0)))
            if field is not None and entry.body.get("verification") == "corrected":
                out[field[0]] = entry.body.get("new_value")
    return out


def last_contact(file: MemberFile, confirmed: Entry, reference: date) -> date | None:
    """最近一次参加党组织生活或交纳党费日期 (forms §1.2): the latest stated or recorded contact ≤ reference."""
    body = confirmed.body
    dates = [day(body.get(k)) for k in ("last_contact_date", "last_org_life_date", "last_dues_date")]
    for entry in file.entries:
        counts = entry.type == "ParticipationRecorded" and entry.body.get("kind") in ("org_life", "dues")
        if counts and not entry.withdrawn and entry.occurred_at <= reference:
            dates.append(entry.occurred_at)
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def cohort_facts(member_id: str, file: MemberFile, campaign: Campaign | None = None) -> CohortFacts | None:
    """The member's cohort facts, or None when no 认定失联 (of ``campaign`` when given) is on record."""
    if file.state is None:
        return None
    confirmations = [e for e in file.entries if e.type == "LostContactConfirmed" and not e.withdrawn]
    if campaign is not None:
        confirmations = [e for e in confirmations if e.body.get("campaign_id") == campaign.campaign_id]
    if not confirmations:
        return None
    confirmed = confirmations[0]
    reference = day(confirmed.body.get("reference_date")) or confirmed.occurred_at
    contacts = [
        e.occurred_at
        for e in file.entries
        if e.type == "ContactRestored" and not e.withdrawn and e.seq > confirmed.seq
    ]
    return CohortFacts(
        member_id=member_id,
        file=file,
        confirmed=confirmed,
        reference=reference,
        contact_on=contacts[0] if contacts else None,
        state=file.state.value,
        flags=file.flags,
    )


def lost_at(facts: CohortFacts, t: date, settings: DomainSettings) -> bool:
    """Whether the member had been out of contact ``lost_contact_threshold_months`` by t (§5.3 inclusive rule)."""
    if facts.last_contact is None:
        return True
    due = add_months(facts.last_contact, settings.lost_contact_threshold_months)
    return due <= t if settings.threshold_inclusive else due < t


def years_between(start: date, end: date) -> int:
    """Whole years from start to end (年龄, 党龄)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def duration_text(start: date | None, end: date | None) -> str:
    """A length of time as the forms show it: ``X年Y个月`` (forms §1.2, display [inferred])."""
    if start is None or end is None or end < start:
        return ""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, rest = divmod(max(months, 0), 12)
    return f"{years}年{rest}个月" if years else f"{rest}个月"
